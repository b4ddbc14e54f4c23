"""Attempts at one document: the database's ``attempts`` column is their one owner.

A document is tried again for two reasons: its job raised something transient (the MIS timed
out), or its worker was lost mid-document (SIGKILL, out of memory). Both count against the
same budget, :func:`max_attempts`, and both go through :func:`dispatch_document`, which claims
the next attempt number in the database before it enqueues. RQ's own ``Retry`` is not used
for documents: two counters (RQ's ``retries_left`` and ours) let whichever runs out last
decide, and RQ's scheduled retry would look "live" to the reconciler for its whole back-off.

A deterministic input error (a :class:`~pupil_privacy.redaction.errors.DocumentError`:
corrupt, encrypted, unsupported, too large) is never tried again: it would fail the same way.

The budget is per render. A document is rendered again after every round of review decisions
(issue 8), and each render is a fresh start: five re-renders of a healthy document must not
use up the attempts of a sixth. Attempt numbers still only grow (they name the RQ job, and an
older attempt's job must see it was superseded), so each render takes a fresh block of
:data:`RENDER_BLOCK` numbers (render 0: 1, 2...; render 1: 1001, 1002...) and
:func:`tries` counts within the block. No new column, and no second counter that could
disagree with the first.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from .media import is_clip
from .models import RequestDocument
from .progress import rowcount
from .queueing import document_job_id, enqueue_document
from .runtime import Runtime
from .states import DocumentStatus

#: Attempt numbers per render (see the module): far above any sensible ``max_attempts``.
RENDER_BLOCK = 1000


def max_attempts(runtime: Runtime) -> int:
    """Attempts at one render of a document before it is marked failed: the first try plus
    ``job_retries`` (unless ``max_attempts`` is set). A file that kills its worker every time
    must not be retried for ever."""
    configured = runtime.settings.max_attempts
    budget = configured if configured is not None else runtime.settings.job_retries + 1
    return min(budget, RENDER_BLOCK - 1)


def tries(attempt: int) -> int:
    """How many times the current render of a document was tried, from its attempt number
    (0 when it was never dispatched)."""
    return 0 if attempt <= 0 else (attempt - 1) % RENDER_BLOCK + 1


def exhausted(runtime: Runtime, doc: RequestDocument) -> bool:
    """Whether the current render of ``doc`` has used up its attempts."""
    return tries(doc.attempts) >= max_attempts(runtime)


def retry_delay(runtime: Runtime, attempt: int) -> int:
    """Seconds to wait before attempt ``attempt + 1`` (back-off from ``retry_intervals``)."""
    intervals = list(runtime.settings.retry_intervals) or [0]
    return int(intervals[min(tries(attempt), len(intervals)) - 1])


def dispatch_document(
    runtime: Runtime, doc: RequestDocument, *, delay: int = 0, new_render: bool = False
) -> bool:
    """Give ``doc`` a new attempt number and enqueue its job (commit first, then enqueue).

    The attempt is claimed with a compare-and-set, so two reconcilers (or a reconciler and a
    failing job) never both dispatch it.

    :param delay: seconds before the job may run (RQ's scheduler holds it until then).
    :param new_render: a render after review decisions, not a retry: its attempts are
        counted afresh (the next block of attempt numbers).
    """
    session = runtime.session
    attempt = doc.attempts + 1
    if new_render and doc.attempts > 0:
        attempt = (doc.attempts - 1) // RENDER_BLOCK * RENDER_BLOCK + RENDER_BLOCK + 1
    claimed = rowcount(
        session.execute(
            update(RequestDocument)
            .where(RequestDocument.id == doc.id, RequestDocument.attempts == doc.attempts)
            .values(
                attempts=attempt,
                job_id=document_job_id(doc.request_id, doc.id, attempt),
                status=DocumentStatus.PENDING,
            )
        )
    )
    session.commit()
    if not claimed:
        return False
    session.refresh(doc)
    at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay) if delay > 0 else None
    clip = is_clip(doc.filename)
    enqueue_document(runtime, doc.request_id, doc.id, attempt, at=at, clip=clip)
    return True
