// The Activity page: tabs in the WAI-ARIA pattern (arrow keys, Home and
// End move between them; one tab stop). ?tab= names the open tab, so a
// reload or a shared link keeps it. Each panel's module, activity_<tab>.js,
// is loaded the first time its tab opens and exports mount(panel).

const tabs = [...document.querySelectorAll('[role="tab"]')];
const mounted = new Set();

function panelOf(tab) {
  return document.getElementById(tab.getAttribute("aria-controls"));
}

async function open(tab, { focus = false, push = true } = {}) {
  for (const t of tabs) {
    const selected = t === tab;
    t.setAttribute("aria-selected", String(selected));
    t.tabIndex = selected ? 0 : -1;
    panelOf(t).hidden = !selected;
  }
  if (focus) tab.focus();
  const id = tab.dataset.tab;
  if (push) {
    const url = new URL(location.href);
    url.searchParams.set("tab", id);
    history.replaceState(null, "", url);
  }
  if (!mounted.has(id)) {
    mounted.add(id);
    const module = await import(`./activity_${id}.js`);
    await module.mount(panelOf(tab));
  }
}

function onKey(e) {
  const i = tabs.indexOf(e.currentTarget);
  const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
  if (next === undefined) return;
  e.preventDefault();
  open(tabs[(next + tabs.length) % tabs.length], { focus: true });
}

for (const tab of tabs) {
  tab.addEventListener("click", () => open(tab));
  tab.addEventListener("keydown", onKey);
}

const wanted = new URLSearchParams(location.search).get("tab");
open(tabs.find((t) => t.dataset.tab === wanted) || tabs[0], { push: false });
