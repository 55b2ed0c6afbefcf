"""A real redis-server for the tests: started on a free loopback port, with nothing saved.

``scripts/test`` installs redis-server where it is missing. Run outside it, the tests that need
Redis are skipped when there is none, unless SAYLAU_REQUIRE_REDIS=1 (then they fail).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_server_or_skip() -> str:
    """The path of redis-server; skips the test (or fails it, where Redis is required)."""
    path = shutil.which("redis-server")
    if path is None:
        if os.environ.get("SAYLAU_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is not installed (scripts/test installs it)")
        pytest.skip("redis-server is not installed (scripts/test installs it)")
    return path


@contextmanager
def running_redis(directory: Path) -> Iterator[str]:
    """Start redis-server in ``directory``; yield its URL; stop it afterwards."""
    port = _free_port()
    process = subprocess.Popen(
        [
            redis_server_or_skip(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)
