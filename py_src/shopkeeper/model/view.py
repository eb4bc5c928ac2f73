"""The interface the engine reads a model through; implementations decode lazily if they like."""

from __future__ import annotations

from typing import Protocol

from shopkeeper.model.brief import ProductBrief
from shopkeeper.model.data import Product, TimingModel
from shopkeeper.model.facets import Facets


class Model(Protocol):
    version: str
    config: dict
    timing: TimingModel

    def __len__(self) -> int: ...

    def index_of(self, product_id: str) -> int | None: ...

    def product(self, index: int) -> Product: ...

    def facets(self, index: int) -> Facets:
        """Category id, brand id, price band and flags: what scoring compares, without
        decoding display data. Ids are equal exactly when the paths or brands are."""
        ...

    def brief(self, index: int) -> ProductBrief:
        """Product's scoring fields (category, brand, prices, flags) without its display
        texts: what filtering, scoring and grouping candidates read."""
        ...

    def neighbours(self, kind: str, index: int) -> list[tuple[int, float]]:
        """Best first; an empty list for an unknown kind or a product without any."""
        ...

    def popular(self, limit: int, category: str = "", trending: bool = False) -> list[int]:
        """Most popular (or trending) product indexes, optionally within a category prefix
        such as 'Shoes' or 'Shoes > Trail'."""
        ...
