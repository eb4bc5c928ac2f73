"""The command line: exit status and output asserted together, bad input as one line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_output_atomic import make_runtime, snapshot

import shopkeeper.model
import shopkeeper.publish.train.pipeline
from shopkeeper.cli import main
from shopkeeper.model import InMemoryModel, ModelData, ModelFormatError

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """Fixtures copied into a fresh directory, so messages carry short relative paths."""
    for path in FIXTURES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    make_runtime(tmp_path / "runtime")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def stand_ins(monkeypatch):
    """Tiny stand-ins for training and the model codec (other parts' work), so these tests
    check only the command's wiring. They consume the chunks, as training does. Modules
    that bind the codec when first imported are imported first, so they keep the real one."""
    import shopkeeper.browser.worker_entry  # noqa: F401
    import shopkeeper.publish.sharding  # noqa: F401

    seen = {}

    def train_model(products, chunks, config, *, k=20, progress=None, tune=True):
        seen.update(events=sum(len(chunk) for chunk in chunks), config=config, k=k, tune=tune)
        progress("training (stand-in)")
        return ModelData(products=products), {"counts": {"products": len(products), "events": seen["events"]}}

    def encode_model(data):
        return b"SKM:" + json.dumps([product.id for product in data.products]).encode()

    def decode_model(blob):
        if not blob.startswith(b"SKM:"):
            raise ModelFormatError("not a shopkeeper model: expected magic 'SKM:'")
        return InMemoryModel(ModelData(products=[shopkeeper.model.Product(id) for id in json.loads(blob[4:])]))

    monkeypatch.setattr(shopkeeper.publish.train.pipeline, "train_model", train_model)
    monkeypatch.setattr(shopkeeper.model, "encode_model", encode_model)
    monkeypatch.setattr(shopkeeper.model, "decode_model", decode_model)
    return seen


PUBLISH = ["publish", "--catalog", "catalog.csv", "--events", "events.csv", "--config", "site.toml", "--out", "out", "--runtime", "runtime"]


def test_publish_writes_runtime_model_and_manifest(workdir, stand_ins, capsys):
    assert main([*PUBLISH, "-k", "7"]) == 0
    out, err = capsys.readouterr()
    manifest = json.loads((workdir / "out" / "manifest.json").read_text())
    name = manifest["model"]["name"]
    assert out.splitlines() == [
        f"published {workdir / 'out'}: {name} ({manifest['model']['size']:,} bytes, 4 products) and 2 runtime files",
        "  counts: products=4, events=9",
    ]
    assert sorted(snapshot(workdir / "out")) == sorted(["manifest.json", "shopkeeper.js", "worker-0123456789ab.js", name])
    assert stand_ins == {"events": 9, "config": stand_ins["config"], "k": 7, "tune": True}
    assert stand_ins["config"]["shop"]["name"] == "Demo Outfitters"
    assert "4 products\n" in err and "events.csv: timestamps read as Unix milliseconds" in err and "read 9 events, 3 sessions" in err
    assert "shopkeeper: warning: events.csv: skipped 1 event of types not used: 'wishlist' 1 (first on line 8)\n" in err


def test_publish_end_to_end_with_the_real_training_and_model_format(workdir, capsys):
    assert main(PUBLISH) == 0
    manifest = json.loads((workdir / "out" / "manifest.json").read_text())
    blob = (workdir / "out" / manifest["model"]["name"]).read_bytes()
    model = shopkeeper.model.decode_model(blob)
    # in category-path order: Clothing > Socks, Outdoor > Climbing, Outdoor > Lights, Shoes > Trail
    assert [model.product(i).id for i in range(len(model))] == ["SKU-102", "SKU-101", "SKU-103", "SKU-100"]
    assert manifest["model"]["format_version"] == shopkeeper.model.FORMAT_VERSION
    assert capsys.readouterr().out.startswith(f"published {workdir / 'out'}: {manifest['model']['name']}")
    Path("history.json").write_text(json.dumps([{"type": "product_view", "ts": 1767225600000, "product": "SKU-100"}]))
    assert main(["preview", "out", "--events", "history.json", "--page", "product", "--product", "SKU-101",
                 "--shelf", "bought-together", "--at", "1767225700", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["made_at_ms"] == 1767225700000.0


def test_a_catalog_of_ids_and_a_views_only_log_publish_and_say_what_goes_without(workdir, capsys):
    """A public click log's shape: ids alone, views alone. Publish works and says, in words,
    which fields were missing, which option names them, and what the popups do without purchases."""
    Path("ids.csv").write_text("id\n" + "".join(f"SKU-10{i}\n" for i in range(4)))
    lines = Path("events.csv").read_text().splitlines()
    header = lines[0].split(",")
    kind = header.index("type")
    views = [line for line in lines[1:] if line.split(",")[kind] == "view"]
    Path("views.csv").write_text("\n".join([lines[0], *views]) + "\n")
    assert main(["publish", "--catalog", "ids.csv", "--events", "views.csv", "--out", "out", "--runtime", "runtime"]) == 0
    out, err = capsys.readouterr()
    assert ("shopkeeper: warning: ids.csv: no title column (looked for title, name, product_name): shelf cards show no "
            "product name; name yours with --catalog-columns title=NAME\n") in err
    assert "name yours with --catalog-columns price=NAME" in err and "name yours with --catalog-columns url=NAME" in err
    assert ("  buy_anyway: not trained: the log has no purchases, so discount popups are never held back for shoppers "
            "likely to buy anyway\n") in out
    assert "log_loss" not in out and "base_rate=0" not in out


def test_on_a_terminal_reading_the_log_is_a_bar_over_its_megabytes(workdir, stand_ins, monkeypatch):
    import io

    import shopkeeper.cli
    from shopkeeper.publish.progress import Progress

    stream = io.StringIO()
    monkeypatch.setattr(shopkeeper.cli, "_progress", lambda quiet: Progress(quiet=quiet, stream=stream, terminal=True))
    assert main(PUBLISH) == 0
    text = stream.getvalue()
    assert "\rreading events.csv: 1/1 MB in 0 s\x1b[K\n" in text and "read 9 events, 3 sessions\n" in text
    assert text.count("read 9 events") == 1


def test_publish_reads_a_log_in_another_shape_with_columns(workdir, stand_ins):
    columns = "session=sid,product=item,ts=when,type=event,visitor=user,quantity=qty,price=unit_price"
    assert main(["publish", "--catalog", "merchant_center.tsv", "--events", "events_custom.tsv", "--columns", columns,
                 "--out", "out", "--runtime", "runtime", "--quiet"]) == 0
    assert stand_ins["events"] == 4 and stand_ins["config"] == {}


def break_file(name: str, old: str, new: str) -> None:
    path = Path(name)
    path.write_text(path.read_text().replace(old, new, 1))


BAD_INPUTS = {
    "bad price": (lambda: break_file("catalog.csv", "249.90", "abc"), "catalog.csv:3: price 'abc' is not a number"),
    "duplicate id": (lambda: break_file("catalog.csv", "SKU-103", "SKU-101"), "catalog.csv:5: duplicate id 'SKU-101', first on line 3"),
    "bad event row": (lambda: break_file("events.csv", "1767225660000", "soon"), "events.csv:3: timestamp 'soon' is not a number"),
    "empty event log": (lambda: Path("events.csv").write_text("session,product,ts\n"), "events.csv: no events: the log has no rows after its header"),
    "bad toml": (lambda: break_file("site.toml", 'currency = "EUR"', "currency = EUR"), "site.toml:3:12: invalid value"),
    "missing catalog": (lambda: Path("catalog.csv").unlink(), "catalog.csv: no such file or directory"),
    # Very large inputs: a field no catalog holds, an id the browser could never record whole.
    "a field far too long": (lambda: break_file("catalog.csv", "Summit Jacket", "S" * 200_000),
                             "catalog.csv:3: cannot read this row: field larger than field limit (131072)"
                             " (a quote that is never closed, or a value far longer than a catalog holds)"),
    "an id too long to record": (lambda: break_file("catalog.csv", "SKU-101,", "S" * 501 + ","),
                                 "catalog.csv:3: id of 501 characters: the browser keeps 500 of a product id (docs/events.md),"
                                 " so this product could never be matched"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_one_line_exit_2_and_the_output_untouched(workdir, stand_ins, capsys, case):
    assert main(PUBLISH) == 0
    before = snapshot(workdir / "out")
    capsys.readouterr()
    damage, message = BAD_INPUTS[case]
    damage()
    assert main([*PUBLISH, "--quiet"]) == 2
    assert capsys.readouterr() == ("", f"shopkeeper: error: {message}\n")
    assert snapshot(workdir / "out") == before
    assert sorted(path.name for path in workdir.iterdir() if path.name.startswith(".")) == []


def test_model_and_config_errors_from_other_parts_are_one_line_exit_2(workdir, stand_ins, monkeypatch, capsys):
    from shopkeeper.engine.config.site import ConfigError

    monkeypatch.setattr(shopkeeper.model, "encode_model", lambda data: b"garbage")
    assert main([*PUBLISH, "-q"]) == 2
    out, err = capsys.readouterr()
    assert (out, err.splitlines()[-1]) == ("", "shopkeeper: error: not a shopkeeper model: expected magic 'SKM:'")
    assert err.count("error:") == 1

    def refuse(*args, **kwargs):
        raise ConfigError("placements[bought-together].strategy", "expected one of bought_together, similar;\n found 'psychic'")

    monkeypatch.setattr(shopkeeper.publish.train.pipeline, "train_model", refuse)
    assert main([*PUBLISH, "-q"]) == 2
    assert capsys.readouterr().err == (
        "shopkeeper: error: placements[bought-together].strategy: expected one of bought_together, similar; found 'psychic'\n")
    assert not (workdir / "out").exists()


@pytest.mark.parametrize(("args", "complaint"), [
    (["publish", "--catalog", "c", "--events", "e", "--out", "o", "--columns", "session"], "expected FIELD=NAME pairs separated by commas"),
    (["publish", "--catalog", "c", "--events", "e"], "the following arguments are required: --out"),
    (["publish", "--catalog", "c", "--events", "e", "--out", "o", "-k", "0"], "expected a positive whole number, got '0'"),
    (["sell"], "invalid choice: 'sell'"),
])
def test_usage_errors_exit_2_with_usage(capsys, args, complaint):
    with pytest.raises(SystemExit) as caught:
        main(args)
    out, err = capsys.readouterr()
    assert (caught.value.code, out) == (2, "")
    assert err.startswith("usage: shopkeeper") and complaint in err


@pytest.mark.parametrize("command", ["publish", "inspect", "preview", "evaluate"])
def test_help_is_the_command_docstring(capsys, command):
    import shopkeeper.cli as cli

    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert caught.value.code == 0
    assert getattr(cli, f"{command}_command").__doc__.splitlines()[0] in out


def test_inspect_prints_sizes_config_and_neighbours(workdir, monkeypatch, capsys):
    products = [shopkeeper.model.Product("A"), shopkeeper.model.Product("B")]
    data = ModelData(products=products, neighbours={"viewed_together": [[(1, 0.75)], [(0, 0.75)]]},
                     config={"segments": [{"name": "vip"}], "campaigns": [{"name": "exit-offer"}]})
    monkeypatch.setattr(shopkeeper.model, "decode_model", lambda blob: InMemoryModel(data, version="v1"))
    monkeypatch.setattr(shopkeeper.model, "section_sizes", lambda blob: {"header": 40, "ids": 8})
    Path("m.skm").write_bytes(bytes(48))
    assert main(["inspect", "m.skm", "--product", "A"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "m.skm: 48 bytes, 2 products, version v1"
    assert out[1].split() == ["header", "40", "bytes", "20.0", "per", "product"]
    assert "segments: vip" in out and "campaigns: exit-offer" in out and "slots: (none)" in out
    assert "viewed_together of A: B 0.75" in out and "similar of A: (none)" in out
    assert main(["inspect", "m.skm", "--product", "Z"]) == 2
    assert capsys.readouterr().err == "shopkeeper: error: m.skm: no product 'Z' in this model\n"
    assert main(["inspect", "nowhere"]) == 2
    assert capsys.readouterr().err == "shopkeeper: error: nowhere: no such file or directory\n"


STORY = "view SKU-100, view SKU-102, cart SKU-100, wait 2h, view SKU-101"


def test_preview_gives_the_workers_own_decisions_for_a_story(workdir, capsys):
    from shopkeeper.browser import worker_entry
    from shopkeeper.publish.preview import story_records

    assert main([*PUBLISH, "-q"]) == 0
    capsys.readouterr()
    page = ["--page", "product", "--product", "SKU-103", "--visitor", "v-42", "--at", "2026-01-01T10:00:00Z"]
    assert main(["preview", "out", "--story", STORY, *page, "--json"]) == 0
    previewed = json.loads(capsys.readouterr().out)
    now_ms = 1767261600000.0
    records = story_records(STORY, now_ms)
    assert [r["type"] for r in records][:3] == ["page_view", "product_view", "page_view"]
    assert records[-1]["ts"] == now_ms - 60_000 and records[-2]["ts"] - records[-3]["ts"] == 7_260_000   # 2 h, then a step
    manifest = json.loads(Path("out/manifest.json").read_text())
    worker_entry.load_model(Path("out", manifest["model"]["name"]).read_bytes(), verified=True)
    try:
        keys, stored = worker_entry.as_store(records)
        context = {"page": "product", "product": "SKU-103", "category": "", "visitor_id": "v-42", "url": "", "referrer": "",
                   "slots": [], "placements": [{"name": "bought-together", "count": 4}]}
        assert previewed == json.loads(worker_entry.decide_json(keys, stored, json.dumps(context), now_ms))
    finally:
        worker_entry.forget()
    assert main(["preview", "out", "--story", STORY, *page]) == 0
    text = capsys.readouterr().out.splitlines()
    assert text[0] == "product SKU-103 page at 2026-01-01 10:00 UTC, visitor v-42"
    assert text[1] == "shopper: returning, intent browsing, 2 sessions, 0 orders; segments: none"
    assert text[2].startswith("shelf bought-together (bought_together):")
    assert text[-2:] == ["popups armed: exit-offer (exit_intent, threshold 0)", "experiments: none"]


def test_preview_reads_the_privacy_panels_export_and_a_sharded_model_like_a_one_file_one(workdir, capsys):
    assert main([*PUBLISH, "-q"]) == 0 and main([*PUBLISH[:-4], "--out", "sharded", "--runtime", "runtime", "--shards", "always", "-q"]) == 0
    capsys.readouterr()
    records = [{"type": "page_view", "ts": 1767225600000 + i * 60_000, "page": "product", "product": product}
               for i, product in enumerate(["SKU-100", "SKU-102"])]
    Path("export.json").write_text(json.dumps({"exported_at": "2026-01-01T00:00:00Z", "events": records, "profile": None}))
    asked = ["--events", "export.json", "--page", "product", "--product", "SKU-101", "--at", "1767225800", "--json"]
    shelves = []
    for published in ("out", "sharded"):
        assert main(["preview", published, *asked]) == 0
        shelves.append(json.loads(capsys.readouterr().out)["recs"])
    assert shelves[0] == shelves[1] and shelves[0]["bought-together"]["items"]


@pytest.mark.parametrize(("args", "message"), [
    (["--story", "view A", "--events", "e.json"], "--story: give the shopper as --events or as --story, not both"),
    (["--story", "view A, dance"], "--story: 'dance': steps are view ID, category NAME, cart ID, remove ID, buy ID [ID ...], "
                                   "search WORDS, home, wait N(m|h|d)"),
    (["--story", "wait 3 weeks"], "--story: 'wait 3 weeks': write a wait as 'wait 30m', 'wait 2h' or 'wait 3d'"),
    (["--at", "tomorrow"], "--at: 'tomorrow' is neither Unix seconds nor an ISO 8601 date-time"),
])
def test_preview_input_errors_are_one_line(workdir, capsys, args, message):
    assert main([*PUBLISH, "-q"]) == 0
    capsys.readouterr()
    assert main(["preview", "out", *args]) == 2
    assert capsys.readouterr().err == f"shopkeeper: error: {message}\n"


def test_no_tune_reaches_training(workdir, stand_ins):
    assert main([*PUBLISH, "--no-tune", "-q"]) == 0
    assert stand_ins["tune"] is False


def test_evaluate_prints_a_table_and_writes_json(workdir, monkeypatch, capsys):
    import shopkeeper.publish.evaluate.holdout as evaluate

    calls = []
    row = {"hr@10": 0.5, "hr@20": 0.625, "mrr@20": 0.25, "ndcg@10": 0.3, "prefixes": 8}
    peers = {"popularity": {"hr@10": 0.1, "hr@20": 0.2, "mrr@20": 0.05, "ndcg@10": 0.07, "model_bytes": 80}}

    def run_evaluation(train, test=None, **options):
        calls.append((train, test, options))
        return {"shopkeeper": {**row, "model_bytes": 1234, "settings": "engine defaults (--no-tune)", "params": {}},
                **peers, "placements": {"viewed-together": {**row, "excludes_viewed": False, "page": "product",
                                                             "strategy": "viewed_together", "ceiling": 0.75, "peers": peers}}}

    monkeypatch.setattr(evaluate, "run_evaluation", run_evaluation)
    Path("site.toml").write_text('[[placements]]\nname = "next"\nstrategy = "viewed_together"\n')
    assert main(["evaluate", "--events", "train.tsv", "--test-events", "test.tsv", "--columns", "session=sid", "-k", "10",
                 "--no-tune", "--config", "site.toml", "--placement", "next", "--json", "figures.json", "-q"]) == 0
    options = calls[0][2]
    assert calls[0][:2] == ("train.tsv", "test.tsv") and options["site_config"]["placements"][0]["name"] == "next"
    assert (options["columns"], options["k"], options["tune"], options["placements"]) == ({"session": "sid"}, 10, False, ["next"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("viewed-together (viewed_together, product page, 8 cases; never shows the product on screen")
    assert lines[1].split() == ["HR@10", "HR@20", "MRR@20", "NDCG@10", "model", "bytes", "settings"]
    assert lines[2].split() == ["shopkeeper", "0.5000", "0.6250", "0.2500", "0.3000", "1,234", "engine", "defaults", "(--no-tune)"]
    assert lines[3].split() == ["popularity", "0.1000", "0.2000", "0.0500", "0.0700", "80", "none"]
    assert lines[-2] == "shopkeeper's settings: engine defaults (--no-tune)"
    assert json.loads(Path("figures.json").read_text())["popularity"]["model_bytes"] == 80


def test_evaluate_draws_the_test_down_as_the_library_does_by_default():
    from shopkeeper.cli import build_parser
    from shopkeeper.publish.evaluate.holdout import MAX_TEST_PAGES

    assert build_parser().parse_args(["evaluate", "--events", "e.csv"]).max_test_pages == MAX_TEST_PAGES
    assert build_parser().parse_args(["evaluate", "--events", "e.csv", "--max-test-pages", "0"]).max_test_pages == 0


def test_the_installed_command_exits_2_with_one_line(workdir):
    break_file("catalog.csv", "249.90", "abc")
    result = subprocess.run([sys.executable, "-m", "shopkeeper.cli", *PUBLISH], capture_output=True, text=True,
                            env={"PYTHONPATH": str(ROOT / "py_src"), "PATH": "/usr/bin:/bin"})
    assert (result.returncode, result.stderr.splitlines()[-1]) == (2, "shopkeeper: error: catalog.csv:3: price 'abc' is not a number")
    assert not (workdir / "out").exists()
