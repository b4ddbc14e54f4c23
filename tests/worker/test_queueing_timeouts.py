"""A CCTV clip's job gets the clip timeout, every other document the usual one (issue 13).

A clip is redacted frame by frame in one job (~10 CPU minutes per minute of 720p video), so
the default 30-minute timeout would kill a clip of a few minutes on every attempt alike,
and it would end "failed after N tries" without ever being answerable.
"""

from __future__ import annotations

from pupil_privacy.worker.queueing import document_job_id, enqueue_document, fetch_job
from pupil_privacy.worker.runtime import get_runtime


def test_clip_jobs_get_the_clip_timeout_and_documents_the_usual_one(make_worker_app):
    make_worker_app(job_timeout_seconds=600, clip_job_timeout_seconds=7200)
    runtime = get_runtime()
    assert enqueue_document(runtime, 41, 1, 1)
    assert enqueue_document(runtime, 41, 2, 1, clip=True)
    pdf, clip = (fetch_job(runtime, document_job_id(41, d, 1)) for d in (1, 2))
    assert pdf is not None and clip is not None
    assert pdf.timeout == 600
    assert clip.timeout == 7200
