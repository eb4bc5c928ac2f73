"""Catalogs as merchants have them: the shop's own CSV or JSON Lines, Merchant Center feeds."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from shopkeeper.model import Product
from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read.catalog import read_catalog

FIXTURES = Path(__file__).parent / "fixtures"


def test_native_csv_reads_every_field_and_keeps_extra_columns_as_attributes():
    result = read_catalog(FIXTURES / "catalog.csv")
    assert result.warnings == []
    assert [product.id for product in result.products] == ["SKU-100", "SKU-101", "SKU-102", "SKU-103"]
    assert result.products[0] == Product(
        id="SKU-100", title="Trail Runner 2, waterproof", url="https://shop.example/p/sku-100",
        image="https://cdn.example/i/sku-100.jpg", price=129.0, sale_price=99.0, category=("Shoes", "Trail"),
        brand="Acme", in_stock=True, replenishable=False, attributes=(("color", "blue"), ("material", "mesh")),
    )
    socks, lamp = result.products[2], result.products[3]
    assert (socks.in_stock, socks.replenishable, socks.sale_price) == (True, True, None)
    assert (lamp.price, lamp.in_stock, lamp.attributes) == (45.0, False, ())


def test_json_lines_take_lists_nested_attributes_and_skip_blank_lines():
    products = read_catalog(FIXTURES / "catalog.jsonl").products
    assert [product.id for product in products] == ["SKU-100", "SKU-101", "SKU-102"]
    assert products[0].category == ("Shoes", "Trail")
    assert products[0].attributes == (("color", "blue"), ("sizes", "41, 42, 43"))
    assert (products[1].price, products[1].in_stock, products[1].attributes) == (249.9, False, (("season", "winter"),))
    assert products[2].replenishable is True


def test_merchant_center_tsv_feed_reads_as_exported():
    products = {product.id: product for product in read_catalog(FIXTURES / "merchant_center.tsv").products}
    shoe = products["TR2-BLU-42"]
    assert (shoe.price, shoe.sale_price, shoe.url, shoe.image) == (
        129.0, 99.0, "https://shop.example/p/tr2?size=42", "https://cdn.example/i/tr2-blue.jpg")
    assert shoe.category == ("Shoes", "Trail", "Running")
    assert ("item_group_id", "TR2") in shoe.attributes
    assert products["TR2-BLU-43"].in_stock is False
    lamp = products["LAMP-400"]
    # No product_type: Merchant Center's own taxonomy path stands in; a preorder can be bought.
    assert lamp.category == ("Sporting Goods", "Outdoor Recreation", "Camping & Hiking")
    assert lamp.in_stock is True and ("availability", "preorder") in lamp.attributes
    assert ("description", 'Rechargeable, 15" cord.') in lamp.attributes
    assert products["SOCK-3"].in_stock is True


def test_merchant_center_csv_feed_with_underscored_availability():
    products = read_catalog(FIXTURES / "merchant_center.csv").products
    assert [(product.id, product.in_stock, product.price) for product in products] == [
        ("TR2-BLU-42", True, 129.0), ("LAMP-400", False, 45.0)]
    assert products[1].title == "Headlamp 400 lumen, rechargeable"
    assert products[1].category == ("Sporting Goods", "Outdoor Recreation")
    assert ("google_product_category", "187") in products[0].attributes  # a taxonomy number is no category


def test_columns_name_fields_in_another_language(tmp_path):
    path = tmp_path / "artikel.csv"
    path.write_text("Artikelnummer;Bezeichnung;Preis;Farbe\nA-1;Wanderschuh;89.90;braun\n")
    result = read_catalog(path, columns={"id": "Artikelnummer", "title": "Bezeichnung", "price": "Preis"})
    assert result.products == [Product(id="A-1", title="Wanderschuh", price=89.9, attributes=(("Farbe", "braun"),))]


def test_gzipped_catalog_reads_like_the_plain_one(tmp_path):
    path = tmp_path / "catalog.csv.gz"
    path.write_bytes(gzip.compress((FIXTURES / "catalog.csv").read_bytes()))
    assert read_catalog(path) == read_catalog(FIXTURES / "catalog.csv")


def test_warnings_count_untitled_products_odd_sale_prices_and_mixed_currencies(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text("id,title,price,sale_price,link\nA,,10 EUR,,/a\nB,Bee,10 USD,12 USD,/b\nC,,5 EUR,,/c\n")
    warnings = read_catalog(path).warnings
    assert warnings == [
        f"{path}: 2 products have no title, first on line 2: shelf cards show no product name",
        f"{path}: 1 sale prices are not below the price and are ignored (first on line 3)",
        f"{path}: prices in several currencies (EUR, USD) are compared as plain numbers",
    ]


def test_a_catalog_of_ids_only_publishes_with_one_warning_per_missing_field(tmp_path):
    """Click logs often come with ids alone: only the id is required; each expected field says what goes without it."""
    path = tmp_path / "ids.csv"
    path.write_text("id\nA\nB\n")
    result = read_catalog(path)
    assert [product.id for product in result.products] == ["A", "B"] and result.products[0].price == 0.0
    assert result.warnings == [
        f"{path}: no title column (looked for title, name, product_name): shelf cards show no product name; "
        "name yours with --catalog-columns title=NAME",
        f"{path}: no url column (looked for url, link, product_url): shelf cards link nowhere; "
        "name yours with --catalog-columns url=NAME",
        f"{path}: no price column (looked for price): products count as unpriced (price 0): no price band for similar "
        "products, no price sensitivity, and price rules never match them; name yours with --catalog-columns price=NAME",
    ]


def test_an_empty_price_is_unpriced_like_a_zero_one(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("id,title,url,price\nA,Anorak,/a,12.00\nB,Boot,/b,\nC,Cap,/c,0\n")
    result = read_catalog(path)
    assert [product.price for product in result.products] == [12.0, 0.0, 0.0]
    assert result.warnings == [f"{path}: 2 products have no price (empty or 0), first on line 3: products count as unpriced "
                               "(price 0): no price band for similar products, no price sensitivity, and price rules never match them"]


BAD_CATALOGS = [
    ("catalog.csv", "sku_nr,title\nA,Anorak\n",
     "catalog.csv:1: no id column (looked for id, product_id, sku, item_id): every event and every recommendation list "
     "names products by it; name yours with --catalog-columns id=NAME; the header has: 'sku_nr', 'title'"),
    ("catalog.csv", "id,title,price\nA,Anorak,12.00\nB,Boot,abc\n", "catalog.csv:3: price 'abc' is not a number"),
    ("catalog.csv", "id,title,price\nA,Anorak,-3\n", "catalog.csv:2: price '-3' is negative"),
    ("catalog.csv", "id,title,price\nA,Anorak,1\nB,Boot,2\n\nA,Again,3\n", "catalog.csv:5: duplicate id 'A', first on line 2"),
    ("catalog.csv", "id,title,price\n ,Anorak,1\n", "catalog.csv:2: empty id: every product needs one"),
    ("catalog.csv", "id,title,price\nA,Anorak,1,extra\n", "catalog.csv:2: expected 3 fields as in the header, found 4"),
    ("catalog.csv", 'id,title,price\n"A","multi\nline title",1\nB,Boot,x\n', "catalog.csv:4: price 'x' is not a number"),
    ("catalog.csv", "id,title,price,availability\nA,Anorak,1,maybe\n",
     "catalog.csv:2: availability 'maybe' is not one of: in stock, out of stock, preorder, backorder, true, false"),
    ("catalog.csv", "id,title,price\n", "catalog.csv: no products: the catalog has a header but no rows"),
    ("catalog.csv", "", "catalog.csv:1: the file is empty: expected a header line or JSON Lines"),
    ("catalog.jsonl", '{"id": "A", "title": "Anorak", "price": 1}\n{"id": "B", "title": "Boot" "price": 2}\n',
     "catalog.jsonl:2: not valid JSON: Expecting ',' delimiter (column 29)"),
    ("catalog.jsonl", '{"sku_nr": "A", "title": "Anorak"}\n',
     "catalog.jsonl:1: no id key (looked for id, product_id, sku, item_id): every event and every recommendation list "
     "names products by it; name yours with --catalog-columns id=KEY"),
    ("catalog.jsonl", '{"id": "A", "title": "Anorak", "price": 1}\n["B"]\n', "catalog.jsonl:2: expected a JSON object, found list"),
    ("catalog.jsonl", '[{"id": "A"}]\n', "catalog.jsonl:1: found a JSON array: expected JSON Lines, one object per line"),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_CATALOGS, ids=[message.split(": ", 1)[1][:40] for _, _, message in BAD_CATALOGS])
def test_bad_catalogs_fail_with_file_and_line(tmp_path, monkeypatch, name, text, message):
    monkeypatch.chdir(tmp_path)
    Path(name).write_text(text)
    with pytest.raises(InputError) as caught:
        read_catalog(name)
    assert str(caught.value) == message


def test_missing_file_and_unknown_column_field(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"^nowhere\.csv: no such file or directory$"):
        read_catalog("nowhere.csv")
    Path("catalog.csv").write_text("sku,title,price\nA,Anorak,1\n")
    with pytest.raises(InputError, match=r"^catalog\.csv: unknown field 'colour' in --catalog-columns; fields are: id, title"):
        read_catalog("catalog.csv", columns={"colour": "color"})
    with pytest.raises(InputError, match=r"^catalog\.csv:1: no column 'SKU_NR' \(named for id in --catalog-columns\); the header has: 'sku'"):
        read_catalog("catalog.csv", columns={"id": "SKU_NR"})


def test_latin1_file_is_refused_with_a_hint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("catalog.csv").write_bytes("id,title,price\nA,Gr\xfcn,1\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"^catalog\.csv: not UTF-8 text \(byte 0xfc\); save the file as UTF-8$"):
        read_catalog("catalog.csv")
