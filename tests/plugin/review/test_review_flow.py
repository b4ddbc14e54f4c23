"""The review workbench through the test client, with packs built and re-rendered by a real
``SimpleWorker`` burst: the server's gate before approval, decisions that propagate and undo,
the safeguarding lead's passage, re-rendering only what a decision affects, and who may see
what."""

from __future__ import annotations

import re

import pymupdf
from flask import Flask
from pp_review_school import (
    FLAGGED,
    LETTER,
    MISSED,
    OWN_DATA,
    UNRESOLVED,
    SignIn,
    add_minutes,
    build,
    run_worker,
)
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.host import stored_request
from support.school import CLASSMATE
from support.web import post_form
from support.worker_flow import pack_text

from pupil_privacy.plugin import runtime_for
from pupil_privacy.plugin.views.review import suggestion_state
from pupil_privacy.worker import review
from pupil_privacy.worker.models import RequestDocument, RequestEvent, ReviewDecision, RightsRequest
from pupil_privacy.worker.states import DocumentStatus, Status


def _request(db: Session, request_id: int) -> RightsRequest:
    db.expire_all()
    req = db.get(RightsRequest, request_id)
    assert req is not None
    return req


def _doc(db: Session, title: str) -> RequestDocument:
    db.expire_all()
    return db.scalars(select(RequestDocument).where(RequestDocument.title == title)).one()


def _decide(client: object, request_id: int, origin: str, **data: object) -> str:
    """Post one decision from the page ``origin`` and return the page it lands on (or the
    error page)."""
    response = post_form(
        client,  # type: ignore[arg-type]
        f"/privacy/review/requests/{request_id}/decisions",
        {"back": origin, **data},
        page=origin,
    )
    assert response.status_code in (302, 409), response.status_code
    if response.status_code == 409:
        return str(response.get_data(as_text=True))
    return str(client.get(response.location).get_data(as_text=True))  # type: ignore[attr-defined]


def _release_welfare_note(app: Flask, sign_in: SignIn, db: Session) -> None:
    """The DSL releases Amy's welfare note, and the pack is assembled (rule 14)."""
    doc = _doc(db, "Welfare concern")
    post_form(
        sign_in("u-dsl"),
        f"/privacy/dsl/documents/{doc.id}",
        {"decision": "release", "reason": "Safe to release"},
        page="/privacy/dsl",
    )
    run_worker(app)


def _ready(app: Flask, sign_in: SignIn, db: Session) -> int:
    request_id = stored_request(app)
    build(app, request_id)
    _release_welfare_note(app, sign_in, db)
    assert _request(db, request_id).status == Status.READY_FOR_REVIEW
    return request_id


def _rerender(app: Flask, client: object, request_id: int, page: str) -> None:
    response = post_form(
        client,  # type: ignore[arg-type]
        f"/privacy/review/requests/{request_id}/rerender",
        {},
        page=page,
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    run_worker(app)


def _approve(client: object, request_id: int, **data: str) -> str:
    page = f"/privacy/dpo/requests/{request_id}/review"
    response = post_form(
        client,  # type: ignore[arg-type]
        f"/privacy/review/requests/{request_id}/approve",
        {"confirmed": "yes", **data},
        page=page,
    )
    assert response.status_code in (302, 409), response.status_code
    if response.status_code == 409:
        return str(response.get_data(as_text=True))
    return str(client.get(response.location).get_data(as_text=True))  # type: ignore[attr-defined]


def test_approval_waits_for_every_flagged_passage_the_server_enforces_it(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    listing = dpo.get(f"/privacy/dpo/requests/{request_id}/review").get_data(as_text=True)
    assert "To decide before approval (2)" in listing
    assert all(p in listing for p in FLAGGED)

    # Neither approve route lets it through: the console's button and the workbench's.
    page = f"/privacy/dpo/requests/{request_id}"
    refused = post_form(dpo, f"{page}/approve", {}, page=page)
    assert refused.status_code == 409
    assert "2 item(s) must be decided" in refused.get_data(as_text=True)
    assert "2 item(s) must be decided" in _approve(dpo, request_id)
    assert _request(db, request_id).status == Status.READY_FOR_REVIEW

    letter, note = _doc(db, LETTER), _doc(db, "Playground note")
    on_letter = f"/privacy/review/documents/{letter.id}"
    _decide(
        dpo,
        request_id,
        on_letter,
        kind="redact",
        scope="document",
        document_id=letter.id,
        text=FLAGGED[0],
        reason_code="identifying-context",
        reason_text="Names her father",
    )
    # One passage decided: still one to go.
    assert "1 item(s) must be decided" in _approve(dpo, request_id)
    _decide(
        dpo,
        request_id,
        f"/privacy/review/documents/{note.id}",
        kind="keep",
        scope="document",
        document_id=note.id,
        text=FLAGGED[1],
        reason_code="not-personal-data",
        reason_text="Half the town lives there",
    )
    # Everything decided, but the pack does not show it yet: re-render first.
    assert "re-render the pack" in _approve(dpo, request_id)

    _rerender(app, dpo, request_id, on_letter)
    assert _request(db, request_id).status == Status.READY_FOR_REVIEW
    # Parts were withheld? No: nothing withheld, so no "in part" reasons are needed.
    landed = _approve(dpo, request_id)
    assert "Approved by Dana Price" in landed
    req = _request(db, request_id)
    assert req.status == Status.APPROVED
    events = db.scalars(select(RequestEvent).where(RequestEvent.request_id == request_id)).all()
    assert any(e.kind == "approved_by" and e.actor_user_id == "u-dpo" for e in events)


def test_approval_asks_for_confirmation(app: Flask, sign_in: SignIn, db: Session) -> None:
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    response = post_form(
        dpo,
        f"/privacy/review/requests/{request_id}/approve",
        {},
        page=f"/privacy/dpo/requests/{request_id}/review",
    )
    assert response.status_code == 302
    assert "Tick the confirmation" in dpo.get(response.location).get_data(as_text=True)
    assert _request(db, request_id).status == Status.READY_FOR_REVIEW


def test_a_keep_applies_to_every_occurrence_in_the_request_and_undo_restores_it(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    letter, note = _doc(db, LETTER), _doc(db, "Playground note")
    listing = f"/privacy/dpo/requests/{request_id}/review"
    suggested = dpo.get(f"{listing}?state=suggested").get_data(as_text=True)
    assert suggested.count(f"<td>{OWN_DATA}</td>") == 2  # in the letter and in the note

    page = _decide(
        dpo,
        request_id,
        f"/privacy/review/documents/{letter.id}",
        kind="keep",
        scope="request",
        document_id=letter.id,
        text=OWN_DATA,
        reason_code="own-data",
        reason_text="Amy's own medical need",
    )
    assert "Decided: keep" in page
    kept = dpo.get(f"{listing}?state=kept").get_data(as_text=True)
    assert kept.count(f"<td>{OWN_DATA}</td>") == 2  # both documents, one decision
    # The engine is asked to keep it in every document of this request, and in no other.
    for doc in (letter, note, _doc(db, "Spring report")):
        decisions = review.decisions_for(db, doc, f"record-{doc.id}.txt")
        assert [k.text for k in decisions.keep] == [OWN_DATA]
    other = stored_request(app, pupil_id="P1", requester_id="U-MUM")
    assert db.scalars(select(ReviewDecision).where(ReviewDecision.request_id == other)).all() == []

    decision = db.scalars(select(ReviewDecision)).one()
    response = post_form(
        dpo, f"/privacy/review/decisions/{decision.id}/undo", {"back": listing}, page=listing
    )
    assert response.status_code == 302
    assert (
        dpo.get(f"{listing}?state=kept").get_data(as_text=True).count(f"<td>{OWN_DATA}</td>") == 0
    )
    assert (
        dpo.get(f"{listing}?state=suggested").get_data(as_text=True).count(f"<td>{OWN_DATA}</td>")
        == 2
    )
    db.expire_all()
    assert decision.undone_at is not None and decision.undone_by == "u-dpo"
    assert not review.decisions_for(db, letter, "letter.pdf").keep
    # The history keeps the undone decision, with who made it (rule 19).
    schedule = dpo.get(f"{listing}/schedule").get_data(as_text=True)
    assert "Dana Price" in schedule and "pp-undone" in schedule


def test_rerender_redacts_only_the_affected_documents_from_the_original(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    letter = _doc(db, LETTER)
    attempts = {d.id: d.attempts for d in _request(db, request_id).documents}
    on_letter = f"/privacy/review/documents/{letter.id}"
    _decide(
        dpo,
        request_id,
        on_letter,
        kind="redact",
        scope="request",
        document_id=letter.id,
        text=MISSED,
        reason_code="third-party",
        reason_text="Office staff, not in role here",
    )
    _rerender(app, dpo, request_id, on_letter)
    after = {d.id: (d.attempts, d.status) for d in _request(db, request_id).documents}
    # Only the letter holds the missed name: only it went back to the workers.
    changed = [d for d, (n, _) in after.items() if n != attempts[d]]
    assert changed == [letter.id]
    assert after[letter.id][1] == DocumentStatus.DONE
    req = _request(db, request_id)
    assert req.status == Status.READY_FOR_REVIEW
    assert any(
        e.kind == "review_rerender" and "1 document(s)" in (e.detail or "") for e in req.events
    )


def test_the_pack_shows_the_decisions_after_rerender(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    letter = _doc(db, LETTER)
    on_letter = f"/privacy/review/documents/{letter.id}"
    with app.app_context():
        before = pack_text("requester", request_id)
    assert MISSED in before and OWN_DATA not in before
    _decide(
        dpo,
        request_id,
        on_letter,
        kind="redact",
        scope="request",
        document_id=letter.id,
        text=MISSED,
        reason_code="third-party",
    )
    _decide(
        dpo,
        request_id,
        on_letter,
        kind="keep",
        scope="request",
        document_id=letter.id,
        text=OWN_DATA,
        reason_code="own-data",
    )
    _rerender(app, dpo, request_id, on_letter)
    with app.app_context():
        after = pack_text("requester", request_id)
    assert MISSED not in after  # the third party's name is gone
    assert after.count(OWN_DATA) == 2  # the pupil's own data is back, in both documents


def test_the_dsl_withholds_a_passage_of_a_safeguarding_record(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(app)
    build(app, request_id)
    assert _request(db, request_id).status == Status.SAFEGUARDING_REVIEW
    dsl = sign_in("u-dsl")
    welfare, letter = _doc(db, "Welfare concern"), _doc(db, LETTER)
    page = f"/privacy/review/documents/{welfare.id}"
    workbench = dsl.get(page)
    assert workbench.status_code == 200
    html = workbench.get_data(as_text=True)
    assert "worried about the walk home" in html  # the DSL sees the original
    assert "Withhold the passage" in html
    # Only safeguarding records: the letter is not the DSL's.
    assert dsl.get(f"/privacy/review/documents/{letter.id}").status_code == 403

    refused = _decide(
        dsl,
        request_id,
        page,
        kind="withhold_passage",
        scope="document",
        document_id=welfare.id,
        text="worried about the walk home",
        reason_code="own-data",
    )
    assert "choose a reason" in refused  # an exemption is required, not a keep reason
    refused = _decide(
        dsl,
        request_id,
        page,
        kind="keep",
        scope="document",
        document_id=welfare.id,
        text="Ms Patel",
        reason_code="own-data",
    )
    assert "cannot keep" in refused
    _decide(
        dsl,
        request_id,
        page,
        kind="withhold_passage",
        scope="document",
        document_id=welfare.id,
        text="worried about the walk home",
        reason_code="rule-14-child-abuse",
        reason_text="Would tell the parent of the concern",
    )
    row = db.scalars(select(ReviewDecision)).one()
    assert (row.kind, row.decided_role, row.decided_by_name) == (
        "withhold_passage",
        "dsl",
        "Sue Lowe",
    )
    assert [r.text for r in review.decisions_for(db, welfare, "w.txt").redact] == [
        "worried about the walk home"
    ]

    # Re-render the record from its original, then release it: the pack is assembled.
    _rerender(app, dsl, request_id, page)
    assert _request(db, request_id).status == Status.SAFEGUARDING_REVIEW
    _release_welfare_note(app, sign_in, db)
    assert _request(db, request_id).status == Status.READY_FOR_REVIEW


def test_the_withheld_passage_is_gone_from_the_pack(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(app)
    build(app, request_id)
    dsl = sign_in("u-dsl")
    welfare = _doc(db, "Welfare concern")
    page = f"/privacy/review/documents/{welfare.id}"
    _decide(
        dsl,
        request_id,
        page,
        kind="withhold_passage",
        scope="document",
        document_id=welfare.id,
        text="worried about the walk home",
        reason_code="rule-14-child-abuse",
        reason_text="Would tell the parent",
    )
    _rerender(app, dsl, request_id, page)
    _release_welfare_note(app, sign_in, db)
    with app.app_context():
        text = pack_text("requester", request_id)
    assert "Amy Okafor told Ms Patel" in text  # the rest of the record is released
    assert "walk home" not in text


def test_a_document_withheld_under_rule_14_is_not_listed_rule_13_is(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    letter, report = _doc(db, LETTER), _doc(db, "Spring report")
    for doc, code in ((letter, "rule-14-child-abuse"), (report, "rule-13-serious-harm")):
        page = f"/privacy/review/documents/{doc.id}"
        missing = _decide(
            dpo,
            request_id,
            page,
            kind="withhold_document",
            scope="document",
            document_id=doc.id,
            reason_code=code,
        )
        assert "say why it is withheld" in missing
        _decide(
            dpo,
            request_id,
            page,
            kind="withhold_document",
            scope="document",
            document_id=doc.id,
            reason_code=code,
            reason_text="Assessed by the DPO",
        )
    note = _doc(db, "Playground note")
    _decide(
        dpo,
        request_id,
        f"/privacy/review/documents/{note.id}",
        kind="redact",
        scope="document",
        document_id=note.id,
        text=FLAGGED[1],
        reason_code="identifying-context",
    )
    _rerender(app, dpo, request_id, f"/privacy/dpo/requests/{request_id}/review")
    assert _request(db, request_id).status == Status.READY_FOR_REVIEW
    with app.app_context():
        text = pack_text("requester", request_id)
    assert "Spring report" in text and "serious harm" in text  # rule 13: listed, and why
    assert LETTER not in text and "Dear Mrs Okafor" not in text  # rule 14: not even listed
    with app.app_context():
        dpo_copy = pack_text("dpo", request_id)
    assert LETTER in dpo_copy  # the DPO's copy records it

    # Approval now needs the reasons for releasing in part.
    dpo_page = _approve(dpo, request_id)
    assert "say why the pack is released in part" in dpo_page
    landed = _approve(dpo, request_id, in_part="Two records withheld under rules 13 and 14")
    assert "Approved by Dana Price" in landed
    events = _request(db, request_id).events
    assert any("released in part (2 document(s) withheld)" in (e.detail or "") for e in events)


def test_workbench_pages_render_the_original_and_the_copy_to_the_dpo_only(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    _ready(app, sign_in, db)
    letter = _doc(db, LETTER)
    dpo = sign_in("u-dpo")
    html = dpo.get(f"/privacy/review/documents/{letter.id}").get_data(as_text=True)
    assert "Original" in html and "Redacted copy" in html
    # The suggestions are outlined on the original, with reason and detector.
    assert 'class="pp-mark pp-state-flagged"' in html and "context" in html
    assert 'class="pp-mark pp-state-suggested"' in html
    for which in ("original", "redacted"):
        response = dpo.get(f"/privacy/review/documents/{letter.id}/pages/1/{which}.png")
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.headers["Cache-Control"] == "private, no-store"
        assert pymupdf.Pixmap(response.data).width == 893  # A4, 595 points, at 1.5 x 72 dpi
    # The rendering of the original shows what the copy removed.
    assert dpo.get(f"/privacy/review/documents/{letter.id}/pages/2/original.png").status_code == 404
    # A parent, a pupil and staff never reach it; nor a page of a document for someone else.
    for user in ("u-mum", "u-ben", "u-teacher"):
        client = sign_in(user)
        assert client.get(f"/privacy/review/documents/{letter.id}").status_code in (403, 401)
        assert client.get(
            f"/privacy/review/documents/{letter.id}/pages/1/original.png"
        ).status_code in (403, 401)
    # Text records are shown as text.
    note = _doc(db, "Playground note")
    html = dpo.get(f"/privacy/review/documents/{note.id}").get_data(as_text=True)
    assert "pp-original-text" in html and "fell out" in html


def test_search_finds_a_missed_name_and_redacts_every_occurrence(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    listing = f"/privacy/dpo/requests/{request_id}/review"
    found = dpo.get(f"{listing}?q=edit%20major").get_data(as_text=True)
    assert "1 occurrence(s) of <q>edit major</q> in 1 document(s)" in found
    page = _decide(
        dpo,
        request_id,
        f"{listing}?q=edit%20major",
        kind="redact",
        scope="request",
        text="edit major",
        reason_code="third-party",
    )
    assert "Decided: redact" in page
    row = db.scalars(select(ReviewDecision)).one()
    assert (row.document_id, row.kind, row.decided_by) == (None, "redact", "u-dpo")


def test_boxes_are_checked_and_recorded_in_points(app: Flask, sign_in: SignIn, db: Session) -> None:
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    letter, note = _doc(db, LETTER), _doc(db, "Playground note")
    page = f"/privacy/review/documents/{letter.id}"
    tiny = _decide(
        dpo,
        request_id,
        page,
        kind="box",
        scope="document",
        document_id=letter.id,
        page="1",
        rect="10,10,11,11",
        reason_code="third-party",
    )
    assert "too small" in tiny
    off = _decide(
        dpo,
        request_id,
        page,
        kind="box",
        scope="document",
        document_id=letter.id,
        page="3",
        rect="72,400,260,450",
        reason_code="third-party",
    )
    assert "no page 3" in off
    _decide(
        dpo,
        request_id,
        page,
        kind="box",
        scope="document",
        document_id=letter.id,
        page="1",
        rect="72,400,260,450",
        reason_code="third-party",
        reason_text="Signature of a member of staff",
    )
    row = db.scalars(select(ReviewDecision)).one()
    assert (row.page, row.rect) == (1, [72.0, 400.0, 260.0, 450.0])
    boxes = review.decisions_for(db, letter, "record-1.pdf").boxes
    assert [(b.file, b.page, b.rect) for b in boxes] == [("record-1.pdf", 1, (72, 400, 260, 450))]
    assert not review.decisions_for(db, note, "record-2.txt").boxes
    assert "Draw a box" not in dpo.get(f"/privacy/review/documents/{note.id}").get_data(
        as_text=True
    )


def test_the_school_lists_record_who_and_why_and_reach_the_engine(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    lists = "/privacy/dpo/school-lists"
    assert "Fenland Academy" in dpo.get(lists).get_data(as_text=True)  # from configuration
    response = post_form(
        dpo, lists, {"which": "keep", "term": "CONFIDENTIAL", "reason": "a stamp"}, page=lists
    )
    assert response.status_code == 302
    html = dpo.get(lists).get_data(as_text=True)
    assert "CONFIDENTIAL" in html and "a stamp" in html and "Dana Price" in html
    letter = _doc(db, LETTER)
    keep = review.decisions_for(db, letter, "letter.pdf", always_keep=["Fenland Academy"]).keep
    assert {k.text for k in keep} == {"CONFIDENTIAL", "Fenland Academy"}
    # A person's redaction wins over a list's keep: a leak is the worse failure.
    _decide(
        dpo,
        request_id,
        f"/privacy/review/documents/{letter.id}",
        kind="redact",
        scope="document",
        document_id=letter.id,
        text="confidential",
        reason_code="identifying-context",
    )
    keep = review.decisions_for(db, letter, "letter.pdf").keep
    assert "CONFIDENTIAL" not in {k.text for k in keep}
    assert runtime_for(app).settings.school_name == "Fenland Academy"


def test_decisions_are_refused_once_the_pack_is_approved(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(app)
    build(app, request_id)
    dpo = sign_in("u-dpo")
    letter = _doc(db, LETTER)
    page = f"/privacy/review/documents/{letter.id}"
    # While the DSL still reviews, the DPO cannot decide yet.
    early = _decide(
        dpo,
        request_id,
        page,
        kind="redact",
        scope="document",
        document_id=letter.id,
        text=MISSED,
        reason_code="third-party",
    )
    assert "decisions are made once the pack is built" in early
    assert db.scalars(select(ReviewDecision)).first() is None


def _decide_flagged(client: object, request_id: int, db: Session) -> None:
    """Keep both flagged passages (not personal data), so only the refused document blocks."""
    for title, passage in ((LETTER, FLAGGED[0]), ("Playground note", FLAGGED[1])):
        doc = _doc(db, title)
        _decide(
            client,
            request_id,
            f"/privacy/review/documents/{doc.id}",
            kind="keep",
            scope="document",
            document_id=doc.id,
            text=passage,
            reason_code="not-personal-data",
        )


def test_a_document_the_leak_check_refuses_is_held_with_its_findings_at_their_place(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    add_minutes(app)
    request_id = _ready(app, sign_in, db)
    minutes = _doc(db, "Meeting minutes")
    # Held, not dropped: its copy so far is stored, out of the pack until it is settled.
    assert minutes.status == DocumentStatus.FAILED and review.refused_by_leak_check(minutes)
    assert minutes.output_key is not None
    dpo = sign_in("u-dpo")
    listing = dpo.get(f"/privacy/dpo/requests/{request_id}/review").get_data(as_text=True)
    assert review.UNSETTLED_WHAT in listing and UNRESOLVED in listing
    # On the workbench: the held copy, the finding outlined where the leak check found it.
    page = f"/privacy/review/documents/{minutes.id}"
    html = dpo.get(page).get_data(as_text=True)
    assert "Held for your review" in html and "the leak check refused it" in html
    [mark] = re.findall(r'class="pp-mark pp-state-unsettled" data-box="([0-9. ]+)"', html)
    left, top, width, height = (float(v) for v in mark.split())
    assert 0 < left < 50 and 0 < top < 50 and 0 < width < 50 and 0 < height < 5
    held_png = dpo.get(f"{page}/pages/1/redacted.png")
    assert held_png.status_code == 200 and held_png.data.startswith(b"\x89PNG")

    # Approve is refused while the finding is undecided (both routes: the server's gate),
    # and re-rendering without a decision does not settle it.
    _decide_flagged(dpo, request_id, db)
    _rerender(app, dpo, request_id, page)
    refused = _approve(dpo, request_id)
    assert "1 item(s) must be decided" in refused and review.UNSETTLED_WHAT in refused
    console = f"/privacy/dpo/requests/{request_id}"
    assert post_form(dpo, f"{console}/approve", {}, page=console).status_code == 409
    assert _request(db, request_id).status == Status.READY_FOR_REVIEW

    # Withholding it whole (rule 13) decides it; the pack then lists it as withheld.
    _decide(
        dpo,
        request_id,
        page,
        kind="withhold_document",
        scope="document",
        document_id=minutes.id,
        reason_code="rule-13-serious-harm",
        reason_text="Names a youth worker at risk",
    )
    _rerender(app, dpo, request_id, page)
    assert _doc(db, "Meeting minutes").status == DocumentStatus.WITHHELD
    landed = _approve(dpo, request_id, in_part="One record withheld: serious harm")
    assert "Approved by Dana Price" in landed
    with app.app_context():
        text = pack_text("requester", request_id)
    assert UNRESOLVED not in text and "Meeting minutes" in text


def test_a_refused_document_goes_into_the_pack_once_the_dpo_removes_the_name(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    add_minutes(app)
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    minutes = _doc(db, "Meeting minutes")
    page = f"/privacy/review/documents/{minutes.id}"
    _decide_flagged(dpo, request_id, db)
    _decide(
        dpo,
        request_id,
        page,
        kind="redact",
        scope="request",
        document_id=minutes.id,
        text=UNRESOLVED,
        reason_code="third-party",
    )
    _rerender(app, dpo, request_id, page)
    assert _doc(db, "Meeting minutes").status == DocumentStatus.DONE
    assert "Approved by Dana Price" in _approve(dpo, request_id)
    with app.app_context():
        text = pack_text("requester", request_id)
    assert "met" in text and "from the youth club" in text and UNRESOLVED not in text


def test_an_accepted_suggestion_stays_the_machines_confirmed_after_the_rerender(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    """Accepting a suggestion is the machine's suggestion confirmed, not the DPO's own
    addition: after the re-render it still reads "confirmed", with the detector that
    suggested it and who confirmed it (rule 19); a name the DPO added reads "added"."""
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    letter = _doc(db, LETTER)
    [suggested] = [r for r in letter.redactions if r.text == CLASSMATE]
    assert suggested.detector == "roster"
    page = f"/privacy/review/documents/{letter.id}"
    for text in (CLASSMATE, MISSED):  # the Accept button's decision, then a missed name
        fields = {"kind": "redact", "scope": "document", "reason_code": "third-party"}
        _decide(dpo, request_id, page, document_id=letter.id, text=text, **fields)
    _rerender(app, dpo, request_id, page)
    letter = _doc(db, LETTER)
    decisions = review.active(db, request_id)
    rows = {r.text: r for r in letter.redactions}
    state = {text: suggestion_state(row, decisions) for text, row in rows.items()}
    assert (state[CLASSMATE], state[MISSED]) == ("confirmed", "added")
    assert (rows[CLASSMATE].detector, rows[CLASSMATE].confirmed_by) == ("roster", "Dana Price")
    assert (rows[MISSED].detector, rows[MISSED].confirmed_by) == ("reviewer", "Dana Price")
    html = dpo.get(page).get_data(as_text=True)
    assert re.search(r'pp-state-confirmed"[^>]*>\s*<q>' + CLASSMATE, html)
    # A second re-render (another decision on the letter) keeps it the machine's.
    fields = {"kind": "keep", "scope": "document", "reason_code": "not-personal-data"}
    _decide(dpo, request_id, page, document_id=letter.id, text=FLAGGED[0], **fields)
    _rerender(app, dpo, request_id, page)
    again = {r.text: r for r in _doc(db, LETTER).redactions}
    assert again[CLASSMATE].detector == "roster"
    assert suggestion_state(again[CLASSMATE], review.active(db, request_id)) == "confirmed"


def test_the_requesters_pack_says_why_in_plain_words_the_dpos_copy_names_the_rule(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    """Issue 12: rule numbers are ours, for the DPO's copy and its schedule; the family reads
    "Withheld: serious harm" on the page, and a letter that matches the boxes they see."""
    request_id = _ready(app, sign_in, db)
    dpo = sign_in("u-dpo")
    letter = _doc(db, LETTER)
    page = f"/privacy/review/documents/{letter.id}"
    for kind, extra in (("withhold_page", {}), ("box", {"rect": "72,400,400,460"})):
        _decide(
            dpo,
            request_id,
            page,
            kind=kind,
            scope="document",
            document_id=letter.id,
            page="1",
            reason_code="rule-13-serious-harm",
            reason_text="Names a youth worker at risk",
            **extra,
        )
    _rerender(app, dpo, request_id, page)
    with app.app_context():
        text = " ".join(pack_text("requester", request_id).split())
        dpo_copy = " ".join(pack_text("dpo", request_id).split())
    assert "Withheld: serious harm" in text
    assert re.search(r"\brules? \d", text, re.IGNORECASE) is None, "a rule number for a family"
    assert "Names a youth worker" not in text  # the DPO's own words stay in the DPO's copy
    assert "Black boxes show where information about other people was removed" in text
    assert "box reads" not in text
    # the DPO's schedule still names the rule: the code, and the reason's words (wrapped
    # in its column, so "(rule" and "13)" are read apart)
    assert "rule-13-serious-harm" in dpo_copy and "serious harm to the pupil" in dpo_copy
