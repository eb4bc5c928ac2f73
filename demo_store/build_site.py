"""Build the demo store's static storefront from its catalog: the merchant's own site.

    python demo_store/build_site.py --catalog demo_store/data/catalog.csv --out build/demo/site

Writes home, one page per category (top level and leaf, each grid marked for re-ranking),
one page per product, search, cart, checkout, order confirmation and a "what this browser
knows" page, with the store's CSS and scripts (demo_store/site-assets/) and an SVG
placeholder image per product. Pages are rendered by Jinja2 with autoescaping, from
demo_store/templates/. Each page carries the one shopkeeper tag and the data-sk-*
attributes its loader reads, the way a merchant adds them to a theme; everything else is
the store's own code and would work the same without shopkeeper. No inline scripts: the
pages are served with a Content-Security-Policy that forbids them.

The store reads its catalog CSV itself (a shop has its own product database); it shares
nothing with shopkeeper's publishing code.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from placeholders import product_svg

HERE = Path(__file__).resolve().parent
SHOPKEEPER_TAG = '<script src="/sk/shopkeeper.js" data-manifest="/sk/manifest.json"></script>'
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>")
SHOP_NAME = "Ridgeline Outfitters"
STAFF_PICKS = ("TEN-101", "FTW-501", "JKT-601", "KIT-302")   # the home shelf's default, before any decision
CATEGORY_BLURBS = {
    "Camping": "Shelters, sleep systems and camp kitchens for nights under the stars.",
    "Hiking": "Packs, poles and footwear for day hikes and long trails.",
    "Clothing": "A layering system for every forecast: merino, fleece, down and shells.",
    "Climbing": "Ropes, harnesses and hardware for the gym, the crag and the mountain.",
}


@dataclass(frozen=True)
class Product:
    id: str
    title: str
    description: str
    url: str
    image: str
    price: float
    sale_price: float | None
    in_stock: bool
    brand: str
    category: tuple[str, ...]
    specs: tuple[tuple[str, str], ...]

    @property
    def current_price(self) -> float:
        return self.sale_price if self.sale_price is not None else self.price

    @property
    def saving_percent(self) -> int:
        return round(100 * (1 - self.current_price / self.price)) if self.sale_price is not None else 0

    @property
    def category_path(self) -> str:
        return " > ".join(self.category)


def read_catalog(path: Path) -> list[Product]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    products = []
    for row in rows:
        sale = row.get("sale_price", "").strip()
        specs = (("Colour", row.get("color", "")), ("Material", row.get("material", "")), ("Weight", row.get("shipping_weight", "")))
        products.append(Product(
            id=row["id"], title=row["title"], description=row.get("description", ""), url=row["link"], image=row["image_link"],
            price=_amount(row["price"]), sale_price=_amount(sale) if sale else None,
            in_stock=row.get("availability", "in stock").strip().lower() != "out of stock", brand=row.get("brand", ""),
            category=tuple(part.strip() for part in row["product_type"].split(">")),
            specs=tuple((name, value) for name, value in specs if value),
        ))
    return products


def _amount(text: str) -> float:
    return float(text.split()[0])


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-")


def category_url(path: tuple[str, ...]) -> str:
    return f"/c/{slug(' '.join(path))}.html"


def categories(products: list[Product]) -> list[dict]:
    """Top-level categories in catalog order, each with its leaves and products."""
    tops: dict[str, dict] = {}
    for product in products:
        top = tops.setdefault(product.category[0], {"name": product.category[0], "path": product.category[:1], "leaves": {}, "products": []})
        top["products"].append(product)
        leaf = top["leaves"].setdefault(product.category, {"name": product.category[-1], "path": product.category, "products": []})
        leaf["products"].append(product)
    for top in tops.values():
        top["url"] = category_url(top["path"])
        top["blurb"] = CATEGORY_BLURBS.get(top["name"], "")
        top["leaves"] = list(top["leaves"].values())
        for leaf in top["leaves"]:
            leaf["url"] = category_url(leaf["path"])
    return list(tops.values())


def search_index(products: list[Product]) -> str:
    """What search.js filters, as a JSON data block; '<' escaped so no text can close the <script>."""
    entries = [{
        "id": p.id, "title": p.title, "url": p.url, "image": p.image, "brand": p.brand, "category": p.category_path,
        "price": p.price, "sale_price": p.sale_price, "in_stock": p.in_stock, "text": f"{p.description} {' '.join(v for _, v in p.specs)}",
    } for p in products]
    return json.dumps(entries, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["money"] = lambda amount: f"€{amount:,.2f}"
    return env


def build(catalog: Path, out: Path) -> int:
    products = read_catalog(catalog)
    by_id = {product.id: product for product in products}
    tops = categories(products)
    env = environment()
    common = {"shop_name": SHOP_NAME, "nav": tops}
    pages: dict[str, tuple[str, dict]] = {
        "index.html": ("home.html", {"picks": [by_id[i] for i in STAFF_PICKS if i in by_id], "categories": tops}),
        "search.html": ("search.html", {"index_json": search_index(products)}),
        "cart.html": ("cart.html", {}),
        "checkout.html": ("checkout.html", {}),
        "order.html": ("order.html", {}),
        "privacy.html": ("privacy.html", {}),
    }
    for top in tops:
        pages[top["url"].lstrip("/")] = ("category.html", {"category": top, "top": top, "products": top["products"]})
        for leaf in top["leaves"]:
            pages[leaf["url"].lstrip("/")] = ("category.html", {"category": leaf, "top": top, "products": leaf["products"]})
    for product in products:
        top = next(t for t in tops if t["name"] == product.category[0])
        leaf = next(leaf for leaf in top["leaves"] if leaf["path"] == product.category)
        related = [p for p in leaf["products"] if p.id != product.id and p.in_stock][:4]
        pages[product.url.lstrip("/")] = ("product.html", {"product": product, "top": top, "leaf": leaf, "related": related})

    if out.exists():
        shutil.rmtree(out)
    for name, (template, values) in pages.items():
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        html = env.get_template(template).render(**common, **values)
        check_page(name, html)
        target.write_text(html, encoding="utf-8")
    shutil.copytree(HERE / "site-assets", out / "assets")
    for product in products:
        image = out / product.image.lstrip("/")
        image.parent.mkdir(parents=True, exist_ok=True)
        image.write_text(product_svg(product.category, dict(product.specs).get("Colour", ""), product.id, product.title), encoding="utf-8")
    return len(pages)


def check_page(name: str, html: str) -> None:
    """Every page has the one shopkeeper tag in <head>, and no script the page's CSP would
    block: each <script> has a src, or is a JSON data block that never runs."""
    head = html.split("</head>", 1)[0]
    if head.count(SHOPKEEPER_TAG) != 1 or html.count("/sk/shopkeeper.js") != 1:
        raise SystemExit(f"build_site: {name}: expected the shopkeeper tag exactly once, in <head>")
    for attributes in SCRIPT_TAG.findall(html):
        if "src=" not in attributes and 'type="application/json"' not in attributes:
            raise SystemExit(f"build_site: {name}: an inline <script{attributes}> would be blocked by the CSP (script-src 'self')")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--catalog", type=Path, default=HERE / "data" / "catalog.csv")
    parser.add_argument("--out", type=Path, required=True, help="directory to (re)create with the storefront")
    args = parser.parse_args()
    count = build(args.catalog, args.out)
    print(f"build_site: {count} pages -> {args.out}")


if __name__ == "__main__":
    main()
