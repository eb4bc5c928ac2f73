"""A store of realistic size as a merchant's files: catalog.csv, two days of events, site.toml.

    from real_store import write_store, publish_store

The catalog has `products` products ordered by category (12 departments, ~60 products a
leaf category), with titles, URLs and image URLs as storefronts write them (about 40,
60 and 80 characters), prices, a quarter of them on sale, Pareto brands and two
attributes. Day one's log comes from benchmarks/publish.py's SyntheticLog (sessions that
browse a leaf category, follow-ups, carts, purchases), 30 events a product; day two's
log is day one's plus new sessions among 5 % of the products, so that their co-view
lists change, as a day of a shop's traffic changes some products and not others. The
site config is the smallest store's (demo_store/mini/site.toml): a greeting hero whose
variant is a Jinja2 template. `publish_store` runs the real `shopkeeper publish`.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "py_src"), str(Path(__file__).resolve().parent)]

from publish import SyntheticLog, catalog  # noqa: E402

from shopkeeper.publish.read.eventlog import CART, PURCHASE  # noqa: E402

EVENTS_PER_PRODUCT = 30
CHANGED_SHARE = 0.05
SITE_CONFIG = ROOT / "demo_store" / "mini" / "site.toml"
DEPARTMENTS = ("Footwear", "Outerwear", "Camping", "Climbing", "Cycling", "Running", "Swimming", "Travel",
               "Kitchen", "Garden", "Kids", "Accessories")
ADJECTIVES = ("Lightweight", "Waterproof", "Insulated", "Classic", "Packable", "Breathable", "Heavy-Duty", "Ultralight",
              "Recycled", "Everyday", "Technical", "Weekend")
MATERIALS = ("Merino", "Nylon", "Cotton Canvas", "Ripstop", "Leather", "Fleece", "Down", "Bamboo", "Steel", "Cork")
NOUNS = ("Hiking Boot", "Rain Jacket", "Tent", "Backpack", "Sleeping Bag", "Water Bottle", "Trail Shoe", "Headlamp",
         "Base Layer", "Camp Chair", "Duffel", "Gloves", "Beanie", "Shorts", "Cook Set")
FITS = ("Men's", "Women's", "Unisex", "Kids'")
COLOURS = ("Black", "Navy", "Forest Green", "Slate Grey", "Burnt Orange", "Sand")
ACTIONS = {CART: "cart", PURCHASE: "purchase"}


def slug(text: str) -> str:
    return "-".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())


def write_catalog(path: Path, products: int, seed: int = 7) -> list[str]:
    """catalog.csv; returns the product ids in catalog order."""
    plain, leaf = catalog(products, seed)
    rng = np.random.default_rng(seed + 1)
    ids = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "url", "image", "price", "sale_price", "category", "brand", "in_stock", "color", "size"])
        for i, product in enumerate(plain):
            department = DEPARTMENTS[int(product.category[0].split()[-1])]
            colour = COLOURS[rng.integers(len(COLOURS))]
            title = (f"{ADJECTIVES[rng.integers(len(ADJECTIVES))]} {MATERIALS[rng.integers(len(MATERIALS))]} "
                     f"{NOUNS[int(leaf[i]) % len(NOUNS)]}, {FITS[rng.integers(len(FITS))]}, {colour}")
            name = slug(title)
            sale = f"{product.price * 0.8:.2f}" if rng.random() < 0.25 else ""
            ids.append(product.id)
            writer.writerow([
                product.id, title, f"/products/{name}-{product.id.lower()}",
                f"https://cdn.example-outfitters.com/images/products/{product.id}/{name}-800x800.jpg",
                f"{product.price:.2f}", sale, f"{department} > {product.category[1].replace('Leaf', 'Range')}",
                product.brand.replace("Brand", "Peak & Co."), "true" if rng.random() < 0.95 else "false",
                colour.lower(), str(36 + i % 10),
            ])
    return ids


def write_log(path: Path, products: int, events: int, seed: int = 11, extra: tuple[np.ndarray, int] | None = None) -> None:
    """events.csv from SyntheticLog; `extra` = (product indexes, events) appends sessions among those products."""
    _, leaf = catalog(products)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["session", "ts", "type", "product", "quantity"])
        for chunk in SyntheticLog(events, leaf, seed):
            write_chunk(writer, chunk.session, chunk.ts, chunk.kind, chunk.product)
        if extra is not None:
            changed, count = extra
            rng = np.random.default_rng(seed + 100)
            session = np.repeat(np.arange(count // 4), 4)
            item = changed[rng.integers(0, len(changed), len(session))]
            ts = 1.7e9 + 61 * 86400 + session * 600.0 + np.tile(np.arange(4) * 40.0, count // 4)
            ids = np.array([f"SKU-{i:06d}" for i in item], dtype=object)
            write_chunk(writer, session + 10_000_000_000, ts, np.zeros(len(session), np.int8), ids)


def write_chunk(writer, session, ts, kind, product) -> None:
    writer.writerows(
        (f"s{code}", f"{stamp:.0f}", ACTIONS.get(int(action), "view"), item, 1)
        for code, stamp, action, item in zip(session.tolist(), ts.tolist(), kind.tolist(), product.tolist())
    )


def write_store(folder: Path, products: int) -> dict[str, Path]:
    """The merchant's files for day one and day two, in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"catalog": folder / "catalog.csv", "day1": folder / "events-day1.csv", "day2": folder / "events-day2.csv",
             "config": SITE_CONFIG}
    ids = write_catalog(files["catalog"], products)
    events = products * EVENTS_PER_PRODUCT
    write_log(files["day1"], products, events)
    changed = np.random.default_rng(5).choice(len(ids), max(1, int(len(ids) * CHANGED_SHARE)), replace=False)
    write_log(files["day2"], products, events, extra=(np.sort(changed), len(changed) * 8))
    return files


def publish_store(files: dict[str, Path], day: str, out: Path, runtime: Path, shards: str = "auto") -> Path:
    subprocess.run(
        [sys.executable, "-m", "shopkeeper.cli", "publish", "-q", "--catalog", str(files["catalog"]),
         "--events", str(files[day]), "--config", str(files["config"]), "--out", str(out), "--runtime", str(runtime),
         "--shards", shards],
        check=True, stdout=subprocess.DEVNULL,
    )
    return out
