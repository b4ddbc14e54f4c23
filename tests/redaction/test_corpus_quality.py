"""End-to-end quality on a small held-out sample of the labelled corpus (issue 3).

``make eval`` measures the full corpus (30 pupils, about 1,000 third-party identifiers)
against the targets. This test guards the same figures on 4 pupils generated with another
seed, so it is not the sample anyone tuned on, in about two seconds.

Why these thresholds: the sample holds 133 third-party identifiers. A detector that meets
the 0.99 target misses 1.3 of them on average; missing 7 or more (recall below 0.95) then
happens with probability 0.0005 (Poisson, mean 1.33). A real regression to 0.90 recall
misses 13 on average and passes this test only 2% of the time. Likewise for the 213
identifiers of the pupil and staff (target 0.97, here 0.93: a false failure 0.3% of the
time, a drop to 0.85 caught 99.97% of the time) and the 1,700 ordinary words (0.95, here 0.93).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import corpus  # noqa: E402
from corpus import Tally  # noqa: E402

from pupil_privacy.redaction.detect import Detector  # noqa: E402
from pupil_privacy.redaction.types import Action  # noqa: E402

HELD_OUT_SEED = corpus.DEFAULT_SEED + 1
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tally(make_detector: Callable[..., Detector]) -> Tally:
    docs = corpus.generate(cases=4, seed=HELD_OUT_SEED)
    result = Tally()
    detectors: dict[str, Detector] = {}
    for doc in docs:
        case = doc.doc_id.split("-", 1)[0]
        if case not in detectors:
            detectors[case] = make_detector(doc.subject, doc.roster)
        findings = detectors[case].analyse(doc.text)
        removed = [(f.start, f.end) for f in findings if f.action is Action.REDACT]
        flagged = [(f.start, f.end) for f in findings if f.action is Action.REVIEW]
        result.add(doc, (removed, flagged))
    return result


def _misses(items: list[tuple[corpus.Doc, corpus.Span]]) -> list[str]:
    return [f"{doc.doc_id} {span.owner.value}/{span.kind}: {span.text!r}" for doc, span in items]


def test_third_party_identifiers_are_removed(tally: Tally) -> None:
    """Rules 10 and 12: other pupils, their parents, the separated parent, strangers."""
    assert tally.third_total >= 120
    recall = tally.third_removed / tally.third_total
    assert recall >= 0.95, _misses(tally.missed)


def test_pupil_and_staff_identifiers_are_kept(tally: Tally) -> None:
    """Art 15 and rule 11: the pupil's own data and staff acting in their role stay."""
    assert tally.kept_total >= 150
    kept = tally.kept_ok / tally.kept_total
    assert kept >= 0.93, _misses(tally.destroyed)
    assert tally.requester_ok / tally.requester_total >= 0.93, _misses(tally.destroyed)


def test_ordinary_words_are_kept(tally: Tally) -> None:
    assert tally.words_total >= 1000
    lost = [doc.text[s:e] for doc, s, e in tally.words_lost]
    assert tally.words_ok / tally.words_total >= 0.93, lost[:50]
