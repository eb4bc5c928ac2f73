"""Opening a model decodes no product and no list; each answer decodes only what it needs."""

import pytest
from modelfile_builders import random_data

from shopkeeper.model import decode_model, encode_model, listcode, strings

BLOB = encode_model(random_data(21, 400))


@pytest.fixture
def counted(monkeypatch):
    """Counts of neighbour lists and strings decoded."""
    counts = {"lists": 0, "strings": 0}
    decode_list, getitem = listcode.decode_list, strings.StringTable.__getitem__

    def counting_decode_list(*args):
        counts["lists"] += 1
        return decode_list(*args)

    def counting_getitem(self, index):
        counts["strings"] += 1
        return getitem(self, index)

    monkeypatch.setattr("shopkeeper.model.neighbours.decode_list", counting_decode_list)
    monkeypatch.setattr(strings.StringTable, "__getitem__", counting_getitem)
    return counts


def test_opening_decodes_nothing_per_product(counted):
    model = decode_model(BLOB)
    assert counted == {"lists": 0, "strings": 0}
    model.neighbours("viewed_together", 123)
    assert counted == {"lists": 1, "strings": 0}
    model.popular(10, "Home", trending=True)
    model.index_of(model.display.texts["ids"][7])
    assert counted == {"lists": 1, "strings": 1}
    model.facets(5)
    assert counted == {"lists": 1, "strings": 1}
    model.product(5)
    assert counted["lists"] == 1 and counted["strings"] == 1 + 6   # id, title, url, image, category, brand


def test_the_open_model_holds_views_into_the_file_not_copies():
    model = decode_model(BLOB)
    stream = model.kinds["viewed_together"].stream
    assert isinstance(stream, memoryview) and stream.obj is BLOB
