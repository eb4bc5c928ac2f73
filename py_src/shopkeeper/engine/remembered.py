"""Every answer the engine remembers, in one registry, so that the shopper's erase leaves
nothing behind that was derived from what they did: the queries, URLs, user agent and
category paths a decision parsed, the model answers it looked up (which products say
something about the shopper), the stored events the worker parsed.

A cache is made with `remembered` (a registered `functools.lru_cache`) or registered
with `register` (a dict or an object with its own `clear`); model views register
themselves (engine/lookup.py). `forget_all` clears every cache of the shopper's; the
worker calls it on erase. A cache of the merchant's config alone (compiled templates, a
placement's rules) registers with `of_shopper=False`: kept, as the next shopper's page
needs the same, but listed, so a test can see that every cache was thought about.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import lru_cache

__all__ = ["forget_all", "register", "register_view", "registered", "remembered", "remembered_sizes"]

_caches: dict[str, object] = {}           # name -> an lru_cache wrapper or an object with clear(): the shopper's
_config_caches: dict[str, object] = {}    # the same, of the merchant's config alone
_views: weakref.WeakSet = weakref.WeakSet()   # live RememberingModels (weak: replays make many)


def remembered(maxsize: int, *, of_shopper: bool = True) -> Callable:
    """lru_cache(maxsize), registered under the function's qualified name."""
    def wrap(function):
        cached = lru_cache(maxsize=maxsize)(function)
        register(f"{function.__module__}.{function.__qualname__}", cached, of_shopper=of_shopper)
        return cached
    return wrap


def register(name: str, cache, *, of_shopper: bool = True) -> None:
    """A cache that is not a function: anything with clear() (a dict, a set)."""
    (_caches if of_shopper else _config_caches)[name] = cache


def registered() -> list[object]:
    """Every registered cache, the shopper's and the config's."""
    return [*_caches.values(), *_config_caches.values()]


def register_view(view) -> None:
    _views.add(view)


def forget_all() -> None:
    for cache in _caches.values():
        (cache.cache_clear if hasattr(cache, "cache_clear") else cache.clear)()
    for view in list(_views):
        view.forget()


def remembered_sizes() -> dict[str, int]:
    """How many answers each cache of the shopper's holds now (model views by id): for tests."""
    sizes = {name: cache.cache_info().currsize if hasattr(cache, "cache_info") else len(cache) for name, cache in _caches.items()}
    for view in list(_views):
        sizes[f"view {id(view)}"] = view.remembered_count()
    return sizes
