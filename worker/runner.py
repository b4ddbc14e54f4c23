"""Running RQ workers for pupil-privacy: ``flask --app yourmis pupil-privacy worker``.

The command creates the host app once and pushes its app context; every job then finds the
runtime (settings, MIS adapter, database session, Redis) through it. After each job the
session is committed or rolled back and removed, so one job's database error cannot poison
the next. The reconciler runs when the worker starts and then every ``reconcile_every``
seconds from the worker's maintenance loop (no rq-scheduler needed; the worker's built-in
scheduler is started for retry back-off).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rq import Queue, SimpleWorker, Worker
from rq.job import Job
from rq.serializers import JSONSerializer

from .pack.retention import purge_expired
from .reconcile import reconcile
from .runtime import Runtime, get_runtime

if TYPE_CHECKING:
    from flask import Flask

log = logging.getLogger(__name__)


def _end_session(runtime: Runtime) -> None:
    """Roll back whatever a job left uncommitted and give the connection back."""
    session = runtime.session
    try:
        session.rollback()
    finally:
        remove = getattr(session, "remove", None)
        if callable(remove):
            remove()
        else:
            session.close()


class _JobHygiene:
    """Shared by both worker classes: a clean session around every job, reconcile on
    maintenance, and a fresh database pool in a forked work horse."""

    runtime: Runtime
    _parent_pid: int

    def _before_job(self) -> None:
        if os.getpid() != self._parent_pid:
            # A forked horse must not reuse the parent's database sockets.
            bind = self.runtime.session.get_bind()
            dispose = getattr(bind, "dispose", None)
            if callable(dispose):
                dispose(close=False)

    def _reconcile_quietly(self) -> None:
        """Maintenance: re-enqueue lost work, and delete packs past their retention date."""
        try:
            reconcile(self.runtime)
            purge_expired(self.runtime)
        except Exception:  # noqa: BLE001 - the worker must keep serving jobs
            log.exception("maintenance failed; will try again at the next one")
        finally:
            _end_session(self.runtime)


class PackWorker(_JobHygiene, Worker):
    """The production worker: forks a work horse per job (a zip bomb or a crash in a PDF
    library takes the horse down, not the worker)."""

    def __init__(self, *args: Any, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.runtime, self._parent_pid = runtime, os.getpid()

    def perform_job(self, job: Job, queue: Queue) -> bool:
        self._before_job()
        try:
            return super().perform_job(job, queue)
        finally:
            _end_session(self.runtime)

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        self._reconcile_quietly()


class SimplePackWorker(_JobHygiene, SimpleWorker):
    """Runs jobs in its own process: for tests, the demo and platforms without fork."""

    def __init__(self, *args: Any, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.runtime, self._parent_pid = runtime, os.getpid()

    def perform_job(self, job: Job, queue: Queue) -> bool:
        try:
            return super().perform_job(job, queue)
        finally:
            _end_session(self.runtime)

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        self._reconcile_quietly()


def make_worker(
    runtime: Runtime,
    queues: Sequence[str] | None = None,
    *,
    simple: bool = False,
    reconcile_every: int = 60,
    **kwargs: Any,
) -> Worker | SimpleWorker:
    """A worker on the runtime's queue (or ``queues``), JSON-serialised like the jobs."""
    names = list(queues) if queues else [runtime.settings.queue_name]
    rq_queues = [runtime.queue(name) for name in names]
    cls = SimplePackWorker if simple else PackWorker
    return cls(
        rq_queues,
        connection=runtime.redis,
        serializer=JSONSerializer,
        runtime=runtime,
        maintenance_interval=reconcile_every,
        # An idle worker waits on Redis for at most worker_ttl - 15 s between maintenance
        # runs: keep that near reconcile_every so lost work is found within a minute or so.
        worker_ttl=max(reconcile_every + 15, 30),
        **kwargs,
    )


def preload(runtime: Runtime) -> None:
    """Load the NLP engine once in the worker process, before forking, so every work horse
    inherits it instead of loading spaCy per job."""
    if runtime.settings.redactor is not None:
        return
    try:
        from pupil_privacy.redaction.detect import warm_up

        # The model and the detector's word lists: ~0.5 s a job otherwise, since each
        # work horse is a fresh fork of this process.
        warm_up(runtime.settings.spacy_model)
    except Exception:  # noqa: BLE001 - jobs will report the problem per document
        log.exception("could not preload the NLP engine")


def run_worker(
    app: Flask,
    burst: bool = False,
    queues: list[str] | None = None,
    *,
    simple: bool | None = None,
    reconcile_every: int = 60,
) -> None:
    """Serve pupil-privacy jobs until stopped (or, with ``burst``, until the queue is empty).

    :param simple: run jobs in this process instead of forking a horse per job; default is
        forking where the platform has ``fork``.
    """
    with app.app_context():
        runtime = get_runtime()
        preload(runtime)
        counts = reconcile(runtime)
        _end_session(runtime)
        log.info("worker starting; reconcile at start: %s", counts)
        use_simple = simple if simple is not None else not hasattr(os, "fork")
        worker = make_worker(runtime, queues, simple=use_simple, reconcile_every=reconcile_every)
        # A burst run ends when the queue is empty; retries it schedules wait for a full worker.
        worker.work(burst=burst, with_scheduler=not burst, logging_level="INFO")
