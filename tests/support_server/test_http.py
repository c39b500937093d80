"""HTTP tests against a real server: employee login, static hosting, health."""

from __future__ import annotations

import asyncio
from pathlib import Path

from live_server import PASSWORD, Live, ServerFactory, long_lockouts
from postgres_server import PostgresServer

from support_server.testing import slow_warm_reader_factory


async def test_login_sets_cookie_and_me_works(live: Live) -> None:
    """A good login returns a token and an HttpOnly SameSite=Strict cookie accepted by /me."""
    await live.add_employee("priya")
    async with live.http() as http:
        response = await http.post(
            "/api/auth/login", json={"username": "priya", "password": PASSWORD}
        )
        assert response.status_code == 200
        body = response.json()
        assert body["employee"]["name"] == "priya"
        assert body["employee"]["id"].startswith("e_")
        cookie = response.headers["set-cookie"]
        assert f"support_session={body['token']}" in cookie
        assert "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie
        me = await http.get("/api/auth/me")
        assert me.status_code == 200
        assert me.json() == {"employee": body["employee"]}
    async with live.http() as fresh:
        bearer = await fresh.get(
            "/api/auth/me", headers={"Authorization": f"Bearer {body['token']}"}
        )
        assert bearer.status_code == 200


async def test_servers_on_postgresql_share_accounts_and_logins(
    start_server: ServerFactory, postgres: PostgresServer
) -> None:
    """Two servers on one PostgreSQL URL: an account made on one logs in and connects on both."""
    url = postgres.new_database()
    first = await start_server(database_url=url)
    second = await start_server(database_url=url)
    employee = await first.employee("priya")
    await employee.close()
    token = await second.login("priya")
    async with first.http() as http:
        me = await http.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["employee"]["name"] == "priya"


async def test_logout_ends_the_session(live: Live) -> None:
    """After logout the token no longer works."""
    await live.add_employee("priya")
    token = await live.login("priya")
    auth = {"Authorization": f"Bearer {token}"}
    async with live.http() as http:
        assert (await http.post("/api/auth/logout", headers=auth)).status_code == 204
        me = await http.get("/api/auth/me", headers=auth)
    assert me.status_code == 401
    assert me.json() == {"error": {"code": "unauthorized", "message": "Log in first."}}


async def test_bad_password_and_unknown_user(live: Live) -> None:
    """Wrong pairs answer 401 invalid_credentials; a malformed body answers 400."""
    await live.add_employee("priya")
    async with live.http() as http:
        for username in ("priya", "nobody"):
            response = await http.post(
                "/api/auth/login", json={"username": username, "password": "wrong"}
            )
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "invalid_credentials"
        broken = await http.post(
            "/api/auth/login",
            content=b"{not json",
            headers={"Content-Type": "application/json"},
        )
        assert broken.status_code == 400


async def test_failed_logins_are_throttled(live: Live) -> None:
    """After repeated failures even the right password gets 429 with Retry-After."""
    long_lockouts(live)
    await live.add_employee("priya")
    async with live.http() as http:
        for _ in range(3):
            response = await http.post(
                "/api/auth/login", json={"username": "priya", "password": "wrong"}
            )
            assert response.status_code == 401
        locked = await http.post(
            "/api/auth/login", json={"username": "priya", "password": PASSWORD}
        )
    assert locked.status_code == 429
    assert locked.json()["error"]["code"] == "too_many_attempts"
    assert int(locked.headers["retry-after"]) >= 1


async def test_me_without_login(live: Live) -> None:
    """/api/auth/me without a login is 401."""
    async with live.http() as http:
        assert (await http.get("/api/auth/me")).status_code == 401


def build_ui(root: Path, title: str) -> None:
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(f"<!doctype html><title>{title}</title>")
    (root / "assets" / "index-3f9a1c.js").write_text("console.log('hi')")
    (root / "favicon.svg").write_text("<svg/>")


async def test_static_hosting_with_spa_fallback_and_cache_headers(
    tmp_path: Path, start_server: ServerFactory
) -> None:
    """Both UIs are served with SPA fallback, immutable hashed assets and no-cache index."""
    build_ui(tmp_path / "user", "customer")
    build_ui(tmp_path / "employee", "employee")
    live = await start_server()
    async with live.http() as http:
        root = await http.get("/")
        assert root.status_code == 200
        assert "customer" in root.text
        assert root.headers["cache-control"] == "no-cache"
        asset = await http.get("/assets/index-3f9a1c.js")
        assert asset.status_code == 200
        assert asset.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "javascript" in asset.headers["content-type"]
        deep = await http.get("/queue/somewhere")
        assert "customer" in deep.text
        assert deep.headers["cache-control"] == "no-cache"
        employee = await http.get("/employee/")
        assert "employee" in employee.text
        employee_deep = await http.get("/employee/calls/42")
        assert "employee" in employee_deep.text
        employee_asset = await http.get("/employee/assets/index-3f9a1c.js")
        assert employee_asset.headers["cache-control"].endswith("immutable")
        redirect = await http.get("/employee")
        assert redirect.status_code in (301, 302, 307, 308)
        assert redirect.headers["location"] == "/employee/"
        assert (await http.get("/assets/missing-123.js")).status_code == 404
        traversal = await http.get("/%2e%2e/%2e%2e/etc/passwd")
        assert "root:" not in traversal.text
        api = await http.get("/api/nothing")
        assert api.status_code == 404
        assert api.json()["error"]["code"] == "not_found"


async def test_missing_ui_says_so(live: Live) -> None:
    """A UI that is not built answers a readable page, not a bare 404."""
    async with live.http() as http:
        for path in ("/", "/employee/", "/some/route"):
            response = await http.get(path)
            assert response.status_code == 503
            assert "not built" in response.text
            assert "text/html" in response.headers["content-type"]


async def test_healthz_and_readyz(start_server: ServerFactory) -> None:
    """/healthz is 200 at once; /readyz is 503 while the OCR workers warm up, then 200."""
    live = await start_server(reader_factory=slow_warm_reader_factory)
    async with live.http() as http:
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        starting = await http.get("/readyz")
        assert starting.status_code == 503
        assert starting.json() == {
            "status": "starting",
            "workers": {"starting": 1, "idle": 0, "busy": 0},
        }
        for _ in range(300):
            ready = await http.get("/readyz")
            if ready.status_code == 200:
                break
            await asyncio.sleep(0.1)
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "workers": {"starting": 0, "idle": 1, "busy": 0}}
