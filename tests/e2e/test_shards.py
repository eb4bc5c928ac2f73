"""The demo store with its model in shards (`shopkeeper publish --shards always`), walked as a
shopper: every shard a page fetches belongs to that page, the shelves of later pages come
from shards this browser kept, and a page whose shard is missing or damaged keeps its
default content with one warning (docs/shards.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import not_local_gets, wait_until
from demo_walk import as_the_walks_visitor, collect_page_errors, decided, walk_the_demo_store
from published import publish_demo
from server import StaticServer, precompress

from shopkeeper.model import decode_model
from shopkeeper.model.shards import bucket_of

PRODUCT_PAGES = {"/p/alpine-dome-2-tent.html": "TEN-101", "/p/basecamp-4-family-tent.html": "TEN-103",
                 "/p/backcountry-leather-boots.html": "FTW-503"}


@pytest.fixture(scope="module")
def sharded_demo(tmp_path_factory) -> Path:
    build = publish_demo(tmp_path_factory.mktemp("sharded-demo"), shards="always")
    precompress(build / "sk")
    return build


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


def shard_requests(log) -> list[str]:
    return [urlsplit(entry.url).path for entry in log if urlsplit(entry.url).path.startswith("/sk/shards/")]


@pytest.fixture
def store(sharded_demo):
    with StaticServer(sharded_demo / "site", {"/sk/": sharded_demo / "sk"}) as running:
        yield running


@pytest.fixture
def page(browser, store):
    context = browser.new_context(proxy={"server": store.origin})
    as_the_walks_visitor(context)
    page = context.new_page()
    lines = []
    page.on("console", lambda message: lines.append(message.text) if "[shopkeeper]" in message.text else None)
    page.shopkeeper_lines = lines
    yield page
    context.close()


def test_the_sharded_demo_walks_as_the_one_file_demo_does(page, store, sharded_demo):
    assert len(list((sharded_demo / "sk" / "shards").iterdir())) > 64, "one shard per product, and more"
    store.clear_log()
    walk_the_demo_store(page, store.origin, collect_page_errors(page))
    assert not_local_gets(store.log, store.origin) == []
    assert page.shopkeeper_lines == []


def test_every_shard_fetched_belongs_to_a_page_the_shopper_opened(page, store, sharded_demo):
    """Each request of a browsing session, recorded: a shard is fetched only on its own
    product's page (after that bucket's index) or its own category's page, never again
    for a later page's shelf, and the later shelves use the kept ones."""
    keys, buckets = what_each_shard_is(sharded_demo / "sk"), len(main_directory(sharded_demo / "sk")["buckets"])
    visits = [("/", None), *((path, product) for path, product in PRODUCT_PAGES.items()), ("/c/camping-tents.html", "category"),
              ("/p/alpine-dome-2-tent.html", "TEN-101"), ("/", None)]
    fetched_on = []
    for path, _ in visits:
        store.clear_log()
        page.goto(f"{store.origin}{path}")
        decisions = decided(page)
        category = page.evaluate("document.body.dataset.skCategory || ''")
        fetched_on.append((path, page.evaluate("document.body.dataset.skPage"), category,
                           [keys[request] for request in shard_requests(store.log)], decisions))
    opened = {"product:" + product for product in PRODUCT_PAGES.values()}
    for path, kind, category, fetched, _ in fetched_on:
        allowed = set()
        if kind == "product":
            product = next(product for page_path, product in PRODUCT_PAGES.items() if page_path == path)
            allowed = {f"product:{product}", f"index:{bucket_of(product, buckets)}"}
        elif kind == "category":
            allowed = {f"category:{category}"}
        assert set(fetched) <= allowed, (path, fetched)
        assert len(fetched) == len(set(fetched)), (path, fetched)
    first_views = {path: fetched for path, _, _, fetched, _ in fetched_on[1:4]}
    assert all(any(key.startswith("product:") for key in fetched) for fetched in first_views.values()), first_views
    assert fetched_on[4][3] == ["category:Camping > Tents"], fetched_on[4]
    assert fetched_on[5][3] == [] and fetched_on[6][3] == [], "an opened page's shard is kept, a later page fetches none"
    home = fetched_on[6][4]
    recent = [item["id"] for item in home["recs"]["recently-viewed"]["items"]]
    assert recent[:3] == ["TEN-101", "FTW-503", "TEN-103"], recent
    personal = {item["reason_code"] for item in home["recs"]["for-you"]["items"]}
    assert personal - {"trending", "bestseller"}, "the shopper's own shelf comes from the kept shards"
    assert opened <= {key for *_, fetched, _ in fetched_on for key in fetched}


def test_an_erase_deletes_the_kept_shards(page, store):
    page.goto(f"{store.origin}/p/alpine-dome-2-tent.html")
    decided(page)
    kept = "caches.open('shopkeeper-shards').then((cache) => cache.keys()).then((keys) => keys.length)"
    assert page.evaluate(kept) >= 2
    assert page.evaluate("window.shopkeeper.privacy.erase()") is True
    wait_until(page, "caches.has('shopkeeper-shards').then((found) => !found)")


@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_page_whose_shard_is_missing_or_corrupt_keeps_its_default_content_with_one_warning(browser, sharded_demo, tmp_path, damage):
    published = shutil.copytree(sharded_demo / "sk", tmp_path / "sk")
    keys = what_each_shard_is(published)
    shard = published / next(path for path, key in keys.items() if key == "product:TEN-101").removeprefix("/sk/")
    if damage == "missing":
        shard.unlink()
    else:
        data = bytearray(shard.read_bytes())
        data[len(data) // 2] ^= 0x01
        shard.write_bytes(bytes(data))
    with StaticServer(sharded_demo / "site", {"/sk/": published}) as store:
        context = browser.new_context(proxy={"server": store.origin})
        as_the_walks_visitor(context)
        try:
            page = context.new_page()
            lines = []
            page.on("console", lambda message: lines.append(message.text) if "[shopkeeper]" in message.text else None)
            page.goto(f"{store.origin}/p/alpine-dome-2-tent.html")
            refused = decided(page)
            assert not any(shelf["items"] for shelf in refused["recs"].values()) and not refused["slots"], refused
            assert page.evaluate("document.querySelectorAll('[data-sk-rendered], [data-sk-variant]').length") == 0
            similar = page.evaluate("document.querySelector(\"[data-sk-recs='similar']\").querySelectorAll('.card').length")
            assert similar > 0, "the server's own similar products stay"
            assert len(lines) == 1 and "shard" in lines[0], lines
            page.goto(f"{store.origin}/p/basecamp-4-family-tent.html")
            decisions = decided(page)
            assert decisions["recs"]["bought-together"]["items"], "the next page, whose shard is fine, is personalized"
            assert len(lines) == 1, lines
        finally:
            context.close()
