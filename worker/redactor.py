"""The seam between the worker and :mod:`pupil_privacy.redaction`: the real Presidio
redactor, or one a test puts in :attr:`Settings.redactor <.runtime.Settings.redactor>`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pupil_privacy.redaction.decisions import Decisions
from pupil_privacy.redaction.nersentences import SentenceStore
from pupil_privacy.redaction.report import DetectorLike, RedactionRecord
from pupil_privacy.redaction.types import Person, Policy, Subject


class RedactedLike(Protocol):
    """What the pipeline reads from :class:`pupil_privacy.redaction.document.RedactedDocument`."""

    content: bytes
    records: list[RedactionRecord]
    review: list[RedactionRecord]
    warnings: list[str]
    pages: int


class Redactor(Protocol):
    """The seam between the worker and ``pupil_privacy.redaction``; tests may swap it through
    ``Settings.redactor`` (a controlled leak, a slow document)."""

    def detector(
        self, subject: Subject, roster: Sequence[Person], model: str | None
    ) -> DetectorLike: ...

    def redact(
        self,
        data: bytes,
        filename: str,
        detector: DetectorLike,
        *,
        max_bytes: int,
        decisions: Decisions | None = None,
    ) -> RedactedLike: ...


class PresidioRedactor:
    """The real thing: the roster-aware Presidio detector and true removal (rules 10-12, 18).

    :param policy: what to keep (default: rules 10-12).
    :param sentences: the NER's entities per sentence from the request's other documents
        (:mod:`.nerstore`); ``None``: this document's sentences only.
    """

    def __init__(
        self, policy: Policy | None = None, sentences: SentenceStore | None = None
    ) -> None:
        self.policy = policy
        self.sentences = sentences

    def detector(
        self, subject: Subject, roster: Sequence[Person], model: str | None
    ) -> DetectorLike:
        from pupil_privacy.redaction.detect import Detector

        detector: DetectorLike = Detector(
            subject, roster, self.policy, model=model, sentences=self.sentences
        )
        return detector

    def redact(
        self,
        data: bytes,
        filename: str,
        detector: DetectorLike,
        *,
        max_bytes: int,
        decisions: Decisions | None = None,
    ) -> RedactedLike:
        from pupil_privacy.redaction.document import redact_document

        return redact_document(
            data, filename, detector, as_pdf=True, max_bytes=max_bytes, decisions=decisions
        )


def redactor_for(custom: Redactor | None, sentences: SentenceStore | None = None) -> Redactor:
    """The configured redactor, or the real one (sharing ``sentences``, if given)."""
    return custom if custom is not None else PresidioRedactor(sentences=sentences)
