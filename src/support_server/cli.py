"""The ``support-server`` command: run the server, manage employee accounts.

::

    support-server [--host H] [--port P]            run (one server process)
    support-server employee add NAME [--password-stdin]
    support-server employee passwd NAME [--password-stdin]
    support-server employee list
    support-server employee remove NAME
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sys
import time
from collections.abc import Sequence

from ._accounts import AccountError, AccountStore
from ._files import prepare_private_files
from ._logging import configure_logging
from ._ocr import ReaderFactory, default_reader_factory
from ._protocol import DeadlineProtocol
from ._settings import Settings, SettingsError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="support-server",
        description="PAN support desk server: signaling, PAN API, employee login, web UIs. "
        "Configured by SUPPORT_* environment variables (see the README).",
    )
    parser.add_argument("--host", help="address to listen on (overrides SUPPORT_HOST)")
    parser.add_argument("--port", type=int, help="port to listen on (overrides SUPPORT_PORT)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    employee = commands.add_parser("employee", help="manage employee accounts")
    actions = employee.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="create an employee account")
    add.add_argument("name")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin's first line"
    )
    passwd = actions.add_parser("passwd", help="set an employee's password (ends their sessions)")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    actions.add_parser("list", help="list employee accounts")
    remove = actions.add_parser("remove", help="delete an employee account")
    remove.add_argument("name")
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise AccountError("the passwords do not match")
    return password


def _employee_command(args: argparse.Namespace, settings: Settings) -> int:
    store = AccountStore(settings.db_path)
    try:
        if args.action == "add":
            employee = store.add(args.name, _read_password(args.password_stdin), now=time.time())
            print(f"created employee {employee.name} ({employee.id})")
        elif args.action == "passwd":
            store.set_password(args.name, _read_password(args.password_stdin))
            print(f"password changed for {args.name}")
        elif args.action == "list":
            for employee in store.list():
                print(f"{employee.name}\t{employee.id}")
        elif args.action == "remove":
            store.remove(args.name)
            print(f"removed employee {args.name}")
    finally:
        store.close()
    return 0


def ensure_first_account(settings: Settings) -> str | None:
    """Create ``admin`` with a random password if there are no accounts; return the password."""
    store = AccountStore(settings.db_path)
    try:
        if store.count():
            return None
        password = secrets.token_urlsafe(12)
        store.add("admin", password, now=time.time())
        return password
    finally:
        store.close()


def _serve(settings: Settings, reader_factory: ReaderFactory) -> int:
    from ._app import create_app

    configure_logging(settings.log_level_number, settings.log_format)
    password = ensure_first_account(settings)
    if password is not None:
        print(
            "\n"
            "  No employee accounts existed, so one was created:\n"
            f"      username: admin\n      password: {password}\n"
            "  This password is shown only once. Change it with "
            "`support-server employee passwd admin`.\n",
            flush=True,
        )
    app = create_app(settings, reader_factory=reader_factory)
    app.run(
        host=settings.host,
        port=settings.port,
        single_process=True,
        protocol=DeadlineProtocol,
        access_log=False,
        motd=False,
    )
    return 0


def main(
    argv: Sequence[str] | None = None, *, reader_factory: ReaderFactory = default_reader_factory
) -> int:
    """Entry point of ``support-server``; returns the exit status.

    ``reader_factory`` builds the OCR reader in each worker (tests pass a fake one).
    """
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        overrides = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
        if overrides:
            settings = settings.with_overrides(**overrides)
    except SettingsError as exc:
        print(f"support-server: {exc}", file=sys.stderr)
        return 2
    for name in Settings.unknown_env_vars():
        print(f"support-server: warning: unknown setting {name} is ignored", file=sys.stderr)
    try:
        prepare_private_files(settings.data_dir, settings.db_path)
        if args.command == "employee":
            return _employee_command(args, settings)
        return _serve(settings, reader_factory)
    except AccountError as exc:
        print(f"support-server: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
