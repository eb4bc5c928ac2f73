import copy
import importlib.util
import pathlib
import subprocess
import sys
import tomllib

import pytest

from shopkeeper.engine.config.site import (
    Arm,
    Boost,
    Campaign,
    ConfigError,
    Experiment,
    Placement,
    Segment,
    Shop,
    SiteConfig,
    Slot,
    Trait,
    Variant,
    parse_config,
)
from shopkeeper.engine.rules.names import product_values
from shopkeeper.model import Product

ROOT = pathlib.Path(__file__).resolve().parents[3]
DOCS = (ROOT / "docs" / "site-config.md").read_text()
EXAMPLE = tomllib.loads(DOCS.split("```toml\n", 1)[1].split("```", 1)[0])
HAVE_JINJA2 = importlib.util.find_spec("jinja2") is not None
needs_jinja2 = pytest.mark.skipif(not HAVE_JINJA2, reason="jinja2 is not installed in this interpreter (Pyodide test tier without its wheel)")


def parse(raw):
    return parse_config(raw, check_templates=HAVE_JINJA2)


def problem(raw) -> str:
    with pytest.raises(ConfigError) as caught:
        parse(raw)
    return str(caught.value)


def example(**changes):
    """The docs example with `changes` applied: {"slots.0.variants.1.rule": "..."}; None deletes."""
    raw = copy.deepcopy(EXAMPLE)
    for dotted, value in changes.items():
        *parents, last = dotted.split(".")
        target = raw
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
        key = int(last) if isinstance(target, list) else last
        if value is None:
            del target[key]
        else:
            target[key] = value
    return raw


def test_the_docs_example_parses_to_what_it_says():
    config = parse(EXAMPLE)
    assert config.shop == Shop("Demo Outfitters", "EUR", 5, 500.0, 90.0, 30.0)
    assert config.traits[0] == Trait("adventurous", ("Outdoor > Climbing", "Outdoor > Trail"), ("explore", "wild", "summit"))
    assert [segment.name for segment in config.segments] == ["vip", "social_visitors"]
    welcome = config.slot("hero").variants[1]
    assert (welcome.name, welcome.priority, welcome.experiment, welcome.arm) == ("welcome-offer", 10, "hero-copy", "b")
    assert welcome.starts_ms == 1793491200000.0 and welcome.ends_ms == 1798761599000.0   # 2026-11-01, 2026-12-31T23:59:59 UTC
    assert welcome.rule.matches({"orders": 0, "sessions": 1})
    shelf = config.placement("bought-together")
    assert shelf.strategy == "bought_together" and shelf.boosts[0].factor == 1.5 and shelf.pinned == ("SKU-100",)
    assert config.campaigns[0].trigger == "exit_intent" and config.campaigns[0].segment == "social_visitors"
    assert config.experiment("hero-copy") == Experiment("hero-copy", "hero-copy-2026-11", 1.0, 0.1, (Arm("a", 1.0), Arm("b", 1.0)))


def test_every_section_is_optional_and_defaults_are_documented_values():
    assert parse({}) == SiteConfig()
    assert SiteConfig().shop == Shop("", "", 5, 500.0, 90.0, 30.0)
    raw = {"slots": [{"name": "hero", "variants": [{"name": "v", "template": "<p>hi</p>"}]}],
           "placements": [{"name": "p", "strategy": "trending"}],
           "campaigns": [{"name": "c", "trigger": "scroll", "template": "x"}],
           "experiments": [{"name": "e", "arms": [{"name": "a"}]}]}
    config = parse(raw)
    assert config.slots == (Slot("hero", (Variant("v", "<p>hi</p>"),)),)
    assert config.placements == (Placement("p", "trending"),) and config.placements[0].show_viewed
    assert config.campaigns == (Campaign("c", "scroll", "x", threshold=50.0),)
    assert config.experiments == (Experiment("e", "e", arms=(Arm("a"),)),)


def test_json_with_plain_date_strings_and_toml_dates_agree():
    toml_dates = tomllib.loads('starts = 2026-11-01\nends = 2026-12-31T23:59:59Z')
    raw = {"slots": [{"name": "s", "variants": [{"name": "v", "template": "x", **toml_dates}]}]}
    variant = parse(raw).slots[0].variants[0]
    assert (variant.starts_ms, variant.ends_ms) == (1793491200000.0, 1798761599000.0)


def test_a_date_alone_ends_at_the_end_of_that_day():
    raw = example(**{"slots.0.variants.1.ends": "2026-12-31"})
    variant = parse(raw).slot("hero").variants[1]
    assert variant.ends_ms == 1798761600000.0 - 1
    assert variant.scheduled(1798761600000.0 - 1) and not variant.scheduled(1798761600000.0)
    assert not variant.scheduled(1793491200000.0 - 1) and variant.scheduled(1793491200000.0)


@pytest.mark.parametrize(("changes", "message"), [
    ({"slots.0.variants.1.rule": "order == 0 and sessions <= 1"},
     "slots[hero].variants[welcome-offer].rule: unknown name 'order' at character 1 (did you mean 'orders'?)"),
    ({"segments.0.rule": "lifecycle == 'VIP'"}, "segments[vip].rule: lifecycle is never 'VIP' at character 14 (did you mean 'vip'?)"),
    ({"segments.1.rule": "'vip' in segments"},
     "segments[social_visitors].rule: a segment rule cannot use segments, which these rules compute; write the other segment's condition instead"),
    ({"campaigns.0.rule": "'vip' in segments and trait_adventurous > 0.5"}, None),
    ({"campaigns.0.rule": "'gold' in segments"},
     "campaigns[exit-offer].rule: segments never holds 'gold' at character 1 (it is one of 'social_visitors', 'vip')"),
    ({"placements.0.boost": [{"rule": "brand == top_brand and price < 50", "factor": 2}]}, None),
    ({"placements.0.boost": [{"rule": "brand == 'Acme'"}]}, "placements[bought-together].boost[0].factor: required, found nothing"),
    ({"placements.0.boost": [{"rule": "brnd == 'Acme'", "factor": 2}]},
     "placements[bought-together].boost[0].rule: unknown name 'brnd' at character 1 (did you mean 'brand'?)"),
    ({"placements.0.boost": [{"rule": "brand == 'Acme'", "factor": 0}]},
     "placements[bought-together].boost[0].factor: expected a number above 0, found 0"),
    ({"slots.0.variants.0.segment": "vips"}, "slots[hero].variants[loyalty-reward].segment: no segment named 'vips' is declared (did you mean 'vip'?)"),
    ({"slots.0.variants.1.experiment": "hero"},
     "slots[hero].variants[welcome-offer].experiment: no experiment named 'hero' is declared (did you mean 'hero-copy'?)"),
    ({"slots.0.variants.1.arm": "c"}, "slots[hero].variants[welcome-offer].arm: experiment 'hero-copy' has no arm 'c'; its arms are a, b"),
    ({"slots.0.variants.1.arm": None}, "slots[hero].variants[welcome-offer].arm: required with experiment 'hero-copy': one of a, b"),
    ({"slots.0.variants.0.arm": "a"}, "slots[hero].variants[loyalty-reward].arm: arm 'a' needs experiment = \"...\" naming its experiment"),
    ({"slots.0.variants.1.priorty": 5}, "slots[hero].variants[welcome-offer]: unknown key 'priorty' (did you mean 'priority'?)"),
    ({"slots.0.variants.1.priority": "high"}, "slots[hero].variants[welcome-offer].priority: expected a number, found text ('high')"),
    ({"slots.0.variants.1.template": None}, "slots[hero].variants[welcome-offer].template: required, found nothing"),
    ({"slots.0.variants.1.name": "loyalty-reward"},
     "slots[hero].variants[loyalty-reward]: a second variant named 'loyalty-reward' (names must be unique)"),
    ({"slots.0.variants": []}, "slots[hero].variants: expected at least one variant ([[slots.variants]]), found none"),
    ({"slots.0.variants.1.starts": "2026-11-31"}, "slots[hero].variants[welcome-offer].starts: 2026-11-31 is not a day of the calendar"),
    ({"slots.0.variants.1.ends": "01/12/2026"},
     "slots[hero].variants[welcome-offer].ends: expected a date as YYYY-MM-DD, found '01/12/2026'"),
    ({"slots.0.variants.1.ends": "2026-10-01"}, "slots[hero].variants[welcome-offer].ends: expected a time after starts (2026-11-01), found 2026-10-01"),
    ({"placements.0.strategy": "bought-together"},
     "placements[bought-together].strategy: expected one of bought_together, viewed_together, similar, complementary, upsell, "
     "recently_viewed, trending, bestsellers, personalized, rerank; found 'bought-together' (did you mean 'bought_together'?)"),
    ({"placements.0.diversity": "brands"}, "placements[bought-together].diversity: expected one of none, category, brand; found 'brands' (did you mean 'brand'?)"),
    ({"placements.0.count": 0}, "placements[bought-together].count: expected a number from 1 to 50, found 0"),
    ({"placements.0.count": 2.5}, "placements[bought-together].count: expected a whole number, found 2.5"),
    ({"placements.0.min_price": 100.0, "placements.0.max_price": 50.0}, "placements[bought-together].max_price: expected at least min_price (100.0), found 50.0"),
    ({"placements.0.exclude_purchased": "yes"}, "placements[bought-together].exclude_purchased: expected true or false, found text ('yes')"),
    ({"placements.0.show_viewed": False}, None),
    ({"placements.0.show_viewed": 0}, "placements[bought-together].show_viewed: expected true or false, found a number (0)"),
    ({"placements.0.pinned": "SKU-100"}, "placements[bought-together].pinned: expected a list of text, found text ('SKU-100')"),
    ({"campaigns.0.trigger": "exit"}, "campaigns[exit-offer].trigger: expected one of exit_intent, cart_abandonment, dwell, scroll, inactivity, page_count; found 'exit' (did you mean 'exit_intent'?)"),
    ({"campaigns.0.trigger": "scroll", "campaigns.0.threshold": 150}, "campaigns[exit-offer].threshold: expected a number from 0 to 100, found 150"),
    ({"campaigns.0.max_per_day": -1}, "campaigns[exit-offer].max_per_day: expected a number of at least 0, found -1"),
    ({"experiments.0.holdout": 1.5}, "experiments[hero-copy].holdout: expected a number from 0 to 1, found 1.5"),
    ({"experiments.0.traffic": -0.1}, "experiments[hero-copy].traffic: expected a number from 0 to 1, found -0.1"),
    ({"experiments.0.arms": [{"name": "a", "weight": 0}]}, "experiments[hero-copy].arms[a].weight: expected a number above 0, found 0"),
    ({"experiments.0.arms": [{"name": "a"}, {"name": "a"}]}, "experiments[hero-copy].arms[a]: a second arm named 'a' (names must be unique)"),
    ({"experiments.0.arms": []}, "experiments[hero-copy].arms: expected at least one arm, such as arms = [{ name = \"a\" }, { name = \"b\" }]; found none"),
    ({"experiments.0.arms.0.weight": float("inf")}, "experiments[hero-copy].arms[a].weight: expected a finite number, found inf"),
    ({"shop.vip_orders": True}, "shop.vip_orders: expected a number, found true/false (true)"),
    ({"shop.currency": "EURO"}, "shop.currency: expected at most 3 characters, found 4"),
    ({"traits.bold-ish": {"words": ["bold"]}}, "traits[bold-ish]: expected a name of letters, digits and _ (it becomes the rule name trait_<name>)"),
    ({"traits.practical.word": ["x"]}, "traits[practical]: unknown key 'word' (did you mean 'words'?)"),
    ({"segment": [{"name": "x", "rule": "true"}]}, "unknown key 'segment' (did you mean 'segments'?)"),
    ({"segments.1.name": " social"}, "segments[1].name: expected no leading or trailing spaces, found ' social'"),
    ({"segments.1.name": "vip"}, "segments[vip]: a second segment named 'vip' (names must be unique)"),
    ({"slots": {"name": "hero"}}, "slots: expected a list of tables ([[slots]]), found a table"),
    ({"slots.0": "hero"}, "slots[0]: expected a table, found text ('hero')"),
])
def test_errors_name_the_item_and_say_what_was_expected(changes, message):
    raw = example(**changes)
    if message is None:
        parse(raw)
    else:
        assert problem(raw) == message


def test_a_config_that_is_not_a_table():
    with pytest.raises(ConfigError, match="expected a table, found a list"):
        parse_config([])


@needs_jinja2
def test_templates_are_compiled_in_the_sandbox_at_publish():
    raw = example(**{"slots.0.variants.0.template": "<p>{{ shop.name </p>"})
    assert problem(raw).startswith("slots[hero].variants[loyalty-reward].template: template does not compile: unexpected '/' (line 1)")
    raw = example(**{"placements.0.card_template": "{{ product.title | shout }}"})
    assert problem(raw) == "placements[bought-together].card_template: template does not compile: No filter named 'shout' (line 1)"
    raw = example(**{"campaigns.0.template": "<h2>{% if x %}</h2>"})
    assert problem(raw).startswith("campaigns[exit-offer].template: template does not compile:")


@needs_jinja2
def test_templates_render_escaped_in_the_sandbox():
    from shopkeeper.engine.content.templates import sandbox_environment

    template = sandbox_environment().from_string("{{ q }}{{ q.__class__ }}")
    assert template.render(q="<script>") == "&lt;script&gt;"


def test_check_templates_false_trusts_a_config_validated_at_publish():
    raw = example(**{"slots.0.variants.0.template": "{{ broken"})
    assert parse_config(raw, check_templates=False).slot("hero").variants[0].template == "{{ broken"


@pytest.mark.skipif(sys.platform == "emscripten", reason="needs a subprocess; Pyodide has none")
def test_importing_the_config_does_not_import_jinja2():
    code = "import sys, shopkeeper.engine.config.site as c; c.parse_config({}); print('jinja2' in sys.modules)"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={"PYTHONPATH": str(ROOT / "py_src")}).stdout
    assert output.strip() == "False"


def test_parsed_configs_are_frozen_plain_data():
    config = parse(EXAMPLE)
    assert config == parse(copy.deepcopy(EXAMPLE))
    with pytest.raises(AttributeError):
        config.shop.name = "x"  # type: ignore[misc]
    assert isinstance(config.segments[0], Segment) and isinstance(config.placements[0].boosts[0], Boost)


def test_boost_rules_read_the_product():
    boost = parse(EXAMPLE).placement("bought-together").boosts[0]
    assert boost.rule.matches(product_values(Product("SKU-1", brand="Acme", price=20.0)))
    assert not boost.rule.matches(product_values(Product("SKU-2", brand="Other")))
    assert product_values(Product("S", price=10.0, sale_price=8.0, category=("A", "B")))["category"] == "A > B"
