"""The merchant's report: figures from the model publish writes, a page that needs nothing outside itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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
    assert figures.cold == 1 and figures.cold_examples == [products[2]] and figures.first_page_model_bytes == 1234
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
