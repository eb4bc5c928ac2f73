"""Whether publishing cuts the model into shards, and the lists only publishing can compute for them.

A small store's whole model is about the size of one shard request's worth of cards, so
it ships as one file; from SHARD_FROM_PRODUCTS products on, the first page would fetch
far more of a one-file model than of a sharded one (benchmarks/boot.py measures both).
"""

from __future__ import annotations

from shopkeeper.engine.recs.similar import similar_products
from shopkeeper.model import ModelData, decode_model
from shopkeeper.model.shards import ShardedFiles, encode_sharded

SHARD_FROM_PRODUCTS = 1000
CHOICES = ("auto", "always", "never")


def wants_shards(products: int, choice: str = "auto") -> bool:
    return choice == "always" or (choice == "auto" and products >= SHARD_FROM_PRODUCTS)


def sharded_files(data: ModelData, one_file: bytes) -> ShardedFiles:
    """The sharded model of `data`, whose one-file model is `one_file`: each product's
    similar list is derived over the one-file model by the engine's own similar_products,
    exactly as the worker would derive it from that file."""
    model = decode_model(one_file, verify=False)
    similar = [similar_products(model, index) for index in range(len(model))]
    return encode_sharded(data, similar)
