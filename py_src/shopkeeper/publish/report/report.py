"""The merchant's report: what the model learned, whom shoppers are and what they would
see, how well its shelves rank, how its timing models separate, what its experiments
earned, on one self-contained page (no script, no request, prints).

Built from the same steps as publish and evaluate, so its figures are theirs: the model
is trained as train_model trains it and encoded by encode_model (its sizes are the
file's), the shelves are measured as run_evaluation measures them (decide_page, as the
worker calls it), all from one reading of the log. The page is rendered by Jinja2 with
autoescaping; charts are SVG drawn by report/charts.py; product images are embedded as
data: addresses from the storefront's files when the merchant points at them.
"""

from __future__ import annotations

import base64
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from shopkeeper.publish.lift import SRM_P
from shopkeeper.publish.report.catalog_figures import catalog_figures, download_figures
from shopkeeper.publish.report.charts import bar_chart, calibration_chart
from shopkeeper.publish.report.shopper_figures import shopper_figures

__all__ = ["build_report", "embedded_images", "render_report"]

IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
               ".webp": "image/webp", ".gif": "image/gif", ".avif": "image/avif"}
MAX_IMAGE_BYTES = 100_000
# Test product pages the quality section scores: half `evaluate`'s default, which keeps the
# report of a 10M-event log within two minutes (benchmarks/report.py) and HR@20 within
# about a point; `shopkeeper evaluate` measures the shelves at full size.
TEST_PAGES = 15_000


def build_report(products, chunks: Iterable, config: dict, *, k: int = 20, lift: list | None = None,
                 progress=lambda message: None) -> dict:
    """The report's figures from one reading of the log, kept in memory: it is sessionized
    once for training (as publish trains) and for the evaluation (its time split), and its
    rows are replayed (the replay needs visitors, prices and addresses, which sessions
    drop). `lift`: the experiments' lift (publish.lift) when the log holds exposures."""
    from shopkeeper.engine.config.site import parse_config
    from shopkeeper.model import decode_model, encode_model
    from shopkeeper.publish.evaluate.holdout import TEST_SHARE, evaluate_split
    from shopkeeper.publish.train.pipeline import read_sessions, train_on_sessions
    from shopkeeper.publish.train.sessions import time_split

    chunks = list(chunks)
    products, log, read, _ = read_sessions(products, chunks, config, progress)
    data, trained = train_on_sessions(products, log, config, k=k, progress=progress)
    trained["counts"].update(read)
    blob = encode_model(data)
    with _beside(download_figures, data, blob) as downloads:
        progress("measuring the shelves against their peers")
        past, future = time_split(log, None, TEST_SHARE)
        del log
        evaluation = evaluate_split(products, past, future, k=k, site_config=config, max_test_pages=TEST_PAGES,
                                    progress=progress)
        del past, future
    progress("replaying shoppers through the engine")
    model = decode_model(blob)
    shoppers = shopper_figures(model, parse_config(model.config, check_templates=False), chunks, trained["counts"]["sessions"])
    return {"shop": (config.get("shop") or {}).get("name", ""), "catalog": catalog_figures(data, len(blob)),
            "downloads": downloads.result(),
            "counts": trained["counts"], "timing": trained["timing"], "next_item": trained["next_item"],
            "evaluation": evaluation, "shoppers": shoppers, "lift": lift or []}


@contextmanager
def _beside(function, *args):
    """`function(*args)` in a forked process while the block runs (publish's sharding,
    measured here, takes seconds that the evaluation would otherwise wait for); in this
    process where fork is not available. The block gets a future: .result() after it."""
    if "fork" not in multiprocessing.get_all_start_methods():
        with ThreadPoolExecutor(1) as inline:
            yield inline.submit(function, *args)
        return
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool.submit(function, *args)


def embedded_images(report: dict, site: Path | None) -> dict[str, str]:
    """The data: address of each image the report shows, read from the storefront's files
    under `site` by the path of the catalog's image address; images not found there, or
    over MAX_IMAGE_BYTES, are left out (the page then shows titles alone)."""
    if site is None:
        return {}
    catalog = report["catalog"]
    shown = [product for pairs in catalog.strongest_pairs.values() for pair in pairs for product in (pair.first, pair.second)]
    shown += catalog.most_popular + catalog.trending
    images = {}
    root = site.resolve()
    for product in shown:
        address = product.image
        if not address or address in images:
            continue
        path = (root / urlsplit(address).path.lstrip("/")).resolve()
        kind = IMAGE_TYPES.get(path.suffix.lower())
        if kind and path.is_relative_to(root) and path.is_file() and path.stat().st_size <= MAX_IMAGE_BYTES:
            images[address] = f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    return images


def quality_sentence(name: str, figures: dict) -> str:
    """What one shelf's evaluation means, in a sentence: its hit rate, the best peer's, and
    (on product pages) the most any shelf under its exclusions could list."""
    peers = figures.get("peers") or {}
    best = max(peers, key=lambda peer: peers[peer]["hr@20"], default=None)
    hit = figures["hr@20"]
    if figures.get("page") == "cart":
        said = (f"On {figures['prefixes']:,} past orders with one product hidden, {name} lists the hidden product "
                f"among its 20 on {hit:.1%} of them")
    else:
        said = f"On {figures['prefixes']:,} later product pages, {name} lists the product the shopper opened next on {hit:.1%} of them"
    if best is not None:
        gap = (hit - peers[best]["hr@20"]) * 100
        size = f", whose model takes {peers[best]['model_bytes'] / 1024:,.0f} KB" if peers[best].get("model_bytes") else ""
        said += (f", {abs(gap):.1f} points {'ahead of' if gap >= 0 else 'behind'} the best peer "
                 f"({best.replace('_', ' ')}, {peers[best]['hr@20']:.1%}{size})")
    if figures.get("ceiling") is not None:
        what = "anything viewed before" if figures.get("excludes_viewed") else "the product on screen"
        said += f"; a shelf that never shows {what} could list at most {figures['ceiling']:.1%}"
    return said + "."


def render_report(report: dict, images: dict[str, str] | None = None) -> str:
    from jinja2 import Environment
    from markupsafe import Markup

    environment = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    template = environment.from_string(files("shopkeeper.publish.report").joinpath("page.html").read_text(encoding="utf-8"))
    catalog = report["catalog"]
    coverage = bar_chart("Products with a list of each kind", [
        (kind.replace("_", " "), count / max(catalog.products, 1)) for kind, count in catalog.with_neighbours.items()], percent=True)
    quality = {name: Markup(bar_chart(f"HR@20 of {name}", [(method, row["hr@20"]) for method, row in
                                                            {"shopkeeper": figures, **figures["peers"]}.items()]))
               for name, figures in report["evaluation"]["placements"].items()}
    shoppers = report["shoppers"]
    lifecycle = Markup(bar_chart("Shoppers by lifecycle stage", [(stage, count / max(shoppers.shoppers, 1))
                                                                 for stage, count in shoppers.lifecycle.most_common()], percent=True))
    sources = Markup(bar_chart("Shoppers by the traffic source of their last visit", [
        (source, count / max(shoppers.shoppers, 1)) for source, count in shoppers.sources.most_common()], percent=True))
    calibration = {name: Markup(calibration_chart(f"Calibration of {name.replace('_', ' ')}: observed against predicted",
                                                  figures["calibration"]))
                   for name, figures in report["timing"].items() if figures.get("calibration")}
    return template.render(report=report, catalog=catalog, coverage=Markup(coverage), quality=quality,
                           shoppers=shoppers, lifecycle=lifecycle, sources=sources, calibration=calibration,
                           images=images or {}, srm_threshold=SRM_P,
                           sentences={name: quality_sentence(name, figures)
                                      for name, figures in report["evaluation"]["placements"].items()})
