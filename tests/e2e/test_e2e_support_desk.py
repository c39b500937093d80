"""A customer and an employee use the desk end to end, in real Chromium against the real server."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from panread.testing import make_sample, random_card_spec

from .conftest import ContextFactory, LiveServer, Screens, axe_violations

pytestmark = pytest.mark.e2e

CUSTOMER_NAME = "Asha Rao"
CARD_SEED = 2
CALL_TIMEOUT_MS = 45_000
OCR_TIMEOUT_MS = 90_000
# a waiting time as the queue shows it, e.g. `4 s` or `1 min 02 s`
WAIT_TIME = re.compile(r"^(\d+ s|\d+ min \d\d s)$")

# The remote <video> has decoded frames and is playing.
VIDEO_PLAYING = """() => {
  const v = document.querySelector('[data-testid="remote-video"]');
  return v !== null && v.videoWidth > 0 && v.readyState >= 2 && !v.paused;
}"""


def _card(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """A rendered clean PAN card written to a file, and the values on it."""
    spec = random_card_spec(random.Random(CARD_SEED), layout="new")
    sample = make_sample(spec, kind="clean", seed=1)
    path = tmp_path / f"pan-card{sample.suffix}"
    path.write_bytes(sample.data)
    return path, sample.expected


def _log_in(page: Page, server: LiveServer, *, second: bool = False) -> None:
    page.goto(f"{server.base_url}/employee/")
    page.get_by_label("Username").fill(server.second_employee if second else server.employee)
    page.get_by_label("Password").fill(server.second_password if second else server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Queue")).to_be_visible()


def _start_session(page: Page, name: str) -> None:
    page.goto("/")
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Start session").click()
    expect(page.get_by_test_id("waiting-screen")).to_be_visible()


def _horizontal_overflow(page: Page) -> int:
    """How many pixels the page is wider than the viewport (0: no sideways scrolling)."""
    overflow: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow


def _pump_until(page: Page, condition: Callable[[], bool], timeout_s: float = 20.0) -> None:
    """Let Playwright deliver events (socket routes) until ``condition`` holds."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s:.0f} s")
        page.wait_for_timeout(100)


def _expect_call_connected(*pages: Page) -> None:
    """On each page in turn, the call screen reports a connected peer connection and the other
    side's video plays."""
    for page in pages:
        call = page.get_by_test_id("call-screen")
        expect(call).to_have_attribute(
            "data-connection-state", "connected", timeout=CALL_TIMEOUT_MS
        )
        expect(call).to_have_attribute("data-peer-state", "connected")
        page.wait_for_function(VIDEO_PLAYING, timeout=CALL_TIMEOUT_MS)
        width = page.eval_on_selector('[data-testid="remote-video"]', "v => v.videoWidth")
        assert width > 0


def _leave(customer: Page) -> None:
    """The customer leaves and is told the session is over."""
    customer.get_by_role("button", name="Leave").click()
    expect(customer.get_by_role("heading", name="You have left the session")).to_be_visible()


def _end_call_then_leave(employee: Page, customer: Page) -> None:
    """The employee ends the call (the customer is first in the queue again), then the customer
    leaves (the employee's queue is empty)."""
    employee.get_by_role("button", name="End call").click()
    expect(customer.get_by_test_id("queue-position")).to_have_text("1")
    customer.get_by_role("button", name="Leave").click()
    expect(employee.get_by_text("Nobody is waiting.")).to_be_visible()


def test_customer_and_employee_complete_a_call_and_a_pan_check(
    new_context: ContextFactory, live_server: LiveServer, screens: Screens, tmp_path: Path
) -> None:
    """A customer queues, talks to an employee by video, goes back to the front of the queue,
    uploads a PAN card read correctly for both, and leaving is reported to the employee."""
    employee = screens.add("employee", new_context().new_page())
    _log_in(employee, live_server)
    expect(employee.get_by_text("Nobody is waiting.")).to_be_visible()
    screens.step("employee logged in")
    assert axe_violations(employee) == []

    customer = screens.add("customer", new_context(width=412, height=900).new_page())
    _start_session(customer, CUSTOMER_NAME)
    expect(customer.get_by_test_id("queue-position")).to_have_text("1")
    screens.step("customer waiting")
    assert axe_violations(customer) == []
    assert _horizontal_overflow(customer) <= 0

    row = employee.get_by_test_id("queue-item").filter(has_text=CUSTOMER_NAME)
    expect(row).to_be_visible()
    expect(row.get_by_test_id("waiting-time")).to_have_text(WAIT_TIME)
    expect(employee).to_have_title("(1) Employee desk")
    screens.step("customer in employee queue")

    row.get_by_role("button", name=f"Connect to {CUSTOMER_NAME}").click()
    _expect_call_connected(employee, customer)
    screens.step("call connected")
    assert axe_violations(customer) == []
    assert axe_violations(employee) == []
    assert _horizontal_overflow(customer) <= 0

    employee.get_by_role("button", name="End call").click()
    expect(
        customer.get_by_text("The agent left the call. You are back in the queue, at the front.")
    ).to_be_visible()
    expect(customer.get_by_test_id("queue-position")).to_have_text("1")
    ended = f"Call ended. {CUSTOMER_NAME} is back at the front"
    expect(employee.get_by_text(ended)).to_be_visible()
    screens.step("call ended")

    card_path, expected = _card(tmp_path)
    customer.get_by_test_id("pan-file-input").set_input_files(str(card_path))
    pan_input = customer.get_by_label("PAN number")
    expect(pan_input).to_have_value(expected["pan"], timeout=OCR_TIMEOUT_MS)
    expect(customer.get_by_label("Name", exact=True)).to_have_value(expected["name"])
    expect(customer.get_by_label("Father's name")).to_have_value(expected["father_name"])
    expect(customer.get_by_label("Date of birth")).to_have_value(expected["dob"])
    screens.step("customer card read")
    assert axe_violations(customer) == []
    assert _horizontal_overflow(customer) <= 0

    customer.get_by_role("button", name="Confirm details").click()
    expect(customer.get_by_text("Confirmed. The agent can see these details.")).to_be_visible()
    expect(row.get_by_text("Details confirmed")).to_be_visible()
    screens.step("customer confirmed")

    row.get_by_role("button", name=f"Connect to {CUSTOMER_NAME}").click()
    panel = employee.get_by_test_id("pan-panel")
    for key in ("pan", "name", "father_name", "dob"):
        expect(panel.get_by_test_id(f"ocr-{key}")).to_have_text(expected[key])
        expect(panel.get_by_test_id(f"confirmed-{key}")).to_have_text(expected[key])
    image = panel.get_by_role("img", name=f"PAN card uploaded by {CUSTOMER_NAME}")
    expect(image).to_be_visible()
    employee.wait_for_function(
        "() => { const i = document.querySelector('[data-testid=\"pan-image\"]');"
        " return i !== null && i.complete && i.naturalWidth > 0; }"
    )
    _expect_call_connected(customer)
    # the PAN step kept its state when the call started
    expect(customer.get_by_text("Confirmed. The agent can see these details.")).to_be_visible()
    screens.step("employee sees the card")
    assert axe_violations(employee) == []

    _leave(customer)
    left = f"{CUSTOMER_NAME} left the session. The call has ended."
    expect(employee.get_by_text(left)).to_be_visible()
    expect(employee.get_by_text("Nobody is waiting.")).to_be_visible()
    expect(employee).to_have_title("Employee desk")
    screens.step("customer left")
    assert screens.errors == []


def test_call_survives_a_network_blip_and_page_reloads(
    new_context: ContextFactory, live_server: LiveServer, screens: Screens
) -> None:
    """A dropped customer socket is resumed with the saved token, and a reload of either page
    mid-call reconnects the video call, without the customer going back through the queue."""
    employee = screens.add("employee", new_context().new_page())
    _log_in(employee, live_server)
    customer = screens.add("customer", new_context(width=412, height=900).new_page())

    # every customer socket goes through this proxy so the test can cut it like a network would
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

    customer.route_web_socket(re.compile(r"/ws/customer$"), proxy)
    _start_session(customer, "Vikram Singh")
    employee.get_by_role("button", name="Connect to Vikram Singh").click()
    _expect_call_connected(customer, employee)
    screens.step("connected")

    sockets[-1].close(code=4000, reason="network blip")
    _pump_until(customer, lambda: len(sent) >= 2 and len(sent[1]) >= 1)
    assert json.loads(sent[1][0])["type"] == "resume"
    expect(customer.get_by_test_id("call-screen")).to_be_visible()
    _expect_call_connected(customer, employee)
    screens.step("reconnected after a blip")

    customer.reload()
    expect(customer.get_by_test_id("call-screen")).to_be_visible()
    _expect_call_connected(customer, employee)
    screens.step("reconnected after customer reload")

    employee.reload()
    expect(employee.get_by_test_id("call-screen")).to_be_visible()
    _expect_call_connected(employee, customer)
    screens.step("reconnected after employee reload")

    _end_call_then_leave(employee, customer)
    assert screens.errors == []


def test_second_employee_is_told_someone_else_took_the_customer_first(
    new_context: ContextFactory, live_server: LiveServer, screens: Screens
) -> None:
    """Two desks click Connect on the same customer: the slower one is told plainly who was
    taken, and the customer ends up with the faster one."""
    first = screens.add("first", new_context().new_page())
    _log_in(first, live_server)
    second = screens.add("second", new_context().new_page())

    # the second desk's queue updates are held back, as on a slow network, so it still
    # shows the customer after the first desk took them
    hold_queue = False

    def slow_queue(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()

        def to_page(message: str | bytes) -> None:
            text = message if isinstance(message, str) else message.decode()
            if hold_queue and json.loads(text).get("type") in ("queue", "queue_changes"):
                return
            ws.send(message)

        server.on_message(to_page)

    second.route_web_socket(re.compile(r"/ws/employee$"), slow_queue)
    _log_in(second, live_server, second=True)

    customer = screens.add("customer", new_context(width=412, height=900).new_page())
    _start_session(customer, "Farhan Ali")
    expect(first.get_by_role("button", name="Connect to Farhan Ali")).to_be_visible()
    expect(second.get_by_role("button", name="Connect to Farhan Ali")).to_be_visible()

    hold_queue = True
    first.get_by_role("button", name="Connect to Farhan Ali").click()
    expect(first.get_by_test_id("call-screen")).to_be_visible()
    second.get_by_role("button", name="Connect to Farhan Ali").click()
    expect(second.get_by_text("Someone else took Farhan Ali first.")).to_be_visible()
    # the account has no display name: customers see a neutral one, never the login
    expect(customer.get_by_role("heading", name="Video call with Support agent")).to_be_visible()
    screens.step("second desk lost the race")

    _end_call_then_leave(first, customer)
    assert screens.errors == []


def test_employee_login_explains_a_bad_password_and_logout_ends_the_session(
    new_context: ContextFactory, live_server: LiveServer, screens: Screens
) -> None:
    """A wrong password gets a plain error; logging out returns to the login form for good."""
    page = screens.add("employee", new_context().new_page())
    page.goto("/employee/")
    page.get_by_label("Username").fill("nobody-here")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong username or password.")
    screens.step("bad password")

    _log_in(page, live_server)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You have logged out.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Username")).to_be_visible()
    screens.step("logged out")


def test_customer_without_camera_permission_can_still_wait(
    new_context: ContextFactory, screens: Screens
) -> None:
    """When the browser refuses the camera, the customer is told why and still joins the queue."""
    context = new_context(width=412, height=900)
    # the person clicks "Block" in the browser's prompt
    context.add_init_script(
        "navigator.mediaDevices.getUserMedia = () =>"
        " Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));"
    )
    page = screens.add("customer", context.new_page())
    _start_session(page, "Neha Joshi")
    expect(page.get_by_test_id("queue-position")).to_have_text("1")
    expect(page.get_by_text("Camera and microphone access was blocked.")).to_be_visible()
    expect(page.get_by_role("button", name="Choose a file")).to_be_visible()
    screens.step("waiting without camera")
    _leave(page)


@pytest.mark.parametrize("path", ["/", "/employee/"])
def test_start_screens_fit_a_360px_phone(
    new_context: ContextFactory, screens: Screens, path: str
) -> None:
    """The customer start screen and the employee login fit a 360 px wide phone without
    horizontal scrolling."""
    page = screens.add("phone", new_context(width=360, height=740).new_page())
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screens.step("start")
    assert axe_violations(page) == []
    overflow = _horizontal_overflow(page)
    assert overflow <= 0, f"{path} is {overflow} px wider than a 360 px screen"


def test_waiting_screen_fits_a_360px_phone(new_context: ContextFactory, screens: Screens) -> None:
    """The customer's waiting screen (queue, camera preview, PAN step) fits a 360 px phone."""
    page = screens.add("phone", new_context(width=360, height=740).new_page())
    _start_session(page, "Ravi Kumar Venkataraman Subramanian")
    expect(page.get_by_test_id("queue-position")).to_have_text("1")
    screens.step("waiting")
    overflow = _horizontal_overflow(page)
    assert overflow <= 0, f"the waiting screen is {overflow} px wider than a 360 px screen"
    _leave(page)
