"""The interpreter as the browser runtime's core zip leaves it: Jinja2 and MarkupSafe not importable."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from shopkeeper.engine.content import templates

HIDDEN = ("jinja2", "markupsafe")


class Refuse:
    """A meta path finder that refuses the hidden packages."""

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


@contextmanager
def jinja2_hidden():
    """Within: importing Jinja2 fails and no template compiled before is reused."""
    hidden = {name: module for name, module in sys.modules.items() if name.split(".")[0] in HIDDEN}
    for name in hidden:
        del sys.modules[name]
    finder = Refuse()
    sys.meta_path.insert(0, finder)
    templates.sandbox_environment.cache_clear()
    templates._compiled.clear()
    try:
        yield
    finally:
        sys.meta_path.remove(finder)
        sys.modules.update(hidden)
        templates.sandbox_environment.cache_clear()
        templates._compiled.clear()
