"""Data that cannot be stored faithfully is refused when writing, naming what and where."""

import math

import pytest

from shopkeeper.model import ModelData, ModelFormatError, Product, TimingModel, encode_model

PRODUCTS = [Product("a"), Product("b"), Product("c")]


@pytest.mark.parametrize(("neighbours", "message"), [
    ({"bought_together": [[(1, 0.0)]]}, r"neighbours 'bought_together' of product 0: expected an index below 3 with a weight in \(0, 1\], found \(1, 0.0\)"),
    ({"bought_together": [[], [(1, 1.5)]]}, r"of product 1: .* found \(1, 1.5\)"),
    ({"bought_together": [[(1, math.nan)]]}, r"found \(1, nan\)"),
    ({"bought_together": [[(3, 0.5)]]}, r"expected an index below 3 .* found \(3, 0.5\)"),
    ({"bought_together": [[(-1, 0.5)]]}, r"found \(-1, 0.5\)"),
    ({"bought_together": [[(1.0, 0.5)]]}, r"found \(1.0, 0.5\)"),
    ({"bought_together": [[(1, "high")]]}, r"found \(1, 'high'\)"),
    ({"bought_together": [[(1, 0.5), (1, 0.4)]]}, r"expected at most 65535 distinct indexes, found 2 entries"),
    ({"bought_together": [[], [], [], []]}, r"expected at most 3 lists, found 4"),
    ({"viewed_after": [[]]}, r"expected kinds among viewed_together, bought_together, found 'viewed_after'"),
])
def test_bad_neighbours_are_refused(neighbours, message):
    with pytest.raises(ModelFormatError, match=message):
        encode_model(ModelData(PRODUCTS, neighbours))


def test_duplicate_ids_are_refused_naming_both():
    with pytest.raises(ModelFormatError, match=r"product 2: expected a unique string id, found 'a' \(also product 0\)"):
        encode_model(ModelData([Product("a"), Product("b"), Product("a")]))


@pytest.mark.parametrize(("price", "sale"), [(math.inf, None), (math.nan, None), (1.0, math.nan), (1.0, -math.inf)])
def test_prices_that_are_not_finite_are_refused(price, sale):
    with pytest.raises(ModelFormatError, match="expected finite prices"):
        encode_model(ModelData([Product("a", price=price, sale_price=sale)]))


@pytest.mark.parametrize(("config", "found"), [
    ({"when": (1, 2)}, "values JSON changes"),
    ({1: "x"}, "values JSON changes"),
    ({"x": {1, 2}}, "not JSON serializable"),
    ({"x": math.inf}, "Out of range float"),
])
def test_config_that_is_not_plain_json_is_refused(config, found):
    with pytest.raises(ModelFormatError, match=f"config: expected plain JSON data, found .*{found}"):
        encode_model(ModelData(PRODUCTS, config=config))


def test_a_timing_model_that_is_not_json_is_refused():
    with pytest.raises(ModelFormatError, match="timing model: expected plain JSON data"):
        encode_model(ModelData(PRODUCTS, timing=TimingModel(("x",), (math.nan,), (0.0,))))


@pytest.mark.parametrize("depth", [0, -1, 2.5])
def test_a_popular_depth_that_is_not_a_positive_integer_is_refused(depth):
    with pytest.raises(ModelFormatError, match="popular_depth: expected a positive integer"):
        encode_model(ModelData(PRODUCTS), popular_depth=depth)
