"""The customer page served by one server process and the employee page by another, sharing a
real Redis: the two people meet in one queue and one call."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from support_server.testing import RedisServer

from .conftest import ContextFactory, LiveServer, Screens, ServerProcess
from .test_e2e_support_desk import _expect_call_connected, _log_in, _start_session

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real ``redis-server`` that the two processes share."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def server_process(
    tmp_path_factory: pytest.TempPathFactory, redis: RedisServer
) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    """Processes A and B of one cluster on one Redis and one accounts database."""
    data_dir = tmp_path_factory.mktemp("cluster-data")
    settings = {"redis_url": redis.url}
    a, b = (
        ServerProcess(data_dir, name=name, settings=settings, fake_ocr=True) for name in ("a", "b")
    )
    a.add_employees()
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        b.stop()
        a.stop()


@pytest.fixture(scope="module")
def live_server(server_process: tuple[ServerProcess, ServerProcess]) -> LiveServer:
    """Process A: the browser contexts open their pages there unless told otherwise."""
    return server_process[0].live


def test_customer_on_a_and_employee_on_b_meet_in_a_call(
    new_context: ContextFactory,
    server_process: tuple[ServerProcess, ServerProcess],
    screens: Screens,
) -> None:
    """A customer joins on process A; the employee's desk, served by process B, shows them,
    picks them, and both reach a connected video call."""
    _, b = server_process
    customer = screens.add("customer", new_context(width=412, height=900).new_page())
    _start_session(customer, "Meera Iyer")
    expect(customer.get_by_test_id("queue-position")).to_have_text("1")

    employee = screens.add("employee", new_context().new_page())
    _log_in(employee, b.live)
    assert employee.url.startswith(b.base_url)
    row = employee.get_by_test_id("queue-item").filter(has_text="Meera Iyer")
    expect(row).to_be_visible()
    screens.step("customer on A in the queue on B")

    row.get_by_role("button", name="Connect to Meera Iyer").click()
    _expect_call_connected(employee, customer)
    screens.step("call connected across processes")
    assert screens.errors == []
