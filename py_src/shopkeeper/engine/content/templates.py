"""Merchant templates: one sandboxed, autoescaping Jinja2 environment, and the publish-time check.

Jinja2 is imported inside these functions, not at module level, so importing the
config does not load Jinja2, and a template in the subset simple_templates reads (plain
text, values, if / elif / else) renders without it, to the same text: the browser
runtime ships Jinja2 in an archive of its own, fetched the first time a page renders a
template that needs it (TemplatesUnavailable says when).
"""

from __future__ import annotations

from functools import cache

from shopkeeper.engine.content.simple_templates import NOT_SIMPLE, RenderFailed, render_simple
from shopkeeper.engine.remembered import register

MAX_TEMPLATE_LENGTH = 20_000


class TemplatesUnavailable(RuntimeError):
    """Jinja2 cannot be imported here: the browser worker loads its archive and decides again."""


@cache
def sandbox_environment():
    """The environment every template is compiled and rendered in: sandboxed (no access
    to unsafe attributes such as __class__) and autoescaping, so merchant and shopper
    text reaches the DOM escaped unless a template marks it safe."""
    try:
        from jinja2.sandbox import SandboxedEnvironment
    except ImportError as error:
        raise TemplatesUnavailable(f"Jinja2 is not importable ({error})") from None

    return SandboxedEnvironment(autoescape=True)


def template_problem(source: str) -> str:
    """Why `source` does not compile as a template ('' when it does), with its line."""
    from jinja2 import TemplateSyntaxError

    if len(source) > MAX_TEMPLATE_LENGTH:
        return f"template is {len(source)} characters long, more than the {MAX_TEMPLATE_LENGTH} allowed"
    try:
        sandbox_environment().from_string(source)
    except TemplateSyntaxError as error:
        return f"template does not compile: {(error.message or '').rstrip('.')} (line {error.lineno})"
    return ""


_compiled: dict[str, object] = {}
MAX_COMPILED = 256
register("content.templates compiled", _compiled, of_shopper=False)   # merchant templates only


def render_template(source: str, values: dict) -> str | None:
    """Render with the shared environment, compiling each template once per worker.

    Raises only TemplatesUnavailable: publishing compiled every template already, so a
    failure here means data the template did not expect, and the slot keeps its default
    content (None)."""
    try:
        simple = render_simple(source, values)
    except RenderFailed:
        return None
    if simple is not NOT_SIMPLE:
        return simple
    try:
        template = _compiled.get(source)
        if template is None:
            if len(_compiled) >= MAX_COMPILED:
                _compiled.clear()
            template = _compiled[source] = sandbox_environment().from_string(source)
        return template.render(**values)
    except TemplatesUnavailable:
        raise
    except Exception:  # noqa: BLE001 - a decision never throws
        return None
