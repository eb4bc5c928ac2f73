"""A template renders through Jinja2's sandbox, or without Jinja2 when it has none of its syntax."""

import pytest
from without_jinja2 import jinja2_hidden

from shopkeeper.engine.content.templates import TemplatesUnavailable, plain_text, render_template, sandbox_environment

PLAIN = [
    "", "\n", "\n\n", "<p>Hello</p>\n", "a\r\nb\r\n", "a\rb\r", "x\n\n", "  \n  ", "}} %} #} { { % #",
    "<p>{ } 50 % off #1</p>", "Grüße — 10 %\r\n", "<a href=\"/sale?x={1}\">Sale</a>",
]


@pytest.mark.parametrize("source", PLAIN)
def test_a_template_without_jinja2_syntax_renders_as_jinja2_renders_it(source):
    assert plain_text(source) == sandbox_environment().from_string(source).render()


@pytest.mark.parametrize("source", ["{{ x }}", "<p>{% if x %}y{% endif %}</p>", "{# note #}", "{{- x -}}", "a {%- raw %}{%- endraw %}"])
def test_jinja2_syntax_is_left_to_jinja2(source):
    assert plain_text(source) is None


def test_without_jinja2_plain_templates_render_and_the_others_ask_for_it():
    with jinja2_hidden():
        assert render_template("<p>Welcome</p>\n", {}) == "<p>Welcome</p>"
        with pytest.raises(TemplatesUnavailable):
            render_template("<p>{{ name }}</p>", {"name": "Ada"})
    assert render_template("<p>{{ name }}</p>", {"name": "<Ada>"}) == "<p>&lt;Ada&gt;</p>"


def test_a_template_that_fails_on_its_data_still_keeps_the_default():
    assert render_template("{{ shop.name.upper() }}", {"shop": None}) is None
