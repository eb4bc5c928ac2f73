// Loads render.mjs the way the loader does (by its content-hashed name in the manifest)
// and renders the decisions of ?decisions=NAME.json with the loader's host. Records what
// a test needs to see: exposures, and when a popup appeared.
window.exposuresBefore = [];
window.dataLayer = [];
new MutationObserver(() => {
  if (!window.popupShownAt && document.querySelector("dialog.sk-popup")) window.popupShownAt = performance.now();
}).observe(document.body, { childList: true });

const name = new URLSearchParams(location.search).get("decisions") || "";
if (!/^[\w-]+\.json$/.test(name)) throw new Error(`?decisions=NAME.json expected, not ${name}`);
const manifest = await (await fetch("/sk/manifest.json")).json();
const renderer = await import(`/sk/${manifest.modules.render}`);
const decisions = await (await fetch(`/t/decisions/${name}`)).json();
while (!window.shopkeeper) await new Promise((resolve) => setTimeout(resolve, 10)); // the async loader
window.shopkeeper.on("exposure", (exposure) => window.exposuresBefore.push(exposure));
window.renderer = renderer;
window.decisions = decisions;
window.stopRendering = renderer.render(decisions, window.shopkeeper.host);
document.documentElement.setAttribute("data-test-rendered", "");
