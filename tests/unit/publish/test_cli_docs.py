"""README's command-line section documents every command and every option the parser has."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from shopkeeper.cli import build_parser

README = Path(__file__).resolve().parents[3] / "README.md"


def cli_section() -> str:
    text = README.read_text()
    match = re.search(r"^### Command line\n(.*?)(?=^##)", text, re.S | re.M)
    assert match, "README.md has no '### Command line' section under '## Reference'"
    return match.group(1)


def commands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(commands()))
def test_every_command_and_option_is_documented(command):
    section = cli_section()
    assert f"`shopkeeper {command} " in section
    options = [option for action in commands()[command]._actions for option in action.option_strings]
    undocumented = [option for option in options if option not in ("-h", "--help") and f"`{option}" not in section]
    assert undocumented == [], f"{command}: document {', '.join(undocumented)} in README.md's Command line section"


def field_tables() -> list[dict[str, tuple[set[str], str]]]:
    """README's input field tables, in order (catalog, event log): field -> (other names, needed)."""
    tables, rows = [], None
    for line in cli_section().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")] if line.strip().startswith("|") else None
        if cells and cells[:3] == ["field", "also recognised as", "needed"]:
            rows = {}
            tables.append(rows)
        elif cells and rows is not None and not cells[0].startswith("---"):
            rows[cells[0].strip("`")] = (set(re.findall(r"`([^`]+)`", cells[1])), cells[2])
        elif not cells:
            rows = None
    return tables


def test_the_field_tables_say_what_the_readers_do():
    from shopkeeper.publish.read import catalog_formats, events

    catalog, event_log = field_tables()
    for table, aliases, required in ((catalog, catalog_formats.ALIASES, catalog_formats.REQUIRED),
                                     (event_log, events.ALIASES, events.REQUIRED)):
        assert set(table) == set(aliases)
        for field, (names, needed) in table.items():
            assert names == set(aliases[field]) - {field}, field
            if field in required:
                assert needed.startswith("required"), field
            else:
                expected = table is catalog and field in catalog_formats.EXPECTED
                assert needed == ("expected" if expected else "optional"), field
