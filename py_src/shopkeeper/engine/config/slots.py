"""Content slots with their variants, and recommendation placements, read from the site config."""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.engine.config.fields import (
    MAX_NAME_LENGTH,
    Fields,
    Known,
    read_instant,
    read_rule,
    read_segment,
    read_template,
    unique_names,
)
from shopkeeper.engine.config.schedule import in_window
from shopkeeper.engine.rules.compiled import Rule
from shopkeeper.engine.suggest import did_you_mean

STRATEGIES = ("bought_together", "viewed_together", "similar", "complementary", "upsell", "recently_viewed",
              "trending", "bestsellers", "personalized", "rerank")
DIVERSITY = ("none", "category", "brand")
MAX_COUNT = 50


@dataclass(frozen=True)
class Variant:
    """Shown when its segment and its rule both match (either may be absent), inside its
    schedule window, and for visitors in its experiment arm; highest priority wins."""

    name: str
    template: str
    segment: str = ""
    rule: Rule | None = None
    priority: float = 0.0
    starts_ms: float | None = None
    ends_ms: float | None = None
    experiment: str = ""
    arm: str = ""

    def scheduled(self, now_ms: float) -> bool:
        return in_window(now_ms, self.starts_ms, self.ends_ms)


@dataclass(frozen=True)
class Slot:
    name: str
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class Boost:
    rule: Rule
    factor: float


@dataclass(frozen=True)
class Placement:
    name: str
    strategy: str
    count: int = 4
    exclude_out_of_stock: bool = True
    exclude_purchased: bool = True
    pinned: tuple[str, ...] = ()
    boosts: tuple[Boost, ...] = ()
    min_price: float | None = None
    max_price: float | None = None
    diversity: str = "none"
    max_per_group: int = 2
    card_template: str = ""
    show_viewed: bool = True


def read_slot(raw: object, path: str, known: Known) -> Slot:
    fields = Fields(raw, path)
    name = fields.name()
    fields.path = f"slots[{name}]"
    variants = tuple(read_variant(item, f"{fields.path}.variants[{i}]", known) for i, item in enumerate(fields.tables("variants")))
    if not variants:
        raise fields.fail("variants", "expected at least one variant ([[slots.variants]]), found none")
    unique_names(variants, f"{fields.path}.variants", "variant")
    fields.finish()
    return Slot(name, variants)


def read_variant(raw: object, path: str, known: Known) -> Variant:
    fields = Fields(raw, path)
    name = fields.name()
    fields.path = path.rsplit("[", 1)[0] + f"[{name}]"
    starts, ends = read_instant(fields, "starts"), read_instant(fields, "ends", end_of_day=True)
    if starts is not None and ends is not None and ends < starts:
        raise fields.fail("ends", f"expected a time after starts ({fields.raw['starts']}), found {fields.raw['ends']}")
    experiment, arm = fields.text("experiment", limit=MAX_NAME_LENGTH), fields.text("arm", limit=MAX_NAME_LENGTH)
    check_arm(fields, experiment, arm, known)
    variant = Variant(
        name=name, template=read_template(fields, "template", known), segment=read_segment(fields, known),
        rule=read_rule(fields, "rule", known.vocabulary), priority=fields.number("priority", 0.0),
        starts_ms=starts, ends_ms=ends, experiment=experiment, arm=arm,
    )
    fields.finish()
    return variant


def check_arm(fields: Fields, experiment: str, arm: str, known: Known) -> None:
    if arm and not experiment:
        raise fields.fail("arm", f"arm {arm!r} needs experiment = \"...\" naming its experiment")
    if not experiment:
        return
    if experiment not in known.arms:
        raise fields.fail("experiment", f"no experiment named {experiment!r} is declared{did_you_mean(experiment, known.arms)}")
    arms = known.arms[experiment]
    if not arm:
        raise fields.fail("arm", f"required with experiment {experiment!r}: one of {', '.join(sorted(arms))}")
    if arm not in arms:
        raise fields.fail("arm", f"experiment {experiment!r} has no arm {arm!r}; its arms are {', '.join(sorted(arms))}")


def read_placement(raw: object, path: str, known: Known) -> Placement:
    fields = Fields(raw, path)
    name = fields.name()
    fields.path = f"placements[{name}]"
    boosts = tuple(read_boost(item, f"{fields.path}.boost[{i}]", known) for i, item in enumerate(fields.tables("boost")))
    min_price, max_price = fields.number("min_price", None, low=0), fields.number("max_price", None, low=0)
    if min_price is not None and max_price is not None and max_price < min_price:
        raise fields.fail("max_price", f"expected at least min_price ({min_price}), found {max_price}")
    placement = Placement(
        name=name, strategy=fields.text("strategy", required=True, choices=STRATEGIES),
        count=fields.number("count", 4, low=1, high=MAX_COUNT, whole=True),
        exclude_out_of_stock=fields.flag("exclude_out_of_stock", True), exclude_purchased=fields.flag("exclude_purchased", True),
        pinned=fields.texts("pinned"), boosts=boosts, min_price=min_price, max_price=max_price,
        diversity=fields.text("diversity", "none", choices=DIVERSITY),
        max_per_group=fields.number("max_per_group", 2, low=1, whole=True),
        card_template=read_template(fields, "card_template", known, required=False),
        show_viewed=fields.flag("show_viewed", True),
    )
    fields.finish()
    return placement


def read_boost(raw: object, path: str, known: Known) -> Boost:
    fields = Fields(raw, path)
    boost = Boost(read_rule(fields, "rule", known.boost_vocabulary, required=True), fields.number("factor", 1.0, above=0, required=True))
    fields.finish()
    return boost

