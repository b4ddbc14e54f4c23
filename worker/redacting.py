"""Step 2 of a pack build: redact one document into an encrypted PDF and its redaction
schedule rows, plus the building blocks (who the request is about, the record's bytes).

A document that cannot be processed is marked failed with its reason; nothing is dropped.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.orm import Session

from pupil_privacy.redaction.document import NeedsReview
from pupil_privacy.redaction.errors import DocumentError, DocumentTooLarge
from pupil_privacy.redaction.types import Person, Requester, Subject

from . import media, review, review_rows
from .attempts import dispatch_document, exhausted, retry_delay, tries
from .mis import MISAdapter, MISRecord, MISUser, RecordCategory, UserRole
from .models import Redaction, RequestDocument, RightsRequest
from .nerstore import RedisSentenceStore
from .pack.storage import document_key, storage_for
from .progress import mark_failed, refresh_progress
from .queueing import current_job_id, enqueue_assemble, get_runtime, job_log, lease
from .redactor import RedactedLike, redactor_for
from .runtime import Runtime
from .states import TERMINAL, DocumentStatus, Status


def redact_document(request_id: int, document_id: int, attempt: int) -> str:
    """Redact one document into an encrypted PDF and its redaction schedule rows.

    A document that cannot be processed (corrupt, encrypted, unsupported, too large, a zip
    bomb, OCR failure, leak check failed) is marked failed with its reason and the pack goes
    on without it, never tried again. Anything unexpected is tried again as a new attempt
    after a back-off; after the last attempt the document is marked failed too, so nothing is
    silently dropped.
    """
    runtime = get_runtime()
    session = runtime.session
    logger = job_log(request_id, document_id=document_id)
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
    with lease(runtime, current_job_id()):
        doc.status = DocumentStatus.PROCESSING
        session.commit()
        try:
            _redact_one(runtime, session, doc)
            logger.info("redacted: %s page(s)", doc.pages)
        except DocumentError as exc:
            session.rollback()
            mark_failed(session, document_id, exc.reason)
            logger.warning("could not be processed: %s", exc.reason)
        except Exception as exc:
            session.rollback()
            _try_again_or_fail(runtime, document_id, exc)
            raise  # RQ keeps this attempt in its failed registry (and rq-dashboard)
    _after_document(runtime, request_id)
    return "done"


def _try_again_or_fail(runtime: Runtime, document_id: int, exc: BaseException) -> None:
    """Something transient (not the file's fault) went wrong: dispatch the next attempt after
    the back-off, or, when the attempts are used up, mark the document failed with the
    reason. The attempts are counted in the database only (:mod:`.attempts`)."""
    session = runtime.session
    doc = session.get(RequestDocument, document_id)
    if doc is None:
        return
    if exhausted(runtime, doc):
        mark_failed(
            session,
            document_id,
            f"processing failed after {tries(doc.attempts)} tries ({type(exc).__name__}); "
            "see the failed jobs list, then retry",
        )
        _after_document(runtime, doc.request_id)
        return
    dispatch_document(runtime, doc, delay=retry_delay(runtime, doc.attempts))


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
    redactor = redactor_for(runtime.settings.redactor, sentences=shared_sentences(runtime, req.id))
    with media.scratch() as folder:  # the MIS photo and a clip live here while redacted
        subject, roster = subject_for(
            runtime.mis, req, school=runtime.settings.school_name, scratch=folder
        )
        detector = redactor.detector(subject, roster, runtime.settings.spacy_model)
        # The reviewers' decisions and the school's lists (issue 8), applied to the original.
        decisions = review.decisions_for(session, doc, name, always_keep=_school_details(runtime))
        held: NeedsReview | None = None
        result: RedactedLike
        try:
            if media.is_clip(name):
                clip = media.redact_clip(session, doc, data, name, detector, folder, decisions)
                storage_for(runtime).write(media.clip_key(req.id, doc.id), clip.clip)
                result = clip
            else:
                result = redactor.redact(
                    data,
                    name,
                    detector,
                    max_bytes=runtime.settings.max_document_bytes,
                    **({"decisions": decisions} if decisions else {}),
                )
        except NeedsReview as exc:
            held, result = exc, exc.document  # issue 8: held for the DPO, not failed
        except DocumentError as exc:
            raise type(exc)(plain_reason(exc.reason, name)) from exc
    del data
    _store(runtime, session, doc, result)
    if held is not None:
        # Out of the pack (a failed document is left out) until a re-render settles it; the
        # workbench outlines each finding at its place on the stored copy.
        session.add_all(review_rows.unsettled_rows(doc.id, held.document.unsettled))
        doc.status, doc.error = DocumentStatus.FAILED, plain_reason(held.reason, name)
    session.commit()


def shared_sentences(runtime: Runtime, request_id: int) -> RedisSentenceStore | None:
    """The NER's findings per sentence shared by the request's documents (:mod:`.nerstore`);
    ``None`` when ``PUPIL_PRIVACY_NER_SHARE_SECONDS`` is 0."""
    ttl = runtime.settings.ner_share_seconds
    if ttl <= 0:
        return None
    return RedisSentenceStore(runtime.redis, request_id, runtime.settings.spacy_model, ttl)


def _store(runtime: Runtime, session: Session, doc: RequestDocument, result: RedactedLike) -> None:
    """Write the encrypted output and replace the document's schedule (the caller commits)."""
    key = document_key(doc.request_id, doc.id)
    storage_for(runtime).write(key, result.content)
    suggested = review_rows.machine_suggestions(doc.redactions)  # before they are replaced
    # Replace this document's schedule in one transaction: a re-run never duplicates rows.
    session.execute(delete(Redaction).where(Redaction.document_id == doc.id))
    session.expire(doc, ["redactions"])  # the rows just deleted, still in the collection
    rows = [
        Redaction(
            document_id=doc.id,
            page=row.page,
            offset=row.offset,
            text=row.text or media.describe_face(row),
            entity_type=row.entity_type,
            reason=row.reason,
            detector=row.detector,
            score=row.score,
            action=row.action,
        )
        # ``kept``: suggestions a reviewer's keep overruled (issue 8), in the schedule too
        for row in [*result.records, *result.review, *getattr(result, "kept", ())]
    ]
    review_rows.carry_suggestions(suggested, rows)  # an accepted suggestion stays the machine's
    session.add_all([*rows, *review.schedule_rows(session, doc, result, rows)])
    doc.status, doc.error, doc.output_key = DocumentStatus.DONE, None, key
    doc.pages, doc.warnings = result.pages, list(result.warnings) or None
    doc.needs_dsl_review = is_safeguarding(doc.category)  # rule 14


def _school_details(runtime: Runtime) -> list[str]:
    settings = runtime.settings
    return review.configured_keeps(settings.school_name, settings.school_address)


def _after_document(runtime: Runtime, request_id: int) -> None:
    session = runtime.session
    remaining = refresh_progress(session, request_id)
    session.commit()
    if remaining == 0:
        enqueue_assemble(request_id)


def subject_for(
    mis: MISAdapter, req: RightsRequest, *, school: str | None = None, scratch: Path | None = None
) -> tuple[Subject, list[Person]]:
    """The pupil (from the MIS) with the requester attached, and the roster.

    ``school`` is the school's own name (settings): never removed as if it were a person
    (a letterhead, "a pupil at Riverside Academy"). The pupil's MIS photo, when the adapter
    gives one, becomes ``Subject.photo`` (its bytes are written to ``scratch``), so the
    pupil's own face is kept in photos and clips (docs/media.md).

    The requester's own contact details, when the roster knows them, are attached so they are
    kept: they are the requester's to see. A pupil asking for their own data is both.
    """
    pupil = mis.pupil(req.pupil_id)
    if pupil is None:
        from pupil_privacy.redaction.errors import PupilPrivacyError

        raise PupilPrivacyError(f"{req.reference}: the MIS no longer knows pupil {req.pupil_id!r}")
    roster = list(mis.roster(req.pupil_id))
    user = mis.user(req.requester_user_id)
    me = requester_in_roster(roster, req, user)
    requester = Requester(
        name=req.requester_name,
        relationship=req.requester_relationship,
        email=(me.email if me else None) or (user.email if user else None),
        phone=me.phone if me else None,
        address=me.address if me else None,
    )
    subject = Subject(
        id=pupil.id,
        name=pupil.name,
        preferred_name=pupil.preferred_name,
        aliases=tuple(pupil.aliases),
        date_of_birth=pupil.date_of_birth,
        upn=pupil.upn,
        address=pupil.address,
        email=pupil.email,
        requester=requester,
        school=school,
        photo=media.photo_path(getattr(pupil, "photo", None), scratch),
    )
    return subject, roster


def requester_in_roster(
    roster: list[Person], req: RightsRequest, user: MISUser | None
) -> Person | None:
    """The requester's own entry in the roster, matched by role AND id.

    Hosts number users and pupils separately (user "3" and pupil "3" both exist): matching by
    id alone once attached another pupil's phone and address to a parent as "their own data",
    kept unredacted in the pack. No user, no match: nothing is attached.
    """
    if user is None:
        return None
    acting = UserRole(req.requester_role) if req.requester_role else user.role
    role, person_id = user.person_key(acting)
    return next((p for p in roster if p.role is role and p.id == person_id), None)


def record_bytes(mis: MISAdapter, pupil_id: str, record: MISRecord) -> tuple[bytes, str]:
    """The bytes to redact and the file extension that says what they are.

    A text record becomes a small text file headed by its title, so the title is redacted
    with the body.
    """
    if record.is_file:
        assert record.filename is not None
        ext = Path(record.filename).suffix.lower() or ".bin"
        return mis.record_content(pupil_id, record.id), ext
    body = f"{record.title}\n\n{record.text or ''}\n"
    return body.encode("utf-8"), ".txt"


def find_record(mis: MISAdapter, pupil_id: str, record_id: str) -> MISRecord | None:
    return next((r for r in mis.records(pupil_id) if r.id == record_id), None)


def safe_filename(document_id: int | str, ext: str) -> str:
    """The name handed to redaction: never the MIS file name, which may name a third party."""
    return f"record-{document_id}{ext}"


def plain_reason(reason: str, filename: str) -> str:
    """A failure reason as the pack prints it: our generated file name reads as "the file"."""
    return reason.replace(filename, "the file").strip() or "unknown error"


def is_safeguarding(category: str) -> bool:
    """Safeguarding records go to the designated safeguarding lead before release (rule 14)."""
    return category == RecordCategory.SAFEGUARDING.value
