"""Merchant templates: one sandboxed, autoescaping Jinja2 environment, and the publish-time check.

Jinja2 is imported inside these functions, not at module level, so importing the
config does not load Jinja2: the browser pays for it only when a slot renders.
"""

from __future__ import annotations

from functools import cache

from shopkeeper.engine.remembered import register

MAX_TEMPLATE_LENGTH = 20_000


@cache
def sandbox_environment():
    """The environment every template is compiled and rendered in: sandboxed (no access
    to unsafe attributes such as __class__) and autoescaping, so merchant and shopper
    text reaches the DOM escaped unless a template marks it safe."""
    from jinja2.sandbox import SandboxedEnvironment

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

    Never raises: publishing compiled every template already, so a failure here means
    data the template did not expect, and the slot keeps its default content (None)."""
    try:
        template = _compiled.get(source)
        if template is None:
            if len(_compiled) >= MAX_COMPILED:
                _compiled.clear()
            template = _compiled[source] = sandbox_environment().from_string(source)
        return template.render(**values)
    except Exception:  # noqa: BLE001 - a decision never throws
        return None
