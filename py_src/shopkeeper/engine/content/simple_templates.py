"""The commonest merchant templates rendered without Jinja2, exactly as Jinja2 renders them.

A greeting such as `{% if last_viewed %}Still thinking about {{ last_viewed.title }}?{% endif %}`
needs none of Jinja2's 240 KB (the browser's templates zip). This module reads a strict
subset of Jinja2's syntax, and everything outside it is Jinja2's job:

    {{ name.key.key }}                    a value, autoescaped as MarkupSafe escapes it
    {% if name.key %} {% elif ... %} {% else %} {% endif %}
    {# a comment #}

Names and keys are identifiers without a leading underscore (what the sandbox lets
through), other than Jinja2's literals, keywords and globals. A key is looked up as
Jinja2's sandbox looks it up: on a dict, its item, unless dict has an attribute of that
name (`items`, `keys`...); on None, a str, a number or a list, nothing (undefined). Any
other case (an attribute that exists, a value of another type, a filter, a test, a loop,
whitespace control) answers NOT_SIMPLE, at parse or at render time, and the caller asks
Jinja2. Undefined prints as nothing and is false; a key of an undefined value fails the
render, as in Jinja2. tests/fuzz/test_fuzz_simple_templates.py compares both on random
templates and values.
"""

from __future__ import annotations

import re

from shopkeeper.engine.remembered import register

NOT_SIMPLE = object()
_OPENING = re.compile(r"\{[{%#]")   # Jinja2's lexer takes the first of these, then looks for its closing
_CLOSING = {"{": "}}", "%": "%}", "#": "#}"}
_PATH = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*)\s*")
_RESERVED = frozenset({"true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is", "if", "else",
                       "elif", "endif", "for", "recursive", "range", "dict", "lipsum", "cycler", "joiner", "namespace",
                       "loop", "self", "varargs", "kwargs", "caller"})
_PLAIN = (str, int, float, bool, list, tuple, type(None))
_ESCAPES = {"&": "&amp;", ">": "&gt;", "<": "&lt;", "'": "&#39;", '"': "&#34;"}
_ESCAPE = re.compile("[&><'\"]")


class _Undefined:
    """Jinja2's default Undefined, as far as the subset meets it: prints empty, is false."""

    __slots__ = ()


UNDEFINED = _Undefined()


class RenderFailed(Exception):
    """The render fails as Jinja2's does (a key of an undefined value): no output at all."""


_parsed: dict[str, object] = {}
MAX_PARSED = 256
register("content.simple_templates parsed", _parsed, of_shopper=False)   # merchant templates only


def render_simple(source: str, values: dict):
    """The rendered text, NOT_SIMPLE, or RenderFailed raised."""
    program = _parsed.get(source)
    if program is None:
        if len(_parsed) >= MAX_PARSED:
            _parsed.clear()
        program = _parsed[source] = parse(source)
    if program is NOT_SIMPLE:
        return NOT_SIMPLE
    out: list[str] = []
    if _run(program, values, out) is NOT_SIMPLE:
        return NOT_SIMPLE
    return "".join(out)


def parse(source: str):
    """A list of ('text', str) | ('print', path) | ['if', [[path, body], ...], else body or None],
    or NOT_SIMPLE. Newlines become '\\n' and one trailing newline goes, as in Jinja2."""
    lines = re.split(r"\r\n|\r|\n", source)
    if lines[-1] == "":
        lines.pop()
    source = "\n".join(lines)
    root: list = []
    open_ifs: list[list] = []
    body, position = root, 0
    while (opening := _OPENING.search(source, position)) is not None:
        start, kind = opening.start(), source[opening.start() + 1]
        end = source.find(_CLOSING[kind], start + 2)
        if end == -1:
            return NOT_SIMPLE
        if start > position:
            body.append(("text", source[position:start]))
        inner, position = source[start + 2:end], end + 2
        if inner[:1] in "-+" or inner[-1:] in "-+":
            return NOT_SIMPLE   # whitespace control
        if kind == "#":
            continue
        if kind == "{":
            path = _path(inner)
            if path is None:
                return NOT_SIMPLE
            body.append(("print", path))
            continue
        words = inner.split(None, 1)
        keyword = words[0] if words else ""
        if keyword in ("if", "elif"):
            path = _path(words[1]) if len(words) == 2 else None
            if path is None or (keyword == "elif" and (not open_ifs or open_ifs[-1][2] is not None)):
                return NOT_SIMPLE
            if keyword == "if":
                node = ["if", [], None]
                body.append(node)
                open_ifs.append(node)
            open_ifs[-1][1].append([path, []])
            body = open_ifs[-1][1][-1][1]
        elif keyword == "else" and len(words) == 1 and open_ifs and open_ifs[-1][2] is None:
            open_ifs[-1][2] = []
            body = open_ifs[-1][2]
        elif keyword == "endif" and len(words) == 1 and open_ifs:
            open_ifs.pop()
            body = root if not open_ifs else open_ifs[-1][2] if open_ifs[-1][2] is not None else open_ifs[-1][1][-1][1]
        else:
            return NOT_SIMPLE
    rest = source[position:]
    if open_ifs:
        return NOT_SIMPLE
    if rest:
        body.append(("text", rest))
    return root


def _path(expression: str) -> tuple[str, ...] | None:
    match = _PATH.fullmatch(expression)
    if match is None:
        return None
    path = tuple(match.group(1).split("."))
    return None if path[0] in _RESERVED else path


def _run(nodes, values: dict, out: list[str]):
    for node in nodes:
        kind = node[0]
        if kind == "text":
            out.append(node[1])
        elif kind == "print":
            value = _lookup(node[1], values)
            if value is NOT_SIMPLE:
                return NOT_SIMPLE
            if value is not UNDEFINED:
                out.append(_ESCAPE.sub(lambda found: _ESCAPES[found.group(0)], str(value)))
        else:
            chosen = node[2]
            for path, body in node[1]:
                value = _lookup(path, values)
                if value is NOT_SIMPLE:
                    return NOT_SIMPLE
                if value is not UNDEFINED and value:
                    chosen = body
                    break
            if chosen is not None and _run(chosen, values, out) is NOT_SIMPLE:
                return NOT_SIMPLE
    return None


def _lookup(path: tuple[str, ...], values: dict):
    value = values.get(path[0], UNDEFINED)
    if not _plain(value):
        return NOT_SIMPLE
    for key in path[1:]:
        if value is UNDEFINED:
            raise RenderFailed(f"{key!r} of an undefined value")
        if hasattr(value, key):
            return NOT_SIMPLE   # an attribute (dict.items, str.upper): the sandbox's rules, Jinja2's job
        value = value.get(key, UNDEFINED) if isinstance(value, dict) else UNDEFINED
        if not _plain(value):
            return NOT_SIMPLE
    return value


def _plain(value) -> bool:
    """Undefined, or a value of the types the subset knows (no Markup: it is not escaped)."""
    return value is UNDEFINED or (type(value) is dict or isinstance(value, _PLAIN)) and not hasattr(value, "__html__")
