"""Recommendation contract tests on the tiny catalog of catalog.py, answers worked by hand."""

import itertools

from catalog import NOW, model, purchase, view

from shopkeeper.engine.events import PageContext, parse_events
from shopkeeper.engine.recs.next_item import next_item_params
from shopkeeper.engine.recs.recommend import ShelfRules, rank_recommendations
from shopkeeper.engine.shopper.profile import build_profile


def shelf(strategy, raw=(), context=PageContext(page="home"), placement="shelf", **rules):
    m = model()
    profile = build_profile(parse_events(list(raw)), m, context, NOW)
    return rank_recommendations(m, profile, context, placement, ShelfRules(strategy=strategy, **rules))


def ids(recommendations):
    return [r.product.id for r in recommendations]


def test_bought_together_on_a_product_page_skips_out_of_stock_and_names_the_seed():
    recs = shelf("bought_together", context=PageContext(page="product", product="tent"), count=3)
    # stove 0.9 + 0.3*0.7, mug 0.6, jacket out of stock; boots 0.3*0.3 from viewed_together
    assert ids(recs) == ["stove", "mug", "boots"]
    assert recs[0].reason == "Often bought with Trail Tent" and recs[0].reason_code == "bought_together"
    assert recs[0].score == round(0.9 + 0.3 * 0.7, 6)


def test_out_of_stock_can_be_allowed():
    recs = shelf("bought_together", context=PageContext(page="product", product="tent"), count=3, exclude_out_of_stock=False)
    assert ids(recs) == ["stove", "mug", "jacket"]


def test_cold_start_shelves_fall_back_to_bestsellers_and_trending():
    assert ids(shelf("bestsellers", count=3)) == ["mug", "socks", "tent"]
    assert ids(shelf("trending", count=2)) == ["book", "boots"]
    assert [r.reason for r in shelf("personalized", count=2)] == ["Trending now", "Trending now"]
    filled = shelf("bought_together", count=2)  # no seed at all
    assert ids(filled) == ["mug", "socks"] and filled[0].reason_code == "bestseller"


def test_already_bought_is_excluded_unless_replenishable():
    raw = [purchase([("stove", 60.0), ("mug", 12.0)], days_ago=3)]
    recs = shelf("bought_together", raw, context=PageContext(page="product", product="tent"), count=2)
    assert ids(recs) == ["mug", "boots"]


def test_complementary_at_checkout_avoids_the_cart_and_its_own_category():
    added = {"type": "add_to_cart", "ts": NOW - 60_000, "product": "boots", "quantity": 1, "price": 120.0}
    recs = shelf("complementary", [added], context=PageContext(page="checkout"), count=2)
    assert recs[0].product.id == "socks" and recs[0].reason == "Goes well with Hiking Boots"
    assert "boots" not in ids(recs)


def test_upsell_is_pricier_but_at_most_double():
    recs = shelf("upsell", context=PageContext(page="product", product="stove"), count=4)
    assert all(60.0 < r.product.current_price <= 120.0 for r in recs if r.reason_code == "upsell")


def test_recently_viewed_is_most_recent_first_without_the_current_product():
    raw = [view("tent", 3), view("boots", 2), view("mug", 1), view("tent", 0.5)]
    recs = shelf("recently_viewed", raw, context=PageContext(page="product", product="mug"), count=5)
    assert ids(recs) == ["tent", "boots"]


def test_pinned_come_first_and_boosts_reorder():
    context = PageContext(page="product", product="tent")
    assert ids(shelf("bought_together", context=context, count=2, pinned=("book",))) == ["book", "stove"]
    boosted = shelf("bought_together", context=context, count=2, boosts=((lambda p: p.brand == "Acme", 5.0),))
    assert ids(boosted) == ["mug", "stove"]


def test_diversity_caps_products_per_category():
    recs = shelf("bestsellers", count=3, diversity="category", max_per_group=1)
    assert ids(recs) == ["mug", "socks", "boots"]


def test_ignored_recommendations_sink():
    impressions = [
        {"type": "rec_impression", "ts": NOW - i * 1000, "placement": "pdp", "items": [{"product": "stove"}]} for i in range(1, 5)
    ]
    recs = shelf("bought_together", impressions, context=PageContext(page="product", product="tent"), placement="pdp", count=2)
    assert ids(recs) == ["mug", "stove"]  # 1.11 * 0.5**2 < 0.6


def test_rerank_keeps_the_list_and_moves_what_the_shopper_likes_up():
    raw = [view("boots", 1), view("socks", 0.5)]
    context = PageContext(page="category", listing=("tent", "stove", "socks", "boots", "unknown"))
    recs = shelf("rerank", raw, context=context, count=2)
    assert sorted(ids(recs)) == ["boots", "socks", "stove", "tent"]
    assert ids(recs)[:2] == ["socks", "boots"]


def test_neighbour_scores_match_a_brute_force_oracle():
    """On a product page with no history: the product's co-views, plus `hop` times the
    co-views of each of them (engine.next_item)."""
    m = model()
    hop = next_item_params(m)["hop"]
    for product in ["tent", "stove", "boots"]:
        context = PageContext(page="product", product=product)
        recs = shelf("viewed_together", context=context, count=10, exclude_out_of_stock=False, exclude_purchased=False)
        oracle = {}
        for index, score in m.neighbours("viewed_together", m.index_of(product)):
            oracle[index] = oracle.get(index, 0.0) + score
            for far, far_score in m.neighbours("viewed_together", index):
                oracle[far] = oracle.get(far, 0.0) + hop * score * far_score
        oracle.pop(m.index_of(product), None)   # never the product on screen
        got = {r.product.id: r.score for r in recs if r.reason_code != "bestseller"}
        assert got == {m.product(index).id: round(value, 6) for index, value in oracle.items()}


def test_every_strategy_answers_on_every_page_without_raising():
    carted = [{"type": "add_to_cart", "ts": NOW - 60_000, "product": product, "quantity": 1} for product in ("mug", "gone")]
    pages = [(PageContext(page="home"), []), (PageContext(page="product", product="tent"), []),
             (PageContext(page="product", product="gone"), []), (PageContext(page="cart"), carted)]
    strategies = ["bought_together", "viewed_together", "similar", "complementary", "upsell", "recently_viewed",
                  "trending", "bestsellers", "personalized", "rerank"]
    for strategy, (context, cart) in itertools.product(strategies, pages):
        for r in shelf(strategy, [view("boots", 1), *cart], context=context, count=3):
            assert r.product.id != context.product


def test_show_viewed_lets_an_earlier_view_come_back_on_the_next_item_shelves():
    # boots an hour ago, the tent on screen: boots 0.3 from the tent's co-views plus
    # remind 2.0 x decay 0.6 as the view before, 1.5 in all: first, as something viewed
    raw = [view("boots", 1 / 24), view("tent")]
    context = PageContext(page="product", product="tent")
    for strategy in ("viewed_together", "personalized"):
        recs = shelf(strategy, raw, context=context, count=3)
        assert recs[0].product.id == "boots" and recs[0].reason == "You viewed this recently"
        assert recs[0].score == 1.5 and "tent" not in ids(recs)


def test_show_viewed_off_leaves_out_every_viewed_product_on_every_strategy():
    raw = [view("boots", 1 / 24), view("socks", 1 / 48), view("tent")]
    context = PageContext(page="product", product="tent")
    for strategy in ("viewed_together", "personalized", "bought_together", "similar", "trending", "bestsellers"):
        shown = ids(shelf(strategy, raw, context=context, count=4, show_viewed=False))
        assert not {"boots", "socks", "tent"} & set(shown), strategy
        assert sorted(shown) == ["book", "mug", "stove"], strategy   # all that is left in stock
    assert "boots" in ids(shelf("viewed_together", raw, context=context, count=4, show_viewed=True))
