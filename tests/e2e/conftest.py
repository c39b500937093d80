"""Fixtures for the browser end-to-end tests: the real server, headless Chromium, screenshots.

The server is started once per test module as a subprocess exactly as a user runs it
(``support-server``), serving the built UIs from ``web/*/dist``; a test can stop it and start
it again on the same port and data (``server_process``). Each test opens fresh
browser contexts (one per person) in one Chromium with fake camera and microphone.
Every step's screenshots are kept in ``test-artifacts/e2e/<test>/`` when a test fails
(always when ``E2E_KEEP_SCREENSHOTS=1``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "e2e"
USER_DIST = REPO / "web" / "user" / "dist"
AXE_SCRIPT = REPO / "web" / "node_modules" / "axe-core" / "axe.min.js"
EMPLOYEE_DIST = REPO / "web" / "employee" / "dist"

# Assertions wait as long as actions do (20 s): on a busy 2-core machine a page can take longer
# than Playwright's default 5 s to open its socket.
expect.set_options(timeout=20_000)

CHROMIUM_FLAGS = [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

EMPLOYEE_NAME = "priya"
EMPLOYEE_PASSWORD = "e2e-correct-horse-battery"
SECOND_EMPLOYEE_NAME = "arjun"
SECOND_EMPLOYEE_PASSWORD = "e2e-second-battery-staple"
READY_TIMEOUT_S = 240.0

ContextFactory = Callable[..., BrowserContext]

FAKE_OCR_MAIN = (
    "from support_server.cli import main;"
    "from support_server.testing import fake_reader_factory;"
    "raise SystemExit(main(reader_factory=fake_reader_factory))"
)
"""``support-server`` with the fake card reader (``python -c FAKE_OCR_MAIN <arguments>``)."""


@dataclass(frozen=True)
class LiveServer:
    """A running ``support-server`` and the employee account created for the tests."""

    base_url: str
    employee: str
    password: str
    log_path: Path
    #: a second employee account, for races between two desks
    second_employee: str = SECOND_EMPLOYEE_NAME
    second_password: str = SECOND_EMPLOYEE_PASSWORD


@dataclass
class Screens:
    """Named pages of a test and a screenshot of each at every step."""

    directory: Path
    pages: dict[str, Page] = field(default_factory=dict)
    counter: int = 0
    #: uncaught exceptions thrown by page scripts, as "<page>: <error>"
    errors: list[str] = field(default_factory=list)

    def add(self, name: str, page: Page) -> Page:
        self.pages[name] = page
        page.on("pageerror", lambda error: self.errors.append(f"{name}: {error}"))
        return page

    def step(self, label: str) -> None:
        """Screenshot every open page as ``<nn>-<label>-<page>.png``."""
        self.counter += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        for name, page in self.pages.items():
            if page.is_closed():
                continue
            path = self.directory / f"{self.counter:02d}-{slug}-{name}.png"
            try:
                page.screenshot(path=str(path), full_page=True)
            except Exception as exc:  # a screenshot must never hide the real failure
                print(f"screenshot {path.name} failed: {exc}", file=sys.stderr)


def axe_violations(page: Page) -> list[str]:
    """Serious and critical accessibility violations axe-core finds on the page (WCAG 2.x AA)."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run `npm ci` in web/ (nox -s tests does it)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Run through the DevTools protocol: a <script> tag would be an inline script, which
        # the server's Content-Security-Policy rightly blocks.
        page.evaluate("() => {" + AXE_SCRIPT.read_text() + "\n}")
    found: list[dict[str, object]] = page.evaluate(
        """async () => {
          const result = await window.axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
          });
          return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}));
        }"""
    )
    return [f"{v['id']}: {v['help']} at {v['nodes']}" for v in found]


def _find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _server_command() -> list[str]:
    beside_python = Path(sys.executable).with_name("support-server")
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which("support-server")
    if found:
        return [found]
    return [sys.executable, "-m", "support_server.cli"]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Remember each phase's report on the item so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The system Chromium; fail on CI, skip loudly elsewhere, when there is none."""
    path = _find_chromium()
    if path is None:
        reason = (
            "Chromium not found (looked for /usr/bin/chromium and chromium on PATH): "
            "install it (`apt-get install chromium`) to run the browser end-to-end tests"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(f"!!! SKIPPING BROWSER E2E TESTS !!! {reason}")
    return path


class ServerProcess:
    """``support-server`` as a subprocess on one port and data directory, exactly as a user runs
    it; it can be stopped (SIGTERM) and started again on the same port with the same data.

    Several processes of one cluster share a data directory: each gets its own ``name`` (for
    its log) and the same ``settings`` (``SUPPORT_*`` values by lower-case name, such as
    ``redis_url``). With ``fake_ocr`` the process reads cards with
    :func:`support_server.testing.fake_reader_factory` instead of loading the model.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        name: str = "server",
        settings: dict[str, str] | None = None,
        fake_ocr: bool = False,
    ) -> None:
        for dist in (USER_DIST, EMPLOYEE_DIST):
            if not (dist / "index.html").exists():
                pytest.fail(
                    f"{dist / 'index.html'} is missing: run `npm run build` in web/ "
                    "(nox -s tests does it)"
                )
        self.data_dir = data_dir
        self.log_path = data_dir / f"{name}.log"
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "SUPPORT_DATA_DIR": str(data_dir),
            "SUPPORT_USER_UI_DIR": str(USER_DIST),
            "SUPPORT_EMPLOYEE_UI_DIR": str(EMPLOYEE_DIST),
            # every test browser connects from 127.0.0.1
            "SUPPORT_JOINS_PER_ADDRESS_PER_MIN": "1000",
            "SUPPORT_MAX_CUSTOMER_SOCKETS_PER_ADDRESS": "1000",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.update({f"SUPPORT_{k.upper()}": v for k, v in (settings or {}).items()})
        self.command = [sys.executable, "-c", FAKE_OCR_MAIN] if fake_ocr else _server_command()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def live(self) -> LiveServer:
        """What the tests need to know of the server."""
        return LiveServer(self.base_url, EMPLOYEE_NAME, EMPLOYEE_PASSWORD, self.log_path)

    def add_employees(self) -> None:
        """Create the two employee accounts the tests log in with."""
        for name, password in (
            (EMPLOYEE_NAME, EMPLOYEE_PASSWORD),
            (SECOND_EMPLOYEE_NAME, SECOND_EMPLOYEE_PASSWORD),
        ):
            added = subprocess.run(
                [*self.command, "employee", "add", name, "--password-stdin"],
                input=f"{password}\n",
                capture_output=True,
                text=True,
                env=self.env,
                timeout=60,
                check=False,
            )
            if added.returncode != 0:
                pytest.fail(
                    f"`support-server employee add` failed:\n{added.stdout}\n{added.stderr}"
                )

    def start(self, *, ready_path: str = "/readyz") -> None:
        """Start the server and wait until ``ready_path`` answers 200 (``/readyz``: OCR warm)."""
        with self.log_path.open("ab") as log:
            process = subprocess.Popen(
                [*self.command, "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
            )
        self._process = process
        deadline = time.monotonic() + READY_TIMEOUT_S
        while _status(f"{self.base_url}{ready_path}") != 200:
            if process.poll() is not None:
                pytest.fail(
                    f"support-server exited with {process.returncode}:\n{_tail(self.log_path)}"
                )
            if time.monotonic() > deadline:
                pytest.fail(
                    f"support-server not ready after {READY_TIMEOUT_S:.0f} s:\n"
                    f"{_tail(self.log_path)}"
                )
            time.sleep(0.25)

    def stop(self) -> None:
        """Stop the server as an operator would (SIGTERM), killing it if it hangs."""
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.fixture(scope="module")
def server_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The real ``support-server`` on a free port, with two employee accounts, once ready."""
    server = ServerProcess(tmp_path_factory.mktemp("support-data"))
    server.add_employees()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def live_server(server_process: ServerProcess) -> LiveServer:
    """The running server as the tests address it."""
    return server_process.live


@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    """One Playwright driver per test module.

    Module scope, not session: the sync API keeps an asyncio loop running in this thread while
    it lives, which would break every later async test (pytest-asyncio) in the same run.
    """
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright, chromium_path: str) -> Iterator[Browser]:
    """Headless system Chromium with a fake camera and microphone that need no prompt."""
    instance = playwright_instance.chromium.launch(
        executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS
    )
    yield instance
    instance.close()


@pytest.fixture
def new_context(browser: Browser, live_server: LiveServer) -> Iterator[ContextFactory]:
    """Factory of isolated browser contexts (own cookies: one per person) on the server."""
    contexts: list[BrowserContext] = []

    def make(width: int = 1280, height: int = 800) -> BrowserContext:
        context = browser.new_context(
            base_url=live_server.base_url,
            viewport={"width": width, "height": height},
            permissions=["camera", "microphone"],
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screens(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Screens]:
    """Step screenshots, copied to ``test-artifacts/e2e/<test>/`` when the test fails."""
    shots = Screens(tmp_path / "screens")
    shots.directory.mkdir()
    yield shots
    failed = getattr(request.node, "report_call", None)
    failed = failed is not None and failed.failed
    if failed:
        shots.step("failure")
    if failed or os.environ.get("E2E_KEEP_SCREENSHOTS") == "1":
        target = ARTIFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(shots.directory, target)
