"""One subject access request through the real RQ pipeline on real Redis (issue 2's worker
half, issue 4): collect, redact each document, DSL review (rule 14), assemble, leak check."""

from __future__ import annotations

import json

from pp_worker_app import FATHER, OTHER_PARENT, OTHER_PUPIL, TEACHER, new_request
from sqlalchemy import func, select
from support.worker_flow import pack_text, release_safeguarding

from pupil_privacy.worker import jobs, queueing
from pupil_privacy.worker.models import Pack, Redaction, RequestDocument, RightsRequest
from pupil_privacy.worker.pack.storage import read_pack
from pupil_privacy.worker.runtime import get_runtime
from pupil_privacy.worker.states import Status


def test_request_becomes_a_pack_without_third_parties(app, work):
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    session = get_runtime().session
    req = session.get(RightsRequest, rid)
    session.refresh(req)
    # The safeguarding record stops the build for the DSL first (rule 14).
    assert req.status == Status.SAFEGUARDING_REVIEW
    assert (req.docs_total, req.docs_done) == (5, 5)
    assert "Safeguarding system" in req.systems_searched  # rule 20
    safeguarding = [d for d in req.documents if d.needs_dsl_review]
    assert [d.record_id for d in safeguarding] == ["r-safe"]

    release_safeguarding(rid)
    work()
    session.expire_all()
    req = session.get(RightsRequest, rid)
    assert req.status == Status.READY_FOR_REVIEW, [e.detail for e in req.events]
    assert req.stage == "ready"
    kinds = sorted(p.kind for p in req.packs)
    assert kinds == ["dpo", "export_csv", "export_json", "requester"]

    text = pack_text("requester", rid)
    # The pupil's own data and the teacher acting in role stay (rule 11)...
    for kept in ("Amelia Hart", "34 out of 40", "Support plan", TEACHER):
        assert kept in text, kept
    # ...other people's are gone (rules 10, 12), including from the contents and bookmarks.
    for gone in (OTHER_PUPIL, OTHER_PARENT, "dean.baxter@example.com", FATHER, "900222"):
        assert gone not in text, gone
    assert "SAR-2026-0001" in text and "Page 1 of" in text
    assert "Third party" in text

    dpo = pack_text("dpo", rid)
    assert "Redaction schedule" in dpo and "NOT FOR RELEASE" in dpo
    assert OTHER_PUPIL in dpo  # the withheld text is shown to the DPO only

    runtime = get_runtime()
    export = next(p for p in req.packs if p.kind == "export_json")
    data = json.loads(read_pack(runtime, export))
    assert data["subject"]["name"] == "Amelia Hart"
    assert len(data["records"]) == 5
    assert OTHER_PUPIL not in json.dumps(data)
    csv_pack = next(p for p in req.packs if p.kind == "export_csv")
    assert OTHER_PUPIL not in read_pack(runtime, csv_pack).decode("utf-8-sig")


def test_running_every_job_twice_changes_nothing(app, work):
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    release_safeguarding(rid)
    work()
    session = get_runtime().session
    redactions = session.scalar(select(func.count()).select_from(Redaction))
    docs = session.scalar(select(func.count()).select_from(RequestDocument))

    # Run each step again directly, as a duplicate delivery would.
    jobs.start_request(rid)  # request is READY_FOR_REVIEW: skipped
    for doc in session.scalars(select(RequestDocument)).all():
        assert jobs.process_document(rid, doc.id, doc.attempts).startswith("already")
    assert jobs.assemble(rid) == "skipped"
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Redaction)) == redactions
    assert session.scalar(select(func.count()).select_from(RequestDocument)) == docs
    assert session.scalar(select(func.count()).select_from(Pack)) == 4


def test_real_presidio_redaction_through_the_workers(make_worker_app, work, analyzer):
    """The same request with the real detector (spaCy + roster) instead of the stand-in."""
    app = make_worker_app(redactor=None)  # None: the worker's own PresidioRedactor
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    release_safeguarding(rid)
    work()
    session = get_runtime().session
    session.expire_all()
    req = session.get(RightsRequest, rid)
    assert req.status == Status.READY_FOR_REVIEW, [(d.title, d.error) for d in req.documents]
    text = pack_text("requester", rid)
    assert "Amelia Hart" in text and "34 out of 40" in text
    for gone in (OTHER_PUPIL, OTHER_PARENT, "dean.baxter@example.com", FATHER):
        assert gone not in text, gone
    detectors = set(session.scalars(select(Redaction.detector)))
    assert detectors  # the schedule says which detector found each removal


def test_the_school_s_own_name_reaches_detection(app):
    """Detection never removes the school's own name (a letterhead): the worker hands it the
    name from settings on every document (issue 9)."""
    from pupil_privacy.worker.redacting import subject_for

    rid = new_request(app)
    with app.app_context():
        runtime = get_runtime()
        req = runtime.session.get(RightsRequest, rid)
        subject, _ = subject_for(runtime.mis, req, school=runtime.settings.school_name)
        assert subject.school == "Fenland Primary School" == runtime.settings.school_name
        assert subject_for(runtime.mis, req)[0].school is None
