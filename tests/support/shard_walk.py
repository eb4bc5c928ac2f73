"""The demo store in shards walked as a shopper, every shard request checked against the
page that made it (docs/shards.md): the same walk in Chromium (tests/e2e/test_shards.py)
and in Firefox and WebKit (tests/engines/test_shards.py).

`page` is a Playwright page or an engines.py browser (it navigates and evaluates);
`server` is the StaticServer whose log holds the requests."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from polling import wait_until

from shopkeeper.model import decode_model
from shopkeeper.model.shards import bucket_of

PRODUCT_PAGES = {"/p/alpine-dome-2-tent.html": "TEN-101", "/p/basecamp-4-family-tent.html": "TEN-103",
                 "/p/backcountry-leather-boots.html": "FTW-503"}
# Home, three product pages, a category page, the first product again, home again.
VISITS = ["/", *PRODUCT_PAGES, "/c/camping-tents.html", "/p/alpine-dome-2-tent.html", "/"]


def main_directory(published: Path) -> dict:
    manifest = json.loads((published / "manifest.json").read_text())
    return decode_model((published / manifest["model"]["name"]).read_bytes()).shard


def what_each_shard_is(published: Path) -> dict[str, str]:
    """/sk/shards/NAME -> its key ('product:ID', 'category:KEY', 'index:B'), read from the files."""
    keys = {}
    for path in (published / "shards").iterdir():
        section = decode_model(path.read_bytes()).shard
        label = {"product": section.get("owner"), "category": section.get("category"), "index": section.get("bucket")}[section["role"]]
        keys[f"/sk/shards/{path.name}"] = f"{section['role']}:{label}"
    return keys


def walk_checking_every_shard_request(page, server, published: Path) -> dict:
    """Walk VISITS; each page may fetch only its own product's shard (after that bucket's
    index) or its own category's, the pages opened before fetch none again, and the last
    home page's shelves come from the kept shards. Returns the last home page's decisions."""
    keys, buckets = what_each_shard_is(published), len(main_directory(published)["buckets"])
    fetched_on = []
    for path in VISITS:
        server.clear_log()
        page.goto(f"{server.origin}{path}")
        decisions = page.evaluate("window.shopkeeper.ready")
        if any(shelf["items"] for shelf in decisions["recs"].values()):
            wait_until(page, "document.querySelector('[data-sk-rendered]') !== null")   # the shelves are drawn
        kind, category = page.evaluate("[document.body.dataset.skPage, document.body.dataset.skCategory || '']")
        requests = [urlsplit(entry.url).path for entry in list(server.log)]
        fetched = [keys[request] for request in requests if request.startswith("/sk/shards/")]
        allowed = set()
        if kind == "product":
            product = PRODUCT_PAGES[path]
            allowed = {f"product:{product}", f"index:{bucket_of(product, buckets)}"}
        elif kind == "category":
            allowed = {f"category:{category}"}
        assert set(fetched) <= allowed and len(fetched) == len(set(fetched)), (path, fetched)
        fetched_on.append(fetched)
    assert all(any(key.startswith("product:") for key in fetched) for fetched in fetched_on[1:4]), fetched_on
    assert fetched_on[4] == ["category:Camping > Tents"], fetched_on
    assert fetched_on[5] == [] and fetched_on[6] == [], "an opened page's shard is kept: no later page fetches it"
    recent = [item["id"] for item in decisions["recs"]["recently-viewed"]["items"]]
    assert recent[:3] == ["TEN-101", "FTW-503", "TEN-103"], recent
    personal = {item["reason_code"] for item in decisions["recs"]["for-you"]["items"]}
    assert personal - {"trending", "bestseller"}, "the shopper's own shelf comes from the kept shards"
    return decisions
