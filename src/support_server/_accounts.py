"""Employee accounts and login sessions, stored through the data layer (:mod:`support_server.db`).

Passwords are hashed with the standard library's scrypt (salted, compared in constant time, in a
thread so that the event loop keeps serving); session tokens are random and only their SHA-256
is stored, with an expiry. Names are unique regardless of letter case.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from ._names import DisplayNameError, clean_display_name
from .db import EmployeeRow, LoginSessionRow

__all__ = [
    "DEFAULT_DISPLAY_NAME",
    "MIN_PASSWORD_CHARS",
    "AccountError",
    "AccountStore",
    "Employee",
    "hash_password",
    "verify_password",
]

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD_CHARS = 12
"""Shorter passwords are refused: employees see identity documents."""


class AccountError(ValueError):
    """A bad account operation (bad name, short password, duplicate, unknown)."""


DEFAULT_DISPLAY_NAME = "Support agent"
"""What customers see of an employee whose account has no display name yet."""


@dataclass(frozen=True, slots=True)
class Employee:
    """An employee account as the rest of the server sees it.

    ``name`` is the login name (never shown to customers); ``display_name`` is what customers
    see, ``None`` until it is set.
    """

    id: str
    name: str
    display_name: str | None = None

    @property
    def shown_name(self) -> str:
        """The name customers see."""
        return self.display_name or DEFAULT_DISPLAY_NAME

    def to_dict(self) -> dict[str, str | None]:
        return {"id": self.id, "name": self.name, "display_name": self.display_name}


def hash_password(password: str) -> str:
    """Return ``scrypt$n$r$p$salt$hash`` (base64 parts) for ``password``."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """Check ``password`` against a :func:`hash_password` string in constant time."""
    try:
        scheme, n, r, p, salt_b64, hash_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(hash_b64)
        digest = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt_b64),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


_DUMMY_HASH = (
    "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def validate_employee_name(name: str) -> str:
    """Return ``name`` if it is a valid login name, else raise :class:`AccountError`."""
    if not _NAME_RE.fullmatch(name):
        raise AccountError(
            f"invalid employee name {name!r}: use 1-64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return name


def _check_display_name(display_name: str) -> str:
    try:
        return clean_display_name(display_name)
    except DisplayNameError as exc:
        raise AccountError(f"invalid display name: {exc}") from None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(
            f"the password must have at least {MIN_PASSWORD_CHARS} characters "
            f"(it has {len(password)})"
        )


class AccountStore:
    """Employees and their login sessions in the database of ``engine``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    # ------------------------------------------------------------- accounts

    async def count(self) -> int:
        async with self._sessions() as db:
            return int(await db.scalar(select(func.count()).select_from(EmployeeRow)) or 0)

    async def add(
        self, name: str, password: str, *, now: float, display_name: str | None = None
    ) -> Employee:
        """Create an employee; raise :class:`AccountError` on a bad name, display name,
        password or a duplicate."""
        validate_employee_name(name)
        shown = None if display_name is None else _check_display_name(display_name)
        _check_password(password)
        employee = Employee(id=f"e_{secrets.token_urlsafe(9)}", name=name, display_name=shown)
        hashed = await asyncio.to_thread(hash_password, password)
        row = EmployeeRow(
            id=employee.id, name=name, password_hash=hashed, created_at=now, display_name=shown
        )
        try:
            async with self._sessions.begin() as db:
                db.add(row)
        except IntegrityError:
            raise AccountError(f"an employee named {name!r} already exists") from None
        return employee

    async def set_password(self, name: str, password: str) -> None:
        """Give ``name`` a new password and end all of their login sessions."""
        _check_password(password)
        hashed = await asyncio.to_thread(hash_password, password)
        async with self._sessions.begin() as db:
            employee_id = await db.scalar(
                update(EmployeeRow)
                .where(_named(name))
                .values(password_hash=hashed)
                .returning(EmployeeRow.id)
            )
            if employee_id is None:
                raise AccountError(f"no employee named {name!r}")
            await db.execute(
                delete(LoginSessionRow).where(LoginSessionRow.employee_id == employee_id)
            )

    async def rename(self, name: str, display_name: str) -> str:
        """Set the display name customers see of ``name``; return it as stored (cleaned)."""
        shown = _check_display_name(display_name)
        async with self._sessions.begin() as db:
            employee_id = await db.scalar(
                update(EmployeeRow)
                .where(_named(name))
                .values(display_name=shown)
                .returning(EmployeeRow.id)
            )
        if employee_id is None:
            raise AccountError(f"no employee named {name!r}")
        return shown

    async def remove(self, name: str) -> None:
        """Delete an account (its login sessions go with it)."""
        async with self._sessions.begin() as db:
            employee_id = await db.scalar(
                delete(EmployeeRow).where(_named(name)).returning(EmployeeRow.id)
            )
        if employee_id is None:
            raise AccountError(f"no employee named {name!r}")

    async def list(self) -> list[Employee]:
        async with self._sessions() as db:
            rows = await db.execute(
                select(EmployeeRow.id, EmployeeRow.name, EmployeeRow.display_name).order_by(
                    EmployeeRow.name
                )
            )
            return [Employee(r.id, r.name, r.display_name) for r in rows]

    async def authenticate(self, name: str, password: str) -> Employee | None:
        """Return the employee if the pair is right (takes as long either way)."""
        async with self._sessions() as db:
            row = await db.scalar(select(EmployeeRow).where(_named(name)))
        if row is None:
            await asyncio.to_thread(verify_password, password, _DUMMY_HASH)
            return None
        if not await asyncio.to_thread(verify_password, password, row.password_hash):
            return None
        return Employee(row.id, row.name, row.display_name)

    # ------------------------------------------------------------- sessions

    async def create_session(self, employee: Employee, *, now: float, ttl_s: float) -> str:
        """Start a login session; return its opaque token."""
        token = secrets.token_urlsafe(32)
        async with self._sessions.begin() as db:
            await db.execute(delete(LoginSessionRow).where(LoginSessionRow.expires_at <= now))
            db.add(
                LoginSessionRow(
                    token_hash=_token_hash(token), employee_id=employee.id, expires_at=now + ttl_s
                )
            )
        return token

    async def employee_for_token(self, token: str, *, now: float) -> Employee | None:
        """Return the employee of a live session token, else ``None``."""
        if not token or len(token) > 200:
            return None
        query = (
            select(EmployeeRow.id, EmployeeRow.name, EmployeeRow.display_name)
            .join(LoginSessionRow, LoginSessionRow.employee_id == EmployeeRow.id)
            .where(LoginSessionRow.token_hash == _token_hash(token))
            .where(LoginSessionRow.expires_at > now)
        )
        async with self._sessions() as db:
            row = (await db.execute(query)).first()
        return None if row is None else Employee(row.id, row.name, row.display_name)

    async def end_session(self, token: str) -> None:
        async with self._sessions.begin() as db:
            await db.execute(
                delete(LoginSessionRow).where(LoginSessionRow.token_hash == _token_hash(token))
            )


def _named(name: str) -> ColumnElement[bool]:
    """The condition selecting the account called ``name`` in any letter case."""
    return func.lower(EmployeeRow.name) == name.lower()
