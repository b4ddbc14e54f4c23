"""Operators watch the queue with rq-dashboard (issue 4), started with its JSON option since
our jobs use RQ's JSON serializer: it lists our queue and reads a job of ours."""

from __future__ import annotations

import pytest
import rq_dashboard
from flask import Flask
from pp_worker_app import new_request
from rq.serializers import JSONSerializer

from pupil_privacy.worker import queueing
from pupil_privacy.worker.runtime import get_runtime


@pytest.fixture
def dashboard(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> Flask:
    from rq_dashboard import web

    # What `rq-dashboard --json` sets.
    monkeypatch.setattr(web.config, "serializer", JSONSerializer)
    board = Flask("operators")
    board.config.from_object(rq_dashboard.default_settings)
    board.config["RQ_DASHBOARD_REDIS_URL"] = redis_url
    web.setup_rq_connection(board)
    board.register_blueprint(rq_dashboard.blueprint, url_prefix="/rq")
    return board


def test_dashboard_lists_our_queue_and_reads_our_job(app, dashboard: Flask) -> None:
    rid = new_request(app)
    queueing.enqueue_request(rid)
    queue = get_runtime().queue()
    (job_id,) = queue.job_ids
    client = dashboard.test_client()

    queues = client.get("/rq/0/data/queues.json")
    assert queues.status_code == 200
    assert queue.name in {q["name"] for q in queues.get_json()["queues"]}

    job = client.get(f"/rq/0/data/job/{job_id}.json")
    assert job.status_code == 200, job.text
    assert f"start_request({rid}" in job.get_json()["description"]
