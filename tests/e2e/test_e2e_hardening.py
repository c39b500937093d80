"""The built apps under the server's security headers: nothing blocked, no source maps.

The server runs as a subprocess with the fake card reader (``support_server.testing``), so
that the test exercises the pages, the WebSockets, the upload and the image view in a real
Chromium without loading the OCR model.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from .conftest import EMPLOYEE_DIST, REPO, USER_DIST, _free_port, _status

EMPLOYEE = "priya"
PASSWORD = "e2e-hardening-password"
CUSTOMER = "Meera Iyer"
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


@pytest.fixture(scope="module")
def fake_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real support-server with the fake reader, serving the built UIs; yields its URL."""
    data_dir = tmp_path_factory.mktemp("hardening-data")
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "SUPPORT_PORT": str(port),
        "SUPPORT_DATA_DIR": str(data_dir),
        "SUPPORT_USER_UI_DIR": str(USER_DIST),
        "SUPPORT_EMPLOYEE_UI_DIR": str(EMPLOYEE_DIST),
    }
    added = subprocess.run(
        [
            sys.executable,
            "-m",
            "support_server.cli",
            "employee",
            "add",
            EMPLOYEE,
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
        env={**env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert added.returncode == 0, added.stderr
    code = (
        "from support_server.cli import main;"
        "from support_server.testing import fake_reader_factory;"
        "raise SystemExit(main(reader_factory=fake_reader_factory))"
    )
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # a very busy shared machine starts slowly
        while _status(base + "/readyz") != 200:
            assert server.poll() is None, "the server exited"
            assert time.monotonic() < deadline, "the server never got ready"
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _page(browser: Browser, base: str, problems: list[str]) -> Page:
    context = browser.new_context(base_url=base, permissions=["camera", "microphone"])
    context.set_default_timeout(20_000)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Permissions policy" in message.text:
            problems.append(message.text)

    page.on("console", on_console)
    return page


def _card_photo(tmp_path: Path) -> Path:
    path = tmp_path / "card.jpg"
    out = io.BytesIO()
    Image.new("RGB", (640, 400), (200, 190, 170)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_apps_work_under_the_content_security_policy(
    browser: Browser, fake_server: str, tmp_path: Path
) -> None:
    """A whole call with a PAN upload and the image view runs with no CSP violation."""
    problems: list[str] = []
    customer = _page(browser, fake_server, problems)
    employee = _page(browser, fake_server, problems)
    response = customer.goto("/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    customer.get_by_label("Your name").fill(CUSTOMER)
    customer.get_by_role("button", name="Start session").click()
    expect(customer.get_by_test_id("waiting-screen")).to_be_visible()
    employee.goto("/employee/")
    employee.get_by_label("Username").fill(EMPLOYEE)
    employee.get_by_label("Password").fill(PASSWORD)
    employee.get_by_role("button", name="Log in").click()
    expect(employee.get_by_role("heading", name="Queue")).to_be_visible()
    employee.get_by_role("button", name=f"Connect to {CUSTOMER}").click()
    expect(customer.get_by_test_id("call-screen")).to_be_visible()
    expect(employee.get_by_test_id("call-screen")).to_be_visible()
    customer.get_by_test_id("pan-file-input").set_input_files(str(_card_photo(tmp_path)))
    expect(customer.get_by_label("PAN number")).to_have_value("ABCPE1234F")
    image = employee.get_by_test_id("pan-panel").get_by_role(
        "img", name=f"PAN card uploaded by {CUSTOMER}"
    )
    expect(image).to_be_visible()
    employee.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    for page in (customer, employee):
        problems.extend(page.evaluate("window.__csp"))
    assert problems == []


def test_builds_ship_no_source_maps_and_no_inline_script() -> None:
    """web/*/dist has no .map files, no sourceMappingURL and no inline <script>."""
    for dist in (USER_DIST, EMPLOYEE_DIST):
        index = (dist / "index.html").read_text()
        assert not list(dist.rglob("*.map"))
        for script in dist.rglob("*.js"):
            assert "sourceMappingURL" not in script.read_text()
        for tag in re.findall(r"<script\b[^>]*>", index):
            assert "src=" in tag, tag
