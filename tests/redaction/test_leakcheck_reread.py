"""Re-reading changed text without the NER, and where the leak check still runs it in full.

Kept text was analysed with the NER before removal; re-check rounds and the leak check
re-read changed text without it (``report.reread``). The leak check keeps the full
detection wherever a string removal took out is still present, so a removal that failed
is caught even for a person only the NER finds (rule 18).
"""

from __future__ import annotations

import re

import pymupdf
import pytest
from docfactory import ROSTER, SUBJECT, FakeDetector

from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.errors import LeakCheckFailed
from pupil_privacy.redaction.formats.pdf import findings, removal
from pupil_privacy.redaction.leakcheck import find_leaks, problems_of, removed_terms
from pupil_privacy.redaction.report import reread
from pupil_privacy.redaction.types import Action, Finding, Reason

STRANGER = "Thomas Whitfield"  # nobody the roster knows: only the (fake) NER finds him


class NerOnly(FakeDetector):
    """Finds the stranger only when the NER runs, like a person only spaCy would spot."""

    def __init__(self) -> None:
        super().__init__(third=[])
        self.modes: list[bool] = []

    def analyse_many(self, texts, *, ner=True):
        self.modes.append(ner)
        return [self._find(t) if ner else [] for t in texts]

    def _find(self, text: str) -> list[Finding]:
        return [
            Finding(
                m.start(),
                m.end(),
                m.group(),
                "PERSON",
                0.85,
                "ner",
                Action.REDACT,
                Reason.UNKNOWN_PERSON,
            )  # fmt: skip
            for m in re.finditer(STRANGER, text)
        ]


def test_reread_skips_the_ner_when_the_detector_allows_it():
    detector = NerOnly()
    assert reread(detector, [f"{STRANGER} called."]) == [[]]
    assert detector.modes == [False]


def test_reread_analyses_in_full_with_a_detector_without_the_option():
    plain = FakeDetector()
    found = reread(plain, ["Jake Whitfield called."])
    assert [f.text for f in found[0]] == ["Jake Whitfield"]


def test_leak_check_runs_full_detection_where_a_removed_string_is_left():
    detector = NerOnly()
    places = [("page 1", f"Seen with {STRANGER} at the gate."), ("page 2", "Nothing here.")]
    problems = problems_of(find_leaks(places, detector, removed=removed_terms([STRANGER])))
    assert any(p.startswith("page 1") and "PERSON" in p for p in problems)
    assert not any(p.startswith("page 2") for p in problems)


def test_leak_check_without_removed_strings_left_reads_without_the_ner():
    detector = NerOnly()
    places = [("page 1", "Seen with [Third party] at the gate.")]
    assert find_leaks(places, detector, removed=removed_terms([STRANGER])) == []
    assert detector.modes == [False]


def test_removed_one_word_names_send_any_spelling_to_full_detection():
    index = removed_terms(["Rose", "07700 900123"])
    assert index.spans("the rose garden")  # costs a full analysis, never a refusal
    assert index.spans("ring 07700900123")
    assert not index.spans("nothing removed is here")


def test_a_removal_that_fails_is_still_caught_for_an_ner_only_person(monkeypatch):
    # rule 18: the boxes are never applied, so the text stays; the detector has no cache
    # of its first analysis, so only the removed-string net sends the page to the NER
    def cover_only(page, labels, label):
        for annot in list(page.annots()):
            page.delete_annot(annot)

    for module in (removal, findings):  # the first removal and the leak check's passes
        monkeypatch.setattr(module, "apply", cover_only)
    src = pymupdf.open()
    src.new_page().insert_text((72, 100), f"{STRANGER} came to the gate.", fontsize=11)
    with pytest.raises(LeakCheckFailed) as failed:
        redact_document(src.tobytes(), "note.pdf", NerOnly())
    assert STRANGER not in str(failed.value)


def test_kept_data_stays_and_strangers_go_end_to_end(make_detector):
    real = make_detector(SUBJECT, ROSTER)
    src = pymupdf.open()
    text = f"Amelia Okafor told Mrs Patel that {STRANGER} had phoned the office."
    src.new_page().insert_text((72, 100), text, fontsize=10)
    out = redact_document(src.tobytes(), "note.pdf", real)
    page_text = pymupdf.open(stream=out.content, filetype="pdf")[0].get_text()
    assert "Whitfield" not in page_text
    assert "Amelia Okafor" in page_text
