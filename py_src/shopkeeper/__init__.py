"""shopkeeper: privacy-first personalization that runs in the shopper's browser."""

from shopkeeper.dataclass_methods import install as _install_dataclass_methods

__all__ = ["__version__"]

__version__ = "0.1.0"

# In the browser runtime's core zip, before any of our dataclasses is created.
_install_dataclass_methods(__file__, __loader__)
