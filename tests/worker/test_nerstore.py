"""A request's documents share the NER's findings per sentence through Redis
(worker/nerstore.py, issue 9's speed): each document's job reads only sentences no earlier
job of the request has read. Detection is unchanged by it (tests/redaction/
test_detect_reuse.py); here: what Redis holds (digests, never text: the pupil's and other
people's words stay out of Redis), its expiry, its scope, and a Redis that fails."""

from __future__ import annotations

import logging
import pickle

import pytest
import redis as redis_lib
from pp_worker_app import OTHER_PUPIL, new_request

from pupil_privacy.worker import nerstore, queueing
from pupil_privacy.worker.nerstore import RedisSentenceStore
from pupil_privacy.worker.runtime import get_runtime

SENTENCE = "Tom O'Neill pushed Amelia Hart at lunch."
SPANS = [(0, 11, "PERSON"), (19, 30, "PERSON")]


@pytest.fixture
def tagged(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nerstore, "model_tag", lambda model: f"{model or 'default'}-1.0")


def test_redis_holds_digests_and_offsets_never_the_words(redis: redis_lib.Redis, tagged) -> None:
    store = RedisSentenceStore(redis, 41, None, ttl=600)
    store.put_many({SENTENCE: SPANS})
    assert store.key == "pp:ner:41:default-1.0"
    held = redis.hgetall(store.key)
    assert list(held) == [nerstore.digest(SENTENCE)] and len(next(iter(held))) == 16
    assert b"O'Neill" not in b"".join([*held, *held.values()])
    assert 0 < redis.ttl(store.key) <= 600
    fresh = RedisSentenceStore(redis, 41, None, ttl=600)  # the next document's job
    assert fresh.get_many([SENTENCE, "Not read yet."]) == {SENTENCE: SPANS}


def test_another_request_or_model_shares_nothing(redis: redis_lib.Redis, tagged) -> None:
    RedisSentenceStore(redis, 41, None, ttl=600).put_many({SENTENCE: SPANS})
    assert RedisSentenceStore(redis, 42, None, ttl=600).get_many([SENTENCE]) == {}
    assert RedisSentenceStore(redis, 41, "en_core_web_lg", ttl=600).get_many([SENTENCE]) == {}


def test_a_failing_redis_answers_nothing_and_fails_no_document(
    tagged, caplog: pytest.LogCaptureFixture
) -> None:
    closed = redis_lib.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    store = RedisSentenceStore(closed, 41, None, ttl=600)
    with caplog.at_level(logging.WARNING, logger=nerstore.__name__):
        assert store.get_many([SENTENCE]) == {}
        store.put_many({SENTENCE: SPANS})  # kept nowhere, no exception
        assert store.get_many([SENTENCE]) == {}
    warnings = [r for r in caplog.records if "unavailable" in r.getMessage()]
    assert len(warnings) == 1  # once per store, not once per call


def test_the_store_goes_to_the_ner_helper_process_and_reconnects(
    redis: redis_lib.Redis, tagged
) -> None:
    store = RedisSentenceStore(redis, 41, None, ttl=600)
    store.put_many({SENTENCE: SPANS})
    travelled = pickle.loads(pickle.dumps(store))
    assert travelled.get_many([SENTENCE]) == {SENTENCE: SPANS}


def test_a_requests_document_jobs_share_its_sentences(make_worker_app, work) -> None:
    app = make_worker_app(ner_share_seconds=900, redactor=None)  # the real one
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    conn = get_runtime().redis
    keys = conn.keys(f"pp:ner:{rid}:*")
    assert len(keys) == 1
    held = conn.hgetall(keys[0])
    assert len(held) > 10 and all(len(field) == 16 for field in held)
    assert OTHER_PUPIL.encode() not in b"".join([*held, *held.values()])
    assert 0 < conn.ttl(keys[0]) <= 900


def test_sharing_is_off_at_zero_seconds(make_worker_app, work) -> None:
    app = make_worker_app(ner_share_seconds=0, redactor=None)
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    assert get_runtime().redis.keys(f"pp:ner:{rid}:*") == []


def test_a_detector_takes_the_store_to_its_helper_process(redis: redis_lib.Redis, tagged) -> None:
    from pupil_privacy.redaction.detect import Detector
    from pupil_privacy.redaction.types import Subject

    store = RedisSentenceStore(redis, 41, None, ttl=600)
    store.put_many({SENTENCE: SPANS})
    detector = Detector(Subject(id="P1", name="Amelia Hart"), [], sentences=store)
    there = pickle.loads(pickle.dumps(detector))  # as the helper receives it
    assert there.sentences.get_many([SENTENCE]) == {SENTENCE: SPANS}
