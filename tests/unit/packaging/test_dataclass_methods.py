"""Dataclass methods compiled at build time give the same classes as dataclasses' own exec."""

import dataclasses
import textwrap

import pytest

from shopkeeper import dataclass_methods

SOURCE = textwrap.dedent(
    """
    from dataclasses import dataclass, field

    @dataclass(frozen=True)
    class Shelf:
        name: str
        items: tuple = ()
        scores: dict = field(default_factory=dict)
    """
)


class StoredFile:
    """A loader whose get_data returns one file's bytes, as the core zip's zipimporter would."""

    def __init__(self, data):
        self.data, self.asked = data, []

    def get_data(self, path):
        self.asked.append(path)
        if self.data is None:
            raise FileNotFoundError(path)
        return self.data


def define_shelf():
    namespace = {}
    exec(compile(SOURCE, "shelf.py", "exec"), namespace)
    return namespace["Shelf"]


@pytest.fixture(autouse=True)
def builtin_exec_afterwards():
    yield
    dataclass_methods.stop_recording()
    assert "exec" not in vars(dataclasses)


def test_recorded_methods_make_the_same_class():
    recorded = dataclass_methods.record()
    compiled_then = define_shelf()
    dataclass_methods.stop_recording()
    assert recorded and any("def __init__(self" in text for text in recorded)  # one text or one per method

    loader = StoredFile(dataclass_methods.dumps(recorded))
    installed = dataclass_methods.install("/zip/shopkeeper/__init__.pyc", loader)
    assert loader.asked == ["/zip/shopkeeper/dataclass_methods.marshal"]
    assert installed is not None and installed.keys() == recorded.keys()
    stored = define_shelf()
    dataclass_methods.stop_recording()
    plain = define_shelf()
    stored_code = [method for module in installed.values() for create_fn in module.co_consts
                   if hasattr(create_fn, "co_consts") for method in create_fn.co_consts]
    assert any(code is stored.__init__.__code__ for code in stored_code), "the stored code object ran"
    assert not any(code is plain.__init__.__code__ for code in stored_code)

    for cls in (compiled_then, stored):
        shelf = cls("home", (1, 2))
        assert shelf == cls("home", (1, 2)) and shelf != cls("home")
        assert repr(shelf) == repr(plain("home", (1, 2))) == "Shelf(name='home', items=(1, 2), scores={})"
        assert cls("x").scores is not cls("x").scores
        with pytest.raises(dataclasses.FrozenInstanceError):
            shelf.name = "other"
        assert cls.__init__.__qualname__ == "Shelf.__init__"


def test_an_unknown_text_is_compiled_as_before():
    dataclass_methods.install("/zip/shopkeeper/__init__.pyc", StoredFile(dataclass_methods.dumps({})))
    cls = define_shelf()
    assert cls("a") == cls("a") and repr(cls("a")) == "Shelf(name='a', items=(), scores={})"


@pytest.mark.parametrize("data", [None, b"", b"not marshal", dataclass_methods.dumps(["a list"])])
def test_nothing_stored_or_unreadable_leaves_dataclasses_alone(data):
    assert dataclass_methods.install("/src/shopkeeper/__init__.py", StoredFile(data)) is None
    assert "exec" not in vars(dataclasses)
