// The session page's Discussion section (templates/session_discussion.html).
// mount({ sessionId, live, access }) fills it through the API and keeps it
// up to date from the live events.

export function mount({ sessionId, live, access }) {
  document.getElementById("discussion-body").textContent = "";
}
