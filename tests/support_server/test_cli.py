"""The support-server command: employee accounts and the first-start admin account."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from support_server import AccountStore, Settings
from support_server.cli import ensure_first_account, main


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
    store = AccountStore(data_dir / "support.sqlite3")
    assert store.authenticate("priya", "first password") is not None
    assert main(["employee", "list"]) == 0
    assert "priya\te_" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("second password\n"))
    assert main(["employee", "passwd", "priya", "--password-stdin"]) == 0
    assert store.authenticate("priya", "first password") is None
    assert store.authenticate("priya", "second password") is not None
    assert main(["employee", "remove", "priya"]) == 0
    assert store.list() == []
    store.close()


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
    store = AccountStore(data_dir / "support.sqlite3")
    assert store.authenticate("priya", "a long enough pass") is not None
    assert [e.name for e in store.list()] == ["priya"]
    store.close()


def test_first_start_creates_admin_once(tmp_path: Path) -> None:
    """With no accounts an admin with a random password is created, and only once."""
    settings = Settings(data_dir=tmp_path)
    password = ensure_first_account(settings)
    assert password is not None
    assert len(password) >= 12
    store = AccountStore(settings.db_path)
    assert store.authenticate("admin", password) is not None
    store.close()
    assert ensure_first_account(settings) is None


def test_bad_setting_exits_with_a_message(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bad SUPPORT_* value stops the command with status 2 and names the variable."""
    monkeypatch.setenv("SUPPORT_PORT", "http")
    assert main(["employee", "list"]) == 2
    assert "SUPPORT_PORT" in capsys.readouterr().err
