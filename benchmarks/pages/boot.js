// Boots Pyodide once in a fresh module Worker, with the options given as JSON in
// ?config= (see boot-worker.mjs), and leaves the timings in window.bootResult:
// workerMs counts from `new Worker` to loadPyodide resolved, as a page would wait.
const config = JSON.parse(new URLSearchParams(location.search).get("config"));
const started = performance.now();
const worker = new Worker("/boot-worker.mjs", { type: "module" });
worker.onmessage = ({ data }) => {
  window.bootResult = { ...data, workerMs: performance.now() - started };
  worker.terminate();
};
worker.onerror = (event) => { window.bootResult = { error: String(event.message || "worker failed to start") }; };
worker.postMessage(config);
