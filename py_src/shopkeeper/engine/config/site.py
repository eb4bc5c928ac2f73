"""The merchant's site config (docs/site-config.md) as frozen dataclasses, validated once.

`parse_config` takes the plain dict that TOML or JSON loading gives and either returns a
`SiteConfig` whose rules are compiled and whose references all resolve, or raises
`ConfigError` naming the item (`slots[hero].variants[welcome-offer].rule: ...`). Loading
is the only place config errors are raised; decisions read the result and never fail.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.engine.config.campaigns import TRIGGERS, Campaign, read_campaign, read_experiment
from shopkeeper.engine.config.fields import ConfigError, Fields, Known, read_rule, unique_names
from shopkeeper.engine.config.slots import DIVERSITY, STRATEGIES, Boost, Placement, Slot, Variant, read_placement, read_slot
from shopkeeper.engine.experiments import Arm, Experiment
from shopkeeper.engine.rules.compiled import Rule
from shopkeeper.engine.rules.names import site_vocabulary

__all__ = [
    "DIVERSITY", "STRATEGIES", "TRIGGERS", "Arm", "Boost", "Campaign", "ConfigError", "Experiment", "Placement",
    "Segment", "Shop", "SiteConfig", "Slot", "Trait", "Variant", "parse_config",
]

IDENTIFIER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")


@dataclass(frozen=True)
class Shop:
    name: str = ""
    currency: str = ""
    vip_orders: int = 5                # lifecycle: orders at which a customer counts as VIP ...
    vip_spend: float = 500.0           # ... or total spend at which they do
    lapsed_after_days: float = 90.0    # no order for this long: lapsed
    session_gap_minutes: float = 30.0  # inactivity that ends a session


@dataclass(frozen=True)
class Trait:
    name: str
    categories: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Segment:
    name: str
    rule: Rule


@dataclass(frozen=True)
class SiteConfig:
    shop: Shop = Shop()
    traits: tuple[Trait, ...] = ()
    segments: tuple[Segment, ...] = ()
    slots: tuple[Slot, ...] = ()
    placements: tuple[Placement, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    experiments: tuple[Experiment, ...] = ()

    def slot(self, name: str) -> Slot | None:
        return next((slot for slot in self.slots if slot.name == name), None)

    def placement(self, name: str) -> Placement | None:
        return next((placement for placement in self.placements if placement.name == name), None)

    def experiment(self, name: str) -> Experiment | None:
        return next((experiment for experiment in self.experiments if experiment.name == name), None)


def parse_config(raw: dict, check_templates: bool = True) -> SiteConfig:
    """A validated SiteConfig, or ConfigError naming the first problem and where it is.

    `check_templates=False` skips compiling templates in Jinja2's sandbox, for a config
    already validated at publish time (the browser reads it from the published model).
    """
    top = Fields(raw, "")
    shop = read_shop(top.get("shop"))
    traits = read_traits(top.get("traits"))
    trait_names = [trait.name for trait in traits]
    vocabulary = site_vocabulary(trait_names)
    segments = tuple(read_segment_rule(item, f"segments[{i}]", vocabulary) for i, item in enumerate(top.tables("segments")))
    unique_names(segments, "segments", "segment")
    segment_names = frozenset(segment.name for segment in segments)
    experiments = tuple(read_experiment(item, f"experiments[{i}]") for i, item in enumerate(top.tables("experiments")))
    unique_names(experiments, "experiments", "experiment")
    known = Known(
        vocabulary=site_vocabulary(trait_names, segment_names),
        boost_vocabulary=site_vocabulary(trait_names, segment_names, products=True),
        segments=segment_names,
        arms={experiment.name: frozenset(arm.name for arm in experiment.arms) for experiment in experiments},
        check_templates=check_templates,
    )
    slots = tuple(read_slot(item, f"slots[{i}]", known) for i, item in enumerate(top.tables("slots")))
    placements = tuple(read_placement(item, f"placements[{i}]", known) for i, item in enumerate(top.tables("placements")))
    campaigns = tuple(read_campaign(item, f"campaigns[{i}]", known) for i, item in enumerate(top.tables("campaigns")))
    for items, section, kind in ((slots, "slots", "slot"), (placements, "placements", "placement"), (campaigns, "campaigns", "campaign")):
        unique_names(items, section, kind)
    top.get("next_item")   # the next-item shelves' settings, read by engine.next_item (publish tunes them)
    top.finish()
    return SiteConfig(shop, traits, segments, slots, placements, campaigns, experiments)


def read_shop(raw: object) -> Shop:
    fields = Fields({} if raw is None else raw, "shop")
    shop = Shop(
        name=fields.text("name", limit=200), currency=fields.text("currency", limit=3),
        vip_orders=fields.number("vip_orders", 5, low=1, whole=True), vip_spend=fields.number("vip_spend", 500.0, low=0),
        lapsed_after_days=fields.number("lapsed_after_days", 90.0, above=0),
        session_gap_minutes=fields.number("session_gap_minutes", 30.0, above=0),
    )
    fields.finish()
    return shop


def read_traits(raw: object) -> tuple[Trait, ...]:
    """[traits.NAME] tables; NAME becomes the rule name trait_NAME, so it must be an identifier."""
    tables = Fields({} if raw is None else raw, "traits")
    traits = []
    for name in tables.raw:
        path = f"traits[{name}]"
        if not isinstance(name, str) or not name or not set(name) <= IDENTIFIER_CHARS or name[0].isdigit():
            raise ConfigError(path, "expected a name of letters, digits and _ (it becomes the rule name trait_<name>)")
        fields = Fields(tables.get(name), path)
        traits.append(Trait(name, fields.texts("categories"), fields.texts("words")))
        fields.finish()
    return tuple(traits)


def read_segment_rule(raw: object, path: str, vocabulary) -> Segment:
    fields = Fields(raw, path)
    name = fields.name()
    fields.path = f"segments[{name}]"
    rule = read_rule(fields, "rule", vocabulary, required=True)
    if "segments" in rule.names:
        raise fields.fail("rule", "a segment rule cannot use segments, which these rules compute; write the other segment's condition instead")
    fields.finish()
    return Segment(name, rule)
