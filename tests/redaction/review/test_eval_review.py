"""The review section of ``make eval`` counts a DPO's work correctly (scripts/eval_review.py):
nothing for a perfect redactor, every miss for a do-nothing one, every false removal for
one that removes everything; propagation counts one decision per request and text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))

import corpus  # noqa: E402
import eval_review  # noqa: E402
from corpus import THIRD_PARTY, Owner, Tally  # noqa: E402


@pytest.fixture(scope="module")
def docs() -> list[corpus.Doc]:
    return corpus.generate(cases=3)


def _load(docs, marker):
    tally = Tally()
    marks = {}
    for doc in docs:
        marks[doc.doc_id] = marker(doc)
        tally.add(doc, marks[doc.doc_id])
    return eval_review.review_load(docs, tally, marks)


def _spans(doc, owners):
    return [(s.start, s.end) for s in doc.spans if s.owner in owners]


def test_a_perfect_redactor_leaves_only_the_flagged_passages(docs):
    context = {Owner.CONTEXT}
    load = _load(docs, lambda d: (_spans(d, THIRD_PARTY), _spans(d, context)))
    contexts = sum(1 for d in docs for s in d.spans if s.owner == Owner.CONTEXT)
    assert contexts > 0
    assert (load.keep.occurrences, load.redact.occurrences) == (0, 0)
    assert load.decide.occurrences == contexts


def test_doing_nothing_leaves_every_third_party_and_passage_to_find(docs):
    load = _load(docs, lambda d: ((), ()))
    owed = sum(1 for d in docs for s in d.spans if s.owner in THIRD_PARTY | {Owner.CONTEXT})
    assert load.redact.occurrences == owed and load.keep.occurrences == 0
    # the same name in several records of one request is one decision
    assert 0 < len(load.redact.decisions) < load.redact.occurrences


def test_removing_everything_means_keeping_every_own_identifier_and_word(docs):
    load = _load(docs, lambda d: ([(0, len(d.text))], ()))
    kept = sum(1 for d in docs for s in d.spans
               if s.owner in (Owner.SUBJECT, Owner.STAFF, Owner.REQUESTER, Owner.WORD))  # fmt: skip
    words = sum(len(corpus.ordinary_words(d)) for d in docs)
    assert load.keep.occurrences == kept + words and load.redact.occurrences == 0
    assert load.pages == sum(max(1, -(-len(d.text) // 3000)) for d in docs)


def test_the_table_prints_per_100_pages_for_each_contender(docs):
    nothing = _load(docs, lambda d: ((), ()))
    table = eval_review.table({"ours": nothing, "plain Presidio": nothing}, len(docs))
    assert "Review load" in table and "with decisions propagating" in table
    per_100 = 100 * nothing.redact.occurrences / nothing.pages
    assert f"{per_100:.1f} ({nothing.redact.occurrences})" in table
