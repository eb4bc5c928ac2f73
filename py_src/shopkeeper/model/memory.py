"""A model held as plain Python data: for tests, JSON cases and publishing previews."""

from __future__ import annotations

from shopkeeper.model.brief import ProductBrief
from shopkeeper.model.data import ModelData, Product, TimingModel, category_key, model_version
from shopkeeper.model.facets import Facets, product_facets


class InMemoryModel:
    def __init__(self, data: ModelData, version: str = ""):
        self.data = data
        self.config = data.config
        self.timing = data.timing
        self.version = version or model_version(data)
        self._index = {product.id: i for i, product in enumerate(data.products)}
        self._facets: list[Facets] | None = None

    @classmethod
    def from_json(cls, raw: dict) -> InMemoryModel:
        """A model from the JSON shape the engine cases use (products by id, neighbours by id)."""
        products = [
            Product(**{**item, "category": tuple(item.get("category", ())), "attributes": tuple(map(tuple, item.get("attributes", ())))})
            for item in raw.get("products", [])
        ]
        index = {product.id: i for i, product in enumerate(products)}
        neighbours = {
            kind: [[(index[other], float(weight)) for other, weight in lists.get(product.id, [])] for product in products]
            for kind, lists in raw.get("neighbours", {}).items()
        }
        by_id = raw.get("popularity", {})
        trending = raw.get("trending", {})
        timing = TimingModel(**{key: tuple(value) for key, value in raw.get("timing", {}).items()})
        data = ModelData(
            products=products,
            neighbours=neighbours,
            popularity=[float(by_id.get(product.id, 0.0)) for product in products],
            trending=[float(trending.get(product.id, 0.0)) for product in products],
            config=raw.get("config", {}),
            timing=timing,
        )
        return cls(data, version=raw.get("version", ""))

    def __len__(self) -> int:
        return len(self.data.products)

    def index_of(self, product_id: str) -> int | None:
        return self._index.get(product_id)

    def product(self, index: int) -> Product:
        return self.data.products[index]

    def facets(self, index: int) -> Facets:
        """The scoring fields a model file stores for the product, with the same ids."""
        if self._facets is None:
            self._facets = product_facets(self.data.products)[2]
        return self._facets[index]

    def brief(self, index: int) -> ProductBrief:
        return ProductBrief.of(self.data.products[index], index)

    def neighbours(self, kind: str, index: int) -> list[tuple[int, float]]:
        lists = self.data.neighbours.get(kind)
        return list(lists[index]) if lists and index < len(lists) else []

    def popular(self, limit: int, category: str = "", trending: bool = False) -> list[int]:
        scores = self.data.trending if trending else self.data.popularity
        candidates = [
            i for i, product in enumerate(self.data.products)
            if not category or _within(category_key(product.category), category)
        ]
        candidates.sort(key=lambda i: (-(scores[i] if i < len(scores) else 0.0), i))
        return candidates[:limit]


def _within(key: str, prefix: str) -> bool:
    return key == prefix or key.startswith(prefix + " > ")
