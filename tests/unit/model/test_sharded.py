"""A model in shards answers as the one-file model does once a page's shards are there,
names only the shards of the page being viewed, and refuses a damaged shard."""

import random

import pytest

from shopkeeper.engine import decide_page, parse_config, parse_context, parse_events
from shopkeeper.engine.lookup import remembering
from shopkeeper.engine.recs.similar import similar_of, similar_products
from shopkeeper.model import ModelData, ModelFormatError, Product, TimingModel, decode_model, encode_model
from shopkeeper.model.sharded import ShardedModel, is_sharded
from shopkeeper.model.shards import bucket_count, bucket_of, encode_sharded

NOW = 1_800_000_000_000
CONFIG = {
    "shop": {"name": "Outfitters", "currency": "EUR"},
    "placements": [
        {"name": "for-you", "strategy": "personalized", "count": 6},
        {"name": "similar", "strategy": "similar", "count": 4},
        {"name": "with-it", "strategy": "bought_together", "count": 4},
        {"name": "trending", "strategy": "trending", "count": 4},
        {"name": "upsell", "strategy": "upsell", "count": 3},
        {"name": "complementary", "strategy": "complementary", "count": 3},
        {"name": "recent", "strategy": "recently_viewed", "count": 4},
        {"name": "listing", "strategy": "rerank", "count": 8},
    ],
}
PLACEMENTS = [{"name": name, "count": 4} for name in ("for-you", "similar", "with-it", "trending", "upsell", "complementary", "recent")]


def store(products=600, seed=3) -> ModelData:
    rng = random.Random(seed)
    tops = ["Footwear", "Camping", "Clothing", "Books"]
    catalog = [
        Product(f"P{i:04d}", f"Product {i}", f"/p/{i}", f"/img/{i}.jpg", price=round(rng.uniform(5, 400), 2),
                sale_price=None if rng.random() < 0.8 else 4.0, category=(tops[i % 4], f"Range {i % 23}") if i % 31 else (),
                brand=f"Brand {rng.randrange(12)}", in_stock=rng.random() < 0.95)
        for i in range(products)
    ]
    catalog.sort(key=lambda product: (product.category, product.id))   # publishing's order (pipeline.in_category_order)
    n = len(catalog)

    def lists(length):
        return [[(other, round(rng.uniform(0.02, 1.0), 3)) for other in rng.sample(range(n), rng.randrange(length))] for _ in range(n)]

    return ModelData(catalog, {"viewed_together": lists(25), "bought_together": lists(6)},
                     popularity=[rng.random() for _ in range(n)], trending=[rng.random() ** 3 for _ in range(n)],
                     config=CONFIG, timing=TimingModel(("pages",), (0.1, 0.2), (-1.0, 0.1)))


def sharded_files(data: ModelData, one_file: bytes):
    """As shopkeeper.publish.sharding does it (publishing is CPython-only; this test also runs in Pyodide)."""
    model = decode_model(one_file)
    return encode_sharded(data, [similar_products(model, index) for index in range(len(model))])


@pytest.fixture(scope="module")
def published():
    data = store()
    one_file = encode_model(data)
    return data, one_file, sharded_files(data, one_file)


def shard_keys(files) -> dict[str, str]:
    """key -> name of every shard, read from the shards themselves."""
    keys = {}
    for name, blob in files.shards.items():
        section = decode_model(blob).shard
        role = section["role"]
        label = {"product": section.get("owner"), "category": section.get("category"), "index": section.get("bucket")}[role]
        keys[f"{role}:{label}"] = name
    return keys


def loaded(files, keys) -> ShardedModel:
    model = ShardedModel(decode_model(files.main), max_shards=len(files.shards))
    for key in keys:
        name = shard_keys(files)[key] if not isinstance(keys, dict) else keys[key]
        assert model.add_shard(key, name, files.shards[name]) == ""
    model.settle()
    return model


def history(rng, data, views=6):
    products = data.products
    events = []
    for step in range(views):
        product = products[rng.randrange(len(products))]
        events.append({"type": "page_view", "ts": NOW - (views - step) * 60_000, "page": "product", "product": product.id})
        events.append({"type": "product_view", "ts": NOW - (views - step) * 60_000, "product": product.id})
        if rng.random() < 0.3:
            events.append({"type": "add_to_cart", "ts": NOW - (views - step) * 60_000 + 1, "product": product.id, "quantity": 1})
    return events


def test_the_main_file_holds_the_shop_wide_lists_and_the_directory(published):
    data, _, files = published
    main = decode_model(files.main)
    assert is_sharded(main) and not is_sharded(decode_model(encode_model(data)))
    assert len(main.shard["buckets"]) == bucket_count(len(data.products)) and set(main.shard["categories"]) >= {"Footwear", "Footwear > Range 0"}
    assert len(main) <= 400 and main.config == CONFIG


def test_with_every_shard_loaded_decisions_equal_the_one_file_models(published):
    data, one_file, files = published
    sharded = remembering(loaded(files, shard_keys(files)))
    whole = remembering(decode_model(one_file))
    config = parse_config(CONFIG)
    rng = random.Random(11)
    compared = 0
    for trial in range(40):
        events = parse_events(history(rng, data, views=rng.randrange(0, 9)))
        product = data.products[rng.randrange(len(data.products))]
        page = rng.choice(["home", "product", "category", "cart"])
        context = {"page": page, "placements": PLACEMENTS, "visitor_id": f"v{trial}",
                   "product": product.id if page == "product" else "",
                   "category": " > ".join(product.category) if page == "category" else ""}
        if page == "category":
            context["placements"] = [*PLACEMENTS, {"name": "listing", "count": 8}]
            context["listing"] = [other.id for other in data.products if other.category == product.category][:12]
        context = parse_context(context)
        expected = decide_page(whole, config, events, context, NOW).to_json_dict()
        assert decide_page(sharded, config, events, context, NOW).to_json_dict() == expected, trial
        compared += sum(len(shelf["items"]) for shelf in expected["recs"].values())
    assert compared > 400, "the trials fill shelves"


def test_a_warm_worker_whose_shards_arrive_page_by_page_decides_as_a_fresh_one(published):
    """What the worker remembers moves to the new indexes as shards arrive (RememberingModel.reindex)."""
    data, _, files = published
    config = parse_config(CONFIG)
    warm_model = ShardedModel(decode_model(files.main))
    warm = remembering(warm_model)
    rng = random.Random(5)
    events = []
    for step in range(14):
        product = data.products[rng.randrange(len(data.products))]
        page = "category" if step % 4 == 3 else "product"
        category = " > ".join(product.category) if page == "category" else ""
        events += [{"type": "page_view", "ts": NOW - (20 - step) * 60_000, "page": page, "product": product.id if page == "product" else "",
                    "category": category}]
        if page == "product":
            events.append({"type": "product_view", "ts": NOW - (20 - step) * 60_000 + 1, "product": product.id})
        for _ in range(2):
            for key, name in warm_model.page_shards(page, product.id, category):
                assert warm_model.add_shard(key, name, files.shards[name]) == ""
        change = warm_model.settle()
        if change is not None:
            warm.reindex(change)
        context = parse_context({"page": page, "product": product.id if page == "product" else "", "category": category,
                                 "placements": PLACEMENTS, "visitor_id": "v"})
        fresh = loaded(files, {key: warm_model.names[key] for key in warm_model.shards})
        parsed = parse_events(events)
        expected = decide_page(remembering(fresh), config, parsed, context, NOW).to_json_dict()
        assert decide_page(warm, config, parsed, context, NOW).to_json_dict() == expected, step
    assert len(warm_model.shards) > 10


def test_a_page_names_only_its_own_shards(published):
    data, _, files = published
    keys = shard_keys(files)
    model = ShardedModel(decode_model(files.main))
    product = data.products[7].id
    bucket = bucket_of(product, len(model.buckets))
    assert model.page_shards("product", product, "") == [(f"index:{bucket}", keys[f"index:{bucket}"])]
    model.add_shard(f"index:{bucket}", keys[f"index:{bucket}"], files.shards[keys[f"index:{bucket}"]])
    assert model.page_shards("product", product, "") == [(f"product:{product}", keys[f"product:{product}"])]
    assert model.page_shards("home", product, "") == [] and model.page_shards("cart", "", "") == []
    assert model.page_shards("category", "", "Camping") == [("category:Camping", keys["category:Camping"])]
    assert model.page_shards("category", "", "No such category") == []
    assert model.missing_keys([product, product], ["Camping"]) == [f"product:{product}", "category:Camping"]


def test_without_the_history_shards_a_shelf_uses_what_is_there(published):
    data, _, files = published
    product = data.products[42]
    page_only = remembering(loaded(files, [f"product:{product.id}"]))
    context = parse_context({"page": "product", "product": product.id, "placements": PLACEMENTS})
    decided = decide_page(page_only, parse_config(CONFIG), parse_events([]), context, NOW).to_json_dict()
    named = {item["id"] for shelf in decided["recs"].values() for item in shelf["items"]}
    known = {page_only.product(index).id for index in range(len(page_only))}
    assert named and named <= known


def test_with_only_the_pages_shard_its_similar_list_is_the_one_publishing_derived(published):
    data, one_file, files = published
    whole = decode_model(one_file)
    product = data.products[42]
    page_only = remembering(loaded(files, [f"product:{product.id}"]))
    index = page_only.index_of(product.id)
    derived = [(whole.product(other).id, score) for other, score in similar_products(whole, whole.index_of(product.id))]
    assert derived and [(page_only.product(other).id, score) for other, score in similar_of(page_only, index)] == derived
    context = parse_context({"page": "product", "product": product.id, "placements": [{"name": "similar", "count": 4}]})
    shelf = decide_page(page_only, parse_config(CONFIG), parse_events([]), context, NOW).to_json_dict()["recs"]["similar"]
    assert shelf["items"] and {item["reason_code"] for item in shelf["items"]} == {"similar"}


@pytest.mark.parametrize("damage", ["flip", "swap", "other_product", "missing"])
def test_a_damaged_missing_or_misplaced_shard_is_refused_with_the_reason(published, damage):
    data, _, files = published
    keys = shard_keys(files)
    key, other = f"product:{data.products[3].id}", f"product:{data.products[4].id}"
    name, blob = keys[key], files.shards[keys[key]]
    model = ShardedModel(decode_model(files.main))
    if damage == "flip":
        problem = model.add_shard(key, name, blob[:200] + bytes([blob[200] ^ 1]) + blob[201:])
        assert "SHA-256" in problem
    elif damage == "swap":
        problem = model.add_shard(key, name, files.shards[keys[other]])
        assert "SHA-256" in problem
    elif damage == "other_product":
        problem = model.add_shard(key, keys[other], files.shards[keys[other]])
        assert "expected the product shard of" in problem
    else:
        problem = model.add_shard(key, name, None, "answered 404")
        assert problem == "answered 404"
    assert model.refused[key] == problem and model.page_refusal("product", key.split(":")[1], "") == problem
    assert model.page_shards("product", key.split(":")[1], "") == [] and model.settle() is None


def test_shards_keep_their_names_when_their_content_does_not_change(published):
    data, one_file, files = published
    changed = ModelData(data.products, {kind: [list(pairs) for pairs in lists] for kind, lists in data.neighbours.items()},
                        data.popularity, data.trending, data.config, data.timing)
    changed.neighbours["viewed_together"][5] = [(6, 0.5), (7, 0.25)]
    again = sharded_files(changed, encode_model(changed))
    kept = set(files.shards) & set(again.shards)
    assert len(kept) > 0.9 * len(files.shards)
    assert shard_keys(again)[f"product:{data.products[5].id}"] not in files.shards


def test_a_main_file_with_a_broken_directory_is_refused():
    blob = encode_model(ModelData([Product("a")]), shard={"role": "main", "buckets": "nope", "categories": {}})
    with pytest.raises(ModelFormatError, match="bucket indexes"):
        ShardedModel(decode_model(blob))
