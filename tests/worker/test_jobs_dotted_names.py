"""Jobs queued before a release name their function by dotted path in Redis: those paths
(``pupil_privacy.worker.jobs.<name>``) must keep running after the code moves."""

from __future__ import annotations

from pp_worker_app import new_request
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import select
from support.worker_flow import release_safeguarding, session

from pupil_privacy.worker.models import RequestDocument, RightsRequest
from pupil_privacy.worker.queueing import start_job_id
from pupil_privacy.worker.runtime import get_runtime
from pupil_privacy.worker.states import DocumentStatus, Status

OLD_NAMES = {
    "pupil_privacy.worker.jobs.start_request",
    "pupil_privacy.worker.jobs.process_document",
    "pupil_privacy.worker.jobs.assemble",
}


def _finished_names() -> set[str]:
    runtime = get_runtime()
    registry = runtime.queue().finished_job_registry
    jobs = Job.fetch_many(
        registry.get_job_ids(), connection=runtime.redis, serializer=JSONSerializer
    )
    return {job.func_name for job in jobs if job is not None}


def test_jobs_queued_by_their_old_dotted_names_still_run(app, work) -> None:
    rid = new_request(app)
    queue = get_runtime().queue()
    # As a web app of the previous release queued it: the dotted name, not a function object.
    queue.enqueue("pupil_privacy.worker.jobs.start_request", rid, job_id=start_job_id(rid))
    work()
    release_safeguarding(rid)
    work()
    assert session().get(RightsRequest, rid).status == Status.READY_FOR_REVIEW
    # Every step ran under the old names (the worker enqueues its own steps by them too).
    assert _finished_names() == OLD_NAMES

    doc = (
        session()
        .scalars(
            select(RequestDocument).where(
                RequestDocument.request_id == rid, RequestDocument.status == DocumentStatus.DONE
            )
        )
        .first()
    )
    assert doc is not None
    late_document = queue.enqueue(
        "pupil_privacy.worker.jobs.process_document", rid, doc.id, doc.attempts
    )
    late_assembly = queue.enqueue("pupil_privacy.worker.jobs.assemble", rid)
    work()
    assert late_document.return_value() == "already done"
    assert late_assembly.return_value() == "skipped"  # the pack is built: nothing to redo
