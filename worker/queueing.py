"""RQ plumbing: deterministic job ids, enqueueing, liveness, retries and the lease.

Jobs are enqueued by dotted name (``pupil_privacy.worker.jobs.<name>``), the name RQ stores
in Redis, so this module never imports the jobs it enqueues and queued jobs keep running
across releases.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from rq import Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

from .runtime import Runtime, get_runtime

log = logging.getLogger("pupil_privacy.worker.jobs")  # one logger name for every job line

#: Job states in which a job will still run (or is running: see :func:`job_is_live`).
WAITING = (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED)
#: Where the RQ entry points live; their dotted names are stored in Redis with every job.
JOBS_MODULE = "pupil_privacy.worker.jobs"
START, PROCESS_DOCUMENT, ASSEMBLE = (
    f"{JOBS_MODULE}.start_request",
    f"{JOBS_MODULE}.process_document",
    f"{JOBS_MODULE}.assemble",
)


def start_job_id(request_id: int) -> str:
    return f"pp-{request_id}-start"


def document_job_id(request_id: int, document_id: int, attempt: int) -> str:
    return f"pp-{request_id}-doc-{document_id}-{attempt}"


def assemble_job_id(request_id: int) -> str:
    return f"pp-{request_id}-assemble"


def lease_seconds(runtime: Runtime) -> float:
    """How long a running job's lease lasts without a heartbeat: a worker killed with
    SIGKILL is noticed by the reconciler this long after it died."""
    return float(runtime.settings.lease_seconds)


def _retry(runtime: Runtime) -> Retry | None:
    retries = runtime.settings.job_retries
    if retries <= 0:
        return None
    return Retry(max=retries, interval=list(runtime.settings.retry_intervals)[:retries])


def fetch_job(runtime: Runtime, job_id: str) -> Job | None:
    try:
        return Job.fetch(job_id, connection=runtime.redis, serializer=JSONSerializer)
    except NoSuchJobError:
        return None


def job_is_live(runtime: Runtime, job_id: str | None) -> bool:
    """Whether ``job_id`` will still run or is running on a live worker.

    A started job is alive while its lease (refreshed by a heartbeat thread) exists, or for a
    lease period after it started; a worker killed with SIGKILL stops the heartbeat, so the
    lease runs out and the reconciler takes over.
    """
    if not job_id:
        return False
    job = fetch_job(runtime, job_id)
    if job is None:
        return False
    status = job.get_status(refresh=False)
    if status in WAITING:
        return True
    if status != JobStatus.STARTED:
        return False
    if runtime.redis.exists(_lease_key(job_id)):
        return True
    started = job.started_at
    if started is None:
        return True
    started = started.replace(tzinfo=dt.UTC) if started.tzinfo is None else started
    return (dt.datetime.now(dt.UTC) - started).total_seconds() < lease_seconds(runtime)


def enqueue(
    runtime: Runtime,
    func: str,
    args: Sequence[Any],
    job_id: str,
    *,
    rq_retries: bool = True,
    at: dt.datetime | None = None,
    timeout: int | None = None,
) -> bool:
    """Enqueue the job named ``func`` (dotted) with ``args`` as ``job_id`` unless that job is
    still live; True when enqueued.

    :param rq_retries: let RQ retry the job after an exception (collection and assembly).
        Documents count their attempts in the database instead (:mod:`.attempts`).
    :param at: run it no earlier than this (RQ's scheduler holds it until then).
    :param timeout: seconds before RQ kills the job; default ``job_timeout_seconds``.
    """
    if job_is_live(runtime, job_id):
        return False
    old = fetch_job(runtime, job_id)
    if old is not None:
        # A finished, failed or abandoned run of the same step: replace it cleanly.
        old.delete(remove_from_queue=True)
    options: dict[str, Any] = {
        "job_id": job_id,
        "retry": _retry(runtime) if rq_retries else None,
        "job_timeout": timeout or runtime.settings.job_timeout_seconds,
        "result_ttl": 3600,
        "failure_ttl": 30 * 24 * 3600,
        "description": f"{func.rsplit('.', 1)[-1]}{tuple(args)}",
    }
    queue = runtime.queue()
    if at is None:
        queue.enqueue(func, *args, **options)
    else:
        queue.enqueue_at(at, func, *args, **options)
    return True


def _lease_key(job_id: str) -> str:
    return f"pp:lease:{job_id}"


@contextlib.contextmanager
def lease(runtime: Runtime, job_id: str | None) -> Iterator[None]:
    """Hold a lease on ``job_id`` for as long as the job runs, refreshed by a heartbeat."""
    if not job_id:
        yield
        return
    ttl = lease_seconds(runtime)
    key, conn, stop = _lease_key(job_id), runtime.redis, threading.Event()
    conn.set(key, os.getpid(), px=int(ttl * 1000))

    def beat() -> None:
        while not stop.wait(ttl / 3):
            with contextlib.suppress(Exception):
                conn.set(key, os.getpid(), px=int(ttl * 1000))

    thread = threading.Thread(target=beat, name=f"lease {job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=2)
        with contextlib.suppress(Exception):
            conn.delete(key)


def current_job_id() -> str | None:
    job = get_current_job()
    return job.id if job is not None else None


def last_try() -> bool:
    """Whether RQ will not run the current job again after it raises."""
    job = get_current_job()
    return job is None or not job.retries_left


class _JobLog(logging.LoggerAdapter):
    """Every line carries the request and job ids (``extra``) for structured log handlers."""

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        kwargs.setdefault("extra", {}).update(self.extra or {})
        extra = self.extra or {}
        return f"[request {extra.get('request_id')} job {extra.get('job_id')}] {msg}", kwargs


def job_log(request_id: int, **extra: Any) -> _JobLog:
    return _JobLog(log, {"request_id": request_id, "job_id": current_job_id(), **extra})


def enqueue_request(request_id: int) -> None:
    """Start building the pack of a committed, IN_PROGRESS request (idempotent)."""
    if enqueue(get_runtime(), START, [request_id], start_job_id(request_id)):
        job_log(request_id).info("enqueued collection")


def enqueue_assemble(request_id: int) -> None:
    """Assemble the pack again (after the DSL's decisions, or a retry). Idempotent."""
    if enqueue(get_runtime(), ASSEMBLE, [request_id], assemble_job_id(request_id)):
        job_log(request_id).info("enqueued assembly")


def enqueue_document(
    runtime: Runtime,
    request_id: int,
    document_id: int,
    attempt: int,
    *,
    at: dt.datetime | None = None,
    clip: bool = False,
) -> bool:
    """Enqueue the redaction of one document attempt (its id names the attempt). RQ does not
    retry it: the next attempt is a new job, counted in the database (:mod:`.attempts`).

    :param clip: the document is a video clip: its job gets ``clip_job_timeout_seconds``
        (a clip is redacted frame by frame in one job; the default timeout would kill a
        clip of a few minutes, every attempt alike).
    """
    job_id = document_job_id(request_id, document_id, attempt)
    args = [request_id, document_id, attempt]
    timeout = runtime.settings.clip_job_timeout_seconds if clip else None
    return enqueue(
        runtime, PROCESS_DOCUMENT, args, job_id, rq_retries=False, at=at, timeout=timeout
    )
