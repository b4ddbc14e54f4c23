"""The failed-jobs view: what failed, for the DPO or an admin to act on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from .models import RequestDocument, RightsRequest
from .queueing import fetch_job
from .runtime import Runtime, get_runtime
from .states import DocumentStatus, Status


def failed_jobs(runtime: Runtime | None = None) -> list[dict[str, Any]]:
    """What failed, for the DPO's or admin's view: documents that could not be processed,
    requests whose build failed, and RQ jobs in the failed registry (with their error).

    Each dict: ``kind`` (document | request | job), ``request_id``, ``reference``,
    ``document_id``, ``title``, ``job_id``, ``error``, ``attempts``, ``at`` (datetime or None).
    """
    runtime = runtime or get_runtime()
    session = runtime.session
    items: list[dict[str, Any]] = []
    docs = session.execute(
        select(RequestDocument, RightsRequest.reference)
        .join(RightsRequest, RequestDocument.request_id == RightsRequest.id)
        .where(RequestDocument.status == DocumentStatus.FAILED)
        .order_by(RequestDocument.updated_at.desc())
    ).all()
    for doc, reference in docs:
        items.append(
            _item(
                "document",
                doc.request_id,
                reference,
                doc.id,
                doc.title,
                doc.job_id,
                doc.error,
                doc.attempts,
                doc.updated_at,
            )
        )
    for req in session.scalars(select(RightsRequest).where(RightsRequest.status == Status.FAILED)):
        last = next((e for e in reversed(req.events) if e.to_status == Status.FAILED), None)
        items.append(
            _item(
                "request",
                req.id,
                req.reference,
                None,
                None,
                None,
                last.detail if last else None,
                None,
                last.at if last else None,
            )
        )
    registry = runtime.queue().failed_job_registry
    for job_id in registry.get_job_ids():
        job = fetch_job(runtime, job_id)
        if job is None:
            continue
        parts = job_id.split("-")
        request_id = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else None
        document_id = int(parts[3]) if len(parts) > 4 and parts[2] == "doc" else None
        if document_id is not None:
            current = session.get(RequestDocument, document_id)
            if current is not None and (
                current.status == DocumentStatus.DONE or current.job_id != job_id
            ):
                continue  # a later attempt succeeded, or is the one to look at
        result = job.latest_result()
        exc = ((result.exc_string if result else None) or "").strip().splitlines()
        items.append(
            _item(
                "job",
                request_id,
                None,
                document_id,
                job.func_name,
                job_id,
                exc[-1] if exc else "failed",
                None,
                job.ended_at,
            )
        )
    return items


def _item(
    kind: str,
    request_id: int | None,
    reference: str | None,
    document_id: int | None,
    title: str | None,
    job_id: str | None,
    error: str | None,
    attempts: int | None,
    at: dt.datetime | None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "request_id": request_id,
        "reference": reference,
        "document_id": document_id,
        "title": title,
        "job_id": job_id,
        "error": error,
        "attempts": attempts,
        "at": at,
    }
