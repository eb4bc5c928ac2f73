"""Reading one table of the site config with its path, so every error names where it is.

`Fields` remembers which keys it was asked for; `finish()` reports any other key as a
probable typo (`priorty = 20` would otherwise be silently ignored in a shop). Rules,
templates, dates and segment references are read here too, each error under its key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shopkeeper.engine.config.schedule import parse_instant
from shopkeeper.engine.content.templates import MAX_TEMPLATE_LENGTH, template_problem
from shopkeeper.engine.rules.checks import Vocabulary
from shopkeeper.engine.rules.compiled import Rule, RuleError, compile_rule
from shopkeeper.engine.rules.syntax import MAX_RULE_LENGTH
from shopkeeper.engine.suggest import did_you_mean

MAX_NAME_LENGTH = 100


class ConfigError(ValueError):
    """A site config that cannot be published: where (slots[hero].variants[b].rule) and what."""

    def __init__(self, path: str, message: str):
        self.path, self.message = path, message
        super().__init__(f"{path}: {message}" if path else message)


def describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value[:40]!r})"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "a table" if isinstance(value, dict) else type(value).__name__


def is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value - value == 0


class Fields:
    """One table of the config at `path`; every reader raises ConfigError naming path.key."""

    def __init__(self, raw: object, path: str):
        if not isinstance(raw, dict):
            raise ConfigError(path, f"expected a table, found {describe(raw)}")
        self.raw, self.path, self.asked = raw, path, set()

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.at(key), message)

    def get(self, key: str) -> object:
        self.asked.add(key)
        return self.raw.get(key)

    def text(self, key: str, default: str = "", required: bool = False, choices=(), limit: int = 2000) -> str:
        value = self.get(key)
        if value is None:
            if required:
                raise self.fail(key, "required, found nothing")
            return default
        if not isinstance(value, str):
            raise self.fail(key, f"expected text, found {describe(value)}")
        if required and not value.strip():
            raise self.fail(key, "required, found empty text")
        if len(value) > limit:
            raise self.fail(key, f"expected at most {limit} characters, found {len(value)}")
        if choices and value not in choices:
            raise self.fail(key, f"expected one of {', '.join(choices)}; found {value!r}{did_you_mean(value, choices)}")
        return value

    def name(self) -> str:
        value = self.text("name", required=True, limit=MAX_NAME_LENGTH)
        if value != value.strip():
            raise self.fail("name", f"expected no leading or trailing spaces, found {value!r}")
        return value

    def number(self, key: str, default: float, low: float | None = None, high: float | None = None,
               whole: bool = False, above: float | None = None, required: bool = False) -> float:
        value = self.get(key)
        if value is None:
            if required:
                raise self.fail(key, "required, found nothing")
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(key, f"expected a number, found {describe(value)}")
        if not is_number(value):
            raise self.fail(key, f"expected a finite number, found {value}")
        if whole and value != int(value):
            raise self.fail(key, f"expected a whole number, found {value}")
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                bounds = f"from {low} to {high}"
            else:
                bounds = f"of at least {low}" if low is not None else f"of at most {high}"
            raise self.fail(key, f"expected a number {bounds}, found {value}")
        if above is not None and value <= above:
            raise self.fail(key, f"expected a number above {above}, found {value}")
        return int(value) if whole else float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, f"expected true or false, found {describe(value)}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, f"expected a list of text, found {describe(value)}")
        return tuple(value)

    def tables(self, key: str) -> list:
        """The raw items of an array of tables ([[slots.variants]]), each read by its own Fields."""
        value = self.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list of tables ([[{key}]]), found {describe(value)}")
        return value

    def finish(self) -> None:
        unknown = sorted(set(self.raw) - self.asked, key=str)
        if unknown:
            raise ConfigError(self.path, f"unknown key {unknown[0]!r}{did_you_mean(str(unknown[0]), self.asked)}")


def unique_names(items, section: str, kind: str) -> None:
    seen = set()
    for item in items:
        if item.name in seen:
            raise ConfigError(f"{section}[{item.name}]", f"a second {kind} named {item.name!r} (names must be unique)")
        seen.add(item.name)


@dataclass(frozen=True)
class Known:
    """What the config declared before this item, for checking references and compiling rules."""

    vocabulary: Vocabulary
    boost_vocabulary: Vocabulary
    segments: frozenset[str] = frozenset()
    arms: dict = field(default_factory=dict)     # experiment name -> frozenset of arm names
    check_templates: bool = True


def read_rule(fields: Fields, key: str, vocabulary: Vocabulary, required: bool = False) -> Rule | None:
    text = fields.text(key, required=required, limit=100 * MAX_RULE_LENGTH)  # compile_rule words the limit
    if not text and not required:
        return None
    try:
        return compile_rule(text, vocabulary)
    except RuleError as error:
        raise fields.fail(key, str(error)) from None


def read_template(fields: Fields, key: str, known: Known, required: bool = True) -> str:
    source = fields.text(key, required=required, limit=MAX_TEMPLATE_LENGTH)
    problem = template_problem(source) if source and known.check_templates else ""
    if problem:
        raise fields.fail(key, problem)
    return source


def read_instant(fields: Fields, key: str, end_of_day: bool = False) -> float | None:
    value = fields.get(key)
    if value is None:
        return None
    try:
        return parse_instant(value, end_of_day)
    except ValueError as error:
        raise fields.fail(key, str(error)) from None


def read_segment(fields: Fields, known: Known) -> str:
    name = fields.text("segment", limit=MAX_NAME_LENGTH)
    if name and name not in known.segments:
        raise fields.fail("segment", f"no segment named {name!r} is declared{did_you_mean(name, known.segments)}")
    return name
