"""The review workbench (issue 8): the DPO (and, for safeguarding records, the DSL) sees each
document's original beside its redacted copy, decides on every suggestion, adds what the
machine missed, re-renders, and approves.

Pages are rendered here, server-side, with PyMuPDF: the original comes from the MIS and the
redacted copy is decrypted from storage, both in memory only; the PNGs are cached in this
process (never on disk) and sent with ``Cache-Control: private, no-store``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pymupdf
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from pupil_privacy.worker import review, review_render
from pupil_privacy.worker.lifecycle import approve, record_event
from pupil_privacy.worker.mis import MISUser, UserRole
from pupil_privacy.worker.models import Redaction, RequestDocument, ReviewDecision, RightsRequest
from pupil_privacy.worker.pack.storage import StorageError, read_document
from pupil_privacy.worker.redacting import find_record, record_bytes
from pupil_privacy.worker.review_rows import UNSETTLED
from pupil_privacy.worker.states import ActorRole, DocumentStatus, ReviewKind, Status

from ..auth import requires
from ..auth import signed_in_user as user_now
from ..blueprint import bp
from ..forms import ConfirmForm, choice
from ..runtime import db, request_or_404, runtime_for, today
from .review_held import Place, held_places

#: Screen resolution: 1.5 x 72 dpi, sharp enough to read a scan, small enough to send fast.
ZOOM = 1.5
#: The states a suggestion is coloured by (review.css), in the order the filter lists them.
STATES = ("unsettled", "flagged", "suggested", "confirmed", "kept", "added")


class DecisionForm(FlaskForm):
    """One decision: what (kind), where (document, page, box) and why (code + free text)."""

    kind = SelectField(choices=[choice(k.value, k.value) for k in ReviewKind])
    scope = SelectField(
        choices=[choice("document", "This document"), choice("request", "Every document")]
    )
    document_id = HiddenField()
    text = StringField("Words", validators=[Optional()])
    page = HiddenField()
    rect = HiddenField()  # "x0,y0,x1,y1" in PDF points from the page's top-left
    reason_code = SelectField("Reason", choices=[])
    reason_text = TextAreaField("Why (recorded in the schedule)", validators=[Optional()])
    back = HiddenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reason_code.choices = [
            choice(code, label)
            for codes in review.REASONS.values()
            for code, label in codes.items()
        ]


class ApproveForm(FlaskForm):
    """Approval, after confirmation; "release in part" gives its reasons."""

    in_part = TextAreaField("Released in part because (optional)", validators=[Optional()])


def reviewer_of(user: MISUser) -> review.Reviewer:
    role = ActorRole.DSL if user.role is UserRole.DSL else ActorRole.DPO
    return review.Reviewer(user.id, user.name, role)


def _document_or_404(document_id: int, user: MISUser) -> RequestDocument:
    """The document, if this user may review it: the DPO any, the DSL safeguarding ones."""
    doc = db().get(RequestDocument, document_id)
    if doc is None:
        abort(404, "There is no such document.")
    if user.role is UserRole.DSL and not doc.needs_dsl_review:
        abort(403, "The safeguarding lead reviews safeguarding records only.")
    return doc


# -- the list of every suggestion in a request --------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """One schedule row as the workbench shows it, with its state."""

    row: Redaction
    state: str


def suggestion_state(row: Redaction, decisions: Sequence[ReviewDecision]) -> str:
    """``flagged`` (a passage to decide), ``unsettled`` (what the leak check still finds in a
    held copy), ``suggested`` (the machine's), ``confirmed`` or ``kept`` (by a person),
    ``added`` (a person's own redaction)."""
    if row.action == "keep":
        return "kept"
    if row.action != "review" and row.detector == "reviewer":
        return "added"
    term = review.normalise(row.text)
    mine = [d for d in decisions if review.applies_to(d, row.document_id) and d.text]
    for d in reversed(mine):  # the latest decision on these words wins
        if review.normalise(d.text or "") == term or review.normalise(d.text or "") in term:
            return "kept" if d.kind == ReviewKind.KEEP else "confirmed"
    if row.action in ("review", UNSETTLED):  # a passage to decide; a leak check finding
        return "flagged" if row.action == "review" else "unsettled"
    return "confirmed" if row.confirmed_by else "suggested"


def suggestions(req: RightsRequest) -> list[Suggestion]:
    decisions = review.active(db(), req.id)
    return [
        Suggestion(row, suggestion_state(row, decisions))
        for doc in req.documents
        for row in doc.redactions
    ]


@bp.route("/dpo/requests/<int:request_id>/review")
@requires(UserRole.DPO)
def review_request(request_id: int) -> Any:
    """Every suggestion in the request, filtered; what blocks approval; the decisions."""
    req = request_or_404(request_id)
    every = suggestions(req)
    wanted = {k: request.args.get(k, "") for k in ("reason", "detector", "document", "state")}
    shown = [
        s
        for s in every
        if (not wanted["reason"] or s.row.reason == wanted["reason"])
        and (not wanted["detector"] or s.row.detector == wanted["detector"])
        and (not wanted["document"] or str(s.row.document_id) == wanted["document"])
        and (not wanted["state"] or s.state == wanted["state"])
    ]
    query = request.args.get("q", "").strip()
    return render_template(
        "pupil_privacy/review_request.html",
        user=user_now(),
        req=req,
        shown=shown,
        total=len(every),
        wanted=wanted,
        reasons=sorted({s.row.reason for s in every}),
        detectors=sorted({s.row.detector for s in every}),
        states=STATES,
        blockers=review.undecided(db(), req) if req.status == Status.READY_FOR_REVIEW else [],
        stale=review.needs_rerender(db(), req),
        decisions=review.history(db(), req.id),
        query=query,
        hits=search(req, query) if query else [],
        form=DecisionForm(),
        confirm_form=ConfirmForm(),
        approve_form=ApproveForm(),
        labels=_labels(),
        exemptions=review.EXEMPTIONS,
    )


def _labels() -> dict[str, str]:
    return {code: label for codes in review.REASONS.values() for code, label in codes.items()}


# -- one document ---------------------------------------------------------------------------


@bp.route("/review/documents/<int:document_id>")
@requires(UserRole.DPO, UserRole.DSL)
def review_document(document_id: int) -> Any:
    """The workbench for one document and page: original and redacted side by side."""
    user = user_now()
    doc = _document_or_404(document_id, user)
    req = doc.request
    page = max(1, request.args.get("page", 1, type=int))
    originals = original_pages(doc)
    pages = max(doc.pages or 0, len(originals), 1)
    page = min(page, pages)
    decisions = review.active(db(), req.id)
    rows = [
        Suggestion(r, suggestion_state(r, decisions))
        for r in doc.redactions
        if r.page in (None, page)
    ]
    siblings = _siblings(req, user)
    position = next((i for i, d in enumerate(siblings) if d.id == doc.id), 0)
    record_event(
        db(),
        req,
        "document_reviewed",
        actor_id=user.id,
        actor_role=user.role.value,
        detail=f"{doc.title}, page {page}",
    )
    db().commit()
    return render_template(
        "pupil_privacy/review_document.html",
        user=user,
        req=req,
        doc=doc,
        page=page,
        pages=pages,
        rows=rows,
        places=places_on_page(doc, page, [s.row for s in rows], decisions),
        held=held_places(doc, page),
        unsettled_count=sum(r.action == UNSETTLED for r in doc.redactions),
        page_size=page_size(doc, page),
        page_text=originals[page - 1] if page <= len(originals) else "",
        is_text=not doc.filename,
        can_box=_can_box(doc),
        decisions=[d for d in decisions if review.applies_to(d, doc.id)],
        previous=siblings[position - 1] if position > 0 else None,
        next=siblings[position + 1] if position + 1 < len(siblings) else None,
        form=DecisionForm(),
        labels=_labels(),
        keep_reasons=review.KEEP_REASONS,
        redact_reasons=review.REDACT_REASONS,
        exemptions=review.EXEMPTIONS,
        dsl=user.role is UserRole.DSL,
        query=request.args.get("q", "").strip(),
    )


def _siblings(req: RightsRequest, user: MISUser) -> list[RequestDocument]:
    """The documents next/previous walk through (the DSL's: safeguarding records only)."""
    docs = [d for d in req.documents if d.status != DocumentStatus.PENDING]
    if user.role is UserRole.DSL:
        docs = [d for d in docs if d.needs_dsl_review]
    return docs


def _can_box(doc: RequestDocument) -> bool:
    suffix = review_render.original_suffix(doc)
    return suffix in (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff")


@bp.route("/review/documents/<int:document_id>/pages/<int:page>/<which>.png")
@requires(UserRole.DPO, UserRole.DSL)
def review_page_image(document_id: int, page: int, which: str) -> Any:
    """One page as a PNG: ``original`` (from the MIS) or ``redacted`` (decrypted in memory)."""
    doc = _document_or_404(document_id, user_now())
    if which not in ("original", "redacted"):
        abort(404, "There is no such rendering.")
    png = _render(id(runtime_for()), doc.id, which, f"{doc.output_key}:{doc.updated_at}", page)
    if png is None:
        abort(404, f"There is no {which} page {page} to show.")
    response = Response(png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, no-store"
    return response


@functools.lru_cache(maxsize=128)
def _render(app_key: int, document_id: int, which: str, stamp: str, page: int) -> bytes | None:
    """A page's PNG, cached per document version (``stamp``) in this process only."""
    doc = db().get(RequestDocument, document_id)
    assert doc is not None
    data = _pdf_bytes(doc, which)
    if data is None:
        return None
    with _open(data, doc, which) as pdf:
        if not 1 <= page <= pdf.page_count:
            return None
        pix = pdf[page - 1].get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), alpha=False)
        return bytes(pix.tobytes("png"))


def _pdf_bytes(doc: RequestDocument, which: str) -> bytes | None:
    if which == "redacted":
        try:
            return read_document(runtime_for(), doc)
        except StorageError:
            return None
    if not doc.filename or not _can_box(doc):
        return None  # text, Word and email originals are shown as text
    return _original_bytes(doc)


def _open(data: bytes, doc: RequestDocument, which: str) -> pymupdf.Document:
    """The bytes as a PyMuPDF document (an image original opens as a one-page document); a
    password-protected or unreadable original opens as an empty one."""
    kind = "pdf"
    if which == "original" and review_render.original_suffix(doc) != ".pdf":
        kind = review_render.original_suffix(doc)[1:]
    try:
        opened = pymupdf.open(stream=data, filetype=kind)
    except (RuntimeError, ValueError):
        return pymupdf.open()
    if opened.needs_pass:
        opened.close()
        return pymupdf.open()
    return opened


def _original_bytes(doc: RequestDocument) -> bytes | None:
    mis = runtime_for().mis
    record = find_record(mis, doc.request.pupil_id, doc.record_id)
    if record is None:
        return None
    return record_bytes(mis, doc.request.pupil_id, record)[0]


def original_pages(doc: RequestDocument) -> list[str]:
    """The original's text, page by page (a text record is one page)."""
    if not doc.filename:
        data = _original_bytes(doc)
        return [data.decode("utf-8", "replace")] if data else []
    if review_render.original_suffix(doc) != ".pdf":
        return []
    data = _original_bytes(doc)
    if data is None:
        return []
    with _open(data, doc, "original") as pdf:
        return [p.get_text() for p in pdf]


def page_size(doc: RequestDocument, page: int) -> tuple[float, float] | None:
    """The original page's size in points (boxes are drawn in points)."""
    data = _pdf_bytes(doc, "original")
    if data is None:
        return None
    with _open(data, doc, "original") as pdf:
        if not 1 <= page <= pdf.page_count:
            return None
        rect = pdf[page - 1].rect
        return float(rect.width), float(rect.height)


def places_on_page(
    doc: RequestDocument, page: int, rows: Sequence[Redaction], decisions: Sequence[ReviewDecision]
) -> list[Place]:
    """Where each suggestion (found by its words) and each box is on the original page."""
    data = _pdf_bytes(doc, "original")
    if data is None:
        return []
    out: list[Place] = []
    with _open(data, doc, "original") as pdf:
        if not 1 <= page <= pdf.page_count:
            return []
        p = pdf[page - 1]
        w, h = float(p.rect.width), float(p.rect.height)

        def place(r: Any, state: str, label: str, row_id: int | None) -> Place:
            return Place(
                100 * r[0] / w,
                100 * r[1] / h,
                100 * (r[2] - r[0]) / w,
                100 * (r[3] - r[1]) / h,
                state,
                label,
                row_id,
            )

        for row in rows:
            state = suggestion_state(row, decisions)
            for r in p.search_for(row.text.replace("\n", " ")[:200]) if row.text else ():
                out.append(place(r, state, f"{row.reason} · {row.detector}", row.id))
        for d in decisions:
            if d.kind == ReviewKind.BOX and d.document_id == doc.id and d.page == page and d.rect:
                out.append(place(d.rect, "added", f"box · {d.decided_by_name}", None))
            elif d.kind != ReviewKind.KEEP and d.text and review.applies_to(d, doc.id):
                for r in p.search_for(d.text):
                    out.append(place(r, "added", f"{d.kind} · {d.decided_by_name}", None))
    return out


# -- search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    document: RequestDocument
    count: int


def search(req: RightsRequest, query: str) -> list[Hit]:
    """Where a term occurs in the originals (any case, across line breaks)."""
    if len(query) < 2:
        return []
    pattern = re.compile(r"\s+".join(map(re.escape, query.split())), re.IGNORECASE)
    hits = []
    for doc in req.documents:
        count = sum(len(pattern.findall(text)) for text in original_pages(doc))
        count += sum(1 for r in doc.redactions if pattern.search(r.text))
        if count:
            hits.append(Hit(doc, count))
    return hits


# -- decisions ------------------------------------------------------------------------------


@bp.route("/review/requests/<int:request_id>/decisions", methods=["POST"])
@requires(UserRole.DPO, UserRole.DSL)
def review_decide(request_id: int) -> Any:
    """Record one decision; back to the page it was made on."""
    user = user_now()
    req = request_or_404(request_id)
    form = DecisionForm()
    back = _safe_back(form.back.data, req)
    if not form.validate_on_submit():
        errors = "; ".join(e for field in form.errors.values() for e in field)
        flash(errors or "The form expired. Please reload the page and try again.", "error")
        return redirect(back)
    document = None
    if form.scope.data != "request" or user.role is UserRole.DSL:
        document = _document_or_404(int(form.document_id.data or 0), user)
    decision = review.decide(
        db(),
        req,
        kind=ReviewKind(form.kind.data),
        reviewer=reviewer_of(user),
        reason_code=form.reason_code.data or "",
        reason_text=form.reason_text.data or "",
        document=document,
        text=form.text.data,
        page=int(form.page.data) if (form.page.data or "").isdigit() else None,
        rect=_rect(form.rect.data),
    )
    db().commit()
    flash(f"Decided: {decision.kind.replace('_', ' ')}. Re-render the pack to apply it.")
    return redirect(back)


def _rect(raw: str | None) -> list[float] | None:
    if not raw:
        return None
    try:
        values = [float(v) for v in raw.split(",")]
    except ValueError:
        raise review.ReviewError("the box must be four numbers: x0, y0, x1, y1") from None
    return values


def _safe_back(back: str | None, req: RightsRequest) -> str:
    """Only a path inside the Privacy tab (never an open redirect)."""
    prefix = url_for("pupil_privacy.index").rstrip("/")
    if back and back.startswith(prefix + "/") and "//" not in back and "\\" not in back:
        return back
    return url_for(".review_request", request_id=req.id)


@bp.route("/review/decisions/<int:decision_id>/undo", methods=["POST"])
@requires(UserRole.DPO, UserRole.DSL)
def review_undo(decision_id: int) -> Any:
    user = user_now()
    decision = db().get(ReviewDecision, decision_id)
    if decision is None:
        abort(404, "There is no such decision.")
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form expired. Please reload the page and try again.")
    review.undo(db(), decision, reviewer_of(user))
    db().commit()
    flash("Decision undone. Re-render the pack to apply it.")
    req = request_or_404(decision.request_id)
    return redirect(_safe_back(request.form.get("back"), req))


@bp.route("/review/requests/<int:request_id>/rerender", methods=["POST"])
@requires(UserRole.DPO, UserRole.DSL)
def review_rerender(request_id: int) -> Any:
    """Apply the decisions to the originals of the affected documents, in the workers."""
    user = user_now()
    req = request_or_404(request_id)
    if not ConfirmForm().validate_on_submit():
        abort(400, "The form expired. Please reload the page and try again.")
    runtime = runtime_for()
    try:
        queued = review_render.start_rerender(runtime, db(), req, reviewer_of(user))
    except review.ReviewError:
        raise
    except Exception:  # Redis down: the request is IN_PROGRESS, the reconciler catches up
        db().rollback()
        flash("The workers are not available; the reconciler will pick it up.", "error")
        queued = []
    flash(f"Re-rendering {len(queued)} document(s) from the original; the pack follows.")
    if user.role is UserRole.DSL:
        return redirect(url_for(".dsl_queue"))
    return redirect(url_for(".dpo_request", request_id=req.id))


@bp.route("/review/requests/<int:request_id>/approve", methods=["POST"])
@requires(UserRole.DPO)
def review_approve(request_id: int) -> Any:
    """Approve after the confirmation step; the server checks every gate (issue 8)."""
    user = user_now()
    req = request_or_404(request_id)
    form = ApproveForm()
    if not form.validate_on_submit() or request.form.get("confirmed") != "yes":
        flash("Tick the confirmation to approve.", "error")
        return redirect(url_for(".review_request", request_id=req.id))
    in_part = (form.in_part.data or "").strip()
    withheld = review.release_in_part_note(req, db())
    if withheld and not in_part:
        flash("Parts are withheld: say why the pack is released in part.", "error")
        return redirect(url_for(".review_request", request_id=req.id))
    approve(db(), req, actor_id=user.id, today=today())
    record_event(
        db(),
        req,
        "approved_by",
        actor_id=user.id,
        actor_role=user.role.value,
        detail=f"Approved by {user.name}"
        + (f"; released in part ({withheld}): {in_part}" if in_part else ""),
    )
    db().commit()
    flash(f"Approved by {user.name} and released to the requester.")
    return redirect(url_for(".dpo_request", request_id=req.id))


@bp.route("/dpo/requests/<int:request_id>/review/schedule")
@requires(UserRole.DPO)
def review_schedule(request_id: int) -> Any:
    """The redaction schedule (rule 19) with every decision: suggested by which detector,
    decided by whom, when and why, undone ones included."""
    req = request_or_404(request_id)
    return render_template(
        "pupil_privacy/review_schedule.html",
        user=user_now(),
        req=req,
        rows=suggestions(req),
        decisions=review.history(db(), req.id),
        labels=_labels(),
        detectors=_overruled(req),
    )


def _overruled(req: RightsRequest) -> dict[int, str]:
    """For each decision on words, the detectors whose suggestions it answers."""
    out: dict[int, str] = {}
    for d in review.history(db(), req.id):
        if not d.text:
            continue
        term = review.normalise(d.text)
        found = {
            r.detector
            for doc in req.documents
            if review.applies_to(d, doc.id)
            for r in doc.redactions
            if r.detector != "reviewer" and term in review.normalise(r.text)
        }
        out[d.id] = ", ".join(sorted(found)) or "none: added by a person"
    return out
