"""The model as the engine reads it: each product id looked up once, each product, brief,
neighbour list and popular list decoded once, then remembered.

A page decision asks about the same few products again and again (the product on
screen seeds three shelves, a recent view is a seed, a candidate and a card), and so do
the next page views of the same shopper; a published model decodes each answer from
packed bytes. The worker keeps one `RememberingModel` per loaded model for its whole
life (a SharedWorker serves every page of the visit); a caller without one gets a fresh
view per decision. The model is immutable, so a remembered answer is the answer: no
decision depends on what was asked before. Each table is bounded and starts again when
full, and `forget` drops everything (the shopper erased their data, and which products
were looked up says something about them). Answers are the model's own, shared: callers
must not change the lists they get.
"""

from __future__ import annotations

from shopkeeper.engine.remembered import register_view
from shopkeeper.model import Model, ProductBrief, TimingModel

__all__ = ["RememberingModel", "remembering"]

TABLE_LIMIT = 20_000   # answers per table: a few MB at most, far more than a visit asks for


class _Remembered(dict):
    """answer(key), computed once: a hit is a plain dict lookup in C, no Python frame
    (shelves look up hundreds of briefs per decision, and Pyodide pays for every frame)."""

    def __init__(self, answer):
        super().__init__()
        self.answer = answer

    def __missing__(self, key):
        if len(self) >= TABLE_LIMIT:
            self.clear()
        value = self[key] = self.answer(key)
        return value


class RememberingModel:
    """Model's interface (model.view.Model), each answer remembered."""

    def __init__(self, model: Model):
        self.model = model
        self.version: str = model.version
        self.config: dict = model.config
        self.timing: TimingModel = model.timing
        self.forget()
        register_view(self)

    def forget(self) -> None:
        model = self.model
        self._ids = _Remembered(model.index_of)
        self._products = _Remembered(self._product)
        self.index_of = self._ids.__getitem__
        self.product = self._products.__getitem__
        # A model written before brief() existed still works: its briefs come from whole products.
        briefs = _Remembered(getattr(model, "brief", None) or (lambda index: ProductBrief.of(self.product(index), index)))
        self.brief = briefs.__getitem__
        facets = _Remembered(getattr(model, "facets", None))
        if facets.answer is not None:
            self.facets = facets.__getitem__
        self._neighbours = _Remembered(lambda key: model.neighbours(*key))
        self._popular = _Remembered(lambda key: model.popular(*key))
        self._tables = _Remembered(lambda key: {})
        self._all = (self._ids, self._products, briefs, facets, self._neighbours, self._popular, self._tables)

    def reindex(self, change) -> None:
        """A sharded model indexed its products again (shopkeeper.model.sharded.Reindexing):
        keep what is still true under the new indexes, drop the rest. A product whose own
        shard came has new lists, a category whose shard came a new popular list; the
        engine's tables are dropped whole (what they key on is theirs)."""
        moved = change.moved
        if moved is None:
            self.forget()
            return
        ids, products, briefs, facets, neighbours, popular, tables = self._all
        ids.update({product_id: moved[index] for product_id, index in ids.items() if index is not None})
        for product_id in [product_id for product_id, index in ids.items() if index is None]:
            del ids[product_id]   # unknown before: perhaps known now
        for table in (products, facets):
            kept = {moved[index]: value for index, value in table.items()}
            table.clear()
            table.update(kept)
        kept_briefs = {}
        for index, brief in briefs.items():
            brief.index = moved[index]
            kept_briefs[brief.index] = brief
        briefs.clear()
        briefs.update(kept_briefs)
        owners = change.owners
        kept_lists = {(kind, moved[index]): [(moved[other], weight) for other, weight in pairs]
                      for (kind, index), pairs in neighbours.items() if moved[index] not in owners}
        neighbours.clear()
        neighbours.update(kept_lists)
        kept_popular = {key: [moved[index] for index in ranked] for key, ranked in popular.items() if key[1] not in change.categories}
        popular.clear()
        popular.update(kept_popular)
        tables.clear()

    def remembered_count(self) -> int:
        """Answers held now, over every table."""
        return sum(map(len, self._all))

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

    def table(self, key) -> dict:
        """A dict kept with the answers for the engine's own facts about products (what a
        shelf's rules say of each, keyed by the rules): forgotten with them."""
        table = self._tables[key]
        if len(table) >= TABLE_LIMIT:
            table.clear()
        return table


def remembering(model: Model) -> RememberingModel:
    return model if isinstance(model, RememberingModel) else RememberingModel(model)
