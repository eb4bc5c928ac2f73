"""Firefox and WebKit from Debian's packages, driven without any downloaded driver.

Playwright drives Chromium (tests/e2e); its own Firefox and WebKit builds cannot be had
here and it cannot launch Debian's. So each engine gets the smallest client that speaks
its own protocol: Firefox ESR speaks WebDriver BiDi itself over a WebSocket, WebKitGTK
is driven by `WebKitWebDriver` over classic WebDriver HTTP (and Chromium, for a test
written once for all three, by Playwright). All offer the same few
calls the engine tier and the boot benchmark need (`goto`, `evaluate`, `console`,
`screenshot`). Each runs with the test server as its proxy, so the server's log holds
every request the browser made, as in the Chromium tier.

What the page should run before its own scripts (the Chromium tier's init scripts) is a
file the server puts first in every HTML page (ProbeServer in tests/engines), because
WebKit's WebDriver has no preload scripts.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
XVFB = "/usr/bin/Xvfb"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--proxy-bypass-list=<-loopback>"]
ENGINES = ("firefox", "webkit")  # the engines beside Chromium, which has its own tier
START_TIMEOUT_S = 30
# Hosts a browser itself talks to (updates, account lookups, telemetry, remote settings)
# even with the flags and preferences below: set apart from the page's requests by host.
CHROMIUM_SERVICE_DOMAINS = ("google.com", "googleapis.com", "gvt1.com", "gstatic.com")
FIREFOX_SERVICE_DOMAINS = ("mozilla.com", "mozilla.org", "mozilla.net", "firefox.com", "mozaws.net")
BROWSER_SERVICE_DOMAINS = CHROMIUM_SERVICE_DOMAINS + FIREFOX_SERVICE_DOMAINS

# A quiet profile: no updates, telemetry, safe browsing or first-run pages, and the
# proxy used for loopback too (Firefox bypasses it for localhost by default).
FIREFOX_PREFS = {
    "app.update.enabled": False, "app.update.auto": False, "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore", "browser.aboutwelcome.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False, "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False, "toolkit.telemetry.unified": False, "toolkit.telemetry.server": "",
    "browser.safebrowsing.malware.enabled": False, "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False, "browser.safebrowsing.provider.mozilla.updateURL": "",
    "extensions.update.enabled": False, "extensions.getAddons.cache.enabled": False,
    "network.captive-portal-service.enabled": False, "network.connectivity-service.enabled": False,
    "browser.newtabpage.enabled": False, "browser.topsites.contile.enabled": False,
    "services.settings.server": "", "network.dns.disablePrefetch": True, "network.prefetch-next": False,
    "browser.ping-centre.telemetry": False, "app.normandy.enabled": False, "browser.region.network.url": "",
    "network.proxy.type": 1, "network.proxy.allow_hijacking_localhost": True, "network.proxy.no_proxies_on": "",
}


class EngineError(RuntimeError):
    """The browser or its driver did not start or answer."""


def missing(engine: str) -> str | None:
    """Why `engine` cannot run here, or None when it can."""
    needed = {"chromium": [CHROMIUM], "firefox": [FIREFOX], "webkit": [WEBKIT_DRIVER, MINIBROWSER, XVFB]}[engine]
    absent = [path for path in needed if not Path(path).is_file()]
    return f"{', '.join(absent)} missing: `make setup` installs them from Debian's packages" if absent else None


def is_browser_service(url: str, domains: tuple[str, ...] = BROWSER_SERVICE_DOMAINS) -> bool:
    host = urlsplit(url).hostname or url.split(":")[0]
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def not_local_gets(log: list, origin: str, domains: tuple[str, ...] = BROWSER_SERVICE_DOMAINS) -> list:
    """What a test server's log holds of the page's requests other than GETs to `origin`
    (the server is the browser's proxy, so the log has every request)."""
    netloc = urlsplit(origin).netloc
    return [entry for entry in log if not is_browser_service(entry.url.removeprefix("http://"), domains)
            and (entry.method != "GET" or urlsplit(entry.url).netloc != netloc)]


def as_json_expression(expression: str) -> str:
    """JS that evaluates `expression` (called when it is a function, awaited when it is a
    Promise, as Playwright does) to a JSON string, or to {"error": ...} when it throws, so
    every engine returns plain values."""
    return (
        "Promise.resolve().then(() => { const given = (" + expression + ");"
        " return typeof given === 'function' ? given() : given; }).then("
        "value => JSON.stringify({value: value === undefined ? null : value}),"
        " error => JSON.stringify({error: String(error && error.stack || error)}))"
    )


def unwrap(answer: str, expression: str):
    result = json.loads(answer)
    if "error" in result:
        raise EngineError(f"{expression!r} threw: {result['error']}")
    return result["value"]


def end(process: subprocess.Popen) -> None:
    """Wait for a process that was asked to end; kill it after 10 s."""
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Engine:
    """What both clients share: the pause between polls that wait_until makes."""

    name = ""

    def wait_for_timeout(self, milliseconds: float) -> None:
        time.sleep(milliseconds / 1000)


class Firefox(Engine):
    """Firefox ESR over WebDriver BiDi: one headless browser, one tab."""

    name = "firefox"

    def __init__(self, proxy_port: int, prefs: dict | None = None):
        import websocket  # websocket-client, pinned in requirements-dev.txt

        self.profile = Path(tempfile.mkdtemp(prefix="sk-firefox-"))
        prefs = dict(FIREFOX_PREFS, **{"network.proxy.http": "127.0.0.1", "network.proxy.http_port": proxy_port}, **(prefs or {}))
        (self.profile / "user.js").write_text("".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()))
        self.stderr = open(self.profile / "stderr.log", "w+")  # noqa: SIM115 (closed in close())
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", str(self.profile), "--remote-debugging-port=0"],
            stdout=subprocess.DEVNULL, stderr=self.stderr, env=dict(os.environ, MOZ_CRASHREPORTER_DISABLE="1"),
        )
        address = self._listening_address()
        # Firefox answers 400 "incorrect Origin header" to a WebSocket handshake with one.
        self.socket = websocket.create_connection(address + "/session", suppress_origin=True, timeout=120)
        self.next_id = 0
        self.logs: list[tuple[str, str]] = []
        self.command("session.new", {"capabilities": {"alwaysMatch": {"acceptInsecureCerts": True}}})
        self.context = self.command("browsingContext.getTree", {})["contexts"][0]["context"]
        self.user_context = None
        self.command("session.subscribe", {"events": ["log.entryAdded"]})

    def reset(self) -> None:
        """A new tab in a new user context: storage, cache and workers of its own."""
        created = self.command("browser.createUserContext", {})["userContext"]
        tab = self.command("browsingContext.create", {"type": "tab", "userContext": created})["context"]
        self.command("browsingContext.close", {"context": self.context})
        if self.user_context:
            self.command("browser.removeUserContext", {"userContext": self.user_context})
        self.context, self.user_context = tab, created
        self.logs.clear()

    def _listening_address(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            self.stderr.seek(0)
            found = re.search(r"WebDriver BiDi listening on (ws://\S+)", self.stderr.read())
            if found:
                return found.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stderr.seek(0)
        raise EngineError(f"Firefox did not open WebDriver BiDi within {START_TIMEOUT_S} s: {self.stderr.read()[-2000:]}")

    def command(self, method: str, params: dict):
        self.next_id += 1
        sent = self.next_id
        self.socket.send(json.dumps({"id": sent, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("type") == "event":
                if message.get("method") == "log.entryAdded":
                    entry = message["params"]
                    self.logs.append((entry.get("level", ""), entry.get("text") or ""))
                continue
            if message.get("id") != sent:
                continue
            if message.get("type") == "error":
                raise EngineError(f"{method}: {message.get('error')}: {message.get('message')}")
            return message["result"]

    def goto(self, url: str) -> None:
        self.command("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def evaluate(self, expression: str):
        result = self.command("script.evaluate", {
            "expression": as_json_expression(expression), "target": {"context": self.context},
            "awaitPromise": True, "resultOwnership": "none",
        })
        if result.get("type") == "exception":
            raise EngineError(f"{expression!r} threw: {result['exceptionDetails'].get('text')}")
        return unwrap(result["result"]["value"], expression)

    def console(self) -> list[tuple[str, str]]:
        """Every console line of this tab since reset(), the worker's included."""
        self.command("browsingContext.getTree", {"maxDepth": 0})  # collects events sent so far
        return list(self.logs)

    def screenshot(self, path: Path) -> None:
        data = self.command("browsingContext.captureScreenshot", {"context": self.context})["data"]
        Path(path).write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self.command("browser.close", {})
        except Exception:  # noqa: BLE001 (it may be gone already)
            pass
        end(self.process)
        self.stderr.close()
        shutil.rmtree(self.profile, ignore_errors=True)


def start_xvfb() -> tuple[subprocess.Popen, str]:
    """An X server on a free display, once it accepts clients: a browser started before
    that fails to open the display, and WebKitWebDriver then waits for it forever."""
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen([XVFB, "-displayfd", str(write_end), "-ac", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
                            pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        ready, _, _ = select.select([announced], [], [], START_TIMEOUT_S)
        number = announced.readline().strip() if ready else ""
    if not number.isdigit():
        xvfb.kill()
        raise EngineError(f"Xvfb did not start within {START_TIMEOUT_S} s")
    return xvfb, f":{number}"


class WebKit(Engine):
    """WebKitGTK's MiniBrowser through WebKitWebDriver, on its own Xvfb display."""

    name = "webkit"

    def __init__(self, proxy_port: int):
        self.proxy_port = proxy_port
        self.folder = Path(tempfile.mkdtemp(prefix="sk-webkit-"))
        self.xvfb, self.display = start_xvfb()
        self.output = open(self.folder / "driver.log", "w+")  # noqa: SIM115 (closed in close())
        self.driver = None
        self.session = None
        self.reset()

    def _start_driver(self) -> None:
        """WebKitWebDriver in a process group of its own, so its browsers go with it."""
        self._stop_driver()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, DISPLAY=self.display, XDG_RUNTIME_DIR=str(self.folder), HOME=str(self.folder))
        self.driver = subprocess.Popen([WEBKIT_DRIVER, f"--port={self.port}"], stdout=self.output, stderr=subprocess.STDOUT,
                                       env=env, start_new_session=True)

    def _stop_driver(self) -> None:
        if self.driver is None:
            return
        try:
            os.killpg(self.driver.pid, signal.SIGTERM)
            self.driver.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.driver.pid, signal.SIGKILL)
        self.driver = None
        self.session = None

    def reset(self) -> None:
        """A new browser session (automation sessions keep their data in memory, per
        session). Now and then, on a loaded machine, a new session never answers: the
        driver and its browsers are then started afresh, once."""
        for attempt in range(2):
            if self.session:
                with contextlib.suppress(EngineError, OSError):
                    self._request("DELETE", self.session, timeout=START_TIMEOUT_S)
                self.session = None
            if self.driver is None or self.driver.poll() is not None or attempt:
                self._start_driver()
            try:
                self.session = f"/session/{self._new_session()}"
                return
            except (TimeoutError, EngineError):
                continue
        self.close()
        raise EngineError(f"WebKitWebDriver opened no session twice: {self._driver_log()[-2000:]}")

    def _new_session(self) -> str:
        options = {
            "binary": MINIBROWSER,
            # Without --automation session creation hangs.
            "args": ["--automation", f"--proxy=http://127.0.0.1:{self.proxy_port}", "--ignore-host="],
        }
        capabilities = {"alwaysMatch": {"webkitgtk:browserOptions": options, "timeouts": {"script": 120_000, "pageLoad": 120_000}}}
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                return self._request("POST", "/session", {"capabilities": capabilities}, timeout=START_TIMEOUT_S)["sessionId"]
            except (urllib.error.URLError, ConnectionError):  # the driver is not listening yet
                if time.monotonic() > deadline or self.driver.poll() is not None:
                    raise EngineError(f"WebKitWebDriver did not start: {self._driver_log()[-2000:]}") from None
                time.sleep(0.1)

    def _request(self, method: str, path: str, body: dict | None = None, timeout: float = 180):
        data = json.dumps(body if body is not None else {}).encode() if method == "POST" else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            detail = json.loads(error.read() or b"{}").get("value", {})
            raise EngineError(f"{method} {path}: {detail.get('error')}: {detail.get('message')}") from None

    def _post(self, path: str, body: dict):
        return self._request("POST", path, body)

    def _driver_log(self) -> str:
        self.output.flush()
        return (self.folder / "driver.log").read_text(errors="replace")

    def goto(self, url: str) -> None:
        self._post(self.session + "/url", {"url": url})

    def evaluate(self, expression: str):
        script = "const done = arguments[arguments.length - 1]; " + as_json_expression(expression) + ".then(done);"
        return unwrap(self._post(self.session + "/execute/async", {"script": script, "args": []}), expression)

    def console(self) -> list[tuple[str, str]]:
        """The current page's console lines as a script the page ran first recorded them
        (`window.consoleLines`, see tests/engines/conftest.py): WebKit's WebDriver has no
        console API."""
        return [tuple(line) for line in self.evaluate("window.consoleLines || []")]

    def screenshot(self, path: Path) -> None:
        Path(path).write_bytes(base64.b64decode(self._request("GET", self.session + "/screenshot")))

    def close(self) -> None:
        if self.session:
            with contextlib.suppress(EngineError, OSError):
                self._request("DELETE", self.session, timeout=START_TIMEOUT_S)
        self._stop_driver()
        self.xvfb.terminate()
        end(self.xvfb)
        self.output.close()
        shutil.rmtree(self.folder, ignore_errors=True)


class Chromium(Engine):
    """Debian's Chromium through Playwright, with the same calls: so a test of the engine
    tier runs in all three engines."""

    name = "chromium"

    playwright = None  # one per process: Playwright's sync API cannot start twice

    def __init__(self, proxy_port: int):
        from playwright.sync_api import sync_playwright

        if Chromium.playwright is None:
            Chromium.playwright = sync_playwright().start()
        self.browser = Chromium.playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, proxy={"server": f"http://127.0.0.1:{proxy_port}"})
        self.context = None
        self.reset()

    def reset(self) -> None:
        if self.context:
            self.context.close()
        self.context = self.browser.new_context()
        self.page = self.context.new_page()
        self.logs = []
        self.page.on("console", lambda message: self.logs.append((message.type, message.text)))

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def evaluate(self, expression: str):
        return unwrap(self.page.evaluate(as_json_expression(expression)), expression)

    def console(self) -> list[tuple[str, str]]:
        return list(self.logs)

    def screenshot(self, path: Path) -> None:
        self.page.screenshot(path=str(path))

    def close(self) -> None:
        self.browser.close()


def launch(engine: str, proxy_port: int):
    return {"chromium": Chromium, "firefox": Firefox, "webkit": WebKit}[engine](proxy_port)
