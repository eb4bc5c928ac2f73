"""Static servers merchants use, started from Debian's packages with their stock
configuration, plus (where asked) the snippet docs/hosting.md gives for them, read from
that file so the documentation is what gets tested.

Each host serves one document root on 127.0.0.1 and logs every request it receives as
`METHOD scheme://host/path status` where the server can say so (nginx and Apache log
absolute-form requests, so a browser using one as its proxy leaves its whole traffic
in that log).
"""

from __future__ import annotations

import os
import pwd
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOSTING_DOCS = ROOT / "docs" / "hosting.md"
BINARIES = {"nginx": Path("/usr/sbin/nginx"), "apache": Path("/usr/sbin/apache2"), "caddy": Path("/usr/bin/caddy")}

NGINX_CONFIG = """user {user};
worker_processes 1;
daemon off;
pid {home}/nginx.pid;
error_log {home}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    log_format every '$request_method $scheme://$http_host$request_uri $status';
    access_log {home}/access.log every;
    client_body_temp_path {home}/body;
    proxy_temp_path {home}/proxy;
    fastcgi_temp_path {home}/fastcgi;
    uwsgi_temp_path {home}/uwsgi;
    scgi_temp_path {home}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
{snippet}
    }}
}}
"""

# Debian's modules as enabled at install (mods-enabled), plus mod_headers as the docs ask.
APACHE_CONFIG = """ServerRoot /etc/apache2
ServerName 127.0.0.1
DefaultRuntimeDir {home}
PidFile {home}/apache2.pid
Mutex file:{home} default
Listen 127.0.0.1:{port}
{user}
ErrorLog {home}/error.log
LogLevel warn
IncludeOptional mods-enabled/*.load
IncludeOptional mods-enabled/*.conf
{headers}
LogFormat "%m http://%{{Host}}i%U%q %>s" every
CustomLog {home}/access.log every
DocumentRoot {root}
<Directory {root}>
    Require all granted
</Directory>
{snippet}
"""

CADDY_CONFIG = """{{
    admin off
    auto_https off
}}
http://127.0.0.1:{port} {{
    root * {root}
{snippet}
    file_server
}}
"""


@dataclass
class Host:
    name: str          # nginx, apache, caddy or python
    with_snippet: bool
    origin: str
    root: Path
    home: Path
    process: subprocess.Popen

    @property
    def label(self) -> str:
        return f"{self.name}{' + docs snippet' if self.with_snippet else ' (stock)'}"

    def access_log(self) -> list[str]:
        log = self.home / "access.log"
        return log.read_text().splitlines() if log.exists() else []

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def snippet(name: str) -> str:
    """The code block that follows `<!-- snippet: NAME -->` in docs/hosting.md."""
    match = re.search(rf"<!-- snippet: {name} -->\s*```[a-z]*\n(.*?)```", HOSTING_DOCS.read_text(), re.S)
    if not match:
        raise AssertionError(f"docs/hosting.md has no snippet for {name}")
    return match.group(1)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def readable_home(prefix: str) -> Path:
    """A directory every user can read: Apache's and nginx's workers run as www-data under root."""
    home = Path(tempfile.mkdtemp(prefix=f"shopkeeper-{prefix}-"))
    home.chmod(0o755)
    return home


def open_to_all(root: Path) -> None:
    for folder, _, files in os.walk(root):
        os.chmod(folder, 0o755)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)


def start_host(name: str, root: Path, with_snippet: bool, probe_path: str) -> Host:
    """Serve `root` with the named server; returns once `probe_path` answers."""
    binary = BINARIES.get(name)
    if binary is not None and not binary.is_file():
        raise AssertionError(f"{binary} is missing: `make setup` installs Debian's {name if name != 'apache' else 'apache2'}")
    home = readable_home(name)
    open_to_all(root)
    port = free_port()
    text = snippet(name) if with_snippet else ""
    as_root = os.geteuid() == 0
    if name == "nginx":
        config = home / "nginx.conf"
        config.write_text(NGINX_CONFIG.format(home=home, port=port, root=root, user="www-data" if as_root else pwd.getpwuid(os.geteuid()).pw_name,
                                              snippet=_indent(text, 8)))
        command = [str(binary), "-c", str(config), "-p", str(home), "-e", str(home / "error.log")]
    elif name == "apache":
        config = home / "apache2.conf"
        headers = "LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so" if with_snippet else ""
        config.write_text(APACHE_CONFIG.format(home=home, port=port, root=root, snippet=text, headers=headers,
                                               user="User www-data\nGroup www-data" if as_root else ""))
        command = [str(binary), "-f", str(config), "-DFOREGROUND"]
    elif name == "caddy":
        config = home / "Caddyfile"
        config.write_text(CADDY_CONFIG.format(port=port, root=root, snippet=_indent(text, 4)))
        command = [str(binary), "run", "--config", str(config), "--adapter", "caddyfile"]
    elif name == "python":
        command = ["python3", "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(root)]
    else:
        raise ValueError(name)
    environment = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home), "XDG_CONFIG_HOME": str(home)}
    errors = home / "stderr.log"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors.open("wb"), env=environment, cwd=home)
    host = Host(name, with_snippet, f"http://127.0.0.1:{port}", root, home, process)
    _wait_for(host, probe_path, errors)
    return host


def _wait_for(host: Host, path: str, errors: Path) -> None:
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(f"{host.origin}{path}", timeout=5).close()
            return
        except (urllib.error.URLError, OSError):
            if host.process.poll() is not None or time.monotonic() > deadline:
                host.stop()
                logs = "\n".join(p.read_text(errors="replace") for p in (errors, host.home / "error.log") if p.exists())
                raise AssertionError(f"{host.label} did not start:\n{logs}") from None
            time.sleep(0.05)


def _indent(text: str, spaces: int) -> str:
    return "".join(" " * spaces + line if line.strip() else line for line in text.splitlines(keepends=True))
