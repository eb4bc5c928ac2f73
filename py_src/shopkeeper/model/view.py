"""The interface the engine reads a model through; implementations decode lazily if they like."""

from __future__ import annotations

from typing import Protocol

from shopkeeper.model.data import Product, TimingModel


class Model(Protocol):
    version: str
    config: dict
    timing: TimingModel

    def __len__(self) -> int: ...

    def index_of(self, product_id: str) -> int | None: ...

    def product(self, index: int) -> Product: ...

    def neighbours(self, kind: str, index: int) -> list[tuple[int, float]]:
        """Best first; an empty list for an unknown kind or a product without any."""
        ...

    def popular(self, limit: int, category: str = "", trending: bool = False) -> list[int]:
        """Most popular (or trending) product indexes, optionally within a category prefix
        such as 'Shoes' or 'Shoes > Trail'."""
        ...
