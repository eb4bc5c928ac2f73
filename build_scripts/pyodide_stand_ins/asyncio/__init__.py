"""shopkeeper's stand-in for asyncio (../README.md): Pyodide's JsProxy imports asyncio as it
starts and reads from it only when Python awaits a JavaScript promise, which the worker
never does (it calls Python synchronously, with strings and bytes)."""


def __getattr__(name):
    raise AttributeError(f"asyncio.{name}: the shopkeeper runtime ships no asyncio (its zip holds a stand-in)")
