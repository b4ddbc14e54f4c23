"""Documents that cannot be processed (issue 4): each is recorded with a clear reason, listed
in the pack's contents as "could not be processed: reason", shown to the DPO, and the rest of
the pack still builds. Leaks are the worst failure: a document that still shows a third party
never reaches the requester's pack (rule 18)."""

from __future__ import annotations

from typing import Any

import pymupdf
import pytest
from pp_worker_app import OTHER_PUPIL, LiteralRedactor, new_request
from sqlalchemy import select
from support.worker_flow import pack_text, release_safeguarding, withhold_safeguarding

from pupil_privacy.redaction.errors import LeakCheckFailed
from pupil_privacy.worker import collection, failures, queueing
from pupil_privacy.worker.models import Pack, RequestDocument, RightsRequest
from pupil_privacy.worker.pack.storage import read_pack
from pupil_privacy.worker.runtime import get_runtime
from pupil_privacy.worker.states import Status


def build(request_id: int, work: Any) -> RightsRequest:
    queueing.enqueue_request(request_id)
    work()
    release_safeguarding(request_id)
    work()
    session = get_runtime().session
    session.expire_all()
    return session.get(RightsRequest, request_id)


EXPECTED = {
    "f-corrupt": "damaged",
    "f-encrypted": "password",
    "f-unsupported": "spreadsheet",
    "f-large": "over the 2 MB limit",
    "f-bomb": "zip bomb",
}


def test_each_failure_kind_is_recorded_listed_and_the_pack_still_builds(make_worker_app, work):
    app = make_worker_app(failures=True)
    req = build(new_request(app), work)
    assert req.status == Status.READY_FOR_REVIEW
    docs = {d.record_id: d for d in req.documents}
    for record_id, words in EXPECTED.items():
        assert docs[record_id].status == "failed"
        assert words in docs[record_id].error, (record_id, docs[record_id].error)
        assert "record-" not in docs[record_id].error  # our internal file name never shows
    assert all(docs[r].status == "done" for r in ("r-assess", "r-behav", "r-letter", "r-plan"))

    text = " ".join(pack_text("requester", req.id).split())
    for record_id in EXPECTED:
        assert f"{docs[record_id].title} " in text
        assert f"could not be processed: {docs[record_id].error}" in text
    assert "Amelia Hart scored 34" in text  # the rest of the pack is there
    dpo = " ".join(pack_text("dpo", req.id).split())
    assert f"{docs['f-bomb'].title}: could not be processed" in dpo  # the DPO's flags

    failed = [f for f in failures.failed_jobs(get_runtime()) if f["kind"] == "document"]
    assert sorted(f["document_id"] for f in failed) == sorted(docs[r].id for r in EXPECTED)


class RefusedByLeakCheck(LiteralRedactor):
    """Redaction whose own leak check refuses the Word document, as
    ``redact_document`` does when its output still holds a third party (rule 18)."""

    def redact(self, data: bytes, filename: str, detector: Any, **kw: Any) -> Any:
        if filename.endswith(".docx"):
            raise LeakCheckFailed(
                f"{filename}: the redacted output still holds third-party data, so it was not "
                "released: page 1: a known third party's name is still present (1x)"
            )
        return super().redact(data, filename, detector, **kw)


def test_a_document_failing_the_leak_check_is_withheld_from_the_pack(make_worker_app, work):
    app = make_worker_app(redactor=RefusedByLeakCheck())
    req = build(new_request(app), work)
    assert req.status == Status.READY_FOR_REVIEW
    plan = next(d for d in req.documents if d.record_id == "r-plan")
    assert plan.status == "failed"
    assert plan.error.startswith("the file: the redacted output still holds third-party data")
    assert OTHER_PUPIL not in plan.error  # the reason names the kind, never the data
    text = " ".join(pack_text("requester", req.id).split())
    assert OTHER_PUPIL not in text
    assert "Support plan" in text and "could not be processed: the file: the redacted" in text
    assert "Amelia Hart scored 34" in text


class NoRemoval(LiteralRedactor):
    """A redactor that returns the document unredacted, skipping its own leak check: only
    the assembled-pack check stands between it and the requester."""

    def redact(self, data: bytes, filename: str, detector: Any, **kw: Any) -> Any:
        result = super().redact(data, filename, detector, **kw)
        if filename.endswith(".docx"):
            doc = pymupdf.open()
            doc.new_page().insert_text((72, 72), f"Amelia sits next to {OTHER_PUPIL}.")
            result.content = doc.tobytes()
        return result


def test_the_assembled_pack_leak_check_takes_a_leaking_document_out(make_worker_app, work):
    app = make_worker_app(redactor=NoRemoval())
    req = build(new_request(app), work)
    assert req.status == Status.READY_FOR_REVIEW
    plan = next(d for d in req.documents if d.record_id == "r-plan")
    assert plan.status == "failed"
    assert "assembled pack" in plan.error
    text = pack_text("requester", req.id)
    assert OTHER_PUPIL not in text
    assert "Support plan" in text  # listed, with the reason, but not shown


def test_titles_naming_a_third_party_are_cleared_from_contents_and_bookmarks(make_worker_app, work):
    app = make_worker_app()
    runtime = get_runtime()
    record = runtime.mis.pupil_records["P1"][1]
    from dataclasses import replace

    runtime.mis.pupil_records["P1"][1] = replace(record, title=f"Argument with {OTHER_PUPIL}")
    req = build(new_request(app), work)
    assert req.status == Status.READY_FOR_REVIEW
    pack = runtime.session.scalars(
        select(Pack).where(Pack.request_id == req.id, Pack.kind == "requester")
    ).one()
    with pymupdf.open(stream=read_pack(runtime, pack), filetype="pdf") as doc:
        toc = doc.get_toc()
        text = "".join(doc[i].get_text() for i in range(doc.page_count))
    titles = [entry[1] for entry in toc]
    assert "Argument with [Third party]" in titles
    assert all(OTHER_PUPIL not in t for t in titles)
    assert OTHER_PUPIL not in text
    # The DPO still sees the MIS title in the register.
    doc_row = runtime.session.scalars(
        select(RequestDocument).where(RequestDocument.record_id == record.id)
    ).one()
    assert OTHER_PUPIL in doc_row.title


@pytest.mark.parametrize("exc", [RuntimeError("MIS timed out"), MemoryError()])
def test_unexpected_errors_are_retried_then_shown_never_dropped(make_worker_app, work, exc):
    class Flaky(LiteralRedactor):
        calls = 0

        def redact(self, data: bytes, filename: str, detector: Any, **kw: Any) -> Any:
            if filename.endswith(".pdf"):
                Flaky.calls += 1
                raise exc
            return super().redact(data, filename, detector, **kw)

    app = make_worker_app(redactor=Flaky())
    req = build(new_request(app), work)
    assert Flaky.calls == 2  # the first try and job_retries=1 retry
    letter = next(d for d in req.documents if d.record_id == "r-letter")
    assert letter.status == "failed"
    assert "after 2 tries" in letter.error and type(exc).__name__ in letter.error
    assert req.status == Status.READY_FOR_REVIEW  # the rest of the pack was built
    failed = failures.failed_jobs(get_runtime())
    rq_failed = [f for f in failed if f["kind"] == "job"]
    assert [f["document_id"] for f in rq_failed] == [letter.id]
    assert rq_failed[0]["error"]

    # The DPO retries: the document is tried again and the pack rebuilt with it.
    get_runtime().settings.redactor.__class__ = LiteralRedactor  # the MIS recovered
    req.status = Status.IN_PROGRESS
    get_runtime().session.commit()
    rid = req.id  # the worker ends its session after each job: keep the id, not the row
    collection.retry_request(rid)
    work()
    session = get_runtime().session
    session.expire_all()
    req = session.get(RightsRequest, rid)
    assert next(d for d in req.documents if d.record_id == "r-letter").status == "done"
    assert req.status == Status.READY_FOR_REVIEW


def test_a_withheld_safeguarding_record_is_not_even_listed_for_the_requester(make_worker_app, work):
    """Rule 14: the DSL withholds; the requester's copy must not reveal that it exists."""
    app = make_worker_app()
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    withhold_safeguarding(rid)
    work()
    session = get_runtime().session
    session.expire_all()
    req = session.get(RightsRequest, rid)
    assert req.status == Status.READY_FOR_REVIEW
    runtime = get_runtime()
    requester = runtime.session.scalars(
        select(Pack).where(Pack.request_id == rid, Pack.kind == "requester")
    ).one()
    with pymupdf.open(stream=read_pack(runtime, requester), filetype="pdf") as doc:
        text = " ".join("".join(doc[i].get_text() for i in range(doc.page_count)).split())
        toc = [entry[1] for entry in doc.get_toc()]
    assert "Welfare note" not in text
    assert "Safeguarding" not in toc
    assert "4 document(s) are included. The contents page" in text  # no "1 withheld"
    export = next(p for p in req.packs if p.kind == "export_json")
    assert b"r-safe" not in read_pack(runtime, export)
    dpo = " ".join(pack_text("dpo", rid).split())
    assert "Welfare note: safeguarding lead decided to withhold" in dpo
    assert "left out of the requester's copy" in dpo
