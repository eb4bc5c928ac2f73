"""Loading the site config: TOML errors located, the engine's verdict reported under the file."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from shopkeeper.publish.errors import InputError
from shopkeeper.publish.read.site_config import load_site_config

FIXTURES = Path(__file__).parent / "fixtures"


def stand_in_engine(monkeypatch, parse_config=lambda raw: raw, error=ValueError):
    """The engine's config parser is another part's work: these tests check only loading
    and how a verdict is reported, so a stand-in takes its place."""
    module = types.SimpleNamespace(ConfigError=error, parse_config=parse_config)
    monkeypatch.setitem(sys.modules, "shopkeeper.engine.config.site", module)


@pytest.fixture(autouse=True)
def accepting_engine(monkeypatch):
    stand_in_engine(monkeypatch)


def test_the_fixture_loads_as_plain_data():
    config = load_site_config(FIXTURES / "site.toml")
    assert config["shop"] == {"name": "Demo Outfitters", "currency": "EUR"}
    assert [segment["name"] for segment in config["segments"]] == ["vip"]
    assert config["placements"][0]["strategy"] == "bought_together"


def test_toml_dates_become_iso_strings_so_the_config_stays_json(tmp_path):
    path = tmp_path / "site.toml"
    path.write_text('[[slots]]\nname = "hero"\n[[slots.variants]]\nname = "a"\nstarts = 2026-11-01\nends = 2026-12-31T23:59:59Z\n')
    variant = load_site_config(path)["slots"][0]["variants"][0]
    assert (variant["starts"], variant["ends"]) == ("2026-11-01", "2026-12-31T23:59:59+00:00")


@pytest.mark.parametrize(("text", "message"), [
    ('[shop]\nname = "Demo"\nvip_orders = \n', "site.toml:3:14: invalid value"),
    ('[shop]\nname = "Demo\n', "site.toml:2:13: illegal character '\\n'"),
    ('[shop]\nname = "a"\n[shop]\n', "site.toml:3:6: cannot declare ('shop',) twice"),
    ('[shop]\nname = "a"\nname = "b"\n', "site.toml:3:11: cannot overwrite a value"),
])
def test_toml_syntax_errors_name_file_line_and_column(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)
    Path("site.toml").write_text(text)
    with pytest.raises(InputError) as caught:
        load_site_config("site.toml")
    assert str(caught.value) == message


def test_unreadable_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError, match=r"^site\.toml: no such file or directory$"):
        load_site_config("site.toml")
    Path("site.toml").write_bytes(b'[shop]\nname = "Gr\xfcn"\n')
    with pytest.raises(InputError, match=r"^site\.toml: not UTF-8 text \(byte 0xfc at offset 17\)$"):
        load_site_config("site.toml")


def test_the_engines_config_error_is_reported_under_the_file_name(tmp_path, monkeypatch):
    class ConfigError(ValueError):
        pass

    def parse_config(raw):
        raise ConfigError(f"segments[{raw['segments'][0]['name']}].rule: unknown name 'spend'")

    stand_in_engine(monkeypatch, parse_config, ConfigError)
    monkeypatch.chdir(tmp_path)
    Path("site.toml").write_text('[[segments]]\nname = "vip"\nrule = "spend > 5"\n')
    with pytest.raises(InputError, match=r"^site\.toml: segments\[vip\]\.rule: unknown name 'spend'$"):
        load_site_config("site.toml")
