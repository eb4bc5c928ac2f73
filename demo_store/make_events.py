"""Generate the demo store's event log: three months of an outdoor shop's traffic, as CSV.

Deterministic (a fixed seed and a fixed end date), so two runs write the same bytes. The
log looks the way a shop's analytics export does: one row per event, GA4-style type
names, ISO 8601 times in UTC, one row per item for purchases, the page each event
happened on and its referrer (GA4's page_location and page_referrer: the report tells
traffic sources from them), plus columns shopkeeper ignores (currency, order id, coupon,
search term).

The behaviour behind it, so that what `shopkeeper publish` learns can be checked by eye:
each visitor comes on a *mission* (a camping weekend, a first climbing kit, winter
layers...), a chain of steps such as tent -> sleeping bag -> stove -> mug. Within a step
they compare alternatives (co-views of similar products); they move from step to step in
order ("viewed after" chains); they put the pick of a step in the cart and buy the
cart together (tent + stove + mug). Deal seekers prefer sale items and use coupons.
Missions follow the season: camping in late summer, rain gear in October, layers in a
November cold snap (which is what "trending" should find at the end of the log).

    python demo_store/make_events.py --catalog demo_store/data/catalog.csv --out events.csv
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

SEED = 20261122
END = datetime(2026, 11, 22, 22, 0, tzinfo=UTC)
DAYS = 90
VISITORS = 2500
COLUMNS = ["event_time", "event_type", "user_id", "session_id", "product_id", "quantity", "price", "currency",
           "order_id", "coupon", "search_term", "page_location", "page_referrer"]
ORIGIN = "https://ridgeline-outfitters.example"
# How a session arrives: (share, referrer, query string of its landing page). Drawn from
# a random stream of its own, so the behaviour above is the same with or without it.
ARRIVALS = [
    (0.34, "https://www.google.com/", ""), (0.30, "", ""),
    (0.14, "", "?utm_source=newsletter&utm_medium=email&utm_campaign=weekly"),
    (0.12, "https://www.instagram.com/", ""), (0.10, "https://www.google.com/", "?gclid=demo"),
]

# name: (steps of alternatives, searches, season) where season maps a day of the log
# (0 = first, 1 = last) to the mission's relative weight.
MISSIONS = {
    "camping_weekend": (
        [["TEN-101", "TEN-103", "TEN-102", "TEN-107"], ["SLP-202", "SLP-201", "SLP-203"], ["SLP-204", "SLP-205"],
         ["KIT-301", "KIT-302"], ["KIT-304", "KIT-305"], ["KIT-303"], ["PCK-408", "KIT-306"]],
        ["2 person tent", "best rated tent", "tent for beginners", "camping stove", "camp mug"],
        lambda t: 3.0 - 2.0 * t),
    "family_camping": (
        [["TEN-103", "TEN-105"], ["SLP-208", "SLP-204"], ["SLP-202", "SLP-206"], ["KIT-305", "KIT-309"], ["PCK-409", "FTW-506"]],
        ["family tent", "big tent with rooms", "air mattress double"],
        lambda t: 1.6 - 1.2 * t),
    "backpacking": (
        [["PCK-402", "PCK-404", "PCK-403"], ["TEN-102", "TEN-101"], ["SLP-205", "SLP-201"], ["KIT-302", "KIT-301"],
         ["KIT-308"], ["KIT-307", "KIT-303"], ["PCK-407"]],
        ["ultralight backpack", "how to start backpacking", "best backpacking stove", "water filter"],
        lambda t: 1.4),
    "day_hiking": (
        [["FTW-501", "FTW-502", "FTW-503"], ["FTW-504"], ["PCK-401", "PCK-409"], ["PCK-405"], ["PCK-407", "FTW-505", "FTW-507"],
         ["BAS-703", "BAS-707"]],
        ["waterproof hiking boots", "best hiking boots", "trail runners", "daypack", "hiking for beginners"],
        lambda t: 2.0),
    "rain_ready": (
        [["JKT-601", "JKT-604"], ["JKT-607"], ["PCK-406"], ["FTW-505"]],
        ["waterproof jacket", "rain pants", "proven rain jacket"],
        lambda t: 0.4 + 1.6 * max(0.0, 1 - abs(t - 0.55) * 3)),
    "winter_layers": (
        [["BAS-701", "BAS-702"], ["JKT-603", "JKT-602"], ["JKT-602", "JKT-605", "JKT-601"], ["BAS-704", "BAS-705", "BAS-706"]],
        ["merino base layer", "warmest down jacket", "layering guide", "beanie"],
        lambda t: 0.2 + 2.5 * t ** 3 + (6.0 if t > 0.9 else 0.0)),
    "climbing_start": (
        [["CLM-803"], ["CLM-802"], ["CLM-804", "CLM-805"], ["CLM-809", "CLM-807"], ["CLM-808"]],
        ["climbing shoes beginner", "learn to climb", "belay device", "harness"],
        lambda t: 1.0),
    "climbing_lead": (
        [["CLM-801"], ["CLM-806"], ["CLM-808", "CLM-807"], ["BAS-707"]],
        ["dynamic rope", "quickdraws", "best climbing helmet"],
        lambda t: 0.6),
    "restock": (   # customers coming back for consumables; nobody arrives for this
        [["KIT-303", "KIT-307"], ["FTW-504", "CLM-805"]],
        ["gas canister", "freeze dried meals"],
        lambda t: 0.0),
}
CORE_STEPS = 3            # the first steps are what a mission is about; later ones are extras
COUPONS = {"WELCOME10": 0.90, "AUTUMN15": 0.85}   # code -> share of the price paid


class Shop:
    def __init__(self, catalog: Path):
        with open(catalog, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        self.price = {row["id"]: _amount(row["sale_price"] or row["price"]) for row in rows}
        self.on_sale = {row["id"] for row in rows if row["sale_price"]}
        self.in_stock = {row["id"] for row in rows if row["availability"] != "out of stock"}
        self.replenishable = {row["id"] for row in rows if row["replenishable"] == "yes"}
        self.link = {row["id"]: row["link"] for row in rows}
        unknown = {p for steps, _, _ in MISSIONS.values() for step in steps for p in step} - set(self.price)
        if unknown:
            raise SystemExit(f"make_events: missions name products the catalog lacks: {', '.join(sorted(unknown))}")


def _amount(text: str) -> float:
    return float(text.split()[0])


class Writer:
    """Collects rows; sorted by time at the end, as an export would be."""

    def __init__(self):
        self.rows: list[tuple] = []
        self.orders = 0
        self.page, self.referrer = "", ""   # the page the next events happen on, and how it was reached
        self.arrival: tuple[str, str] | None = None   # (referrer, query) of a session yet to land

    def open_page(self, url: str) -> None:
        """The session's landing page (with its campaign's query and the referrer it came
        from), then clicks within the shop: the page left becomes the referrer."""
        if self.arrival is not None:
            (self.referrer, query), self.arrival = self.arrival, None
            self.page = url + query
        elif url != self.page:
            self.page, self.referrer = url, self.page
    def add(self, when: datetime, kind: str, visitor: str, session: str, product: str = "", quantity: int | str = "",
            price: float | str = "", order: str = "", coupon: str = "", query: str = "") -> None:
        stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        price_text = f"{price:.2f}" if isinstance(price, float) else price
        self.rows.append((stamp, len(self.rows), [stamp, kind, visitor, session, product, quantity, price_text,
                                                  "EUR" if price_text else "", order, coupon, query, self.page, self.referrer]))


def pick(rng: random.Random, alternatives: list[str], shop: Shop, deal_seeker: bool) -> str:
    weights = [1.0 / (1 + i) ** 1.2 * (2.5 if deal_seeker and p in shop.on_sale else 1.0) for i, p in enumerate(alternatives)]
    return rng.choices(alternatives, weights)[0]


def session(rng, out: Writer, shop: Shop, visitor: dict, number: int, start: datetime) -> None:
    name, who, sid = visitor["mission"], visitor["id"], f"s{number:06d}"
    steps, searches, _ = MISSIONS[name]
    now = start
    arrival = random.Random(f"{SEED}:arrival:{number}")
    out.arrival = arrival.choices(ARRIVALS, [share for share, _, _ in ARRIVALS])[0][1:]

    def tick(low: int, high: int) -> datetime:
        nonlocal now
        now += timedelta(seconds=rng.randint(low, high))
        return now
    if rng.random() < 0.3:
        term = rng.choice(searches)
        out.open_page(f"{ORIGIN}/search?q={term.replace(' ', '+')}")
        out.add(now, "search", who, sid, query=term)
        tick(5, 40)
    cart = visitor["cart"]   # a shop keeps the cart between visits
    first_step = min(visitor["progress"], len(steps) - 1)
    if visitor["progress"] and rng.random() < 0.6:   # a returning shopper looks again at an earlier pick
        again = rng.choice(visitor["seen"])
        out.open_page(ORIGIN + shop.link[again])
        out.add(now, "view_item", who, sid, again, 1, shop.price[again])
        tick(20, 120)
    for position in range(first_step, len(steps)):
        alternatives = steps[position]
        chosen = pick(rng, alternatives, shop, visitor["deal_seeker"])
        compared = [p for p in alternatives if p != chosen]
        rng.shuffle(compared)
        for product in compared[: rng.choice((0, 1, 1, 2))] + [chosen]:   # compare, then settle on one
            out.open_page(ORIGIN + shop.link[product])
            out.add(now, "view_item", who, sid, product, 1, shop.price[product])
            visitor["seen"].append(product)
            tick(15, 150)
        if rng.random() < 0.08:   # a detour to something in season
            detour = pick(rng, MISSIONS[visitor["detour"]][0][0], shop, visitor["deal_seeker"])
            out.open_page(ORIGIN + shop.link[detour])
            out.add(now, "view_item", who, sid, detour, 1, shop.price[detour])
            tick(15, 90)
        wants = (0.35 if position < CORE_STEPS else 0.55 if cart else 0.15) + 0.15 * min(number - visitor["first"], 2)
        if chosen in shop.in_stock and rng.random() < wants:
            quantity = rng.choice((2, 2, 3, 4)) if chosen in shop.replenishable else 1
            cart[chosen] = quantity
            out.open_page(ORIGIN + shop.link[chosen])
            out.add(tick(10, 60), "add_to_cart", who, sid, chosen, quantity, shop.price[chosen])
            tick(5, 40)
            if rng.random() < 0.05:
                out.add(now, "remove_from_cart", who, sid, chosen, quantity, shop.price[chosen])
                del cart[chosen]
                tick(5, 30)
        visitor["progress"] = position + 1
        if rng.random() < (0.22 if cart else 0.3):
            break
    if cart and rng.random() < (0.45 if number > visitor["first"] else 0.3):
        checkout(rng, out, shop, visitor, sid, cart, tick)


def checkout(rng, out: Writer, shop: Shop, visitor: dict, sid: str, cart: dict[str, int], tick) -> None:
    out.orders += 1
    order = f"o{out.orders:05d}"
    coupon = ""
    if (visitor["deal_seeker"] and rng.random() < 0.7) or (not visitor["orders"] and rng.random() < 0.2):
        coupon = "AUTUMN15" if visitor["orders"] else "WELCOME10"
    off = COUPONS.get(coupon, 1.0)
    when = tick(60, 300)
    out.open_page(ORIGIN + "/checkout/thanks")
    for product, quantity in cart.items():
        out.add(when, "purchase", visitor["id"], sid, product, quantity, round(shop.price[product] * off, 2), order, coupon)
    visitor["orders"] += 1
    cart.clear()


def season_weights(t: float) -> dict[str, float]:
    return {name: season(t) for name, (_, _, season) in MISSIONS.items()}


def generate(shop: Shop, rng: random.Random) -> Writer:
    out = Writer()
    begin = END - timedelta(days=DAYS)
    number = 0
    for index in range(VISITORS):
        arrival = rng.uniform(0, DAYS - 0.5)
        weights = season_weights(arrival / DAYS)
        mission = rng.choices(list(weights), list(weights.values()))[0]
        detour = rng.choices(list(weights), list(weights.values()))[0]
        visitor = {"id": f"u{index:05d}", "mission": mission, "detour": detour, "deal_seeker": rng.random() < 0.3,
                   "progress": 0, "seen": [], "orders": 0, "first": number, "cart": {}}
        visits = 1 + min(int(rng.expovariate(0.9)), 5)
        day = arrival
        for _ in range(visits):
            start = begin + timedelta(days=day, hours=rng.choice((8, 12, 13, 19, 20, 21)) - 12 + rng.random() * 2)
            if start >= END:
                break
            session(rng, out, shop, visitor, number, start)
            number += 1
            day += rng.uniform(0.5, 12)
            if visitor["progress"] >= len(MISSIONS[visitor["mission"]][0]) and rng.random() < 0.5:
                # a mission done: customers come back for consumables, others start their detour
                visitor["mission"] = "restock" if visitor["orders"] and rng.random() < 0.5 else detour
                visitor["progress"] = 0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, default=Path(__file__).parent / "data" / "catalog.csv")
    parser.add_argument("--out", type=Path, required=True, help="CSV file to write")
    args = parser.parse_args()
    out = generate(Shop(args.catalog), random.Random(SEED))
    out.rows.sort(key=lambda row: (row[0], row[1]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(row[2] for row in out.rows)
    sessions = len({row[2][3] for row in out.rows})
    print(f"make_events: {len(out.rows):,} events, {sessions:,} sessions, {out.orders:,} orders -> {args.out}")


if __name__ == "__main__":
    main()
