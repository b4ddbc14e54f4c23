"""The DPO's console and the DSL's review: the register (rule 20), identity and the clock
(rules 1-3, 8), consent by capacity (rule 7), refusal (rule 15), safeguarding review (rule 14)
and approval with a confirmed redaction schedule (rule 19)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import redis as redis_lib
from flask import Flask
from flask.testing import FlaskClient
from rq import Queue
from sqlalchemy import select
from sqlalchemy.orm import Session
from support.files import pdf_text
from support.host import built_pack, run_queued_jobs, stored_request
from support.school import CLASSMATE
from support.web import post_form, submit_request

from pupil_privacy.plugin import runtime_for
from pupil_privacy.worker.clock import add_months, next_working_day
from pupil_privacy.worker.models import (
    ClockPause,
    NoticeVersion,
    PupilConsent,
    Redaction,
    RequestDocument,
    RequestEvent,
    RightsRequest,
)
from pupil_privacy.worker.states import Status

SignIn = Callable[[str], FlaskClient]
TODAY = dt.date.today()


def _get(db: Session, request_id: int) -> RightsRequest:
    db.expire_all()
    req = db.get(RightsRequest, request_id)
    assert req is not None
    return req


def _act(client: FlaskClient, request_id: int, action: str, **data: str) -> str:
    """Post one console action and return the page it lands on."""
    page = f"/privacy/dpo/requests/{request_id}"
    response = post_form(client, f"{page}/{action}", data, page=page)
    assert response.status_code in (302, 409), response.status_code
    if response.status_code == 409:
        return response.get_data(as_text=True)
    return client.get(response.location).get_data(as_text=True)


def test_only_the_dpo_opens_the_console(sign_in: SignIn) -> None:
    for user in ("u-mum", "u-ben", "u-teacher", "u-dsl"):
        response = sign_in(user).get("/privacy/dpo")
        assert response.status_code == 403
        assert "data protection officer only" in response.get_data(as_text=True)
    assert sign_in("u-dpo").get("/privacy/dpo").status_code == 200


def test_register_shows_due_dates_and_highlights_overdue_and_due_soon(
    app: Flask, sign_in: SignIn
) -> None:
    overdue = stored_request(app, received_on=TODAY - dt.timedelta(days=45))
    due_soon = stored_request(app, received_on=add_months(TODAY, -1) + dt.timedelta(days=3))
    later = stored_request(app, pupil_id="p-dan", requester_id="u-whitlock")
    html = sign_in("u-dpo").get("/privacy/dpo").get_data(as_text=True)
    rows = {
        request_id: html[html.index(f"/privacy/dpo/requests/{request_id}") - 300 :][:900]
        for request_id in (overdue, due_soon, later)
    }
    assert 'class="overdue"' in rows[overdue] and "overdue</strong>" in rows[overdue]
    assert 'class="due-soon"' in rows[due_soon]
    assert "overdue" not in rows[later].split("</tr>")[0]
    assert "Dan Whitlock" in html and "Sam Whitlock (father)" in html


def test_register_filters_by_status(app: Flask, sign_in: SignIn, db: Session) -> None:
    in_progress = stored_request(app)
    waiting = stored_request(app, pupil_id="p-ben")  # Ben is 14: awaiting consent
    dpo = sign_in("u-dpo")
    only_waiting = dpo.get("/privacy/dpo?status=awaiting_consent").get_data(as_text=True)
    assert _get(db, waiting).reference in only_waiting
    assert _get(db, in_progress).reference not in only_waiting
    everything = dpo.get("/privacy/dpo?status=all").get_data(as_text=True)
    assert _get(db, in_progress).reference in everything


def test_dpo_checks_identity_when_the_school_does_not_trust_the_login_rule_8(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(
        app, identity_by_login=False, received_on=TODAY - dt.timedelta(days=3)
    )
    req = _get(db, request_id)
    assert req.status == Status.RECEIVED and req.clock_started_on is None
    evidence_day = TODAY - dt.timedelta(days=1)
    page = _act(
        sign_in("u-dpo"),
        request_id,
        "identity",
        method="Passport seen at reception; PR confirmed from admission form",
        on=evidence_day.isoformat(),
    )
    assert "Identity recorded" in page
    req = _get(db, request_id)
    assert req.identity_checked_by == "u-dpo"
    assert req.identity_method and "Passport seen" in req.identity_method
    assert req.clock_started_on == evidence_day  # rule 2: starts when the evidence arrives
    assert req.due_on == next_working_day(add_months(evidence_day, 1))
    assert req.status == Status.IN_PROGRESS


def test_asking_for_id_stops_the_clock_until_it_arrives_rule_2(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(app, pupil_id="p-ben")  # awaiting Ben's consent
    dpo = sign_in("u-dpo")
    _act(dpo, request_id, "ask-id", reason="Email address differs from the MIS record")
    req = _get(db, request_id)
    assert req.status == Status.AWAITING_ID
    assert req.clock_started_on is None and req.due_on is None
    arrived = TODAY + dt.timedelta(days=3)
    _act(dpo, request_id, "identity", method="Driving licence by post", on=arrived.isoformat())
    req = _get(db, request_id)
    assert req.clock_started_on == arrived
    assert req.due_on == next_working_day(add_months(arrived, 1))
    # Consent is still needed from Ben (rule 7) before processing.
    assert req.status == Status.AWAITING_CONSENT


def test_clarification_pauses_and_resumes_the_clock_rule_2(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(app, received_on=TODAY - dt.timedelta(days=10))
    before = _get(db, request_id).due_on
    dpo = sign_in("u-dpo")
    paused_on = TODAY - dt.timedelta(days=6)
    _act(dpo, request_id, "pause", reason="Which school year?", on=paused_on.isoformat())
    assert _get(db, request_id).status == Status.CLARIFICATION
    _act(dpo, request_id, "resume")
    req = _get(db, request_id)
    assert req.status == Status.IN_PROGRESS
    pause = db.scalars(select(ClockPause)).one()
    assert (pause.paused_on, pause.resumed_on, pause.paused_by) == (paused_on, TODAY, "u-dpo")
    start = TODAY - dt.timedelta(days=10)
    expected = next_working_day(add_months(start, 1) + dt.timedelta(days=6))
    assert req.due_on == expected and before is not None and req.due_on >= before


def test_extension_needs_reasons_and_only_inside_the_first_month_rule_3(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    dpo = sign_in("u-dpo")
    request_id = stored_request(app)
    page = _act(dpo, request_id, "extend", reason="")
    assert "A reason is required" in page
    assert not _get(db, request_id).extended
    _act(dpo, request_id, "extend", reason="Eight years of records across four systems")
    req = _get(db, request_id)
    assert req.extended and req.due_on == next_working_day(add_months(TODAY, 3))
    assert "already been extended" in _act(dpo, request_id, "extend", reason="again")

    late = stored_request(app, received_on=TODAY - dt.timedelta(days=40))
    page = _act(dpo, late, "extend", reason="complex")
    assert "inside it (rule 3)" in page
    assert not _get(db, late).extended


def test_refusal_gives_reasons_and_the_routes_to_the_ico_and_courts_rule_15(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(app, right="erasure")
    _act(sign_in("u-dpo"), request_id, "refuse", reason="Manifestly excessive: fifth repeat")
    req = _get(db, request_id)
    assert req.status == Status.REFUSED and req.answered_on == TODAY
    assert "Manifestly excessive" in (req.outcome or "")
    assert "Information Commissioner" in (req.outcome or "") and "court" in (req.outcome or "")
    parent = sign_in("u-mum").get(f"/privacy/requests/{request_id}").get_data(as_text=True)
    assert "ico.org.uk" in parent


def test_dpo_answers_a_request_without_a_pack(app: Flask, sign_in: SignIn, db: Session) -> None:
    request_id = stored_request(app, right="rectification")
    _act(sign_in("u-dpo"), request_id, "complete", reason="Address corrected in the MIS")
    req = _get(db, request_id)
    assert req.status == Status.COMPLETED and req.outcome == "Address corrected in the MIS"


def test_dpo_records_lack_of_capacity_with_reasons_rule_7(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(app, pupil_id="p-ben")
    dpo = sign_in("u-dpo")
    assert "A reason is required" in _act(dpo, request_id, "lacks-capacity", reason="")
    assert _get(db, request_id).status == Status.AWAITING_CONSENT
    _act(dpo, request_id, "lacks-capacity", reason="Assessed by the SENCo: cannot understand")
    assert _get(db, request_id).status == Status.IN_PROGRESS
    consent = db.scalars(select(PupilConsent)).one()
    assert (consent.decision, consent.decided_by) == ("lacks_capacity", "u-dpo")


def test_request_page_shows_documents_warnings_flags_and_failures(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id)
    # The spaCy-free detector never asks for review and the report has no scanned page, so
    # the page's handling of a warning and of a finding left for review (issue 3) is shown
    # on the real report's row with the two things the full detector and OCR would add.
    report = db.scalars(
        select(RequestDocument).where(RequestDocument.title == "Spring report")
    ).one()
    report.warnings = ["OCR unavailable: scanned page not searched"]
    report.redactions.append(
        Redaction(
            text="her dad, who drives the blue taxi",
            entity_type="CONTEXT",
            reason="rule-10-context",
            detector="context",
            score=0.6,
            action="review",
            page=1,
        )
    )
    db.commit()
    html = sign_in("u-dpo").get(f"/privacy/dpo/requests/{request_id}").get_data(as_text=True)
    assert "could not be processed: the file is password-protected" in html  # the real error
    assert "OCR unavailable" in html
    assert "her dad, who drives the blue taxi" in html  # flagged for review (issue 3)
    assert CLASSMATE in html and "rule-10-third-party" in html  # schedule (rule 19)
    assert "waiting for the DSL" in html
    # No pack is assembled while the DSL has not decided (rule 14): nothing to download yet.
    assert "the requester&#39;s copy" not in html and "your working copy" not in html


def test_progress_endpoint_reports_stage_and_counts(app: Flask, sign_in: SignIn) -> None:
    request_id = stored_request(app)
    dpo = sign_in("u-dpo")
    data = dpo.get(f"/privacy/dpo/requests/{request_id}/progress.json").get_json()
    assert data["status"] == "in_progress" and data["docs_total"] == 0
    built_pack(app, request_id)
    data = dpo.get(f"/privacy/dpo/requests/{request_id}/progress.json").get_json()
    # The real worker stops before assembly while a safeguarding record waits (rule 14).
    assert (data["stage"], data["docs_done"], data["docs_total"]) == ("safeguarding_review", 3, 3)
    assert data["percent"] == 100 and data["docs_failed"] == 1
    # The table's words come with the bar's numbers, from the same answer (issue 12).
    words = sorted(data["documents"].values())
    assert len(words) == 3 and words[0].startswith("could not be processed")
    assert data["stage_words"] == "Waiting for the safeguarding lead"
    html = dpo.get(f"/privacy/dpo/requests/{request_id}").get_data(as_text=True)
    for doc_id, text in data["documents"].items():
        assert f'data-doc-status="{doc_id}">{text}' in html.replace("&#39;", "'")
    assert "safeguarding_review:" not in html
    assert (
        sign_in("u-mum").get(f"/privacy/dpo/requests/{request_id}/progress.json").status_code == 403
    )


def test_dpo_cannot_approve_while_safeguarding_review_is_pending_rule_14(
    app: Flask, sign_in: SignIn, db: Session, redis: redis_lib.Redis
) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id)
    dpo = sign_in("u-dpo")
    page = _act(dpo, request_id, "approve")
    assert "not possible" in page.lower() or "only a built pack" in page
    assert _get(db, request_id).status == Status.SAFEGUARDING_REVIEW

    # The DSL sees the record and releases it with a reason.
    dsl = sign_in("u-dsl")
    queue = dsl.get("/privacy/dsl").get_data(as_text=True)
    assert "Welfare concern" in queue and "Amy Okafor" in queue
    doc = db.scalars(select(RequestDocument).where(RequestDocument.needs_dsl_review)).one()
    response = post_form(
        dsl,
        f"/privacy/dsl/documents/{doc.id}",
        {"decision": "release", "reason": "Nothing in it harms Amy; referrer not named"},
        page="/privacy/dsl",
    )
    assert response.status_code == 302
    db.expire_all()
    assert (doc.dsl_decision, doc.dsl_user_id) == ("release", "u-dsl")
    # The last decision hands the pack back to the worker for assembly.
    rq_queue = Queue(runtime_for(app).settings.queue_name, connection=redis)
    assert any("assemble" in (job_id or "") for job_id in rq_queue.job_ids)

    run_queued_jobs(app)  # the real worker assembles the pack
    page = _act(dpo, request_id, "approve")
    assert "Pack approved and released" in page
    req = _get(db, request_id)
    assert req.status == Status.APPROVED and req.answered_on == TODAY
    confirmed = db.scalars(select(Redaction)).all()
    assert confirmed and all(r.confirmed_by == "u-dpo" and r.confirmed_at for r in confirmed)


def test_dsl_withholds_a_record_with_a_reason(app: Flask, sign_in: SignIn, db: Session) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id)
    dsl = sign_in("u-dsl")
    doc = db.scalars(select(RequestDocument).where(RequestDocument.needs_dsl_review)).one()
    url = f"/privacy/dsl/documents/{doc.id}"
    response = post_form(dsl, url, {"decision": "withhold"}, page="/privacy/dsl")
    assert response.status_code == 302
    db.expire_all()
    assert doc.dsl_decision is None  # no reason, no decision
    post_form(
        dsl, url, {"decision": "withhold", "reason": "Not in Amy's best interests"}, "/privacy/dsl"
    )
    db.expire_all()
    assert (doc.dsl_decision, doc.status) == ("withhold", "withheld")
    assert doc.dsl_reason == "Not in Amy's best interests"
    assert sign_in("u-dpo").get("/privacy/dsl").status_code == 403


def test_retry_sends_a_failed_request_back_to_the_workers(
    app: Flask, sign_in: SignIn, db: Session, redis: redis_lib.Redis
) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id, safeguarding=False)
    dpo = sign_in("u-dpo")
    _act(dpo, request_id, "retry")
    req = _get(db, request_id)
    assert req.status == Status.IN_PROGRESS
    failed = db.scalars(select(RequestDocument).where(RequestDocument.title == "Old scan")).one()
    assert failed.status == "pending"  # the worker tries it again
    rq_queue = Queue(runtime_for(app).settings.queue_name, connection=redis)
    assert rq_queue.count >= 1


def test_failed_jobs_view_lists_what_could_not_be_processed(
    app: Flask, sign_in: SignIn, redis: redis_lib.Redis
) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id, safeguarding=False)
    for user in ("u-dpo", "u-admin"):
        html = sign_in(user).get("/privacy/dpo/failed-jobs").get_data(as_text=True)
        assert "Old scan" in html and "password-protected" in html
    assert sign_in("u-mum").get("/privacy/dpo/failed-jobs").status_code == 403


def test_intake_stores_then_enqueues_processing(
    app: Flask, sign_in: SignIn, db: Session, redis: redis_lib.Redis
) -> None:
    submit_request(sign_in("u-mum"), "p-amy", "access")
    db.expire_all()
    req = db.scalars(select(RightsRequest)).one()
    rq_queue = Queue(runtime_for(app).settings.queue_name, connection=redis)
    from pupil_privacy.worker.queueing import start_job_id

    assert start_job_id(req.id) in rq_queue.job_ids


def test_a_non_pack_right_is_not_enqueued(
    app: Flask, sign_in: SignIn, redis: redis_lib.Redis
) -> None:
    submit_request(sign_in("u-mum"), "p-amy", "erasure", details="the class photo")
    assert Queue(runtime_for(app).settings.queue_name, connection=redis).count == 0


def test_dpo_publishes_a_new_notice_version_after_checking_it(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    dpo = sign_in("u-dpo")
    page = "/privacy/dpo/notice"
    body = "Privacy notice\n\nWe hold your child's data.\n"
    checked = post_form(
        dpo, page, {"title": "Notice 2026", "body": body, "check": "Check"}, page=page
    ).get_data(as_text=True)
    assert "<h2>Check</h2>" in checked
    # The notice checker's findings come first: this two-line notice misses nearly everything.
    assert 'class="pp-finding-error"' in checked and "UK GDPR Art 13" in checked
    assert db.scalars(select(NoticeVersion)).all()[-1].version == 1  # nothing published yet
    unsaid = post_form(
        dpo, page, {"title": "Notice 2026", "body": body, "publish": "Publish"}, page=page
    ).get_data(as_text=True)
    assert "Say what changed" in unsaid
    assert len(db.scalars(select(NoticeVersion)).all()) == 1
    response = post_form(
        dpo,
        page,
        {"title": "Notice 2026", "body": body, "change_summary": "Rewritten", "publish": "Publish"},
        page=page,
    )
    assert response.status_code == 302
    db.expire_all()
    versions = {v.version: v for v in db.scalars(select(NoticeVersion))}
    assert set(versions) == {1, 2} and versions[2].published_by == "u-dpo"
    mum = sign_in("u-mum").get("/privacy/").get_data(as_text=True)
    assert "I have read version 2" in mum
    history = sign_in("u-mum").get("/privacy/notice/1").get_data(as_text=True)
    assert "This is an old version" in history


def test_requester_never_learns_that_safeguarding_records_exist_rule_14(
    app: Flask, sign_in: SignIn
) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id)  # one safeguarding record waits for the DSL
    mum = sign_in("u-mum")
    for page in (f"/privacy/requests/{request_id}", "/privacy/"):
        html = mum.get(page).get_data(as_text=True).lower()
        assert "safeguarding" not in html and "welfare" not in html
        assert "in progress" in html


def test_dsl_reads_the_redacted_copy_before_deciding_and_it_is_audited(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id)
    doc = db.scalars(select(RequestDocument).where(RequestDocument.needs_dsl_review)).one()
    dsl = sign_in("u-dsl")
    assert f"/privacy/documents/{doc.id}.pdf" in dsl.get("/privacy/dsl").get_data(as_text=True)
    response = dsl.get(f"/privacy/documents/{doc.id}.pdf")
    assert response.status_code == 200
    assert "Amy Okafor told Ms Patel she was worried" in pdf_text(response.data)
    assert sign_in("u-mum").get(f"/privacy/documents/{doc.id}.pdf").status_code == 403
    db.expire_all()
    viewed = db.scalars(select(RequestEvent).where(RequestEvent.kind == "document_viewed")).all()
    assert [(e.actor_user_id, e.detail) for e in viewed] == [("u-dsl", "Welfare concern")]


def test_dpo_publishes_a_notice_from_an_uploaded_file(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    import io

    from support.web import csrf_token

    dpo = sign_in("u-dpo")
    page = "/privacy/dpo/notice"
    text = "Privacy notice 2027\n\nWe hold your child's records.\n"
    response = dpo.post(
        page,
        data={
            "csrf_token": csrf_token(dpo, page),
            "title": "Notice 2027",
            "body": "",
            "upload": (io.BytesIO(text.encode()), "notice.txt"),
            "change_summary": "New year",
            "publish": "Publish",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.expire_all()
    latest = db.scalars(select(NoticeVersion).order_by(NoticeVersion.version.desc())).first()
    assert latest is not None and latest.version == 2 and latest.body == text


def test_dpo_records_an_answer_the_pupil_gave_in_person_rule_7(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    request_id = stored_request(app, pupil_id="p-ben")
    dpo = sign_in("u-dpo")
    assert "Choose what the pupil said" in _act(dpo, request_id, "pupil-answer", reason="x")
    _act(
        dpo,
        request_id,
        "pupil-answer",
        decision="refused",
        reason="Told me at school on Monday he does not want his mum to see it",
    )
    req = _get(db, request_id)
    assert req.status == Status.REFUSED
    consent = db.scalars(select(PupilConsent)).one()
    assert consent.decision == "refused" and "Monday" in (consent.comment or "")


def test_worker_command_runs_the_worker_with_the_app(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Flask, bool, list[str] | None]] = []

    def fake_run_worker(app_: Flask, burst: bool = False, queues: list[str] | None = None) -> None:
        calls.append((app_, burst, queues))

    monkeypatch.setattr("pupil_privacy.worker.runner.run_worker", fake_run_worker)
    result = app.test_cli_runner().invoke(
        args=["pupil-privacy", "worker", "--burst", "--queue", "a", "--queue", "b"]
    )
    assert result.exit_code == 0, result.output
    assert calls == [(app, True, ["a", "b"])]


def test_dsl_queue_leaves_out_closed_requests(app: Flask, sign_in: SignIn, db: Session) -> None:
    request_id = stored_request(app)
    built_pack(app, request_id)
    mum = sign_in("u-mum")
    post_form(
        mum,
        f"/privacy/requests/{request_id}/withdraw",
        {},
        page=f"/privacy/requests/{request_id}/withdraw",
    )
    assert _get(db, request_id).status == Status.WITHDRAWN
    dsl = sign_in("u-dsl")
    assert "Nothing is waiting for review" in dsl.get("/privacy/dsl").get_data(as_text=True)
    doc = db.scalars(select(RequestDocument).where(RequestDocument.needs_dsl_review)).one()
    response = post_form(
        dsl,
        f"/privacy/dsl/documents/{doc.id}",
        {"decision": "release", "reason": "ok"},
        "/privacy/requests/new",  # staff have no notice to acknowledge here: a page with a form
    )
    assert response.status_code == 409
    assert "no longer being prepared" in response.get_data(as_text=True)


def test_register_downloads_as_csv_rule_20(app: Flask, sign_in: SignIn, db: Session) -> None:
    import csv
    import io

    request_id = stored_request(app)
    built_pack(app, request_id, safeguarding=False)
    response = sign_in("u-dpo").get("/privacy/dpo/register.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    row = rows[0]
    assert row["reference"] == _get(db, request_id).reference
    assert row["pupil"] == "Amy Okafor" and row["requester"] == "Grace Okafor"
    assert "signed in" in row["identity"] and row["due"]
    assert (row["documents_disclosed"], row["documents_failed"]) == ("1", "1")
    assert sign_in("u-mum").get("/privacy/dpo/register.csv").status_code == 403


def test_rebuild_is_offered_only_when_something_failed(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    dpo = sign_in("u-dpo")
    request_id = stored_request(app)
    page = f"/privacy/dpo/requests/{request_id}"
    assert "Rebuild / retry failed documents" not in dpo.get(page).get_data(as_text=True)
    built_pack(app, request_id, safeguarding=False)  # "Old scan" could not be processed
    assert "Rebuild / retry failed documents" in dpo.get(page).get_data(as_text=True)
    failed = db.scalars(select(RequestDocument).where(RequestDocument.status == "failed")).one()
    failed.status = "done"
    db.commit()
    assert "Rebuild / retry failed documents" not in dpo.get(page).get_data(as_text=True)


def test_console_wording_the_dpo_cannot_misread(app: Flask, sign_in: SignIn) -> None:
    dpo = sign_in("u-dpo")
    request_id = stored_request(app)
    html = dpo.get(f"/privacy/dpo/requests/{request_id}").get_data(as_text=True)
    # The first month's end, when an extension must be decided: not an extended due date.
    assert "Extension possible until" not in html
    assert "Decide on any extension by" in html and "inside the first month" in html
    assert "received → received" not in html and "now in progress" in html
    register = dpo.get("/privacy/dpo").get_data(as_text=True)
    # The "Show" select changes nothing by itself (arrow keys do not reload): a button does.
    assert "onchange" not in register and '<button type="submit"' in register
    assert 'role="region"' in register  # the wide table scrolls inside its own box
    assert "open request(s)" not in dpo.get("/privacy/").get_data(as_text=True)
