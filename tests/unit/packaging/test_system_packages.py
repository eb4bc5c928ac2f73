"""`make`'s setup step asks apt for exactly what is missing, and nothing when nothing is.

The script runs with a PATH holding only a folder of stand-ins: a recording `apt-get`
that "installs" a package by creating the commands it provides, so the script's second
look (is npm there now?) sees what a real install would have left behind.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "build_scripts" / "system_packages.sh"
BASH = "/bin/bash"

# What each package puts on PATH. A vendor nodejs (NodeSource) brings npm and conflicts
# with Debian's npm package; Debian's own nodejs brings node only.
DEBIAN_PROVIDES = {"chromium": ["chromium"], "nginx": ["nginx"], "apache2": ["apache2"], "caddy": ["caddy"], "nodejs": ["node"],
                   "npm": ["npm"], "firefox-esr": ["firefox-esr"], "webkit2gtk-driver": ["WebKitWebDriver"], "xvfb": ["Xvfb"]}
SERVERS = ["nginx", "apache2", "caddy"]
ENGINE_COMMANDS = ["firefox-esr", "WebKitWebDriver", "Xvfb"]
ENGINE_PACKAGES = ["firefox-esr", "webkit2gtk-driver", "xvfb"]
VENDOR_PROVIDES = {**DEBIAN_PROVIDES, "nodejs": ["node", "npm"]}

FAKE_APT = """#!/bin/bash
echo "$*" >> "{log}"
[ "$1" = update ] && exit 0
shift
for arg in "$@"; do
  case "$arg" in
    -*) ;;
{cases}
    *) echo "E: Unable to locate package $arg" >&2; exit 100 ;;
  esac
done
"""


def stand_in(path: Path, body: str = "#!/bin/bash\nexit 0\n") -> None:
    path.write_text(body)
    path.chmod(0o755)


def run_setup(tmp_path: Path, present: list[str], provides: dict[str, list[str]]):
    """Run the script with only `present` commands on PATH; return the apt-get calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    for command in present:
        stand_in(bin_dir / command)
    cases = []
    for package, commands in provides.items():
        creates = " ".join(
            f'printf "#!/bin/bash\\n" > "{bin_dir}/{c}"; /bin/chmod +x "{bin_dir}/{c}";' for c in commands
        )
        refuse = ""
        if package == "npm" and "npm" in provides["nodejs"]:
            refuse = f'[ -e "{bin_dir}/node" ] && {{ echo "E: held broken packages" >&2; exit 100; }};'
        cases.append(f"    {package}) {refuse} {creates} ;;")
    stand_in(bin_dir / "apt-get", FAKE_APT.format(log=log, cases="\n".join(cases)))
    result = subprocess.run(
        [BASH, str(SCRIPT)], env={"PATH": str(bin_dir), "SHOPKEEPER_SBIN_DIRS": str(tmp_path / "no-sbin")},
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    calls = log.read_text().splitlines() if log.exists() else []
    installed = [
        [arg for arg in call.split()[1:] if not arg.startswith("-") or arg == "--no-install-recommends"]
        for call in calls
        if call.startswith("install")
    ]
    return calls, installed


def test_nothing_missing_calls_no_apt(tmp_path):
    calls, _ = run_setup(tmp_path, ["chromium", *SERVERS, "node", "npm", *ENGINE_COMMANDS], VENDOR_PROVIDES)
    assert calls == []


def test_only_chromium_missing_installs_chromium_alone(tmp_path):
    calls, installed = run_setup(tmp_path, [*SERVERS, "node", "npm", *ENGINE_COMMANDS], VENDOR_PROVIDES)
    assert installed == [["chromium"]]
    assert calls[0].startswith("update")


def test_only_nodejs_missing_installs_nodejs_then_npm_from_debian(tmp_path):
    _, installed = run_setup(tmp_path, ["chromium", *SERVERS, *ENGINE_COMMANDS], DEBIAN_PROVIDES)
    assert installed == [["nodejs"], ["npm"]]


@pytest.mark.parametrize("server", SERVERS)
def test_only_one_server_missing_installs_it_alone(tmp_path, server):
    others = [other for other in SERVERS if other != server]
    _, installed = run_setup(tmp_path, ["chromium", *others, "node", "npm", *ENGINE_COMMANDS], VENDOR_PROVIDES)
    assert installed == [[server]]


def test_only_the_engines_missing_installs_them_without_their_recommends(tmp_path):
    _, installed = run_setup(tmp_path, ["chromium", *SERVERS, "node", "npm", "Xvfb"], VENDOR_PROVIDES)
    assert installed == [["--no-install-recommends", "firefox-esr", "webkit2gtk-driver"]]


def test_npm_missing_beside_debian_node_installs_npm_alone(tmp_path):
    _, installed = run_setup(tmp_path, ["chromium", *SERVERS, "node", *ENGINE_COMMANDS], DEBIAN_PROVIDES)
    assert installed == [["npm"]]


@pytest.mark.parametrize(
    "provides, expected",
    [
        (DEBIAN_PROVIDES, [["chromium", *SERVERS, "nodejs"], ["--no-install-recommends", *ENGINE_PACKAGES], ["npm"]]),
        (VENDOR_PROVIDES, [["chromium", *SERVERS, "nodejs"], ["--no-install-recommends", *ENGINE_PACKAGES]]),
    ],
    ids=["debian-nodejs", "vendor-nodejs"],
)
def test_everything_missing_installs_all_and_never_npm_over_a_vendor_nodejs(
    tmp_path, provides, expected
):
    calls, installed = run_setup(tmp_path, [], provides)
    assert installed == expected
    assert sum(call.startswith("update") for call in calls) == 1
