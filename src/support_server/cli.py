"""The ``support-server`` command: run the server, manage employee accounts.

::

    support-server [--host H] [--port P]            run (one server process)
    support-server employee add NAME [--display-name "Priya S."] [--password-stdin]
    support-server employee rename NAME "Priya S."  set the name customers see
    support-server employee passwd NAME [--password-stdin]
    support-server employee list
    support-server employee remove NAME
    support-server db upgrade                       migrate the database (also done on start)
    support-server db current                       show the database's schema revision
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import getpass
import secrets
import sys
import time
from collections.abc import AsyncIterator, Sequence

from ._accounts import AccountError, AccountStore
from ._logging import configure_logging
from ._ocr import ReaderFactory, default_reader_factory
from ._protocol import DeadlineProtocol
from ._settings import Settings, SettingsError
from .db import DatabaseError, create_engine, current_revision, head_revision, upgrade

__all__ = ["main"]

GC_THRESHOLDS = (50_000, 20, 10)
"""The cyclic GC's generation thresholds in a server process (CPython's are 700, 10, 10).

Every socket is a few hundred objects that live as long as it does. With CPython's thresholds,
objects that live a few milliseconds (queued frames, pending pings, position updates) are
promoted to the oldest generation under load, and a full collection follows every few seconds:
at 10,000 sockets each one stopped the server for 1-2 s. With these, short-lived objects die
young, full collections are rare, and a young collection takes milliseconds.
"""


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
    add.add_argument("name", help="login name (customers never see it)")
    add.add_argument(
        "--display-name",
        help="the name customers see in a call (default: 'Support agent' until renamed)",
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin's first line"
    )
    rename = actions.add_parser("rename", help="set the name customers see in a call")
    rename.add_argument("name", help="login name")
    rename.add_argument("display_name", help='for example "Priya S."')
    passwd = actions.add_parser("passwd", help="set an employee's password (ends their sessions)")
    passwd.add_argument("name")
    passwd.add_argument("--password-stdin", action="store_true")
    actions.add_parser("list", help="list employee accounts")
    remove = actions.add_parser("remove", help="delete an employee account")
    remove.add_argument("name")
    db = commands.add_parser("db", help="manage the database (SUPPORT_DATABASE_URL)")
    db_actions = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    db_actions.add_parser("upgrade", help="migrate the database to the newest schema")
    db_actions.add_parser("current", help="show the database's schema revision")
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat password: ") != password:
            raise AccountError("the passwords do not match")
    return password


@contextlib.asynccontextmanager
async def _accounts(settings: Settings) -> AsyncIterator[AccountStore]:
    """The account store on the migrated database of ``settings``."""
    engine = create_engine(settings.effective_database_url)
    try:
        await upgrade(engine)
        yield AccountStore(engine)
    finally:
        await engine.dispose()


async def _employee_command(args: argparse.Namespace, settings: Settings) -> int:
    async with _accounts(settings) as store:
        if args.action == "add":
            password = _read_password(args.password_stdin)
            employee = await store.add(
                args.name, password, now=time.time(), display_name=args.display_name
            )
            print(f"created employee {employee.name} ({employee.id})")
            if employee.display_name is None:
                print(
                    f"customers will see '{employee.shown_name}' until you set a display name "
                    f'with `support-server employee rename {employee.name} "..."`'
                )
        elif args.action == "rename":
            shown = await store.rename(args.name, args.display_name)
            print(f"customers now see {args.name} as {shown!r}")
        elif args.action == "passwd":
            await store.set_password(args.name, _read_password(args.password_stdin))
            print(f"password changed for {args.name}")
        elif args.action == "list":
            for employee in await store.list():
                print(f"{employee.name}\t{employee.id}\t{employee.display_name or '-'}")
        elif args.action == "remove":
            await store.remove(args.name)
            print(f"removed employee {args.name}")
    return 0


async def _db_command(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_engine(settings.effective_database_url)
    try:
        if args.action == "upgrade":
            await upgrade(engine)
        revision = await current_revision(engine)
    finally:
        await engine.dispose()
    head = head_revision()
    state = "up to date" if revision == head else f"newest is {head}"
    print(f"{engine.dialect.name} database at revision {revision or 'none'} ({state})")
    return 0


async def ensure_first_account(settings: Settings) -> str | None:
    """Create ``admin`` with a random password if there are no accounts; return the password."""
    async with _accounts(settings) as store:
        if await store.count():
            return None
        password = secrets.token_urlsafe(12)
        await store.add("admin", password, now=time.time())
        return password


def _serve(settings: Settings, reader_factory: ReaderFactory) -> int:
    from ._app import create_app

    configure_logging(settings.log_level_number, settings.log_format)
    password = asyncio.run(ensure_first_account(settings))
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
    # Everything imported so far lives as long as the process: keep the cyclic GC from walking
    # it again and again (shorter pauses, and an exit in a moment instead of a full collection).
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
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
        if args.command == "employee":
            return asyncio.run(_employee_command(args, settings))
        if args.command == "db":
            return asyncio.run(_db_command(args, settings))
        return _serve(settings, reader_factory)
    except (AccountError, DatabaseError) as exc:
        print(f"support-server: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
