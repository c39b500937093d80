"""Smaller holes closed: page headers, private data files, an audit line per image view."""

from __future__ import annotations

import logging
import ssl
import stat
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from live_server import PASSWORD, Live, ServerFactory, make_settings
from test_pan_api import JPEG, employee_in_call, joined, upload, wait_ready

from support_server import create_app
from support_server.cli import main
from support_server.testing import fake_reader_factory, running_server


def write_ui(live: Live) -> None:
    """Give both UI directories an index.html, as a build would."""
    settings = live.app.ctx.settings
    for directory in (settings.user_ui_dir, settings.employee_ui_dir):
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "index.html").write_text("<!doctype html><title>app</title>")


async def test_pages_carry_a_csp_and_a_permissions_policy(live: Live) -> None:
    """Both apps' pages forbid inline script and limit camera and microphone to themselves."""
    write_ui(live)
    async with live.http() as http:
        for path in ("/", "/employee/"):
            page = await http.get(path)
            assert page.status_code == 200
            csp = page.headers["content-security-policy"]
            directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
            assert directives["script-src"] == "'self'"
            assert "unsafe-inline" not in csp
            assert "unsafe-eval" not in csp
            assert directives["frame-ancestors"] == "'none'"
            assert "'self'" in directives["connect-src"]
            policy = page.headers["permissions-policy"]
            assert "camera=(self)" in policy
            assert "microphone=(self)" in policy
            assert "strict-transport-security" not in page.headers


@pytest.mark.parametrize(
    ("proxies", "hsts"), [(("127.0.0.1/32",), True), ((), False)], ids=["trusted", "untrusted"]
)
async def test_hsts_when_the_browser_used_https(
    start_server: ServerFactory, proxies: tuple[str, ...], hsts: bool
) -> None:
    """HSTS is sent when a trusted proxy says the browser used HTTPS, and not on a client's say."""
    live = await start_server(trusted_proxies=proxies)
    write_ui(live)
    async with live.http() as http:
        page = await http.get("/", headers={"X-Forwarded-Proto": "https"})
    assert ("strict-transport-security" in page.headers) is hsts


async def test_direct_https_gets_a_secure_cookie_and_hsts(tmp_path: Path) -> None:
    """Served over TLS itself, the server sets a Secure cookie and HSTS."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    app = create_app(make_settings(tmp_path), reader_factory=fake_reader_factory, name="tls")
    async with running_server(app, ssl=context) as base:
        assert base.startswith("https://")
        await app.ctx.accounts.add("priya", PASSWORD, now=time.time())
        async with httpx.AsyncClient(base_url=base, verify=False) as http:
            response = await http.post(
                "/api/auth/login", json={"username": "priya", "password": PASSWORD}
            )
    assert response.status_code == 200
    assert "Secure" in response.headers["set-cookie"]
    assert response.headers["strict-transport-security"] == "max-age=31536000"


def test_data_directory_and_database_are_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """support-server creates the data directory 0700 and the SQLite file 0600."""
    data = tmp_path / "fresh" / "data"
    monkeypatch.setenv("SUPPORT_DATA_DIR", str(data))
    assert main(["employee", "list"]) == 0
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    databases = list(data.glob("*.sqlite3"))
    assert databases
    for database in databases:
        assert stat.S_IMODE(database.stat().st_mode) == 0o600


async def test_result_views_are_logged_without_pan_or_name(
    live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    """pan_result_viewed names the employee shown a result and its customer, nothing more."""
    caplog.set_level(logging.INFO, logger="support_server")
    await wait_ready(live)
    _, cid, token = await joined(live)
    assert (await upload(live, JPEG, token)).status_code == 200
    assert "event=pan_result_viewed" not in caplog.text  # nobody has seen it yet
    employee = await employee_in_call(live, cid)
    await employee.expect("pan_result")
    [line] = [r.getMessage() for r in caplog.records if "event=pan_result_viewed" in r.getMessage()]
    assert f"customer={cid}" in line
    assert "employee=e_" in line
    assert "ABCP" not in line


async def test_image_views_are_logged_without_pan_or_name(
    live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    """pan_image_viewed names the employee and the customer, never the PAN or the name."""
    caplog.set_level(logging.INFO, logger="support_server")
    await wait_ready(live)
    _, cid, token = await joined(live)
    employee = await employee_in_call(live, cid)
    assert (await upload(live, JPEG, token)).status_code == 200
    url = (await employee.expect("pan_result"))["image_url"]
    priya = await live.login("priya")
    async with live.http() as http:
        assert (
            await http.get(url, headers={"Authorization": f"Bearer {priya}"})
        ).status_code == 200
    [line] = [r.getMessage() for r in caplog.records if "event=pan_image_viewed" in r.getMessage()]
    assert f"customer={cid}" in line
    assert "employee=e_" in line
    assert "ABCP" not in line
    assert "ASHA" not in line.upper()
