"""The `shopkeeper` command: publish a model, look inside one, preview a shopper's page,
evaluate the shelves, check how a site serves it.

Each command is a thin function over the library and its docstring is its --help. A
problem with the merchant's input (a bad row, a bad rule, a damaged model) becomes one
line, `shopkeeper: error: catalog.csv:17: ...`, and exit status 2, with the output
directory as it was. Progress goes to stderr, results to stdout.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
import time
from pathlib import Path

from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read.sources import read_json

__all__ = ["build_parser", "main"]

COLUMN_FIELDS = "session, visitor, product, ts, type, quantity, price, url, referrer"


def publish_command(args: argparse.Namespace) -> None:
    """Turn a catalog, an event log and a site config into a model beside the runtime.

    The catalog is CSV, TSV, JSON Lines or a Google Merchant Center feed; the event log
    CSV, TSV, JSON Lines, Parquet or a GA4 BigQuery export (JSON Lines), recognised by
    their content and column names. Without --config, recommendations use defaults.
    DIR receives the browser runtime, model-HASH.skm (with shards/ beside it for a model
    in shards) and manifest.json, all at once: a publish that fails leaves DIR as it was.
    """
    from shopkeeper.model import FORMAT_VERSION, decode_model, encode_model
    from shopkeeper.publish.output import output_files, write_output_atomically
    from shopkeeper.publish.read.catalog import read_catalog
    from shopkeeper.publish.read.events import read_event_log
    from shopkeeper.publish.read.site_config import load_site_config
    from shopkeeper.publish.sharding import sharded_files, wants_shards
    from shopkeeper.publish.train.pipeline import session_gap_seconds, train_model

    say = _progress(args.quiet)
    config = load_site_config(args.config) if args.config else {}
    say(f"reading {args.catalog}")
    catalog = read_catalog(args.catalog, columns=args.catalog_columns)
    _warn(catalog.warnings)
    say(f"{len(catalog.products):,} products")
    events = read_event_log(args.events, columns=args.columns, session_gap_minutes=session_gap_seconds(config) / 60)
    data, report = train_model(catalog.products, _announced(events, say), config, k=args.k, progress=say,
                               tune=not args.no_tune)
    _warn(events.warnings)
    say("encoding the model")
    model = encode_model(data)
    decode_model(model)  # never publish a model the runtime would refuse to open
    shards = {}
    if wants_shards(len(data.products), args.shards):
        say("cutting the model into shards")
        sharded = sharded_files(data, model)
        model, shards = sharded.main, sharded.shards
        decode_model(model)
    files = output_files(model, format_version=FORMAT_VERSION, runtime_dir=args.runtime, shards=shards)
    out = write_output_atomically(args.out, files, keep_previous=True)
    name = json.loads(files["manifest.json"])["model"]["name"]
    in_shards = f" in {len(shards):,} shards ({sum(map(len, shards.values())):,} bytes)" if shards else ""
    print(f"published {out}: {name} ({len(model):,} bytes, {len(data.products):,} products){in_shards} "
          f"and {len(files) - 2 - len(shards)} runtime files")
    for key, value in report.items():
        if key == "timing":
            for name, figures in value.items():
                print(f"  {name}: {timing_line(name, figures)}")
        else:
            print(f"  {key}: {next_item_line(value) if key == 'next_item' else _flat(value)}")


# What the popups do when a timing model could not be trained (docs/site-config.md, Popups).
WITHOUT_TIMING_MODEL = {
    "leave_soon": "timed popups keep the delays the site config gives them",
    "buy_anyway": "discount popups are never held back for shoppers likely to buy anyway",
}


def timing_line(name: str, figures: dict) -> str:
    """A timing model's held-out quality in words, or why it was not trained and what that means."""
    if not figures.get("trained", True):
        return f"not trained: {figures['why']}, so {WITHOUT_TIMING_MODEL[name]}"
    if figures["auc"] is None or figures["log_loss"] is None:
        return (f"trained on {figures['rows']:,} events; the latest sessions' {figures['held_out_rows']:,} events "
                "hold too few of both outcomes to measure it on")
    return (f"AUC {figures['auc']:.3f} on {figures['held_out_rows']:,} held-out events of {figures['rows']:,}; log loss "
            f"{figures['log_loss']:.4f} against {figures['log_loss_base_rate']:.4f} for the base rate {figures['base_rate']:.4f}")


def next_item_line(report: dict) -> str:
    """The shelves' settings as publish chose them, with the validation figures behind them."""
    from shopkeeper.engine.recs.next_item import DEFAULTS

    settings = ", ".join(f"{name} {report[name]:g}" for name in DEFAULTS if name in report)
    line = f"{report['settings']}: {settings}"
    validation = report.get("validation")
    if validation:
        chosen, defaults = validation["chosen"], validation["defaults"]
        line += (f"; validation HR@20 {chosen['hr@20']:.4f}, MRR@20 {chosen['mrr@20']:.4f} (defaults {defaults['hr@20']:.4f}, "
                 f"{defaults['mrr@20']:.4f}) on {validation['next_clicks']:,} of {validation['of']:,} held-out next clicks")
    return line


def inspect_command(args: argparse.Namespace) -> None:
    """Show what a model holds: bytes per section, products, config, a product's neighbours.

    MODEL is a model file or a published directory (its manifest.json names the model).
    With --product, the lists the model stores and the similar products the engine
    derives from them (category, brand, price band).
    """
    from shopkeeper.engine.recs.next_item import next_item_params
    from shopkeeper.engine.recs.similar import similar_products
    from shopkeeper.model import NEIGHBOUR_KINDS, decode_model, section_sizes

    path, blob = _model_blob(args.model)
    model, sizes = decode_model(blob), section_sizes(blob)
    count = len(model)
    print(f"{path}: {len(blob):,} bytes, {count:,} products, version {model.version}")
    width = max(map(len, sizes))
    for section, size in sizes.items():
        print(f"  {section:<{width}} {size:>12,} bytes  {size / max(count, 1):8.1f} per product")
    for key in ("segments", "slots", "placements", "campaigns", "experiments"):
        names = [item.get("name", "?") for item in model.config.get(key, []) if isinstance(item, dict)]
        print(f"{key}: {', '.join(names) if names else '(none)'}")
    params, shipped = next_item_params(model), model.config.get("next_item")
    source = "shipped in the model" if isinstance(shipped, dict) else "none shipped: the engine's defaults"
    print(f"next-item shelves ({source}): " + ", ".join(f"{name} {value:g}" for name, value in params.items()))
    if args.product is not None:
        index = model.index_of(args.product)
        if index is None:
            raise InputError(path, None, f"no product {args.product!r} in this model")
        lists = {kind: model.neighbours(kind, index) for kind in NEIGHBOUR_KINDS}
        lists["similar"] = similar_products(model, index, args.limit)
        for kind, pairs in lists.items():
            shown = [f"{model.product(other).id} {weight:.2f}" for other, weight in pairs[:args.limit]]
            print(f"{kind} of {args.product}: {', '.join(shown) if shown else '(none)'}")


def preview_command(args: argparse.Namespace) -> None:
    """Show the decisions a shopper would get on a page, made by the browser worker's own entry.

    MODEL is a published directory (or a model-*.skm file; a model in shards needs its
    directory, which holds the shards). The shopper is --events FILE (the privacy panel's
    export, or a JSON list of events as the browser stores them) or --story, steps
    separated by commas: view ID, category NAME, cart ID, remove ID, buy ID [ID ...],
    search WORDS, home, wait N(m|h|d); neither is a first-time visitor. Each product and
    category page the shopper opened fetched its shards, as in the browser. The page is
    --page, --product, --category; its slots and shelves are every one of the site config
    unless --slot and --shelf name them. Prints the shopper's lifecycle and segments, the
    slot variants, the shelves with their reasons, the armed popups and the experiments;
    --json prints the decisions as docs/decisions.md describes.
    """
    from shopkeeper.publish.preview import PreviewPage, exported_records, preview, preview_text, story_records

    path, blob = _model_blob(args.model)
    now_ms = _time_ms(args.at) if args.at else time.time() * 1000.0
    if args.events and args.story:
        raise InputError("--story", None, "give the shopper as --events or as --story, not both")
    records = exported_records(args.events) if args.events else story_records(args.story, now_ms) if args.story else []
    page = PreviewPage(page=args.page, product=args.product or "", category=args.category or "",
                       slots=tuple(args.slot) or None, shelves=tuple(args.shelf) or None, visitor=args.visitor or "")
    result = preview(path.parent, blob, records, page, now_ms)
    print(json.dumps(result["decisions"], indent=2, ensure_ascii=False) if args.json else preview_text(result))


def _time_ms(text: str) -> float:
    """Unix seconds, or an ISO 8601 date-time (UTC without an offset), as ms."""
    from shopkeeper.publish.read.event_values import parse_iso

    try:
        return float(text) * 1000.0
    except ValueError:
        pass
    try:
        return parse_iso(text) * 1000.0
    except ValueError:
        raise InputError("--at", None, f"{text!r} is neither Unix seconds nor an ISO 8601 date-time") from None


def evaluate_command(args: argparse.Namespace) -> None:
    """Measure the shelves shoppers are shown against their peers on one split.

    The model is trained and tuned as publish does; every later session's product pages
    are replayed through the decision function the browser worker calls, and each shelf
    is scored on the next click: HR@10, HR@20, MRR@20, NDCG@10. Measured: the product
    page's default shelf (viewed-together), the same without viewed products, any
    --placement of the --config, and the cart page's bought-together shelf when the log
    has purchases; popularity, full item-kNN and session-kNN under the same exclusions.
    Without --test-events the log is split by time (the latest sessions are the test).
    """
    from shopkeeper.publish.evaluate.holdout import format_table, run_evaluation
    from shopkeeper.publish.read.site_config import load_site_config

    say = _progress(args.quiet)
    config = load_site_config(args.config) if args.config else {}
    catalog = None
    if args.catalog:
        from shopkeeper.publish.read.catalog import read_catalog

        read = read_catalog(args.catalog, columns=args.catalog_columns)
        _warn(read.warnings)
        catalog = read.products
    results = run_evaluation(args.events, args.test_events, columns=args.columns, k=args.k, tune=not args.no_tune,
                             site_config=config, placements=args.placement, catalog=catalog,
                             max_test_pages=args.max_test_pages, progress=say)
    print(format_table(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=_json_value) + "\n")


def lift_command(args: argparse.Namespace) -> None:
    """What each experiment earned, from your own analytics export of the exposures and purchases.

    EVENTS is a GA4 BigQuery export (JSON Lines) holding the shopkeeper_exposure events
    the loader pushes to dataLayer and the purchases, or a CSV with the columns visitor,
    ts, event (shopkeeper_exposure or purchase), experiment, arm, holdout and value. A
    shopper counts in the group of their first exposure, and converts by buying then or
    later. Per experiment and group: shoppers, conversion rate and revenue per shopper with
    95 % intervals, each arm's lift over the holdout with its interval and p-value, and a
    sample-ratio check of the group sizes against the split of --config's experiment.
    """
    from shopkeeper.publish.lift import experiment_lift, lift_text, read_exposures_and_purchases

    experiments, purchases = read_exposures_and_purchases(args.events)
    splits = _experiment_splits(args.config) if args.config else {}
    names = [args.experiment] if args.experiment else sorted(experiments)
    if args.experiment and args.experiment not in experiments:
        raise InputError(args.events, None, f"no exposures of experiment {args.experiment!r}; "
                                            f"found {', '.join(sorted(experiments)) or 'none'}")
    if not names:
        raise InputError(args.events, None, "no shopkeeper_exposure events: forward them from dataLayer (README, "
                                            "Measuring experiments)")
    results = [experiment_lift(name, experiments[name], splits.get(name)) for name in names]
    if args.json:
        print(json.dumps([_lift_json(result) for result in results], indent=2))
    else:
        print(lift_text(results, purchases))


def _experiment_splits(path: str) -> dict[str, dict[str, float]]:
    from shopkeeper.engine.config.site import parse_config
    from shopkeeper.publish.lift import experiment_splits
    from shopkeeper.publish.read.site_config import load_site_config

    return experiment_splits(parse_config(load_site_config(path), check_templates=False))


def _lift_json(result) -> dict:
    from dataclasses import asdict

    return {**asdict(result), "sample_ratio_mismatch": result.sample_ratio_mismatch}


def report_command(args: argparse.Namespace) -> None:
    """Write one self-contained HTML page on what the model learned, whom it serves and how well it ranks.

    The catalog, event log and site config are read as publish reads them, the model is
    trained as publish trains it, the shelves are measured as evaluate measures them, and
    the log's shoppers are replayed through the engine. When the log holds the
    shopkeeper_exposure events your analytics kept (a GA4 export, say), the experiments'
    lift is on the page too. The page needs no network and no script, and prints; keep it
    outside the published directory (it is yours, not your shoppers').
    """
    from shopkeeper.publish.read.catalog import read_catalog
    from shopkeeper.publish.read.events import read_event_log
    from shopkeeper.publish.read.site_config import load_site_config
    from shopkeeper.publish.report.report import build_report, embedded_images, render_report
    from shopkeeper.publish.train.pipeline import session_gap_seconds

    say = _progress(args.quiet)
    config = load_site_config(args.config) if args.config else {}
    catalog = read_catalog(args.catalog, columns=args.catalog_columns)
    _warn(catalog.warnings)
    gap = session_gap_seconds(config) / 60
    events = read_event_log(args.events, columns=args.columns, session_gap_minutes=gap, addresses=True)
    chunks = list(_announced(events, say))
    report = build_report(catalog.products, chunks, config, k=args.k, lift=_report_lift(args, events, say), progress=say)
    out = Path(args.out)
    out.write_text(render_report(report, embedded_images(report, Path(args.images) if args.images else None)), encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size:,} bytes)")


def _report_lift(args: argparse.Namespace, events, say) -> list:
    """The experiments' lift when the log (already read) held exposure events, else none."""
    from shopkeeper.publish.lift import EXPOSURE_EVENT, experiment_lift, read_exposures_and_purchases

    if not events.skipped.get(EXPOSURE_EVENT):
        return []
    say(f"reading the {events.skipped[EXPOSURE_EVENT]:,} {EXPOSURE_EVENT} events and the purchases for the experiments' lift")
    try:
        experiments, _ = read_exposures_and_purchases(args.events)
    except InputError as error:
        _warn([f"no experiment lift in the report: {error}"])
        return []
    splits = _experiment_splits(args.config) if args.config else {}
    return [experiment_lift(name, experiments[name], splits.get(name)) for name in sorted(experiments)]


def check_command(args: argparse.Namespace) -> int:
    """Check that a site serves shopkeeper so that browsers run it, and run it fast.

    URL is a storefront page with the shopkeeper tag (or the URL of its manifest.json).
    Every file is fetched as a browser fetches it, and each gets one line: its type,
    compression and cache headers, whether it matches the manifest, and what the page's
    and the worker script's Content-Security-Policy allow. Errors stop personalization
    (the page keeps its defaults); warnings cost shoppers time or bytes. Exit status 1
    when there is an error (with --strict, a warning too), 0 otherwise.
    """
    from shopkeeper.publish.check import check_site

    findings = [finding for url in args.url for finding in check_site(url)]
    for finding in findings:
        if finding.level != "ok" or finding.subject == "site" or not args.quiet:
            print(finding.line())
    errors = sum(finding.level == "error" for finding in findings)
    warnings = sum(finding.level == "warning" for finding in findings)
    verdict = "browsers will not personalize these pages" if errors else "browsers can run shopkeeper here"
    print(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}: {verdict}")
    return 1 if errors or (args.strict and warnings) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shopkeeper", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    publish = _command(commands, "publish", publish_command)
    _input_options(publish, "DIR", "directory to (re)create with the runtime and the model")
    publish.add_argument("--runtime", metavar="DIR", help="runtime directory to copy (default: the one shipped with shopkeeper)")
    publish.add_argument("--no-tune", action="store_true",
                         help="ship the engine's default shelf settings instead of tuning them on the end of the log")
    publish.add_argument("--shards", choices=("auto", "always", "never"), default="auto",
                         help="cut the model into page-keyed shards (docs/shards.md): auto from 1,000 products on (default)")
    _quiet_option(publish)

    inspect_ = _command(commands, "inspect", inspect_command)
    inspect_.add_argument("model", metavar="MODEL", help="a model-*.skm file or a published directory")
    inspect_.add_argument("--product", metavar="ID", help="also list this product's neighbours")
    inspect_.add_argument("--limit", type=_positive, default=10, help="neighbours shown per list (default 10)")

    preview = _command(commands, "preview", preview_command)
    preview.add_argument("model", metavar="MODEL", help="a published directory, or a model-*.skm file of a one-file model")
    preview.add_argument("--events", metavar="FILE", help="the shopper's events: the privacy panel's export or a JSON list")
    preview.add_argument("--story", metavar="STEPS", help='the shopper as steps, like "view SKU-1, view SKU-2, cart SKU-2"')
    preview.add_argument("--page", default="home", help="page kind: home, category, product, search, cart, checkout, order")
    preview.add_argument("--product", metavar="ID", help="the product on the page")
    preview.add_argument("--category", metavar="NAME", help="the category of a category page")
    preview.add_argument("--slot", action="append", default=[], metavar="NAME",
                         help="a content slot on the page (repeatable; default: every slot of the site config)")
    preview.add_argument("--shelf", action="append", default=[], type=_shelf, metavar="NAME[=COUNT]",
                         help="a recommendation shelf on the page, 4 items unless COUNT (repeatable; default: every placement)")
    preview.add_argument("--visitor", metavar="ID", help="the visitor id, which decides experiment arms")
    preview.add_argument("--at", metavar="TIME", help="when: Unix seconds or an ISO 8601 date-time (default: now)")
    preview.add_argument("--json", action="store_true", help="print the decisions as JSON (docs/decisions.md)")

    evaluate = _command(commands, "evaluate", evaluate_command)
    evaluate.add_argument("--events", required=True, metavar="FILE", help="event log to train on (and to split, without --test-events)")
    evaluate.add_argument("--test-events", metavar="FILE", help="separate, later event log to test on")
    _columns_option(evaluate, "--columns", f"event log columns where the names are not recognised ({COLUMN_FIELDS})")
    evaluate.add_argument("-k", type=_positive, default=20, help="neighbours kept per product and list (default 20)")
    evaluate.add_argument("--catalog", metavar="FILE", help="the products, for shelves with stock, price or boost rules")
    _columns_option(evaluate, "--catalog-columns", "catalog columns where the names are not recognised, like id=sku,price=unit_price")
    evaluate.add_argument("--config", metavar="FILE", help="site config (TOML) whose placements --placement names")
    evaluate.add_argument("--placement", action="append", default=[], metavar="NAME",
                          help="also measure this placement of --config on product pages (repeatable)")
    evaluate.add_argument("--no-tune", action="store_true", help="ship the engine's default shelf settings instead of tuning them")
    evaluate.add_argument("--max-test-pages", type=_whole, default=30_000, metavar="N",
                          help="score about N test product pages, whole sessions drawn evenly, when the test has more "
                               "(default 30,000; 0 scores them all)")
    evaluate.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    _quiet_option(evaluate)

    report = _command(commands, "report", report_command)
    _input_options(report, "FILE", "the HTML page to write (outside the published directory)")
    report.add_argument("--images", metavar="DIR", help="the storefront's files, where the catalog's image addresses are found "
                                                       "by their path: the report embeds the images it shows from there")
    _quiet_option(report)

    lift = _command(commands, "lift", lift_command)
    lift.add_argument("--events", required=True, metavar="FILE", help="your analytics export: GA4 JSON Lines, or a CSV")
    lift.add_argument("--config", metavar="FILE", help="the site config, whose experiments' splits the sample-ratio check expects")
    lift.add_argument("--experiment", metavar="NAME", help="only this experiment")
    lift.add_argument("--json", action="store_true", help="print the figures as JSON")

    check = _command(commands, "check", check_command)
    check.add_argument("url", nargs="+", metavar="URL", help="a storefront page with the shopkeeper tag, or a manifest.json URL")
    check.add_argument("--strict", action="store_true", help="exit 1 on warnings too (uncompressed or badly cached files)")
    check.add_argument("-q", "--quiet", action="store_true", help="print only the problems, the download and the summary")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = args.run(args)
    except KeyboardInterrupt:
        print("shopkeeper: interrupted", file=sys.stderr)
        return 130
    except _input_errors() as error:
        print(f"shopkeeper: error: {_one_line(error)}", file=sys.stderr)
        return 2
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"shopkeeper: error: {where}{(error.strerror or str(error)).lower()}", file=sys.stderr)
        return 1
    return status or 0


def _command(commands, name: str, function) -> argparse.ArgumentParser:
    doc = inspect.cleandoc(function.__doc__)
    parser = commands.add_parser(name, help=doc.splitlines()[0], description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(run=function)
    return parser


def _input_options(parser, out_metavar: str, out_help: str) -> None:
    """The options of a command that reads the merchant's inputs as publish does."""
    parser.add_argument("--catalog", required=True, metavar="FILE", help="products: CSV, TSV, JSON Lines or a Merchant Center feed")
    parser.add_argument("--events", required=True, metavar="FILE", help="event log: CSV, TSV, JSON Lines, Parquet or a GA4 export")
    parser.add_argument("--config", metavar="FILE", help="site config (TOML, see docs/site-config.md)")
    parser.add_argument("--out", required=True, metavar=out_metavar, help=out_help)
    _columns_option(parser, "--columns", f"event log columns where the names are not recognised ({COLUMN_FIELDS})")
    _columns_option(parser, "--catalog-columns", "catalog columns where the names are not recognised, like id=sku,price=unit_price")
    parser.add_argument("-k", type=_positive, default=20, help="neighbours kept per product and list (default 20)")


def _columns_option(parser, flag: str, help_text: str) -> None:
    parser.add_argument(flag, type=_pairs, metavar="FIELD=NAME,...", help=help_text)


def _quiet_option(parser) -> None:
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")


def _pairs(text: str) -> dict[str, str]:
    pairs = [item.partition("=") for item in text.split(",") if item.strip()]
    if not pairs or any(not key.strip() or not sep or not value.strip() for key, sep, value in pairs):
        raise argparse.ArgumentTypeError(f"expected FIELD=NAME pairs separated by commas, like session=sid,product=item; got {text!r}")
    return {key.strip(): value.strip() for key, _, value in pairs}


def _shelf(text: str) -> tuple[str, int]:
    name, _, count = text.partition("=")
    try:
        return name, _positive(count) if count else 4
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"expected NAME or NAME=COUNT, got {text!r}") from None


def _whole(text: str) -> int:
    """0 or a positive whole number."""
    return 0 if text.strip() == "0" else _positive(text)


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def _progress(quiet: bool):
    from shopkeeper.publish.progress import Progress

    return Progress(quiet=quiet)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        print(f"shopkeeper: warning: {warning}", file=sys.stderr)


def _announced(events, say):
    """The event chunks, saying how the log was read and how far reading has got: on a
    terminal a bar over the file's megabytes, elsewhere a line per chunk read."""
    shown, counter = 0, None
    path = Path(events.path)
    size_mb = max(1, round(path.stat().st_size / 1e6)) if path.is_file() else 0
    for chunk in events:
        for note in events.notes[shown:]:
            say(note)
        shown = len(events.notes)
        share = events.read_share()
        if getattr(say, "terminal", False) and share is not None and size_mb:
            counter = counter or say.count(f"reading {events.path}", size_mb, "MB")
            counter.to(round(share * size_mb))
        else:
            say(f"read {events.rows:,} events, {events.sessions:,} sessions")
        yield chunk
    if counter is not None:
        counter.to(size_mb)
        counter.close()
        say(f"read {events.rows:,} events, {events.sessions:,} sessions")


def _model_blob(path_text: str) -> tuple[Path, bytes]:
    path = Path(path_text)
    if path.is_dir():
        manifest = read_json(path / "manifest.json")
        model = manifest.get("model") if isinstance(manifest, dict) else None
        if not isinstance(model, dict) or not isinstance(model.get("name"), str):
            raise InputError(path / "manifest.json", None, "names no model: expected a published directory")
        path = path / model["name"]
    try:
        return path, path.read_bytes()
    except OSError as error:
        raise InputError(path, None, (error.strerror or str(error)).lower()) from None


def _input_errors() -> tuple[type[Exception], ...]:
    """InputError, and the errors other parts raise for bad input, when those parts load."""
    errors: list[type[Exception]] = [InputError]
    for module, name in (("shopkeeper.model", "ModelFormatError"), ("shopkeeper.engine.config.site", "ConfigError")):
        try:
            errors.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            pass
    return tuple(errors)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _flat(value: object) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{key}=({_flat(item)})" if isinstance(item, dict) else f"{key}={_flat(item)}" for key, item in value.items())
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _json_value(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


if __name__ == "__main__":
    raise SystemExit(main())
