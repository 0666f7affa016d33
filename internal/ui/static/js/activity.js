// The Activity page: tabs in the WAI-ARIA pattern (arrow keys, Home and
// End move between them; one tab stop). ?tab= names the open tab, so a
// reload or a shared link keeps it. Each panel's module, activity_<tab>.js,
// is loaded the first time its tab opens and exports mount(panel).

import { failedState } from "./dom.js";

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
    await mount(tab, id);
  }
}

// mount loads a tab's module and fills its panel; a panel that could not
// be loaded says so and offers to try again.
async function mount(tab, id) {
  const panel = panelOf(tab);
  try {
    const module = await import(`./activity_${id}.js`);
    await module.mount(panel);
  } catch (err) {
    mounted.delete(id);
    const failed = failedState(`${tab.textContent} could not be loaded`, err, () => {
      failed.remove();
      mounted.add(id);
      mount(tab, id);
    });
    panel.prepend(failed);
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
