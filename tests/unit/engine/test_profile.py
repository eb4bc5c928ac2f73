from catalog import NOW, model, page, purchase, view

from shopkeeper.engine.config.site import parse_config
from shopkeeper.engine.events import PageContext, parse_events
from shopkeeper.engine.shopper.profile import build_profile, profile_values


def profile_of(raw, context=PageContext(page="home"), config=None):
    site = parse_config(config or {})
    return build_profile(parse_events(raw), model(config), context, NOW, site)


def test_empty_history_is_a_new_shopper():
    profile = profile_of([])
    assert (profile.lifecycle, profile.orders, profile.sessions, profile.intent) == ("new", 0, 0, "browsing")
    assert profile.days_since_last_order == 9999.0 and profile.new_session


def test_recency_frequency_and_monetary_value():
    profile = profile_of([purchase([("tent", 300.0)], days_ago=40), purchase([("mug", 12.0), ("socks", 15.0)], days_ago=10), page("home")])
    assert (profile.orders, profile.total_spend, profile.average_order_value) == (2, 327.0, 163.5)
    assert profile.days_since_last_order == 10.0
    assert profile.lifecycle == "loyal"
    assert profile.purchased == frozenset({"tent", "mug", "socks"})


def test_lapsed_vip_and_browser_stages():
    assert profile_of([purchase([("tent", 300.0)], days_ago=120)]).lifecycle == "lapsed"
    assert profile_of([purchase([("tent", 600.0)], days_ago=1)]).lifecycle == "vip"
    browsing = [view(product, days_ago=d) for d, product in [(9, "tent"), (6, "stove"), (3, "mug"), (3, "boots"), (0, "socks")]]
    assert profile_of(browsing).lifecycle == "browser"


def test_affinities_decay_with_age_and_credit_parent_categories():
    profile = profile_of([view("tent", days_ago=60), view("boots", days_ago=0)])
    categories = profile.affinities.categories
    assert categories["Shoes > Hiking"] == 1.0 and categories["Shoes"] == 1.0
    assert abs(categories["Outdoor > Camping"] - 0.25) < 1e-9  # two half-lives
    values = profile_values(profile)
    assert values["top_category"] == "Shoes > Hiking" and values["top_brand"] == "Acme"


def test_price_sensitivity_is_the_share_of_discounted_orders():
    raw = [purchase([("mug", 12.0)], days_ago=5, discount=True), purchase([("tent", 300.0)], days_ago=3)]
    assert profile_of(raw).price_sensitivity == 0.5


def test_intent_comparing_three_products_of_one_category():
    raw = [view("tent", days_ago=0.001), view("stove", days_ago=0.0009), view("mug", days_ago=0.0008)]
    assert profile_of(raw).intent == "comparing"
    assert profile_of(raw, PageContext(page="checkout")).intent == "buying"


def test_mindset_and_traits_from_searches():
    raw = [{"type": "search", "ts": NOW - 1000, "query": "learn climbing for beginners"}]
    config = {"traits": {"adventurous": {"categories": ["Outdoor"], "words": ["climbing"]}}}
    profile = profile_of(raw, config=config)
    assert profile.mindset == "growth"
    assert profile.traits["adventurous"] == 0.5  # no category history; 1 of 4 words, capped share 1.0


def test_cart_from_events_and_ignored_recommendations():
    raw = [
        {"type": "add_to_cart", "ts": NOW - 3000, "product": "mug", "quantity": 2, "price": 12.0},
        {"type": "add_to_cart", "ts": NOW - 2000, "product": "socks", "price": 15.0},
        {"type": "remove_from_cart", "ts": NOW - 1000, "product": "socks"},
        {"type": "rec_impression", "ts": NOW - 900, "placement": "home", "items": [{"product": "tent"}, {"product": "book"}]},
        {"type": "rec_impression", "ts": NOW - 800, "placement": "home", "items": [{"product": "tent"}, {"product": "book"}]},
        {"type": "rec_click", "ts": NOW - 700, "placement": "home", "product": "book"},
    ]
    profile = profile_of(raw)
    assert [(item.product, item.quantity) for item in profile.cart] == [("mug", 2)]
    assert profile.ignored == {"home": {"tent": 2}}
    assert profile_values(profile)["cart_value"] == 24.0


def test_unknown_products_and_future_events_are_ignored():
    raw = [view("discontinued", days_ago=1), view("tent", days_ago=-5)]
    profile = profile_of(raw)
    assert profile.affinities.categories == {} and profile.product_views == 1

