"""shopkeeper: privacy-first personalization that runs in the shopper's browser."""

__all__ = ["__version__"]

__version__ = "0.1.0"
