"""One call that returns every decision a page needs: a pure function of
(model, config, events, page context, now), the visitor id being part of the context."""

from __future__ import annotations

from dataclasses import replace

from shopkeeper.engine.config.site import SiteConfig
from shopkeeper.engine.content.slots import choose_variant, experiment_exposures, render_slot
from shopkeeper.engine.content.templates import render_template
from shopkeeper.engine.decisions import Decisions
from shopkeeper.engine.events import Event, PageContext
from shopkeeper.engine.experiments import assign
from shopkeeper.engine.lookup import remembering
from shopkeeper.engine.popups.eligibility import POPUP_HISTORY, armed_threshold, popup_block
from shopkeeper.engine.popups.timing import timing_odds
from shopkeeper.engine.recs.shelves import product_card, shelves_for_page
from shopkeeper.engine.shopper.profile import Profile, build_profile, profile_values
from shopkeeper.engine.shopper.sessions import split_sessions
from shopkeeper.engine.visit.traffic import Visit, classify_visit, visit_values
from shopkeeper.model import Model


def decide_page(model: Model, config: SiteConfig, events: list[Event], context: PageContext, now_ms: float) -> Decisions:
    model = remembering(model)   # each product and list decoded once (engine/lookup.py)
    sessions = split_sessions(events, now_ms, config.shop.session_gap_minutes)
    session = sessions[-1] if sessions else []
    visit = landing_visit(session, context, now_ms)
    profile = build_profile(events, model, context, now_ms, config, sessions)
    visit_names = visit_values(visit)
    values = {**profile_values(profile), **visit_names}
    segments = frozenset(segment.name for segment in config.segments if segment.rule.matches(values))
    values["segments"] = sorted(segments)
    assignments = {experiment.name: assign(experiment, context.visitor_id) for experiment in config.experiments}
    shop = dict(vars(config.shop))
    template_values = {
        "shop": shop, "profile": values, "visit": dict(visit_names), "segments": values["segments"],
        "product": card_of(model, context.product), "last_viewed": card_of(model, last_viewed(profile, context)),
    }
    slots = {}
    for name in context.slots:
        choice = choose_variant(config, name, values, segments, assignments, now_ms)
        rendered = render_slot(choice, template_values) if choice else None
        if rendered is not None:
            slots[name] = rendered
    recs, rerank = shelves_for_page(model, config, profile, context, shop)
    return Decisions(
        made_at_ms=now_ms, model_version=model.version, slots=slots, recs=recs, rerank=rerank,
        popups=plan_popups(model, config, profile, events, session, values, segments, template_values, visit, now_ms),
        exposures=experiment_exposures(config, context.slots, values, segments, assignments, now_ms),
    )


def landing_visit(session: list[Event], context: PageContext, now_ms: float) -> Visit:
    """The visit as its landing page saw it: a click within the site keeps the session's source."""
    visit = classify_visit(context, now_ms)
    if not visit.internal:
        return visit
    landing = next((event for event in session if event.type == "page_view" and event.url), None)
    if landing is None:
        return replace(visit, traffic_source="direct")
    first = classify_visit(replace(context, url=landing.url, referrer=landing.referrer), now_ms)
    return replace(visit, traffic_source=first.traffic_source, utm_source=first.utm_source,
                   utm_medium=first.utm_medium, utm_campaign=first.utm_campaign)


def last_viewed(profile: Profile, context: PageContext) -> str:
    return next((product for product in profile.recent_products if product != context.product), "")


def card_of(model: Model, product_id: str) -> dict | None:
    index = model.index_of(product_id) if product_id else None
    return product_card(model.brief(index)) if index is not None else None


def plan_popups(model, config, profile, events, session, values, segments, template_values, visit, now_ms) -> list[dict]:
    odds = timing_odds(model.timing, session)
    history = [event for event in events if event.type in POPUP_HISTORY]   # all popup_block reads of it, in order
    armed = []
    for campaign in config.campaigns:
        if campaign.segment and campaign.segment not in segments:
            continue
        if campaign.rule is not None and not campaign.rule.matches(values):
            continue
        if popup_block(campaign, profile, history, session, odds, now_ms):
            continue
        html = render_template(campaign.template, template_values)
        if html is not None:
            armed.append({"campaign": campaign.name, "trigger": campaign.trigger,
                          "threshold": armed_threshold(campaign, odds), "html": html})
    return armed
