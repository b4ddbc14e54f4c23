"""Attempts at a document (issue 11): a deterministic input error is never retried; a
transient one is, after the back-off; the database's attempt count is the one budget, shared
by exceptions and lost workers, and RQ keeps no retry budget of its own."""

from __future__ import annotations

from typing import Any

from flask import Flask
from pp_worker_app import LiteralRedactor, new_request
from rq.job import JobStatus
from sqlalchemy import select
from support.worker_flow import finish, session

from pupil_privacy.redaction.errors import CorruptDocument, DocumentTooLarge, EncryptedDocument
from pupil_privacy.worker import failures, queueing
from pupil_privacy.worker.models import RequestDocument
from pupil_privacy.worker.reconcile import reconcile
from pupil_privacy.worker.runtime import get_runtime
from pupil_privacy.worker.states import Status


class Failing(LiteralRedactor):
    """The letter (a PDF) raises ``errors`` in turn, then is redacted as usual."""

    def __init__(self, *errors: BaseException) -> None:
        self.errors, self.calls = list(errors), 0

    def redact(
        self, data: bytes, filename: str, detector: Any, *, max_bytes: int, decisions: Any = None
    ) -> Any:
        if filename.endswith(".pdf"):
            self.calls += 1
            if self.errors:
                raise self.errors.pop(0)
        return super().redact(data, filename, detector, max_bytes=max_bytes, decisions=decisions)


def _letter() -> RequestDocument:
    return (
        session().scalars(select(RequestDocument).where(RequestDocument.record_id == "r-letter"))
    ).one()


def test_deterministic_input_errors_are_not_retried(make_worker_app, work) -> None:
    for error in (
        CorruptDocument("the file is damaged"),
        EncryptedDocument("the file is password-protected"),
        DocumentTooLarge("the file is over the limit"),
    ):
        redactor = Failing(error, error, error)
        app: Flask = make_worker_app(redactor=redactor, max_attempts=4)
        rid = new_request(app)
        queueing.enqueue_request(rid)
        req = finish(rid, work)
        assert redactor.calls == 1, error  # tried once: it would fail the same way again
        letter = _letter()
        assert (letter.status, letter.attempts, letter.error) == ("failed", 1, error.reason)
        assert req.status == Status.READY_FOR_REVIEW
        jobs = [f for f in failures.failed_jobs(get_runtime()) if f["kind"] == "job"]
        assert jobs == []  # nothing for an operator to retry: the DPO sees the reason


def test_a_transient_error_is_retried_and_the_document_kept(make_worker_app, work) -> None:
    redactor = Failing(ConnectionError("the MIS timed out"))
    app = make_worker_app(redactor=redactor)
    rid = new_request(app)
    queueing.enqueue_request(rid)
    req = finish(rid, work)
    assert redactor.calls == 2
    letter = _letter()
    assert (letter.status, letter.attempts) == ("done", 2)
    assert req.status == Status.READY_FOR_REVIEW


def _second_attempt_waiting(make_worker_app, work) -> RequestDocument:
    """The letter's first attempt raised something transient; its second (of two) waits five
    minutes in RQ's scheduled registry, which a burst worker leaves alone."""
    app = make_worker_app(
        redactor=Failing(ConnectionError("the MIS timed out")), retry_intervals=(300,)
    )
    queueing.enqueue_request(new_request(app))
    work()
    letter = _letter()
    assert (letter.status, letter.attempts) == ("pending", 2)
    return letter


def test_the_back_off_is_a_counted_attempt_the_reconciler_leaves_alone(
    make_worker_app, work
) -> None:
    """The next attempt waits in RQ's scheduled registry; the database already counts it, so
    the reconciler neither dispatches another nor counts it twice."""
    letter = _second_attempt_waiting(make_worker_app, work)
    job = queueing.fetch_job(get_runtime(), letter.job_id)
    assert job is not None and job.get_status() == JobStatus.SCHEDULED
    assert job.retries_left is None  # RQ keeps no budget of its own
    assert reconcile(get_runtime()).get("documents", 0) == 0
    assert _letter().attempts == 2


def test_exceptions_and_lost_workers_share_one_budget(make_worker_app, work) -> None:
    letter = _second_attempt_waiting(make_worker_app, work)  # the last of two
    # Attempt 2 is lost with its worker (its job vanishes, as after a SIGKILL and a flush).
    get_runtime().redis.delete(f"rq:job:{letter.job_id}")
    s = session()
    s.get(RequestDocument, letter.id).status = "processing"
    s.commit()
    counts = reconcile(get_runtime())
    assert counts.get("failed") == 1 and counts.get("documents", 0) == 0
    letter = _letter()
    assert letter.status == "failed" and letter.attempts == 2
    assert "stopped 2 times" in letter.error
