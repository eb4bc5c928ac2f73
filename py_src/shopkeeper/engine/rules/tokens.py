"""Rule text to tokens, and the one error type rules raise.

Hand-written rather than `re` or `tokenize`: the language is tiny, and each mistake a
merchant is likely to make (=, &&, ||, unclosed quotes) gets its own message.
"""

from __future__ import annotations

from dataclasses import dataclass

DIGITS = frozenset("0123456789")
NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
NAME_CHARS = NAME_START | DIGITS
KEYWORDS = frozenset({"and", "or", "not", "in", "true", "false"})
COMPARISONS = frozenset({"==", "!=", "<", "<=", ">", ">="})
SYMBOLS = ("==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",")
MISTAKES = {"=": "write == to compare", "&&": "write and", "||": "write or", "!": "write not or !=",
            "&": "write and", "|": "write or", "%": "% is not supported", "**": "** is not supported"}


class RuleError(ValueError):
    """A rule that cannot be compiled: what is wrong, at which character (0-based)."""

    def __init__(self, message: str, position: int, hint: str = ""):
        self.message, self.position, self.hint = message, position, hint
        super().__init__(f"{message} at character {position + 1}{hint}")


@dataclass(frozen=True)
class Token:
    kind: str     # number, string, name, keyword, symbol, end
    value: object
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    tokens, i = [], 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in DIGITS or (char == "." and text[i + 1:i + 2] in DIGITS):
            j = i
            while j < len(text) and (text[j] in DIGITS or text[j] == "."):
                j += 1
            if text[i:j].count(".") > 1:
                raise RuleError(f"malformed number {text[i:j]!r}", i)
            tokens.append(Token("number", float(text[i:j]) if "." in text[i:j] else int(text[i:j]), i, j))
            i = j
        elif char in "'\"":
            i = _string(text, i, tokens)
        elif char in NAME_START:
            j = i
            while j < len(text) and text[j] in NAME_CHARS:
                j += 1
            word = text[i:j]
            kind = "keyword" if word.lower() in KEYWORDS else "name"
            tokens.append(Token(kind, word.lower() if kind == "keyword" else word, i, j))
            i = j
        else:
            i = _symbol(text, i, tokens)
    tokens.append(Token("end", None, len(text), len(text)))
    return tokens


def _string(text: str, i: int, tokens: list[Token]) -> int:
    quote, j, chars = text[i], i + 1, []
    while j < len(text) and text[j] != quote:
        if text[j] == "\\" and j + 1 < len(text):
            j += 1
        chars.append(text[j])
        j += 1
    if j >= len(text):
        raise RuleError("text opened with " + quote + " is never closed", i)
    tokens.append(Token("string", "".join(chars), i, j + 1))
    return j + 1


def _symbol(text: str, i: int, tokens: list[Token]) -> int:
    for mistake in ("**", "&&", "||"):
        if text.startswith(mistake, i):
            raise RuleError(f"unexpected {mistake!r}", i, f" ({MISTAKES[mistake]})")
    for symbol in SYMBOLS:
        if text.startswith(symbol, i):
            tokens.append(Token("symbol", symbol, i, i + len(symbol)))
            return i + len(symbol)
    hint = f" ({MISTAKES[text[i]]})" if text[i] in MISTAKES else ""
    raise RuleError(f"unexpected character {text[i]!r}", i, hint)
