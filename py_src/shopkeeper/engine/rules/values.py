"""What rule operators do with the values a page supplies; total functions, never raising.

Kinds are number, string (text), bool (true/false) and list. True is not 1 and '3' is
not 3: values of different kinds are never equal, never ordered and never members of
each other, and a name the page did not supply (None) has no kind at all. Such a
comparison is false whichever the operator, so `orders != '3'` is false too: the rule
is wrong, not the shopper, and publishing catches it when the name's kind is known.
"""

from __future__ import annotations

NUMBER, STRING, BOOL, LIST = "number", "string", "bool", "list"


def kind_of(value: object) -> str | None:
    if value is True or value is False:
        return BOOL
    if isinstance(value, (int, float)):
        return NUMBER
    if isinstance(value, str):
        return STRING
    if isinstance(value, (list, tuple)):
        return LIST
    return None


def truthy(value: object) -> bool:
    """true, a non-zero number, non-empty text or a non-empty list."""
    kind = kind_of(value)
    if kind == BOOL:
        return bool(value)
    if kind == NUMBER:
        return value != 0 and value == value
    return kind in (STRING, LIST) and len(value) > 0


def equal(a: object, b: object) -> bool | None:
    """None when the kinds differ (or either has none): neither equal nor unequal."""
    kind = kind_of(a)
    if kind is None or kind != kind_of(b):
        return None
    if kind == LIST:
        return len(a) == len(b) and all(equal(x, y) is True for x, y in zip(a, b))
    return a == b


def member(item: object, container: object) -> bool | None:
    """`item in container` for a list or, with text on both sides, a substring."""
    item_kind, container_kind = kind_of(item), kind_of(container)
    if item_kind is None:
        return None
    if container_kind == LIST:
        if item_kind == STRING:
            return item in container  # str never equals a non-str, so no kind test needed
        return any(equal(item, candidate) is True for candidate in container)
    if container_kind == STRING and item_kind == STRING:
        return item in container
    return None


def compare(operator: str, a: object, b: object) -> bool:
    if operator == "==":
        return equal(a, b) is True
    if operator == "!=":
        return equal(a, b) is False
    kind = kind_of(a)
    if kind not in (NUMBER, STRING) or kind != kind_of(b):
        return False
    if operator == "<":
        return a < b
    if operator == "<=":
        return a <= b
    if operator == ">":
        return a > b
    return a >= b


def arith(operator: str, a: object, b: object) -> float | int | None:
    """+ - * / on numbers; None (no value) for anything else, including division by zero."""
    if kind_of(a) != NUMBER or kind_of(b) != NUMBER:
        return None
    try:
        if operator == "+":
            return a + b
        if operator == "-":
            return a - b
        if operator == "*":
            return a * b
        return a / b if b != 0 else None
    except OverflowError:  # int / int or int * float beyond the float range
        return None
