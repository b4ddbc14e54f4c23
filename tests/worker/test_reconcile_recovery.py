"""The database is the source of truth (issue 4): a worker killed with SIGKILL mid-document,
a Redis that lost everything, an enqueue that never happened, a stale assembly claim: the
reconciler re-enqueues what was lost, and nothing is lost or duplicated.

Here a lost Redis is simulated with ``FLUSHDB`` of the test database between jobs (what a
restart without persistence does to our queue); test_worker_redis_restart.py kills and
restarts a real redis-server of its own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pp_worker_app import new_request
from sqlalchemy import func, select
from support.worker_flow import (
    assert_one_of_everything,
    finish,
    pack_text,
    release_safeguarding,
    session,
)

from pupil_privacy.worker import jobs, queueing
from pupil_privacy.worker.models import Pack, RequestDocument, RightsRequest
from pupil_privacy.worker.reconcile import reconcile
from pupil_privacy.worker.runner import run_worker
from pupil_privacy.worker.runtime import get_runtime
from pupil_privacy.worker.states import BuildStage, Status

HERE = Path(__file__).parent  # pp_worker_app.py runs the killed worker


def wait_for_status(document_record: str, status: str, timeout: float = 90) -> RequestDocument:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        doc = (
            session()
            .scalars(select(RequestDocument).where(RequestDocument.record_id == document_record))
            .first()
        )
        if doc is not None and doc.status == status:
            return doc
        time.sleep(0.2)
    raise AssertionError(f"{document_record} never became {status}")


def test_worker_killed_with_sigkill_mid_document(app, work, database_url, redis_url):
    runtime = get_runtime()
    rid = new_request(app)
    queueing.enqueue_request(rid)
    settings = runtime.settings
    # A real worker process (run_worker, forking a horse per job) in its own process group;
    # reading the letter's file takes 60 s there, so we can kill it in the middle.
    proc = subprocess.Popen(
        [
            sys.executable,
            str(HERE / "pp_worker_app.py"),
            database_url,
            redis_url,
            str(settings.storage_dir),
            settings.pack_key.decode(),
            "60",
        ],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        letter = wait_for_status("r-letter", "processing")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert letter.attempts == 1
    assert session().get(RightsRequest, rid).status == Status.IN_PROGRESS
    assert not session().scalars(select(Pack)).all()

    time.sleep(queueing.lease_seconds(runtime) + 0.5)  # the dead worker's lease runs out
    counts = reconcile(runtime)
    assert counts.get("documents", 0) >= 1
    req = finish(rid, work)
    assert req.status == Status.READY_FOR_REVIEW
    letter = next(d for d in req.documents if d.record_id == "r-letter")
    assert (letter.status, letter.attempts) == ("done", 2)
    assert_one_of_everything(rid)
    assert "minibus" in pack_text("requester", rid)
    # The killed attempt, if RQ ever re-runs it, is recognised as superseded.
    assert jobs.process_document(rid, letter.id, 1) == "superseded"


def test_redis_lost_everything_between_jobs(app, work, redis):
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work(max_jobs=3)  # collect and two documents
    done_before = {d.id for d in session().scalars(select(RequestDocument)) if d.status == "done"}
    assert len(done_before) == 2
    redis.flushdb()  # a Redis restart without persistence: every queued job is gone
    assert get_runtime().queue().count == 0
    assert session().get(RightsRequest, rid).docs_done == 2

    # Workers run this at start and every minute; here it is called directly.
    counts = reconcile(get_runtime())
    assert counts["documents"] == 3
    req = finish(rid, work)
    assert req.status == Status.READY_FOR_REVIEW
    assert (req.docs_done, req.docs_total) == (5, 5)
    for doc in req.documents:  # finished work was kept, not redone
        assert doc.attempts == (1 if doc.id in done_before else 2)
    assert_one_of_everything(rid)


def test_reconciler_starts_a_request_whose_enqueue_was_lost(app, work):
    rid = new_request(app)  # committed, but the enqueue never happened (Redis was down)
    assert reconcile(get_runtime()) == {"requests": 1, "collect": 1}
    assert reconcile(get_runtime()) == {"requests": 1}  # the job is queued: nothing more
    req = finish(rid, work)
    assert req.status == Status.READY_FOR_REVIEW
    assert_one_of_everything(rid)


def test_a_stale_assembly_claim_is_released(app, work, redis):
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    release_safeguarding(rid)
    redis.flushdb()  # the assembly job was lost...
    s = session()
    s.get(RightsRequest, rid).stage = BuildStage.ASSEMBLING  # ...after it had claimed the request
    s.commit()
    assert jobs.assemble(rid) == "already assembling"  # the claim guards against doubles
    counts = reconcile(get_runtime())
    assert counts == {"requests": 1, "claims_released": 1, "assemble": 1}
    work()
    assert session().get(RightsRequest, rid).status == Status.READY_FOR_REVIEW
    assert_one_of_everything(rid)


def test_a_document_that_keeps_killing_its_worker_is_failed_not_retried_for_ever(app, work):
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work(max_jobs=1)  # collected; documents queued
    s = session()
    letter = s.scalars(select(RequestDocument).where(RequestDocument.record_id == "r-letter")).one()
    letter.status, letter.attempts, letter.job_id = "processing", 9, "pp-x-doc-lost-9"
    s.commit()
    counts = reconcile(get_runtime())
    assert counts["failed"] == 1
    letter = session().get(RequestDocument, letter.id)
    assert letter.status == "failed" and "stopped 9 times" in letter.error
    req = finish(rid, work)
    assert req.status == Status.READY_FOR_REVIEW
    assert "could not be processed: processing stopped 9 times" in " ".join(
        pack_text("requester", rid).split()
    )


def test_run_worker_reconciles_then_serves_the_queue(app, redis):
    rid = new_request(app)  # never enqueued: run_worker's start-up reconcile finds it
    run_worker(app, burst=True, simple=True)
    release_safeguarding(rid)
    run_worker(app, burst=True, simple=True)
    s = session()
    assert s.get(RightsRequest, rid).status == Status.READY_FOR_REVIEW
    assert s.scalar(select(func.count()).select_from(Pack)) == 4
