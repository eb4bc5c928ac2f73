// The shopper's view of what this browser keeps for the shop: a panel listing it, a JSON
// download of all of it, and an erase button. Imported by the loader on the first
// shopkeeper.privacy.show() or export() (or a click on [data-sk-privacy]); nothing here
// touches the network.
//
// host, from the loader: readEvents(), storage() (our localStorage keys), request(type,
// payload) (the worker), context(), erase().

const PROFILE_TIMEOUT_MS = 3000;
const RECENT_LIMIT = 10;
// py_src/shopkeeper/contract.py, written in by the runtime build: each event type's label.
const CONTRACT = /*@CONTRACT@*/null;
const LABELS = Object.fromEntries(Object.entries(CONTRACT.events.types).map(([type, about]) => [type, about.label]));

// The derived profile, when the worker runs and its Python has shopkeeper.browser.profile_json.
function profile(host) {
  const timeout = new Promise((resolve) => setTimeout(resolve, PROFILE_TIMEOUT_MS, null));
  const asked = host.request("profile", { context: host.context() || {} }).catch(() => null);
  return Promise.race([asked, timeout]);
}

export async function collect(host) {
  const [events, derived] = await Promise.all([host.readEvents().catch(() => []), profile(host)]);
  return { exported_at: new Date().toISOString(), events, local_storage: host.storage(), profile: derived ?? null };
}

export function summarize(events) {
  const counts = new Map();
  const products = [];
  const searches = [];
  for (const event of [...events].sort((a, b) => (b.ts || 0) - (a.ts || 0))) {
    counts.set(event.type, (counts.get(event.type) || 0) + 1);
    if (["product_view", "add_to_cart", "rec_click"].includes(event.type) && event.product && !products.includes(event.product)) products.push(event.product);
    if (event.type === "search" && event.query && !searches.includes(event.query)) searches.push(event.query);
  }
  return { counts, products: products.slice(0, RECENT_LIMIT), searches: searches.slice(0, RECENT_LIMIT) };
}

export async function exportData(host) {
  const data = await collect(host);
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const link = document.createElement("a");
  link.setAttribute("href", url);
  link.setAttribute("download", "shopkeeper-data.json");
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return data;
}

export function erase(host) {
  return host.erase();
}

function element(tag, content, className) {
  const node = document.createElement(tag);
  if (content) node.textContent = content;
  if (className) node.className = className;
  return node;
}

function list(values) {
  const node = element("ul");
  for (const value of values) node.append(element("li", value));
  return node;
}

function plain(value) {
  if (Array.isArray(value)) return value.map(plain).join(", ");
  if (value !== null && typeof value === "object") return Object.entries(value).map(([key, inner]) => `${key}: ${plain(inner)}`).join("; ");
  return String(value);
}

function counts(summary) {
  const table = element("table", "", "sk-privacy-counts");
  const head = table.createTHead().insertRow();
  for (const title of ["Activity", "Count"]) {
    const cell = element("th", title);
    cell.setAttribute("scope", "col");
    head.append(cell);
  }
  const body = table.createTBody();
  for (const [type, count] of summary.counts) {
    const row = body.insertRow();
    row.setAttribute("data-sk-type", type);
    const label = element("th", LABELS[type] || type);
    label.setAttribute("scope", "row");
    row.append(label, element("td", String(count)));
  }
  return table;
}

function contents(data) {
  const summary = summarize(data.events);
  const nodes = [];
  nodes.push(element("h3", "Recorded activity"));
  nodes.push(summary.counts.size ? counts(summary) : element("p", "Nothing is stored.", "sk-privacy-empty"));
  if (summary.products.length) nodes.push(element("h3", "Products you looked at recently"), list(summary.products));
  if (summary.searches.length) nodes.push(element("h3", "Your recent searches"), list(summary.searches));
  if (data.profile && typeof data.profile === "object" && Object.keys(data.profile).length) {
    const facts = element("dl", "", "sk-privacy-profile");
    for (const [key, value] of Object.entries(data.profile)) {
      const shown = plain(value ?? "");
      if (shown) facts.append(element("dt", key.replaceAll("_", " ")), element("dd", shown));
    }
    nodes.push(element("h3", "What the shop infers from it"), facts);
  }
  return nodes;
}

function button(label, action) {
  const node = element("button", label);
  node.setAttribute("type", "button");
  node.setAttribute("data-sk-action", action);
  return node;
}

export async function show(host) {
  document.querySelector("dialog.sk-privacy")?.close();
  const data = await collect(host);
  const dialog = element("dialog", "", "sk-privacy");
  dialog.setAttribute("aria-labelledby", "sk-privacy-title");
  Object.assign(dialog.style, { maxWidth: "min(36rem, calc(100vw - 2rem))", maxHeight: "calc(100vh - 2rem)", overflow: "auto" });
  const title = element("h2", "What this browser keeps for this shop");
  title.id = "sk-privacy-title";
  const intro = element("p", "This shop personalizes its pages with what you do here. It stays in this browser, " +
    "is never sent anywhere, and is deleted after a year.");
  const details = element("div", "", "sk-privacy-details");
  details.append(...contents(data));
  const status = element("p", "", "sk-privacy-status");
  status.setAttribute("role", "status");
  const actions = element("div", "", "sk-privacy-actions");
  actions.append(button("Download my data", "export"), button("Erase it all", "erase"), button("Close", "close"));
  dialog.append(title, intro, details, status, actions);

  const previous = document.activeElement;
  actions.addEventListener("click", async (event) => {
    const action = event.target instanceof Element ? event.target.closest("[data-sk-action]")?.getAttribute("data-sk-action") : null;
    if (action === "close") dialog.close();
    if (action === "export") await exportData(host);
    if (action === "erase") {
      const done = await erase(host).catch(() => false);
      details.replaceChildren(...contents({ events: [], profile: null }));
      status.textContent = done
        ? "Erased. This browser keeps nothing for this shop now. Pages you open from here on are recorded afresh, unless your browser sends Global Privacy Control."
        : "This browser would not let us erase the data; clearing this site's data in the browser's settings removes it.";
    }
  });
  dialog.addEventListener("close", () => {
    dialog.remove();
    if (previous instanceof HTMLElement && previous.isConnected) previous.focus({ preventScroll: true });
  }, { once: true });
  document.body.append(dialog);
  dialog.showModal();
  return true;
}
