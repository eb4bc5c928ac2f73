// Run a Python script inside Pyodide under Node.js, the way CPython would run it.
//
//   node run_in_pyodide.mjs --pyodide DIR [--stdlib ZIP] [--mount HOST=GUEST]...
//                           [--env NAME=VALUE]... [--cwd GUEST] SCRIPT.py [ARGS...]
//
// Host directories are mounted with NODEFS, so the script reads and writes real files.
// The exit status is the script's: 0, its SystemExit code, or 1 for an uncaught error.
import { readFileSync } from "node:fs";
import path from "node:path";

function parseArgs(argv) {
  const options = { mounts: [], env: {}, stdlib: null, pyodide: null, cwd: null };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith("--"); i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === "--pyodide") options.pyodide = path.resolve(value);
    else if (flag === "--stdlib") options.stdlib = path.resolve(value);
    else if (flag === "--cwd") options.cwd = value;
    else if (flag === "--mount") {
      const [host, guest] = value.split("=");
      options.mounts.push({ host: path.resolve(host), guest });
    } else if (flag === "--env") {
      const at = value.indexOf("=");
      options.env[value.slice(0, at)] = value.slice(at + 1);
    } else throw new Error(`unknown option ${flag}`);
  }
  if (!options.pyodide || i >= argv.length) {
    throw new Error("usage: run_in_pyodide.mjs --pyodide DIR [options] SCRIPT.py [ARGS...]");
  }
  return { ...options, script: argv[i], args: argv.slice(i + 1) };
}

const options = parseArgs(process.argv.slice(2));
const { loadPyodide } = await import(path.join(options.pyodide, "pyodide.mjs"));
const py = await loadPyodide({
  indexURL: options.pyodide + path.sep,
  stdLibURL: options.stdlib ?? undefined,
  env: { HOME: "/home/pyodide", ...options.env },
});
for (const { host, guest } of options.mounts) {
  py.FS.mkdirTree(guest);
  py.FS.mount(py.FS.filesystems.NODEFS, { root: host }, guest);
}
if (options.cwd) py.FS.chdir(options.cwd);
py.globals.set("_argv", py.toPy([options.script, ...options.args]));
py.globals.set("_source", readFileSync(options.script.startsWith("/") ? hostPathOf(options.script) : options.script, "utf8"));
// exec() rather than runpy: runpy may be absent from a trimmed stdlib.
let status;
try {
  status = py.runPython(`
import sys
sys.argv = list(_argv)
try:
    exec(compile(_source, sys.argv[0], "exec"), {"__name__": "__main__", "__file__": sys.argv[0]})
    _status = 0
except SystemExit as exit_:
    _status = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    if not isinstance(exit_.code, int) and exit_.code is not None:
        print(exit_.code, file=sys.stderr)
sys.stdout.flush()
sys.stderr.flush()
_status
`);
} catch (error) {
  // A PythonError's message is the traceback; the JS stack adds nothing.
  console.error(error.type ? error.message : error);
  status = 1;
}
process.exit(status);

function hostPathOf(guestPath) {
  for (const { host, guest } of options.mounts) {
    if (guestPath === guest || guestPath.startsWith(guest + "/")) return host + guestPath.slice(guest.length);
  }
  return guestPath;
}
