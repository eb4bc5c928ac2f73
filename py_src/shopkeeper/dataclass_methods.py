"""Dataclass methods compiled when the runtime is built, so a browser's boot need not compile them.

As each dataclass is created, dataclasses writes its __init__, __repr__, __eq__... as source
text and compiles that text with exec: for our package's dataclasses that was 120-145 ms of the
worker's first visit (Pyodide 314.0.7, this machine). The runtime build runs the worker's
imports with record() on and stores every text with its code object next to our package in the
core zip (RECORDED); at boot install() gives dataclasses an exec that runs the stored code object
for a text it knows and compiles any other text as before. A code object compiled from the same
text by the same Python is the same function, so the classes are the same ones either way.
"""

import builtins
import marshal
import os

RECORDED = "dataclass_methods.marshal"


def _read_recorded(module_file, loader):
    """The stored {source text: code object}, or None where the runtime build stored none
    (running from the source tree, or a zip built without it)."""
    if not hasattr(loader, "get_data"):
        return None
    try:
        data = loader.get_data(os.path.join(os.path.dirname(module_file), RECORDED))
        compiled = marshal.loads(data)
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return compiled if isinstance(compiled, dict) else None


def install(module_file, loader):
    """Run stored code for the texts dataclasses compiles; return the mapping (None: nothing stored)."""
    compiled = _read_recorded(module_file, loader)
    if compiled is None:
        return None
    import dataclasses

    def exec_compiled(source, globals=None, locals=None, /):
        return builtins.exec(compiled.get(source, source), globals, locals)

    exec_compiled.compiled = compiled
    dataclasses.exec = exec_compiled
    return compiled


def record():
    """Compile and keep every text dataclasses executes from now on; returns the mapping it fills."""
    import dataclasses

    compiled = {}

    def exec_recording(source, globals=None, locals=None, /):
        if isinstance(source, str):
            source = compiled.setdefault(source, compile(source, "<string>", "exec", dont_inherit=True))
        return builtins.exec(source, globals, locals)

    dataclasses.exec = exec_recording
    return compiled


def stop_recording():
    import dataclasses

    if "exec" in vars(dataclasses):
        del dataclasses.exec


def dumps(compiled):
    return marshal.dumps(compiled)
