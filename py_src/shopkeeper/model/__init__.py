"""The model: what publishing writes and the engine reads, in one place.

`Model` (model.view) is the interface the engine programs against; `InMemoryModel`
implements it over plain `ModelData` (tests, JSON cases, publishing previews) and
`BinaryModel` over a published file (`encode_model` writes one, `decode_model` opens it),
decoding only what is asked for.
"""

from shopkeeper.model.binary import BinaryModel, decode_model
from shopkeeper.model.brief import ProductBrief
from shopkeeper.model.data import NEIGHBOUR_KINDS, ModelData, Product, TimingModel, category_key
from shopkeeper.model.encode import encode_model
from shopkeeper.model.facets import Facets, price_band
from shopkeeper.model.format import FORMAT_VERSION, MAGIC, ModelFormatError, section_sizes
from shopkeeper.model.memory import InMemoryModel
from shopkeeper.model.quantize import quantize_weights
from shopkeeper.model.view import Model

__all__ = [
    "FORMAT_VERSION",
    "MAGIC",
    "NEIGHBOUR_KINDS",
    "BinaryModel",
    "Facets",
    "InMemoryModel",
    "Model",
    "ModelData",
    "ModelFormatError",
    "Product",
    "ProductBrief",
    "TimingModel",
    "category_key",
    "decode_model",
    "encode_model",
    "price_band",
    "quantize_weights",
    "section_sizes",
]
