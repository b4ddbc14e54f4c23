"""The NER's entities per sentence, shared by a request's document jobs through Redis.

Each document of a request is redacted in its own job, by a fresh detector in a freshly
forked work horse, on whichever worker takes it, so nothing one job learns reaches the next
in memory. Yet a pupil's file says the same things again from one document to the next (a
reply quotes the letter filed before it, every report repeats the same paragraphs). This
store keeps, for one request and one spaCy model, what the NER found in each sentence it
read, so a later document's job reads only the sentences no earlier job has (see
:mod:`pupil_privacy.redaction.nersentences`). Detection is unchanged: a sentence's entities
are what the NER gives for that sentence alone, wherever it was first read.

What Redis holds: one hash per request and model, each field a 128-bit BLAKE2b digest of a
sentence (never its text) with the entities' offsets and labels (``[[0, 9, "PERSON"]]``),
expiring ``PUPIL_PRIVACY_NER_SHARE_SECONDS`` after the last document wrote to it; the
DPO's re-renders within that time read the request's sentences from it too.

A Redis that fails is no reason to fail a document: the store then answers nothing and
keeps nothing, and the NER reads every sentence (a warning is logged once per store).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from redis import ConnectionPool, Redis
from redis.exceptions import RedisError

Spans = list[tuple[int, int, str]]

log = logging.getLogger(__name__)

#: Fields asked for or written in one round trip.
CHUNK = 1000


@functools.cache
def model_tag(model: str | None) -> str:
    """The model's package name and version: a new model (or release) starts a new hash."""
    from pupil_privacy.redaction.engine import LANGUAGE, get_analyzer, resolve_model

    nlp = get_analyzer(model).nlp_engine.get_nlp(LANGUAGE)  # type: ignore[attr-defined]
    return f"{resolve_model(model)}-{nlp.meta.get('version', '0')}"


def digest(sentence: str) -> bytes:
    return hashlib.blake2b(sentence.encode("utf-8"), digest_size=16).digest()


class RedisSentenceStore:
    """A :class:`~pupil_privacy.redaction.nersentences.SentenceStore` for one request's
    documents, in Redis, with one spaCy model.

    :param redis: the worker's Redis connection.
    :param request_id: the request whose documents share it.
    :param model: the spaCy model the detector runs (``None``: the configured default);
        its name and version are part of the key.
    :param ttl: seconds the request's entries live after the last write.
    """

    def __init__(self, redis: Redis, request_id: int | str, model: str | None, ttl: int) -> None:
        self._redis = redis
        self._request_id = request_id
        self._model = model
        self._ttl = ttl
        self._failed = False

    @property
    def key(self) -> str:
        return f"pp:ner:{self._request_id}:{model_tag(self._model)}"

    def get_many(self, sentences: Sequence[str]) -> dict[str, Spans]:
        found: dict[str, Spans] = {}
        try:
            key = self.key
            for start in range(0, len(sentences), CHUNK):
                part = sentences[start : start + CHUNK]
                values: list[bytes | None] = self._redis.hmget(key, [digest(s) for s in part])  # type: ignore[assignment]
                for sentence, value in zip(part, values, strict=True):
                    if value is not None:
                        found[sentence] = [(s, e, label) for s, e, label in json.loads(value)]
        except (RedisError, OSError, ValueError, TypeError) as exc:
            self._warn(exc)
            return {}
        return found

    def put_many(self, found: Mapping[str, Spans]) -> None:
        items = [
            (digest(s), json.dumps(spans, separators=(",", ":"))) for s, spans in found.items()
        ]
        try:
            key = self.key
            with self._redis.pipeline(transaction=False) as pipe:
                for start in range(0, len(items), CHUNK):
                    pipe.hset(key, mapping=dict(items[start : start + CHUNK]))
                pipe.expire(key, self._ttl)
                pipe.execute()
        except (RedisError, OSError) as exc:
            self._warn(exc)

    def _warn(self, exc: BaseException) -> None:
        if not self._failed:
            self._failed = True
            log.warning("the shared NER store is unavailable, reading every sentence: %s", exc)

    # The detector goes to its NER helper process pickled: the store goes with it as the
    # connection's settings and reconnects there.
    def __getstate__(self) -> dict[str, Any]:
        pool = self._redis.connection_pool
        return {
            "connection": (pool.connection_class, dict(pool.connection_kwargs)),
            "request_id": self._request_id,
            "model": self._model,
            "ttl": self._ttl,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        connection_class, kwargs = state["connection"]
        self._redis = Redis(
            connection_pool=ConnectionPool(connection_class=connection_class, **kwargs)
        )
        self._request_id, self._model = state["request_id"], state["model"]
        self._ttl, self._failed = state["ttl"], False
