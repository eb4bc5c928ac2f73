// shopkeeper loader: the one <script> a merchant adds to every page.
//
//   <script src="/sk/shopkeeper.js" data-manifest="/sk/manifest.json"></script>
//
// On the main thread it only (1) applies the slot decisions stored by the previous page
// view, before first paint, (2) records what the shopper does in IndexedDB, and (3) after
// the page has loaded, starts the worker that runs Python and swaps in fresh decisions;
// shelves, re-ranking, popups and exposures are drawn by render.mjs, the shopper's data
// panel by privacy.mjs, both imported only when needed. Any failure leaves the merchant's
// default content in place and is reported once on the console, never thrown.
//
// window.shopkeeper:
//   track(type, data)  record an event of engine/events.py EVENT_TYPES; false when rejected
//   on(type, fn)       "exposure" and "decisions" listeners (earlier deliveries are replayed);
//                      returns a function that removes the listener
//   privacy            show(), export(), erase(): the shopper's view of what this browser keeps
//   ready              Promise of this page view's decisions (null when shopkeeper is off)
//   context            the page context sent with the decide request
//   request(type, payload)  the worker's requests ({id, type, payload} messages)
//   consent(granted)   the shopper's answer where the tag says data-sk-consent="required"
//                      (true: store and personalize from now on; false: erase everything)
//   page(details)      a single-page store's route change: {page, product, category, search}
//                      (history.pushState and popstate are seen without it)
//   stop()             stop capturing and rendering for this page view
//   host               the seam our modules (render.mjs, privacy.mjs) use; not for merchants
//
// Capture sources and duplicates: the same action can reach us from the markup
// (data-sk-* attributes and clicks), from shopkeeper.track() and from GA4's dataLayer.
// An event from one source is dropped when the same action (type and product, or search
// query, or any purchase) came from a different source earlier in this page view and was
// not yet paired: within 10 s for add_to_cart, remove_from_cart and purchase, anywhere in
// the page view for product_view and search. Two clicks are two adds; a click plus the
// dataLayer push it causes are one.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.shopkeeper) return;

  // py_src/shopkeeper/contract.py, written in by the runtime build (docs/events.md).
  var CONTRACT = /*@CONTRACT@*/null;
  var DB = CONTRACT.database;
  var EVENTS = DB.store;
  var SCHEMA = CONTRACT.events;
  var MAX_EVENTS = SCHEMA.max_events;
  var MAX_AGE_MS = SCHEMA.max_age_ms;
  var TEXT_LIMITS = SCHEMA.text;
  var KEYS = CONTRACT.local_storage;
  var KEY_PREFIX = KEYS.prefix;
  var DECISIONS_KEY = KEY_PREFIX + KEYS.decisions;
  var VISITOR_KEY = KEY_PREFIX + KEYS.visitor;
  var OUTBOX_PREFIX = KEY_PREFIX + KEYS.outbox;
  var CONSENT_KEY = KEY_PREFIX + KEYS.consent;
  var OUTBOX_LIMIT = KEYS.outbox_limit;
  var DECISIONS_MAX_AGE_MS = KEYS.decisions_max_age_ms;
  var ANSWER_TIMEOUT_MS = CONTRACT.worker.answer_timeout_ms;
  var KEEP_ALIVE_MS = 10000;
  var LISTING_LIMIT = CONTRACT.context.max_listing;
  var PAIR_WITHIN_MS = { product_view: Infinity, search: Infinity, add_to_cart: 10000, remove_from_cart: 10000, purchase: 10000 };
  var GA4_EVENTS = {
    view_item: "product_view", add_to_cart: "add_to_cart", remove_from_cart: "remove_from_cart",
    purchase: "purchase", search: "search", view_search_results: "search",
  };

  var options = {
    manifest: new URL(script.getAttribute("data-manifest") || "manifest.json", script.src || location.href).href,
    // For a template with one page for every product (or category, or search): the query
    // parameter of the URL that holds what <body> does not say (docs/markup.md).
    params: { product: script.getAttribute("data-product-param"), category: script.getAttribute("data-category-param"),
              search: script.getAttribute("data-search-param") },
    // "dom-ready": start the worker once the HTML is parsed, not after the page has loaded.
    startAtDomReady: script.getAttribute("data-sk-start") === "dom-ready",
  };
  var reported = false;
  var stopped = false;
  var capturing = false;
  var erased = false;
  var context = null;
  // The page view: a document, or a route of a single-page store (routes, below).
  var route = null;          // what shopkeeper.page() said of the current route
  var pageKind = "";         // the page kind its page_view was recorded with
  var referrer = document.referrer;
  var viewUrl = location.href.split("#")[0];

  function report(message, error) {
    if (reported) return;
    reported = true;
    console.warn("[shopkeeper] " + message + "; the page keeps its default content.", error || "");
  }

  function supported() {
    return typeof indexedDB !== "undefined" && typeof Worker !== "undefined" &&
      typeof WebAssembly === "object" && typeof fetch === "function" && typeof Promise === "function";
  }

  var removers = [];
  function listen(target, type, listener, listenOptions) {
    target.addEventListener(type, listener, listenOptions);
    var remove = function () { target.removeEventListener(type, listener, listenOptions); };
    removers.push(remove);
    return remove;
  }

  function attribute(element, name) {
    return (element && element.getAttribute(name)) || "";
  }

  // --- engine HTML into the DOM: the one sanitizer -----------------------------------
  // Every html value of a decision reaches the page through cleanHtml: slots here, shelf
  // cards and popups in render.mjs (host.cleanHtml). Values in it were escaped by Jinja2's
  // sandbox; cleaning removes what the merchant's template itself (or a hand-edited store)
  // could add: elements that run script or redirect the page (script, frames, plugins,
  // <base>, <meta>, <link>, SVG animation), event-handler attributes, and every URL that
  // is not http(s) or relative.
  var URL_ATTRIBUTES = ["href", "src", "action", "formaction", "poster", "xlink:href"];
  var UNSAFE_ELEMENTS = "script, iframe, object, embed, frame, frameset, base, meta, link, animate, set";

  function safeUrl(value) {
    if (typeof value !== "string" || !value.trim()) return "";
    try {
      var url = new URL(value, document.baseURI);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
    } catch (error) {
      return "";
    }
  }

  function cleanHtml(html) {
    var template = document.createElement("template");
    template.innerHTML = typeof html === "string" ? html : "";
    var content = template.content;
    Array.prototype.forEach.call(content.querySelectorAll(UNSAFE_ELEMENTS), function (element) { element.remove(); });
    Array.prototype.forEach.call(content.querySelectorAll("*"), function (element) {
      Array.prototype.slice.call(element.attributes).forEach(function (attribute) {
        var name = attribute.name.toLowerCase();
        if (name.indexOf("on") === 0 || (URL_ATTRIBUTES.indexOf(name) >= 0 && !safeUrl(attribute.value))) {
          element.removeAttribute(attribute.name);
        }
      });
    });
    return content;
  }

  // --- slot decisions in the DOM --------------------------------------------------

  var defaults = new WeakMap(); // slot -> its default child nodes, kept to restore them
  var shown = new WeakMap(); // slot -> {html, nodes} of the variant we put there

  function showVariant(slot, decision) {
    var current = shown.get(slot);
    if (current && current.html === decision.html) return keepLateDefaults(slot, current);
    if (!defaults.has(slot)) defaults.set(slot, Array.prototype.slice.call(slot.childNodes));
    var content = cleanHtml(decision.html);
    var nodes = Array.prototype.slice.call(content.childNodes);
    shown.set(slot, { html: decision.html, nodes: nodes });
    slot.replaceChildren(content);
    slot.setAttribute("data-sk-variant", decision.variant);
  }

  // While the parser is still inside a slot we have filled, it goes on appending the
  // slot's default children; they join the kept defaults before anything is painted.
  function keepLateDefaults(slot, current) {
    Array.prototype.slice.call(slot.childNodes).forEach(function (node) {
      if (current.nodes.indexOf(node) >= 0) return;
      defaults.get(slot).push(node);
      slot.removeChild(node);
    });
  }

  function showDefault(slot) {
    var original = defaults.get(slot);
    if (!original || !shown.has(slot)) return;
    shown.delete(slot);
    slot.replaceChildren.apply(slot, original);
    slot.removeAttribute("data-sk-variant");
  }

  // Returns how many slots now show a variant.
  function applyDecisions(decisions, only) {
    var decided = decisions.slots || {};
    var slots = only || document.querySelectorAll("[data-sk-slot]");
    var showing = 0;
    for (var i = 0; i < slots.length; i++) {
      var decision = decided[slots[i].getAttribute("data-sk-slot")];
      if (decision && typeof decision.html === "string") { showVariant(slots[i], decision); showing++; }
      else showDefault(slots[i]);
    }
    return showing;
  }

  // Our localStorage entries: {key: value}.
  function storedKeys() {
    var kept = {};
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(KEY_PREFIX) === 0) kept[key] = localStorage.getItem(key);
      }
    } catch (error) { /* storage blocked: nothing kept */ }
    return kept;
  }

  function readKey(key) {
    try { return localStorage.getItem(key); } catch (error) { return null; } // storage blocked
  }

  function writeKey(key, value) {
    try { localStorage.setItem(key, value); } catch (error) { /* full or blocked: nothing kept */ }
  }

  // The last decision of each slot, from whichever page made it, for up to a week.
  function storedDecisions() {
    try {
      var stored = JSON.parse(readKey(DECISIONS_KEY) || "null");
      if (!stored || typeof stored.slots !== "object" || !stored.slots) return null;
      var slots = {};
      Object.keys(stored.slots).forEach(function (name) {
        var slot = stored.slots[name];
        var at = slot && typeof slot.at === "number" ? slot.at : stored.made_at_ms;
        if (slot && Date.now() - at < DECISIONS_MAX_AGE_MS) slots[name] = slot;
      });
      return { made_at_ms: stored.made_at_ms, model_version: stored.model_version, slots: slots };
    } catch (error) { /* unreadable: nothing to apply */ }
    return null;
  }

  // Only slots are kept: shelves, re-ranking and popups belong to the page they were made for.
  function storeDecisions(decisions) {
    if (erased) return;
    // Every slot the engine decided, on this page and elsewhere (slots_elsewhere: the config's
    // other slots, null for the default), so the next page applies its own before first
    // paint; a slot it did not mention keeps what an earlier page stored.
    var previous = storedDecisions();
    var onPage = (context && context.slots) || [];
    var elsewhere = decisions.slots_elsewhere && typeof decisions.slots_elsewhere === "object" ? decisions.slots_elsewhere : {};
    var slots = {};
    var keep = function (name, decided) {
      if (decided && typeof decided.html === "string") {
        slots[name] = { variant: decided.variant, html: decided.html, reason: decided.reason, at: decisions.made_at_ms };
      }
    };
    Object.keys((previous && previous.slots) || {}).forEach(function (name) {
      if (onPage.indexOf(name) < 0 && !Object.prototype.hasOwnProperty.call(elsewhere, name)) slots[name] = previous.slots[name];
    });
    Object.keys(elsewhere).forEach(function (name) { keep(name, elsewhere[name]); });
    Object.keys(decisions.slots || {}).forEach(function (name) { keep(name, decisions.slots[name]); });
    writeKey(DECISIONS_KEY, JSON.stringify({ made_at_ms: decisions.made_at_ms, model_version: decisions.model_version, slots: slots }));
  }

  // Apply the previous page view's decisions to each slot as the parser inserts it, so
  // the shopper never sees the default first (with the plain tag in <head>, in every engine).
  function applyStoredDecisions() {
    var stored = storedDecisions();
    if (!stored) return;
    var marked = false;
    var apply = function () {
      if (applyDecisions(stored) && !marked) {
        marked = true;
        performance.mark("shopkeeper:stored-decisions-applied");
      }
    };
    apply();
    if (document.readyState !== "loading") return;
    var observer = new MutationObserver(apply);
    observer.observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", function () { apply(); observer.disconnect(); });
  }

  // --- local event store ----------------------------------------------------------

  var opened = null; // Promise of the one connection this page keeps
  var queue = [];
  var pending = null; // Promise of the write that takes the queued events
  var pruned = false;
  // Chromium aborts IndexedDB transactions of a page that is going away, even committed
  // ones, so what is not yet stored when the page is hidden goes to localStorage (which
  // writes synchronously) under a key of this page view; the next page view moves it over.
  var unsaved = [];
  var outboxKey = OUTBOX_PREFIX + Date.now().toString(36) + Math.random().toString(36).slice(2);
  var outboxWritten = false;
  // While the page is hidden, events go to the outbox only: an IndexedDB write started as
  // a page goes away is aborted by Chromium, committed by Firefox (and then moved again
  // from the outbox), and in WebKit it leaves the store locked for the next page while
  // this one sits in the back/forward cache (onHide, onShow).
  var leaving = false;
  var held = []; // recorded while leaving

  function openDatabase(create) {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB.name, DB.version);
      request.onupgradeneeded = function (event) {
        if (!create) return request.transaction.abort(); // reading must not create what erase() deleted
        if (event.oldVersion === 0) request.result.createObjectStore(EVENTS, { autoIncrement: true });
        else migrate(request.transaction.objectStore(EVENTS), event.oldVersion);
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function database() {
    if (erased) return Promise.reject(new Error("erased"));
    if (!opened) {
      opened = openDatabase(true).then(function (db) {
        // An erase (here or in another tab) waits for every connection to close.
        db.onversionchange = function () { db.close(); opened = null; };
        return db;
      });
    }
    return opened;
  }

  // Records of an older stored format, brought up to this one in the upgrade's own
  // transaction (so another tab never sees half of it): each through this format's
  // cleaner with its time kept (contract.py "migrations"); one a cleaner refuses goes.
  function migrate(store, fromVersion) {
    if (CONTRACT.migrations[String(fromVersion)] !== "clean") return;
    store.openCursor().onsuccess = function (moved) {
      var cursor = moved.target.result;
      if (!cursor) return;
      var old = cursor.value;
      var event = old && cleanEvent(old.type, old);
      if (event && typeof old.ts === "number" && isFinite(old.ts)) {
        event.ts = old.ts;
        cursor.update(event);
      } else {
        cursor.delete();
      }
      cursor.continue();
    };
  }

  // Oldest first: drop events past a year and any beyond MAX_EVENTS, once per page view.
  function prune(store) {
    var oldest = Date.now() - MAX_AGE_MS;
    store.count().onsuccess = function (counted) {
      var excess = counted.target.result - MAX_EVENTS;
      store.openCursor().onsuccess = function (moved) {
        var cursor = moved.target.result;
        if (!cursor || (excess <= 0 && cursor.value.ts >= oldest)) return;
        excess--;
        cursor.delete();
        cursor.continue();
      };
    };
  }

  function writeEvents(batch) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(EVENTS, "readwrite");
        var store = transaction.objectStore(EVENTS);
        batch.forEach(function (event) { store.add(event); });
        if (!pruned) { pruned = true; prune(store); }
        transaction.oncomplete = function () {
          unsaved = unsaved.filter(function (event) { return batch.indexOf(event) < 0; });
          if (outboxWritten) saveOutbox();
          resolve();
        };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error || new Error("the write was aborted")); };
      });
    });
  }

  // Events of one task share a transaction, started in a microtask: at pagehide it still
  // begins before the page goes away.
  function enqueue(event) {
    stampPage(event);
    unsaved.push(event);
    if (leaving) {
      held.push(event);
      return saveOutbox();
    }
    queue.push(event);
    writeQueueSoon();
  }

  // The page an event was recorded on, also when it is stored by a later page view from
  // the outbox; events recorded before <body> was parsed get it once the DOM is ready.
  var early = [];
  function stampPage(event) {
    if (event.page) return;
    if (!document.body) return early.push(event);
    var page = pageKind || pageAbout("page");
    if (page) event.page = page;
  }

  function writeQueueSoon() {
    if (!pending) {
      pending = domReady().then(function () { return consentGiven; }).then(function (given) {
        if (!given) throw new Error("no consent");
        return drained;
      }).then(function () {
        pending = null;
        early.splice(0).forEach(stampPage);
        return writeEvents(queue.splice(0));
      });
      pending.catch(storageFailed);
    }
    return pending;
  }

  function saveOutbox() {
    if (erased || !consented) return;
    try {
      if (unsaved.length) localStorage.setItem(outboxKey, JSON.stringify(unsaved.slice(-OUTBOX_LIMIT)));
      else if (outboxWritten) localStorage.removeItem(outboxKey);
      outboxWritten = unsaved.length > 0;
    } catch (error) { /* storage blocked or full: these events are lost */ }
  }

  // Earlier page views' outboxes, claimed (removed) at once so that another tab cannot move
  // them too, and written before this page's own events. A write the browser did commit
  // although the page went away left its events in the outbox as well: those already
  // among the newest stored records are not written twice.
  var drained = Promise.resolve();
  function drainOutboxes() {
    var moved = [];
    var keys = Object.keys(storedKeys()).filter(function (key) { return key.indexOf(OUTBOX_PREFIX) === 0; });
    keys.forEach(function (key) {
      var saved = [];
      try {
        saved = JSON.parse(localStorage.getItem(key));
        localStorage.removeItem(key);
      } catch (error) { /* unreadable: dropped */ }
      (Array.isArray(saved) ? saved.slice(-OUTBOX_LIMIT) : []).forEach(function (old) {
        var event = old && cleanEvent(old.type, old);
        if (event && typeof old.ts === "number" && isFinite(old.ts)) { event.ts = old.ts; moved.push(event); }
      });
    });
    if (!moved.length) return;
    unsaved.push.apply(unsaved, moved); // this page's own outbox keeps them until they are stored
    drained = newestRecords(moved.length + OUTBOX_LIMIT).then(function (stored) {
      var known = {};
      stored.forEach(function (record) { known[sameness(record)] = true; });
      return moved.filter(function (event) { return !known[sameness(event)]; });
    }, function () { return moved; }).then(function (missing) {
      unsaved = unsaved.filter(function (event) { return moved.indexOf(event) < 0 || missing.indexOf(event) >= 0; });
      queue.unshift.apply(queue, missing);
      writeQueueSoon();
    });
  }

  function newestRecords(count) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var found = [];
        var request = db.transaction(EVENTS, "readonly").objectStore(EVENTS).openCursor(null, "prev");
        request.onsuccess = function () {
          var cursor = request.result;
          if (!cursor || found.length >= count) return resolve(found);
          found.push(cursor.value);
          cursor.continue();
        };
        request.onerror = function () { reject(request.error); };
      });
    });
  }

  // Two records are the same event when every field and the millisecond agree.
  function sameness(record) {
    var cleaned = record && cleanEvent(record.type, record);
    if (!cleaned) return "";
    cleaned.ts = record.ts;
    return JSON.stringify(Object.keys(cleaned).sort().map(function (key) { return [key, cleaned[key]]; }));
  }

  function storageFailed(error) {
    if (!erased && consented) report("events cannot be stored in this browser (" + ((error && error.name) || error) + ")", error);
  }

  // What is stored, once this page view's queued events are (without consent they wait
  // in memory, and nothing here may create the database).
  function readEvents() {
    var writing = capturing && consented;
    var written = pending && writing ? pending.catch(function () {}) : Promise.resolve();
    return written.then(function () {
      if (erased) return [];
      var connection = writing ? database() : openDatabase(false);
      return connection.then(function (db) {
        return new Promise(function (resolve, reject) {
          var request = db.transaction(EVENTS, "readonly").objectStore(EVENTS).getAll();
          request.onsuccess = function () { if (!writing) db.close(); resolve(request.result); };
          request.onerror = function () { if (!writing) db.close(); reject(request.error); };
        });
      }, function () { return []; });
    });
  }

  // The registration keeps nothing of the shopper's, but an erase leaves no trace of us.
  function forgetServiceWorker() {
    if (!navigator.serviceWorker || !window.isSecureContext) return;
    navigator.serviceWorker.getRegistration(serviceWorkerScope()).then(function (registration) {
      if (registration && registration.scope === serviceWorkerScope()) registration.unregister();
    }).catch(function () {});
  }

  function erase() {
    erased = true;
    queue = [];
    unsaved = [];
    var closing = opened ? opened.then(function (db) { db.close(); }, function () {}) : Promise.resolve();
    opened = null;
    Object.keys(storedKeys()).forEach(function (key) {
      try { localStorage.removeItem(key); } catch (error) { /* storage blocked: nothing of ours is there */ }
    });
    if (api.request) api.request("forget").catch(function () {});
    forgetServiceWorker();
    // The model shards the worker kept for the shopper's pages (docs/shards.md); the worker
    // deletes them too, but it may not be running.
    if (window.caches) window.caches.delete(CONTRACT.shard_cache.name).catch(function () {});
    return closing.then(function () {
      return new Promise(function (resolve, reject) {
        var request = indexedDB.deleteDatabase(DB.name);
        request.onsuccess = function () { resolve(true); };
        request.onerror = function () { reject(request.error); };
      });
    });
  }

  // --- events: validation, sources, capture ----------------------------------------

  function cleanText(value, limit) {
    if (typeof value === "number" && isFinite(value)) value = String(value);
    return typeof value === "string" ? value.trim().slice(0, limit) : "";
  }

  function cleanNumber(value) { // GA4 sends numbers and numeric strings
    var number = typeof value === "string" && value.trim() ? Number(value) : value;
    return typeof number === "number" && isFinite(number) ? number : null;
  }

  function cleanQuantity(value) {
    var number = cleanNumber(value);
    return number === null ? 1 : Math.max(1, Math.min(SCHEMA.max_quantity, Math.round(number)));
  }

  function cleanItems(list) {
    var items = [];
    for (var i = 0; Array.isArray(list) && i < list.length && items.length < SCHEMA.max_items; i++) {
      var product = list[i] && cleanText(list[i].product, TEXT_LIMITS.product);
      if (!product) continue;
      var item = { product: product, quantity: cleanQuantity(list[i].quantity) };
      var price = cleanNumber(list[i].price);
      if (price !== null && price >= 0) item.price = price;
      items.push(item);
    }
    return items;
  }

  // A stored event of the contract's schema, or null when the type or its key field is missing.
  function cleanEvent(type, data) {
    if (typeof type !== "string" || !Object.prototype.hasOwnProperty.call(SCHEMA.types, type)) return null;
    data = data && typeof data === "object" ? data : {};
    var event = { type: type, ts: Date.now() };
    Object.keys(TEXT_LIMITS).forEach(function (field) {
      var text = cleanText(data[field], TEXT_LIMITS[field]);
      if (text) event[field] = text;
    });
    SCHEMA.numbers.forEach(function (field) {
      var number = cleanNumber(data[field]);
      if (number !== null && number >= 0) event[field] = field === "scroll_pct" ? Math.min(SCHEMA.max_scroll_pct, number) : number;
    });
    if (data.quantity !== undefined) event.quantity = cleanQuantity(data.quantity);
    if (data.discount === true) event.discount = true;
    var items = cleanItems(data.items);
    if (items.length) event.items = items;
    var needed = SCHEMA.types[type].requires;
    if (type === "purchase" ? !(items.length || event.value > 0) : needed && !event[needed]) return null;
    return event;
  }

  var sightings = []; // {key, source, ts, paired}: recent actions, to pair the same one from two sources

  function duplicate(event, source) {
    var within = PAIR_WITHIN_MS[event.type];
    if (!within) return false;
    var key = event.type + "\n" + (event.product || (event.query || "").toLowerCase());
    for (var i = 0; i < sightings.length; i++) {
      var seen = sightings[i];
      if (seen.key === key && seen.source !== source && !seen.paired && event.ts - seen.ts <= within) {
        seen.paired = true;
        return true;
      }
    }
    sightings.push({ key: key, source: source, ts: event.ts, paired: false });
    return false;
  }

  // source: "page" (markup), "api" (track), "ga4" (dataLayer) or "shopkeeper" (our own UI).
  function record(type, data, source) {
    if (!capturing || stopped || erased) return false;
    var event = cleanEvent(type, data);
    if (!event || duplicate(event, source)) return false;
    enqueue(event);
    return true;
  }

  // What shopkeeper.page() said of this route, else what <body> says the page is about,
  // else the URL parameter the tag names for it.
  function pageAbout(field) {
    if (route && typeof route[field] === "string") return route[field];
    var marked = attribute(document.body, "data-sk-" + field);
    if (marked || !options.params[field]) return marked;
    return new URLSearchParams(location.search).get(options.params[field]) || "";
  }

  function pageEvents() {
    var page = pageKind = pageAbout("page");
    var product = pageAbout("product");
    var category = pageAbout("category");
    var query = pageAbout("search");
    // The engine reads utm parameters and the referrer's host; a fragment can hold tokens.
    var url = location.href.split("#")[0];
    record("page_view", { page: page, product: product, category: category, url: url, referrer: referrer }, "page");
    if (product) record("product_view", { product: product }, "page");
    if (query) record("search", { query: query }, "page");
  }

  function onAddToCart(event) {
    var button = event.target && event.target.closest && event.target.closest("[data-sk-add-to-cart]");
    if (!button) return;
    record("add_to_cart", {
      product: button.getAttribute("data-sk-add-to-cart") || pageAbout("product"),   // "": the page's product
      price: attribute(button, "data-sk-price"),
      quantity: quantityOf(button),
    }, "page");
  }

  // data-sk-quantity holds the quantity, or names the input that does ("#qty"): a
  // template's stepper is read at the moment of the click.
  function quantityOf(button) {
    var given = attribute(button, "data-sk-quantity");
    if (!given || isFinite(Number(given))) return given || 1;
    var input = null;
    try { input = document.querySelector(given); } catch (error) { /* not a selector: quantity 1 */ }
    return input && "value" in input ? input.value : 1;
  }

  // GA4: gtag pushes its Arguments ['event', name, params]; GTM pushes {event, ecommerce}.
  function fromDataLayer(entry) {
    if (!entry || typeof entry !== "object") return;
    var name, params;
    if (Array.isArray(entry) || Object.prototype.toString.call(entry) === "[object Arguments]") {
      if (entry[0] === "consent") return fromConsentMode(entry[1], entry[2]);
      if (entry[0] !== "event") return;
      name = entry[1];
      params = entry[2] || {};
    } else {
      name = entry.event;
      params = entry.ecommerce || {};
      if (entry.search_term !== undefined) params = { search_term: entry.search_term };
    }
    var type = typeof name === "string" && Object.prototype.hasOwnProperty.call(GA4_EVENTS, name) && GA4_EVENTS[name];
    if (!type || typeof params !== "object") return;
    var items = (Array.isArray(params.items) ? params.items : []).map(function (item) {
      return item ? { product: item.item_id, quantity: item.quantity, price: item.price, discount: item.discount } : {};
    });
    if (type === "search") return record(type, { query: params.search_term }, "ga4");
    if (type === "purchase") {
      return record(type, {
        items: items, value: params.value,
        discount: !!cleanText(params.coupon, 100) || items.some(function (item) { return cleanNumber(item.discount) > 0; }),
      }, "ga4");
    }
    items.forEach(function (item) {
      record(type, type === "product_view" ? { product: item.product } : item, "ga4");
    });
  }

  var watchedLayer = null;
  function watchDataLayer() {
    var layer = window.dataLayer;
    if (!Array.isArray(layer) || layer === watchedLayer || stopped) return;
    watchedLayer = layer;
    var push = layer.push;
    var seeAll = function (entries) {
      for (var i = 0; i < entries.length; i++) {
        try { fromDataLayer(entries[i]); } catch (error) { /* someone else's odd entry: not ours to judge */ }
      }
    };
    seeAll(layer.slice());
    layer.push = function () {
      var result = push.apply(this, arguments);
      if (!stopped) seeAll(arguments);
      return result;
    };
  }

  // Engagement: visible time and deepest scroll, recorded once when the page is first hidden.
  var visibleFor = 0;
  var visibleSince = document.visibilityState === "visible" ? performance.now() : null;
  var deepest = 0;
  var engaged = false;
  var scrollQueued = false;

  function visibleMs() {
    return visibleFor + (visibleSince === null ? 0 : performance.now() - visibleSince);
  }

  function scrollDepth() {
    var height = document.documentElement.scrollHeight;
    return height ? Math.min(100, Math.round((window.scrollY + window.innerHeight) / height * 100)) : 0;
  }

  function onScroll() {
    if (scrollQueued) return;
    scrollQueued = true;
    requestAnimationFrame(function () { scrollQueued = false; deepest = Math.max(deepest, scrollDepth()); });
  }

  function recordEngagement() {
    if (engaged) return;
    engaged = true;
    record("engagement", { dwell_ms: Math.round(visibleMs()), scroll_pct: Math.max(deepest, scrollDepth()), page: pageKind }, "page");
  }

  // Hidden, the page may be going away for good: what it records from then on goes to the
  // outbox only, until it is shown again.
  function onHide() {
    leaving = true;
    recordEngagement();
    saveOutbox();
  }

  // Shown again (a tab switch back, or a page restored from the back/forward cache): the
  // events held in the outbox are written now, unless another page view already claimed
  // the outbox (and so wrote them itself).
  function onShow() {
    if (!leaving) return;
    leaving = false;
    var taken = held.splice(0);
    if (outboxWritten && readKey(outboxKey) === null) {
      unsaved = unsaved.filter(function (kept) { return taken.indexOf(kept) < 0; });
      outboxWritten = false;
    } else if (taken.length) {
      queue.push.apply(queue, taken);
      writeQueueSoon();
    }
  }

  function onPageShow(event) {
    if (event.persisted) onShow();
  }

  function onVisibilityChange() {
    if (document.visibilityState === "hidden") {
      if (visibleSince !== null) visibleFor += performance.now() - visibleSince;
      visibleSince = null;
      onHide();
    } else {
      if (visibleSince === null) visibleSince = performance.now();
      onShow();
    }
  }

  // --- consent ---------------------------------------------------------------------------
  // With data-sk-consent="required" on the tag, or where the page uses Google Consent Mode
  // (a gtag('consent', ...) entry naming personalization_storage), nothing is stored and
  // the page keeps its defaults until the shopper consents. Events of this page view wait
  // in memory until then. The latest answer wins: shopkeeper.consent(bool), a Consent Mode
  // "update", or, before either, a Consent Mode "default", else a grant kept from an
  // earlier page view. Withdrawing (false, or an "update" denying) erases everything.
  var consentRequired = script.getAttribute("data-sk-consent") === "required";
  var answer = null;          // true, false or null: the latest consent signal of this page view
  var consented = false;      // storage allowed now
  var settled = false;        // consentGiven has resolved
  var consentDecidable = false; // the page's head scripts have run (DOMContentLoaded)
  var resolveConsent = null;
  var consentGiven = new Promise(function (resolve) { resolveConsent = resolve; });

  function grantedNow() {
    if (answer !== null) return answer;
    return !consentRequired || readKey(CONSENT_KEY) === "granted";
  }

  function settleConsent(given) {
    if (settled) return;
    settled = true;
    consented = given;
    if (given) drainOutboxes(); // earlier page views' events go first
    resolveConsent(given);
  }

  // Called once the page's head scripts (and so a Consent Mode default) have run.
  function decideConsent() {
    consentDecidable = true;
    if (grantedNow()) settleConsent(true);
  }

  // source: "call" (shopkeeper.consent), or Consent Mode's "default" or "update".
  function giveConsent(granted, source) {
    if (navigator.globalPrivacyControl === true || erased) return false;
    answer = granted;
    if (granted) {
      if (consentRequired || source !== "default") writeKey(CONSENT_KEY, "granted");
      if (consentDecidable) settleConsent(true);
      return true;
    }
    if (source === "default") return false; // a default denial holds until an update
    settleConsent(false);
    consented = false;
    api.privacy.erase();
    return false;
  }

  // gtag('consent', 'default' | 'update', {personalization_storage: 'granted' | 'denied'})
  function fromConsentMode(command, params) {
    if ((command !== "default" && command !== "update") || !params || typeof params !== "object") return;
    var value = params.personalization_storage;
    if (value === "granted" || value === "denied") giveConsent(value === "granted", command);
  }

  // --- the page context and the visitor ----------------------------------------------

  function randomId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16)); // RFC 4122 version 4 by hand, for http: pages
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (byte) { return (byte + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function visitorId() {
    var id = readKey(VISITOR_KEY) || "";
    if (!/^[0-9a-f-]{36}$/.test(id)) {
      id = randomId();
      writeKey(VISITOR_KEY, id);
    }
    return id;
  }

  function shelfCount(shelf) {
    var count = parseInt(attribute(shelf, "data-sk-count"), 10);
    return count > 0 ? Math.min(CONTRACT.context.max_count, count) : CONTRACT.context.default_count;
  }

  function listing(container) {
    var ids = [];
    for (var i = 0; container && i < container.children.length && ids.length < LISTING_LIMIT; i++) {
      var id = attribute(container.children[i], "data-sk-item");
      if (id) ids.push(id);
    }
    return ids;
  }

  // The shape engine/events.py parse_context reads; the engine derives the cart from events.
  function pageContext() {
    var names = function (selector, name) {
      return Array.prototype.map.call(document.querySelectorAll(selector), function (element) { return attribute(element, name); });
    };
    var grid = document.querySelector("[data-sk-rerank]");
    var items = listing(grid);
    var placements = Array.prototype.map.call(document.querySelectorAll("[data-sk-recs]"), function (shelf) {
      return { name: attribute(shelf, "data-sk-recs"), count: shelfCount(shelf) };
    });
    // A re-ranked grid is a placement too (strategy "rerank" in the site config).
    if (grid && items.length) placements.push({ name: attribute(grid, "data-sk-rerank"), count: Math.min(items.length, CONTRACT.context.max_count) });
    return {
      page: pageAbout("page"),
      product: pageAbout("product"),
      category: pageAbout("category"),
      slots: names("[data-sk-slot]", "data-sk-slot"),
      placements: placements,
      url: location.href,
      referrer: referrer,
      user_agent: navigator.userAgent,
      viewport_width: window.innerWidth,
      tz_offset_minutes: -new Date().getTimezoneOffset(),
      locale: navigator.language || "",
      visitor_id: visitorId(),
      listing: items,
    };
  }

  // --- the worker and our modules ------------------------------------------------------

  // After DOMContentLoaded, so that the page's deferred scripts (a template that fills the
  // page in from the URL) have run: readyState turns "interactive" before they run.
  function domReady() {
    return new Promise(function (resolve) {
      var navigation = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
      var loaded = document.readyState === "complete" ||
        (document.readyState === "interactive" && (!navigation || navigation.domContentLoadedEventStart > 0));
      if (loaded) resolve();
      else document.addEventListener("DOMContentLoaded", resolve, { once: true });
    });
  }

  function afterLoadAndIdle() {
    return new Promise(function (resolve) {
      var idle = function () {
        if (window.requestIdleCallback) requestIdleCallback(resolve, { timeout: 200 });
        else setTimeout(resolve, 0);
      };
      if (document.readyState === "complete") idle();
      else window.addEventListener("load", idle, { once: true });
    });
  }

  var manifest = null;
  function fetchManifest() {
    if (!manifest) {
      manifest = fetch(options.manifest, { credentials: "same-origin", priority: "low" }).then(function (response) {
        if (!response.ok) throw new Error("manifest " + options.manifest + " answered " + response.status);
        return response.json();
      });
    }
    return manifest;
  }

  // A module import that fails is tried once more a second later before it counts: Firefox
  // aborts a page's pending imports as soon as the shopper follows a link, before pagehide,
  // and a page that has gone by then runs no timer, so it reports nothing. The retry asks
  // for the URL with a query, since a document may keep a failed module fetch for its life.
  var MODULE_RETRY_MS = 1000;
  var modules = {};
  function loadModule(name) {
    if (!modules[name]) {
      var importModule = function (query) {
        return fetchManifest().then(function (listed) {
          var file = listed.modules && listed.modules[name];
          if (!file) throw new Error("the manifest names no " + name + " module; rebuild the runtime");
          return import(new URL(file, options.manifest).href + query);
        });
      };
      modules[name] = importModule("").catch(function () {
        return new Promise(function (resolve) { setTimeout(resolve, MODULE_RETRY_MS); }).then(function () {
          return importModule("?retry");
        });
      });
      modules[name].catch(function () { delete modules[name]; }); // a later page view may try again
    }
    return modules[name];
  }

  // {worker, port}: the object that reports a failed start, and the one to talk through.
  // One boot should serve the whole visit: a SharedWorker with an extended lifetime
  // survives same-tab navigations (Chromium); elsewhere a service worker does, since the
  // browser keeps it a while after its last message, whatever becomes of the pages (a
  // SharedWorker there lives only as long as a page that holds it, which a page sent
  // no-store is not); else a SharedWorker, else a dedicated worker per page.
  function startWorker(url) {
    if (typeof SharedWorker !== "undefined" && knowsExtendedLifetime()) return sharedWorker(url);
    if (navigator.serviceWorker && window.isSecureContext) return serviceWorker(url);
    return pageWorker(url);
  }

  // The options are read before the (invalid) URL is parsed, so this starts no worker.
  function knowsExtendedLifetime() {
    var known = false;
    try {
      new SharedWorker("http://[", { get extendedLifetime() { known = true; return true; } });
    } catch (error) { /* the invalid URL, as intended */ }
    return known;
  }

  function sharedWorker(url) {
    var shared = new SharedWorker(url, { type: "module", name: "shopkeeper", extendedLifetime: true });
    shared.port.start();
    return { worker: shared, port: shared.port };
  }

  function pageWorker(url) {
    if (typeof SharedWorker !== "undefined") {
      try { return sharedWorker(url); } catch (error) { /* fall through to a dedicated worker */ }
    }
    var dedicated = new Worker(url, { type: "module", name: "shopkeeper" });
    return { worker: dedicated, port: dedicated };
  }

  function serviceWorkerScope() {
    return new URL("./", options.manifest).href;
  }

  // A module service worker for the published directory (it handles no fetch). Where it
  // cannot be registered (a browser's private mode, a policy), a page worker stands in.
  function serviceWorker(url) {
    var container = navigator.serviceWorker;
    var errorListeners = [];
    var channel = {
      onmessage: null,
      addEventListener: function (type, listener) { if (type === "error") errorListeners.push(listener); },
      postMessage: function (message) { target.then(function (worker) { worker.postMessage(message); }); },
    };
    var target = container.register(url, { type: "module", scope: serviceWorkerScope() })
      .then(function (registration) { return activeWorker(registration, url); })
      .catch(function () {
        var standIn = pageWorker(url);
        standIn.port.onmessage = function (message) { if (channel.onmessage) channel.onmessage(message); };
        standIn.worker.addEventListener("error", function (event) {
          errorListeners.forEach(function (listener) { listener(event); });
        });
        return standIn.port;
      });
    container.addEventListener("message", function (message) {
      if (channel.onmessage && message.source && message.source.scriptURL === url) channel.onmessage(message);
    });
    container.startMessages();
    return { worker: channel, port: channel, keepAlive: true };
  }

  function activeWorker(registration, url) {
    var worker = [registration.active, registration.waiting, registration.installing].filter(function (candidate) {
      return candidate && candidate.scriptURL === url;
    })[0];
    if (!worker) return Promise.reject(new Error("no service worker for " + url));
    return new Promise(function (resolve, reject) {
      var settle = function () {
        if (worker.state === "activated") resolve(worker);
        else if (worker.state === "redundant") reject(new Error("the service worker " + url + " could not start"));
      };
      worker.addEventListener("statechange", settle);
      settle();
    });
  }

  function connect(listed) {
    var url = new URL(listed.worker, options.manifest).href;
    var started = startWorker(url);
    var port = started.port;
    var waiting = {};
    var nextId = 1;
    var failure = null;
    // A script that does not load (404, a type that is not JavaScript, worker-src) fires
    // error on the worker: every request fails now, not at its timeout.
    started.worker.addEventListener("error", function (event) {
      failure = new Error("the worker script " + url + " could not start" + (event && event.message ? " (" + event.message + ")" : "") +
        ": it must be reachable, served as JavaScript (text/javascript or application/javascript) and allowed by worker-src");
      Object.keys(waiting).forEach(function (id) { waiting[id].reject(failure); delete waiting[id]; });
    });
    port.onmessage = function (message) {
      var reply = message.data || {};
      var waiter = waiting[reply.id];
      if (!waiter) return;
      delete waiting[reply.id];
      if ("error" in reply) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.result);
    };
    var request = function (type, payload) {
      return new Promise(function (resolve, reject) {
        if (failure) return reject(failure);
        var id = nextId++;
        waiting[id] = { resolve: resolve, reject: reject };
        port.postMessage({ id: id, type: type, payload: payload });
        setTimeout(function () {
          if (waiting[id]) { delete waiting[id]; reject(new Error("the worker did not answer " + type)); }
        }, ANSWER_TIMEOUT_MS);
      });
    };
    // A service worker idle for about 30 s is ended, though a shopper may read a page for
    // minutes: while this page is shown, a status request every few seconds keeps it for
    // the next page view (it reaches no Python).
    if (started.keepAlive) {
      var timer = setInterval(function () {
        if (document.visibilityState === "visible" && !stopped && !erased) request("status").catch(function () {});
      }, KEEP_ALIVE_MS);
      removers.push(function () { clearInterval(timer); });
    }
    return request;
  }

  var listeners = {};
  var delivered = {};

  function deliver(listener, type, detail) {
    try { listener(detail); } catch (error) { console.error("[shopkeeper] a \"" + type + "\" listener threw", error); }
  }

  function on(type, listener) {
    if (typeof listener !== "function") return function () {};
    (listeners[type] = listeners[type] || []).push(listener);
    (delivered[type] || []).forEach(function (detail) { deliver(listener, type, detail); });
    return function off() {
      var list = listeners[type];
      if (list.indexOf(listener) >= 0) list.splice(list.indexOf(listener), 1);
    };
  }

  function emit(type, detail) {
    (delivered[type] = delivered[type] || []).push(detail);
    (listeners[type] || []).slice().forEach(function (listener) { deliver(listener, type, detail); });
  }

  var stopRender = null;
  function renderDecisions(decisions) {
    var needed = ["recs", "rerank", "popups", "exposures"].some(function (key) {
      return decisions[key] && typeof decisions[key] === "object" && Object.keys(decisions[key]).length > 0;
    });
    if (!needed) return;
    loadModule("render").then(function (renderer) {
      if (!stopped) stopRender = renderer.render(decisions, host);
    }).catch(function (error) { report("the decisions could not be rendered", error); });
  }

  // The model the manifest names, for the worker to load (once per model, not per page).
  function publishedModel(listed) {
    var model = listed && listed.model;
    if (!model || typeof model.name !== "string") return null;
    return { url: new URL(model.name, options.manifest).href, sha256: model.sha256, size: model.size };
  }

  // Page events are recorded at DOMContentLoaded (kept in memory until there is consent);
  // the worker starts after load, once there is consent, so that a first visit's runtime
  // download does not compete with the page's own (data-sk-start="dom-ready": at once).
  var worker = null; // Promise of {request, model} once the worker is started, null without consent
  function personalize() {
    var recorded = domReady().then(function () {
      pageEvents();
      watchDataLayer(); // commerce events already pushed, and a Consent Mode default
      decideConsent();
      watchRoutes();
      return consentGiven;
    }).then(function (given) {
      if (!given) return false;
      return (pending || Promise.resolve()).then(function () { return true; });
    });
    // With consent the manifest is fetched at once (it is the same for every visitor), so
    // the worker can start as soon as the page has loaded.
    var manifestFetched = recorded.then(function (given) { return given ? fetchManifest() : null; });
    manifestFetched.catch(function () {}); // reported through shopkeeper.ready
    var startable = options.startAtDomReady ? Promise.resolve() : afterLoadAndIdle();
    worker = Promise.all([recorded, startable]).then(function (results) {
      if (!results[0]) return null;
      return manifestFetched.then(function (listed) {
        performance.mark("shopkeeper:worker-starting");
        var request = connect(listed);
        api.request = request;
        request("status").then(function () { performance.mark("shopkeeper:worker-ready"); }, function () {});
        return { request: request, model: publishedModel(listed) };
      });
    });
    return decideView();
  }

  // The page view's decisions (shopkeeper.ready); a failure is reported once, not thrown.
  function awaitDecisions(decisions) {
    api.ready = decisions;
    decisions.catch(function (error) { report("personalization is off for this page view", error); });
  }

  // Fresh decisions for the page as it is now. A request a later one overtook (a route
  // change, slots or shelves the page inserted since) answers with the later one's.
  var asked = 0;
  var unread = false; // a request has not yet read the page: what is inserted now, it will see
  function decideView() {
    var mine = ++asked;
    unread = true;
    return worker.then(function (started) {
      if (!started || stopped || mine !== asked) return null;
      unread = false;
      api.context = context = pageContext();
      noteMarkers();
      return started.request("decide", { context: context, model: started.model });
    }).then(function (decisions) {
      if (mine !== asked) return api.ready; // the newer request's answer
      if (stopped || !decisions || typeof decisions !== "object") return decisions;
      if (decisions.warning) report(decisions.warning);
      applyDecisions(decisions);
      storeDecisions(decisions);
      // Timed only when the decisions came from the model (a refused one leaves defaults).
      if (!decisions.warning) performance.mark("shopkeeper:decisions-applied");
      document.dispatchEvent(new CustomEvent("shopkeeper:decisions", { detail: decisions }));
      emit("decisions", decisions);
      renderDecisions(decisions);
      return decisions;
    });
  }

  // --- single-page stores ------------------------------------------------------------------
  // A route change (history.pushState, replaceState to another URL, popstate, or
  // shopkeeper.page({page, product, category, search}) from a framework that says so) is a
  // page view: the route left gets its engagement event, the new one its page events and
  // fresh decisions once the framework has drawn it. Slots and shelves the page inserts
  // later get the stored slot decisions at once and fresh decisions soon after.
  var MARKERS = "[data-sk-slot], [data-sk-recs], [data-sk-rerank]";
  var routeTimer = null;
  var refreshTimer = null;
  var known = new WeakSet(); // the markers a decide request has read

  function newView(details) {
    var url = location.href.split("#")[0];
    if (stopped || erased || (!details && url === viewUrl)) return;
    recordEngagement();
    referrer = viewUrl;
    viewUrl = url;
    route = details;
    engaged = false;
    visibleFor = 0;
    visibleSince = document.visibilityState === "visible" ? performance.now() : null;
    deepest = 0;
    sightings = [];
    claimed = {};
    if (stopRender) { stopRender(); stopRender = null; }
    pageEvents();
    awaitDecisions(decideView());
  }

  // After the framework has drawn the route: a task, a frame (or 100 ms in a hidden tab).
  function afterRender(then) {
    var done = false;
    var once = function () { if (!done) { done = true; then(); } };
    setTimeout(function () { requestAnimationFrame(function () { setTimeout(once, 0); }); }, 0);
    setTimeout(once, 100);
  }

  function onRouteChange() {
    if (routeTimer) return;
    routeTimer = true;
    afterRender(function () {
      var mine = routeTimer;
      routeTimer = null;
      if (mine === true) newView(null); // else shopkeeper.page() took this route change
    });
  }

  function cleanRoute(details) {
    var cleaned = {};
    ["page", "product", "category", "search"].forEach(function (field) {
      var value = details && cleanText(details[field], TEXT_LIMITS[field === "search" ? "query" : field]);
      if (value) cleaned[field] = value;
    });
    return cleaned;
  }

  function watchRoutes() {
    ["pushState", "replaceState"].forEach(function (name) {
      var original = history[name];
      if (typeof original !== "function") return;
      history[name] = function () {
        var result = original.apply(this, arguments);
        if (!stopped) onRouteChange();
        return result;
      };
    });
    listen(window, "popstate", onRouteChange);
    var observer = new MutationObserver(onInserted);
    observer.observe(document.body, { childList: true, subtree: true });
    removers.push(function () { observer.disconnect(); });
  }

  function noteMarkers() {
    Array.prototype.forEach.call(document.querySelectorAll(MARKERS), function (element) { known.add(element); });
  }

  function onInserted(records) {
    if (!capturing || stopped || erased || !consented) return;
    var fresh = [];
    records.forEach(function (changed) {
      Array.prototype.forEach.call(changed.addedNodes, function (node) {
        if (node.nodeType !== 1) return;
        if (node.matches(MARKERS) && !known.has(node)) fresh.push(node);
        Array.prototype.forEach.call(node.querySelectorAll(MARKERS), function (inner) { if (!known.has(inner)) fresh.push(inner); });
      });
    });
    if (!fresh.length) return;
    fresh.forEach(function (element) { known.add(element); });
    var slots = fresh.filter(function (element) { return element.hasAttribute("data-sk-slot"); });
    var stored = slots.length && storedDecisions();
    if (stored) applyDecisions(stored, slots); // before the next paint: no flicker
    if (routeTimer || refreshTimer || unread || !worker) return; // a pending request will see them
    refreshTimer = setTimeout(function () {
      refreshTimer = null;
      awaitDecisions(decideView());
    }, 50);
  }

  // --- the shopper's controls ------------------------------------------------------------

  function withPrivacy(method) {
    return function () {
      return loadModule("privacy").then(function (privacy) { return privacy[method](host); })
        .catch(function (error) { report("the privacy panel could not be loaded", error); return false; });
    };
  }

  function onPrivacyControl(event) {
    var control = event.target && event.target.closest && event.target.closest("[data-sk-privacy]");
    if (!control || (event.type === "keydown" && event.key !== "Enter" && event.key !== " ")) return;
    // Buttons, and links on Enter, fire a click of their own.
    if (event.type === "keydown" && (control.tagName === "BUTTON" || (event.key === "Enter" && control.matches("a[href]")))) return;
    event.preventDefault();
    api.privacy.show();
  }

  function decoratePrivacyControls() {
    var controls = document.querySelectorAll("[data-sk-privacy]");
    for (var i = 0; i < controls.length; i++) {
      if (controls[i].tagName === "BUTTON") continue;
      controls[i].setAttribute("role", "button");
      if (!controls[i].hasAttribute("tabindex")) controls[i].setAttribute("tabindex", "0");
    }
  }

  var claimed = {};
  var host = {
    record: function (type, data) { return record(type, data, "shopkeeper"); },
    emit: emit,
    warn: report,
    claim: function (key) { return claimed[key] ? false : (claimed[key] = true); },
    visibleMs: visibleMs,
    readEvents: readEvents,
    erase: erase,
    context: function () { return context; },
    request: function (type, payload) {
      return api.request ? api.request(type, payload) : Promise.reject(new Error("the worker is not running"));
    },
    storage: storedKeys,
    cleanHtml: cleanHtml,
    safeUrl: safeUrl,
    shelfCount: shelfCount,
    defaultStyles: script.getAttribute("data-sk-styles") !== "none",
  };

  var api = {
    ready: null,
    request: null,
    context: null,
    host: host,
    track: function (type, data) { return record(type, data, "api"); },
    on: on,
    privacy: { show: withPrivacy("show"), "export": withPrivacy("exportData"), erase: function () {
      return erase().catch(function (error) { report("stored data could not be erased", error); return false; });
    } },
    consent: function (granted) { return giveConsent(granted === true, "call"); },
    page: function (details) {
      if (!capturing || stopped) return false;
      routeTimer = routeTimer ? "taken" : null;
      newView(cleanRoute(details));
      return true;
    },
    stop: function () {
      stopped = true;
      removers.splice(0).forEach(function (remove) { remove(); });
      if (stopRender) stopRender();
    },
  };
  window.shopkeeper = api;

  if (!supported()) return;
  listen(document, "click", onPrivacyControl);
  listen(document, "keydown", onPrivacyControl);
  domReady().then(decoratePrivacyControls);
  if (navigator.globalPrivacyControl === true) return; // GPC: record nothing, change nothing
  capturing = true;
  if (!consentRequired || readKey(CONSENT_KEY) === "granted") applyStoredDecisions();
  listen(window, "click", onAddToCart, true); // capture: before the page's own handlers push to dataLayer
  listen(window, "scroll", onScroll, { passive: true });
  listen(document, "visibilitychange", onVisibilityChange);
  listen(window, "pagehide", onHide);
  listen(window, "pageshow", onPageShow);
  listen(window, "load", watchDataLayer); // a dataLayer created after DOMContentLoaded
  awaitDecisions(personalize());
})();
