"""Compiled rules: checked once when a config is loaded, then evaluated per page, never raising.

`compile_rule` parses a rule (rule_syntax), checks every name and, when the vocabulary
knows them, the kinds of values being compared, then turns the tree into nested
closures. Evaluation never raises: a comparison between values of different kinds
(a number with text, a missing name with anything) is false, whatever the operator,
`!=` and `not in` included; arithmetic that cannot be done (division by zero, text
plus number) gives no value, which is false.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, field

from shopkeeper.engine.rules.checks import Vocabulary, check
from shopkeeper.engine.rules.syntax import Node, parse
from shopkeeper.engine.rules.tokens import RuleError
from shopkeeper.engine.rules.values import NUMBER, STRING, arith, compare, kind_of, member, truthy

__all__ = ["Rule", "RuleError", "Vocabulary", "compile_rule", "kind_of", "truthy"]

Evaluator = Callable[[dict], object]
ORDERINGS = {"==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}


@dataclass(frozen=True)
class Rule:
    text: str
    names: frozenset[str]   # the names it reads, so a caller computes only those
    run: Evaluator = field(compare=False, repr=False)

    def evaluate(self, values: dict) -> object:
        """The rule's value: True/False for conditions, a number for arithmetic, None for no value."""
        return self.run(values if isinstance(values, dict) else {})

    def matches(self, values: dict) -> bool:
        return truthy(self.evaluate(values))


def compile_rule(text: str, names: frozenset[str] | Vocabulary | None = None) -> Rule:
    """A rule ready to evaluate, or RuleError saying what is wrong and at which character.

    `names`: the names a rule may use (a name ending in '*' admits a family, such as
    'quiz_*'), or a Vocabulary that also knows their kinds and values; None admits any.
    """
    if not isinstance(text, str):
        raise RuleError(f"a rule is text, found {type(text).__name__}", 0)
    vocabulary = Vocabulary.of(names) if names is not None else None
    tree = parse(text)
    used: set[str] = set()
    check(tree, text, vocabulary, used)
    defaults = vocabulary.defaults_for(used) if vocabulary else {}
    return Rule(text, frozenset(used), _build(tree, defaults))


def _build(node: Node, defaults: dict) -> Evaluator:
    op = node.op
    if op == "literal" or op == "list":
        constant = node.value
        return lambda values: constant
    if op == "name":
        name, default = node.value, defaults.get(node.value)
        return lambda values: values.get(name, default)
    if op == "not":
        inner = _test(node.children[0], defaults)
        return lambda values: not inner(values)
    if op == "and" or op == "or":
        return _logic(op, [_test(child, defaults) for child in node.children])
    if op == "neg":
        negated = _build(node.children[0], defaults)
        return lambda values: arith("-", 0, negated(values))
    left, right = (_build(child, defaults) for child in node.children)
    if op == "arith":
        operator = node.value
        return lambda values: arith(operator, left(values), right(values))
    if node.value in ("in", "not in"):
        wanted = node.value == "in"
        if node.children[1].op == "list" and all(isinstance(item, str) for item in node.children[1].value):
            strings = frozenset(node.children[1].value)
            return lambda values: _in_strings(left(values), strings) is wanted
        return lambda values: member(left(values), right(values)) is wanted
    literal = node.children[1]
    if literal.op == "literal" and kind_of(literal.value) in (NUMBER, STRING):
        return _compare_constant(node.value, left, literal.value)
    operator = node.value
    return lambda values: compare(operator, left(values), right(values))


def _test(node: Node, defaults: dict) -> Callable[[dict], bool]:
    """An evaluator giving True/False: the node's own when it yields one, else its truthiness."""
    evaluate = _build(node, defaults)
    if node.op in ("not", "and", "or", "compare"):
        return evaluate
    return lambda values: truthy(evaluate(values))


def _logic(op: str, tests: list) -> Evaluator:
    if len(tests) == 2:
        first, second = tests
        if op == "and":
            return lambda values: first(values) and second(values)
        return lambda values: first(values) or second(values)
    if op == "and":
        return lambda values: all(test(values) for test in tests)
    return lambda values: any(test(values) for test in tests)


def _compare_constant(operator: str, left: Evaluator, constant: object) -> Evaluator:
    """`name OP 'text'` or `name OP 3`, the common shapes, without the general kind dispatch:
    the same answers as rule_values.compare, checked by the kind of the one side not known."""
    test = ORDERINGS[operator]
    if isinstance(constant, str):
        def text_test(values: dict) -> bool:
            value = left(values)
            return isinstance(value, str) and test(value, constant)
        return text_test

    def number_test(values: dict) -> bool:
        value = left(values)
        return isinstance(value, (int, float)) and value is not True and value is not False and test(value, constant)
    return number_test


def _in_strings(item: object, strings: frozenset[str]) -> bool | None:
    """Membership in a literal list of text, without a scan: the common `x in ['a', 'b']`."""
    if isinstance(item, str):
        return item in strings
    return None if kind_of(item) is None else False
