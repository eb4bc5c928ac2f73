"""Which variant each content slot shows, and its rendered markup.

Among a slot's variants, those inside their schedule window whose segment and rule match
the shopper and whose experiment arm (if any) is the shopper's are candidates; the highest
priority wins, ties going to the one listed first. No candidate: the page's default stays.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from shopkeeper.engine.config.site import SiteConfig
from shopkeeper.engine.config.slots import Variant
from shopkeeper.engine.content.templates import render_template

if TYPE_CHECKING:
    from shopkeeper.engine.audience import Audience


@dataclass(frozen=True)
class SlotChoice:
    variant: Variant
    reason: str   # segment | rule | experiment | default


def variant_applies(variant: Variant, audience: Audience) -> bool:
    if not variant.scheduled(audience.now_ms) or not audience.admits(variant.segment, variant.rule):
        return False
    if variant.experiment:
        assignment = audience.assignments.get(variant.experiment)
        return bool(assignment and assignment.in_experiment and not assignment.holdout and assignment.arm == variant.arm)
    return True


def choose_variant(config: SiteConfig, slot_name: str, audience: Audience) -> SlotChoice | None:
    slot = config.slot(slot_name)
    if slot is None:
        return None
    best = None
    for variant in slot.variants:
        if variant_applies(variant, audience) and (best is None or variant.priority > best.priority):
            best = variant
    if best is None:
        return None
    reason = "experiment" if best.experiment else "segment" if best.segment else "rule" if best.rule is not None else "default"
    return SlotChoice(best, reason)


def render_slot(choice: SlotChoice, template_values: dict) -> dict | None:
    """The slot's decision, or None to keep the default: when the template fails, and when
    it renders nothing, so `{% if last_viewed %}...{% endif %}` can opt out per shopper."""
    html = render_template(choice.variant.template, template_values)
    if html is None or not html.strip():
        return None
    return {"variant": choice.variant.name, "html": html, "reason": choice.reason}


def experiment_exposures(config: SiteConfig, slot_names: tuple[str, ...], audience: Audience) -> list[dict]:
    """Experiments that could change what this shopper sees here: an experiment's variant
    would win its slot if the shopper were in its arm. Shoppers whom a higher-priority
    variant or a rule would keep from it are not exposed, so they do not dilute the test."""
    exposed: list[dict] = []
    for slot_name in slot_names:
        slot = config.slot(slot_name)
        for variant in slot.variants if slot else ():
            assignment = audience.assignments.get(variant.experiment)
            if not assignment or not assignment.in_experiment or any(e["experiment"] == variant.experiment for e in exposed):
                continue
            as_if = {**audience.assignments, variant.experiment: replace(assignment, arm=variant.arm, holdout=False)}
            choice = choose_variant(config, slot_name, replace(audience, assignments=as_if))
            if choice is not None and choice.variant is variant:
                exposed.append({"experiment": variant.experiment, "arm": assignment.arm, "holdout": assignment.holdout})
    return exposed
