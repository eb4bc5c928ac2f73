"""The one contract between the loader (web/shopkeeper.js), the worker (web/worker.mjs), the
privacy panel (web/privacy.mjs) and the engine: what a stored event is, where it is kept,
and the messages the worker answers. docs/events.md and docs/worker-protocol.md describe it.

Plain data, defined once here: the engine reads it (engine/events.py), and the runtime
build writes it into the three JavaScript files in place of `/*@CONTRACT@*/null`, so no
limit or name is written twice. Changing what a stored record may hold means a new
STORED_FORMAT and a migration in `migrations` (the loader runs it when it opens the
database at the new version)."""

from __future__ import annotations

import json

__all__ = ["CONTRACT", "EVENT_TYPES", "STORED_FORMAT", "TEXT_LIMITS", "contract_json"]

# The stored-event format; it is also the IndexedDB version, so opening the database at a
# new format runs the loader's migration of the records of older ones.
STORED_FORMAT = 2

# Every event type, the field it cannot do without ("" none; purchase needs items or a
# value) and the label the shopper's privacy panel shows for it.
EVENTS = {
    "page_view": {"requires": "", "label": "Pages viewed"},                # page, category, url, referrer
    "product_view": {"requires": "product", "label": "Products viewed"},
    "add_to_cart": {"requires": "product", "label": "Added to cart"},      # quantity, price
    "remove_from_cart": {"requires": "product", "label": "Removed from cart"},
    "purchase": {"requires": "items", "label": "Orders"},                 # items, value, discount
    "search": {"requires": "query", "label": "Searches"},
    "rec_impression": {"requires": "placement", "label": "Recommendations shown"},
    "rec_click": {"requires": "product", "label": "Recommendations clicked"},  # placement
    "popup_shown": {"requires": "campaign", "label": "Offers shown"},
    "popup_dismissed": {"requires": "campaign", "label": "Offers closed"},
    "popup_converted": {"requires": "campaign", "label": "Offers taken"},
    "engagement": {"requires": "", "label": "Time and scrolling on a page"},  # page, dwell_ms, scroll_pct
    "quiz_answer": {"requires": "question", "label": "Quiz answers"},       # answer (zero-party data)
}
EVENT_TYPES = frozenset(EVENTS)

# Text fields and the characters kept of each (longer text is cut, not refused).
TEXT_LIMITS = {
    "page": 50, "product": 500, "category": 500, "query": 200, "placement": 500, "campaign": 500,
    "question": 500, "answer": 500, "url": 2000, "referrer": 2000,
}

CONTRACT = {
    "stored_format": STORED_FORMAT,
    "database": {"name": "shopkeeper", "version": STORED_FORMAT, "store": "events"},
    "events": {
        "types": EVENTS,
        "text": TEXT_LIMITS,
        "numbers": ["price", "value", "dwell_ms", "scroll_pct"],   # finite, >= 0; scroll_pct at most 100
        "max_scroll_pct": 100,
        "max_quantity": 9999,
        "max_items": 200,
        # Kept per browser: the newest events, none older than this.
        "max_events": 2000,
        "max_age_ms": 365 * 24 * 3600 * 1000,
    },
    # What the loader keeps in localStorage, all under one prefix so erase finds it.
    "local_storage": {"prefix": "shopkeeper:", "decisions": "decisions", "visitor": "visitor", "outbox": "outbox:", "consent": "consent",
                      "outbox_limit": 100, "decisions_max_age_ms": 7 * 24 * 3600 * 1000},
    # The shards of a sharded model (docs/shards.md) the worker fetched on the shopper's
    # pages, kept in Cache Storage by key ('product:ID', 'category:KEY', 'index:B'), the
    # least recently stored dropped past max_entries; erase deletes the cache.
    # history_products: how many of the newest products and categories of the shopper's
    # events have their kept shards read for a decision.
    "shard_cache": {"name": "shopkeeper-shards", "max_entries": 400, "history_products": 60},
    "context": {"max_listing": 500, "max_count": 50, "default_count": 4, "visitor_id": 100, "locale": 35,
                "user_agent": 500, "url": 2000, "referrer": 2000, "text": 500},
    # Requests are {id, type, payload}; answers {id, result} or {id, error}.
    "worker": {
        "requests": {
            "status": {"payload": [], "result": ["ready", "bootMs", "pyodide"]},
            "decide": {"payload": ["context", "model"], "result": "docs/decisions.md, plus warning"},
            "profile": {"payload": ["context"], "result": "the derived profile, or null"},
            "forget": {"payload": [], "result": ["forgotten"]},
        },
        "answer_timeout_ms": 40000,
        "boot_timeout_ms": 30000,
    },
    # How the loader brings records of an older format up to this one when it opens the
    # database at STORED_FORMAT: "clean" passes each through this format's cleaner (the
    # time kept; fields this contract does not list dropped, text cut to its limit,
    # numbers clamped; records of a type it does not know, which no engine read, dropped).
    # Format 1: the records of loaders before the contract existed.
    "migrations": {"1": "clean"},
}


def contract_json() -> str:
    """The contract as the runtime build writes it into the JavaScript (stable key order)."""
    return json.dumps(CONTRACT, sort_keys=True, separators=(",", ":"))
