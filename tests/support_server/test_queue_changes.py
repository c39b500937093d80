"""The queue on the wire: employees' snapshot and numbered changes, customers' positions.

A real server and real WebSocket clients; employees' clients keep their view of the queue
the way the web app does (``queue_view.QueueView``).
"""

from __future__ import annotations

import asyncio
import random

from live_server import Client, Live

from support_server import Desk


async def true_queue(live: Live) -> list[dict[str, object]]:
    desk: Desk = live.app.ctx.desk
    customers: list[dict[str, object]] = (await desk.queue_message())["customers"]
    return customers


async def test_views_from_snapshot_and_changes_equal_the_queue(live: Live) -> None:
    """After random joins, leaves, picks and call ends, every employee's view (one connected
    from the start, one mid-way, one reconnected) equals the server's queue."""
    rng = random.Random(11)
    employees = [await live.employee(f"emp{i}") for i in range(2)]
    customers: dict[str, Client] = {}
    in_call: dict[int, str] = {}
    for step in range(80):
        action = rng.choice(["join", "join", "join", "leave", "pick", "end"])
        if step == 40:
            employees.append(await live.employee("late"))
        if step == 60:
            await employees[0].close()
            employees[0] = await live.employee("emp0")
        if action == "join" or not customers:
            client = await live.customer(f"C{step}")
            [welcome] = [m for m in client.seen if m["type"] == "welcome"]
            customers[welcome["customer_id"]] = client
        elif action == "leave":
            cid = rng.choice(sorted(customers))
            await customers.pop(cid).send({"type": "leave"})
            in_call = {i: c for i, c in in_call.items() if c != cid}
        elif action == "pick":
            index = rng.randrange(len(employees))
            if index not in in_call:
                cid = rng.choice(sorted(customers))
                await employees[index].send({"type": "pick", "customer_id": cid})
                in_call[index] = cid  # or refused: already taken by another
        elif action == "end" and in_call:
            index = rng.choice(sorted(in_call))
            await employees[index].send({"type": "leave"})
            del in_call[index]
    for employee in employees:  # a round trip: the server has handled all they sent
        await employee.send({"type": "ping"})
        await employee.expect("pong", skip=("*",))
    await asyncio.sleep(0.2)  # and the customers' last leaves
    truth = await true_queue(live)
    for employee in employees:
        view = await employee.expect_queue(lambda q: q.customers == truth)
        assert len(view.customers) == len(truth)
    assert any(m["type"] == "queue_changes" for m in employees[2].seen)


async def join_and_measure(live: Live, employee: Client, name: str) -> int:
    """Join one customer; return the size of the frame that told the employee."""
    customer = await live.customer(name)
    [welcome] = [m for m in customer.seen if m["type"] == "welcome"]
    await employee.expect_queue(lambda q: welcome["customer_id"] in q.ids)
    [size] = [
        size
        for message, size in zip(employee.seen, employee.sizes, strict=True)
        if message["type"] == "queue_changes"
        and any(c.get("customer", {}).get("name") == name for c in message["changes"])
    ]
    return size


async def test_a_join_costs_the_same_small_message_at_any_queue_length(live: Live) -> None:
    """The message telling an employee of one join is as small with 300 waiting as with 1, and
    the customers already waiting are not sent anything for a join behind them."""
    employee = await live.employee()
    first = await live.customer("First")
    await first.expect("queue_position", skip=())
    small = await join_and_measure(live, employee, "Zoe Small")
    desk: Desk = live.app.ctx.desk
    for i in range(300):
        await desk.join(f"Waiting {i:03d}")
    await employee.expect_queue(lambda q: len(q.customers) == 302)
    large = await join_and_measure(live, employee, "Zoe Large")
    assert large <= small + 6  # seq, position and waiting have two more digits each
    assert large < 300
    await first.nothing(wait=0.5)


async def test_queue_sync_answers_a_snapshot_to_employees_only(live: Live) -> None:
    """An employee whose view has a gap asks with queue_sync and gets the whole queue; a
    customer may not ask."""
    employee = await live.employee()
    customer = await live.customer("Asha Rao")
    await employee.expect_queue(lambda q: len(q.customers) == 1)
    await employee.send({"type": "queue_sync"})
    snapshot = await employee.expect("queue")
    assert snapshot["customers"] == await true_queue(live)
    assert snapshot["seq"] == employee.queue.seq
    await customer.send({"type": "queue_sync"})
    await customer.expect_error("not_allowed")
