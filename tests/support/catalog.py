"""A tiny outdoor store used by the engine tests; answers are easy to compute by hand."""

from shopkeeper.model import InMemoryModel

DAY = 86_400_000
NOW = 1_800_000_000_000

CATALOG = {
    "products": [
        {"id": "tent", "title": "Trail Tent", "price": 300.0, "category": ["Outdoor", "Camping"], "brand": "Peak"},
        {"id": "stove", "title": "Camp Stove", "price": 60.0, "category": ["Outdoor", "Camping"], "brand": "Peak"},
        {"id": "mug", "title": "Enamel Mug", "price": 12.0, "category": ["Outdoor", "Camping"], "brand": "Acme", "replenishable": True},
        {"id": "boots", "title": "Hiking Boots", "price": 150.0, "sale_price": 120.0, "category": ["Shoes", "Hiking"], "brand": "Acme"},
        {"id": "socks", "title": "Wool Socks", "price": 15.0, "category": ["Shoes", "Accessories"], "brand": "Acme"},
        {"id": "jacket", "title": "Rain Jacket", "price": 180.0, "category": ["Clothing", "Jackets"], "brand": "Peak", "in_stock": False},
        {"id": "book", "title": "Climbing: Learn the Basics", "price": 25.0, "category": ["Books"], "brand": "Press"},
    ],
    "neighbours": {
        "bought_together": {"tent": [["stove", 0.9], ["mug", 0.6], ["jacket", 0.5]], "boots": [["socks", 1.0]],
                            "stove": [["mug", 0.8], ["tent", 0.4]]},
        "viewed_together": {"tent": [["stove", 0.7], ["boots", 0.3]], "boots": [["jacket", 0.6], ["socks", 0.5], ["book", 0.2]],
                            "stove": [["mug", 1.0]]},
    },
    "popularity": {"mug": 1.0, "socks": 0.8, "tent": 0.6, "boots": 0.5, "stove": 0.4, "jacket": 0.3, "book": 0.1},
    "trending": {"book": 1.0, "boots": 0.7, "mug": 0.2},
}


def model(config=None):
    return InMemoryModel.from_json({**CATALOG, "config": config or {}})


def view(product, days_ago=0.0, **extra):
    return {"type": "product_view", "ts": NOW - days_ago * DAY, "page": "product", "product": product, **extra}


def page(kind, days_ago=0.0):
    return {"type": "page_view", "ts": NOW - days_ago * DAY, "page": kind}


def purchase(products, days_ago=0.0, discount=False):
    items = [{"product": product, "quantity": 1, "price": price} for product, price in products]
    return {"type": "purchase", "ts": NOW - days_ago * DAY, "items": items, "discount": discount}
