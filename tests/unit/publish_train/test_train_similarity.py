"""Content similarity: the formula by hand, blocking by category, and a brute-force oracle."""

import math
import random

import pytest

from shopkeeper.model import Product
from shopkeeper.publish.similarity import MIN_SIMILARITY, similar_products

RED42, RED43 = (("color", "red"), ("size", "42")), (("color", "red"), ("size", "43"))
CATALOG = [
    Product("trail-1", price=100.0, category=("Shoes", "Trail"), brand="Acme", attributes=RED42),
    Product("trail-2", price=100.0, category=("Shoes", "Trail"), brand="Acme", attributes=RED43),
    Product("road-1", price=200.0, category=("Shoes", "Road"), brand="Other"),
    Product("road-2", price=100.0 * math.sqrt(2), category=("Shoes", "Road"), brand="Acme"),
    Product("bag", price=100.0, category=("Bags",), brand="Acme", attributes=RED42),
]


def test_similarity_by_hand():
    lists = similar_products(CATALOG, k=5)
    # trail-2: category 0.4 * 2/2 + brand 0.2 + price 0.2 * 1 + attributes 0.2 * 1/3
    # road-2:  category 0.4 * 1/2 + brand 0.2 + price 0.2 * (1 - ln(sqrt 2) / ln 2)
    # road-1:  0.4 * 1/2 and nothing else = 0.2, below MIN_SIMILARITY; the bag: another department
    assert [other for other, _ in lists[0]] == [1, 3]
    assert [weight for _, weight in lists[0]] == pytest.approx([0.8 + 0.2 / 3, 0.5])
    # road-1 and road-2 share the leaf (0.4) and half the price band (0.1)
    assert lists[2] == [(3, pytest.approx(0.5))]
    assert lists[4] == []


def test_a_catalog_without_metadata_has_no_similar_products():
    assert similar_products([Product(str(i)) for i in range(5)], k=3) == [[] for _ in range(5)]


def oracle(a: Product, b: Product) -> float:
    shared = 0
    for x, y in zip(a.category, b.category):
        if x != y:
            break
        shared += 1
    deeper = max(len(a.category), len(b.category))
    score = 0.4 * shared / deeper if deeper else 0.0
    score += 0.2 * (a.brand == b.brand and a.brand != "")
    if a.current_price > 0 and b.current_price > 0:
        score += 0.2 * max(0.0, 1 - abs(math.log(a.current_price) - math.log(b.current_price)) / math.log(2))
    union = set(a.attributes) | set(b.attributes)
    score += 0.2 * (len(set(a.attributes) & set(b.attributes)) / len(union) if union else 0.0)
    return score


def random_catalog(seed: int, n: int = 80) -> list[Product]:
    rng = random.Random(seed)
    products = []
    for i in range(n):
        depth = rng.choice([0, 1, 2, 2, 2])
        path = (rng.choice(["Shoes", "Bags"]), rng.choice(["Trail", "Road", "Kids"]), "x")[:depth]
        attributes = tuple(sorted({("color", rng.choice("rgb")), ("size", rng.choice("sml"))}))[: rng.randint(0, 2)]
        products.append(Product(f"p{i}", price=rng.choice([0.0, 10.0, 12.0, 15.0, 19.0, 30.0]), category=path,
                                brand=rng.choice(["", "Acme", "Zed"]), attributes=attributes))
    return products


@pytest.mark.parametrize("seed", range(5))
def test_matches_the_brute_force_oracle_within_each_department(seed):
    products = random_catalog(seed)
    lists = similar_products(products, k=4)
    for i, a in enumerate(products):
        top = a.category[:1]
        scores = [(oracle(a, b), j) for j, b in enumerate(products)
                  if j != i and b.category[:1] == top and oracle(a, b) >= MIN_SIMILARITY - 1e-12]
        expected = sorted(scores, key=lambda e: (-e[0], e[1]))[:4]
        assert [w for _, w in lists[i]] == pytest.approx([w for w, _ in expected])
        # equal scores may pick different products at the cut, but never a worse one
        assert {j for j, _ in lists[i]} >= {j for w, j in expected if w > expected[-1][0] + 1e-9}


@pytest.mark.parametrize("seed", range(3))
def test_small_blocks_only_ever_return_true_similarities_best_first(seed):
    products = random_catalog(seed, n=120)
    lists = similar_products(products, k=5, max_block=8)
    assert any(lists)
    for i, entries in enumerate(lists):
        weights = [w for _, w in entries]
        assert weights == sorted(weights, reverse=True)
        for j, w in entries:
            assert j != i and products[j].category[:1] == products[i].category[:1]
            assert w == pytest.approx(oracle(products[i], products[j]))


def test_identical_products_score_exactly_one():
    twins = [Product(f"t{i}", price=10.0, category=("A",), brand="B", attributes=RED42) for i in range(2)]
    assert similar_products(twins, k=1) == [[(1, 1.0)], [(0, 1.0)]]
