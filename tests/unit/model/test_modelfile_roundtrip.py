"""Encode then decode answers every Model question exactly as InMemoryModel does."""

import pytest
from modelfile_builders import assert_same_answers, awkward_data, preview, random_data

from shopkeeper.model import BinaryModel, InMemoryModel, ModelData, Product, decode_model, encode_model, section_sizes
from shopkeeper.model.encode import model_version


def test_awkward_catalog_round_trips():
    data = awkward_data()
    model = decode_model(encode_model(data, created_at="2026-11-23T10:00:00Z"))
    assert isinstance(model, BinaryModel)
    assert model.created_at == "2026-11-23T10:00:00Z"
    assert_same_answers(model, preview(data))


def test_unicode_and_cents_survive_exactly():
    model = decode_model(encode_model(awkward_data()))
    first = model.product(0)
    assert (first.title, first.brand, first.attributes) == ("Wanderschuh «Gipfel» 🥾", "Bergfuß", (("Farbe", "Grün"), ("Größe", "42")))
    assert (first.price, first.sale_price, first.current_price) == (129.99, 99.5, 99.5)
    assert model.product(4).price == 1e6 + 0.05
    assert model.index_of("日本-7") == 6 and model.index_of("") == 5


def test_prices_that_are_not_whole_cents_are_kept_exactly():
    products = [Product("a", price=0.1 + 0.2, sale_price=None), Product("b", price=19.999, sale_price=1 / 3), Product("c", price=-1.0)]
    data = ModelData(products)
    model = decode_model(encode_model(data))
    assert [model.product(i) for i in range(3)] == products
    assert_same_answers(model, preview(data))


@pytest.mark.parametrize("seed", range(6))
def test_random_catalogs_round_trip(seed):
    data = random_data(seed, products=[1, 2, 17, 60, 240, 300][seed])
    assert_same_answers(decode_model(encode_model(data)), preview(data))


def test_zero_products():
    data = ModelData([], config={"a": 1})
    model = decode_model(encode_model(data))
    assert len(model) == 0 and model.popular(10) == [] and model.popular(5, "x", True) == []
    assert model.index_of("x") is None and model.neighbours("bought_together", 0) == []
    assert_same_answers(model, preview(data))


def test_a_kind_with_only_empty_lists_and_a_kind_shorter_than_the_catalog():
    data = ModelData([Product("a"), Product("b"), Product("c")], {"viewed_together": [[], [], []], "bought_together": [[(2, 0.5)]]})
    model = decode_model(encode_model(data))
    assert model.neighbours("bought_together", 0) == [(2, 2.0 ** -1)]
    assert_same_answers(model, preview(data))


def test_popular_lists_stop_at_the_depth():
    data = random_data(11, products=50)
    model = decode_model(encode_model(data, popular_depth=7))
    memory = InMemoryModel(data)
    assert model.popular(100) == memory.popular(7)
    assert model.popular(5, trending=True) == memory.popular(5, trending=True)


def test_version_is_the_in_memory_models_version_of_the_same_data():
    for data in (awkward_data(), random_data(3, 40), ModelData([])):
        assert decode_model(encode_model(data)).version == model_version(data) == InMemoryModel(data).version


def test_section_sizes_add_up_to_the_file():
    blob = encode_model(awkward_data())
    sizes = section_sizes(blob)
    assert sum(sizes.values()) == len(blob)
    assert {"header", "meta", "config", "facets", "popular", "nbr.viewed_together", "nbr.bought_together", "ids", "titles"} <= set(sizes)
    assert "nbr.viewed_together" not in section_sizes(encode_model(ModelData([Product("a")])))
