"""The model as one decision reads it: each product id looked up once, each product,
brief, neighbour list and popular list decoded once.

A page decision asks about the same few products again and again (the product on
screen seeds three shelves, a recent view is a seed, a candidate and a card), and a
published model decodes each answer from packed bytes. `decision_view` wraps the model
for the length of one `decide_page` and is then dropped: nothing about the shopper
outlives the decision, and the figures of benchmarks/decide.py are the cost of a
decision, not of a warm cache. Answers are the model's own, shared: callers must not
change the lists they get.
"""

from __future__ import annotations

from shopkeeper.model import Model, ProductBrief, TimingModel

__all__ = ["DecisionView", "decision_view"]


class _Remembered(dict):
    """answer(key), computed once: a hit is a plain dict lookup in C, no Python frame
    (shelves look up hundreds of briefs per decision, and Pyodide pays for every frame)."""

    def __init__(self, answer):
        super().__init__()
        self.answer = answer

    def __missing__(self, key):
        value = self[key] = self.answer(key)
        return value


class DecisionView:
    """Model's interface (model.view.Model), each answer remembered."""

    def __init__(self, model: Model):
        self.model = model
        self.version: str = model.version
        self.config: dict = model.config
        self.timing: TimingModel = model.timing
        self._ids = _Remembered(model.index_of)
        self._products = _Remembered(self._product)
        self.index_of = self._ids.__getitem__
        self.product = self._products.__getitem__
        # A model written before brief() existed still works: its briefs come from whole products.
        self.brief = _Remembered(getattr(model, "brief", None) or (lambda index: ProductBrief.of(self.product(index), index))).__getitem__
        if hasattr(model, "facets"):
            self.facets = _Remembered(model.facets).__getitem__
        self._neighbours = _Remembered(lambda key: model.neighbours(*key))
        self._popular = _Remembered(lambda key: model.popular(*key))

    def __len__(self) -> int:
        return len(self.model)

    def __getattr__(self, name: str):
        return getattr(self.model, name)   # anything else the model offers, unremembered

    def _product(self, index: int):
        found = self.model.product(index)
        self._ids.setdefault(found.id, index)   # its id is then found without a search
        return found

    def neighbours(self, kind: str, index: int) -> list[tuple[int, float]]:
        return self._neighbours[kind, index]

    def popular(self, limit: int, category: str = "", trending: bool = False) -> list[int]:
        return self._popular[limit, category, trending]


def decision_view(model: Model) -> DecisionView:
    return model if isinstance(model, DecisionView) else DecisionView(model)
