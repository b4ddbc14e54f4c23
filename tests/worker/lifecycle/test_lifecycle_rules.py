"""The request lifecycle service on its own (no web): every status change checked and recorded,
and each clock rule it applies, cited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from support.worker_app import migrations_config

from pupil_privacy.worker import lifecycle
from pupil_privacy.worker.clock import TermDates, add_months, next_working_day
from pupil_privacy.worker.mis import MISUser, PupilDetails, PupilLink, UserRole
from pupil_privacy.worker.models import RequestEvent, RightsRequest
from pupil_privacy.worker.runtime import Settings
from pupil_privacy.worker.states import InvalidTransition, RightType, Status

MUM = MISUser("u-mum", "Grace Okafor", UserRole.PARENT)
MOTHER = PupilLink("p1", "mother", parental_responsibility=True)
RECEIVED = dt.date(2026, 1, 31)  # rule 1's hard case: February has no 31st


def pupil(born: dt.date) -> PupilDetails:
    return PupilDetails("p1", "Amy Okafor", born)


def settings(**fields: Any) -> Settings:
    """A maintained school's settings (the educational record right applies, rule 4) unless
    ``fields`` say otherwise."""
    fields = {"educational_record_right": True, **fields}
    return Settings(school_name="X", pack_key=b"k", storage_dir=Path("/nonexistent"), **fields)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A session on a SQLite database our migrations built (never ``create_all``: the tests
    must see the schema production gets)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'lifecycle.sqlite'}")
    with engine.begin() as connection:
        command.upgrade(migrations_config(connection), "head")
    with Session(engine) as s:
        yield s
    engine.dispose()


def new(
    session: Session,
    right: RightType = RightType.ACCESS,
    *,
    born: dt.date = dt.date(2017, 5, 1),
    received: dt.date = RECEIVED,
    conf: Settings | None = None,
    **kwargs: object,
) -> RightsRequest:
    conf = conf or settings()
    req = lifecycle.create_request(
        session,
        right=right,
        pupil=pupil(born),
        requester=MUM,
        link=MOTHER,
        details="",
        received_on=received,
        settings=conf,
        **kwargs,  # type: ignore[arg-type]
    )
    lifecycle.admit(session, req, settings=conf)
    session.flush()
    return req


def test_sar_due_one_calendar_month_from_receipt_rule_1(session: Session) -> None:
    req = new(session)
    # 31 January -> 28 February 2026 is a Saturday -> Monday 2 March.
    assert req.due_on == dt.date(2026, 3, 2)


def test_every_status_change_is_checked_and_recorded(session: Session) -> None:
    req = new(session)
    with pytest.raises(InvalidTransition, match="cannot become 'approved'"):
        lifecycle.transition(session, req, Status.APPROVED)
    lifecycle.transition(session, req, Status.FAILED, detail="worker lost")
    events = session.scalars(select(RequestEvent).where(RequestEvent.kind == "status")).all()
    assert [(e.from_status, e.to_status) for e in events] == [
        ("received", "in_progress"),
        ("in_progress", "failed"),
    ]


def test_consent_age_is_taken_on_the_day_of_receipt_rule_7(session: Session) -> None:
    # Turns 12 the day after the request arrives: no consent needed.
    young = new(session, born=dt.date(2014, 2, 1))
    assert not young.consent_required and young.status == Status.IN_PROGRESS
    # Turned 12 on the day it arrived: the pupil must agree.
    twelve = new(session, born=dt.date(2014, 1, 31))
    assert twelve.consent_required and twelve.status == Status.AWAITING_CONSENT
    # The clock still runs from receipt while the pupil decides (rule 2 lists no consent pause).
    assert twelve.clock_started_on == RECEIVED


def test_educational_record_counts_15_school_days_rule_4(session: Session) -> None:
    terms = TermDates(
        terms=[
            (dt.date(2026, 1, 5), dt.date(2026, 2, 13)),
            (dt.date(2026, 2, 23), dt.date(2026, 3, 27)),
        ],
        closures=frozenset({dt.date(2026, 2, 10)}),  # an INSET day
    )
    req = new(
        session,
        RightType.EDUCATIONAL_RECORD,
        received=dt.date(2026, 2, 5),
        conf=settings(term_dates=terms),
    )
    # 6, 9, 11, 12, 13 Feb (5 school days: 10 Feb is INSET), half term, then 23 Feb to
    # 6 March (10 more). The day of receipt is not counted.
    assert req.due_on == dt.date(2026, 3, 6)


def test_educational_record_right_does_not_exist_at_academies_rule_4(session: Session) -> None:
    with pytest.raises(lifecycle.RequestNotAllowed, match="academy"):
        new(session, RightType.EDUCATIONAL_RECORD, conf=settings(educational_record_right=False))


def test_exam_marks_without_a_results_date_are_due_in_5_months_rule_5(session: Session) -> None:
    req = new(session, RightType.EXAM_MARKS)
    assert req.due_on == add_months(RECEIVED, 5)


def test_pause_moves_the_due_date_by_the_days_paused_rule_2(session: Session) -> None:
    conf = settings()
    req = new(session, conf=conf)
    lifecycle.pause_clock(
        session, req, on=dt.date(2026, 2, 10), reason="Which year?", actor_id="dpo", settings=conf
    )
    lifecycle.resume_clock(session, req, on=dt.date(2026, 2, 17), actor_id="dpo", settings=conf)
    assert req.due_on == next_working_day(dt.date(2026, 2, 28) + dt.timedelta(days=7))
    assert [p.resumed_on for p in req.pauses] == [dt.date(2026, 2, 17)]


def test_extension_is_refused_after_the_first_month_rule_3(session: Session) -> None:
    conf = settings()
    req = new(session, conf=conf)
    with pytest.raises(lifecycle.RequestNotAllowed, match="first month ended"):
        lifecycle.extend(
            session, req, reason="complex", today=dt.date(2026, 3, 3), actor_id="d", settings=conf
        )
    lifecycle.extend(
        session, req, reason="complex", today=dt.date(2026, 3, 2), actor_id="d", settings=conf
    )
    assert req.due_on == dt.date(2026, 4, 30)


def test_approval_needs_a_built_pack(session: Session) -> None:
    req = new(session)
    lifecycle.transition(session, req, Status.READY_FOR_REVIEW)
    with pytest.raises(lifecycle.RequestNotAllowed, match="no requester pack"):
        lifecycle.approve(session, req, actor_id="dpo", today=RECEIVED)


def test_references_stay_unique_across_many_requests(session: Session) -> None:
    refs = {new(session).reference for _ in range(25)}
    assert len(refs) == 25
    assert all(ref.startswith("SAR-2026-") for ref in refs)


def test_exam_marks_asked_after_results_day_are_an_ordinary_sar_rule_5(
    session: Session,
) -> None:
    req = new(
        session,
        RightType.EXAM_MARKS,
        extra_fields={"results_date": (RECEIVED - dt.timedelta(days=60)).isoformat()},
    )
    assert req.due_on == dt.date(2026, 3, 2)  # one calendar month (rule 1), not in the past


def test_educational_record_when_term_dates_run_out_counts_working_days_rule_4(
    session: Session,
) -> None:
    short = TermDates(terms=[(dt.date(2026, 1, 5), dt.date(2026, 2, 6))])
    req = new(
        session,
        RightType.EDUCATIONAL_RECORD,
        received=dt.date(2026, 2, 5),
        conf=settings(term_dates=short),
    )
    # 15 working days after Thursday 5 February 2026: Thursday 26 February.
    assert req.due_on == dt.date(2026, 2, 26)


def test_a_clarification_pause_also_moves_the_extension_window_rule_3(
    session: Session,
) -> None:
    conf = settings()
    req = new(session, conf=conf)
    lifecycle.pause_clock(
        session, req, on=dt.date(2026, 2, 10), reason="Which year?", actor_id="d", settings=conf
    )
    lifecycle.resume_clock(session, req, on=dt.date(2026, 2, 17), actor_id="d", settings=conf)
    # Due 9 March after the 7 paused days: an extension on 5 March is still inside the
    # (paused) first month.
    lifecycle.extend(
        session, req, reason="complex", today=dt.date(2026, 3, 5), actor_id="d", settings=conf
    )
    assert req.extended
