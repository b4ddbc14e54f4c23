"""``pupil-privacy redact`` run as a real console script on real files (issue 3 contract)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pymupdf
import pytest
from docfactory import (
    docx_with_hidden_places,
    docx_xml_text,
    eml_with_attachments,
    flat,
    pdf_text_everywhere,
    pdf_with_hidden_places,
)

SCRIPT = Path(sys.executable).with_name("pupil-privacy")
SUBJECT = {
    "id": "p1",
    "name": "Amelia Okafor",
    "preferred_name": "Millie",
    "date_of_birth": "14/05/2013",  # dd/mm/yyyy is accepted as well as ISO
    "upn": "A123456789012",
    "requester": {"name": "Grace Okafor", "relationship": "mother",
                  "email": "grace.okafor@example.org"},
}  # fmt: skip
ROSTER = [
    {"name": "Amelia Okafor", "role": "pupil", "upn": "A123456789012",
     "date_of_birth": "2013-05-14"},
    {"name": "Jake Whitfield", "role": "pupil", "email": "jake.whitfield@example.com",
     "phone": "07700 900123"},
    {"name": "Helen Price", "role": "staff", "email": "h.price@school.example"},
    {"name": "Grace Okafor", "role": "parent"},
]  # fmt: skip


def _run(tmp_path: Path, files: list[Path], *extra: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "subject.json").write_text(json.dumps(SUBJECT))
    (tmp_path / "roster.json").write_text(json.dumps(ROSTER))
    return subprocess.run(
        [str(SCRIPT), "redact", "--subject", str(tmp_path / "subject.json"),
         "--roster", str(tmp_path / "roster.json"), "--out", str(tmp_path / "out"),
         "--report", str(tmp_path / "report.json"), *extra, *map(str, files)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    inputs = tmp / "in"
    inputs.mkdir()
    files = {
        "note.pdf": pdf_with_hidden_places(),
        "note.docx": docx_with_hidden_places(),
        "mail.eml": eml_with_attachments(),
        "broken.pdf": b"%PDF-1.7\nthis is not a real PDF",
        "story.md": b"# Note\nAmelia Okafor sat with Jake Whitfield (07700 900123).\n",
    }
    paths = []
    for name, data in files.items():
        (inputs / name).write_bytes(data)
        paths.append(inputs / name)
    (tmp / "out").mkdir()
    (tmp / "out" / "broken.pdf").write_bytes(b"stale output of an earlier run")
    return tmp, _run(tmp, paths)


def test_exit_status_and_one_clear_line_per_failing_file(run):
    tmp, result = run
    assert result.returncode == 1
    failing = [line for line in result.stderr.splitlines() if "warning:" not in line]
    assert failing == [f"{tmp / 'in' / 'broken.pdf'}: broken.pdf is damaged and cannot be "
                       "read as a PDF"]  # fmt: skip


def test_one_output_per_good_file_same_stem_and_no_partial_files(run):
    tmp, _ = run
    names = sorted(p.name for p in (tmp / "out").iterdir())
    assert names == ["mail.eml", "note.docx", "note.pdf", "story.md"]  # stale broken.pdf gone


def test_outputs_hold_no_third_party_and_keep_own_data(run):
    tmp, _ = run
    out = tmp / "out"
    pdf_text = flat(pdf_text_everywhere((out / "note.pdf").read_bytes()))
    docx_text = docx_xml_text((out / "note.docx").read_bytes())
    eml_text = (out / "mail.eml").read_text()
    md_text = (out / "story.md").read_text()
    for text in (pdf_text, docx_text, eml_text, md_text):
        assert "Whitfield" not in text
        assert "Amelia Okafor" in text
    assert "900123" not in md_text
    assert pymupdf.open(out / "note.pdf").page_count == 1
    assert docx.Document(str(out / "note.docx")).paragraphs


def test_report_lists_every_redaction_and_status(run):
    tmp, _ = run
    report = json.loads((tmp / "report.json").read_text())
    status = {Path(f["file"]).name: f["status"] for f in report["files"]}
    assert status == {"note.pdf": "ok", "note.docx": "ok", "mail.eml": "ok",
                      "broken.pdf": "failed", "story.md": "ok"}  # fmt: skip
    broken = next(f for f in report["files"] if f["file"].endswith("broken.pdf"))
    assert broken["error"] == "corrupt" and broken["output"] is None
    row = next(r for r in report["redactions"] if r["file"] == "note.pdf")
    assert set(row) == {"file", "page", "offset", "text", "entity_type", "reason", "detector",
                        "score", "action", "box", "frames"}  # fmt: skip
    assert row["box"] is None and row["frames"] is None  # a face's box and frames only
    assert row["page"] == 1 and row["reason"].startswith("rule-")
    assert sum(len(f["redactions"]) for f in report["files"]) == len(report["redactions"])
    assert isinstance(report["ocr_available"], bool)


def test_all_good_files_exit_zero_with_strict_policy(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Mrs Price met Amelia Okafor and Jake Whitfield.\n")
    result = _run(tmp_path, [story], "--policy", "strict")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "out" / "story.txt").read_text()
    assert "Whitfield" not in text and "Amelia Okafor" in text
    assert "Price" not in text  # strict: staff names go too


def test_bad_subject_file_is_a_clear_error(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("x")
    (tmp_path / "subject.json").write_text("{not json")
    result = subprocess.run(
        [str(SCRIPT), "redact", "--subject", str(tmp_path / "subject.json"), "--roster",
         str(tmp_path / "subject.json"), "--out", str(tmp_path / "out"), str(story)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr and "Traceback" not in result.stderr
