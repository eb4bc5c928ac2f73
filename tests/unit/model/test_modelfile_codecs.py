"""The building blocks: packed integers, string tables, neighbour lists, price bands."""

import random

import pytest

from shopkeeper.model import price_band
from shopkeeper.model.listcode import ListShape, decode_list, encode_list, shape_of
from shopkeeper.model.packed import pack_array, pack_ints, read_array, read_packed
from shopkeeper.model.strings import pack_strings, read_strings


@pytest.mark.parametrize("width", [0, 1, 3, 7, 8, 9, 17, 31, 32, 33, 64])
def test_packed_integers_round_trip(width):
    rng = random.Random(width)
    values = [rng.randrange(1 << width) if width else 0 for _ in range(101)]
    packed = read_packed(memoryview(pack_ints(values, width)), len(values), width, "test")
    assert [packed[i] for i in range(len(values))] == values
    assert packed.slice(0, 101) == values and packed.slice(37, 45) == values[37:45] and packed.slice(99, 200) == values[99:]
    assert packed.pair(50) == (values[50], values[51])
    with pytest.raises(IndexError):
        packed[101]


def test_packed_array_reports_what_follows():
    array, rest = read_array(memoryview(pack_array([5, 0, 1000]) + b"tail"), "test")
    assert (array.slice(0, 3), bytes(rest)) == ([5, 0, 1000], b"tail")


def test_string_tables_decode_one_string_and_bisect_raw_bytes():
    words = sorted(["", "a", "ab", "b", "é", "z", "日本", "🥾"])
    table = read_strings(memoryview(pack_strings(words)), "test")
    assert [table[i] for i in range(len(table))] == words
    assert [table.bisect(word) for word in words] == list(range(len(words)))
    assert table.bisect("aa") is None and table.bisect("\U0010ffff") is None


def test_string_table_in_a_given_order():
    words = ["delta", "alpha", "charlie", "bravo"]
    order = read_array(memoryview(pack_array(sorted(range(4), key=words.__getitem__))), "test")[0]
    table = read_strings(memoryview(pack_strings(words)), "test")
    assert [table.bisect(word, order) for word in words] == [0, 1, 2, 3] and table.bisect("echo", order) is None


@pytest.mark.parametrize("universe", [1, 2, 5, 64, 1000, 100_000])
def test_neighbour_lists_round_trip(universe):
    rng = random.Random(universe)
    lists = []
    for _ in range(60):
        count = rng.choice([0, 1, universe, rng.randrange(min(universe, 30) + 1)])
        indexes = sorted(rng.sample(range(universe), min(count, universe, 40)))
        lists.append([(index, rng.randrange(64)) for index in indexes])
    lists.append([(index, 5) for index in range(min(universe, 40))])   # a dense run costs nothing per index
    shape = shape_of(lists, universe)
    for pairs in lists:
        assert decode_list(encode_list(pairs, shape), shape) == pairs


def test_a_dense_cluster_costs_almost_nothing():
    shape = ListShape(universe=100_000, fewest=20, longest=20)
    cluster = [(index, 0) for index in range(5000, 5020)]
    spread = [(index * 4999, 0) for index in range(20)]
    assert encode_list(cluster, shape).bit_length() <= 17 < 200 < encode_list(spread, shape).bit_length()


def test_price_bands_are_half_octaves():
    assert [price_band(p) for p in (-1.0, 0.0, 0.5, 1.0, 1.41, 1.42, 2.0, 2.9, 100.0, 1e30)] == [0, 0, 1, 1, 1, 2, 3, 4, 14, 63]
