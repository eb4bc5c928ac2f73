"""Weight quantization: the stated error bound, exact at 1.0, and the order lists come back in."""

import random

import pytest

from shopkeeper.model import ModelData, Product, decode_model, encode_model
from shopkeeper.model.quantize import LEVEL_COUNT, LEVELS, canonical_list, quantize_weight

FLOOR = 2.0 ** -10.5
BOUND = 2.0 ** (1 / 12)   # within 1/12 octave: 5.9 %


def test_levels_are_sixths_of_an_octave_down_to_the_floor():
    assert LEVELS[0] == 1.0 and LEVELS[6] == 0.5 and LEVELS[12] == 0.25
    assert LEVELS[LEVEL_COUNT - 1] == pytest.approx(FLOOR, rel=1e-15)


def test_relative_error_stays_within_a_twelfth_of_an_octave():
    rng = random.Random(5)
    weights = [FLOOR, 1.0, 0.5, 1 - 1e-12] + [2.0 ** -rng.uniform(0, 10.5) for _ in range(20_000)]
    for weight in weights:
        stored = LEVELS[quantize_weight(weight)]
        assert 1 / BOUND - 1e-12 <= stored / weight <= BOUND + 1e-12, weight


def test_weights_below_the_floor_become_the_floor():
    for weight in (FLOOR * 0.999, 1e-6, 5e-324):
        assert LEVELS[quantize_weight(weight)] == LEVELS[-1]
        assert abs(LEVELS[quantize_weight(weight)] - weight) < 7e-4


def test_quantization_never_reverses_an_order():
    rng = random.Random(9)
    weights = sorted(rng.random() for _ in range(5000))
    levels = [quantize_weight(weight) for weight in weights]
    assert levels == sorted(levels, reverse=True)


def test_lists_come_back_best_first_with_ties_by_index():
    assert canonical_list([(9, 0.5), (3, 1.0), (4, 0.501), (1, 0.499)]) == [(3, 0), (1, 6), (4, 6), (9, 6)]
    data = ModelData([Product(str(i)) for i in range(10)], {"bought_together": [[(9, 0.5), (3, 1.0), (4, 0.501), (1, 0.499)]]})
    assert decode_model(encode_model(data)).neighbours("bought_together", 0) == [(3, 1.0), (1, 0.5), (4, 0.5), (9, 0.5)]
