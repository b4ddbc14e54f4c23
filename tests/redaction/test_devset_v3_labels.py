"""The fourth development set (scripts/devset_v3.py) labels what it claims (issue 9).

It must share no template, name, school or contact with the school corpus, devset.py's two
parts or devset_new.py; its two halves must be different documents of one style; every form
of a name it was written for must be in it; and the scoring must count a perfect redactor as
perfect and a blind one as useless. The comparisons print counts only, never the other
sets' text (the held-out part is not to be read).
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import corpus  # noqa: E402
import devset  # noqa: E402
import devset_new  # noqa: E402
import devset_v3  # noqa: E402
from corpus import THIRD_PARTY, Doc, Owner, Tally  # noqa: E402


@pytest.fixture(scope="module")
def halves() -> dict[str, list[Doc]]:
    return {part: devset_v3.generate(part, cases=4) for part in devset_v3.PARTS}


def _names(pool: devset.Pool) -> set[str]:
    return {n for f, m, s, _ in pool.values() for n in (*f, *m, *s)}


def test_every_span_is_the_text_it_labels(halves: dict[str, list[Doc]]) -> None:
    for docs in halves.values():
        assert len(docs) == 4 * len(devset_v3.TEMPLATES)
        assert sum(len(d.spans) for d in docs) > 300
        for doc in docs:
            for span in doc.spans:
                assert doc.text[span.start : span.end] == span.text, (doc.doc_id, span)
                assert span.text.strip() == span.text and span.text, (doc.doc_id, span)


def test_halves_differ_and_each_case_has_its_own_id(halves: dict[str, list[Doc]]) -> None:
    dev, test = halves["v3-dev"], halves["v3-test"]
    assert {d.text for d in dev}.isdisjoint(d.text for d in test)
    ids = [d.doc_id for docs in halves.values() for d in docs]
    assert len(ids) == len(set(ids))
    # make eval keeps one Detector per case, keyed by the id before the first "-".
    cases = {d.doc_id.split("-", 1)[0]: d.subject.id for docs in halves.values() for d in docs}
    assert len(cases) == len(set(cases.values())) == 8
    again = devset_v3.generate("v3-dev", cases=4)
    assert [(d.text, d.spans) for d in again] == [(d.text, d.spans) for d in dev]
    with pytest.raises(ValueError):
        devset_v3.generate("v3", cases=1)


def test_shares_no_template_name_school_or_contact_with_the_other_sets() -> None:
    ours = {t for ts in devset_v3.TEMPLATES.values() for t in ts}
    others = [devset_new.STYLE] + [devset.STYLES[p] for p in devset.PARTS]
    contacts = {v for vs in devset_v3.ABROAD.values() for v in vs}
    for style in others:
        # Counts are compared, so that a failure never prints the held-out part's text.
        shared = len(ours & {t for ts in style.templates.values() for t in ts})
        shared += len(set(devset_v3.SCHOOLS) & set(style.schools))
        shared += len(contacts & {v for vs in style.abroad.values() for v in vs})
        assert shared == 0
    names = _names(devset_v3.NAMES)
    for pool in (devset.DEV_NAMES, devset.HELD_NAMES, devset_new.NAMES):
        shared = len(names & _names(pool))
        assert shared == 0
    school_corpus = {n for f, m, s in corpus.NAMES.values() for n in (*f, *m, *s)}
    school_corpus |= {*corpus.WORD_NAMES_F, *corpus.WORD_NAMES_M}
    shared = len(names & school_corpus)
    assert shared == 0
    assert corpus.SCHOOL not in devset_v3.SCHOOLS


def test_every_form_of_a_name_and_every_owner_is_present(halves: dict[str, list[Doc]]) -> None:
    for part, docs in halves.items():
        kinds = Counter(s.kind for d in docs for s in d.spans if s.owner in THIRD_PARTY)
        for kind in ("full", "first", "last", "firstlower", "lastlower", "comma", "possessive",
                     "comma-initial", "initial-surname", "initials", "caps",
                     "honorific-full-name", "phone"):  # fmt: skip
            assert kinds[kind] >= 1, (part, kind, kinds)
        owners = Counter(s.owner for d in docs for s in d.spans)
        assert owners[Owner.SUBJECT] >= 50 and owners[Owner.STAFF] >= 20, (part, owners)
        assert owners[Owner.UNKNOWN] >= 60 and owners[Owner.KNOWN] >= 20, (part, owners)
        assert owners[Owner.WORD] >= 8, (part, owners)
        # Every word used as a word is a name some person of this set bears.
        traps = {s.text for d in docs for s in d.spans if s.owner is Owner.WORD}
        assert traps <= _names({"words": devset_v3.NAMES["english-words"]}), traps


def test_scoring_counts_a_perfect_redactor_perfect_and_a_blind_one_useless(
    halves: dict[str, list[Doc]],
) -> None:
    perfect, blind = Tally(), Tally()
    for doc in halves["v3-test"]:
        perfect.add(doc, ([(s.start, s.end) for s in doc.spans if s.owner in THIRD_PARTY], []))
        blind.add(doc, ([], []))
    assert perfect.person_removed == perfect.person_total > 100
    assert perfect.words_ok == perfect.words_total > 1000
    assert perfect.kept_ok == perfect.kept_total
    assert blind.person_removed == 0 and blind.words_ok == blind.words_total
