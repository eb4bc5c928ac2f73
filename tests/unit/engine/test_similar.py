"""Content similarity from facets: the formula by hand, both model kinds, a brute-force oracle."""

import random

import pytest

from shopkeeper.engine.recs.similar import CANDIDATES_PER_CATEGORY, MIN_SIMILARITY, similar_products
from shopkeeper.model import InMemoryModel, ModelData, Product, decode_model, encode_model, price_band

CATALOG = [
    Product("trail-1", price=100.0, category=("Shoes", "Trail"), brand="Acme"),
    Product("trail-2", price=100.0, category=("Shoes", "Trail"), brand="Acme"),
    Product("road-1", price=200.0, category=("Shoes", "Road"), brand="Other"),
    Product("road-2", price=141.0, category=("Shoes", "Road"), brand="Acme"),
    Product("bag", price=100.0, category=("Bags",), brand="Acme"),
    Product("new-trail", price=95.0, category=("Shoes", "Trail"), brand="Zed"),
]
POPULARITY = [1.0, 0.9, 0.8, 0.7, 0.6, 0.0]  # new-trail: no history at all


def model(products=CATALOG, popularity=POPULARITY):
    return InMemoryModel(ModelData(list(products), popularity=list(popularity)))


def test_similarity_by_hand():
    # bands: 95 and 100 -> 14, 141 -> 15, 200 -> 16
    # trail-2: leaf 0.5 + brand 0.25 + same band 0.25 = 1
    # new-trail: leaf 0.5 + same band 0.25 = 0.75
    # road-2: top level 0.5 * 1/2 + brand 0.25 + one band apart 0.125 = 0.625
    # road-1: 0.25 and nothing else, below MIN_SIMILARITY; the bag: another department
    assert similar_products(model(), 0) == [(1, 1.0), (5, 0.75), (3, 0.625)]
    # road-1 and road-2 share the leaf (0.5) and are a band apart (0.125)
    assert similar_products(model(), 2) == [(3, 0.625)]
    assert similar_products(model(), 4) == []


def test_a_product_without_history_has_similar_products():
    # trail-1 and trail-2 tie (leaf, same band): the more popular first; road-2 0.25 + 0.125
    assert similar_products(model(), 5) == [(0, 0.75), (1, 0.75), (3, 0.375)]
    assert similar_products(model(), 5, limit=1) == [(0, 0.75)]


def test_a_model_file_answers_as_the_in_memory_model():
    data = ModelData(list(CATALOG), popularity=list(POPULARITY))
    binary = decode_model(encode_model(data))
    for index in range(len(CATALOG)):
        assert similar_products(binary, index) == similar_products(InMemoryModel(data), index)


def test_nothing_to_compare_gives_nothing():
    bare = model([Product(str(i)) for i in range(4)], [1.0] * 4)
    assert [similar_products(bare, i) for i in range(4)] == [[]] * 4
    assert similar_products(model(), 0, limit=0) == [] and similar_products(model(), 99) == []


def test_products_without_a_category_compare_only_among_themselves():
    products = [Product("a", price=10.0, brand="B"), Product("b", price=10.0, brand="B"),
                Product("c", price=10.0, brand="B", category=("X",))]
    assert similar_products(model(products, [1.0, 1.0, 1.0]), 0) == [(1, 0.5)]


def oracle(seed: Product, other: Product) -> tuple[float, int]:
    """(similarity, shared depth) straight from the formula, on Products."""
    shared = 0
    for x, y in zip(seed.category, other.category):
        if x != y:
            break
        shared += 1
    score = 0.5 * shared / len(seed.category) if seed.category else 0.0
    score += 0.25 * (seed.brand == other.brand and seed.brand != "")
    a, b = price_band(seed.current_price), price_band(other.current_price)
    score += 0.25 * max(0.0, 1 - abs(a - b) / 2) if a and b else 0.0
    return score, shared


def random_catalog(seed: int, n: int = CANDIDATES_PER_CATEGORY - 5) -> tuple[list[Product], list[float]]:
    rng = random.Random(seed)
    products = []
    for i in range(n):
        depth = rng.choice([0, 1, 2, 2, 3])
        path = (rng.choice(["Shoes", "Bags"]), rng.choice(["Trail", "Road"]), rng.choice(["Kids", "Pro"]))[:depth]
        products.append(Product(f"p{i}", price=rng.choice([0.0, 10.0, 12.0, 15.0, 19.0, 30.0, 45.0]), category=path,
                                brand=rng.choice(["", "Acme", "Zed"])))
    return products, [rng.choice([0.0, rng.random()]) for _ in range(n)]


@pytest.mark.parametrize("seed", range(6))
def test_matches_the_brute_force_oracle(seed):
    """On catalogs small enough that every product is a candidate."""
    products, popularity = random_catalog(seed)
    memory = model(products, popularity)
    binary = decode_model(encode_model(ModelData(products, popularity=popularity)))
    rank = {index: position for position, index in enumerate(memory.popular(len(products)))}
    for i, a in enumerate(products):
        scored = []
        for j, b in enumerate(products):
            score, shared = oracle(a, b)
            same_place = shared > 0 or (not a.category and not b.category)
            if j != i and same_place and score >= MIN_SIMILARITY:
                scored.append((-score, -shared, rank[j], j))
        expected = [(j, -negative) for negative, _, _, j in sorted(scored)[:8]]
        assert similar_products(memory, i, limit=8) == expected, i
        assert similar_products(binary, i, limit=8) == expected, i


def test_candidates_are_the_most_popular_of_each_category():
    n = CANDIDATES_PER_CATEGORY + 10
    products = [Product(f"p{i}", price=10.0, category=("A", "B"), brand="Z") for i in range(n)]
    popularity = [float(i) for i in range(n)]  # the last products are the most popular
    found = similar_products(model(products, popularity), 0, limit=n)
    assert [index for index, _ in found] == list(range(n - 1, n - 1 - CANDIDATES_PER_CATEGORY, -1))
    assert {weight for _, weight in found} == {1.0}
