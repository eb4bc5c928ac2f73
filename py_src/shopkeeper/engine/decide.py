"""One call that returns every decision a page needs: a pure function of
(model, config, events, page context, now), the visitor id being part of the context."""

from __future__ import annotations

from shopkeeper.engine.audience import Audience, audience_of
from shopkeeper.engine.config.site import SiteConfig
from shopkeeper.engine.content.slots import choose_variant, experiment_exposures, render_slot
from shopkeeper.engine.decisions import Decisions
from shopkeeper.engine.events import Event, PageContext
from shopkeeper.engine.lookup import remembering
from shopkeeper.engine.popups.eligibility import armed_popups
from shopkeeper.engine.recs.shelves import shelves_for_page
from shopkeeper.engine.shopper.sessions import split_sessions
from shopkeeper.model import Model


def decide_page(model: Model, config: SiteConfig, events: list[Event], context: PageContext, now_ms: float) -> Decisions:
    model = remembering(model)   # each product and list decoded once (engine/lookup.py)
    sessions = split_sessions(events, now_ms, config.shop.session_gap_minutes)
    audience = audience_of(model, config, events, sessions, context, now_ms)
    return decisions_for(model, config, events, sessions[-1] if sessions else [], audience, context)


def decisions_for(model: Model, config: SiteConfig, events: list[Event], session: list[Event], audience: Audience,
                  context: PageContext) -> Decisions:
    """decide_page once the audience is known: the report's replay asks for the audience
    too and works it out only once."""
    now_ms = audience.now_ms
    slots = {}
    for name in context.slots:
        rendered = slot_decision(config, name, audience)
        if rendered is not None:
            slots[name] = rendered
    # The config's other slots, as they would show now: the loader keeps them to apply
    # before first paint on the next page that has them (null: its default content).
    elsewhere = {slot.name: slot_decision(config, slot.name, audience) for slot in config.slots if slot.name not in context.slots}
    recs, rerank = shelves_for_page(model, config, audience.profile, context, audience.template_values["shop"])
    return Decisions(
        made_at_ms=now_ms, model_version=model.version, slots=slots, slots_elsewhere=elsewhere, recs=recs, rerank=rerank,
        popups=armed_popups(model, config, audience, events, session),
        exposures=experiment_exposures(config, context.slots, audience),
    )


def slot_decision(config: SiteConfig, name: str, audience: Audience) -> dict | None:
    choice = choose_variant(config, name, audience)
    return render_slot(choice, audience.template_values) if choice else None
