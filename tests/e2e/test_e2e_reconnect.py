"""The browser apps come back by themselves when the server goes away: a restart of the real
server, and a socket the server closes with 1001 (going away) in the middle of the wait."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from .conftest import ContextFactory, LiveServer, Screens, ServerProcess
from .test_e2e_support_desk import _expect_call_connected, _log_in, _pump_until, _start_session

pytestmark = pytest.mark.e2e

# Every state the signaling notice (`data-testid="connection-notice"`) showed on the page.
WATCH_NOTICE = """
window.__noticeStates = [];
new MutationObserver(() => {
  for (const el of document.querySelectorAll('[data-testid="connection-notice"]')) {
    const state = el.getAttribute('data-status');
    if (window.__noticeStates.at(-1) !== state) window.__noticeStates.push(state);
  }
}).observe(document, {subtree: true, childList: true, attributes: true});
"""

# The close codes the page's sockets saw.
WATCH_CLOSES = """
window.__closeCodes = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('close', (event) => window.__closeCodes.push(event.code));
  }
};
"""

RESUME_FAILED_TEXT = "We could not keep your place in the queue, so you have joined it again."


def _notice_states(page: Page) -> list[str]:
    states: list[str] = page.evaluate("() => window.__noticeStates")
    return states


def test_customer_and_desk_come_back_by_themselves_after_a_server_restart(
    new_context: ContextFactory,
    live_server: LiveServer,
    server_process: ServerProcess,
    screens: Screens,
) -> None:
    """The server is stopped (SIGTERM) and started again on the same port: while it is away both
    pages say they are reconnecting; then, with no click, the customer is back in the queue (told
    that the place was lost with the server's memory) and the desk can take the call."""
    employee_context = new_context()
    employee_context.add_init_script(WATCH_NOTICE)
    employee = screens.add("employee", employee_context.new_page())
    _log_in(employee, live_server)
    customer_context = new_context(width=412, height=900)
    customer_context.add_init_script(WATCH_NOTICE)
    customer_context.add_init_script(WATCH_CLOSES)
    customer = screens.add("customer", customer_context.new_page())
    _start_session(customer, "Meera Iyer")
    expect(customer.get_by_test_id("queue-position")).to_have_text("1")
    expect(employee.get_by_role("button", name="Connect to Meera Iyer")).to_be_visible()

    server_process.stop()
    for page in (customer, employee):
        notice = page.get_by_test_id("connection-notice")
        expect(notice).to_have_attribute("data-status", "reconnecting")
        expect(notice).to_contain_text("Reconnecting…")
    expect(customer.get_by_text("You keep your place in the queue")).to_be_visible()
    screens.step("server away")

    # the page finds the new server as soon as it listens, OCR warming up or not
    server_process.start(ready_path="/healthz")
    expect(customer.get_by_test_id("connection-notice")).to_have_count(0, timeout=30_000)
    expect(customer.get_by_test_id("waiting-screen")).to_be_visible()
    expect(customer.get_by_test_id("queue-position")).to_have_text("1")
    # the in-memory desk forgot the session: the customer joined again and is told so
    expect(customer.get_by_text(RESUME_FAILED_TEXT)).to_be_visible()
    expect(employee.get_by_test_id("connection-notice")).to_have_count(0, timeout=30_000)
    screens.step("back after the restart")

    employee.get_by_role("button", name="Connect to Meera Iyer").click()
    _expect_call_connected(employee, customer)
    screens.step("call after the restart")

    assert _notice_states(customer)[0] == "reconnecting"
    assert "unreachable" not in _notice_states(customer) + _notice_states(employee)
    codes: list[int] = customer.evaluate("() => window.__closeCodes")
    print(f"close codes the customer page saw at the restart: {codes}")
    assert codes
    assert codes[0] in (1000, 1001, 1006)

    employee.get_by_role("button", name="End call").click()
    expect(customer.get_by_test_id("queue-position")).to_have_text("1")
    customer.get_by_role("button", name="Leave").click()
    expect(employee.get_by_text("Nobody is waiting.")).to_be_visible()
    assert screens.errors == []


def test_customer_resumes_its_place_when_the_server_closes_the_socket_with_1001(
    new_context: ContextFactory, live_server: LiveServer, screens: Screens
) -> None:
    """The server closes a waiting customer's socket with 1001 (going away): the page says it is
    reconnecting, resumes with its token by itself and is still second in the queue."""
    first = screens.add("first", new_context(width=412, height=900).new_page())
    _start_session(first, "Kavya Nair")
    expect(first.get_by_test_id("queue-position")).to_have_text("1")

    context = new_context(width=412, height=900)
    context.add_init_script(WATCH_NOTICE)
    second = screens.add("second", context.new_page())
    sockets: list[WebSocketRoute] = []
    sent: list[list[str]] = []

    def proxy(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        frames: list[str] = []
        sockets.append(ws)
        sent.append(frames)

        def forward(message: str | bytes) -> None:
            frames.append(message if isinstance(message, str) else message.decode())
            server.send(message)

        ws.on_message(forward)

    second.route_web_socket(re.compile(r"/ws/customer$"), proxy)
    _start_session(second, "Rohan Das")
    expect(second.get_by_test_id("queue-position")).to_have_text("2")
    screens.step("both waiting")

    sockets[-1].close(code=1001, reason="server shutting down")
    _pump_until(second, lambda: len(sent) >= 2 and len(sent[1]) >= 1)
    assert json.loads(sent[1][0])["type"] == "resume"
    expect(second.get_by_test_id("connection-notice")).to_have_count(0)
    expect(second.get_by_test_id("queue-position")).to_have_text("2")
    expect(second.get_by_text(RESUME_FAILED_TEXT)).to_have_count(0)
    assert _notice_states(second) == ["reconnecting"]
    screens.step("resumed in place")

    for page in (second, first):
        page.get_by_role("button", name="Leave").click()
        expect(page.get_by_role("heading", name="You have left the session")).to_be_visible()
    assert screens.errors == []
