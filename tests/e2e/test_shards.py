"""The demo store with its model in shards (`shopkeeper publish --shards always`), walked as a
shopper: every shard a page fetches belongs to that page, the shelves of later pages come
from shards this browser kept, and a page whose shard is missing or damaged keeps its
default content with one warning (docs/shards.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import not_local_gets, wait_until
from demo_walk import as_the_walks_visitor, collect_page_errors, decided, walk_the_demo_store
from published import publish_demo
from server import StaticServer, precompress
from shard_walk import walk_checking_every_shard_request, what_each_shard_is


@pytest.fixture(scope="module")
def sharded_demo(tmp_path_factory) -> Path:
    build = publish_demo(tmp_path_factory.mktemp("sharded-demo"), shards="always")
    precompress(build / "sk")
    return build


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
    walk_checking_every_shard_request(page, store, sharded_demo / "sk")
    assert page.shopkeeper_lines == []


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
