// shopkeeper's renderer: recommendation shelves, re-ranked listings, popups and experiment
// exposures, drawn from one page view's decisions (docs/decisions.md). The loader imports
// it only when the decisions hold one of those; a page may import it too and call
// render(decisions, window.shopkeeper.host).
//
// Text reaches the DOM through textContent and setAttribute only; the engine's `html`
// values go through the loader's one sanitizer, host.cleanHtml (web/shopkeeper.js), as
// the slots' do, and every URL through host.safeUrl.
//
// host, from the loader: record(type, data), emit(type, detail), warn(message, error),
// claim(key) (true the first time per page view), visibleMs(), readEvents(),
// cleanHtml(html) (a cleaned DocumentFragment), safeUrl(value) ("" unless http(s) or relative),
// shelfCount(shelf) (its data-sk-count as the loader reads it), defaultStyles (false when
// the tag says data-sk-styles="none").

const INPUT_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "scroll", "touchstart"];
const PAGE_COUNT_DELAY_MS = 1000; // page_count was checked by the engine: show shortly after load
const MIN_IDLE_MS = 1000;
const FLICK_PX_PER_MS = 1; // an upward scroll this fast near the top reads as leaving, on touch screens

export function render(decisions, host) {
  if (!isObject(decisions)) return () => {};
  const stops = [];
  const parts = [
    () => stops.push(renderShelves(decisions.recs, host)),
    () => rerankAll(decisions.rerank),
    () => announceExposures(decisions.exposures, host),
    () => stops.push(armPopups(decisions.popups, host)),
  ];
  for (const part of parts) {
    try { part(); } catch (error) { host.warn("a decision could not be rendered", error); }
  }
  return () => stops.splice(0).forEach((stop) => stop());
}

// --- safe building blocks ----------------------------------------------------------

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const text = (value, limit = 500) => (typeof value === "string" ? value.slice(0, limit) : "");
const number = (value) => (typeof value === "number" && Number.isFinite(value) ? value : null);
const has = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
const own = (object, key) => (isObject(object) && has(object, key) ? object[key] : undefined);

function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content) node.textContent = content;
  return node;
}

function listen(target, type, listener, options) {
  target.addEventListener(type, listener, options);
  return () => target.removeEventListener(type, listener, options);
}

export function priceFormat(locale) {
  const formats = new Map();
  const make = (currency) => {
    const options = currency ? { style: "currency", currency } : { minimumFractionDigits: 2, maximumFractionDigits: 2 };
    try { return new Intl.NumberFormat(locale || undefined, options); } catch { return new Intl.NumberFormat(undefined, options); }
  };
  return (amount, currency) => {
    const code = typeof currency === "string" && /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : "";
    if (!formats.has(code)) formats.set(code, make(code));
    return formats.get(code).format(amount);
  };
}

// --- shelves -------------------------------------------------------------------------

export function card(item, format, host) {
  const id = text(own(item, "id"));
  if (!id) return null;
  const node = element("li", "sk-card");
  node.setAttribute("data-sk-item", id);
  if (typeof item.html === "string") {
    node.append(host.cleanHtml(item.html));
    return node;
  }
  const values = cardValues(item, format, host);
  if (!values) return null; // a card that leads nowhere is not worth the space
  const link = element("a", "sk-card-link");
  link.setAttribute("href", values.url);
  if (values.image) {
    const picture = element("img", "sk-card-image");
    picture.setAttribute("src", values.image);
    picture.setAttribute("alt", ""); // the title beside it names the product
    picture.setAttribute("loading", "lazy");
    picture.setAttribute("decoding", "async");
    link.append(picture);
  }
  link.append(element("span", "sk-card-title", values.title));
  node.append(link);
  if (values.price) {
    const line = element("p", "sk-card-price");
    if (values.regular_price) {
      line.append(element("span", "sk-card-sale", values.price), " ", element("s", "sk-card-was", values.regular_price));
    } else {
      line.textContent = values.price;
    }
    node.append(line);
  }
  if (values.reason) node.append(element("p", "sk-card-reason", values.reason));
  return node;
}

// What a card shows, as text: the default card's and what a merchant's <template
// data-sk-card> can bind (docs/markup.md).
export function cardValues(item, format, host) {
  const id = text(own(item, "id"));
  const url = host.safeUrl(own(item, "url"));
  if (!id || !url) return null;
  const price = number(item.price);
  const sale = number(item.sale_price);
  const onSale = price !== null && sale !== null && sale < price;
  return {
    id, url, title: text(item.title) || id, image: host.safeUrl(item.image), reason: text(item.reason),
    reason_code: text(item.reason_code), currency: text(item.currency, 3),
    price: price === null ? "" : format(onSale ? sale : price, item.currency),
    regular_price: onSale ? format(price, item.currency) : "",
  };
}

const BINDINGS = "[data-sk-text], [data-sk-href], [data-sk-src], [data-sk-alt], [data-sk-if]";

// One card from the merchant's own markup: the template's single root element, cloned,
// its bindings filled through textContent and attributes (URLs through safeUrl).
export function templateCard(item, root, format, host) {
  const values = cardValues(item, format, host);
  if (!values) return null;
  const node = document.importNode(root, true);
  node.setAttribute("data-sk-item", values.id);
  for (const bound of [node, ...node.querySelectorAll(BINDINGS)]) {
    const value = (attribute) => (has(values, bound.getAttribute(attribute)) ? values[bound.getAttribute(attribute)] : "");
    if (bound.hasAttribute("data-sk-if") && !value("data-sk-if")) { bound.remove(); continue; }
    if (bound.hasAttribute("data-sk-text")) bound.textContent = value("data-sk-text");
    if (bound.hasAttribute("data-sk-alt")) bound.setAttribute("alt", value("data-sk-alt"));
    for (const [attribute, target] of [["data-sk-href", "href"], ["data-sk-src", "src"]]) {
      if (!bound.hasAttribute(attribute)) continue;
      const url = value(attribute);
      if (url) bound.setAttribute(target, url);
      else bound.removeAttribute(target);
    }
  }
  return node;
}

// A config card_template's HTML placed straight into the merchant's container: its one
// root element is the card (several roots share a div.sk-card).
function htmlCard(item, host) {
  const id = text(own(item, "id"));
  if (!id || typeof item.html !== "string") return null;
  const fragment = host.cleanHtml(item.html);
  const roots = [...fragment.childNodes].filter((child) => child.nodeType !== Node.TEXT_NODE || child.textContent.trim());
  const node = roots.length === 1 && roots[0] instanceof Element ? roots[0] : element("div", "sk-card");
  if (node !== roots[0]) node.append(fragment);
  node.setAttribute("data-sk-item", id);
  return node;
}

// The merchant's <template data-sk-card> in the shelf, or the one data-sk-card-template names.
function cardTemplate(shelf, host) {
  const named = shelf.getAttribute("data-sk-card-template");
  const template = named ? document.getElementById(named) : shelf.querySelector("template[data-sk-card]");
  if (!(template instanceof HTMLTemplateElement)) return null;
  const roots = template.content.children;
  if (roots.length === 1) return roots[0];
  host.warn(`the card template of shelf "${shelf.getAttribute("data-sk-recs")}" needs exactly one root element; it has ${roots.length}`);
  return null;
}

// Minimal, overridable looks for the default cards: every rule is inside :where(), so any
// rule of the merchant's wins. A constructed sheet needs no style-src allowance.
const DEFAULT_CSS = `
:where(.sk-shelf) { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(10rem, 100%), 1fr)); gap: 1rem; list-style: none; margin: 0; padding: 0; }
:where(.sk-card) { min-width: 0; }
:where(.sk-card-link) { display: block; color: inherit; text-decoration: none; }
:where(.sk-card-image) { display: block; width: 100%; height: auto; aspect-ratio: 1; object-fit: cover; }
:where(.sk-card-title) { display: block; margin-top: .5rem; }
:where(.sk-card-price, .sk-card-reason) { margin: .25rem 0 0; }
:where(.sk-card-reason) { font-size: .875em; opacity: .75; }
`;
let defaultStylesAdopted = false;

function adoptDefaultStyles(host) {
  if (defaultStylesAdopted || host.defaultStyles === false) return;
  defaultStylesAdopted = true;
  if (typeof CSSStyleSheet !== "function" || !("adoptedStyleSheets" in document)) return;
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(DEFAULT_CSS);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  } catch (error) {
    host.warn("the default shelf styles could not be applied", error);
  }
}

// Cards go into the shelf's [data-sk-cards] element when it has one (the merchant's own
// grid, everything else of the shelf kept), else into a ul.sk-shelf (div.sk-shelf for
// the merchant's cards) that replaces the shelf's children but its templates.
export function renderShelves(recs, host) {
  const stops = [];
  if (!isObject(recs)) return () => {};
  const format = priceFormat(document.documentElement.lang || navigator.language);
  for (const shelf of document.querySelectorAll("[data-sk-recs]")) {
    const name = shelf.getAttribute("data-sk-recs");
    const items = own(own(recs, name), "items");
    if (!Array.isArray(items)) continue;
    const count = host.shelfCount(shelf);   // the count the loader asked the engine for
    const root = cardTemplate(shelf, host);
    const container = shelf.querySelector("[data-sk-cards]");
    const ownCards = root || (container && items.some((item) => typeof own(item, "html") === "string"));
    const make = root ? (item) => templateCard(item, root, format, host)
      : ownCards ? (item) => htmlCard(item, host) : (item) => card(item, format, host);
    const cards = items.map(make).filter(Boolean).slice(0, count);
    if (!cards.length) continue; // the merchant's default content stays
    if (!ownCards) adoptDefaultStyles(host);
    if (container) {
      container.replaceChildren(...cards);
    } else {
      const list = element(ownCards ? "div" : "ul", "sk-shelf");
      list.append(...cards);
      shelf.replaceChildren(...shelf.querySelectorAll(":scope > template"), list);
    }
    shelf.setAttribute("data-sk-rendered", text(own(recs[name], "strategy")) || "recs");
    stops.push(watchShelf(shelf, name, cards.map((node) => node.getAttribute("data-sk-item")), host));
  }
  return () => stops.splice(0).forEach((stop) => stop());
}

// One impression per shelf per page view, when half of it (or half the screen) is in view;
// a click on a link or button of a card is a rec_click.
function watchShelf(shelf, name, ids, host) {
  const off = listen(shelf, "click", (event) => {
    const target = event.target instanceof Element ? event.target.closest("a[href], button") : null;
    const chosen = target && target.closest("[data-sk-item]");
    if (chosen && shelf.contains(chosen)) host.record("rec_click", { placement: name, product: chosen.getAttribute("data-sk-item") });
  });
  if (typeof IntersectionObserver !== "function") return off;
  const observer = new IntersectionObserver((entries) => {
    const seen = entries.some((entry) => entry.isIntersecting &&
      (entry.intersectionRatio >= 0.5 || entry.intersectionRect.height >= (entry.rootBounds?.height ?? innerHeight) / 2));
    if (!seen) return;
    observer.disconnect();
    if (host.claim(`impression:${name}`)) host.record("rec_impression", { placement: name, items: ids.map((product) => ({ product })) });
  }, { threshold: [0, 0.25, 0.5, 0.75, 1] });
  observer.observe(shelf);
  return () => { off(); observer.disconnect(); };
}

// --- re-ranking ------------------------------------------------------------------------

// Listed children first in the given order, the rest after them in their own order; other
// nodes of the container (headings, whitespace) keep their places.
export function rerank(container, order) {
  if (!Array.isArray(order)) return false;
  const items = [...container.children].filter((child) => child.hasAttribute("data-sk-item"));
  const rank = new Map();
  order.forEach((id, index) => { if (typeof id === "string" && !rank.has(id)) rank.set(id, index); });
  const sorted = items
    .map((node, index) => ({ node, index, rank: rank.get(node.getAttribute("data-sk-item")) ?? Infinity }))
    .sort((a, b) => (a.rank - b.rank) || (a.index - b.index))
    .map((entry) => entry.node);
  container.setAttribute("data-sk-reranked", "");
  if (sorted.every((node, index) => node === items[index])) return false;
  const places = items.map((node) => {
    const place = document.createComment("");
    node.replaceWith(place);
    return place;
  });
  places.forEach((place, index) => place.replaceWith(sorted[index]));
  return true;
}

export function rerankAll(orders) {
  if (!isObject(orders)) return;
  for (const container of document.querySelectorAll("[data-sk-rerank]")) {
    const order = own(orders, container.getAttribute("data-sk-rerank"));
    if (order) rerank(container, order);
  }
}

// --- exposures -------------------------------------------------------------------------

export function announceExposures(exposures, host) {
  if (!Array.isArray(exposures)) return;
  for (const raw of exposures) {
    const experiment = text(own(raw, "experiment"));
    if (!experiment || !host.claim(`exposure:${experiment}`)) continue;
    const exposure = { experiment, arm: text(raw.arm), holdout: raw.holdout === true };
    host.emit("exposure", exposure);
    if (Array.isArray(window.dataLayer)) window.dataLayer.push({ event: "shopkeeper_exposure", ...exposure });
  }
}

// --- popups ------------------------------------------------------------------------------

function afterVisible(ms, fire, host) {
  let timer = 0;
  const check = () => {
    clearTimeout(timer);
    if (document.visibilityState !== "visible") return; // resumed by visibilitychange
    const left = ms - host.visibleMs();
    if (left <= 0) fire();
    else timer = setTimeout(check, left);
  };
  const off = listen(document, "visibilitychange", check);
  check();
  return () => { clearTimeout(timer); off(); };
}

function whenIdle(ms, fire) {
  let last = performance.now();
  let timer = 0;
  const check = () => {
    clearTimeout(timer);
    if (document.visibilityState !== "visible") return;
    const left = ms - (performance.now() - last);
    if (left <= 0) fire();
    else timer = setTimeout(check, left);
  };
  const active = () => { last = performance.now(); };
  const offs = INPUT_EVENTS.map((type) => listen(window, type, active, { capture: true, passive: true }));
  offs.push(listen(document, "visibilitychange", () => { active(); check(); }));
  check();
  return () => { clearTimeout(timer); offs.forEach((off) => off()); };
}

export function cartSize(events) {
  const quantities = new Map();
  const ordered = [...events].filter(isObject).sort((a, b) => (a.ts || 0) - (b.ts || 0));
  for (const event of ordered) {
    const quantity = number(event.quantity) ?? 1;
    if (event.type === "purchase") quantities.clear();
    else if (event.type === "add_to_cart" && event.product) quantities.set(event.product, (quantities.get(event.product) || 0) + quantity);
    else if (event.type === "remove_from_cart" && quantities.has(event.product)) {
      const left = quantities.get(event.product) - quantity;
      if (left > 0) quantities.set(event.product, left);
      else quantities.delete(event.product);
    }
  }
  return [...quantities.values()].reduce((sum, quantity) => sum + quantity, 0);
}

function scrollPercent() {
  const height = document.documentElement.scrollHeight;
  return height ? ((scrollY + innerHeight) / height) * 100 : 0;
}

const TRIGGERS = {
  dwell: (popup, fire, host) => afterVisible(popup.threshold * 1000, fire, host),
  page_count: (popup, fire, host) => afterVisible(host.visibleMs() + PAGE_COUNT_DELAY_MS, fire, host),
  scroll: (popup, fire) => listen(window, "scroll", () => { if (scrollPercent() >= Math.min(100, popup.threshold)) fire(); }, { passive: true }),
  inactivity: (popup, fire) => whenIdle(Math.max(MIN_IDLE_MS, popup.threshold * 1000), fire),
  cart_abandonment: (popup, fire, host) => {
    let disarm = () => {};
    let armed = true;
    const wait = () => {
      disarm = whenIdle(Math.max(MIN_IDLE_MS, popup.threshold * 1000), () => {
        host.readEvents().then((events) => {
          if (!armed) return;
          if (cartSize(events) > 0) fire();
          else wait(); // nothing in the cart yet: keep watching
        }, () => {});
      });
    };
    wait();
    return () => { armed = false; disarm(); };
  },
  exit_intent: (popup, fire) => {
    // Desktop: the pointer leaves the page through the top, towards tabs and the address bar.
    const offs = [listen(document, "mouseout", (event) => { if (!event.relatedTarget && event.clientY <= 0) fire(); })];
    // Touch screens have no pointer to leave: a fast upward flick back near the top, after
    // reading further down, is the closest sign of reaching for the address bar or back.
    if (matchMedia("(pointer: coarse)").matches) {
      let lastY = scrollY;
      let lastTime = performance.now();
      let furthest = scrollY;
      offs.push(listen(window, "scroll", () => {
        const now = performance.now();
        const speed = (lastY - scrollY) / Math.max(1, now - lastTime);
        furthest = Math.max(furthest, scrollY);
        if (speed >= FLICK_PX_PER_MS && scrollY < innerHeight && furthest >= innerHeight / 2) fire();
        lastY = scrollY;
        lastTime = now;
      }, { passive: true }));
    }
    return () => offs.forEach((off) => off());
  },
};

function cleanPopup(raw) {
  const campaign = text(own(raw, "campaign"));
  const trigger = text(own(raw, "trigger"));
  if (!campaign || !has(TRIGGERS, trigger) || typeof raw.html !== "string") return null;
  return { campaign, trigger, threshold: Math.max(0, number(raw.threshold) ?? 0), html: raw.html };
}

// Arms every campaign's trigger; the first to fire shows its popup and disarms the rest.
// At most one popup per page view, however often render() is called.
export function armPopups(popups, host) {
  if (!Array.isArray(popups) || typeof HTMLDialogElement !== "function") return () => {};
  const disarms = [];
  const disarm = () => disarms.splice(0).forEach((off) => off());
  for (const popup of popups.map(cleanPopup).filter(Boolean)) {
    const fire = () => {
      disarm();
      if (!host.claim("popup")) return;
      try { openPopup(popup, host); } catch (error) { host.warn("a popup could not be shown", error); }
    };
    disarms.push(TRIGGERS[popup.trigger](popup, fire, host));
  }
  return disarm;
}

function openPopup(popup, host) {
  const dialog = element("dialog", "sk-popup");
  dialog.setAttribute("role", "dialog");
  dialog.setAttribute("aria-modal", "true");
  dialog.setAttribute("data-sk-campaign", popup.campaign);
  Object.assign(dialog.style, { padding: "0", maxWidth: "min(32rem, calc(100vw - 2rem))", borderRadius: ".5rem" });
  const close = element("button", "sk-popup-close", "\u00d7");
  close.setAttribute("type", "button");
  close.setAttribute("aria-label", "Close");
  Object.assign(close.style, { position: "absolute", top: ".25rem", right: ".5rem", border: "0", background: "none", fontSize: "1.5rem", lineHeight: "1", cursor: "pointer" });
  const body = element("div", "sk-popup-body");
  body.style.padding = "1.5rem 2.5rem 1.5rem 1.5rem";
  body.append(host.cleanHtml(popup.html));
  const heading = body.querySelector("h1, h2, h3, h4, h5, h6");
  if (heading) {
    if (!heading.id) heading.id = `sk-popup-title-${popup.campaign.replace(/[^\w-]/g, "_")}`;
    dialog.setAttribute("aria-labelledby", heading.id);
  } else {
    dialog.setAttribute("aria-label", "A message from the shop");
  }
  dialog.append(close, body);

  const previous = document.activeElement;
  let outcome = "popup_dismissed";
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    const convert = event.target instanceof Element ? event.target.closest("[data-sk-convert]") : null;
    if (convert && dialog.contains(convert)) {
      outcome = "popup_converted";
      dialog.close(); // the click's own action (a link, a form) still goes ahead
    } else if (event.target === dialog) {
      dialog.close(); // the backdrop: the dialog has no padding of its own
    }
  });
  dialog.addEventListener("close", () => {
    host.record(outcome, { campaign: popup.campaign });
    dialog.remove();
    if (previous instanceof HTMLElement && previous.isConnected && document.activeElement !== previous) previous.focus({ preventScroll: true });
  }, { once: true });
  document.body.append(dialog);
  dialog.showModal(); // focus moves in; Escape closes; the page behind is inert
  host.record("popup_shown", { campaign: popup.campaign });
}
