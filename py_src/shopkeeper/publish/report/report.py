"""The merchant's report: what the model learned, whom shoppers are and what they would
see, how well its shelves rank, how its timing models separate, on one self-contained
page (no script, no request, prints).

Built from the same steps as publish and evaluate, so its figures are theirs: the model
is trained by train_model and encoded by encode_model (its sizes are the file's), the
shelves are measured by run_evaluation (decide_page, as the worker calls it). The page is
rendered by Jinja2 with autoescaping; charts are SVG drawn by report/charts.py.
"""

from __future__ import annotations

from importlib.resources import files

from shopkeeper.publish.report.catalog_figures import catalog_figures
from shopkeeper.publish.report.charts import bar_chart
from shopkeeper.publish.report.shopper_figures import shopper_figures

__all__ = ["build_report", "render_report"]


def build_report(products, readings, config: dict, *, k: int = 20, progress=lambda message: None) -> dict:
    """The report's figures. `readings` are three readings of the same log (each is
    consumed once): one trains the model as publish does, one is evaluated, one replayed."""
    from shopkeeper.engine.config.site import parse_config
    from shopkeeper.model import decode_model, encode_model
    from shopkeeper.publish.evaluate.holdout import run_evaluation
    from shopkeeper.publish.train.pipeline import train_model

    training, evaluated, replayed = readings
    data, trained = train_model(products, training, config, k=k, progress=progress)
    blob = encode_model(data)
    progress("measuring the shelves against their peers")
    evaluation = run_evaluation(evaluated, catalog=products, site_config=config, k=k, progress=progress)
    progress("replaying shoppers through the engine")
    model = decode_model(blob)
    shoppers = shopper_figures(model, parse_config(model.config, check_templates=False), replayed, trained["counts"]["sessions"])
    return {"shop": (config.get("shop") or {}).get("name", ""), "catalog": catalog_figures(data, len(blob)),
            "counts": trained["counts"], "timing": trained["timing"], "next_item": trained["next_item"],
            "evaluation": evaluation, "shoppers": shoppers}


def render_report(report: dict) -> str:
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
    return template.render(report=report, catalog=catalog, coverage=Markup(coverage), quality=quality,
                           shoppers=shoppers, lifecycle=lifecycle)
