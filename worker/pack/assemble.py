"""Step 3 of a pack build: the requester's pack, the DPO's copy and the exports, leak-checked,
stored, and the request moved on (to SAFEGUARDING_REVIEW first while the DSL has documents
to review)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from pupil_privacy.redaction.decided import DecidedDetector
from pupil_privacy.redaction.errors import PupilPrivacyError

from .. import review
from ..attempts import dispatch_document
from ..lifecycle import pending_dsl_review, set_progress, transition
from ..models import NoticeVersion, Pack, RequestDocument, RightsRequest, utcnow
from ..progress import WORKING, fail_request, get_request, mark_failed, refresh_progress, rowcount
from ..queueing import current_job_id, get_runtime, job_log, last_try, lease
from ..redacting import subject_for
from ..redactor import redactor_for
from ..runtime import Runtime
from ..states import TERMINAL, BuildStage, DocumentStatus, PackKind, Status
from . import clips, export
from .contents import MissingOutput, dpo_flags, pack_documents, schedule
from .dpo_copy import build_dpo_pack
from .layout import (
    UNNAMED,
    BuiltPack,
    PackDocument,
    PackInfo,
    UnreadableDocument,
    build_pack,
    category_order,
)
from .leakcheck import TitleCleaner, check_pack
from .letter import LetterFacts, cover_sections
from .storage import pack_key, storage_for


def assemble_pack(request_id: int) -> str:
    """Build the requester's pack, the DPO's copy and the exports, leak-check, store, and move
    the request on (to SAFEGUARDING_REVIEW first while the DSL has documents to review).

    Claimed in the database (``stage`` compare-and-set), so two runs never build at once;
    pack rows are upserted (one per request and kind).
    """
    runtime = get_runtime()
    session = runtime.session
    logger = job_log(request_id)
    req = session.get(RightsRequest, request_id)
    if req is None or req.status not in WORKING:
        return "skipped"
    if any(d.status not in TERMINAL for d in req.documents):
        return "waiting for documents"
    pending = pending_dsl_review(req)
    if pending:
        if req.status == Status.IN_PROGRESS:
            transition(
                session,
                req,
                Status.SAFEGUARDING_REVIEW,
                detail=f"{len(pending)} safeguarding document(s) wait for the designated "
                "safeguarding lead's review (rule 14)",
            )
            set_progress(req, stage=BuildStage.DSL_REVIEW)
            session.commit()
        return "safeguarding review"
    if not _claim(session, request_id):
        return "already assembling"
    try:
        with lease(runtime, current_job_id()):
            outcome = _assemble(runtime, session, request_id)
    except Exception:
        session.rollback()
        release_claim(session, request_id, BuildStage.REDACTING)
        if last_try():
            fail_request(session, request_id, "the pack could not be assembled; see failed jobs")
        raise
    logger.info("assembly: %s", outcome)
    return outcome


def _claim(session: Session, request_id: int) -> bool:
    claimed = rowcount(
        session.execute(
            update(RightsRequest)
            .where(
                RightsRequest.id == request_id,
                (RightsRequest.stage.is_(None)) | (RightsRequest.stage != BuildStage.ASSEMBLING),
            )
            .values(stage=BuildStage.ASSEMBLING)
        )
    )
    session.commit()
    return bool(claimed)


def release_claim(session: Session, request_id: int, stage: str) -> None:
    session.execute(
        update(RightsRequest)
        .where(RightsRequest.id == request_id, RightsRequest.stage == BuildStage.ASSEMBLING)
        .values(stage=stage)
    )
    session.commit()


def _assemble(runtime: Runtime, session: Session, request_id: int) -> str:
    req = get_request(session, request_id)
    subject, roster = subject_for(runtime.mis, req, school=runtime.settings.school_name)
    detector = redactor_for(runtime.settings.redactor).detector(
        subject, roster, runtime.settings.spacy_model
    )
    cleaner = TitleCleaner.for_detector(detector)
    # The reviewers' keeps are not leaks, their redactions are searched for (issue 8).
    school = runtime.settings.for_school(req.school_id)
    decided = review.request_decisions(
        session, req, always_keep=review.configured_keeps(school.school_name, school.school_address)
    )
    if decided:
        index = DecidedDetector(detector, decided, cleaner.label).term_index()
        cleaner = dataclasses.replace(cleaner, terms=index)
    # Everything is built in memory and encrypted before it is written: a plaintext pack
    # never touches the disk, not even /tmp, where a crash or a backup could keep it.
    try:
        built, documents = _build_clean_pack(runtime, session, req, cleaner)
    except MissingOutput as missing:
        # The stored copy is gone (storage wiped?): redact that document again.
        doc = session.get(RequestDocument, missing.document_id)
        assert doc is not None
        doc.status, doc.output_key = DocumentStatus.PENDING, None
        session.commit()
        release_claim(session, request_id, BuildStage.REDACTING)
        dispatch_document(runtime, doc)
        return "re-redacting a document whose stored copy was missing"
    if built is None:
        return "failed: the leak check found third-party data in the cover or contents"
    info = _pack_info(runtime, req, documents)
    flags = dpo_flags(runtime, session, req)
    count, rows = schedule(session, req)
    dpo_pdf, dpo_pages = build_dpo_pack(built.data, info, count, rows, flags)
    export_json, export_csv = export.build_exports(
        runtime.mis,
        req,
        documents,
        built,
        runtime.settings.for_school(req.school_id).school_name,
        media=clips.export_clips(runtime, session, [d for d, _ in documents]),
    )
    outputs = [
        (PackKind.REQUESTER, built.data, built.pages),
        (PackKind.DPO, dpo_pdf, dpo_pages),
        (PackKind.EXPORT_JSON, export_json, None),
        (PackKind.EXPORT_CSV, export_csv, None),
    ]
    _store_packs(runtime, session, req, outputs)
    return _finish(session, request_id, built.pages, documents)


def _build_clean_pack(
    runtime: Runtime, session: Session, req: RightsRequest, cleaner: TitleCleaner
) -> tuple[BuiltPack | None, list[tuple[RequestDocument, PackDocument]]]:
    """Build the requester's pack and leak-check it (rule 18). A document whose pages still
    show a known third party is taken out (failed, with the reason) and the pack is built
    again; a leak in the cover letter or contents fails the request."""
    for _ in range(3):
        documents = clips.with_clip_notes(runtime, session, pack_documents(runtime, req, cleaner))
        info = _pack_info(runtime, req, documents)
        try:
            built = build_pack(info, [p for _, p in documents])
        except UnreadableDocument as exc:
            mark_failed(session, int(exc.ref), exc.reason)
            session.expire_all()
            req = get_request(session, req.id)
            continue
        leaks = check_pack(built, cleaner.terms)
        if not leaks:
            return built, documents
        if leaks.front_matter:
            fail_request(
                session,
                req.id,
                "leak check failed on the assembled pack: " + "; ".join(leaks.front_matter[:5]),
            )
            return None, documents
        for ref, kinds in leaks.documents.items():
            mark_failed(
                session,
                int(ref),
                "the leak check on the assembled pack still found a known third party's "
                + ", ".join(sorted(set(kinds))),
            )
        session.expire_all()
        req = get_request(session, req.id)
    raise PupilPrivacyError("the assembled pack kept failing the leak check")


def _pack_info(
    runtime: Runtime, req: RightsRequest, documents: Sequence[tuple[RequestDocument, PackDocument]]
) -> PackInfo:
    settings = runtime.settings.for_school(req.school_id)
    pupil = runtime.mis.pupil(req.pupil_id)
    packed = [p for _, p in documents]
    # the letter's categories are what was found; the unnamed rule 14 group says nothing
    named = [p.category for p in packed if p.category != UNNAMED]
    categories = sorted(set(named), key=named.index)
    facts = LetterFacts(
        subject_name=pupil.name if pupil else req.pupil_id,
        requester_name=req.requester_name,
        received_on=req.received_on,
        categories_found=_in_notice_order(categories),
        sources=list(req.systems_searched or []),
        included=sum(p.status == DocumentStatus.DONE for p in packed),
        failed=sum(p.status == DocumentStatus.FAILED for p in packed),
        withheld=sum(p.status == DocumentStatus.WITHHELD for p in packed),
        school_name=settings.school_name,
        dpo_name=settings.dpo_name,
        dpo_contact=settings.dpo_contact,
        retention_schedule=settings.retention_schedule,
        notice_text=_notice_text(runtime),
        reference=req.reference,
        dpo_title=settings.dpo_title,
        regulator=settings.regulator,
        lists_every_record=bool(settings.withheld_listing),
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
    return sorted(categories, key=lambda c: (category_order(c), c))


def _notice_text(runtime: Runtime) -> str:
    """The parents' current notice: the cover letter answers from it, not from the pupils'."""
    latest = runtime.session.scalars(
        select(NoticeVersion)
        .where(NoticeVersion.audience == "parents")
        .order_by(NoticeVersion.version.desc())
        .limit(1)
    ).first()
    return latest.body if latest else ""


def _store_packs(
    runtime: Runtime,
    session: Session,
    req: RightsRequest,
    outputs: Sequence[tuple[str, bytes, int | None]],
) -> None:
    storage = storage_for(runtime)
    purge_after = dt.date.today() + dt.timedelta(days=runtime.settings.pack_retention_days)
    for kind, data, pages in outputs:
        key = pack_key(req.id, kind)
        storage.write(key, data)
        pack = session.scalars(
            select(Pack).where(Pack.request_id == req.id, Pack.kind == kind)
        ).first() or Pack(request_id=req.id, kind=kind)
        pack.storage_key, pack.sha256 = key, hashlib.sha256(data).hexdigest()
        pack.size, pack.pages, pack.created_at = len(data), pages, utcnow()
        pack.purge_after, pack.purged_at = purge_after, None
        session.add(pack)
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
    set_progress(req, stage=BuildStage.READY)
    refresh_progress(session, request_id)
    session.commit()
    return detail


# -- retention and the failed-job view ---------------------------------------------------------
