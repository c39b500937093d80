"""Every workflow of the project is a nox session: `nox -l` lists them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
WEB = ROOT / "web"
PYTHON = "3.11"


def _install_project(session: nox.Session, *extras: str) -> None:
    """Install the project (editable) with the given extras into the session's venv."""
    spec = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", spec)


def _build_web(session: nox.Session) -> None:
    """Install the npm workspaces and build both UIs into web/*/dist."""
    npm = shutil.which("npm")
    if npm is None:
        session.error("npm not found: install Node >= 20 to build the web apps")
    with session.chdir(WEB):
        session.run(npm, "ci", "--no-audit", "--no-fund", external=True)
        session.run(npm, "run", "build", external=True)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the whole suite: web unit tests, then pytest (unit, real model, server, browser e2e)."""
    _install_project(session, "server", "test")
    _build_web(session)
    with session.chdir(WEB):
        session.run("npm", "test", external=True)
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check Python style and common bugs with ruff (the web apps are checked by `web`)."""
    session.install("ruff>=0.8")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """Type-check src, benchmarks and each test suite with mypy --strict."""
    _install_project(session, "server", "test", "dev")
    session.run("mypy", "src", "benchmarks")
    # Each suite is its own root of plain modules (conftest.py, helpers), so check them apart.
    suites = (p for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name[0] not in "_.")
    for suite in sorted(suites):
        session.run("mypy", str(suite.relative_to(ROOT)))


@nox.session(python=PYTHON)
def web(session: nox.Session) -> None:
    """Install, build, type-check, format-check (Prettier) and unit-test (Vitest) both web apps."""
    _build_web(session)
    with session.chdir(WEB):
        session.run("npm", "run", "typecheck", external=True)
        session.run("npm", "run", "format:check", external=True)
        session.run("npm", "test", external=True)


@nox.session(python=PYTHON)
def migration(session: nox.Session) -> None:
    """Draft the next database migration from the models: nox -s migration -- "what changed"."""
    if len(session.posargs) != 1:
        session.error('say what changed: nox -s migration -- "session records"')
    _install_project(session, "server")
    session.run("python", "-m", "support_server.db", *session.posargs)


@nox.session(python=PYTHON)
def e2e(session: nox.Session) -> None:
    """Build the UIs and run only the browser end-to-end tests in headless Chromium."""
    _install_project(session, "server", "test")
    _build_web(session)
    session.run("pytest", "tests/e2e", *session.posargs)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Run the benchmarks (accuracy, speed, signaling); each prints a table and a summary line."""
    _install_project(session, "server", "test")
    for script in ("accuracy.py", "speed.py", "signaling.py"):
        session.run("python", f"benchmarks/{script}", *session.posargs)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Build both UIs and run the whole app (signaling, OCR, both UIs) on one port."""
    _install_project(session, "server")
    _build_web(session)
    env = {"SUPPORT_DATA_DIR": os.environ.get("SUPPORT_DATA_DIR", str(ROOT / "data"))}
    session.run("support-server", *session.posargs, env=env)
