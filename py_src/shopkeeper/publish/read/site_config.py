"""Loading the merchant's site config (TOML, see docs/site-config.md) for publishing.

TOML syntax errors are located as file:line:column. What the values mean is checked by
the engine's own parser, the one the browser runs, so publishing refuses exactly what
the engine could not use; its errors name the item (`slots[hero].variants[b].rule`) and
are reported under the config file's name. The config goes into the model as JSON, so
TOML's date and time values become ISO 8601 strings, which the engine also reads.
"""

from __future__ import annotations

import datetime
import re
import tomllib
from os import PathLike
from pathlib import Path

from shopkeeper.publish.errors import InputError

__all__ = ["load_site_config"]

_WHERE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def load_site_config(path: str | PathLike) -> dict:
    """The config as plain JSON-ready data, validated; InputError on any problem."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InputError(path, None, (error.strerror or str(error)).lower()) from None
    except UnicodeDecodeError as error:
        raise InputError(path, None, f"not UTF-8 text (byte {error.object[error.start]:#04x} at offset {error.start})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _located(path, str(error), text) from None
    config = _plain(raw)
    _validate(path, config)
    return config


def _located(path, message: str, text: str) -> InputError:
    match = _WHERE.search(message)
    if match:
        line, column = int(match[1]), int(match[2])
        message = message[:match.start()]
    else:
        line, column = text.count("\n") + 1, None
        message = message.replace(" (at end of document)", "")
    return InputError(path, line, message[:1].lower() + message[1:], column=column)


def _plain(value):
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def _validate(path, config: dict) -> None:
    try:
        from shopkeeper.engine.config.site import ConfigError, parse_config
    except ModuleNotFoundError as error:
        if error.name != "shopkeeper.engine.config.site":
            raise
        return
    try:
        parse_config(config)
    except ConfigError as error:
        raise InputError(path, None, str(error)) from None
