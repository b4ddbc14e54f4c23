"""Steps of a request through the real worker that several worker tests take: reading a
pack, the DSL's release, running to the end, and checking nothing was lost or doubled."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from pupil_privacy.worker import queueing
from pupil_privacy.worker.lifecycle import dsl_decide
from pupil_privacy.worker.models import Pack, Redaction, RequestDocument, RightsRequest
from pupil_privacy.worker.pack.storage import read_pack
from pupil_privacy.worker.runtime import get_runtime

from .files import pdf_text


def pack_text(kind: str, request_id: int) -> str:
    """The text of a request's pack of ``kind`` (``requester``, ``dpo``), decrypted."""
    runtime = get_runtime()
    pack = runtime.session.scalars(
        select(Pack).where(Pack.request_id == request_id, Pack.kind == kind)
    ).one()
    return pdf_text(read_pack(runtime, pack))


def release_safeguarding(request_id: int) -> None:
    """The DSL releases every record waiting for review, and assembly is queued (rule 14)."""
    session = get_runtime().session
    req = session.get(RightsRequest, request_id)
    for doc in [d for d in req.documents if d.needs_dsl_review]:
        if dsl_decide(session, doc, decision="release", reason="Reviewed; safe", actor_id="dsl1"):
            session.commit()
            queueing.enqueue_assemble(request_id)
    session.commit()


def withhold_safeguarding(request_id: int) -> RequestDocument:
    """The DSL withholds the request's safeguarding record (rule 14) and assembly is queued."""
    s = get_runtime().session
    req = s.get(RightsRequest, request_id)
    welfare = next(d for d in req.documents if d.needs_dsl_review)
    reason = "Not in the child's best interests (DPA 2018 Sch 3 para 21)"
    assert dsl_decide(s, welfare, decision="withhold", reason=reason, actor_id="dsl1")
    s.commit()
    queueing.enqueue_assemble(request_id)
    return welfare


def session() -> Session:
    """The runtime's session with nothing cached: what the database says now."""
    s = get_runtime().session
    s.expire_all()
    return s


def finish(request_id: int, work: Callable[[], None]) -> RightsRequest:
    """Run jobs, release the safeguarding record (rule 14), run the assembly."""
    work()
    release_safeguarding(request_id)
    work()
    return session().get(RightsRequest, request_id)


def assert_one_of_everything(request_id: int) -> None:
    """Five documents, no schedule row twice, and each pack kind once (the school's records)."""
    s = session()
    docs = s.scalars(select(RequestDocument).where(RequestDocument.request_id == request_id))
    assert len(docs.all()) == 5
    rows = s.execute(
        select(Redaction.document_id, Redaction.page, Redaction.offset, Redaction.text)
    ).all()
    assert len(rows) == len(set(rows)) > 0  # no duplicated schedule rows
    kinds = s.scalars(select(Pack.kind).where(Pack.request_id == request_id)).all()
    assert sorted(kinds) == ["dpo", "export_csv", "export_json", "requester"]
