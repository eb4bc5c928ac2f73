"""The demo store with its model in shards, in Firefox and WebKit as in Chromium: each shard
request belongs to the page that made it, later shelves come from the shards kept in Cache
Storage (a service worker's in Firefox, a page worker's in WebKit), and an erase deletes them."""

from __future__ import annotations

from conftest import not_local_gets
from demo_walk import AS_THE_WALKS_VISITOR
from polling import wait_until
from shard_walk import walk_checking_every_shard_request


def test_every_shard_fetched_belongs_to_a_page_the_shopper_opened(sharded_demo_tab, sharded_demo):
    sharded_demo.init_script(AS_THE_WALKS_VISITOR)
    walk_checking_every_shard_request(sharded_demo_tab, sharded_demo, sharded_demo.published)
    assert not_local_gets(sharded_demo) == []
    assert sharded_demo_tab.evaluate("window.pageErrors") == []
    assert [text for _, text in sharded_demo_tab.console() if "[shopkeeper]" in text] == []


def test_an_erase_deletes_the_kept_shards(sharded_demo_tab, sharded_demo):
    sharded_demo_tab.goto(f"{sharded_demo.origin}/p/alpine-dome-2-tent.html")
    sharded_demo_tab.evaluate("window.shopkeeper.ready")
    kept = "caches.open('shopkeeper-shards').then((cache) => cache.keys()).then((keys) => keys.length)"
    assert sharded_demo_tab.evaluate(kept) >= 2
    assert sharded_demo_tab.evaluate("window.shopkeeper.privacy.erase()") is True
    wait_until(sharded_demo_tab, "caches.has('shopkeeper-shards').then((found) => !found)")
