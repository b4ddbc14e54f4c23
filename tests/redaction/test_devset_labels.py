"""The development set of other styles (scripts/devset.py) labels what it claims (issue 9).

Its two parts must really differ (templates and names), every hard case the issue lists must
be in it, and the scoring must count a perfect redactor as perfect and a do-nothing one as
useless. The generator lives in scripts/ beside ``make eval``; this module puts that folder
on sys.path rather than keeping a second copy.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import devset  # noqa: E402
from corpus import THIRD_PARTY, Doc, Owner, Tally, is_person  # noqa: E402

from pupil_privacy.redaction.roster_identity import subject_is_adult  # noqa: E402


@pytest.fixture(scope="module")
def parts() -> dict[str, list[Doc]]:
    return {part: devset.generate(part, cases=8) for part in devset.PARTS}


def test_every_span_is_the_text_it_labels(parts: dict[str, list[Doc]]) -> None:
    for docs in parts.values():
        assert sum(len(d.spans) for d in docs) > 400
        for doc in docs:
            for span in doc.spans:
                assert doc.text[span.start : span.end] == span.text, (doc.doc_id, span)
                assert span.text.strip() == span.text and span.text, (doc.doc_id, span)


def test_same_seed_same_set_other_seed_other_set() -> None:
    first = devset.generate("dev", cases=2, seed=5)
    assert [(d.text, d.spans) for d in first] == [
        (d.text, d.spans) for d in devset.generate("dev", cases=2, seed=5)
    ]
    assert [d.text for d in first] != [d.text for d in devset.generate("dev", cases=2, seed=6)]


def test_held_out_part_has_its_own_templates_and_names() -> None:
    assert not set(devset.DEV_TEMPLATES["minutes"]) & set(
        t for ts in devset.HELD_TEMPLATES.values() for t in ts
    )
    dev_templates = {t for ts in devset.DEV_TEMPLATES.values() for t in ts}
    held_templates = {t for ts in devset.HELD_TEMPLATES.values() for t in ts}
    assert not dev_templates & held_templates

    def names(pool: devset.Pool) -> set[str]:
        return {n for f, m, s, _ in pool.values() for n in (*f, *m, *s)}

    assert not names(devset.DEV_NAMES) & names(devset.HELD_NAMES)
    assert not {s for s in devset.SCHOOLS["dev"]} & set(devset.SCHOOLS["held-out"])


def test_every_hard_case_and_owner_is_present(parts: dict[str, list[Doc]]) -> None:
    for part, docs in parts.items():
        kinds = Counter(s.kind for d in docs for s in d.spans if s.owner in THIRD_PARTY)
        for kind in ("initial-surname", "initials", "caps", "upper", "full", "addr", "pobox",
                     "phone", "honorific-full-name", "peer", "comma"):  # fmt: skip
            assert kinds[kind] >= 1, (part, kind, kinds)
        owners = Counter(s.owner for d in docs for s in d.spans)
        assert owners[Owner.SUBJECT] >= 50 and owners[Owner.STAFF] >= 20, (part, owners)
        assert owners[Owner.UNKNOWN] >= 100 and owners[Owner.KNOWN] >= 10, (part, owners)


def test_adult_subjects_own_their_title_and_surname(parts: dict[str, list[Doc]]) -> None:
    adults = [d for d in parts["dev"] if subject_is_adult(d.subject)]
    children = [d for d in parts["dev"] if not subject_is_adult(d.subject)]
    assert adults and children
    owned = [s for d in adults for s in d.spans if s.kind == "title-surname" and s.person == "S"]
    assert owned and all(s.owner is Owner.SUBJECT for s in owned)
    assert all(d.subject.school for d in adults + children)


def test_scoring_counts_a_perfect_redactor_perfect_and_a_blind_one_useless(
    parts: dict[str, list[Doc]],
) -> None:
    perfect, blind = Tally(), Tally()
    for doc in parts["held-out"]:
        third = [(s.start, s.end) for s in doc.spans if s.owner in THIRD_PARTY]
        perfect.add(doc, (third, []))
        blind.add(doc, ([], []))
    assert perfect.person_total > 200
    assert perfect.person_removed == perfect.person_total
    assert perfect.kept_ok == perfect.kept_total and perfect.words_ok == perfect.words_total
    assert blind.person_removed == 0 and blind.words_ok == blind.words_total
    people = sum(is_person(s) for d in parts["held-out"] for s in d.spans if s.owner in THIRD_PARTY)
    assert people == perfect.person_total


def test_fresh_set_is_labelled_and_shares_nothing_with_the_other_parts() -> None:
    """scripts/devset_new.py (the set tuned on now): its own templates, names and schools,
    spans that are the text they label, and every form of a name it was written for."""
    import devset_new

    docs = devset_new.generate(cases=4)
    for doc in docs:
        for span in doc.spans:
            assert doc.text[span.start : span.end] == span.text, (doc.doc_id, span)
    fresh = {t for ts in devset_new.TEMPLATES.values() for t in ts}
    for part in devset.PARTS:
        assert not fresh & {t for ts in devset.STYLES[part].templates.values() for t in ts}
        assert not set(devset_new.SCHOOLS) & set(devset.STYLES[part].schools)
    names = {n for f, m, s, _ in devset_new.NAMES.values() for n in (*f, *m, *s)}
    for pool in (devset.DEV_NAMES, devset.HELD_NAMES):
        assert not names & {n for f, m, s, _ in pool.values() for n in (*f, *m, *s)}
    kinds = Counter(s.kind for d in docs for s in d.spans if s.owner in THIRD_PARTY)
    for kind in ("upper", "first-initial", "caps", "initials", "comma", "pobox", "addr"):
        assert kinds[kind] >= 1, (kind, kinds)
    perfect = Tally()
    for doc in docs:
        marks = [(s.start, s.end) for s in doc.spans if s.owner in THIRD_PARTY]
        perfect.add(doc, (marks, []))
    assert perfect.person_removed == perfect.person_total > 100
    assert perfect.words_ok == perfect.words_total and perfect.kept_ok == perfect.kept_total
