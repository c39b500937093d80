"""GET /metrics: Prometheus numbers that follow the desk, and only for allowed callers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from live_server import Live, ServerFactory
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(live: Live, **headers: str) -> Samples:
    """Every sample of one scrape, keyed by name and labels."""
    async with live.http() as http:
        response = await http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def scrape_until(live: Live, holds: Callable[[Samples], bool]) -> Samples:
    """Scrape until ``holds`` (counters of sent messages move just after the send)."""
    for _ in range(50):
        samples = await scrape(live)
        if holds(samples):
            return samples
        await asyncio.sleep(0.1)
    raise AssertionError(f"metrics never matched: {samples}")


async def test_numbers_follow_the_desk(live: Live) -> None:
    """Joining, connecting, a refused message, a pick and a card read each move their metric."""
    before = await scrape(live)
    assert value(before, "support_waiting_customers") == 0
    assert value(before, "support_connected_employees") == 0
    customer = await live.customer()
    welcome = next(m for m in customer.seen if m["type"] == "welcome")
    after_join = await scrape_until(
        live, lambda s: value(s, "support_ws_messages_total", direction="out", role="customer") > 0
    )
    assert value(after_join, "support_waiting_customers") == 1
    assert value(after_join, "support_ws_messages_total", direction="in", role="customer") == 1
    employee = await live.employee("priya")
    await employee.send({"type": "no_such_message"})
    await employee.expect_error("unknown_type")
    await employee.send({"type": "pick", "customer_id": welcome["customer_id"]})
    await employee.expect("paired")
    async with live.http() as http:
        await http.post("/api/pan/extract", content=b"x", headers={"Authorization": "Bearer no"})
        upload = await http.post(
            "/api/pan/extract",
            content=b"\xff\xd8\xff card",
            headers={"Authorization": f"Bearer {welcome['token']}", "Content-Type": "image/jpeg"},
        )
    assert upload.status_code == 200, upload.text
    samples = await scrape(live)
    assert value(samples, "support_waiting_customers") == 0
    assert value(samples, "support_active_rooms") == 1
    assert value(samples, "support_connected_employees") == 1
    assert value(samples, "support_join_to_pick_seconds_count") == 1
    assert value(samples, "support_ocr_seconds_count") == 1
    assert value(samples, "support_ocr_queue_depth") == 0
    assert value(samples, "support_errors_total", code="unknown_type", transport="ws") == 1
    assert value(samples, "support_errors_total", code="unauthorized", transport="http") == 1
    assert value(samples, "support_ws_messages_total", direction="in", role="employee") == 2


async def test_each_app_counts_for_itself(start_server: ServerFactory) -> None:
    """Two servers in one process keep separate numbers (one registry per app)."""
    one, two = await start_server(), await start_server()
    await one.customer()
    assert value(await scrape(one), "support_waiting_customers") == 1
    assert value(await scrape(two), "support_waiting_customers") == 0


async def test_outside_the_allowed_networks_is_refused(start_server: ServerFactory) -> None:
    """A client outside SUPPORT_METRICS_ALLOW gets 403, and so does one relayed by a proxy."""
    live = await start_server(metrics_allow=("10.0.0.0/8",))
    async with live.http() as http:
        refused = await http.get("/metrics")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert "support_" not in refused.text
    local = await start_server()
    async with local.http() as http:
        relayed = await http.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert relayed.status_code == 403
        assert (await http.get("/metrics")).status_code == 200


async def test_behind_a_trusted_proxy_the_forwarded_client_counts(
    start_server: ServerFactory,
) -> None:
    """Through a trusted proxy the forwarded client address decides, not the proxy's."""
    live = await start_server(trusted_proxies=("127.0.0.0/8",), metrics_allow=("10.0.0.0/8",))
    async with live.http() as http:
        inside = await http.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"})
        outside = await http.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        proxy_itself = await http.get("/metrics")
    assert inside.status_code == 200
    assert outside.status_code == 403
    assert proxy_itself.status_code == 403


async def test_a_configured_token_is_required(start_server: ServerFactory) -> None:
    """With SUPPORT_METRICS_TOKEN set, no token or a wrong one is 401; the right one is 200."""
    live = await start_server(metrics_token="scrape-me-please")
    async with live.http() as http:
        missing = await http.get("/metrics")
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer scrape-me-pleasE"})
    for response in (missing, wrong):
        assert response.status_code == 401
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert "support_" not in response.text
    samples = await scrape(live, Authorization="Bearer scrape-me-please")
    assert value(samples, "support_waiting_customers") == 0
