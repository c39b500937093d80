"""In real Chromium: the customer sees the employee's display name, and both pages call with the
TURN credentials of the call and put each renewal into their open peer connection."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from .conftest import ContextFactory, LiveServer, Screens, ServerProcess, _free_port
from .test_e2e_support_desk import CUSTOMER_NAME, _expect_call_connected, _log_in, _start_session

pytestmark = pytest.mark.e2e

DISPLAY_NAME = "Priya Sharma"
TURN_TTL_S = 6
"""Short credentials, so that the server renews them (every TTL / 2) during the test."""

# Every RTCPeerConnection a page makes, so that the test can read its configuration.
RECORD_PEER_CONNECTIONS = """(() => {
  const Native = window.RTCPeerConnection;
  const made = [];
  window.__peerConnections = made;
  window.RTCPeerConnection = class extends Native {
    constructor(config) { super(config); made.push(this); }
  };
})();"""

TURN_USERNAME = """() => {
  const pc = (window.__peerConnections || []).at(-1);
  if (!pc) return null;
  const turn = pc.getConfiguration().iceServers.find(
    (s) => [].concat(s.urls).some((u) => u.startsWith('turn:')));
  return turn ? turn.username : null;
}"""


@pytest.fixture(scope="module")
def server_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The real server with TURN (nobody listens there: calls connect directly) and short
    credentials; the employee account has a display name set with the CLI."""
    server = ServerProcess(tmp_path_factory.mktemp("support-data"))
    server.env.update(
        SUPPORT_TURN_URLS=f"turn:127.0.0.1:{_free_port()}",
        SUPPORT_TURN_SECRET="e2e-turn-secret",
        SUPPORT_TURN_TTL_S=str(TURN_TTL_S),
    )
    server.add_employees()
    subprocess.run(
        [*server.command, "employee", "rename", server.live.employee, DISPLAY_NAME],
        env=server.env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    try:
        server.start(ready_path="/healthz")
        yield server
    finally:
        server.stop()


def _turn_username(page: Page) -> str | None:
    username: str | None = page.evaluate(TURN_USERNAME)
    return username


def _expiry(username: str | None) -> int:
    assert username is not None
    return int(username.split(":")[0])


def test_call_uses_renewed_turn_credentials_and_the_display_name(
    new_context: ContextFactory, live_server: LiveServer, screens: Screens
) -> None:
    """The customer's connection has TURN credentials for itself from `paired`, both pages
    take renewed ones into their open connection, and the customer sees the display name."""
    employee_context = new_context()
    employee_context.add_init_script(RECORD_PEER_CONNECTIONS)
    employee = screens.add("employee", employee_context.new_page())
    _log_in(employee, live_server)
    customer_context = new_context(width=412, height=900)
    customer_context.add_init_script(RECORD_PEER_CONNECTIONS)
    customer = screens.add("customer", customer_context.new_page())
    _start_session(customer, CUSTOMER_NAME)
    employee.get_by_role("button", name=f"Connect to {CUSTOMER_NAME}").click()
    _expect_call_connected(employee, customer)
    screens.step("call connected")

    expect(customer.get_by_test_id("call-screen")).to_contain_text(DISPLAY_NAME)
    assert live_server.employee not in customer.content()
    first = {"customer": _turn_username(customer), "employee": _turn_username(employee)}
    assert ":c_" in (first["customer"] or "")
    assert ":e_" in (first["employee"] or "")
    for name, page in (("customer", customer), ("employee", employee)):
        page.wait_for_function(
            f"() => {{ const u = ({TURN_USERNAME})(); "
            f"return u !== null && Number(u.split(':')[0]) > {_expiry(first[name])}; }}",
            timeout=TURN_TTL_S * 4 * 1000,
        )
    _expect_call_connected(employee, customer)
    screens.step("credentials renewed")
    assert screens.errors == []
