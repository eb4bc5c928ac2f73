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
