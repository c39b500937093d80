"""Memory and connection exhaustion over raw TCP: unauthorised uploads, slow senders."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

from live_server import Live, ServerFactory
from test_pan_api import joined

TEN_MB = 10_000_000


async def open_raw(live: Live) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    url = urlsplit(live.base)
    assert url.hostname is not None
    assert url.port is not None
    return await asyncio.open_connection(url.hostname, url.port)


def upload_head(live: Live, length: int, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"POST /api/pan/extract HTTP/1.1\r\nHost: {urlsplit(live.base).netloc}\r\n{auth}"
        f"Content-Type: image/jpeg\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


async def status_line(reader: asyncio.StreamReader, timeout: float) -> bytes:
    """The response's status line, or b'' if the server closed without answering."""
    return await asyncio.wait_for(reader.readline(), timeout)


async def test_unauthorised_upload_is_refused_before_its_body(live: Live) -> None:
    """Headers of a 10 MB upload without a token and a few bytes get 401 at once."""
    reader, writer = await open_raw(live)
    writer.write(upload_head(live, TEN_MB) + b"\xff\xd8\xff" * 100)
    await writer.drain()
    assert (await status_line(reader, 5)).startswith(b"HTTP/1.1 401")
    writer.close()


async def test_declared_oversize_upload_is_refused_before_its_body(live: Live) -> None:
    """A customer's upload declaring more than the limit gets 413 without sending it."""
    _, _, token = await joined(live)
    reader, writer = await open_raw(live)
    writer.write(upload_head(live, 2 * TEN_MB, token) + b"\xff\xd8\xff")
    await writer.drain()
    assert (await status_line(reader, 5)).startswith(b"HTTP/1.1 413")
    writer.close()


async def test_headers_trickled_in_hit_a_total_deadline(start_server: ServerFactory) -> None:
    """A client sending a header line every 0.3 s is cut off after the header deadline."""
    live = await start_server(header_timeout_s=1.0)
    reader, writer = await open_raw(live)
    writer.write(b"GET /healthz HTTP/1.1\r\n")
    answer = None
    for i in range(20):  # 6 s of headers, each arriving well inside a per-read timeout
        try:
            writer.write(f"X-Slow-{i}: x\r\n".encode())
            await writer.drain()
            answer = await asyncio.wait_for(reader.readline(), 0.3)
        except TimeoutError:
            continue
        except ConnectionError:
            answer = b""
        break
    assert answer is not None, "the server waited for the trickled headers"
    assert answer.startswith(b"HTTP/1.1 408") or answer == b""  # answered 408, or cut off
    writer.close()


async def test_body_trickled_in_hits_a_total_deadline(start_server: ServerFactory) -> None:
    """An upload sending a few bytes every 0.3 s gets 408 once the body deadline passes."""
    live = await start_server(header_timeout_s=0.5, body_timeout_s=1.5)
    _, _, token = await joined(live)
    reader, writer = await open_raw(live)
    writer.write(upload_head(live, 100_000, token))
    answer = None
    for _ in range(30):  # 9 s of body at most
        writer.write(b"\x00" * 10)
        await writer.drain()
        try:
            answer = await asyncio.wait_for(reader.readline(), 0.3)
        except TimeoutError:
            continue
        break
    assert answer is not None, "the server waited for the trickled body"
    assert answer.startswith(b"HTTP/1.1 408")
    writer.close()
