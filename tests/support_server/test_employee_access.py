"""An employee's open socket ends with their login: logout, account removal, new password,
expiry. A real server, real sockets, and the real ``support-server`` command in another
process."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from live_server import PASSWORD, Client, Live, ServerFactory
from test_signaling import closed_with

from support_server import AccountError

SRC = Path(__file__).resolve().parents[2] / "src"


async def employee_with_token(live: Live, name: str = "priya") -> tuple[Client, str]:
    """A logged-in employee's socket and its login token."""
    await live.add_employee(name)
    token = await live.login(name)
    headers = {"Authorization": f"Bearer {token}"}
    client = Client(await live.raw_socket("/ws/employee", additional_headers=headers))
    await client.expect("welcome")
    return client, token


async def support_server(live: Live, *args: str, stdin: str = "") -> None:
    """Run the ``support-server`` command on the live server's data, in its own process."""
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "SUPPORT_DATA_DIR": str(live.app.ctx.settings.data_dir),
    }
    done = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "support_server.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,  # a loaded machine
    )
    assert done.returncode == 0, done.stderr


async def ended(client: Client, timeout: float) -> None:
    """The socket gets ``unauthorized`` and is closed with 4401 within ``timeout`` seconds."""
    error = await client.expect("error", timeout=timeout)
    assert error["code"] == "unauthorized"
    assert await closed_with(client, timeout) == 4401


async def test_logout_ends_the_open_socket_at_once(start_server: ServerFactory) -> None:
    """Logging out closes that login's socket straight away (no sweep needed)."""
    live = await start_server(session_check_s=60.0)
    employee, token = await employee_with_token(live)
    async with live.http() as http:
        response = await http.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 204
    await ended(employee, timeout=2.0)


@pytest.mark.parametrize(
    "command",
    [("employee", "remove", "priya"), ("employee", "passwd", "priya", "--password-stdin")],
)
async def test_account_changes_in_another_process_end_the_socket(
    start_server: ServerFactory, command: tuple[str, ...]
) -> None:
    """`employee remove` / `employee passwd` run elsewhere end the open socket by the sweep."""
    live = await start_server(session_check_s=0.2)
    employee, _ = await employee_with_token(live)
    await support_server(live, *command, stdin="a brand new password\n")
    await ended(employee, timeout=5.0)


async def test_a_removed_employee_cannot_pick(start_server: ServerFactory) -> None:
    """Between sweeps, the next message of a removed employee is refused, not carried out."""
    live = await start_server(session_check_s=60.0)
    employee, _ = await employee_with_token(live)
    customer = await live.customer()
    queue = await employee.expect_queue(lambda q: len(q.customers) == 1)
    await support_server(live, "employee", "remove", "priya")
    await employee.send({"type": "pick", "customer_id": queue.ids[0]})
    await ended(employee, timeout=2.0)
    await customer.nothing(0.3, skip=("queue_position",))
    snapshot = await live.app.ctx.desk.queue_message()
    assert len(snapshot["customers"]) == 1


async def test_an_expired_login_ends_the_socket(start_server: ServerFactory) -> None:
    """When the login expires, the socket opened with it is closed."""
    live = await start_server(session_ttl_s=1, session_check_s=0.2)
    employee, _ = await employee_with_token(live)
    await ended(employee, timeout=5.0)


async def test_other_logins_keep_their_sockets(start_server: ServerFactory) -> None:
    """Ending one login leaves another employee's (and another login's) socket open."""
    live = await start_server(session_check_s=0.2)
    leaving, token = await employee_with_token(live, "priya")
    staying, _ = await employee_with_token(live, "ravi")
    async with live.http() as http:
        await http.post("/api/auth/logout", headers={"Authorization": f"Bearer {token}"})
    await ended(leaving, timeout=2.0)
    await asyncio.sleep(0.5)
    await staying.send({"type": "ping"})
    await staying.expect("pong", skip=("queue",))


async def test_customers_see_the_display_name_never_the_login(
    start_server: ServerFactory,
) -> None:
    """`paired` shows the display name set with the CLI; without one, a neutral name."""
    live = await start_server()
    await live.add_employee("priya.s")
    first = await live.customer("Asha Rao")
    employee = await live.employee("priya.s")
    await employee.send({"type": "pick", "customer_id": first.seen[0]["customer_id"]})
    paired = await first.expect("paired")
    assert paired["employee"] == {"name": "Support agent"}
    assert "priya" not in json.dumps(first.seen)
    await employee.send({"type": "leave"})
    await support_server(live, "employee", "rename", "priya.s", "  Priya   Sharma ")
    second = await live.customer("Bala")
    employee = await live.employee("priya.s")
    await employee.send({"type": "pick", "customer_id": second.seen[0]["customer_id"]})
    assert (await second.expect("paired"))["employee"] == {"name": "Priya Sharma"}


@pytest.mark.parametrize("display_name", ["Priya\u202eamrahS", "Pri\u200bya", "\x07Priya", ""])
async def test_display_names_that_hide_what_they_are_are_refused(
    live: Live, display_name: str
) -> None:
    """Display names with controls, bidi overrides or zero-width characters are refused."""
    accounts = live.app.ctx.accounts
    await live.add_employee("priya")
    with pytest.raises(AccountError, match="invalid display name"):
        await accounts.rename("priya", display_name)
    with pytest.raises(AccountError, match="invalid display name"):
        await accounts.add("ravi", PASSWORD, now=time.time(), display_name=display_name)
