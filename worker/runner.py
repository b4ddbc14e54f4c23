"""Running RQ workers for pupil-privacy: ``flask --app yourmis pupil-privacy worker``.

The command creates the host app once and pushes its app context; every job then finds the
runtime (settings, MIS adapter, database session, Redis) through it. After each job the
session is committed or rolled back and removed, so one job's database error cannot poison
the next. The reconciler runs when the worker starts and then every ``reconcile_every``
seconds from a timer thread (:class:`MaintenanceTimer`), busy or idle (no rq-scheduler
needed; the worker's built-in scheduler is started for retry back-off).
"""

from __future__ import annotations

import logging
import os
import threading
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


class MaintenanceTimer:
    """Runs the reconciler and the retention purge every ``interval`` seconds in a thread of
    the worker process, whatever the worker is doing.

    RQ runs its own maintenance only between jobs and when an idle worker wakes, so a worker
    busy with a long document (or blocked waiting for work) could leave a killed worker's
    document unnoticed for minutes; the recovery bound in docs/worker.md (lease plus one
    interval) holds only if the reconciler runs on a clock. The pass runs in its own app
    context (its own database session). The worker takes :attr:`lock` around forking a work
    horse, so a horse is never forked while this thread holds a Redis or database connection.

    :param app: the host app (each pass pushes its own app context).
    :param interval: seconds between passes.
    """

    def __init__(self, app: Flask, interval: float) -> None:
        self.app, self.interval = app, interval
        self.lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pp-maintenance", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            with self.lock, self.app.app_context():
                maintain(get_runtime())


def maintain(runtime: Runtime) -> None:
    """Maintenance: re-enqueue lost work, and delete packs past their retention date."""
    try:
        reconcile(runtime)
        purge_expired(runtime)
    except Exception:  # noqa: BLE001 - the worker must keep serving jobs
        log.exception("maintenance failed; will try again at the next one")
    finally:
        _end_session(runtime)


class _JobHygiene:
    """Shared by both worker classes: a clean session around every job, and a fresh database
    pool in a forked work horse. (Reconciling is the :class:`MaintenanceTimer`'s, not RQ's
    maintenance, which runs only between jobs.)"""

    runtime: Runtime
    _parent_pid: int

    def _before_job(self) -> None:
        if os.getpid() != self._parent_pid:
            # A forked horse must not reuse the parent's database sockets.
            bind = self.runtime.session.get_bind()
            dispose = getattr(bind, "dispose", None)
            if callable(dispose):
                dispose(close=False)


class PackWorker(_JobHygiene, Worker):
    """The production worker: forks a work horse per job (a zip bomb or a crash in a PDF
    library takes the horse down, not the worker)."""

    #: Set by :func:`run_worker`: forking waits while a maintenance pass holds a connection.
    fork_lock: threading.Lock | None = None

    def __init__(self, *args: Any, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.runtime, self._parent_pid = runtime, os.getpid()

    def fork_work_horse(self, job: Job, queue: Queue) -> None:
        if self.fork_lock is None:
            super().fork_work_horse(job, queue)
            return
        with self.fork_lock:
            super().fork_work_horse(job, queue)

    def perform_job(self, job: Job, queue: Queue) -> bool:
        self._before_job()
        try:
            return super().perform_job(job, queue)
        finally:
            _end_session(self.runtime)


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


def make_worker(
    runtime: Runtime,
    queues: Sequence[str] | None = None,
    *,
    simple: bool = False,
    reconcile_every: float = 60,
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
        maintenance_interval=max(int(reconcile_every), 1),
        # RQ's own maintenance (cleaning its registries) on the same rhythm; an idle worker
        # waits on Redis for at most worker_ttl - 15 s.
        worker_ttl=max(int(reconcile_every) + 15, 30),
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
    reconcile_every: float = 60,
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
        timer = None if burst else MaintenanceTimer(app, reconcile_every)
        if timer is not None:
            if isinstance(worker, PackWorker):
                worker.fork_lock = timer.lock
            timer.start()
        try:
            # A burst run ends when the queue is empty; the retries it schedules wait for a
            # full worker.
            worker.work(burst=burst, with_scheduler=not burst, logging_level="INFO")
        finally:
            if timer is not None:
                timer.stop()
