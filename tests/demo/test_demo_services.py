"""``make demo`` starts an embedded Redis and a worker, and Ctrl-C stops all of it."""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import redis

from pupil_privacy.demo.services import embedded_redis, subprocess_with_prefix


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def _pids_with(text: str) -> list[int]:
    """Processes whose command line contains ``text``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in cmdline:
                found.append(int(entry.name))
    return found


def test_embedded_redis_starts_and_stops(tmp_path: Path) -> None:
    with embedded_redis(tmp_path / "redis.rdb") as url:
        socket_path = url.removeprefix("unix://")
        client = redis.Redis.from_url(url)
        assert client.ping()
        client.close()
        pids = _pids_with(socket_path)
        assert pids
    assert not any(_alive(pid) for pid in pids)
    assert not Path(socket_path).parent.exists()


def test_subprocess_output_is_prefixed_and_its_group_is_stopped() -> None:
    # The child starts a grandchild (as an RQ worker forks a work horse) and ignores SIGTERM,
    # so only the process-group kill can stop both.
    script = (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        "print('started', child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    out = io.StringIO()
    with subprocess_with_prefix(
        [sys.executable, "-c", script], dict(os.environ), "[w] ", out=out, grace=0.5
    ) as process:
        deadline = time.monotonic() + 20
        while "started" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert process.poll() is None
    match = re.search(r"\[w\] started (\d+)", out.getvalue())
    assert match is not None
    grandchild = int(match.group(1))
    assert process.returncode is not None
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_make_demo_serves_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(PORT=str(port), DEMO_VAR_DIR=str(tmp_path / "var"), PYTHONUNBUFFERED="1")
    log = tmp_path / "demo.log"
    with log.open("w") as sink:
        demo = subprocess.Popen(
            [sys.executable, "-m", "pupil_privacy.demo"], env=env, stdout=sink, stderr=sink
        )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login") as page:
                    assert page.status == 200
                    break
            except OSError:
                assert demo.poll() is None, log.read_text()
                time.sleep(0.5)
        else:
            pytest.fail(f"the demo did not start:\n{log.read_text()}")
        while "Listening on" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.5)
        text = log.read_text()
        assert "Demo logins" in text and "parent" in text and "[worker] " in text
        socket_path = re.search(r"Embedded Redis on unix://(\S+)", text)
        assert socket_path is not None
        started = (
            _pids_with(socket_path.group(1))
            + _pids_with(str(tmp_path))
            + [p for p in _pids_with("pupil-privacy worker") if _parent_chain_has(p, demo.pid)]
        )
        assert len(started) >= 2
        demo.send_signal(signal.SIGINT)
        assert demo.wait(timeout=60) == 0
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in started if _alive(pid)], log.read_text()
    assert "Stopped." in log.read_text()


def _parent_chain_has(pid: int, ancestor: int) -> bool:
    while pid > 1:
        if pid == ancestor:
            return True
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, IndexError, ValueError):
            return False
    return False
