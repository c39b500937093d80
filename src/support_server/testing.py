"""Test helpers shipped with support_server: an in-process server, fake card readers, Redis.

``running_server(app)`` starts a real Sanic server on an ephemeral loopback port inside the
current event loop (listeners included) and yields its base URL. The fake reader factories are
module-level, so they pickle into the OCR worker processes; they let the server be tested
without loading the EasyOCR model. :class:`RedisServer` runs a real ``redis-server`` (the
Debian package) on a free loopback port for cluster tests, without persistence (a restart
loses everything, which is what restart tests want).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from ssl import SSLContext
from typing import Any

from ._context import SupportApp
from ._ocr import CardReader
from ._protocol import DeadlineProtocol

__all__ = [
    "FAKE_CARD",
    "FAKE_CROP",
    "FakeCardReader",
    "RedisServer",
    "fake_reader_factory",
    "free_port",
    "running_server",
    "slow_warm_reader_factory",
]

FAKE_CARD: dict[str, Any] = {
    "pan": "ABCPE1234F",
    "name": "ASHA RAO",
    "father_name": "RAMESH RAO",
    "mother_name": None,
    "dob": "1990-01-31",
    "confidence": {
        "pan": 0.99,
        "name": 0.95,
        "father_name": 0.93,
        "mother_name": None,
        "dob": 0.97,
    },
    "layout": "new",
    "holder_type": "individual",
    "warnings": [],
}
"""What :class:`FakeCardReader` returns for any accepted image."""


class _Card:
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        return dict(self._data)


class _CardImage:
    def __init__(self, jpeg: bytes) -> None:
        self._jpeg = jpeg

    def to_jpeg(self) -> bytes:
        return self._jpeg


class _Extraction:
    def __init__(self, card: _Card, image: _CardImage) -> None:
        self.card = card
        self.image = image


FAKE_CROP = b"\xff\xd8\xff\xe0fake card crop"
"""The card image :class:`FakeCardReader` returns for bytes that are no real picture."""


def _crop_of(source: bytes) -> bytes:
    """The card in ``source`` cut out along the outline panread's locator finds (no OCR), the
    whole picture when it shows no outline (panread reads it as the card), or
    :data:`FAKE_CROP` when ``source`` is no decodable picture."""
    import io

    from PIL import Image

    from panread import PanReadError, ReadLimits
    from panread._image import load_image
    from panread._locate import find_card, warp_card

    try:
        picture = load_image(source, ReadLimits()).pixels
    except PanReadError:
        return FAKE_CROP
    found = find_card(picture)
    card = picture if found is None else warp_card(picture, found.quad)
    out = io.BytesIO()
    Image.fromarray(card).save(out, "JPEG", quality=85)
    return out.getvalue()


class FakeCardReader:
    """A reader that checks images with panread's real decoder limits but does no OCR.

    Bytes starting with ``b"SLOW"`` take ``slow_s`` seconds (to fill the OCR queue), bytes
    starting with ``b"HANG"`` never finish (a stuck worker), bytes starting with
    ``b"NOCARD"`` raise ``NoCardFoundError``; ``b"NOTIMAGE"`` raises ``NotAnImageError``;
    ``b"CRASH"`` kills the worker process; anything else returns :data:`FAKE_CARD`, with the
    card cut out of a real picture along the outline panread's locator finds.
    """

    def __init__(self, *, slow_s: float = 1.0, warm_s: float = 0.0) -> None:
        self.slow_s = slow_s
        self.warm_s = warm_s

    def warm_up(self) -> None:
        """Import panread and the preview's image code now, as a real reader loads its model
        while warming, so that a job's deadline measures reading only."""
        import PIL.Image  # noqa: F401

        import panread  # noqa: F401

        time.sleep(self.warm_s)

    def extract(self, source: bytes) -> _Extraction:
        card = self.read(source)
        return _Extraction(card, _CardImage(_crop_of(source)))

    def read(self, source: bytes) -> _Card:
        from panread import NoCardFoundError, NotAnImageError

        if source.startswith(b"SLOW"):
            time.sleep(self.slow_s)
        elif source.startswith(b"HANG"):
            threading.Event().wait()  # stuck for good, as a reader caught in a native loop
        elif source.startswith(b"NOCARD"):
            raise NoCardFoundError("No PAN card was found in the image.")
        elif source.startswith(b"NOTIMAGE"):
            raise NotAnImageError("The file is not an image.")
        elif source.startswith(b"CRASH"):
            os._exit(3)  # the worker process dies, as on a segfault or the OOM killer
        return _Card(FAKE_CARD)


def fake_reader_factory(max_bytes: int, max_pixels: int, threads: int) -> CardReader:
    """A :data:`~support_server.ReaderFactory` building a :class:`FakeCardReader`."""
    del max_bytes, max_pixels, threads
    reader: CardReader = FakeCardReader()
    return reader


def slow_warm_reader_factory(max_bytes: int, max_pixels: int, threads: int) -> CardReader:
    """Like :func:`fake_reader_factory`, but warming up takes 3 seconds (to observe /readyz)."""
    del max_bytes, max_pixels, threads
    reader: CardReader = FakeCardReader(warm_s=3.0)
    return reader


@contextlib.asynccontextmanager
async def running_server(
    app: SupportApp, host: str = "127.0.0.1", *, ssl: SSLContext | None = None
) -> AsyncIterator[str]:
    """Run ``app`` on an ephemeral port in this event loop; yield ``http://host:port``.

    With ``ssl`` (a server context) it serves HTTPS and yields ``https://host:port``.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(128)
    sock.setblocking(False)
    port = sock.getsockname()[1]
    # Sanic's AsyncioServer methods are untyped: hold it as Any.
    server: Any = await app.create_server(
        sock=sock,
        return_asyncio_server=True,
        access_log=False,
        protocol=DeadlineProtocol,
        ssl=ssl,
    )
    if server is None:  # pragma: no cover - Sanic always returns one
        raise RuntimeError("Sanic did not return a server")
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield f"{'https' if ssl else 'http'}://{host}:{port}"
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
        sock.close()


def free_port() -> int:
    """A TCP port nobody listens on right now (on 127.0.0.1)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class RedisServer:
    """One ``redis-server`` process on 127.0.0.1; ``start``/``stop`` may be repeated."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = free_port() if port is None else port
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and wait until it answers PING."""
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
        self.directory.mkdir(parents=True, exist_ok=True)
        log = (self.directory / "redis.log").open("ab")
        self._proc = subprocess.Popen(  # noqa: S603 (the installed redis-server, fixed arguments)
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=log,
            stderr=log,
        )
        log.close()
        deadline = time.monotonic() + 10
        while not self._answers_ping():
            if self._proc.poll() is not None:
                raise RuntimeError(f"redis-server exited: {self._log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not answer in 10 s: {self._log_tail()}")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def _answers_ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def _log_tail(self) -> str:
        path = self.directory / "redis.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""
