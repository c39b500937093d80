"""Login and cross-site defences against a real server: back-off, proxies, cookies, Origin."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from live_server import PASSWORD, Live, ServerFactory, long_lockouts

PROXY = {"trusted_proxies": ("127.0.0.1/32",)}
EVIL = "https://evil.example"


async def login(
    http: httpx.AsyncClient, password: str, *, client: str | None = None, **headers: str
) -> httpx.Response:
    if client is not None:
        headers["X-Forwarded-For"] = client
    return await http.post(
        "/api/auth/login", json={"username": "priya", "password": password}, headers=headers
    )


async def test_concurrent_wrong_passwords_cannot_race_the_back_off(live: Live) -> None:
    """20 wrong passwords at once: only the allowed few are checked, the rest get 429."""
    long_lockouts(live)
    await live.add_employee("priya")
    async with live.http() as http:
        answers = await asyncio.gather(*(login(http, f"wrong {i}") for i in range(20)))
    statuses = [a.status_code for a in answers]
    assert statuses.count(401) == 3
    assert statuses.count(429) == 17


async def test_a_stranger_cannot_lock_an_employee_out(start_server: ServerFactory) -> None:
    """Wrong passwords from one address behind the trusted proxy do not lock out another."""
    live = await start_server(**PROXY)
    long_lockouts(live)
    await live.add_employee("priya")
    async with live.http() as http:
        for _ in range(3):
            assert (await login(http, "guess", client="203.0.113.9")).status_code == 401
        assert (await login(http, PASSWORD, client="203.0.113.9")).status_code == 429
        assert (await login(http, PASSWORD, client="198.51.100.7")).status_code == 200


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(live: Live) -> None:
    """Without a trusted proxy, a new X-Forwarded-For per guess does not buy fresh attempts."""
    long_lockouts(live)
    await live.add_employee("priya")
    async with live.http() as http:
        statuses = [
            (await login(http, "guess", client=f"203.0.113.{i}")).status_code for i in range(5)
        ]
    assert statuses == [401, 401, 401, 429, 429]


async def test_guesses_spread_over_addresses_hit_the_account_backstop(
    start_server: ServerFactory,
) -> None:
    """Past the per-account limit every address backs off, whatever each one did."""
    live = await start_server(**PROXY)
    long_lockouts(live, account_max_failures=5)
    await live.add_employee("priya")
    async with live.http() as http:
        for i in range(5):
            assert (await login(http, "guess", client=f"203.0.113.{i}")).status_code == 401
        late = await login(http, PASSWORD, client="198.51.100.7")
    assert late.status_code == 429
    assert late.json()["error"]["code"] == "too_many_attempts"


@pytest.mark.parametrize(
    ("proxies", "secure"), [(("127.0.0.1/32",), True), ((), False)], ids=["trusted", "untrusted"]
)
async def test_cookie_is_secure_behind_a_tls_proxy(
    start_server: ServerFactory, proxies: tuple[str, ...], secure: bool
) -> None:
    """X-Forwarded-Proto: https from a trusted proxy makes the cookie Secure, from others not."""
    live = await start_server(trusted_proxies=proxies)
    await live.add_employee("priya")
    async with live.http() as http:
        response = await login(http, PASSWORD, **{"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert ("Secure" in response.headers["set-cookie"]) is secure


async def test_a_cross_site_form_cannot_log_a_browser_in(live: Live) -> None:
    """A form post from another site (text/plain, foreign Origin) is refused, not logged in."""
    await live.add_employee("priya")
    form = f'{{"username": "priya", "password": "{PASSWORD}", "x": "'
    async with live.http() as http:
        cross = await http.post(
            "/api/auth/login",
            content=form + '"}',
            headers={"Content-Type": "text/plain", "Origin": EVIL},
        )
        assert cross.status_code == 403
        assert cross.json()["error"]["code"] == "origin_not_allowed"
        assert "set-cookie" not in cross.headers
        plain = await http.post(
            "/api/auth/login", content=form + '"}', headers={"Content-Type": "text/plain"}
        )
        assert plain.status_code == 415
        assert plain.json()["error"]["code"] == "unsupported_media_type"
        json_cross = await login(http, PASSWORD, Origin=EVIL)
        assert json_cross.status_code == 403
        same = await login(http, PASSWORD, Origin=live.base)
        assert same.status_code == 200


async def test_other_state_changing_requests_refuse_foreign_origins(live: Live) -> None:
    """Logout and the upload refuse another site's Origin; the session survives."""
    await live.add_employee("priya")
    token = await live.login("priya")
    auth = {"Authorization": f"Bearer {token}"}
    async with live.http() as http:
        logout = await http.post("/api/auth/logout", headers={**auth, "Origin": EVIL})
        assert logout.status_code == 403
        upload = await http.post(
            "/api/pan/extract",
            files={"image": ("card.jpg", b"\xff\xd8\xff", "image/jpeg")},
            headers={**auth, "Origin": EVIL},
        )
        assert upload.status_code == 403
        assert upload.json()["error"]["code"] == "origin_not_allowed"
        assert (await http.get("/api/auth/me", headers=auth)).status_code == 200


async def test_failed_login_is_logged_with_name_and_address(
    start_server: ServerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """login_failed names the username and client address, never the password."""
    live = await start_server(**PROXY)
    await live.add_employee("priya")
    caplog.set_level(logging.INFO, logger="support_server")
    async with live.http() as http:
        await login(http, "hunter2-secret", client="203.0.113.9")
    line = next(r.getMessage() for r in caplog.records if "event=login_failed" in r.getMessage())
    assert "username=priya" in line
    assert "client=203.0.113.9" in line
    assert "hunter2" not in caplog.text


async def test_client_address_skips_only_trusted_hops(
    start_server: ServerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Through a chain of trusted proxies the client is the last untrusted hop, not a forgery."""
    live = await start_server(trusted_proxies=("127.0.0.1/32", "10.0.0.0/8"))
    await live.add_employee("priya")
    caplog.set_level(logging.INFO, logger="support_server")
    async with live.http() as http:
        await login(http, "guess", client="6.6.6.6, 198.51.100.7, 10.0.0.2")
    line = next(r.getMessage() for r in caplog.records if "event=login_failed" in r.getMessage())
    assert "client=198.51.100.7" in line
