"""The support-server command: employee accounts and the first-start admin account."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

import pytest
from postgres_server import PostgresServer

from support_server import AccountStore, Settings
from support_server.cli import ensure_first_account, main
from support_server.db import create_engine, head_revision

T = TypeVar("T")


def with_store(settings: Settings, use: Callable[[AccountStore], Coroutine[Any, Any, T]]) -> T:
    """Run ``use`` on the account store of ``settings`` (as a server would see it)."""

    async def run() -> T:
        engine = create_engine(settings.effective_database_url)
        try:
            return await use(AccountStore(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SUPPORT_DATA_DIR", str(tmp_path))
    return tmp_path


def test_employee_add_list_passwd_remove(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Accounts can be created with --password-stdin, listed, re-keyed and removed."""
    monkeypatch.setattr("sys.stdin", io.StringIO("first password\n"))
    assert main(["employee", "add", "priya", "--password-stdin"]) == 0
    settings = Settings(data_dir=data_dir)
    assert with_store(settings, lambda s: s.authenticate("priya", "first password"))
    assert main(["employee", "list"]) == 0
    assert "priya\te_" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("second password\n"))
    assert main(["employee", "passwd", "priya", "--password-stdin"]) == 0
    assert not with_store(settings, lambda s: s.authenticate("priya", "first password"))
    assert with_store(settings, lambda s: s.authenticate("priya", "second password"))
    assert main(["employee", "remove", "priya"]) == 0
    assert with_store(settings, lambda s: s.list()) == []


def test_duplicate_and_bad_names_are_refused(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second account with the same name, or a malformed name, fails with a message."""
    monkeypatch.setattr("sys.stdin", io.StringIO("pw one two three\n"))
    assert main(["employee", "add", "priya", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("pw one two three\n"))
    assert main(["employee", "add", "PRIYA", "--password-stdin"]) == 1
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("pw one two three\n"))
    assert main(["employee", "add", "bad name!", "--password-stdin"]) == 1
    assert "invalid employee name" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["employee", "add", "empty", "--password-stdin"]) == 1


@pytest.mark.parametrize("action", ["add", "passwd"])
def test_short_passwords_are_refused(
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    action: str,
) -> None:
    """Employees see identity documents: a password under 12 characters is refused."""
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough pass\n"))
    assert main(["employee", "add", "priya", "--password-stdin"]) == 0
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO("elevenchars\n"))
    assert (
        main(["employee", action, "priya" if action == "passwd" else "ravi", "--password-stdin"])
        == 1
    )
    assert "at least 12 characters (it has 11)" in capsys.readouterr().err
    settings = Settings(data_dir=data_dir)
    assert with_store(settings, lambda s: s.authenticate("priya", "a long enough pass"))
    assert [e.name for e in with_store(settings, lambda s: s.list())] == ["priya"]


def test_first_start_creates_admin_once(tmp_path: Path) -> None:
    """With no accounts an admin with a random password is created, and only once."""
    settings = Settings(data_dir=tmp_path)
    password = asyncio.run(ensure_first_account(settings))
    assert password is not None
    assert len(password) >= 12
    assert with_store(settings, lambda s: s.authenticate("admin", password))
    assert asyncio.run(ensure_first_account(settings)) is None


def test_bad_setting_exits_with_a_message(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad SUPPORT_* value stops the command with status 2 and names the variable."""
    monkeypatch.setenv("SUPPORT_PORT", "http")
    assert main(["employee", "list"]) == 2
    assert "SUPPORT_PORT" in capsys.readouterr().err


def test_accounts_on_postgresql(
    postgres: PostgresServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With SUPPORT_DATABASE_URL the commands migrate and manage the accounts in PostgreSQL."""
    url = postgres.new_database()
    monkeypatch.setenv("SUPPORT_DATABASE_URL", url)
    assert main(["db", "current"]) == 0
    assert "postgresql database at revision none" in capsys.readouterr().out
    assert main(["db", "upgrade"]) == 0
    assert f"revision {head_revision()} (up to date)" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("first password\n"))
    assert main(["employee", "add", "priya", "--password-stdin"]) == 0
    assert main(["employee", "list"]) == 0
    assert "priya\te_" in capsys.readouterr().out
    settings = Settings(database_url=url)
    assert with_store(settings, lambda s: s.authenticate("priya", "first password"))


def test_unreachable_database_exits_with_a_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database nobody answers for stops the command with status 1 and says so."""
    monkeypatch.setenv("SUPPORT_DATABASE_URL", "postgresql://desk@127.0.0.1:9/none")
    assert main(["employee", "list"]) == 1
    assert "cannot use the database" in capsys.readouterr().err
