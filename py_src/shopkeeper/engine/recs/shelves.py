"""Recommendation shelves and re-ranked lists for the placements on a page, as decision data."""

from __future__ import annotations

from shopkeeper.engine.config.site import SiteConfig
from shopkeeper.engine.config.slots import Placement
from shopkeeper.engine.content.markup import safe_url
from shopkeeper.engine.content.templates import render_template
from shopkeeper.engine.events import PageContext
from shopkeeper.engine.lookup import remembering
from shopkeeper.engine.recs.candidates import STRATEGIES
from shopkeeper.engine.recs.recommend import OWN_ITEMS, Recommendation, ShelfRules, rank_recommendations
from shopkeeper.engine.remembered import remembered
from shopkeeper.engine.rules.names import product_readers
from shopkeeper.engine.shopper.profile import Profile
from shopkeeper.model import Model, Product, ProductBrief, category_key


def placement_for(config: SiteConfig, name: str, count: int) -> Placement | None:
    """The configured placement, or one named after a strategy ('bought-together') with defaults."""
    configured = config.placement(name)
    if configured is not None:
        return configured
    strategy = name.replace("-", "_")
    return Placement(name=name, strategy=strategy, count=count) if strategy in STRATEGIES else None


@remembered(maxsize=256, of_shopper=False)   # a placement of the config and a page's count
def shelf_rules(placement: Placement, count: int) -> ShelfRules:
    """The placement's rules, the same object for the same placement: what a worker keeps
    about products for a shelf (recommend.weighed) is kept per rules object."""
    boosts = tuple((boost_test(boost.rule), boost.factor) for boost in placement.boosts)
    return ShelfRules(
        strategy=placement.strategy, count=count or placement.count, exclude_out_of_stock=placement.exclude_out_of_stock,
        exclude_purchased=placement.exclude_purchased, pinned=placement.pinned, boosts=boosts,
        min_price=placement.min_price, max_price=placement.max_price, diversity=placement.diversity,
        max_per_group=placement.max_per_group, show_viewed=placement.show_viewed,
    )


def boost_test(rule) -> object:
    """Whether a boost rule matches a product, reading only the product names the rule uses."""
    read = product_readers(rule.names)
    if len(read) == 1:   # the usual boost reads one name (on_sale, brand ...): remember each answer
        (name, get), answers = read[0], {}

        def test(product) -> bool:
            value = get(product)
            found = answers.get(value)
            if found is None:
                found = answers[value] = rule.matches({name: value})
            return found
        return test
    return lambda product: rule.matches({name: get(product) for name, get in read})


def product_card(product: Product | ProductBrief) -> dict:
    return {
        "id": product.id, "title": product.title or product.id, "url": safe_url(product.url), "image": safe_url(product.image),
        "price": product.price, "sale_price": product.sale_price if product.current_price < product.price else None,
        "brand": product.brand, "category": category_key(product.category), "in_stock": product.in_stock,
    }


def shelf_item(recommendation: Recommendation, placement: Placement, shop: dict, rendered: dict, cards: dict) -> dict:
    """`rendered`: card HTML by everything the card template sees, and `cards`: product cards
    by product index, both kept by the caller; the same products come back on the shopper's
    next pages and shelves."""
    brief = recommendation.product
    card = cards.get(brief.index)
    if card is None:
        card = cards[brief.index] = product_card(brief)
    item = {**card, "currency": shop.get("currency", ""),
            "reason_code": recommendation.reason_code, "reason": recommendation.reason}
    if placement.card_template:
        key = (placement.card_template, tuple(item.items()), tuple(shop.items()))
        html = rendered.get(key)
        if html is None:
            html = render_template(placement.card_template, {"product": item, "reason": recommendation.reason, "shop": shop})
            if html is not None:
                rendered[key] = html
        if html is not None:
            item["html"] = html
    return item


def shelves_for_page(model: Model, config: SiteConfig, profile: Profile, context: PageContext, shop: dict) -> tuple[dict, dict]:
    """Shelves in page order; a product shown on one shelf is not repeated on a later one
    (recently viewed and re-ranked lists excepted: they are about the shopper's own items)."""
    model = remembering(model)
    recs: dict[str, dict] = {}
    rerank: dict[str, list[str]] = {}
    shown: set[int] = set()
    for name, count in context.placements:
        placement = placement_for(config, name, count)
        if placement is None:
            continue
        own_items = placement.strategy in OWN_ITEMS
        elsewhere = frozenset() if own_items else frozenset(shown)
        ranked = rank_recommendations(model, profile, context, name, shelf_rules(placement, count), elsewhere)
        if placement.strategy == "rerank":
            rerank[name] = [recommendation.product.id for recommendation in ranked]
            continue
        rendered, cards = model.table("cards"), model.table("product cards")
        recs[name] = {"strategy": placement.strategy, "items": [shelf_item(r, placement, shop, rendered, cards) for r in ranked]}
        if not own_items:
            shown.update(recommendation.product.index for recommendation in ranked)
    return recs, rerank
