"""A document the leak check cannot settle is held for the DPO's review, not failed (issue 8),
and a document's attempts are counted per render, not across re-renders (issue 8, item 5).

Everything runs through the real worker (``SimpleWorker`` bursts), the real removal and the
real leak check (rule 18); the detector is the spaCy-free literal one, made stubborn on one
page so that detection does not converge within the engine's removal passes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pymupdf
import pytest
from pp_worker_app import OTHER_PARENT, PUPIL, LiteralDetector, LiteralRedactor, new_request
from sqlalchemy import select
from support.worker_flow import finish, pack_text, session

from pupil_privacy.redaction.types import Action, Finding, Reason
from pupil_privacy.worker import queueing, review, review_render
from pupil_privacy.worker.attempts import RENDER_BLOCK, tries
from pupil_privacy.worker.lifecycle import approve
from pupil_privacy.worker.lifecycle.events import RequestNotAllowed
from pupil_privacy.worker.mis import MISRecord, RecordCategory
from pupil_privacy.worker.models import RequestDocument, ReviewDecision, RightsRequest
from pupil_privacy.worker.reconcile import reconcile
from pupil_privacy.worker.review_rows import UNSETTLED, decode_rects
from pupil_privacy.worker.runtime import get_runtime
from pupil_privacy.worker.states import ActorRole, DocumentStatus, ReviewKind, Status

#: Page two of the count sheet: every removal of a number word exposes the next one to the
#: stubborn detector, more than the engine's removal passes can take out.
NUMBERS = "one two three four five six seven eight nine ten eleven"
OWN = "Amelia Hart"
DPO = review.Reviewer("u-dpo", "Dana Price", ActorRole.DPO)


class StubbornDetector(LiteralDetector):
    """The literal roster detector; on a text holding "Count sheet B", it also sees the first
    number word left as a person's name (detection that does not converge)."""

    def _find(self, text: str) -> list[Finding]:
        found = super()._find(text)
        m = re.search(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven)\b", text)
        if "Count sheet B" in text and m:
            found.append(
                Finding(
                    m.start(),
                    m.end(),
                    m.group(),
                    "PERSON",
                    0.9,
                    "ner",
                    Action.REDACT,
                    Reason.UNKNOWN_PERSON,
                )  # fmt: skip
            )
        return sorted(found, key=lambda f: f.start)


class StubbornRedactor(LiteralRedactor):
    def detector(self, subject: Any, roster: Any, model: str | None) -> StubbornDetector:
        return StubbornDetector(subject, list(roster))


def _count_sheet() -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 90), f"Count sheet A: {OWN} counted with {OTHER_PARENT}.")
    doc.new_page().insert_text((72, 90), f"Count sheet B: {NUMBERS}.")
    data = doc.tobytes()
    doc.close()
    return bytes(data)


def _add_count_sheet() -> None:
    data = _count_sheet()
    get_runtime().mis.add_record(  # type: ignore[attr-defined]
        PUPIL,
        MISRecord(
            "r-count",
            RecordCategory.ASSESSMENT,
            "Count sheet",
            dt.date(2026, 9, 20),
            source="Maths",
            filename="count.pdf",
            size=len(data),
        ),
        data,
    )


def _doc(record_id: str) -> RequestDocument:
    return (
        session().scalars(select(RequestDocument).where(RequestDocument.record_id == record_id))
    ).one()


def _built(make_worker_app: Any, work: Any) -> int:
    app = make_worker_app(redactor=StubbornRedactor())
    _add_count_sheet()
    rid = new_request(app)
    queueing.enqueue_request(rid)
    req = finish(rid, work)
    assert req.status == Status.READY_FOR_REVIEW
    return rid


def _rerender(rid: int, work: Any) -> list[int]:
    s = session()
    queued = review_render.start_rerender(get_runtime(), s, s.get(RightsRequest, rid), DPO)
    work()  # the safeguarding record was released once already: assembly follows
    return queued


def test_a_document_the_leak_check_cannot_settle_is_held_with_its_findings_at_their_place(
    make_worker_app, work
) -> None:
    rid = _built(make_worker_app, work)
    sheet = _doc("r-count")
    # Held, not failed as "processing failed": the copy so far is stored for the workbench.
    assert sheet.status == DocumentStatus.FAILED and review.refused_by_leak_check(sheet)
    assert sheet.output_key is not None and sheet.pages == 2
    assert "page 2" in (sheet.error or "") and "eleven" not in (sheet.error or "")
    unsettled = [r for r in sheet.redactions if r.action == UNSETTLED]
    assert unsettled, "the findings the leak check could not settle are stored"
    for row in unsettled:
        assert row.page == 2 and row.text in NUMBERS.split()
        [(x0, y0, x1, y1)] = decode_rects(row.reason)  # PDF points from the top-left
        assert 72 <= x0 < x1 < 400 and 70 < y0 < y1 < 100  # on the line it was written on
    # The removal so far is kept in the schedule: the other parent on page 1 is removed.
    assert any(r.text == OTHER_PARENT and r.action == "redact" for r in sheet.redactions)

    # Approval is refused (the server's gate) with each finding named.
    s = session()
    req = s.get(RightsRequest, rid)
    blockers = review.undecided(s, req)
    assert [b.text for b in blockers] == [r.text for r in unsettled]
    with pytest.raises(RequestNotAllowed, match="must be decided"):
        approve(s, req, actor_id="u-dpo", today=dt.date(2026, 10, 5))
    s.rollback()
    # The requester's pack so far does not hold the held copy.
    assert "Count sheet B" not in pack_text("requester", rid)


def test_after_the_dpos_decision_the_rerender_puts_the_held_document_in_the_pack(
    make_worker_app, work
) -> None:
    rid = _built(make_worker_app, work)
    s = session()
    req, sheet = s.get(RightsRequest, rid), _doc("r-count")
    review.decide(
        s,
        req,
        kind=ReviewKind.REDACT,
        reviewer=DPO,
        reason_code="third-party",
        reason_text="Names of children in the count",
        document=sheet,
        text=NUMBERS,
    )
    s.commit()
    assert [b.what for b in review.undecided(s, req)] == [
        "the leak check refused this document: " + (sheet.error or "")[:300]
    ]  # decided, but not settled until the re-render
    queued = _rerender(rid, work)
    assert queued == [sheet.id]  # the affected document only
    sheet = _doc("r-count")
    assert sheet.status == DocumentStatus.DONE and sheet.error is None
    assert not [r for r in sheet.redactions if r.action == UNSETTLED]
    s = session()
    req = s.get(RightsRequest, rid)
    assert req.status == Status.READY_FOR_REVIEW and review.undecided(s, req) == []
    text = pack_text("requester", rid)
    # Both directions: the pupil's own data is in the pack, the third parties are not.
    assert "Count sheet A" in text and OWN in text and "Count sheet B" in text
    assert OTHER_PARENT not in text
    assert not any(word in text.split() for word in NUMBERS.split())
    approve(s, req, actor_id="u-dpo", today=dt.date(2026, 10, 5))
    s.commit()


def _redact_words(rid: int, document_id: int, text: str) -> ReviewDecision:
    """The DPO removes ``text`` from one document (committed)."""
    s = session()
    decision = review.decide(
        s,
        s.get(RightsRequest, rid),
        kind=ReviewKind.REDACT,
        reviewer=DPO,
        reason_code="third-party",
        document=s.get(RequestDocument, document_id),
        text=text,
    )
    s.commit()
    return decision


def test_rerenders_do_not_use_up_the_attempts_of_a_document(make_worker_app, work) -> None:
    """Five re-renders, then a render whose worker is lost: it is tried again, not failed
    (the budget is two attempts per render: one try and one retry)."""
    rid = new_request(make_worker_app(max_attempts=2))
    queueing.enqueue_request(rid)
    finish(rid, work)
    letter = _doc("r-letter")
    for n in range(5):
        decision = _redact_words(rid, letter.id, "minibus")
        if n % 2:
            review.undo(session(), decision, DPO)
            session().commit()
        assert _rerender(rid, work) == [letter.id]
        letter = _doc("r-letter")
        assert letter.status == DocumentStatus.DONE and tries(letter.attempts) == 1
    assert letter.attempts == 5 * RENDER_BLOCK + 1  # attempt numbers still only grow

    # A sixth render whose worker is lost mid-document: the reconciler dispatches it again.
    _redact_words(rid, letter.id, "trip")
    s = session()
    review_render.start_rerender(get_runtime(), s, s.get(RightsRequest, rid), DPO)
    letter = _doc("r-letter")
    get_runtime().redis.delete(f"rq:job:{letter.job_id}")  # lost, as after a SIGKILL
    s = session()
    s.get(RequestDocument, letter.id).status = "processing"
    s.commit()
    counts = reconcile(get_runtime())
    assert counts.get("documents") == 1 and counts.get("failed", 0) == 0
    work()
    letter = _doc("r-letter")
    assert letter.status == DocumentStatus.DONE and tries(letter.attempts) == 2
    text = " ".join(pack_text("requester", rid).split())
    # The decisions are in the pack; the pupil's own data stays.
    assert "Amelia Hart may join the" in text and "join the trip" not in text
    assert "minibus" not in text


def test_tries_count_within_a_render() -> None:
    assert [tries(n) for n in (0, 1, 2, RENDER_BLOCK + 1, 3 * RENDER_BLOCK + 2)] == [0, 1, 2, 1, 2]
