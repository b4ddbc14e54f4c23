"""Step 1 of a pack build: collect the pupil's records from the MIS into document rows, then
dispatch one redaction job per document (and the DPO's "retry")."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .lifecycle import record_event, set_progress, transition
from .mis import MISRecord
from .models import RequestDocument, RightsRequest
from .progress import fail_request, get_request, refresh_progress, rowcount
from .queueing import (
    current_job_id,
    document_job_id,
    enqueue_assemble,
    enqueue_document,
    enqueue_request,
    get_runtime,
    job_is_live,
    job_log,
    last_try,
    lease,
)
from .redacting import is_safeguarding
from .runtime import Runtime
from .states import TERMINAL, BuildStage, DocumentStatus, Status


def collect(request_id: int) -> str:
    """Collect the pupil's records into document rows, then dispatch one job per document.

    Running it twice adds no duplicate (the pair request/record is unique) and re-dispatches
    only documents whose job is not live.
    """
    runtime = get_runtime()
    session = runtime.session
    logger = job_log(request_id)
    req = session.get(RightsRequest, request_id)
    if req is None or req.status != Status.IN_PROGRESS:
        logger.info("skipped: request is %s", None if req is None else req.status)
        return "skipped"
    with lease(runtime, current_job_id()):
        set_progress(req, stage=BuildStage.COLLECTING)
        session.commit()
        try:
            added = _collect(runtime, session, req)
        except Exception:
            session.rollback()
            if last_try():
                fail_request(session, request_id, "the MIS could not be read for this pupil")
            raise
        logger.info("collected %d new record(s); %d in all", added, req.docs_total)
    _dispatch_pending(runtime, request_id)
    return "collected"


def _collect(runtime: Runtime, session: Session, req: RightsRequest) -> int:
    records = list(runtime.mis.records(req.pupil_id))
    known = set(
        session.scalars(
            select(RequestDocument.record_id).where(RequestDocument.request_id == req.id)
        )
    )
    new = [r for r in records if r.id not in known]
    for record in new:
        session.add(_document_row(req.id, record))
    systems = {r.source for r in records} | set(req.systems_searched or [])
    systems.add(runtime.settings.for_school(req.school_id).mis_name)
    req.systems_searched = sorted(systems)  # rule 20: the register says what was searched
    try:
        session.flush()
    except IntegrityError:
        # A concurrent run inserted the same records first: theirs stand.
        session.rollback()
        return 0
    total = session.scalar(
        select(func.count())
        .select_from(RequestDocument)
        .where(RequestDocument.request_id == req.id)
    )
    set_progress(req, stage=BuildStage.REDACTING, docs_total=int(total or 0))
    if new:
        record_event(
            session,
            req,
            "collected",
            detail=f"{len(new)} record(s) found in: {', '.join(req.systems_searched)} (rule 20)",
        )
    session.commit()
    return len(new)


def _document_row(request_id: int, record: MISRecord) -> RequestDocument:
    return RequestDocument(
        request_id=request_id,
        record_id=record.id,
        category=str(
            record.category.value if hasattr(record.category, "value") else record.category
        ),
        title=record.title[:300],
        source=record.source[:200],
        filename=record.filename,
        created_on=record.created,
        status=DocumentStatus.PENDING,
        attempts=0,
        needs_dsl_review=is_safeguarding(str(record.category)),
        warnings=[unpublished_warning(record)] if record.results_published is False else None,
    )


def unpublished_warning(record: MISRecord) -> str:
    """What the DPO is told about exam results not yet announced (rule 5)."""
    day = f" on {record.results_date:%d %B %Y}" if record.results_date else ""
    return (
        f"Exam results not yet published (announced{day or ' later'}): the exam marks clock "
        "applies (rule 5: the earlier of 5 months from the request or 40 days after results)."
    )


def _dispatch_pending(runtime: Runtime, request_id: int) -> int:
    """Enqueue every unfinished document without a live job; assemble when none is left."""
    session = runtime.session
    docs = session.scalars(
        select(RequestDocument).where(
            RequestDocument.request_id == request_id, RequestDocument.status.not_in(TERMINAL)
        )
    ).all()
    sent = sum(
        dispatch_document(runtime, doc) for doc in docs if not job_is_live(runtime, doc.job_id)
    )
    if not docs:
        refresh_progress(session, request_id)
        session.commit()
        enqueue_assemble(request_id)
    return sent


def dispatch_document(runtime: Runtime, doc: RequestDocument) -> bool:
    """Give ``doc`` a new attempt number and enqueue its job (commit first, then enqueue).

    The attempt is claimed with a compare-and-set, so two reconcilers never both dispatch it.
    """
    session = runtime.session
    attempt = doc.attempts + 1
    job_id = document_job_id(doc.request_id, doc.id, attempt)
    claimed = rowcount(
        session.execute(
            update(RequestDocument)
            .where(RequestDocument.id == doc.id, RequestDocument.attempts == doc.attempts)
            .values(attempts=attempt, job_id=job_id, status=DocumentStatus.PENDING)
        )
    )
    session.commit()
    if not claimed:
        return False
    session.refresh(doc)
    enqueue_document(runtime, doc.request_id, doc.id, attempt)
    return True


def retry_request(request_id: int) -> None:
    """Try the documents that failed again and rebuild the pack (the DPO's "retry")."""
    runtime = get_runtime()
    session = runtime.session
    req = get_request(session, request_id)
    failed = [d for d in req.documents if d.status == DocumentStatus.FAILED]
    for doc in failed:
        doc.status, doc.error = DocumentStatus.PENDING, None
    if req.status == Status.FAILED:
        transition(session, req, Status.IN_PROGRESS, detail="The DPO retried the pack build")
    record_event(session, req, "retry", detail=f"{len(failed)} failed document(s) tried again")
    set_progress(req, stage=BuildStage.QUEUED)
    session.commit()
    enqueue_request(request_id)
