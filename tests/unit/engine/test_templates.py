"""A template renders through Jinja2's sandbox, or without Jinja2 when it is in the simple
subset (tests/fuzz/test_fuzz_simple_templates.py compares the two on random ones)."""

import pytest
from without_jinja2 import jinja2_hidden

from shopkeeper.engine.content.simple_templates import NOT_SIMPLE, RenderFailed, render_simple
from shopkeeper.engine.content.templates import TemplatesUnavailable, render_template, sandbox_environment

VALUES = {"shop": {"name": "Peak & Co."}, "last_viewed": {"title": "Trail <Shoe>", "price": 89.0, "sale_price": None,
          "items": "shadowed"}, "visit": {"device": "mobile", "new": True}, "profile": {"lifecycle": "returning", "orders": 0},
          "cart": [], "query": "'tents\""}

PLAIN = [
    "", "\n", "\n\n", "<p>Hello</p>\n", "a\r\nb\r\n", "a\rb\r", "x\n\n", "  \n  ", "}} %} #} { { % #",
    "<p>{ } 50 % off #1</p>", "Grüße — 10 %\r\n", "<a href=\"/sale?x={1}\">Sale</a>",
]


SIMPLE = [
    "{% if last_viewed %}<p>Welcome back! Still thinking about <b>{{ last_viewed.title }}</b>?</p>{% endif %}",
    "{{ shop.name }} {{ query }} {{ last_viewed.price }} {{ last_viewed.sale_price }} {{ visit.new }} {{ cart }}",
    "{% if profile.orders %}again{% elif visit.new %}new{% else %}back{% endif %}\n",
    "{% if missing %}x{% else %}{{ missing }}-{{ shop.missing }}-{{ last_viewed.sale_price.x }}{% endif %}",
    "{# a note #}{% if shop %}{% if shop.name %}{{shop.name}}{% endif %}{% endif %}",
    "{% if profile.lifecycle %}\r\n  {{ profile.lifecycle }}\r\n{% endif %}\r\n",
]


@pytest.mark.parametrize("source", PLAIN + SIMPLE)
def test_a_simple_template_renders_as_jinja2_renders_it(source):
    assert render_simple(source, VALUES) == sandbox_environment().from_string(source).render(**VALUES)


@pytest.mark.parametrize("source", [
    "{{ x | upper }}", "{{- x -}}", "a {%- raw %}{%- endraw %}", "{% for x in cart %}{% endfor %}", "{{ range }}",
    "{{ none }}", "{{ last_viewed.items }}", "{{ query.upper }}", "{{ x._secret }}", "{{ 'lit' }}", "{% if a and b %}{% endif %}",
    "{% if a %}", "{% endif %}", "{% else %}", "{{ x", "{# open", "{% if a %}{% else %}{% else %}{% endif %}",
])
def test_what_the_subset_does_not_read_is_left_to_jinja2(source):
    assert render_simple(source, VALUES) is NOT_SIMPLE


def test_a_key_of_an_undefined_value_fails_the_render_as_in_jinja2():
    with pytest.raises(RenderFailed):
        render_simple("{{ missing.title }}", VALUES)
    assert render_template("{{ missing.title }}", VALUES) is None


def test_without_jinja2_simple_templates_render_and_the_others_ask_for_it():
    with jinja2_hidden():
        assert render_template("<p>Welcome, {{ name }}</p>\n", {"name": "<Ada>"}) == "<p>Welcome, &lt;Ada&gt;</p>"
        with pytest.raises(TemplatesUnavailable):
            render_template("<p>{{ name | upper }}</p>", {"name": "Ada"})
    assert render_template("<p>{{ name | upper }}</p>", {"name": "<Ada>"}) == "<p>&lt;ADA&gt;</p>"


def test_a_template_that_fails_on_its_data_still_keeps_the_default():
    assert render_template("{{ shop.name.upper() }}", {"shop": None}) is None
