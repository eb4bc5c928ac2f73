"""Rule text to a small syntax tree: a recursive-descent parser with bounded cost.

Our own parser rather than `ast`/`eval`, so a rule can only ever be the small language
in docs/site-config.md, and its cost is bounded before it runs: the text length, the
number of nodes and the nesting depth are capped, and errors name the character where
the problem is. Precedence, loosest first: or, and, not, comparisons, + -, * /, unary -.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopkeeper.engine.rules.tokens import COMPARISONS, RuleError, Token, tokenize

MAX_RULE_LENGTH = 1000
MAX_NODES = 200
MAX_DEPTH = 32


@dataclass(frozen=True)
class Node:
    """op: literal, list, name, not, neg, and, or, compare, arith; value: the literal,
    list items, name or operator; start/end: the span of rule text it came from."""

    op: str
    value: object
    children: tuple[Node, ...]
    start: int
    end: int


def parse(text: str) -> Node:
    """The syntax tree of a rule, or RuleError naming the first problem and where it is."""
    if len(text) > MAX_RULE_LENGTH:
        raise RuleError(f"rule is {len(text)} characters long, more than the {MAX_RULE_LENGTH} allowed", MAX_RULE_LENGTH)
    if not text.strip():
        raise RuleError("rule is empty", 0, " (write a condition such as orders >= 1)")
    return _Parser(tokenize(text)).parse()


def describe(token: Token) -> str:
    if token.kind == "end":
        return "the end of the rule"
    if token.kind in ("name", "string", "number"):
        return f"{'text' if token.kind == 'string' else token.kind} {token.value!r}"
    return repr(token.value)


class _Parser:
    def __init__(self, tokens: list[Token]):
        self.tokens, self.at, self.count, self.depth = tokens, 0, 0, 0

    def parse(self) -> Node:
        node = self.either()
        token = self.peek()
        if token.kind != "end":
            raise RuleError(f"expected and, or, an operator or the end of the rule, found {describe(token)}", token.start)
        return node

    def peek(self, ahead: int = 0) -> Token:
        return self.tokens[min(self.at + ahead, len(self.tokens) - 1)]

    def take(self) -> Token:
        token = self.peek()
        self.at += 1
        return token

    def sees(self, kind: str, *values: str) -> bool:
        token = self.peek()
        return token.kind == kind and token.value in values

    def node(self, op: str, value: object, children: tuple[Node, ...], start: int, end: int) -> Node:
        self.count += 1
        if self.count > MAX_NODES:
            raise RuleError(f"rule has more than {MAX_NODES} parts", start, " (split it into segments)")
        return Node(op, value, children, start, end)

    def nested(self, token: Token, parse_inner):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise RuleError(f"rule nests more than {MAX_DEPTH} levels deep", token.start)
        inner = parse_inner()
        self.depth -= 1
        return inner

    def either(self) -> Node:
        return self.chain("or", self.both)

    def both(self) -> Node:
        return self.chain("and", self.negation)

    def chain(self, keyword: str, parse_part) -> Node:
        parts = [parse_part()]
        while self.sees("keyword", keyword):
            self.take()
            parts.append(parse_part())
        if len(parts) == 1:
            return parts[0]
        return self.node(keyword, None, tuple(parts), parts[0].start, parts[-1].end)

    def negation(self) -> Node:
        if self.sees("keyword", "not"):
            token = self.take()
            inner = self.nested(token, self.negation)
            return self.node("not", None, (inner,), token.start, inner.end)
        return self.comparison()

    def comparison_operator(self) -> str:
        token = self.peek()
        if token.kind == "symbol" and token.value in COMPARISONS:
            return str(token.value)
        if self.sees("keyword", "in"):
            return "in"
        if self.sees("keyword", "not") and self.peek(1).kind == "keyword" and self.peek(1).value == "in":
            return "not in"
        return ""

    def comparison(self) -> Node:
        left = self.arithmetic(("+", "-"), self.product)
        operator = self.comparison_operator()
        if not operator:
            return left
        self.at += 2 if operator == "not in" else 1
        right = self.arithmetic(("+", "-"), self.product)
        if self.comparison_operator():
            raise RuleError("comparisons cannot be chained", self.peek().start, " (write a < b and b < c)")
        return self.node("compare", operator, (left, right), left.start, right.end)

    def product(self) -> Node:
        return self.arithmetic(("*", "/"), self.unary)

    def arithmetic(self, symbols: tuple[str, ...], parse_part) -> Node:
        left = parse_part()
        while self.sees("symbol", *symbols):
            operator = str(self.take().value)
            right = parse_part()
            left = self.node("arith", operator, (left, right), left.start, right.end)
        return left

    def unary(self) -> Node:
        if not self.sees("symbol", "-"):
            return self.primary()
        token = self.take()
        inner = self.nested(token, self.unary)
        if inner.op == "literal" and type(inner.value) in (int, float):
            return Node("literal", -inner.value, (), token.start, inner.end)
        return self.node("neg", None, (inner,), token.start, inner.end)

    def primary(self) -> Node:
        token = self.take()
        if token.kind in ("number", "string"):
            return self.node("literal", token.value, (), token.start, token.end)
        if token.kind == "keyword" and token.value in ("true", "false"):
            return self.node("literal", token.value == "true", (), token.start, token.end)
        if token.kind == "name":
            return self.node("name", token.value, (), token.start, token.end)
        if token.kind == "symbol" and token.value == "(":
            inner = self.nested(token, self.either)
            self.expect(")", token)
            return inner
        if token.kind == "symbol" and token.value == "[":
            return self.list_literal(token)
        raise RuleError(f"expected a value, found {describe(token)}", token.start)

    def expect(self, symbol: str, opened: Token) -> Token:
        token = self.take()
        if token.kind == "end":
            raise RuleError(f"{opened.value!r} is never closed", opened.start, f" (add {symbol!r})")
        if token.kind != "symbol" or token.value != symbol:
            raise RuleError(f"expected {symbol!r} to close the {opened.value!r} at character {opened.start + 1}, found {describe(token)}",
                            token.start)
        return token

    def list_literal(self, opened: Token) -> Node:
        items: list[object] = []
        while not self.sees("symbol", "]"):
            token = self.peek()
            if token.kind == "end":
                break
            item = self.unary() if token.kind in ("number", "string", "keyword") or self.sees("symbol", "-") else None
            if item is None or item.op != "literal":
                hint = f" (put text in quotes: '{token.value}')" if token.kind == "name" else ""
                raise RuleError(f"a list holds numbers, 'text' or true/false, found {describe(token)}", token.start, hint)
            items.append(item.value)
            if not self.sees("symbol", ","):
                break
            self.take()
        closing = self.expect("]", opened)
        return self.node("list", tuple(items), (), opened.start, closing.end)
