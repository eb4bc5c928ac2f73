"""The simple-template renderer against Jinja2's sandbox on generated templates and values:
wherever it answers, it answers Jinja2's text; where Jinja2 fails, it fails or declines.
"Refused" counts the templates it left to Jinja2 (NOT_SIMPLE)."""

from __future__ import annotations

from conftest import tried
from hypothesis import given
from hypothesis import strategies as st

from shopkeeper.engine.content.simple_templates import NOT_SIMPLE, RenderFailed, render_simple
from shopkeeper.engine.content.templates import sandbox_environment

NAMES = ["shop", "last_viewed", "visit", "profile", "missing", "none", "range", "items", "title", "name", "get", "x", "_hidden"]
TEXT = st.text(alphabet="ab <>&'\"\n\r\t{}%#-é", max_size=12)
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False, allow_infinity=False, width=32),
                   st.text(alphabet="a<&>'\" é", max_size=6), st.lists(st.integers(0, 3), max_size=2))
VALUES = st.recursive(LEAVES, lambda children: st.dictionaries(st.sampled_from(NAMES), children, max_size=4), max_leaves=8)
PATHS = st.lists(st.sampled_from(NAMES), min_size=1, max_size=3).map(".".join)


def chunks(depth: int):
    text = TEXT
    printed = st.builds(lambda path, pad: "{{" + pad + path + pad + "}}", PATHS, st.sampled_from(["", " ", "  ", "\n", "-"]))
    comment = st.builds(lambda body: "{#" + body + "#}", TEXT.filter(lambda body: "#}" not in body))
    stray = st.sampled_from(["{{", "}}", "{%", "%}", "{% else %}", "{% endif %}", "{{ x | upper }}", "{% if a and b %}"])
    if depth == 0:
        return st.one_of(text, printed, comment, stray)
    inner = st.lists(chunks(depth - 1), max_size=3).map("".join)

    def if_block(path, body, elifs, otherwise):
        branches = "".join("{% elif " + condition + " %}" + branch for condition, branch in elifs)
        rest = "" if otherwise is None else "{% else %}" + otherwise
        return "{% if " + path + " %}" + body + branches + rest + "{% endif %}"

    block = st.builds(if_block, PATHS, inner, st.lists(st.tuples(PATHS, inner), max_size=2), st.none() | inner)
    return st.one_of(text, printed, comment, block, stray)


@given(template=st.lists(chunks(2), max_size=5).map("".join), values=st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=5))
def test_the_simple_renderer_answers_what_jinja2_answers(template, values):
    try:
        simple = render_simple(template, values)
    except RenderFailed:
        simple = RenderFailed
    tried("simple_templates.render_simple", refused=simple is NOT_SIMPLE)
    if simple is NOT_SIMPLE:
        return
    try:
        expected = sandbox_environment().from_string(template).render(**values)
    except Exception:  # noqa: BLE001 - Jinja2 refused it: the subset must not have answered text
        assert simple is RenderFailed, (template, values, simple)
        return
    assert simple == expected, (template, values)
