// shopkeeper's worker: boots Pyodide once and answers the loader's requests.
//
// Messages are {id, type, payload} -> {id, result} or {id, error} (docs/worker-protocol.md;
// the request types are the contract's, py_src/shopkeeper/contract.py). One boot should
// serve every page of the visit, so it runs as a module SharedWorker with extendedLifetime
// where the browser has it (Chromium), else as a module service worker whose scope is the
// published directory (it handles no fetch: it only answers messages, and the browser
// keeps it about 30 s after the last one, whatever becomes of the pages), else as a
// dedicated module Worker. Pyodide is imported statically, since a service worker may not
// import(). build_runtime.py fills in RUNTIME and the two imports with the content-hashed
// names of the files beside this one.
import createPyodideModule from "@PYODIDE_ASM@";
import { loadPyodide } from "@PYODIDE@";

const RUNTIME = /*@RUNTIME@*/null;
const CONTRACT = /*@CONTRACT@*/null;
const BOOT_TIMEOUT_MS = CONTRACT.worker.boot_timeout_ms;
const DB = CONTRACT.database;
const EVENTS = DB.store;
const SHARDS = CONTRACT.shard_cache;

const bootStarted = performance.now();
let bootMs = null;
// When each step of the boot and of the first decision ended, in ms of this worker's
// clock (timeOrigin is the clock's start in ms since the epoch), for the boot benchmark.
const timeline = { timeOrigin: performance.timeOrigin, started: bootStarted };
function mark(step) { timeline[step] ??= performance.now(); }
const runtime = boot().then(
  (ready) => { bootMs = performance.now() - bootStarted; return ready; },
);
runtime.catch(() => {}); // reported to each caller that asks

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// loadPyodide never settles when WebAssembly is refused (a CSP without 'wasm-unsafe-eval')
// or a runtime file is missing: these reject the boot at once, with the cause and the fix.
function bootFailures(base) {
  const stdlib = new URL(RUNTIME.python_zip, base).href; // Pyodide's JavaScript is imported statically
  return new Promise((_, reject) => {
    self.addEventListener("securitypolicyviolation", (event) => {
      reject(new Error(`the Content-Security-Policy of the worker script refused ${event.blockedURI || "a script"} ` +
        `(${event.effectiveDirective}); send script-src 'self' 'wasm-unsafe-eval' with the runtime's files, ` +
        "the worker script's own response included"));
    });
    const fetchFirst = self.fetch.bind(self);
    self.fetch = async (input, init) => {
      const response = await fetchFirst(input, init);
      const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url, base).href;
      if (!response.ok && (url === stdlib || url.startsWith(base) && url.endsWith(".wasm"))) {
        reject(new Error(`${url} answered ${response.status}: the runtime on the server is incomplete; publish it again`));
      }
      return response;
    };
  });
}

async function boot() {
  const base = new URL("./", import.meta.url).href;
  const failed = bootFailures(base);
  // Our own timeout still catches what nothing reports.
  const py = await withTimeout(
    Promise.race([
      loadPyodide({
        indexURL: base,
        stdLibURL: new URL(RUNTIME.python_zip, base).href,
        lockFileContents: { info: RUNTIME.lock_info, packages: {} },
        checkAPIVersion: true,
        createPyodideModule,
      }),
      failed,
    ]),
    BOOT_TIMEOUT_MS,
    `Pyodide did not start within ${BOOT_TIMEOUT_MS / 1000} s; if the runtime's files are served with a ` +
      "Content-Security-Policy, it needs script-src 'wasm-unsafe-eval' and worker-src 'self'",
  );
  mark("pyodide");
  const entry = py.pyimport("shopkeeper.browser");
  mark("imported");
  return {
    decideJson: entry.decide_json, profileJson: entry.profile_json, loadModel: entry.load_model, forget: entry.forget,
    addTemplates: () => addTemplates(py, entry.add_archive, base),
    pageShards: entry.page_shards, historyShards: entry.history_shards, addShard: entry.add_shard,
  };
}

// Jinja2 comes in a zip of its own, fetched once per worker by the first decision that
// renders a Jinja2 template (Python answers {"needs": "templates"} until then): a page
// whose decisions are plain HTML never downloads it.
let templates = null;

function addTemplates(py, addArchive, base) {
  templates ??= (async () => {
    const url = new URL(RUNTIME.templates_zip, base).href;
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(`${url} answered ${response.status}: the runtime on the server is incomplete; publish it again`);
    const path = "/lib/shopkeeper-templates.zip";
    py.FS.writeFile(path, new Uint8Array(await response.arrayBuffer()));
    addArchive(path);
  })();
  templates.catch(() => { templates = null; }); // a later page may try again
  return templates;
}

// The model is fetched and verified once per worker (a SharedWorker serves every page of
// the visit) and again only when a new publish names another file. The fetch starts when
// a page names the model, while Pyodide may still be booting; Python reads it once booted.
let model = { url: null, fetching: null, loading: null, warning: "" };

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function fetchVerifiedModel(listed) {
  const response = await fetch(listed.url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`model ${listed.url} answered ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!crypto.subtle) return { bytes, verified: false }; // insecure context: Python checks the hash
  const digest = await sha256Hex(bytes);
  if (digest !== listed.sha256) throw new Error(`model ${listed.url} has SHA-256 ${digest}, the manifest says ${listed.sha256}`);
  return { bytes, verified: true };
}

function fetchModel(listed) {
  if (!listed || listed.url === model.url) return model;
  model = { url: listed.url, fetching: fetchVerifiedModel(listed), loading: null, warning: "" };
  model.fetching.catch(() => {}); // reported by ensureModel
  return model;
}

function ensureModel(current, loadModel) {
  current.loading ??= current.fetching === null ? Promise.resolve() : current.fetching
    .then(({ bytes, verified }) => { loadModel(bytes, verified); })
    .catch((error) => {
      // A missing, corrupt or tampered model: decide with none, so the page keeps its defaults.
      const lines = String(error?.message ?? error).trim().split("\n");
      current.warning = `the model was refused: ${lines[lines.length - 1]}`;
    });
  return current.loading;
}

// A sharded model's shards (docs/shards.md). The page being viewed may fetch its own
// (Python names them: its product's, after its bucket's index, or its category's); the
// shards of the shopper's earlier pages are read from this browser's Cache Storage only,
// never fetched again, so no request tells the server now what the shopper viewed before.
// Without Cache Storage (an insecure context, storage refused) a shard serves its page.
let shardGeneration = 0; // an erase raises it: a decision begun before stores nothing after
const notKept = new Set(); // keys looked up and not found, for this worker's life

const shardStore = {
  opening: null,
  open() {
    this.opening ??= typeof caches === "undefined" ? Promise.resolve(null) : caches.open(SHARDS.name).catch(() => null);
    return this.opening;
  },
  url(key) {
    return new URL(`shopkeeper-shard/${encodeURIComponent(key)}`, self.location.href).href;
  },
  async get(key) {
    const cache = await this.open();
    const found = cache && await cache.match(this.url(key)).catch(() => null);
    return found ? { name: found.headers.get("x-shard-name") ?? "", bytes: new Uint8Array(await found.arrayBuffer()) } : null;
  },
  // Kept least recently stored first: past max_entries the oldest go.
  async put(key, name, bytes) {
    const cache = await this.open();
    if (!cache) return;
    try {
      await cache.delete(this.url(key));
      await cache.put(this.url(key), new Response(bytes, { headers: { "x-shard-name": name } }));
      const keys = await cache.keys();
      for (const old of keys.slice(0, Math.max(0, keys.length - SHARDS.max_entries))) await cache.delete(old);
    } catch {
      // storage full or refused: the shard serves this page view only
    }
  },
  async erase() {
    this.opening = null;
    if (typeof caches !== "undefined") await caches.delete(SHARDS.name).catch(() => {});
  },
};

async function fetchShard(url) {
  try {
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return { bytes: null, problem: `${url} answered ${response.status}` };
    return { bytes: new Uint8Array(await response.arrayBuffer()), problem: "" };
  } catch (error) {
    return { bytes: null, problem: `${url} could not be fetched (${error?.message ?? error})` };
  }
}

async function loadShards(entry, store, contextJson, modelUrl) {
  const generation = shardGeneration;
  for (const key of JSON.parse(entry.historyShards(store.keysJson, store.freshJson))) {
    if (notKept.has(key)) continue;
    const kept = await shardStore.get(key);
    if (kept) entry.addShard(key, kept.name, kept.bytes, "", true); // a damaged one is skipped; its page fetches it again
    else notKept.add(key);
  }
  for (let step = 0; step < 3; step++) { // a product page: its bucket's index, then its shard
    const wanted = JSON.parse(entry.pageShards(contextJson));
    if (!wanted.length) return;
    for (const [key, name] of wanted) {
      const { bytes, problem } = await fetchShard(new URL(name, modelUrl).href);
      // undefined, not null, arrives in Python as None
      if (!entry.addShard(key, name, bytes ?? undefined, problem, false) && generation === shardGeneration) {
        notKept.delete(key);
        await shardStore.put(key, name, bytes);
      }
    }
  }
}

// Only the loader creates the database: a worker that did would undo a shopper's erase
// that raced with a decision. Aborting the upgrade of a new database deletes it again.
function openEvents() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB.name, DB.version);
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Every record of the store with its key, in key order.
async function readStore() {
  const db = await openEvents().catch((error) => {
    if (error?.name === "AbortError") return null; // no database: nothing recorded
    throw error;
  });
  if (!db) return { keys: [], records: [] };
  try {
    return await new Promise((resolve, reject) => {
      const store = db.transaction(EVENTS, "readonly").objectStore(EVENTS);
      const keys = store.getAllKeys();
      const records = store.getAll();
      records.onsuccess = () => resolve({ keys: keys.result, records: records.result });
      records.onerror = () => reject(records.error);
      keys.onerror = () => reject(keys.error);
    });
  } finally {
    db.close();
  }
}

// Python keeps each record it was given, parsed, by key; a page view passes every key (as
// runs) and only the records Python has not seen. `passed` maps each key to its record's time, so a
// key the browser reuses for another record (a database dropped and made again) is passed
// again. Call it synchronously right before Python, and commit once Python has answered.
let passed = new Map();

function storeArguments({ keys, records }) {
  const fresh = {};
  const runs = []; // the keys as [first, last] runs: autoIncrement keys, pruned oldest first
  keys.forEach((key, i) => {
    if (passed.get(key) !== records[i]?.ts) fresh[key] = records[i];
    const run = runs[runs.length - 1];
    if (run && key === run[1] + 1) run[1] = key;
    else runs.push([key, key]);
  });
  const commit = () => { passed = new Map(keys.map((key, i) => [key, records[i]?.ts])); };
  return { keysJson: JSON.stringify(runs), freshJson: JSON.stringify(fresh), commit };
}

const handlers = {
  async status() {
    await runtime;
    return { ready: true, bootMs, pyodide: RUNTIME.pyodide_version, timeline };
  },
  async decide(payload) {
    mark("decide_asked");
    const fetched = fetchModel(payload.model); // while Pyodide boots
    const [entry, stored] = await Promise.all([runtime, readStore()]);
    const { decideJson, loadModel, addTemplates } = entry;
    await ensureModel(fetched, loadModel);
    mark("model_loaded");
    const store = storeArguments(stored);
    const { keysJson, freshJson, commit } = store;
    const contextJson = JSON.stringify(payload.context);
    if (payload.model && !model.warning) await loadShards(entry, store, contextJson, payload.model.url);
    mark("shards_loaded");
    const decide = () => JSON.parse(decideJson(keysJson, freshJson, contextJson, Date.now()));
    let decisions = decide();
    if (decisions.needs === "templates") {
      await addTemplates();
      decisions = decide();
    }
    commit();
    mark("decided");
    if (model.warning) decisions.warning = model.warning; // else Python's own, for a model that failed later
    return decisions;
  },
  // The derived profile for the shopper's privacy panel, or null when the engine has none.
  async profile(payload) {
    const [{ profileJson }, stored] = await Promise.all([runtime, readStore()]);
    if (typeof profileJson !== "function") return null;
    const { keysJson, freshJson, commit } = storeArguments(stored);
    const profile = JSON.parse(profileJson(keysJson, freshJson, JSON.stringify(payload.context ?? {}), Date.now()));
    commit();
    return profile;
  },
  // The shopper erased their data: Python drops the parsed events and what it looked up
  // for them. Every cache derived from events must be dropped here.
  async forget() {
    const { forget } = await runtime;
    passed = new Map(); // with Python's forget in one synchronous step: no decision between them
    shardGeneration += 1;
    notKept.clear();
    if (typeof forget === "function") forget();
    await shardStore.erase();
    return { forgotten: true };
  },
};

async function answer(port, message) {
  const { id, type, payload } = message ?? {};
  try {
    const handler = Object.hasOwn(CONTRACT.worker.requests, type) && handlers[type];
    if (!handler) throw new Error(`unknown request type ${JSON.stringify(type)}`);
    port.postMessage({ id, result: await handler(payload ?? {}) });
  } catch (error) {
    port.postMessage({ id, error: String(error?.message ?? error) });
  }
}

if (typeof ServiceWorkerGlobalScope !== "undefined" && self instanceof ServiceWorkerGlobalScope) {
  self.addEventListener("install", () => self.skipWaiting()); // a new publish takes over at once
  // Each request is an event of its own, so the browser keeps the worker until it is answered.
  self.addEventListener("message", (event) => {
    const client = { postMessage: (reply) => event.source?.postMessage(reply) };
    event.waitUntil(answer(client, event.data));
  });
} else if (typeof SharedWorkerGlobalScope !== "undefined" && self instanceof SharedWorkerGlobalScope) {
  self.onconnect = (event) => {
    const port = event.ports[0];
    port.onmessage = (message) => answer(port, message.data);
  };
} else {
  self.onmessage = (message) => answer(self, message.data);
}
