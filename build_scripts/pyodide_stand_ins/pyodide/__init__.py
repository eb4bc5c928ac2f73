"""shopkeeper's stand-in for Pyodide's package (../README.md): the same names, without
starting the web event loop at import, so a boot does not import asyncio."""

from . import _state  # noqa: F401  (Pyodide's JavaScript reads pyodide._state)

__version__ = "314.0.7"
__all__ = ["__version__", "code", "ffi"]
