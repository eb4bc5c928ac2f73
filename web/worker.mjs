// shopkeeper's worker: boots Pyodide once and answers the loader's requests.
//
// Messages are {id, type, payload} -> {id, result} or {id, error}. It runs as a module
// SharedWorker with extendedLifetime where the browser has it (one boot serves every
// page of the visit) and as a dedicated module Worker elsewhere. build_runtime.py
// fills in RUNTIME with the content-hashed names of the files beside this one.
const RUNTIME = /*@RUNTIME@*/null;
const BOOT_TIMEOUT_MS = 30000;
const DB_NAME = "shopkeeper"; // same database, version and store as web/shopkeeper.js
const DB_VERSION = 1;
const EVENTS = "events";

const bootStarted = performance.now();
let bootMs = null;
const runtime = boot().then(
  (ready) => { bootMs = performance.now() - bootStarted; return ready; },
);
runtime.catch(() => {}); // reported to each caller that asks

function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function boot() {
  const base = new URL("./", import.meta.url).href;
  const { loadPyodide } = await import(new URL(RUNTIME.pyodide, base).href);
  // loadPyodide never settles when WebAssembly is blocked (a CSP without
  // 'wasm-unsafe-eval'), so our own timeout turns that into an error.
  const py = await withTimeout(
    loadPyodide({
      indexURL: base,
      stdLibURL: new URL(RUNTIME.python_zip, base).href,
      lockFileContents: { info: RUNTIME.lock_info, packages: {} },
      checkAPIVersion: true,
    }),
    BOOT_TIMEOUT_MS,
    `Pyodide did not start within ${BOOT_TIMEOUT_MS / 1000} s; if the page has a Content-Security-Policy, ` +
      "it needs script-src 'wasm-unsafe-eval' and worker-src 'self'",
  );
  const entry = py.pyimport("shopkeeper.browser");
  return { decideJson: entry.decide_json };
}

function openEvents() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(EVENTS, { autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function readEvents() {
  const db = await openEvents();
  try {
    return await new Promise((resolve, reject) => {
      const request = db.transaction(EVENTS, "readonly").objectStore(EVENTS).getAll();
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  } finally {
    db.close();
  }
}

const handlers = {
  async status() {
    await runtime;
    return { ready: true, bootMs, pyodide: RUNTIME.pyodide_version };
  },
  async decide(payload) {
    const [{ decideJson }, events] = await Promise.all([runtime, readEvents()]);
    return JSON.parse(decideJson(JSON.stringify(events), JSON.stringify(payload.context), Date.now()));
  },
};

async function answer(port, message) {
  const { id, type, payload } = message ?? {};
  try {
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request type ${JSON.stringify(type)}`);
    port.postMessage({ id, result: await handler(payload ?? {}) });
  } catch (error) {
    port.postMessage({ id, error: String(error?.message ?? error) });
  }
}

if (typeof SharedWorkerGlobalScope !== "undefined" && self instanceof SharedWorkerGlobalScope) {
  self.onconnect = (event) => {
    const port = event.ports[0];
    port.onmessage = (message) => answer(port, message.data);
  };
} else {
  self.onmessage = (message) => answer(self, message.data);
}
