"""Employee accounts and login sessions in an embedded SQLite database.

Passwords are hashed with the standard library's scrypt (salted, compared in constant time);
session tokens are random and only their SHA-256 is stored, with an expiry. The store is
synchronous and thread-safe: the server calls it through ``asyncio.to_thread``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

__all__ = [
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

_SCHEMA = """
CREATE TABLE IF NOT EXISTS employees (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions(expires_at);
"""


class AccountError(ValueError):
    """A bad account operation (bad name, short password, duplicate, unknown)."""


@dataclass(frozen=True, slots=True)
class Employee:
    """An employee account as the rest of the server sees it."""

    id: str
    name: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


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


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(
            f"the password must have at least {MIN_PASSWORD_CHARS} characters "
            f"(it has {len(password)})"
        )


class AccountStore:
    """Employees and sessions in ``<data_dir>/support.sqlite3``."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.execute("PRAGMA busy_timeout=5000")
            self._db.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ------------------------------------------------------------- accounts

    def count(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT COUNT(*) FROM employees").fetchone()
        return int(n)

    def add(self, name: str, password: str, *, now: float) -> Employee:
        """Create an employee; raise :class:`AccountError` on a bad name, password or duplicate."""
        validate_employee_name(name)
        _check_password(password)
        employee = Employee(id=f"e_{secrets.token_urlsafe(9)}", name=name)
        hashed = hash_password(password)
        try:
            with self._lock:
                self._db.execute(
                    "INSERT INTO employees (id, name, password_hash, created_at) VALUES (?,?,?,?)",
                    (employee.id, name, hashed, now),
                )
        except sqlite3.IntegrityError:
            raise AccountError(f"an employee named {name!r} already exists") from None
        return employee

    def set_password(self, name: str, password: str) -> None:
        _check_password(password)
        hashed = hash_password(password)
        with self._lock:
            cur = self._db.execute(
                "UPDATE employees SET password_hash = ? WHERE name = ?", (hashed, name)
            )
            if cur.rowcount:
                self._db.execute(
                    "DELETE FROM sessions WHERE employee_id = "
                    "(SELECT id FROM employees WHERE name = ?)",
                    (name,),
                )
        if not cur.rowcount:
            raise AccountError(f"no employee named {name!r}")

    def remove(self, name: str) -> None:
        with self._lock:
            cur = self._db.execute("DELETE FROM employees WHERE name = ?", (name,))
        if not cur.rowcount:
            raise AccountError(f"no employee named {name!r}")

    def list(self) -> list[Employee]:
        with self._lock:
            rows = self._db.execute("SELECT id, name FROM employees ORDER BY name").fetchall()
        return [Employee(id=r[0], name=r[1]) for r in rows]

    def authenticate(self, name: str, password: str) -> Employee | None:
        """Return the employee if the pair is right (takes as long either way)."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, name, password_hash FROM employees WHERE name = ?", (name,)
            ).fetchone()
        if row is None:
            verify_password(password, _DUMMY_HASH)
            return None
        if not verify_password(password, row[2]):
            return None
        return Employee(id=row[0], name=row[1])

    # ------------------------------------------------------------- sessions

    def create_session(self, employee: Employee, *, now: float, ttl_s: float) -> str:
        """Start a login session; return its opaque token."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._db.execute("DELETE FROM sessions WHERE expires_at <= ?", (now,))
            self._db.execute(
                "INSERT INTO sessions (token_hash, employee_id, expires_at) VALUES (?,?,?)",
                (_token_hash(token), employee.id, now + ttl_s),
            )
        return token

    def employee_for_token(self, token: str, *, now: float) -> Employee | None:
        """Return the employee of a live session token, else ``None``."""
        if not token or len(token) > 200:
            return None
        with self._lock:
            row = self._db.execute(
                "SELECT e.id, e.name FROM sessions s JOIN employees e ON e.id = s.employee_id "
                "WHERE s.token_hash = ? AND s.expires_at > ?",
                (_token_hash(token), now),
            ).fetchone()
        return None if row is None else Employee(id=row[0], name=row[1])

    def end_session(self, token: str) -> None:
        with self._lock:
            self._db.execute("DELETE FROM sessions WHERE token_hash = ?", (_token_hash(token),))
