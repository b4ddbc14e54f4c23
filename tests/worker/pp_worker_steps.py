"""Steps the worker tests share: read a stored pack, release safeguarding records as the DSL,
run a request to its end, check nothing was duplicated."""

from __future__ import annotations

import pymupdf
from sqlalchemy import select

from pupil_privacy.worker import queueing
from pupil_privacy.worker.lifecycle import dsl_decide
from pupil_privacy.worker.models import Pack, Redaction, RequestDocument, RightsRequest
from pupil_privacy.worker.pack.storage import read_pack
from pupil_privacy.worker.runtime import get_runtime


def pack_text(kind: str, request_id: int) -> str:
    runtime = get_runtime()
    pack = runtime.session.scalars(
        select(Pack).where(Pack.request_id == request_id, Pack.kind == kind)
    ).one()
    data = read_pack(runtime, pack)
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return "\n".join(doc[i].get_text() for i in range(doc.page_count))


def release_safeguarding(request_id: int) -> None:
    session = get_runtime().session
    req = session.get(RightsRequest, request_id)
    for doc in [d for d in req.documents if d.needs_dsl_review]:
        if dsl_decide(session, doc, decision="release", reason="Reviewed; safe", actor_id="dsl1"):
            session.commit()
            queueing.enqueue_assemble(request_id)
    session.commit()


def session():
    s = get_runtime().session
    s.expire_all()
    return s


def finish(request_id: int, work) -> RightsRequest:
    """Run jobs, release the safeguarding record (rule 14), run the assembly."""
    work()
    release_safeguarding(request_id)
    work()
    return session().get(RightsRequest, request_id)


def assert_one_of_everything(request_id: int) -> None:
    s = session()
    docs = s.scalars(select(RequestDocument).where(RequestDocument.request_id == request_id))
    assert len(docs.all()) == 5
    rows = s.execute(
        select(Redaction.document_id, Redaction.page, Redaction.offset, Redaction.text)
    ).all()
    assert len(rows) == len(set(rows)) > 0  # no duplicated schedule rows
    kinds = s.scalars(select(Pack.kind).where(Pack.request_id == request_id)).all()
    assert sorted(kinds) == ["dpo", "export_csv", "export_json", "requester"]
