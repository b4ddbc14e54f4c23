"""Handing a committed request to the RQ workers.

The request is already stored when these run, so a failure here loses nothing: the reconciler
re-enqueues work that never reached Redis (issue 4).
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def _call_jobs(name: str, request_id: int) -> bool:
    """Call one of the worker's enqueue functions; returns whether the job was queued now."""
    # Imported here: the web app loads the worker's job modules only when it first enqueues.
    from pupil_privacy.worker import collection, queueing

    try:
        getattr(collection if name == "retry_request" else queueing, name)(request_id)
    except Exception:  # Redis down, or anything else: the database stays the source of truth
        log.exception("%s(%s) failed; the reconciler will catch up", name, request_id)
        return False
    return True


def enqueue_processing(request_id: int) -> bool:
    """Start collecting and redacting a request's records."""
    return _call_jobs("enqueue_request", request_id)


def enqueue_assembly(request_id: int) -> bool:
    """Assemble the pack after the DSL's last decision (rule 14)."""
    return _call_jobs("enqueue_assemble", request_id)


def retry_processing(request_id: int) -> bool:
    """Retry failed documents and rebuild the pack (the DPO's "retry")."""
    return _call_jobs("retry_request", request_id)
