"""A real ``support-server`` process (with the fake OCR reader) for cross-process tests."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from live_server import PASSWORD, Endpoint

from support_server.testing import free_port

SRC = Path(__file__).resolve().parents[2] / "src"
_RUN = (
    "from support_server.cli import main;"
    "from support_server.testing import fake_reader_factory;"
    "raise SystemExit(main(reader_factory=fake_reader_factory))"
)


def server_env(data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a server process: ``SUPPORT_*`` from ``settings`` (lower-case names)."""
    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "SUPPORT_DATA_DIR": str(data_dir),
        "SUPPORT_USER_UI_DIR": str(data_dir / "no-ui"),
        "SUPPORT_EMPLOYEE_UI_DIR": str(data_dir / "no-ui"),
    }
    env.update({f"SUPPORT_{k.upper()}": v for k, v in settings.items()})
    return env


def add_employee(env: dict[str, str], name: str, password: str = PASSWORD) -> None:
    """Create an employee account with the real CLI."""
    subprocess.run(
        [sys.executable, "-m", "support_server.cli", "employee", "add", name, "--password-stdin"],
        input=password + "\n",
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


@dataclass(kw_only=True)
class ServerProcess(Endpoint):
    """One ``support-server`` subprocess on its own port; its log is ``log_path``."""

    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @classmethod
    def start(cls, env: dict[str, str], log_path: Path) -> ServerProcess:
        port = free_port()
        env = {**env, "SUPPORT_PORT": str(port), "SUPPORT_HOST": "127.0.0.1"}
        server = cls(base=f"http://127.0.0.1:{port}", env=env, log_path=log_path)
        with log_path.open("ab") as log:
            server.proc = subprocess.Popen(
                [sys.executable, "-c", _RUN], env=env, stdout=log, stderr=log
            )
        server.wait_ready()
        return server

    def wait_ready(self, timeout: float = 180.0) -> None:
        """Wait until ``/readyz`` answers 200."""
        deadline = time.monotonic() + timeout
        while True:
            if self.proc is None or self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(self.base + "/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server not ready: {self.log_path.read_text()[-3000:]}")
            time.sleep(0.2)

    async def ensure_employee(self, name: str) -> None:
        async with self.http() as http:
            response = await http.post(
                "/api/auth/login", json={"username": name, "password": PASSWORD}
            )
        if response.status_code != 200:
            await asyncio.to_thread(add_employee, self.env, name)

    def kill(self) -> None:
        """SIGKILL: the process dies at once, as in a crash."""
        self.signal(signal.SIGKILL)

    def signal(self, number: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(number)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not stop within 30 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
