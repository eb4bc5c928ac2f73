"""The merchant's report of the demo store, opened in Chromium as a merchant opens the file."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT

ARTIFACTS = ROOT / "build" / "test-artifacts"
SECTIONS = ["The catalog and the model", "Shoppers", "Recommendation quality", "Timing models"]


@pytest.fixture(scope="module")
def report(demo_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "report.html"
    subprocess.run([sys.executable, "-m", "shopkeeper.cli", "report", "-q", "--catalog", str(ROOT / "demo_store" / "data" / "catalog.csv"),
                    "--events", str(demo_build / "events.csv"), "--config", str(ROOT / "demo_store" / "site.toml"),
                    "--images", str(demo_build / "site"), "--out", str(out)], check=True, capture_output=True)
    return out


def test_the_report_reads_on_its_own_with_every_section_and_accessible_charts(browser, report):
    context = browser.new_context(viewport={"width": 1000, "height": 1400})
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report.as_uri())
    assert requests == [report.as_uri()], "the report fetched something besides itself"
    assert page.locator("h2").all_inner_texts() == SECTIONS
    assert page.locator("header h1").count() == 1 and page.locator("main").count() == 1
    assert page.locator("main section[aria-labelledby]").count() == len(SECTIONS)
    tables = page.locator("table")
    assert tables.count() >= 8
    for i in range(tables.count()):
        table = tables.nth(i)
        assert table.locator("caption").count() == 1 and table.locator("th[scope='col']").count() >= 2
    charts = page.locator("svg[role='img']")
    assert charts.count() >= 4
    for i in range(charts.count()):
        chart = charts.nth(i)
        assert chart.get_attribute("aria-label") and chart.locator("title").count() == 1
        box = chart.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 10 and chart.locator("rect, circle").count() >= 1
    assert "Ridgeline Outfitters" in page.locator("h1").inner_text()
    assert page.get_by_role("img", name="Calibration of leave soon: observed against predicted").count() == 1
    assert page.get_by_role("img", name="Shoppers by the traffic source of their last visit").count() == 1
    thumbnails = page.locator("td img")   # product images, embedded from the storefront's files; alt="" beside their title
    assert thumbnails.count() >= 20 and all(src.startswith("data:image/svg+xml;base64,")
                                            for src in thumbnails.evaluate_all("images => images.map(image => image.src)"))
    assert thumbnails.evaluate_all("images => images.every(image => image.complete && image.naturalWidth > 0 && image.alt === '')")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000
    context.close()
