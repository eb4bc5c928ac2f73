"""The model: what publishing writes and the engine reads, in one place.

`Model` (model.view) is the interface the engine programs against; `InMemoryModel`
implements it over plain `ModelData` (tests, JSON cases, publishing previews) and the
binary reader implements it over a published file, decoding only what is asked for.
"""

from shopkeeper.model.data import NEIGHBOUR_KINDS, ModelData, Product, TimingModel, category_key
from shopkeeper.model.memory import InMemoryModel
from shopkeeper.model.view import Model

__all__ = [
    "NEIGHBOUR_KINDS",
    "InMemoryModel",
    "Model",
    "ModelData",
    "Product",
    "TimingModel",
    "category_key",
]
