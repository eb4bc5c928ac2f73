"""Who a page's decisions are made for, worked out once per decision: the profile, the
visit, the names rules read, the segments, the experiment arms and what templates see.
Slots, experiment exposures and popups all decide for the same audience."""

from __future__ import annotations

from dataclasses import dataclass, replace

from shopkeeper.engine.config.site import SiteConfig
from shopkeeper.engine.events import Event, PageContext
from shopkeeper.engine.experiments import Assignment, assign
from shopkeeper.engine.recs.shelves import product_card
from shopkeeper.engine.shopper.profile import Profile, build_profile, profile_values
from shopkeeper.engine.visit.traffic import Visit, classify_visit, visit_values
from shopkeeper.model import Model

__all__ = ["Audience", "audience_of"]


@dataclass(frozen=True)
class Audience:
    profile: Profile
    visit: Visit
    values: dict                          # every name a rule may read (docs/site-config.md, "Rules")
    segments: frozenset[str]
    assignments: dict[str, Assignment]    # experiment name -> this visitor's arm
    template_values: dict                 # what slot and popup templates see
    now_ms: float

    def admits(self, segment: str, rule) -> bool:
        """Whether a variant's or campaign's audience (a segment name, a rule, both optional) includes this one."""
        return (not segment or segment in self.segments) and (rule is None or rule.matches(self.values))


def audience_of(model: Model, config: SiteConfig, events: list[Event], sessions: list[list[Event]],
                context: PageContext, now_ms: float) -> Audience:
    session = sessions[-1] if sessions else []
    visit = landing_visit(session, context, now_ms)
    profile = build_profile(events, model, context, now_ms, config, sessions)
    visit_names = visit_values(visit)
    values = {**profile_values(profile), **visit_names}
    segments = frozenset(segment.name for segment in config.segments if segment.rule.matches(values))
    values["segments"] = sorted(segments)
    template_values = {
        "shop": dict(vars(config.shop)), "profile": values, "visit": dict(visit_names), "segments": values["segments"],
        "product": card_of(model, context.product), "last_viewed": card_of(model, last_viewed(profile, context)),
    }
    assignments = {experiment.name: assign(experiment, context.visitor_id) for experiment in config.experiments}
    return Audience(profile, visit, values, segments, assignments, template_values, now_ms)


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
