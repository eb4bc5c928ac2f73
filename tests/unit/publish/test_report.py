"""The merchant's report: figures from the model publish writes, a page that needs nothing outside itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from shopkeeper.cli import main
from shopkeeper.model import ModelData, Product
from shopkeeper.publish.report.catalog_figures import catalog_figures, strongest_pairs

FIXTURES = Path(__file__).parent / "fixtures"


def test_catalog_figures_by_hand():
    products = [Product(f"P{i}", title=f"Product {i}") for i in range(4)]
    data = ModelData(products=products, neighbours={"viewed_together": [[(1, 0.9), (2, 0.2)], [(0, 0.5)], [], []],
                                                    "bought_together": [[], [], [], []]},
                     popularity=[3.0, 1.0, 0.0, 2.0], trending=[0.0, 0.5, 0.0, 0.0])
    figures = catalog_figures(data, model_bytes=1234)
    assert figures.with_neighbours == {"viewed_together": 2, "bought_together": 0}
    assert [(p.first.id, p.second.id, p.weight) for p in figures.strongest_pairs["viewed_together"]] == [("P0", "P1", 0.9), ("P0", "P2", 0.2)]
    assert [p.id for p in figures.most_popular] == ["P0", "P3", "P1"] and [p.id for p in figures.trending] == ["P1"]
    assert figures.cold == 1 and figures.cold_examples == [products[2]] and figures.model_bytes == 1234
    assert strongest_pairs(products, [[(1, 0.3)], [(0, 0.7)], [], []])[0].weight == 0.7   # one pair, its heavier direction
    # a lighter pair of two popular products outranks a full-weight pair of rare ones
    lists = [[(1, 1.0)], [(0, 1.0)], [(3, 0.5)], [(2, 0.5)]]
    assert [(p.first.id, p.second.id) for p in strongest_pairs(products, lists, [0.1, 0.1, 5.0, 5.0])] == [("P2", "P3"), ("P0", "P1")]


def test_the_report_is_one_self_contained_page_with_every_section(tmp_path, monkeypatch, capsys):
    for path in FIXTURES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.chdir(tmp_path)
    Path("catalog.csv").write_text(Path("catalog.csv").read_text().replace("Summit Jacket", "Summit <Jacket> & Co"))
    assert main(["report", "-q", "--catalog", "catalog.csv", "--events", "events.csv", "--config", "site.toml", "--out", "report.html"]) == 0
    assert capsys.readouterr().out.startswith("wrote report.html (")
    page = Path("report.html").read_text()
    for heading in ("The catalog and the model", "Shoppers", "Recommendation quality", "Timing models"):
        assert f">{heading}</h2>" in page
    assert "Demo Outfitters" in page and "Summit &lt;Jacket&gt; &amp; Co" in page and "<Jacket>" not in page
    assert "<script" not in page and not re.search(r"""(src|href)=["']?(https?:)?//""", page)   # nothing fetched
    assert page.count("<svg") >= 2 and all("<caption>" in table for table in page.split("<table")[1:])
    assert 'scope="col"' in page and 'role="img"' in page


def test_shoppers_are_replayed_at_their_last_event_through_the_engine():
    from train_logs import sessions_chunk

    from shopkeeper.engine.config.site import parse_config
    from shopkeeper.model import InMemoryModel
    from shopkeeper.publish.read.eventlog import CART, PURCHASE
    from shopkeeper.publish.report.shopper_figures import shopper_figures

    products = [Product(name, price=40.0) for name in ("A", "B", "C")]
    config = parse_config({
        "segments": [{"name": "buyers", "rule": "orders >= 1"}],
        "slots": [{"name": "hero", "variants": [{"name": "thanks", "segment": "buyers", "template": "<p>Thanks</p>"}]}],
        "campaigns": [{"name": "cart-reminder", "trigger": "cart_abandonment", "threshold": 60, "template": "<p>Still there?</p>"}],
    }, check_templates=False)
    log = [["A", "B"], ["B", ("B", CART)], ["C", ("C", CART), ("C", PURCHASE)]]
    figures = shopper_figures(InMemoryModel(ModelData(products=products)), config, [sessions_chunk(log)], sessions_in_log=3)
    assert (figures.shoppers, figures.of) == (3, 3)
    assert figures.segments == {"buyers": 1}
    assert figures.slot_variants == {"hero": {"thanks": 1, "default": 2}}
    assert figures.popups == {("cart-reminder", "cart_abandonment"): 1}   # the cart left behind, not the one bought
    sampled = shopper_figures(InMemoryModel(ModelData(products=products)), config, [sessions_chunk(log)], sessions_in_log=3, limit=1)
    assert sampled.of == 3 and sampled.shoppers <= 1   # a third of them by hash, at most the limit


def visitors_chunk(rows):
    """rows: (visitor, session, seconds, product, kind, url, referrer)."""
    import numpy as np

    from shopkeeper.publish.read.eventlog import EventChunk

    visitor, session, ts, product, kind, url, referrer = (list(column) for column in zip(*rows))
    n = len(rows)
    return EventChunk(np.array(session, np.int64), np.array(visitor, np.int64), np.array(ts, np.float64), np.array(kind, np.int8),
                      np.array(product, dtype=object), np.ones(n, np.int32), np.full(n, 40.0),
                      np.array(url, dtype=object), np.array(referrer, dtype=object))


def test_segment_sessions_traffic_sources_arm_shares_and_warnings_by_hand():
    from shopkeeper.engine.config.site import parse_config
    from shopkeeper.model import InMemoryModel
    from shopkeeper.publish.read.eventlog import PURCHASE, VIEW
    from shopkeeper.publish.report.shopper_figures import shopper_figures

    shop = "https://shop.example"
    day = 86_400.0
    rows = [  # shopper 1: two sessions, the last landing from a search engine; shopper 2 buys, arriving direct;
        (1, 10, 0.0, "A", VIEW, f"{shop}/p/a", ""),   # shopper 3 lands from the newsletter and clicks on
        (1, 11, 2 * day, "B", VIEW, f"{shop}/p/b", "https://www.google.com/"),
        (2, 20, 0.0, "A", VIEW, f"{shop}/p/a", ""),
        (2, 20, 60.0, "A", PURCHASE, f"{shop}/thanks", f"{shop}/p/a"),
        (3, 30, 0.0, "C", VIEW, f"{shop}/p/c?utm_source=news&utm_medium=email", ""),
        (3, 30, 30.0, "A", VIEW, f"{shop}/p/a", f"{shop}/p/c?utm_source=news&utm_medium=email"),
    ]
    config = parse_config({
        "segments": [{"name": "buyers", "rule": "orders >= 1"}, {"name": "big-spenders", "rule": "total_spend >= 10000"}],
        "slots": [{"name": "hero", "variants": [{"name": "thanks", "segment": "buyers", "template": "<p>Thanks</p>"},
                                                {"name": "whales", "segment": "big-spenders", "template": "<p>!</p>"}]}],
        "campaigns": [{"name": "cart-reminder", "trigger": "cart_abandonment", "threshold": 60, "template": "<p>Still there?</p>"}],
        "experiments": [{"name": "copy", "salt": "copy-1", "holdout": 0.5, "arms": [{"name": "a"}]}],
    }, check_templates=False)
    model = InMemoryModel(ModelData(products=[Product(name, price=40.0) for name in "ABC"]))
    figures = shopper_figures(model, config, [visitors_chunk(rows)], sessions_in_log=4)
    assert (figures.shoppers, figures.of, figures.sessions) == (3, 3, 4)
    assert figures.segments == {"buyers": 1} and figures.segment_sessions == {"buyers": 1}   # 1 of the 4 sessions
    assert sum(figures.lifecycle.values()) == 3 and sum(figures.lifecycle_sessions.values()) == 4
    assert figures.addresses_known and figures.sources == {"search": 1, "direct": 1, "email": 1}
    assert sum(figures.arms["copy"].values()) == 3 and set(figures.arms["copy"]) <= {"holdout", "a"}
    assert figures.arm_srm_p["copy"] is None or 0 < figures.arm_srm_p["copy"] <= 1
    assert figures.warnings == [
        "segment big-spenders: none of the 3 shoppers replayed is in it",
        "slot hero, variant whales: none of the 3 shoppers replayed would see it",
        "popup cart-reminder: it would arm for none of the 3 shoppers replayed on the home page",
    ]
    without_addresses = [(*row[:5], "", "") for row in rows]
    plain = shopper_figures(model, config, [visitors_chunk(without_addresses)], sessions_in_log=4)
    assert not plain.addresses_known and plain.sources == {"direct": 3}


def test_a_skewed_arm_split_is_a_warning():
    from collections import Counter

    from shopkeeper.engine.config.site import parse_config
    from shopkeeper.publish.lift import experiment_splits, sample_ratio_p
    from shopkeeper.publish.report.shopper_figures import ShopperFigures, replay_warnings

    config = parse_config({"experiments": [{"name": "copy", "salt": "s", "holdout": 0.1, "arms": [{"name": "a"}, {"name": "b"}]}]},
                          check_templates=False)
    shares = experiment_splits(config)["copy"]
    assert shares == {"holdout": 0.1, "a": 0.45, "b": 0.45}
    assert sample_ratio_p({"holdout": 100, "a": 450, "b": 450, "not in the experiment": 7}, shares) > 0.99
    skewed = sample_ratio_p({"holdout": 100, "a": 450, "b": 300}, shares)
    figures = ShopperFigures(shoppers=850, arms={"copy": Counter(holdout=100, a=450, b=300)}, arm_srm_p={"copy": skewed})
    assert skewed < 1e-4 and replay_warnings(config, figures) == [
        f"experiment copy: its arms are not the sizes its split asks for (p = {skewed:.2g})"]


def test_calibration_bins_by_hand():
    import numpy as np

    from shopkeeper.publish.train.timing import calibration

    p = np.array([0.1, 0.1, 0.2, 0.2, 0.8, 0.9])
    y = np.array([0, 0, 1, 0, 1, 1])
    assert calibration(y, p, bins=3) == [
        {"predicted": 0.1, "observed": 0.0, "rows": 2}, {"predicted": 0.2, "observed": 0.5, "rows": 2},
        {"predicted": pytest.approx(0.85), "observed": 1.0, "rows": 2}]
    tied = calibration(np.array([0, 1, 1, 0]), np.full(4, 0.3), bins=10)   # one prediction: one bin, not ten
    assert tied == [{"predicted": pytest.approx(0.3), "observed": 0.5, "rows": 4}]
    assert calibration(np.zeros(0), np.zeros(0)) == []


def test_calibration_chart_has_round_ticks_and_a_dot_per_bin():
    from shopkeeper.publish.report.charts import calibration_chart

    svg = calibration_chart("buy <anyway>", [{"predicted": 0.01, "observed": 0.012, "rows": 10},
                                             {"predicted": 0.03, "observed": 0.028, "rows": 40}])
    assert svg.count("<circle") == 2 and "buy &lt;anyway&gt;" in svg and "<anyway>" not in svg
    assert [tick for tick in ("0%", "1%", "2%", "3%", "4%") if f">{tick}</text>" in svg] == ["0%", "1%", "2%", "3%"]
    assert ">0.5%</text>" in calibration_chart("small", [{"predicted": 0.012, "observed": 0.01, "rows": 5}])


def test_images_are_embedded_from_the_storefront_files_only(tmp_path):
    from shopkeeper.publish.report.catalog_figures import CatalogFigures
    from shopkeeper.publish.report.report import embedded_images

    site = tmp_path / "site"
    (site / "img").mkdir(parents=True)
    (site / "img" / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (site / "img" / "big.png").write_bytes(b"\x89PNG" + bytes(200_000))
    (tmp_path / "secret.svg").write_text("<svg/>")
    shown = [Product("A", image="https://cdn.example/img/a.svg?v=3"), Product("B", image="/img/big.png"),
             Product("C", image="/../secret.svg"), Product("D", image="/img/missing.jpg"), Product("E")]
    figures = CatalogFigures(products=5, with_neighbours={}, strongest_pairs={}, most_popular=shown, trending=[], cold=0,
                             cold_examples=[], model_bytes=0)
    images = embedded_images({"catalog": figures}, site)
    assert list(images) == ["https://cdn.example/img/a.svg?v=3"] and images[shown[0].image].startswith("data:image/svg+xml;base64,")
    assert embedded_images({"catalog": figures}, None) == {}


def test_a_log_holding_exposures_puts_each_experiments_lift_on_the_page(tmp_path, monkeypatch, capsys):
    import random

    from shopkeeper.engine.experiments import Arm, Experiment, assign

    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "catalog.csv", "catalog.csv")
    experiment = Experiment("hero-copy", salt="hero-copy-1", holdout=0.2, arms=(Arm("story"),))
    Path("site.toml").write_text('[[experiments]]\nname = "hero-copy"\nsalt = "hero-copy-1"\nholdout = 0.2\narms = [{ name = "story" }]\n')
    rng, rows = random.Random(3), ["visitor,ts,event,product,experiment,arm,holdout,value"]
    for number in range(3000):
        visitor, start = f"v{number}", 1_767_225_600 + number * 7
        holdout = assign(experiment, visitor).holdout
        rows.append(f"{visitor},{start},view_item,SKU-10{number % 4},,,,")
        rows.append(f"{visitor},{start + 5},shopkeeper_exposure,,hero-copy,{'' if holdout else 'story'},{str(holdout).lower()},")
        rows.append(f"{visitor},{start + 60},view_item,SKU-10{(number + 1) % 4},,,,")
        if rng.random() < (0.05 if holdout else 0.10):   # the story doubles conversion
            rows.append(f"{visitor},{start + 120},purchase,SKU-10{number % 4},,,,50")
    Path("events.csv").write_text("\n".join(rows) + "\n")
    assert main(["report", "--catalog", "catalog.csv", "--events", "events.csv", "--config", "site.toml", "--out", "report.html"]) == 0
    err = capsys.readouterr().err
    assert "reading the 3,000 shopkeeper_exposure events and the purchases for the experiments' lift" in err
    page = Path("report.html").read_text()
    assert '<h2 id="lift">Experiments</h2>' in page and "<caption>Experiment hero-copy</caption>" in page
    section = page.split('<h2 id="lift">')[1]
    story = re.search(r'<th scope="row">story</th>.*?</tr>', section, re.S).group(0)
    lift = float(re.search(r"<td>\+?(-?[\d.]+)% \(", story).group(1))
    assert 40 < lift < 250   # about +100 %, inside a wide interval at this size
    assert "Sample ratio: p = " in section and "a mismatch" not in section


def test_what_a_page_downloads_follows_the_publish_the_store_gets():
    from shopkeeper.model import encode_model
    from shopkeeper.publish.report.catalog_figures import download_figures

    def store(n):
        products = [Product(f"P{i:04d}", title=f"Product {i}", price=10.0 + i % 50, category=("Camping", f"Leaf {i % 12}"))
                    for i in range(n)]
        lists = [[((i + 1) % n, 1.0), ((i + 2) % n, 0.5)] for i in range(n)]
        return ModelData(products=products, neighbours={"viewed_together": lists, "bought_together": [[] for _ in range(n)]},
                         popularity=[float(n - i) for i in range(n)], trending=[0.0] * n)

    small = store(40)
    one_file = download_figures(small, blob := encode_model(small))
    assert not one_file.sharded and one_file.home_page == one_file.product_page == len(blob)
    large = store(1200)
    blob = encode_model(large)
    sharded = download_figures(large, blob)
    assert sharded.sharded and sharded.shards > 1200   # a shard per product, plus categories and bucket indexes
    assert sharded.home_page < len(blob) / 3 and sharded.home_page < sharded.product_page < len(blob)
    assert sharded.home_page < sharded.category_page


def test_each_shelf_gets_a_sentence_on_what_its_figures_mean():
    from shopkeeper.publish.report.report import quality_sentence

    product_page = {"page": "product", "prefixes": 1200, "hr@20": 0.5, "ceiling": 0.9, "excludes_viewed": True,
                    "peers": {"popularity": {"hr@20": 0.2, "model_bytes": 4096}, "item_knn_full": {"hr@20": 0.45, "model_bytes": 20480}}}
    assert quality_sentence("viewed-together", product_page) == (
        "On 1,200 later product pages, viewed-together lists the product the shopper opened next on 50.0% of them, "
        "5.0 points ahead of the best peer (item knn full, 45.0%, whose model takes 20 KB); "
        "a shelf that never shows anything viewed before could list at most 90.0%.")
    cart = {"page": "cart", "prefixes": 80, "hr@20": 0.3, "peers": {"co_purchase": {"hr@20": 0.35}}}
    assert quality_sentence("bought-together", cart) == (
        "On 80 past orders with one product hidden, bought-together lists the hidden product among its 20 on 30.0% of them, "
        "5.0 points behind the best peer (co purchase, 35.0%).")
