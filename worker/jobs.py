"""The RQ jobs that turn a request into a pack, and the functions the web app calls to start them.

Pipeline (each step a job; jobs take ids, never ORM objects, and are JSON-serialised)::

    start_request(request_id)                  collect records into RequestDocument rows
      -> process_document(rid, doc_id, attempt)  one job per document: redact, store, schedule
      -> assemble(request_id)                  when every document is done, failed or withheld

The database is the source of truth. Every step commits before it enqueues the next, every
job id is deterministic (``pp-<request>-doc-<document>-<attempt>``) and every job checks the
database first, so running a job twice changes nothing and :mod:`.reconcile` can re-enqueue
whatever a killed worker or a Redis restart lost.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rq import Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pupil_privacy.redaction.errors import DocumentError, DocumentTooLarge, PupilPrivacyError

from . import export
from .lifecycle import record_event, set_progress, transition
from .mis import MISRecord
from .models import Pack, Redaction, RequestDocument, RightsRequest, utcnow
from .pack import (
    BuiltPack,
    LetterFacts,
    PackDocument,
    PackInfo,
    ScheduleRow,
    UnreadableDocument,
    build_dpo_pack,
    build_pack,
    cover_sections,
)
from .pipeline import (
    TERMINAL,
    TitleCleaner,
    check_pack,
    find_record,
    is_safeguarding,
    plain_reason,
    record_bytes,
    redactor_for,
    safe_filename,
    subject_for,
)
from .runtime import Runtime, get_runtime
from .states import RightType, Status
from .storage import StorageError, document_key, pack_key, storage_for

log = logging.getLogger(__name__)

#: Job states in which a job will still run (or is running: see :func:`job_is_live`).
WAITING = (JobStatus.QUEUED, JobStatus.DEFERRED, JobStatus.SCHEDULED)
#: Build stages shown to the DPO beside the progress bar.
QUEUED, COLLECTING, REDACTING, ASSEMBLING = "queued", "collecting", "redacting", "assembling"
READY, DSL_REVIEW, FAILED = "ready", "safeguarding_review", "failed"
#: Requests the worker acts on.
WORKING = (Status.IN_PROGRESS, Status.SAFEGUARDING_REVIEW)


# -- job ids, enqueueing and liveness ----------------------------------------------------------


def start_job_id(request_id: int) -> str:
    return f"pp-{request_id}-start"


def document_job_id(request_id: int, document_id: int, attempt: int) -> str:
    return f"pp-{request_id}-doc-{document_id}-{attempt}"


def assemble_job_id(request_id: int) -> str:
    return f"pp-{request_id}-assemble"


def lease_seconds(runtime: Runtime) -> float:
    """How long a running job's lease lasts without a heartbeat: a worker killed with
    SIGKILL is noticed by the reconciler this long after it died."""
    return float(runtime.settings.extra.get("lease_seconds", 30))


def _retry(runtime: Runtime) -> Retry | None:
    retries = runtime.settings.job_retries
    if retries <= 0:
        return None
    intervals = runtime.settings.extra.get("retry_intervals") or [15, 60, 240]
    return Retry(max=retries, interval=list(intervals)[:retries])


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


def _enqueue(runtime: Runtime, fn: Callable[..., Any], args: Sequence[Any], job_id: str) -> bool:
    """Enqueue ``fn(*args)`` as ``job_id`` unless that job is still live; True when enqueued."""
    if job_is_live(runtime, job_id):
        return False
    old = fetch_job(runtime, job_id)
    if old is not None:
        # A finished, failed or abandoned run of the same step: replace it cleanly.
        old.delete(remove_from_queue=True)
    runtime.queue().enqueue(
        fn,
        *args,
        job_id=job_id,
        retry=_retry(runtime),
        job_timeout=runtime.settings.job_timeout_seconds,
        result_ttl=3600,
        failure_ttl=30 * 24 * 3600,
        description=f"{fn.__name__}{tuple(args)}",
    )
    return True


def _lease_key(job_id: str) -> str:
    return f"pp:lease:{job_id}"


@contextlib.contextmanager
def _lease(runtime: Runtime, job_id: str | None) -> Iterator[None]:
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


def _current_job_id() -> str | None:
    job = get_current_job()
    return job.id if job is not None else None


def _tries(runtime: Runtime) -> int:
    """How many times RQ has run the current job, this run included (RQ counts down
    ``retries_left`` from ``job_retries`` on each retry after an exception)."""
    job = get_current_job()
    if job is None or runtime.settings.job_retries <= 0:
        return 1
    return runtime.settings.job_retries - int(job.retries_left or 0) + 1


def _last_try() -> bool:
    """Whether RQ will not run the current job again after it raises."""
    job = get_current_job()
    return job is None or not job.retries_left


class _JobLog(logging.LoggerAdapter):
    """Every line carries the request and job ids (``extra``) for structured log handlers."""

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        kwargs.setdefault("extra", {}).update(self.extra or {})
        extra = self.extra or {}
        return f"[request {extra.get('request_id')} job {extra.get('job_id')}] {msg}", kwargs


def _log(request_id: int, **extra: Any) -> _JobLog:
    return _JobLog(log, {"request_id": request_id, "job_id": _current_job_id(), **extra})


# -- the functions the web app calls -----------------------------------------------------------


def enqueue_request(request_id: int) -> None:
    """Start building the pack of a committed, IN_PROGRESS request (idempotent)."""
    runtime = get_runtime()
    if _enqueue(runtime, start_request, [request_id], start_job_id(request_id)):
        _log(request_id).info("enqueued collection")


def enqueue_assemble(request_id: int) -> None:
    """Assemble the pack again (after the DSL's decisions, or a retry). Idempotent."""
    runtime = get_runtime()
    if _enqueue(runtime, assemble, [request_id], assemble_job_id(request_id)):
        _log(request_id).info("enqueued assembly")


def retry_request(request_id: int) -> None:
    """Try the documents that failed again and rebuild the pack (the DPO's "retry")."""
    runtime = get_runtime()
    session = runtime.session
    req = _request(session, request_id)
    failed = [d for d in req.documents if d.status == "failed"]
    for doc in failed:
        doc.status, doc.error = "pending", None
    if req.status == Status.FAILED:
        transition(session, req, Status.IN_PROGRESS, detail="The DPO retried the pack build")
    record_event(session, req, "retry", detail=f"{len(failed)} failed document(s) tried again")
    set_progress(req, stage=QUEUED)
    session.commit()
    enqueue_request(request_id)


def _request(session: Session, request_id: int) -> RightsRequest:
    req = session.get(RightsRequest, request_id)
    if req is None:
        raise PupilPrivacyError(f"there is no request {request_id}")
    return req


# -- step 1: collect ---------------------------------------------------------------------------


def start_request(request_id: int) -> str:
    """Collect the pupil's records into document rows, then dispatch one job per document.

    Running it twice adds no duplicate (the pair request/record is unique) and re-dispatches
    only documents whose job is not live.
    """
    runtime = get_runtime()
    session = runtime.session
    logger = _log(request_id)
    req = session.get(RightsRequest, request_id)
    if req is None or req.status != Status.IN_PROGRESS:
        logger.info("skipped: request is %s", None if req is None else req.status)
        return "skipped"
    with _lease(runtime, _current_job_id()):
        set_progress(req, stage=COLLECTING)
        session.commit()
        try:
            added = _collect(runtime, session, req)
        except Exception:
            session.rollback()
            if _last_try():
                _fail_request(session, request_id, "the MIS could not be read for this pupil")
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
    systems.add(str(runtime.settings.extra.get("mis_name", "School MIS")))
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
    set_progress(req, stage=REDACTING, docs_total=int(total or 0))
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
        status="pending",
        attempts=0,
        needs_dsl_review=is_safeguarding(str(record.category)),
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
    claimed = _rowcount(
        session.execute(
            update(RequestDocument)
            .where(RequestDocument.id == doc.id, RequestDocument.attempts == doc.attempts)
            .values(attempts=attempt, job_id=job_id, status="pending")
        )
    )
    session.commit()
    if not claimed:
        return False
    session.refresh(doc)
    _enqueue(runtime, process_document, [doc.request_id, doc.id, attempt], job_id)
    return True


def _rowcount(result: Any) -> int:
    """Rows an UPDATE matched: how a compare-and-set knows it won."""
    return int(getattr(result, "rowcount", 0) or 0)


def refresh_progress(session: Session, request_id: int) -> int:
    """Recount finished documents in one UPDATE (never read-modify-write, workers race)."""
    finished = (
        select(func.count())
        .select_from(RequestDocument)
        .where(RequestDocument.request_id == request_id, RequestDocument.status.in_(TERMINAL))
        .scalar_subquery()
    )
    session.execute(
        update(RightsRequest).where(RightsRequest.id == request_id).values(docs_done=finished)
    )
    remaining = session.scalar(
        select(func.count())
        .select_from(RequestDocument)
        .where(RequestDocument.request_id == request_id, RequestDocument.status.not_in(TERMINAL))
    )
    return int(remaining or 0)


# -- step 2: one document ----------------------------------------------------------------------


def process_document(request_id: int, document_id: int, attempt: int) -> str:
    """Redact one document into an encrypted PDF and its redaction schedule rows.

    A document that cannot be processed (corrupt, encrypted, unsupported, too large, a zip
    bomb, OCR failure, leak check failed) is marked failed with its reason and the pack goes
    on without it. Anything unexpected is retried by RQ with backoff; after the last try the
    document is marked failed too, so nothing is silently dropped.
    """
    runtime = get_runtime()
    session = runtime.session
    logger = _log(request_id, document_id=document_id)
    doc = session.get(RequestDocument, document_id)
    if doc is None or doc.request_id != request_id:
        return "missing"
    if doc.attempts != attempt:
        logger.info("superseded by attempt %d", doc.attempts)
        return "superseded"
    if doc.status in TERMINAL:
        return f"already {doc.status}"
    if doc.request.status != Status.IN_PROGRESS:
        return "skipped"
    with _lease(runtime, _current_job_id()):
        doc.status = "processing"
        session.commit()
        try:
            _redact_one(runtime, session, doc)
            logger.info("redacted: %s page(s)", doc.pages)
        except DocumentError as exc:
            session.rollback()
            _mark_failed(session, document_id, exc.reason)
            logger.warning("could not be processed: %s", exc.reason)
        except Exception as exc:
            session.rollback()
            if _last_try():
                _mark_failed(
                    session,
                    document_id,
                    f"processing failed after {_tries(runtime)} tries ({type(exc).__name__}); "
                    "see the failed jobs list, then retry",
                )
                _after_document(runtime, request_id)
            raise
    _after_document(runtime, request_id)
    return "done"


def _redact_one(runtime: Runtime, session: Session, doc: RequestDocument) -> None:
    req = doc.request
    record = find_record(runtime.mis, req.pupil_id, doc.record_id)
    if record is None:
        raise DocumentError("the record is no longer in the MIS")
    if record.size and record.size > runtime.settings.max_document_bytes:
        limit = runtime.settings.max_document_bytes / 2**20
        raise DocumentTooLarge(
            f"the file is {record.size / 2**20:.1f} MB, over the {limit:.0f} MB limit"
        )
    data, ext = record_bytes(runtime.mis, req.pupil_id, record)
    name = safe_filename(doc.id, ext)
    redactor = redactor_for(runtime.settings)
    subject, roster = subject_for(runtime.mis, req)
    detector = redactor.detector(subject, roster, runtime.settings.spacy_model)
    try:
        result = redactor.redact(
            data, name, detector, max_bytes=runtime.settings.max_document_bytes
        )
    except DocumentError as exc:
        raise type(exc)(plain_reason(exc.reason, name)) from exc
    del data
    key = document_key(req.id, doc.id)
    storage_for(runtime).write(key, result.content)
    # Replace this document's schedule in one transaction: a re-run never duplicates rows.
    session.execute(delete(Redaction).where(Redaction.document_id == doc.id))
    for row in [*result.records, *result.review]:
        session.add(
            Redaction(
                document_id=doc.id,
                page=row.page,
                offset=row.offset,
                text=row.text,
                entity_type=row.entity_type,
                reason=row.reason,
                detector=row.detector,
                score=row.score,
                action=row.action,
            )
        )
    doc.status, doc.error, doc.output_key = "done", None, key
    doc.pages, doc.warnings = result.pages, list(result.warnings) or None
    doc.needs_dsl_review = is_safeguarding(doc.category)  # rule 14
    session.commit()


def _mark_failed(session: Session, document_id: int, reason: str) -> None:
    session.execute(
        update(RequestDocument)
        .where(RequestDocument.id == document_id)
        .values(status="failed", error=reason[:2000], updated_at=utcnow())
    )
    session.commit()


def _after_document(runtime: Runtime, request_id: int) -> None:
    session = runtime.session
    remaining = refresh_progress(session, request_id)
    session.commit()
    if remaining == 0:
        enqueue_assemble(request_id)


def _fail_request(session: Session, request_id: int, why: str) -> None:
    req = session.get(RightsRequest, request_id)
    if req is None or req.status not in WORKING:
        return
    if req.status == Status.SAFEGUARDING_REVIEW:
        # The state machine fails a request only from IN_PROGRESS: pass through it.
        transition(session, req, Status.IN_PROGRESS, detail="pack build resumed to fail")
    transition(session, req, Status.FAILED, detail=why)
    set_progress(req, stage=FAILED)
    session.commit()


# -- step 3: assemble --------------------------------------------------------------------------


class _MissingOutput(Exception):
    def __init__(self, document_id: int) -> None:
        super().__init__(document_id)
        self.document_id = document_id


def assemble(request_id: int) -> str:
    """Build the requester's pack, the DPO's copy and the exports, leak-check, store, and move
    the request on (to SAFEGUARDING_REVIEW first while the DSL has documents to review).

    Claimed in the database (``stage`` compare-and-set), so two runs never build at once;
    pack rows are upserted (one per request and kind).
    """
    runtime = get_runtime()
    session = runtime.session
    logger = _log(request_id)
    req = session.get(RightsRequest, request_id)
    if req is None or req.status not in WORKING:
        return "skipped"
    if any(d.status not in TERMINAL for d in req.documents):
        return "waiting for documents"
    pending = [
        d
        for d in req.documents
        if d.needs_dsl_review and d.dsl_decision is None and d.status == "done"
    ]
    if pending:
        if req.status == Status.IN_PROGRESS:
            transition(
                session,
                req,
                Status.SAFEGUARDING_REVIEW,
                detail=f"{len(pending)} safeguarding document(s) wait for the designated "
                "safeguarding lead's review (rule 14)",
            )
            set_progress(req, stage=DSL_REVIEW)
            session.commit()
        return "safeguarding review"
    if not _claim(session, request_id):
        return "already assembling"
    try:
        with _lease(runtime, _current_job_id()):
            outcome = _assemble(runtime, session, request_id)
    except Exception:
        session.rollback()
        _release_claim(session, request_id, REDACTING)
        if _last_try():
            _fail_request(session, request_id, "the pack could not be assembled; see failed jobs")
        raise
    logger.info("assembly: %s", outcome)
    return outcome


def _claim(session: Session, request_id: int) -> bool:
    claimed = _rowcount(
        session.execute(
            update(RightsRequest)
            .where(
                RightsRequest.id == request_id,
                (RightsRequest.stage.is_(None)) | (RightsRequest.stage != ASSEMBLING),
            )
            .values(stage=ASSEMBLING)
        )
    )
    session.commit()
    return bool(claimed)


def _release_claim(session: Session, request_id: int, stage: str) -> None:
    session.execute(
        update(RightsRequest)
        .where(RightsRequest.id == request_id, RightsRequest.stage == ASSEMBLING)
        .values(stage=stage)
    )
    session.commit()


def _assemble(runtime: Runtime, session: Session, request_id: int) -> str:
    req = _request(session, request_id)
    subject, roster = subject_for(runtime.mis, req)
    detector = redactor_for(runtime.settings).detector(
        subject, roster, runtime.settings.spacy_model
    )
    cleaner = TitleCleaner.for_detector(detector)
    with tempfile.TemporaryDirectory(prefix="pp-pack-") as tmp:
        try:
            built, documents = _build_clean_pack(runtime, session, req, cleaner, Path(tmp))
        except _MissingOutput as missing:
            # The stored copy is gone (storage wiped?): redact that document again.
            doc = session.get(RequestDocument, missing.document_id)
            assert doc is not None
            doc.status, doc.output_key = "pending", None
            session.commit()
            _release_claim(session, request_id, REDACTING)
            dispatch_document(runtime, doc)
            return "re-redacting a document whose stored copy was missing"
        if built is None:
            return "failed: the leak check found third-party data in the cover or contents"
        info = _pack_info(runtime, req, documents)
        dpo_path = Path(tmp) / "dpo.pdf"
        flags = _flags(session, req)
        count, rows = _schedule(session, req)
        dpo_pages = build_dpo_pack(built.path, info, count, rows, flags, dpo_path)
        exports = export.write_exports(
            Path(tmp), runtime.mis, req, documents, built, runtime.settings.school_name
        )
        outputs = [
            ("requester", built.path, built.pages),
            ("dpo", dpo_path, dpo_pages),
            ("export_json", exports[0], None),
            ("export_csv", exports[1], None),
        ]
        _store_packs(runtime, session, req, outputs)
    return _finish(session, request_id, built.pages, documents)


def _pack_documents(
    runtime: Runtime, req: RightsRequest, cleaner: TitleCleaner
) -> list[tuple[RequestDocument, PackDocument]]:
    storage = storage_for(runtime)
    docs = [d for d in req.documents if not hidden_from_requester(d)]
    titles = cleaner.clean([d.title for d in docs])

    def loader(doc: RequestDocument) -> Callable[[], bytes]:
        def load() -> bytes:
            try:
                if doc.output_key is None:
                    raise StorageError("no stored copy")
                return storage.read(doc.output_key)
            except StorageError:
                raise _MissingOutput(doc.id) from None

        return load

    out = []
    for doc, title in zip(docs, titles, strict=True):
        withheld = doc.status == "withheld" or doc.dsl_decision == "withhold"
        status = "withheld" if withheld else doc.status
        reason = withheld_under(doc) if withheld else doc.error
        out.append(
            (
                doc,
                PackDocument(
                    title=title or "Untitled record",
                    category=doc.category,
                    status=status,
                    created=doc.created_on,
                    source=doc.source,
                    reason=reason,
                    load=loader(doc) if status == "done" else None,
                    ref=str(doc.id),
                ),
            )
        )
    return out


def hidden_from_requester(doc: RequestDocument) -> bool:
    """A safeguarding record the DSL withheld, or one that could not be processed (so the DSL
    never reviewed it), is left out of the requester's copy altogether: not even its title
    or a "withheld" line. Telling a parent that a child-abuse record exists can itself cause
    the harm the exemption prevents (DPA 2018 Sch 3 para 21, rule 14; the ICO accepts not
    saying an exemption is relied on when saying so would defeat it). The DPO's copy and the
    register record it."""
    if not doc.needs_dsl_review:
        return False
    return doc.dsl_decision == "withhold" or doc.status in ("failed", "withheld")


def withheld_under(doc: RequestDocument) -> str:
    """The exemption a withheld document is listed under in the requester's pack (the DPO
    records it in ``error`` when withholding, e.g. serious harm, rule 13)."""
    return doc.error or "an exemption in the Data Protection Act 2018, Schedule 3"


def _build_clean_pack(
    runtime: Runtime, session: Session, req: RightsRequest, cleaner: TitleCleaner, tmp: Path
) -> tuple[BuiltPack | None, list[tuple[RequestDocument, PackDocument]]]:
    """Build the requester's pack and leak-check it (rule 18). A document whose pages still
    show a known third party is taken out (failed, with the reason) and the pack is built
    again; a leak in the cover letter or contents fails the request."""
    for _ in range(3):
        documents = _pack_documents(runtime, req, cleaner)
        info = _pack_info(runtime, req, documents)
        try:
            built = build_pack(info, [p for _, p in documents], tmp / "requester.pdf")
        except UnreadableDocument as exc:
            _mark_failed(session, int(exc.ref), exc.reason)
            session.expire_all()
            req = _request(session, req.id)
            continue
        leaks = check_pack(built, cleaner.terms)
        if not leaks:
            return built, documents
        if leaks.front_matter:
            _fail_request(
                session,
                req.id,
                "leak check failed on the assembled pack: " + "; ".join(leaks.front_matter[:5]),
            )
            return None, documents
        for ref, kinds in leaks.documents.items():
            _mark_failed(
                session,
                int(ref),
                "the leak check on the assembled pack still found a known third party's "
                + ", ".join(sorted(set(kinds))),
            )
        session.expire_all()
        req = _request(session, req.id)
    raise PupilPrivacyError("the assembled pack kept failing the leak check")


def _pack_info(
    runtime: Runtime, req: RightsRequest, documents: Sequence[tuple[RequestDocument, PackDocument]]
) -> PackInfo:
    settings = runtime.settings
    pupil = runtime.mis.pupil(req.pupil_id)
    packed = [p for _, p in documents]
    categories = sorted(
        {p.category for p in packed}, key=lambda c: [p.category for p in packed].index(c)
    )
    facts = LetterFacts(
        subject_name=pupil.name if pupil else req.pupil_id,
        requester_name=req.requester_name,
        received_on=req.received_on,
        categories_found=_in_notice_order(categories),
        sources=list(req.systems_searched or []),
        included=sum(p.status == "done" for p in packed),
        failed=sum(p.status == "failed" for p in packed),
        withheld=sum(p.status == "withheld" for p in packed),
        school_name=settings.school_name,
        dpo_name=settings.dpo_name,
        dpo_contact=settings.dpo_contact,
        retention_schedule=settings.retention_schedule,
        notice_text=_notice_text(runtime),
        reference=req.reference,
    )
    return PackInfo(
        reference=req.reference,
        school_name=settings.school_name,
        subject_name=facts.subject_name,
        release_date=dt.date.today(),
        cover_sections=cover_sections(facts),
        requester_name=req.requester_name,
    )


def _in_notice_order(categories: Sequence[str]) -> list[str]:
    from .pack import category_order

    return sorted(categories, key=lambda c: (category_order(c), c))


def _notice_text(runtime: Runtime) -> str:
    from .models import NoticeVersion

    latest = runtime.session.scalars(
        select(NoticeVersion).order_by(NoticeVersion.version.desc()).limit(1)
    ).first()
    return latest.body if latest else ""


def _schedule(session: Session, req: RightsRequest) -> tuple[int, Iterator[ScheduleRow]]:
    """The redaction schedule, counted, then streamed in batches (a big request has tens of
    thousands of rows: they are never all in memory at once)."""
    where = (RequestDocument.request_id == req.id, RequestDocument.status == "done")
    count = session.scalar(
        select(func.count())
        .select_from(Redaction)
        .join(RequestDocument, Redaction.document_id == RequestDocument.id)
        .where(*where)
    )
    rows = session.execute(
        select(
            RequestDocument.title,
            Redaction.page,
            Redaction.entity_type,
            Redaction.reason,
            Redaction.detector,
            Redaction.score,
            Redaction.action,
            Redaction.text,
            Redaction.confirmed_by,
        )
        .join(RequestDocument, Redaction.document_id == RequestDocument.id)
        .where(*where)
        .order_by(RequestDocument.id, Redaction.page, Redaction.offset, Redaction.id)
        .execution_options(yield_per=500)
    )
    return int(count or 0), (ScheduleRow(*row) for row in rows)


def _flags(session: Session, req: RightsRequest) -> list[str]:
    """What the DPO must look at before release, one line each (the DPO copy's first page)."""
    rows = session.execute(
        select(Redaction.document_id, func.count())
        .join(RequestDocument, Redaction.document_id == RequestDocument.id)
        .where(RequestDocument.request_id == req.id, Redaction.action == "review")
        .group_by(Redaction.document_id)
    )
    review_counts = {int(doc_id): int(count) for doc_id, count in rows}
    flags: list[str] = []
    for doc in req.documents:
        if doc.status == "failed":
            flags.append(f"{doc.title}: could not be processed: {doc.error}")
        if doc.dsl_decision:
            flags.append(
                f"{doc.title}: safeguarding lead decided to {doc.dsl_decision}: {doc.dsl_reason}"
            )
        if hidden_from_requester(doc):
            flags.append(
                f"{doc.title}: safeguarding record left out of the requester's copy "
                "entirely, not listed there (rule 14)"
            )
        flags.extend(f"{doc.title}: {w}" for w in doc.warnings or ())
        reviews = review_counts.get(doc.id, 0)
        if reviews:
            flags.append(
                f"{doc.title}: {reviews} passage(s) flagged for your review "
                "(identifying context, rule 10)"
            )
    return flags


def _store_packs(
    runtime: Runtime,
    session: Session,
    req: RightsRequest,
    outputs: Sequence[tuple[str, Path, int | None]],
) -> None:
    storage = storage_for(runtime)
    purge_after = dt.date.today() + dt.timedelta(days=runtime.settings.pack_retention_days)
    for kind, path, pages in outputs:
        data = path.read_bytes()
        key = pack_key(req.id, kind)
        storage.write(key, data)
        pack = session.scalars(
            select(Pack).where(Pack.request_id == req.id, Pack.kind == kind)
        ).first() or Pack(request_id=req.id, kind=kind)
        pack.storage_key, pack.sha256 = key, hashlib.sha256(data).hexdigest()
        pack.size, pack.pages, pack.created_at = len(data), pages, utcnow()
        pack.purge_after, pack.purged_at = purge_after, None
        session.add(pack)
        del data
    session.commit()


def _finish(
    session: Session,
    request_id: int,
    pages: int,
    documents: Sequence[tuple[RequestDocument, PackDocument]],
) -> str:
    req = session.scalars(
        select(RightsRequest).where(RightsRequest.id == request_id).with_for_update()
    ).one()
    if req.status not in WORKING:
        session.commit()
        return "already finished by another run"
    packed = [p for _, p in documents]
    detail = (
        f"Pack built: {pages} pages, {sum(p.status == 'done' for p in packed)} document(s) "
        f"included, {sum(p.status == 'failed' for p in packed)} could not be processed, "
        f"{sum(p.status == 'withheld' for p in packed)} withheld"
    )
    transition(session, req, Status.READY_FOR_REVIEW, detail=detail)
    set_progress(req, stage=READY)
    refresh_progress(session, request_id)
    session.commit()
    return detail


# -- retention and the failed-job view ---------------------------------------------------------


def purge_expired(runtime: Runtime | None = None, today: dt.date | None = None) -> int:
    """Delete packs (and their redacted documents) past their retention date; the rows stay,
    with ``storage_key`` cleared and an event recorded. Returns how many packs were purged."""
    runtime = runtime or get_runtime()
    session = runtime.session
    today = today or dt.date.today()
    storage = storage_for(runtime)
    packs = session.scalars(
        select(Pack).where(Pack.storage_key.is_not(None), Pack.purge_after < today)
    ).all()
    for pack in packs:
        assert pack.storage_key is not None
        storage.delete(pack.storage_key)
        pack.storage_key, pack.purged_at = None, utcnow()
        req = pack.request
        record_event(
            session,
            req,
            "pack_purged",
            detail=f"{pack.kind} pack deleted after its retention period",
        )
        if all(p.storage_key is None for p in req.packs):
            for doc in req.documents:
                if doc.output_key:
                    storage.delete(doc.output_key)
                    doc.output_key = None
    session.commit()
    return len(packs)


def failed_jobs(runtime: Runtime | None = None) -> list[dict[str, Any]]:
    """What failed, for the DPO's or admin's view: documents that could not be processed,
    requests whose build failed, and RQ jobs in the failed registry (with their error).

    Each dict: ``kind`` (document | request | job), ``request_id``, ``reference``,
    ``document_id``, ``title``, ``job_id``, ``error``, ``attempts``, ``at`` (datetime or None).
    """
    runtime = runtime or get_runtime()
    session = runtime.session
    items: list[dict[str, Any]] = []
    docs = session.execute(
        select(RequestDocument, RightsRequest.reference)
        .join(RightsRequest, RequestDocument.request_id == RightsRequest.id)
        .where(RequestDocument.status == "failed")
        .order_by(RequestDocument.updated_at.desc())
    ).all()
    for doc, reference in docs:
        items.append(
            _item(
                "document",
                doc.request_id,
                reference,
                doc.id,
                doc.title,
                doc.job_id,
                doc.error,
                doc.attempts,
                doc.updated_at,
            )
        )
    for req in session.scalars(select(RightsRequest).where(RightsRequest.status == Status.FAILED)):
        last = next((e for e in reversed(req.events) if e.to_status == Status.FAILED), None)
        items.append(
            _item(
                "request",
                req.id,
                req.reference,
                None,
                None,
                None,
                last.detail if last else None,
                None,
                last.at if last else None,
            )
        )
    registry = runtime.queue().failed_job_registry
    for job_id in registry.get_job_ids():
        job = fetch_job(runtime, job_id)
        if job is None:
            continue
        parts = job_id.split("-")
        request_id = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None
        document_id = int(parts[3]) if len(parts) > 4 and parts[2] == "doc" else None
        if document_id is not None:
            current = session.get(RequestDocument, document_id)
            if current is not None and current.status == "done":
                continue  # a later attempt succeeded: nothing left to act on
        result = job.latest_result()
        exc = ((result.exc_string if result else None) or "").strip().splitlines()
        items.append(
            _item(
                "job",
                request_id,
                None,
                document_id,
                job.func_name,
                job_id,
                exc[-1] if exc else "failed",
                None,
                job.ended_at,
            )
        )
    return items


def _item(
    kind: str,
    request_id: int | None,
    reference: str | None,
    document_id: int | None,
    title: str | None,
    job_id: str | None,
    error: str | None,
    attempts: int | None,
    at: dt.datetime | None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "request_id": request_id,
        "reference": reference,
        "document_id": document_id,
        "title": title,
        "job_id": job_id,
        "error": error,
        "attempts": attempts,
        "at": at,
    }


def wait_for(condition: Callable[[], bool], timeout: float, step: float = 0.1) -> bool:
    """Poll ``condition`` until true or ``timeout`` seconds pass (used by the CLI and tests)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return condition()


RIGHTS_WITH_PACKS = [r.value for r in RightType if r.produces_pack]
