"""Employee login: ``/api/auth/login``, ``/logout``, ``/me`` and request authentication."""

from __future__ import annotations

import logging
import time
from typing import Any

from sanic import Blueprint, HTTPResponse
from sanic.response import empty, json

from ._accounts import AccountStore, Employee
from ._context import AppRequest
from ._http import SESSION_COOKIE, error_response, session_token
from ._logging import LOGGER_NAME, log_event
from ._proxy import client_address, original_scheme

__all__ = ["auth_blueprint", "current_employee", "session_employee"]

logger = logging.getLogger(f"{LOGGER_NAME}.auth")
auth_blueprint = Blueprint("auth", url_prefix="/api/auth")


async def session_employee(accounts: AccountStore, token: str) -> Employee | None:
    """The employee whose live login ``token`` is, else ``None``."""
    return await accounts.employee_for_token(token, now=time.time())


async def current_employee(request: AppRequest, token: str | None = None) -> Employee | None:
    """The logged-in employee of a request (bearer header or cookie), else ``None``."""
    token = token if token is not None else session_token(request)
    if token is None:
        return None
    return await session_employee(request.app.ctx.accounts, token)


@auth_blueprint.post("/login")
async def login(request: AppRequest) -> HTTPResponse:
    """Check a username and password; answer a token and set the session cookie.

    The attempt counts against the back-off before the (slow) password check, so concurrent
    guesses cannot all get through; a right password takes it back.
    """
    ctx = request.app.ctx
    if (request.content_type or "").split(";")[0].strip().lower() != "application/json":
        return error_response(415, "unsupported_media_type", "Send the login as application/json.")
    try:
        body: Any = request.json
    except Exception:
        body = None
    if not isinstance(body, dict):
        return error_response(400, "bad_request", 'Send JSON {"username": ..., "password": ...}.')
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username:
        return error_response(400, "bad_request", "Both 'username' and 'password' are required.")
    address = client_address(request, ctx.trusted_proxies)
    shown = username[:64]  # what the logs say; a longer name is never an account
    wait = await ctx.login_throttle.attempt(shown, address)
    if wait:
        log_event(
            logger,
            logging.WARNING,
            "login_throttled",
            username=shown,
            client=address,
            retry_after=wait,
        )
        return error_response(
            429,
            "too_many_attempts",
            f"Too many failed logins: try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    employee = None
    if len(username) <= 64 and len(password) <= 1024:
        employee = await ctx.accounts.authenticate(username, password)
    if employee is None:
        log_event(logger, logging.WARNING, "login_failed", username=shown, client=address)
        return error_response(401, "invalid_credentials", "Wrong username or password.")
    await ctx.login_throttle.succeeded(shown, address)
    ttl = ctx.settings.session_ttl_s
    token = await ctx.accounts.create_session(employee, now=time.time(), ttl_s=ttl)
    log_event(logger, logging.INFO, "login_ok", employee=employee.id, client=address)
    response = json({"token": token, "employee": employee.to_dict()})
    response.add_cookie(
        SESSION_COOKIE,
        token,
        path="/",
        max_age=ttl,
        httponly=True,
        samesite="Strict",
        secure=original_scheme(request, ctx.trusted_proxies) == "https",
    )
    return response


@auth_blueprint.post("/logout")
async def logout(request: AppRequest) -> HTTPResponse:
    """End the session of the token or cookie sent (if any), and its open sockets at once, and
    clear the cookie."""
    token = session_token(request)
    if token is not None:
        await request.app.ctx.accounts.end_session(token)
        request.app.ctx.session_watch.logged_out(token)
    response = empty(status=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@auth_blueprint.get("/me")
async def me(request: AppRequest) -> HTTPResponse:
    """The logged-in employee, or 401."""
    employee = await current_employee(request)
    if employee is None:
        return error_response(401, "unauthorized", "Log in first.")
    return json({"employee": employee.to_dict()})
