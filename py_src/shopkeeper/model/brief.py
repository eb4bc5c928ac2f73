"""What ranking and profiling read about a product, without decoding its display texts.

A `ProductBrief` has Product's scoring attributes under the same names (id, title,
category, brand, price, sale_price, current_price, in_stock, replenishable) plus its
index and its category key, so engine code that filters, scores, groups or shows
candidates reads either. From a published model it costs two packed reads and two
lookups in small per-model tables; `id`, `title`, `url` and `image` are decoded only when
asked for (a shelf weighs hundreds of products and shows four). Attributes are not in
it: what needs them asks the model for the Product.
"""

from __future__ import annotations

from shopkeeper.model.data import Product, category_key

_UNREAD = object()


class ProductBrief:
    __slots__ = ("index", "category", "category_key", "brand", "price", "sale_price", "current_price",
                 "in_stock", "replenishable", "_id", "_title", "_url", "_image", "_texts")

    def __init__(self, index: int, category: tuple[str, ...], key: str, brand: str, price: float, sale_price: float | None,
                 in_stock: bool, replenishable: bool, texts=None, product_id=_UNREAD, title=_UNREAD, url=_UNREAD, image=_UNREAD):
        """`texts`: the model's string tables ('ids', 'titles', 'urls', 'images') the texts are read from on demand."""
        self.index, self.category, self.category_key, self.brand = index, category, key, brand
        self.price, self.sale_price, self.in_stock, self.replenishable = price, sale_price, in_stock, replenishable
        self.current_price = sale_price if sale_price is not None and sale_price < price else price
        self._id, self._title, self._url, self._image, self._texts = product_id, title, url, image, texts

    @classmethod
    def of(cls, product: Product, index: int = -1) -> ProductBrief:
        return cls(index, product.category, category_key(product.category), product.brand, product.price,
                   product.sale_price, product.in_stock, product.replenishable, product_id=product.id, title=product.title,
                   url=product.url, image=product.image)

    @property
    def id(self) -> str:
        if self._id is _UNREAD:
            self._id = self._texts["ids"][self.index]
        return self._id

    @property
    def title(self) -> str:
        if self._title is _UNREAD:
            self._title = self._texts["titles"][self.index]
        return self._title

    @property
    def url(self) -> str:
        if self._url is _UNREAD:
            self._url = self._texts["urls"][self.index]
        return self._url

    @property
    def image(self) -> str:
        if self._image is _UNREAD:
            self._image = self._texts["images"][self.index]
        return self._image

    def __repr__(self) -> str:
        return f"ProductBrief(index={self.index}, category_key={self.category_key!r}, brand={self.brand!r}, price={self.price})"
