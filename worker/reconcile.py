"""The reconciler: the database says what should be happening; make Redis agree.

Run at worker start and every minute or so by every worker (one at a time, under a short
Redis lock). It re-enqueues what a lost job, a worker killed with SIGKILL or a Redis restart
left behind:

- a request IN_PROGRESS whose records were never collected (no live ``start`` job);
- documents pending or processing with no live job (missing from Redis, or started on a
  worker whose lease ran out): a new attempt is dispatched; after too many attempts the
  document is marked failed with the reason, never retried for ever;
- a request whose documents are all finished but that has no pack and no live ``assemble``
  job (a stale ``assembling`` claim is released first).
"""

from __future__ import annotations

import logging
from collections import Counter

from sqlalchemy import select

from .attempts import dispatch_document, exhausted, tries
from .lifecycle import pending_dsl_review
from .models import RequestDocument, RightsRequest
from .pack.assemble import release_claim
from .progress import WORKING, mark_failed, refresh_progress
from .queueing import (
    ASSEMBLE,
    START,
    assemble_job_id,
    enqueue,
    job_is_live,
    lease_seconds,
    start_job_id,
)
from .runtime import Runtime
from .states import TERMINAL, BuildStage, RightType, Status

log = logging.getLogger(__name__)

LOCK_KEY = "pp:reconcile:lock"


def reconcile(runtime: Runtime) -> dict[str, int]:
    """Re-enqueue lost work; returns counts (``requests`` looked at, ``collect``,
    ``documents``, ``failed``, ``assemble``, ``claims_released``)."""
    counts: Counter[str] = Counter()
    # The lock only saves work (every step is safe to run twice), so it lasts one lease: a
    # worker killed mid-pass must not hold up every other worker's reconciler for longer
    # than the document it was running, or recovery would miss the documented bound.
    lock = runtime.redis.lock(LOCK_KEY, timeout=lease_seconds(runtime), blocking=False)
    if not lock.acquire(blocking=False):
        return {"skipped": 1}
    session = runtime.session
    try:
        requests = session.scalars(
            select(RightsRequest).where(RightsRequest.status.in_(WORKING))
        ).all()
        for req in requests:
            if not RightType(req.right).produces_pack:
                continue
            counts["requests"] += 1
            _reconcile_request(runtime, req, counts)
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        try:
            lock.release()
        except Exception:  # noqa: BLE001 - an expired lock is fine
            log.debug("reconcile lock had expired")
    result = dict(counts)
    if any(v for k, v in result.items() if k != "requests"):
        log.info("reconcile: %s", result)
    return result


def _reconcile_request(runtime: Runtime, req: RightsRequest, counts: Counter[str]) -> None:
    if req.status == Status.IN_PROGRESS and req.stage in (
        None,
        BuildStage.QUEUED,
        BuildStage.COLLECTING,
    ):
        if not job_is_live(runtime, start_job_id(req.id)):
            enqueue(runtime, START, [req.id], start_job_id(req.id))
            counts["collect"] += 1
        return
    unfinished = runtime.session.scalars(
        select(RequestDocument).where(
            RequestDocument.request_id == req.id, RequestDocument.status.not_in(TERMINAL)
        )
    ).all()
    if req.status == Status.IN_PROGRESS:
        for doc in unfinished:
            if job_is_live(runtime, doc.job_id):
                continue
            if exhausted(runtime, doc):
                mark_failed(
                    runtime.session,
                    doc.id,
                    f"processing stopped {tries(doc.attempts)} times without finishing (the worker "
                    "was lost each time: the file may be too large or malformed)",
                )
                counts["failed"] += 1
            elif dispatch_document(runtime, doc):
                counts["documents"] += 1
        if counts["failed"]:
            refresh_progress(runtime.session, req.id)
            runtime.session.commit()
        runtime.session.refresh(req)
        if any(d.status not in TERMINAL for d in req.documents):
            return
    _reconcile_assembly(runtime, req, counts)


def _reconcile_assembly(runtime: Runtime, req: RightsRequest, counts: Counter[str]) -> None:
    """Everything is finished: make sure an assembly is running or queued."""
    if req.status == Status.SAFEGUARDING_REVIEW and pending_dsl_review(req):
        return  # waiting for the designated safeguarding lead (rule 14), not for a worker
    if job_is_live(runtime, assemble_job_id(req.id)):
        return
    if req.stage == BuildStage.ASSEMBLING:
        release_claim(runtime.session, req.id, BuildStage.REDACTING)
        counts["claims_released"] += 1
    if enqueue(runtime, ASSEMBLE, [req.id], assemble_job_id(req.id)):
        counts["assemble"] += 1
