"""Publish-time checks of a parsed rule: names exist, kinds fit, closed values are spelled right.

Each check turns a rule that would silently never match in a shop (`orders == '3'`,
`lifecycle == 'vipp'`, `order >= 1`) into an error naming the character, at publish
time, so evaluation itself needs no guards beyond "different kinds are never equal".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shopkeeper.engine.rules.syntax import Node
from shopkeeper.engine.rules.tokens import RuleError
from shopkeeper.engine.rules.values import BOOL, LIST, NUMBER, STRING, kind_of
from shopkeeper.engine.suggest import closest, did_you_mean

ANY = "any"
SHOWN = {NUMBER: "a number", STRING: "text", BOOL: "true/false", LIST: "a list"}
ORDERED = ("<", "<=", ">", ">=")


@dataclass(frozen=True)
class Vocabulary:
    """Names a rule may use with the kind of each (number, string, bool, list or any),
    the closed set of values some of them take, and the value a name has when the page
    does not supply it. A key ending in '*' is a family: 'quiz_*' admits quiz_color."""

    kinds: dict[str, str]
    choices: dict[str, frozenset[str]] = field(default_factory=dict)
    defaults: dict[str, object] = field(default_factory=dict)

    @classmethod
    def of(cls, names: frozenset[str] | Vocabulary) -> Vocabulary:
        return names if isinstance(names, Vocabulary) else cls({name: ANY for name in names})

    def key(self, name: str) -> str:
        """The entry that admits `name` (itself or its family), '' when none does."""
        if name in self.kinds:
            return name
        for key in self.kinds:
            if key.endswith("*") and name.startswith(key[:-1]) and len(name) >= len(key):
                return key
        return ""

    def defaults_for(self, names) -> dict[str, object]:
        found = {name: self.defaults.get(name, self.defaults.get(self.key(name))) for name in names}
        return {name: value for name, value in found.items() if value is not None}


def check(node: Node, text: str, vocabulary: Vocabulary | None, used: set[str]) -> str:
    """The kind `node` yields (ANY when unknown); collects the names it reads into `used`."""
    op = node.op
    if op == "literal":
        return kind_of(node.value) or ANY
    if op == "list":
        return LIST
    if op == "name":
        used.add(node.value)
        return _name_kind(node, vocabulary)
    kinds = [check(child, text, vocabulary, used) for child in node.children]
    if op in ("not", "and", "or"):
        return BOOL
    if op in ("neg", "arith"):
        for child, kind in zip(node.children, kinds):
            if kind not in (NUMBER, ANY):
                raise RuleError(f"{_show(child, text)} is {SHOWN[kind]}, and {node.value or '-'} works on numbers only", child.start)
        return NUMBER
    _check_comparison(node, text, kinds, vocabulary)
    return BOOL


def _name_kind(node: Node, vocabulary: Vocabulary | None) -> str:
    if vocabulary is None:
        return ANY
    key = vocabulary.key(node.value)
    if not key:
        known = [name for name in vocabulary.kinds if not name.endswith("*")]
        prefix = node.value.split("_", 1)[0] + "_"
        siblings = sorted(name for name in known if name.startswith(prefix)) if "_" in node.value else []
        hint = did_you_mean(node.value, known) or (
            f" (known {prefix} names: {', '.join(siblings)})" if siblings else
            "" if "_" in node.value else f" (put text in quotes: '{node.value}')")
        raise RuleError(f"unknown name {node.value!r}", node.start, hint)
    return vocabulary.kinds[key]


def _check_comparison(node: Node, text: str, kinds: list[str], vocabulary: Vocabulary | None) -> None:
    (left, right), (left_kind, right_kind), operator = node.children, kinds, node.value
    known = ANY not in (left_kind, right_kind)
    if operator in ("in", "not in"):
        if right_kind not in (LIST, STRING, ANY):
            raise RuleError(f"{_show(right, text)} is {SHOWN[right_kind]}, and {operator} needs a list or text", right.start)
        if right_kind == STRING and left_kind not in (STRING, ANY):
            raise RuleError(f"{_show(left, text)} is {SHOWN[left_kind]}, and {operator} text needs text", left.start)
        items = {kind_of(item) for item in right.value} if right.op == "list" else set()
        if len(items) == 1 and left_kind != ANY and left_kind not in items:
            raise RuleError(f"{_show(left, text)} is {SHOWN[left_kind]} but the list holds {SHOWN[items.pop()]}", left.start)
    elif known and left_kind != right_kind:
        raise RuleError(f"cannot compare {_show(left, text)} ({SHOWN[left_kind]}) with {_show(right, text)} ({SHOWN[right_kind]})",
                        node.start, _unquote_hint(left, right))
    elif operator in ORDERED and (left_kind in (BOOL, LIST) or right_kind in (BOOL, LIST)):
        kind = left_kind if left_kind in (BOOL, LIST) else right_kind
        raise RuleError(f"{operator} compares numbers or text, not {SHOWN[kind]}", node.start)
    if vocabulary is not None and vocabulary.choices:
        _check_choices(node, vocabulary)


def _check_choices(node: Node, vocabulary: Vocabulary) -> None:
    """`lifecycle == 'vipp'` or `'vipp' in segments`: a value the name can never hold."""
    left, right = node.children
    if node.value in ("in", "not in"):
        pairs = [(left, right)] if right.op == "list" else []
        if right.op == "name" and vocabulary.kinds.get(vocabulary.key(right.value)) == LIST:
            pairs.append((right, left))
    else:
        pairs = [(left, right), (right, left)]
    for name_node, other in pairs:
        if name_node.op != "name" or other.op not in ("literal", "list"):
            continue
        allowed = vocabulary.choices.get(vocabulary.key(name_node.value))
        values = other.value if other.op == "list" else (other.value,)
        for value in values if allowed is not None else ():
            if isinstance(value, str) and value not in allowed:
                guess = closest(value, allowed)
                hint = f" (did you mean '{guess}'?)" if guess else " (it is one of " + ", ".join(map(repr, sorted(allowed))) + ")"
                verb = "never holds" if vocabulary.kinds.get(vocabulary.key(name_node.value)) == LIST else "is never"
                raise RuleError(f"{name_node.value} {verb} {value!r}", other.start, hint)


def _unquote_hint(left: Node, right: Node) -> str:
    for node in (left, right):
        if node.op == "literal" and isinstance(node.value, str) and _looks_numeric(node.value):
            return f" (write {node.value} without quotes)"
    return ""


def _looks_numeric(value: str) -> bool:
    digits = value.strip().lstrip("-").replace(".", "", 1)
    return digits.isdigit() and digits.isascii()


def _show(node: Node, text: str) -> str:
    snippet = text[node.start:node.end]
    return snippet if len(snippet) <= 40 else snippet[:37] + "..."
