"""The review workbench's domain (issue 8): the DPO's and the DSL's decisions on a request's
redactions, the school's lists, and the gate before approval.

A decision is a :class:`~.models.ReviewDecision` row, never edited: an undo stamps it, so the
redaction schedule (rule 19) keeps who decided what, when and why. The rows become the
redaction engine's :class:`~pupil_privacy.redaction.decisions.Decisions` for each document
(:func:`decisions_for`), so the web workbench and ``pupil-privacy redact --decisions`` call the
same removal code. Re-rendering the affected documents is :mod:`.review_render`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from pupil_privacy.redaction.decisions import (
    Box,
    Decisions,
    Keep,
    KeepBox,
    Redact,
    WithholdPage,
)
from pupil_privacy.redaction.errors import PupilPrivacyError

from .lifecycle.events import record_event
from .media import FACE_KEEP_NEEDS_DOCUMENT, face_keep_rect
from .models import Redaction, RequestDocument, ReviewDecision, RightsRequest, SchoolTerm
from .models import utcnow as _utcnow
from .review_rows import finding_decided, held, normalise
from .states import ActorRole, DocumentStatus, PackKind, ReviewKind, Status

#: Why a suggestion is kept (the DPO's short list, issue 8; rules 10 and 11).
KEEP_REASONS = {
    "own-data": "the pupil's own data",
    "professional-in-role": "a professional acting in their role (rule 11)",
    "not-personal-data": "not personal data",
}
#: Why text is removed that the machine left, or a suggestion is confirmed (rules 10, 12).
REDACT_REASONS = {
    "third-party": "another person's personal data (rule 10)",
    "identifying-context": "context that identifies another person (rule 10)",
    "separated-parent": "a separated parent's contact details (rule 12)",
}
#: The exemptions a page, a passage or a whole document is withheld under (rules 13, 14). The
#: codes are the redaction engine's (``redaction.decisions.WITHHELD_WORDS``).
EXEMPTIONS = {
    "rule-13-serious-harm": "serious harm to the pupil or another person (rule 13)",
    "rule-14-child-abuse": "child-abuse data not in the child's best interests (rule 14)",
    "rule-14-referrer": "it would identify a safeguarding referrer (rule 14)",
}
REASONS: dict[ReviewKind, dict[str, str]] = {
    ReviewKind.KEEP: KEEP_REASONS,
    ReviewKind.REDACT: REDACT_REASONS,
    ReviewKind.BOX: REDACT_REASONS,
    ReviewKind.WITHHOLD_PAGE: EXEMPTIONS,
    ReviewKind.WITHHOLD_DOCUMENT: EXEMPTIONS,
    ReviewKind.WITHHOLD_PASSAGE: EXEMPTIONS,
}
#: Decisions on words: they match every occurrence, in any case, across line breaks.
TERM_KINDS = (ReviewKind.KEEP, ReviewKind.REDACT, ReviewKind.WITHHOLD_PASSAGE)
#: What the DSL may decide on a safeguarding document (rule 14): never a "keep" that would
#: put back what the machine took out of a safeguarding record.
DSL_KINDS = (
    ReviewKind.REDACT,
    ReviewKind.BOX,
    ReviewKind.WITHHOLD_PAGE,
    ReviewKind.WITHHOLD_PASSAGE,
)
#: Requests whose pack can still be reviewed.
REVIEWABLE = (Status.READY_FOR_REVIEW, Status.SAFEGUARDING_REVIEW)
#: How a document the DPO withheld under rule 14 is marked: it is left out of the
#: requester's contents altogether, as the DSL's withheld records are (tipping-off, rule 14).
NOT_LISTED = "withheld under rule 14: not listed in the requester's copy"


class ReviewError(PupilPrivacyError):
    """A decision that cannot be made as asked; the message says why, in plain words."""


@dataclass(frozen=True)
class Reviewer:
    """Who decides: the DPO or the designated safeguarding lead."""

    id: str
    name: str
    role: ActorRole


def decide(
    session: Session,
    req: RightsRequest,
    *,
    kind: ReviewKind,
    reviewer: Reviewer,
    reason_code: str,
    reason_text: str = "",
    document: RequestDocument | None = None,
    text: str | None = None,
    page: int | None = None,
    rect: Sequence[float] | None = None,
) -> ReviewDecision:
    """Record one decision (the caller commits).

    :param document: the document it applies to; ``None`` for every document of the request
        (keep and redact only: a term decided once applies to every occurrence).
    :raises ReviewError: the decision is incomplete or not this reviewer's to make.
    """
    _check_allowed(req, kind, reviewer, document)
    face = face_keep_rect(text) if kind == ReviewKind.KEEP else None  # issue 13
    if reason_code not in REASONS[kind]:
        raise ReviewError(f"choose a reason for this {kind.value}: {', '.join(REASONS[kind])}")
    if kind in TERM_KINDS:
        if not text or not normalise(text):
            raise ReviewError("say which words the decision is about")
        if face is not None and document is None:
            raise ReviewError(FACE_KEEP_NEEDS_DOCUMENT)
        if len(text) > 2000:
            raise ReviewError("a passage longer than 2,000 characters: withhold the page")
    elif document is None:
        raise ReviewError(f"a {kind.value.replace('_', ' ')} applies to one document")
    boxed = kind == ReviewKind.BOX or face is not None  # a kept face is a box too
    if face is not None:
        rect, page = face, _check_page(document, page or 1)
    if kind in (ReviewKind.BOX, ReviewKind.WITHHOLD_PAGE):
        page = _check_page(document, page)
    if kind == ReviewKind.BOX:
        rect = _check_rect(rect)
    if kind in (ReviewKind.WITHHOLD_DOCUMENT, ReviewKind.WITHHOLD_PAGE) and not reason_text.strip():
        raise ReviewError("say why it is withheld: the schedule records it (rule 19)")
    row = ReviewDecision(
        request_id=req.id,
        document_id=document.id if document else None,
        kind=kind.value,
        text=text.strip() if text and kind in TERM_KINDS else None,
        page=page if boxed or kind == ReviewKind.WITHHOLD_PAGE else None,
        rect=[float(v) for v in rect] if boxed and rect else None,
        reason_code=reason_code,
        reason_text=reason_text.strip(),
        decided_by=reviewer.id,
        decided_by_name=reviewer.name,
        decided_role=reviewer.role.value,
        decided_at=_utcnow(),
    )
    session.add(row)
    record_event(
        session,
        req,
        "review_decision",
        actor_id=reviewer.id,
        actor_role=reviewer.role.value,
        detail=f"{kind.value} ({reason_code})"
        + (f" on {document.title}" if document else " in every document"),
    )
    session.flush()
    return row


def _check_allowed(
    req: RightsRequest, kind: ReviewKind, reviewer: Reviewer, document: RequestDocument | None
) -> None:
    if document is not None and document.request_id != req.id:
        raise ReviewError("that document belongs to another request")
    if reviewer.role == ActorRole.DSL:
        if document is None or not document.needs_dsl_review:
            raise ReviewError("the safeguarding lead decides on safeguarding records only")
        if kind not in DSL_KINDS:
            raise ReviewError(f"the safeguarding lead cannot {kind.value} here")
        if req.status not in (Status.IN_PROGRESS, Status.SAFEGUARDING_REVIEW):
            raise ReviewError(f"{req.reference} is {req.status}: the DSL's review is over")
        if document.dsl_decision is not None:
            raise ReviewError(f"{document.title!r} was already {document.dsl_decision}d")
        return
    if req.status != Status.READY_FOR_REVIEW:
        raise ReviewError(
            f"{req.reference} is {req.status}: decisions are made once the pack is built"
        )
    if document is not None and document.needs_dsl_review and kind == ReviewKind.KEEP:
        # The DSL, not the DPO, decides what a safeguarding record may show (rule 14).
        raise ReviewError("a safeguarding record's redactions are the safeguarding lead's")


def _check_page(document: RequestDocument | None, page: int | None) -> int:
    assert document is not None
    if page is None or page < 1 or (document.pages is not None and page > document.pages):
        raise ReviewError(f"there is no page {page} in {document.title!r}")
    return page


def _check_rect(rect: Sequence[float] | None) -> list[float]:
    if rect is None or len(rect) != 4:
        raise ReviewError("draw the box on the page")
    x0, y0, x1, y1 = (float(v) for v in rect)
    if min(x0, y0) < 0 or x1 - x0 < 2 or y1 - y0 < 2:
        raise ReviewError("the box is too small or off the page")
    return [x0, y0, x1, y1]


def undo(session: Session, decision: ReviewDecision, reviewer: Reviewer) -> None:
    """Undo a decision: it stays in the history, stamped (rule 19)."""
    if decision.undone_at is not None:
        raise ReviewError("that decision was already undone")
    if reviewer.role == ActorRole.DSL and decision.decided_role != ActorRole.DSL:
        raise ReviewError("the safeguarding lead can undo their own decisions only")
    req = session.get(RightsRequest, decision.request_id)
    assert req is not None
    document = session.get(RequestDocument, decision.document_id) if decision.document_id else None
    _check_allowed(req, ReviewKind(decision.kind), reviewer, document)
    decision.undone_at, decision.undone_by = _utcnow(), reviewer.id
    record_event(
        session,
        req,
        "review_undo",
        actor_id=reviewer.id,
        actor_role=reviewer.role.value,
        detail=f"undid {decision.kind} #{decision.id}",
    )
    session.flush()


def active(session: Session, request_id: int) -> list[ReviewDecision]:
    """The decisions in force on a request, oldest first."""
    return list(
        session.scalars(
            select(ReviewDecision)
            .where(ReviewDecision.request_id == request_id, ReviewDecision.undone_at.is_(None))
            .order_by(ReviewDecision.id)
        )
    )


def history(session: Session, request_id: int) -> list[ReviewDecision]:
    """Every decision ever made on a request, undone ones included (the schedule, rule 19)."""
    return list(
        session.scalars(
            select(ReviewDecision)
            .where(ReviewDecision.request_id == request_id)
            .order_by(ReviewDecision.id)
        )
    )


def applies_to(decision: ReviewDecision, document_id: int) -> bool:
    return decision.document_id is None or decision.document_id == document_id


# -- the school's lists -------------------------------------------------------------------------


def school_terms(session: Session, which: str) -> list[SchoolTerm]:
    return list(
        session.scalars(
            select(SchoolTerm).where(SchoolTerm.list == which).order_by(SchoolTerm.term)
        )
    )


def add_school_term(
    session: Session, *, which: str, term: str, reason: str, reviewer: Reviewer
) -> SchoolTerm:
    """Add a term to the school's "never removed" (``keep``) or "always removed" (``redact``)
    list, used on every later request."""
    if which not in ("keep", "redact"):
        raise ReviewError("a school list is 'keep' or 'redact'")
    if len(normalise(term)) < 3:
        raise ReviewError("a term on the school's list needs at least three letters")
    if not reason.strip():
        raise ReviewError("say why the term is on the list")
    exists = session.scalars(
        select(SchoolTerm).where(SchoolTerm.list == which, SchoolTerm.term == term.strip())
    ).first()
    if exists:
        raise ReviewError(f"{term.strip()!r} is already on that list")
    row = SchoolTerm(
        list=which,
        term=term.strip(),
        reason=reason.strip(),
        added_by=reviewer.id,
        added_by_name=reviewer.name,
        added_at=_utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def configured_keeps(school_name: str, school_address: str) -> list[str]:
    """The school's own name and address, never third-party data in its own records."""
    return [t for t in (school_name.strip(), school_address.strip()) if len(t) >= 3]


# -- decisions for the engine -------------------------------------------------------------------


def decisions_for(
    session: Session,
    doc: RequestDocument,
    filename: str,
    *,
    always_keep: Iterable[str] = (),
) -> Decisions:
    """The engine's decisions for one document: the reviewers' decisions in force, the school's
    lists and ``always_keep`` (the school's own name and address). Each carries its row's id
    (``"school-<id>"`` for a list entry) so the result can be traced back to who decided it.

    A redaction wins over a keep of the same words: leaking a third party is the worse
    failure, so the engine is never asked to keep what someone decided to remove.
    """
    rows = [d for d in active(session, doc.request_id) if applies_to(d, doc.id)]
    removed = {normalise(d.text or "") for d in rows if d.kind != ReviewKind.KEEP and d.text}
    removed |= {normalise(t.term) for t in school_terms(session, "redact")}
    keep = [
        Keep(text=d.text or "", reason=d.reason_code, id=str(d.id))
        for d in rows
        if d.kind == ReviewKind.KEEP and not d.rect and normalise(d.text or "") not in removed
    ]
    keep += [
        Keep(text=t.term, reason="school-list", id=f"school-{t.id}")
        for t in school_terms(session, "keep")
        if normalise(t.term) not in removed
    ]
    keep += [
        Keep(text=t, reason="school-own-details", id="school-config")
        for t in always_keep
        if normalise(t) not in removed
    ]
    redact = [
        Redact(text=d.text or "", reason=d.reason_code, id=str(d.id))
        for d in rows
        if d.kind in (ReviewKind.REDACT, ReviewKind.WITHHOLD_PASSAGE)
    ]
    redact += [
        Redact(text=t.term, reason="school-list", id=f"school-{t.id}")
        for t in school_terms(session, "redact")
    ]
    boxes = [
        Box(
            file=filename,
            page=d.page or 1,
            rect=_rect4(d.rect),
            reason=d.reason_code,
            id=str(d.id),
        )
        for d in rows
        if d.kind == ReviewKind.BOX and d.rect
    ]
    pages = [
        WithholdPage(file=filename, page=d.page or 1, reason=d.reason_code, id=str(d.id))
        for d in rows
        if d.kind == ReviewKind.WITHHOLD_PAGE
    ]
    # a keep on a face's row (issue 13) keeps the face found inside its box
    faces = [
        KeepBox(file=filename, rect=_rect4(d.rect), page=d.page or 1, reason=d.reason_code,
                id=str(d.id))
        for d in rows
        if d.kind == ReviewKind.KEEP and d.rect
    ]  # fmt: skip
    return Decisions(
        keep=tuple(keep),
        redact=tuple(redact),
        boxes=tuple(boxes),
        withhold_pages=tuple(pages),
        keep_boxes=tuple(faces),
        source=f"review of request {doc.request_id}",
    )


def _rect4(rect: Sequence[float]) -> tuple[float, float, float, float]:
    return (rect[0], rect[1], rect[2], rect[3])


def request_decisions(
    session: Session, req: RightsRequest, *, always_keep: Iterable[str] = ()
) -> Decisions:
    """What the assembled pack's leak check honours: every keep in force anywhere in the
    request (a kept term is not a leak), and the redactions decided for every document (searched
    for like a known third party). A redaction in one document only is checked by that
    document's own leak check: the same words elsewhere were not decided."""
    merged = [
        decisions_for(session, doc, doc.filename or "", always_keep=always_keep)
        for doc in req.documents
    ]
    keep = {k.text: k for d in merged for k in d.keep}
    everywhere = {str(d.id) for d in active(session, req.id) if d.document_id is None}
    redact = {
        r.text: r
        for d in merged
        for r in d.redact
        if (r.id or "") in everywhere or (r.id or "").startswith("school-")
    }
    return Decisions(keep=tuple(keep.values()), redact=tuple(redact.values()))


def schedule_rows(
    session: Session, doc: RequestDocument, result: object, rows: Sequence[Redaction]
) -> list[Redaction]:
    """Who decided each of the engine's decision places (rule 19), and why.

    The engine's schedule ``rows`` already hold each removal a reviewer asked for (detector
    ``reviewer``) and each suggestion a keep overruled (action ``keep``): those are stamped
    with the decider's name, time and reason (the name, not the id, so the DPO's copy of the
    pack says who made each decision). Boxes and withheld pages are not text removals: a row
    is added for each. Returns the added rows.
    """
    by_id = {str(d.id): d for d in active(session, doc.request_id)}
    added: list[Redaction] = []
    for applied in getattr(result, "decisions_applied", ()):
        row = by_id.get(applied.decision.id or "")
        who = row.decided_by_name if row else "the school's list"
        when = row.decided_at if row else None
        why = (_why(row) if row else f"the school's list: {applied.note}")[:80]
        kind = ReviewKind(row.kind) if row else None
        for place in applied.places:
            if applied.kind.value in ("keep", "redact"):
                for red in rows:
                    if (red.page, red.offset, normalise(red.text)) == (
                        place.page,
                        place.offset,
                        normalise(place.text),
                    ):
                        red.confirmed_by, red.confirmed_at = who[:100], when
                        red.reason = why if red.detector == "reviewer" else red.reason
                continue
            added.append(
                Redaction(
                    document_id=doc.id,
                    page=place.page,
                    offset=place.offset,
                    text=place.text[:2000] or applied.note[:2000],
                    entity_type=f"DECISION_{applied.kind.value.upper()}"[:60],
                    reason=why,
                    detector=place.detector[:80],
                    score=1.0,
                    action=(kind.value if kind else applied.kind.value)[:20],
                    confirmed_by=who[:100],
                    confirmed_at=when,
                )
            )
    return added


def _why(row: ReviewDecision) -> str:
    label = REASONS[ReviewKind(row.kind)].get(row.reason_code, row.reason_code)
    return f"{label}; {row.reason_text}" if row.reason_text else label


def why(row: ReviewDecision) -> str:
    """The reason of a decision in words: the short list's label, then the free text."""
    return _why(row)


# -- the gate before approval -------------------------------------------------------------------


@dataclass(frozen=True)
class Blocker:
    """Something that must be decided before the pack can be approved."""

    document_id: int
    title: str
    what: str
    text: str | None = None
    page: int | None = None


def undecided(session: Session, req: RightsRequest) -> list[Blocker]:
    """What must still be decided before Approve (the server's gate, issue 8): every flagged
    passage (identifying context, rule 10) not kept or removed, and every document the leak
    check refused that has not been withheld or re-rendered clean: each of its unsettled
    findings until decided, then the document itself until the re-render puts it in the pack."""
    rows = active(session, req.id)
    blockers: list[Blocker] = []
    for doc in req.documents:
        mine = [d for d in rows if applies_to(d, doc.id)]
        if any(d.kind == ReviewKind.WITHHOLD_DOCUMENT for d in mine):
            continue
        decided = {normalise(d.text or "") for d in mine if d.kind in TERM_KINDS}
        withheld_pages = {d.page for d in mine if d.kind == ReviewKind.WITHHOLD_PAGE}
        if doc.status == DocumentStatus.FAILED and refused_by_leak_check(doc):
            boxes = [(d.page, d.rect) for d in mine if d.kind == ReviewKind.BOX and d.rect]
            blockers += [
                Blocker(doc.id, doc.title, UNSETTLED_WHAT, r.text, r.page)
                for r in held(doc.redactions)
                if not finding_decided(r, decided, boxes, withheld_pages)
            ] or [Blocker(doc.id, doc.title, "the leak check refused this document: " + _cut(doc))]
            continue
        if doc.status != DocumentStatus.DONE:
            continue
        for red in doc.redactions:
            if red.action != "review" or red.page in withheld_pages and red.page is not None:
                continue
            if not _covered(normalise(red.text), decided):
                blockers.append(
                    Blocker(
                        doc.id,
                        doc.title,
                        "a passage flagged for review (identifying context, rule 10)",
                        red.text,
                        red.page,
                    )
                )
    return blockers


#: What a finding the leak check could not settle asks of the DPO (a held document's).
UNSETTLED_WHAT = "still found by the leak check: keep it, remove it, box it or withhold"


def _covered(passage: str, decided: set[str]) -> bool:
    # Deciding the passage itself, or words inside it the DPO removed or kept, decides it.
    return passage in decided or any(term and term in passage for term in decided)


def _cut(doc: RequestDocument) -> str:
    return (doc.error or "")[:300]


def refused_by_leak_check(doc: RequestDocument) -> bool:
    """Whether a failed document failed because its output still showed a third party."""
    return "leak check" in (doc.error or "") or "still holds third-party" in (doc.error or "")


def needs_rerender(session: Session, req: RightsRequest) -> bool:
    """Whether a decision was made or undone after the pack was built: the pack does not show
    it yet, so it must be re-rendered before approval."""
    pack = next((p for p in req.packs if p.kind == PackKind.REQUESTER and p.storage_key), None)
    built = pack.created_at if pack else dt.datetime.min
    return any(
        d.decided_at > built or (d.undone_at is not None and d.undone_at > built)
        for d in history(session, req.id)
    )


def check_approvable(session: Session, req: RightsRequest) -> None:
    """Refuse approval while anything is undecided or not yet in the pack (issue 8).

    :raises ReviewError: naming how many things are left and the first of them.
    """
    blockers = undecided(session, req)
    if blockers:
        first = blockers[0]
        raise ReviewError(
            f"{len(blockers)} item(s) must be decided on the review workbench before approval; "
            f"first: {first.title}: {first.what}"
        )
    if needs_rerender(session, req):
        raise ReviewError(
            "decisions were made after the pack was built: re-render the pack so it shows them"
        )


def release_in_part_note(req: RightsRequest, session: Session) -> str:
    """What the approval records about what was held back (release in part, rule 20)."""
    rows = active(session, req.id)
    counts = {
        k: sum(d.kind == k for d in rows)
        for k in (
            ReviewKind.WITHHOLD_DOCUMENT,
            ReviewKind.WITHHOLD_PAGE,
            ReviewKind.WITHHOLD_PASSAGE,
        )
    }
    parts = [f"{n} {k.value.split('_')[1]}(s) withheld" for k, n in counts.items() if n]
    return "; ".join(parts)


__all__ = [
    "EXEMPTIONS",
    "KEEP_REASONS",
    "NOT_LISTED",
    "REDACT_REASONS",
    "Blocker",
    "ReviewError",
    "Reviewer",
    "active",
    "add_school_term",
    "check_approvable",
    "decide",
    "decisions_for",
    "history",
    "schedule_rows",
    "undecided",
    "undo",
]
