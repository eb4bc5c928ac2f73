// shopkeeper loader: the one <script> a merchant adds to every page.
//
//   <script src="/sk/shopkeeper.js" data-manifest="/sk/manifest.json" async blocking="render"></script>
//
// On the main thread it only (1) applies the decisions stored by the previous page view,
// before first paint, (2) records this page view in IndexedDB, and (3) after the page has
// loaded, starts the worker that runs Python and swaps in fresh decisions. Any failure
// leaves the merchant's default content in place and is reported once on the console.
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.shopkeeper) return;

  var DB_NAME = "shopkeeper"; // same database, version and store as web/worker.mjs
  var DB_VERSION = 1;
  var EVENTS = "events";
  var MAX_EVENTS = 2000;
  var DECISIONS_KEY = "shopkeeper:decisions";
  var DECISIONS_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
  var ANSWER_TIMEOUT_MS = 40000;

  var manifestUrl = new URL(script.getAttribute("data-manifest") || "manifest.json", script.src || location.href).href;
  var reported = false;
  var stopped = false;

  function report(message, error) {
    if (reported) return;
    reported = true;
    console.warn("[shopkeeper] " + message + "; the page keeps its default content.", error || "");
  }

  function supported() {
    return typeof indexedDB !== "undefined" && typeof Worker !== "undefined" &&
      typeof WebAssembly === "object" && typeof fetch === "function" && typeof Promise === "function";
  }

  // --- decisions in the DOM -------------------------------------------------------

  var defaults = new WeakMap(); // slot -> its default child nodes, kept to restore them
  var shown = new WeakMap(); // slot -> {html, nodes} of the variant we put there

  function showVariant(slot, decision) {
    var current = shown.get(slot);
    if (current && current.html === decision.html) return keepLateDefaults(slot, current);
    if (!defaults.has(slot)) defaults.set(slot, Array.prototype.slice.call(slot.childNodes));
    var template = document.createElement("template");
    template.innerHTML = decision.html; // rendered by the engine with every value escaped
    var nodes = Array.prototype.slice.call(template.content.childNodes);
    shown.set(slot, { html: decision.html, nodes: nodes });
    slot.replaceChildren(template.content);
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
  function applyDecisions(decisions) {
    var slots = document.querySelectorAll("[data-sk-slot]");
    var showing = 0;
    for (var i = 0; i < slots.length; i++) {
      var decision = decisions.slots[slots[i].getAttribute("data-sk-slot")];
      if (decision) { showVariant(slots[i], decision); showing++; }
      else showDefault(slots[i]);
    }
    return showing;
  }

  function storedDecisions() {
    try {
      var stored = JSON.parse(localStorage.getItem(DECISIONS_KEY) || "null");
      if (stored && stored.slots && Date.now() - stored.made_at_ms < DECISIONS_MAX_AGE_MS) return stored;
    } catch (error) { /* storage blocked or unreadable: nothing to apply */ }
    return null;
  }

  function storeDecisions(decisions) {
    try { localStorage.setItem(DECISIONS_KEY, JSON.stringify(decisions)); } catch (error) { /* full or blocked */ }
  }

  // Apply the previous page view's decisions to each slot as the parser inserts it, so
  // the shopper never sees the default first (with the tag in <head>, async blocking="render").
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

  function openEvents() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = function () { request.result.createObjectStore(EVENTS, { autoIncrement: true }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function recordEvents(events) {
    return openEvents().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(EVENTS, "readwrite");
        var store = transaction.objectStore(EVENTS);
        events.forEach(function (event) { store.add(event); });
        store.count().onsuccess = function (counted) {
          var excess = counted.target.result - MAX_EVENTS;
          if (excess <= 0) return;
          store.openCursor().onsuccess = function (cursorEvent) {
            var cursor = cursorEvent.target.result;
            if (cursor && excess-- > 0) { cursor.delete(); cursor.continue(); }
          };
        };
        transaction.oncomplete = function () { db.close(); resolve(); };
        transaction.onerror = transaction.onabort = function () { db.close(); reject(transaction.error); };
      });
    });
  }

  function pageContext() {
    var body = document.body;
    var slots = document.querySelectorAll("[data-sk-slot]");
    return {
      page: (body && body.getAttribute("data-sk-page")) || "",
      product: (body && body.getAttribute("data-sk-product")) || "",
      slots: Array.prototype.map.call(slots, function (slot) { return slot.getAttribute("data-sk-slot"); }),
    };
  }

  function pageEvents(context) {
    var now = Date.now();
    var events = [{ type: "page_view", ts: now, page: context.page, product: context.product }];
    if (context.product) events.push({ type: "product_view", ts: now, page: context.page, product: context.product });
    return events;
  }

  // --- the worker -----------------------------------------------------------------

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

  function startWorker(url) {
    // One SharedWorker with an extended lifetime survives same-tab navigations, so later
    // page views skip the boot; other browsers get a dedicated worker per page.
    if (typeof SharedWorker !== "undefined") {
      try {
        var shared = new SharedWorker(url, { type: "module", name: "shopkeeper", extendedLifetime: true });
        shared.port.start();
        return shared.port;
      } catch (error) { /* fall through to a dedicated worker */ }
    }
    return new Worker(url, { type: "module", name: "shopkeeper" });
  }

  function connect(manifest) {
    var port = startWorker(new URL(manifest.worker, manifestUrl).href);
    var pending = {};
    var nextId = 1;
    port.onmessage = function (message) {
      var reply = message.data || {};
      var waiter = pending[reply.id];
      if (!waiter) return;
      delete pending[reply.id];
      if ("error" in reply) waiter.reject(new Error(reply.error));
      else waiter.resolve(reply.result);
    };
    return function request(type, payload) {
      return new Promise(function (resolve, reject) {
        var id = nextId++;
        pending[id] = { resolve: resolve, reject: reject };
        port.postMessage({ id: id, type: type, payload: payload });
        setTimeout(function () {
          if (pending[id]) { delete pending[id]; reject(new Error("the worker did not answer " + type)); }
        }, ANSWER_TIMEOUT_MS);
      });
    };
  }

  function fetchManifest() {
    return fetch(manifestUrl, { credentials: "same-origin", priority: "low" }).then(function (response) {
      if (!response.ok) throw new Error("manifest " + manifestUrl + " answered " + response.status);
      return response.json();
    });
  }

  function domReady() {
    return new Promise(function (resolve) {
      if (document.readyState !== "loading") resolve();
      else document.addEventListener("DOMContentLoaded", resolve, { once: true });
    });
  }

  function personalize() {
    var context;
    var recorded = domReady().then(function () {
      context = pageContext();
      return recordEvents(pageEvents(context));
    });
    return Promise.all([recorded, afterLoadAndIdle().then(fetchManifest)])
      .then(function (results) {
        var request = connect(results[1]);
        api.request = request;
        request("status").then(function () { performance.mark("shopkeeper:worker-ready"); }, function () {});
        return request("decide", { context: context });
      })
      .then(function (decisions) {
        if (stopped) return decisions;
        applyDecisions(decisions);
        storeDecisions(decisions);
        performance.mark("shopkeeper:decisions-applied");
        document.dispatchEvent(new CustomEvent("shopkeeper:decisions", { detail: decisions }));
        return decisions;
      });
  }

  var api = {
    ready: null,
    request: null,
    stop: function () { stopped = true; },
  };
  window.shopkeeper = api;

  if (!supported()) return;
  if (navigator.globalPrivacyControl === true) return; // GPC: record nothing, change nothing
  applyStoredDecisions();
  api.ready = personalize();
  api.ready.catch(function (error) { report("personalization is off for this page view", error); });
})();
