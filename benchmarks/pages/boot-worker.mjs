// Imports pyodide.mjs from config.pyodide and calls loadPyodide with config's options:
// indexURL always, stdLibURL and an inline lock file only when given, so the plain npm
// package boots with its defaults (full stdlib, pyodide-lock.json fetched).
self.onmessage = async ({ data: config }) => {
  const started = performance.now();
  try {
    const { loadPyodide } = await import(config.pyodide);
    const imported = performance.now();
    const options = { indexURL: config.indexURL };
    if (config.stdLibURL) options.stdLibURL = config.stdLibURL;
    if (config.lockInfo) options.lockFileContents = { info: config.lockInfo, packages: {} };
    const py = await loadPyodide(options);
    const booted = performance.now();
    postMessage({ importMs: imported - started, loadPyodideMs: booted - imported, version: py.version });
  } catch (error) {
    postMessage({ error: String(error?.stack ?? error) });
  }
};
