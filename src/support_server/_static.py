"""Hosting the two built UIs: ``web/user`` at ``/`` and ``web/employee`` at ``/employee/``.

Files are served from the build directories; any other path without a file falls back to the
app's ``index.html`` (client-side routing). Hashed files under ``assets/`` are cached for a
year, ``index.html`` is revalidated every time. A UI that is not built answers a readable page
saying so (503), not a bare 404.
"""

from __future__ import annotations

import html
import mimetypes
from pathlib import Path

from sanic import Blueprint, HTTPResponse
from sanic.response import file, redirect
from sanic.response import html as html_response

from ._context import AppRequest
from ._http import error_response

__all__ = ["IMMUTABLE", "REVALIDATE", "static_blueprint"]

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_RESERVED = ("api/", "ws/")

static_blueprint = Blueprint("static", strict_slashes=True)


def _not_built(label: str, directory: Path) -> HTTPResponse:
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{label} not built</title></head>
<body>
<h1>The {label} is not built yet</h1>
<p>The server looked for it in <code>{html.escape(str(directory))}</code> and found no
<code>index.html</code>.</p>
<p>Build the web apps with <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>
(or run <code>nox -s serve</code>), or point <code>SUPPORT_USER_UI_DIR</code> /
<code>SUPPORT_EMPLOYEE_UI_DIR</code> at the build.</p>
</body></html>"""
    return html_response(body, status=503, headers={"Cache-Control": "no-store"})


async def _serve(root: Path, label: str, path: str) -> HTTPResponse:
    index = root / "index.html"
    if not index.is_file():
        return _not_built(label, root)
    root = root.resolve()
    if path:
        target = (root / path).resolve()
        if target.is_relative_to(root) and target.is_file():
            cache = IMMUTABLE if path.startswith("assets/") else REVALIDATE
            mime, _ = mimetypes.guess_type(target.name)
            return await file(
                target,
                mime_type=mime or "application/octet-stream",
                headers={"cache-control": cache},
            )
        if path.startswith("assets/"):
            return error_response(404, "not_found", "No such asset.")
    return await file(
        root / "index.html",
        mime_type="text/html; charset=utf-8",
        headers={"cache-control": REVALIDATE},
    )


@static_blueprint.get("/employee")
async def employee_root(request: AppRequest) -> HTTPResponse:
    """Redirect to the employee app's canonical URL (with the trailing slash)."""
    return redirect("/employee/")


@static_blueprint.get("/employee/")
async def employee_index(request: AppRequest) -> HTTPResponse:
    """The employee app."""
    return await _serve(request.app.ctx.settings.employee_ui_dir, "employee app", "")


@static_blueprint.get("/employee/<path:path>")
async def employee_files(request: AppRequest, path: str) -> HTTPResponse:
    """The employee app's files, with SPA fallback."""
    return await _serve(request.app.ctx.settings.employee_ui_dir, "employee app", path)


@static_blueprint.get("/")
async def user_index(request: AppRequest) -> HTTPResponse:
    """The customer app."""
    return await _serve(request.app.ctx.settings.user_ui_dir, "customer app", "")


@static_blueprint.get("/<path:path>")
async def user_files(request: AppRequest, path: str) -> HTTPResponse:
    """The customer app's files, with SPA fallback; unknown API paths are JSON 404s."""
    if path.startswith(_RESERVED) or path in ("api", "ws"):
        return error_response(404, "not_found", f"No such endpoint: /{path}")
    return await _serve(request.app.ctx.settings.user_ui_dir, "customer app", path)
