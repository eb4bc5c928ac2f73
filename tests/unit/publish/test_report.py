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


def test_the_report_is_one_self_contained_page_with_every_section(tmp_path, monkeypatch, capsys):
    for path in FIXTURES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    monkeypatch.chdir(tmp_path)
    Path("catalog.csv").write_text(Path("catalog.csv").read_text().replace("Summit Jacket", "Summit <Jacket> & Co"))
    assert main(["report", "-q", "--catalog", "catalog.csv", "--events", "events.csv", "--config", "site.toml", "--out", "report.html"]) == 0
    assert capsys.readouterr().out.startswith("wrote report.html (")
    page = Path("report.html").read_text()
    for heading in ("The catalog and the model", "Recommendation quality", "Timing models"):
        assert f">{heading}</h2>" in page
    assert "Demo Outfitters" in page and "Summit &lt;Jacket&gt; &amp; Co" in page and "<Jacket>" not in page
    assert "<script" not in page and not re.search(r"""(src|href)=["']?(https?:)?//""", page)   # nothing fetched
    assert page.count("<svg") >= 2 and all("<caption>" in table for table in page.split("<table")[1:])
    assert 'scope="col"' in page and 'role="img"' in page
