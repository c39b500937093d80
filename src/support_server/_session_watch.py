"""Employee sockets end when their login does.

An employee socket is opened with a login token. The login can end while the socket is open:
a logout here (ended at once), or elsewhere, such as ``support-server employee remove`` or
``employee passwd`` run in another process, or the session's expiry. :class:`SessionWatch`
keeps each employee socket's token and re-checks it before every message the employee sends
but ``signal`` (relayed only within the call); :meth:`SessionWatch.sweep`, run every
``SUPPORT_SESSION_CHECK_S``, re-checks all of them. A socket whose login has ended gets an
``unauthorized`` error and is closed with ``4401``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from ._accounts import Employee
from ._connections import Connection
from ._logging import LOGGER_NAME, log_event
from ._outbound import CloseCode

__all__ = ["SessionCheck", "SessionWatch"]

SessionCheck = Callable[[str], Awaitable[Employee | None]]
"""``check(token)``: the employee whose login the token still is, else ``None``."""

logger = logging.getLogger(f"{LOGGER_NAME}.auth")


@dataclass(frozen=True, slots=True)
class _Login:
    employee_id: str
    token: str


class SessionWatch:
    """The login behind each open employee socket of this process."""

    def __init__(self, check: SessionCheck) -> None:
        self._check = check
        self._logins: dict[Connection, _Login] = {}

    def add(self, conn: Connection, employee_id: str, token: str) -> None:
        """Watch ``conn``, opened by ``employee_id`` with login ``token``."""
        self._logins[conn] = _Login(employee_id, token)

    def discard(self, conn: Connection) -> None:
        self._logins.pop(conn, None)

    async def still_valid(self, conn: Connection) -> bool:
        """Whether ``conn``'s login still holds; if not, the socket is ended."""
        login = self._logins.get(conn)
        if login is None:
            return False
        employee = await self._check(login.token)
        if employee is not None and employee.id == login.employee_id:
            return True
        self._end(conn, "session_ended")
        return False

    async def sweep(self) -> None:
        """Re-check every watched socket's login (ending those that ended)."""
        for conn in list(self._logins):
            if not conn.closing:
                await self.still_valid(conn)

    def logged_out(self, token: str) -> None:
        """The login ``token`` ended in this process: end its sockets at once."""
        for conn, login in list(self._logins.items()):
            if login.token == token:
                self._end(conn, "logged_out")

    def _end(self, conn: Connection, why: str) -> None:
        login = self._logins.pop(conn, None)
        if login is None or conn.closing:
            return
        log_event(logger, logging.INFO, "ws_login_ended", employee=login.employee_id, why=why)
        conn.error("unauthorized", "Your login has ended: log in again.")
        conn.close(CloseCode.UNAUTHORIZED, "login ended")
