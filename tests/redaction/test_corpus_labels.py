"""The evaluation corpus (scripts/corpus.py) labels what it claims to label (issue 3).

``make eval`` is only as good as its labels: every span must be the text it names, every
hard case must be present, and the scoring must count a perfect redactor as perfect and a
do-nothing one as useless. The generator lives in scripts/ beside eval and bench; this
module puts that folder on sys.path rather than keeping a second copy.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import corpus  # noqa: E402
from corpus import THIRD_PARTY, Owner, Tally  # noqa: E402

from pupil_privacy.redaction.types import Role  # noqa: E402

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


@pytest.fixture(scope="module")
def docs() -> list[corpus.Doc]:
    return corpus.generate(cases=6)


def _kinds(docs: list[corpus.Doc]) -> Counter[str]:
    return Counter(span.kind.split(":")[0] for doc in docs for span in doc.spans)


def test_every_span_is_the_text_it_labels(docs: list[corpus.Doc]) -> None:
    assert sum(len(doc.spans) for doc in docs) > 500
    for doc in docs:
        for span in doc.spans:
            assert doc.text[span.start : span.end] == span.text, (doc.doc_id, span)
            assert span.text.strip(), (doc.doc_id, span)


def test_same_seed_same_corpus_other_seed_other_corpus() -> None:
    first = corpus.generate(cases=2, seed=7)
    assert [(d.text, d.spans) for d in first] == [
        (d.text, d.spans) for d in corpus.generate(cases=2, seed=7)
    ]
    assert [d.text for d in first] != [d.text for d in corpus.generate(cases=2, seed=8)]


def test_every_document_kind_and_owner_class_is_present(docs: list[corpus.Doc]) -> None:
    assert {doc.kind for doc in docs} == set(corpus.KINDS)
    owners = Counter(span.owner for doc in docs for span in doc.spans)
    assert set(owners) == set(Owner)
    # rule 10: people unknown to the MIS and known third parties both occur in numbers.
    assert owners[Owner.UNKNOWN] >= 30 and owners[Owner.KNOWN] >= 100


@pytest.mark.parametrize(
    "kind",
    ["possessive", "title-surname", "split-name", "preferred-name", "upn", "uln",
     "nhs-number", "ni-number", "phone", "postcode", "address", "email", "date-of-birth",
     "staff-private-phone", "identifying-context", "word-name-as-word", "upper-case"],
)  # fmt: skip
def test_hard_cases_are_labelled(docs: list[corpus.Doc], kind: str) -> None:
    assert _kinds(docs)[kind] >= 1, f"no {kind} span in the corpus"


def test_lower_case_notes_and_names_split_over_a_line_break(docs: list[corpus.Doc]) -> None:
    lowered = [s for d in docs for s in d.spans if s.kind.endswith(":lower")]
    assert lowered and all(s.text == s.text.lower() for s in lowered)
    split = [s for d in docs for s in d.spans if s.owner in THIRD_PARTY and "\n" in s.text]
    assert len(split) >= 5


def test_names_come_from_many_origins() -> None:
    spans = [s for d in corpus.generate(cases=30) for s in d.spans if s.origin]
    assert {s.origin for s in spans} == set(corpus.NAMES)
    texts = " ".join(s.text for s in spans)
    assert "O'" in texts and "-" in texts  # Irish O' names and double-barrelled names
    words = {s.text for s in spans} & set(corpus.WORD_NAMES_F + corpus.WORD_NAMES_M)
    assert words, "no pupil or adult is called Grace, Will, Summer, Rose..."


def test_word_names_also_appear_as_ordinary_words(docs: list[corpus.Doc]) -> None:
    traps = [s for d in docs for s in d.spans if s.owner == Owner.WORD]
    assert len(traps) == len(docs)  # one per document
    assert {s.text.lower() for s in traps} & {"summer", "rose", "grace", "will", "hope"}


def test_other_pupils_identifiers_are_third_party(docs: list[corpus.Doc]) -> None:
    upns = [s for d in docs for s in d.spans if s.kind == "upn" and s.owner in THIRD_PARTY]
    assert upns and all(s.person.startswith("P") for s in upns)


def test_identifiers_carry_valid_check_characters(docs: list[corpus.Doc]) -> None:
    by_kind: dict[str, set[str]] = {}
    for doc in docs:
        for span in doc.spans:
            by_kind.setdefault(span.kind.split(":")[0], set()).add(span.text.upper())
    for upn in by_kind["upn"]:
        total = sum(int(d) * w for d, w in zip(upn[1:], range(2, 14), strict=True))
        assert UPN_LETTERS[total % 23] == upn[0], upn
    for nhs in by_kind["nhs-number"]:
        digits = [int(c) for c in nhs.replace(" ", "")]
        check = 11 - sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True)) % 11
        assert (0 if check == 11 else check) == digits[9], nhs
    for uln in by_kind["uln"]:
        digits = [int(c) for c in uln]
        total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
        assert 10 - total % 11 == digits[9], uln


def test_roster_matches_the_mis_view(docs: list[corpus.Doc]) -> None:
    doc = docs[0]
    names = {p.name: p for p in doc.roster}
    assert doc.subject.name in names and names[doc.subject.name].role is Role.PUPIL
    assert doc.subject.requester is not None and doc.subject.requester.name in names
    parents = [p for p in doc.roster if p.role is Role.PARENT]
    separated = [p for p in parents if p.name != doc.subject.requester.name and p.address]
    assert separated and separated[0].phone  # rule 12: the other parent's contacts
    unknown = {s.text for d in docs[:9] for s in d.spans if s.owner == Owner.UNKNOWN}
    assert unknown and not unknown & set(names)  # neighbours, cousins: not in the MIS
    assert {p.role for p in doc.roster} == set(Role)


def _perfect(doc: corpus.Doc) -> corpus.Marks:
    return [(s.start, s.end) for s in doc.spans if s.owner in THIRD_PARTY], [
        (s.start, s.end) for s in doc.spans if s.owner == Owner.CONTEXT
    ]


def test_scoring_counts_a_perfect_redactor_as_perfect(docs: list[corpus.Doc]) -> None:
    tally = Tally()
    for doc in docs:
        tally.add(doc, _perfect(doc))
    assert tally.third_removed == tally.third_total > 0
    assert tally.kept_ok == tally.kept_total > 0
    assert tally.words_ok == tally.words_total > 1000
    assert tally.context_flagged == tally.context_total > 0
    assert not tally.missed and not tally.destroyed and not tally.words_lost


def test_scoring_punishes_doing_nothing_and_removing_everything(
    docs: list[corpus.Doc],
) -> None:
    nothing, everything = Tally(), Tally()
    for doc in docs:
        nothing.add(doc, ([], []))
        everything.add(doc, ([(0, len(doc.text))], []))
    assert nothing.third_removed == 0 and len(nothing.missed) == nothing.third_total
    assert everything.third_removed == everything.third_total
    assert everything.kept_ok == 0 and everything.words_ok == 0


def test_a_partly_removed_name_is_not_removed(docs: list[corpus.Doc]) -> None:
    doc = docs[0]
    span = next(s for s in doc.spans if s.owner in THIRD_PARTY and " " in s.text)
    tally = Tally()
    tally.add(doc, ([(span.start, span.start + span.text.index(" "))], []))
    assert (doc, span) in tally.missed
