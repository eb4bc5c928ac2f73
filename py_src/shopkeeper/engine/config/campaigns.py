"""Popup campaigns and experiments, read from the site config."""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.engine.config.fields import Fields, Known, read_rule, read_segment, read_template, unique_names
from shopkeeper.engine.experiments import Arm, Experiment
from shopkeeper.engine.rules.compiled import Rule

TRIGGERS = ("exit_intent", "cart_abandonment", "dwell", "scroll", "inactivity", "page_count")
# threshold when a campaign gives none: seconds (dwell, inactivity, cart_abandonment),
# percent of the page (scroll) or pages this session (page_count)
DEFAULT_THRESHOLDS = {"exit_intent": 0, "cart_abandonment": 60, "dwell": 30, "scroll": 50, "inactivity": 60, "page_count": 3}


@dataclass(frozen=True)
class Campaign:
    """A popup, shown when its trigger passes `threshold` for a shopper whom its segment
    and its rule both match (either may be absent), within its frequency caps."""

    name: str
    trigger: str
    template: str
    threshold: float = 0.0
    segment: str = ""
    rule: Rule | None = None
    offers_discount: bool = False      # then skipped for shoppers likely to buy at full price anyway
    max_per_session: int = 1
    max_per_day: int = 2
    cooldown_hours: float = 24.0       # after a dismissal
    suppress_after_purchase_days: float = 7.0


def read_campaign(raw: object, path: str, known: Known) -> Campaign:
    fields = Fields(raw, path)
    name = fields.name()
    fields.path = f"campaigns[{name}]"
    trigger = fields.text("trigger", required=True, choices=TRIGGERS)
    campaign = Campaign(
        name=name, trigger=trigger, template=read_template(fields, "template", known),
        threshold=fields.number("threshold", float(DEFAULT_THRESHOLDS[trigger]), low=0, high=100 if trigger == "scroll" else None),
        segment=read_segment(fields, known), rule=read_rule(fields, "rule", known.vocabulary),
        offers_discount=fields.flag("offers_discount", False),
        max_per_session=fields.number("max_per_session", 1, low=0, whole=True),
        max_per_day=fields.number("max_per_day", 2, low=0, whole=True),
        cooldown_hours=fields.number("cooldown_hours", 24.0, low=0),
        suppress_after_purchase_days=fields.number("suppress_after_purchase_days", 7.0, low=0),
    )
    fields.finish()
    return campaign


def read_experiment(raw: object, path: str) -> Experiment:
    fields = Fields(raw, path)
    name = fields.name()
    fields.path = f"experiments[{name}]"
    arms = tuple(read_arm(item, f"{fields.path}.arms[{i}]") for i, item in enumerate(fields.tables("arms")))
    if not arms:
        raise fields.fail("arms", "expected at least one arm, such as arms = [{ name = \"a\" }, { name = \"b\" }]; found none")
    unique_names(arms, f"{fields.path}.arms", "arm")
    experiment = Experiment(
        name=name, salt=fields.text("salt", name, limit=200) or name,
        traffic=fields.number("traffic", 1.0, low=0, high=1), holdout=fields.number("holdout", 0.0, low=0, high=1), arms=arms,
    )
    fields.finish()
    return experiment


def read_arm(raw: object, path: str) -> Arm:
    fields = Fields(raw, path)
    name = fields.name()
    fields.path = path.rsplit("[", 1)[0] + f"[{name}]"
    arm = Arm(name, fields.number("weight", 1.0, above=0))
    fields.finish()
    return arm
