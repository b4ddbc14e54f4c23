"""Re-rendering after review (issue 8): the reviewers' decisions are applied to the ORIGINAL of
each affected document (never to the redacted copy), by the same RQ job that redacted it
first (``jobs.process_document``), which also leak-checks the new output; the last one
re-assembles the pack (``jobs.assemble``), whose leak check re-reads the whole pack.

Only the affected documents are redacted again: those a decision made or undone since they
were last rendered applies to. A document withheld whole is not rendered at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pymupdf
from sqlalchemy.orm import Session

from .attempts import dispatch_document
from .lifecycle import record_event, set_progress, transition
from .models import RequestDocument, ReviewDecision, RightsRequest, utcnow
from .progress import refresh_progress
from .queueing import enqueue_assemble
from .redacting import find_record, record_bytes
from .review import (
    NOT_LISTED,
    REVIEWABLE,
    Reviewer,
    ReviewError,
    active,
    applies_to,
    history,
    normalise,
    refused_by_leak_check,
)
from .review_rows import held
from .runtime import Runtime
from .states import BuildStage, DocumentStatus, ReviewKind, Status


def affected_documents(
    runtime: Runtime, session: Session, req: RightsRequest
) -> list[RequestDocument]:
    """The documents whose output a decision made or undone since their last render changes.

    A decision on words in every document affects those whose schedule or original text
    holds the words; a document the leak check refused is always tried again once anything
    was decided for it.
    """
    changes = [d for d in history(session, req.id) if d.kind != ReviewKind.WITHHOLD_DOCUMENT]
    out = []
    for doc in req.documents:
        if doc.status not in (DocumentStatus.DONE, DocumentStatus.FAILED):
            continue
        if doc.status == DocumentStatus.FAILED and not refused_by_leak_check(doc):
            continue
        since = doc.updated_at
        fresh = [d for d in changes if applies_to(d, doc.id) and _changed_since(d, since)]
        if any(d.document_id == doc.id for d in fresh):
            out.append(doc)
            continue
        text = _original_text(runtime, doc) if fresh else None
        if any(_mentions(doc, d, text) for d in fresh):
            out.append(doc)
    return out


def _changed_since(decision: ReviewDecision, since: dt.datetime) -> bool:
    return decision.decided_at >= since or (
        decision.undone_at is not None and decision.undone_at >= since
    )


def _mentions(doc: RequestDocument, decision: ReviewDecision, text: str | None) -> bool:
    """Whether a decision on words in every document can change this one: the words are in
    its schedule (a suggestion kept or confirmed) or in its original's text. Unsure (an
    original whose text is not read here: Word, email, images) means yes: a needless
    re-render costs seconds, a missed one a leak."""
    term = normalise(decision.text or "")
    if not term:
        return False
    if any(term in normalise(r.text) or normalise(r.text) in term for r in doc.redactions):
        return True
    return text is None or term in normalise(text)


def _original_text(runtime: Runtime, doc: RequestDocument) -> str | None:
    """The original's text (a text record, or a PDF's text layer), read in memory; None
    when it cannot be read here."""
    suffix = original_suffix(doc)
    if suffix not in (".txt", ".pdf"):
        return None
    record = find_record(runtime.mis, doc.request.pupil_id, doc.record_id)
    if record is None:
        return None
    data, _ = record_bytes(runtime.mis, doc.request.pupil_id, record)
    if suffix == ".txt":
        return data.decode("utf-8", "replace")
    try:
        with pymupdf.open(stream=data, filetype="pdf") as pdf:
            if pdf.needs_pass:
                return None
            return "\n".join(page.get_text() for page in pdf)
    except (RuntimeError, ValueError):
        return None


def start_rerender(
    runtime: Runtime, session: Session, req: RightsRequest, reviewer: Reviewer
) -> list[int]:
    """Apply whole-document withholding, then send the affected documents back to the
    workers. Commits; returns the ids of the documents queued (assembly is queued instead
    when none is).

    :raises ReviewError: the pack is not in review.
    """
    if req.status not in REVIEWABLE:
        raise ReviewError(f"{req.reference} is {req.status}: there is no pack in review")
    withheld = _apply_withholding(session, req)
    docs = affected_documents(runtime, session, req)
    # a document withholding no longer covers and that has no render to go back to
    docs += [d for d in req.documents if d.status == DocumentStatus.PENDING and d not in docs]
    transition(
        session,
        req,
        Status.IN_PROGRESS,
        actor_id=reviewer.id,
        actor_role=reviewer.role.value,
        detail="re-rendering after review",
    )
    record_event(
        session,
        req,
        "review_rerender",
        actor_id=reviewer.id,
        actor_role=reviewer.role.value,
        detail=f"{len(docs)} document(s) redacted again from the original, "
        f"{withheld} withheld or restored whole",
    )
    # Not ASSEMBLING even when nothing is redacted again: that stage is the assembly's claim.
    set_progress(req, stage=BuildStage.REDACTING)
    for doc in docs:
        doc.status = DocumentStatus.PENDING
    session.commit()
    refresh_progress(session, req.id)
    session.commit()
    dispatch(runtime, session, [d.id for d in docs], req.id)
    return [d.id for d in docs]


def dispatch(
    runtime: Runtime, session: Session, document_ids: Sequence[int], request_id: int
) -> None:
    """Enqueue one redaction job per document (or the assembly when there is none)."""
    if not document_ids:
        enqueue_assemble(request_id)
        return
    for document_id in document_ids:
        doc = session.get(RequestDocument, document_id)
        assert doc is not None
        dispatch_document(runtime, doc, new_render=True)


def _apply_withholding(session: Session, req: RightsRequest) -> int:
    """Whole documents withheld (or restored) by a decision in force; the count changed."""
    rows = active(session, req.id)
    changed = 0
    for doc in req.documents:
        decision = next(
            (d for d in rows if d.kind == ReviewKind.WITHHOLD_DOCUMENT and d.document_id == doc.id),
            None,
        )
        if decision is not None and doc.status != DocumentStatus.WITHHELD:
            doc.status = DocumentStatus.WITHHELD
            doc.error = withheld_listing(decision.reason_code)
            doc.updated_at = utcnow()
            changed += 1
        elif decision is None and doc.status == DocumentStatus.WITHHELD and not doc.dsl_decision:
            # Undone: back to the last render if there is one, or to the workers. A copy held
            # for review (unsettled findings) is never restored as done: it is rendered again.
            restored = doc.output_key is not None and not held(doc.redactions)
            doc.status = DocumentStatus.DONE if restored else DocumentStatus.PENDING
            doc.error = None
            changed += 1
    return changed


def withheld_listing(reason_code: str) -> str:
    """How the requester's contents list a document withheld whole (rules 13 and 14).

    Serious harm (rule 13) is named, as the law expects the requester to be told why.
    Under rule 14 the document is left out of the requester's contents altogether, like the
    safeguarding lead's withheld records: its title alone could tip off an abuser, and the
    law allows saying nothing where saying something would defeat the exemption. The DPO's
    copy and the register record it in full.
    """
    if reason_code == "rule-13-serious-harm":
        return "withheld: its disclosure would be likely to cause serious harm (rule 13)"
    return NOT_LISTED


def original_suffix(doc: RequestDocument) -> str:
    """The extension the original was redacted under (text records are ``.txt``)."""
    return Path(doc.filename).suffix.lower() if doc.filename else ".txt"
