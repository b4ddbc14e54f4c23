"""``pupil-privacy redact --decisions``: the console script on real files, and the same
decisions through redact_document giving the same bytes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docfactory import ROSTER, SUBJECT, THIRD
from pp_review_docs import MISSED, boxed_pdf, pdftotext, three_page_pdf

from pupil_privacy.redaction.decisions import Decisions
from pupil_privacy.redaction.document import redact_document

SCRIPT = Path(sys.executable).with_name("pupil-privacy")
NOTE = f"Amelia Okafor met {MISSED} and {THIRD} at the gate.\nKESTREL\nVOSS waved.\n"
DECISIONS = {
    "keep": [{"text": THIRD, "file": "note.txt", "reason": "consent given", "id": "k1"}],
    "redact": [{"text": MISSED}, {"text": "Bazza"}],
    "boxes": [{"file": "letter.pdf", "page": 1, "rect": [60, 180, 320, 260]}],
    "withhold_pages": [
        {"file": "record.pdf", "page": 2, "reason": "rule-13-serious-harm"},
        {"file": "missing.pdf", "page": 1, "reason": "rule-13-serious-harm"},
    ],
}


def _write_people(tmp: Path) -> None:
    subject = {"id": SUBJECT.id, "name": SUBJECT.name, "upn": SUBJECT.upn,
               "preferred_name": SUBJECT.preferred_name,
               "requester": {"name": "Grace Okafor", "relationship": "mother",
                             "email": "grace.okafor@example.org"}}  # fmt: skip
    (tmp / "subject.json").write_text(json.dumps(subject))
    (tmp / "roster.json").write_text(json.dumps([p.to_dict() for p in ROSTER]))


def _run(tmp: Path, decisions: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), "redact", "--subject", str(tmp / "subject.json"),
         "--roster", str(tmp / "roster.json"), "--out", str(tmp / "out"),
         "--report", str(tmp / "report.json"), "--decisions", str(decisions), *map(str, files)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("decisions")
    _write_people(tmp)
    inputs = tmp / "in"
    inputs.mkdir()
    files = {
        "note.txt": NOTE.encode(),
        "letter.pdf": boxed_pdf(),
        "record.pdf": three_page_pdf("Page two: Priya Okoro told the nurse."),
    }
    for name, data in files.items():
        (inputs / name).write_bytes(data)
    (tmp / "decisions.json").write_text(json.dumps(DECISIONS))
    result = _run(tmp, tmp / "decisions.json", *(inputs / n for n in files))
    return tmp, result, json.loads((tmp / "report.json").read_text())


def test_exit_zero_and_each_unmatched_decision_named_on_stderr(run):
    _, result, _ = run
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "decisions.json" in line]
    assert len(lines) == 2
    assert any("redact entry 2: matched nothing in any file" in line for line in lines)
    assert any("withhold_pages entry 2: no input file is called missing.pdf" in line
               for line in lines)  # fmt: skip
    assert "Bazza" not in result.stderr  # the decision's text is not logged


def test_outputs_follow_the_decisions(run):
    tmp, _, _ = run
    note = (tmp / "out" / "note.txt").read_text()
    assert THIRD in note and "Voss" not in note and "VOSS" not in note
    assert "Quentin Marsh" not in pdftotext((tmp / "out" / "letter.pdf").read_bytes())
    record = pdftotext((tmp / "out" / "record.pdf").read_bytes())
    assert "Priya" not in record and "Withheld: serious harm" in record


def test_report_lists_each_decision_applied_with_its_place_and_each_unmatched(run):
    _, _, report = run
    by_file = {Path(e["file"]).name: e for e in report["files"]}
    note = by_file["note.txt"]
    kinds = sorted(d["kind"] for d in note["decisions_applied"])
    assert kinds == ["keep", "redact"]
    keep = next(d for d in note["decisions_applied"] if d["kind"] == "keep")
    assert keep["decision"]["id"] == "k1" and keep["note"] == "kept: consent given"
    assert keep["places"][0]["text"] == THIRD and keep["places"][0]["offset"] == NOTE.index(THIRD)
    redact = next(d for d in note["decisions_applied"] if d["kind"] == "redact")
    assert [p["offset"] for p in redact["places"]] == [NOTE.index(MISSED), NOTE.index("KESTREL")]
    assert note["kept"][0]["action"] == "keep"
    letter = by_file["letter.pdf"]["decisions_applied"]
    assert [(d["kind"], d["places"][0]["page"]) for d in letter] == [("box", 1)]
    assert letter[0]["places"][0]["rect"] == [60.0, 180.0, 320.0, 260.0]
    record = by_file["record.pdf"]["decisions_applied"]
    assert [(d["kind"], d["places"][0]["page"]) for d in record] == [("withhold-page", 2)]
    # the run: a flat list of what applied, and what matched nothing anywhere
    assert len(report["decisions_applied"]) == 4
    unmatched = {(d["kind"], d["note"]) for d in report["decisions_unmatched"]}
    assert unmatched == {
        ("redact", "matched nothing in any file (see each file's decisions_unmatched)"),
        ("withhold-page", "no input file is called missing.pdf"),
    }


def test_the_cli_and_redact_document_give_byte_identical_output(run, cast_detector):
    tmp, _, _ = run
    decisions = Decisions.from_json(DECISIONS)
    direct = redact_document(NOTE.encode(), "note.txt", cast_detector, decisions=decisions)
    assert (tmp / "out" / "note.txt").read_bytes() == direct.content
    letter = redact_document(boxed_pdf(), "letter.pdf", cast_detector, decisions=decisions)
    assert pdftotext((tmp / "out" / "letter.pdf").read_bytes()) == pdftotext(letter.content)


def test_bad_decisions_are_a_usage_error_naming_the_entry(tmp_path):
    _write_people(tmp_path)
    note = tmp_path / "note.txt"
    note.write_text(NOTE)
    bad = tmp_path / "decisions.json"
    bad.write_text(json.dumps({"boxes": [{"file": "a.pdf", "page": 0, "rect": [0, 0, 1, 1]}]}))
    result = _run(tmp_path, bad, note)
    assert result.returncode == 2
    assert "boxes entry 1: 'page' must be a whole number from 1" in result.stderr
    assert not (tmp_path / "out" / "note.txt").exists()  # nothing ran
    bad.write_text("{not json")
    assert "is not valid JSON" in _run(tmp_path, bad, note).stderr
