"""``pupil-privacy pack``: a DPO builds a pack from files with no MIS and no Redis (issue 4).
Exit 0 when every file is in; 1 when some could not be processed (listed in the pack and on
stderr); 3, with nothing written, when a file fails the leak check (rule 18)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import docx
import pymupdf
import pytest
from pp_worker_app import OTHER_PARENT, OTHER_PUPIL, LiteralRedactor, pdf_bytes

from pupil_privacy.redaction.errors import LeakCheckFailed
from pupil_privacy.redaction.formats import office
from pupil_privacy.worker.cli import build_parser, main
from pupil_privacy.worker.packcli import run_pack

SUBJECT = {
    "id": "P1",
    "name": "Amelia Hart",
    "date_of_birth": "2015-04-02",
    "requester": {"name": "Claire Hart", "relationship": "mother"},
}
ROSTER = {
    "people": [
        {"name": "Amelia Hart", "role": "pupil", "id": "P1"},
        {"name": "Claire Hart", "role": "parent"},
        {"name": OTHER_PUPIL, "role": "pupil"},
        {"name": OTHER_PARENT, "role": "parent", "email": "dean.baxter@example.com"},
        {"name": "Priya Patel", "role": "staff"},
    ]
}


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "subject.json").write_text(json.dumps(SUBJECT))
    (tmp_path / "roster.json").write_text(json.dumps(ROSTER))
    (tmp_path / "trip letter.pdf").write_bytes(
        pdf_bytes(f"Amelia Hart may join the trip. {OTHER_PARENT} will drive the minibus.")
    )
    (tmp_path / f"note about {OTHER_PUPIL}.txt").write_text(
        f"Amelia Hart and {OTHER_PUPIL} argued at lunch. Priya Patel spoke to both pupils.\n"
    )
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7 not really a pdf")
    return {
        "subject": tmp_path / "subject.json",
        "roster": tmp_path / "roster.json",
        "letter": tmp_path / "trip letter.pdf",
        "note": tmp_path / f"note about {OTHER_PUPIL}.txt",
        "broken": tmp_path / "broken.pdf",
        "out": tmp_path / "out" / "PACK.pdf",
        "export": tmp_path / "out" / "EXPORT.json",
    }


def argv(inputs: dict[str, Path], *files: str) -> list[str]:
    return [
        "pack",
        "--subject",
        str(inputs["subject"]),
        "--roster",
        str(inputs["roster"]),
        "--out",
        str(inputs["out"]),
        "--export",
        str(inputs["export"]),
        "--reference",
        "SAR-OFF-1",
        "--school",
        "Fenland Primary School",
        *(str(inputs[f]) for f in files),
    ]


def pdf_text(path: Path) -> tuple[str, list[Any]]:
    with pymupdf.open(path) as doc:
        return "".join(doc[i].get_text() for i in range(doc.page_count)), doc.get_toc()


def test_offline_pack_with_real_redaction(inputs, analyzer, capsys):
    assert main(argv(inputs, "letter", "note")) == 0
    text, toc = pdf_text(inputs["out"])
    assert "Amelia Hart may join the trip" in text and "Priya Patel" in text
    for gone in (OTHER_PUPIL, OTHER_PARENT):
        assert gone not in text  # nor in the title taken from the file name
        assert all(gone not in entry[1] for entry in toc)
    assert "SAR-OFF-1" in text and "Page 1 of" in text
    export = json.loads(inputs["export"].read_text())
    assert [r["status"] for r in export["records"]] == ["included", "included"]
    assert OTHER_PUPIL not in json.dumps(export)
    assert "wrote" in capsys.readouterr().out


def test_a_word_documents_layout_is_in_the_warnings(inputs, analyzer, capsys, monkeypatch):
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Amelia Hart", "Reading age 9"
    path = inputs["out"].parent.parent / "reading.docx"
    document.save(path)
    monkeypatch.setenv(office.SOFFICE_ENV, "")  # the fallback: no LibreOffice needed here
    assert main([*argv(inputs), str(path)]) == 0
    assert f"warning: {path}: {office.ABSENT}" in capsys.readouterr().err
    text, _ = pdf_text(inputs["out"])
    assert "Amelia Hart | Reading age 9" in text  # today's rendering, as the warning says


def test_files_that_cannot_be_processed_are_listed_and_exit_1(inputs, capsys):
    args = build_parser().parse_args(argv(inputs, "letter", "broken"))
    assert run_pack(args, redactor=LiteralRedactor()) == 1
    err = capsys.readouterr().err
    assert f"could not be processed: {inputs['broken']}" in err
    text, _ = pdf_text(inputs["out"])
    assert "broken" in text and "could not be processed: the file is damaged" in " ".join(
        text.split()
    )


class Refuses(LiteralRedactor):
    def redact(self, data: bytes, filename: str, detector: Any, **kw: Any) -> Any:
        if filename.endswith(".txt"):
            raise LeakCheckFailed(f"{filename}: a known third party's name is still present")
        return super().redact(data, filename, detector, **kw)


class Leaks(LiteralRedactor):
    """Skips removal for text files, and with it the per-file leak check."""

    def redact(self, data: bytes, filename: str, detector: Any, **kw: Any) -> Any:
        result = super().redact(data, filename, detector, **kw)
        if filename.endswith(".txt"):
            result.content = pdf_bytes(data.decode())
        return result


@pytest.mark.parametrize("redactor", [Refuses(), Leaks()], ids=["per-file", "assembled"])
def test_a_leak_writes_nothing_and_names_the_file(inputs, capsys, redactor):
    inputs["out"].parent.mkdir()
    inputs["out"].write_bytes(b"an older pack")
    args = build_parser().parse_args(argv(inputs, "letter", "note"))
    assert run_pack(args, redactor=redactor) == 3
    err = capsys.readouterr().err
    assert "no pack written" in err and str(inputs["note"]) in err
    assert OTHER_PUPIL not in err.replace(str(inputs["note"]), "")  # never the data itself
    assert inputs["out"].read_bytes() == b"an older pack"  # untouched, no partial pack
    assert not inputs["export"].exists()
    assert not list(inputs["out"].parent.glob("*.part"))


def test_bad_input_is_a_clear_error(inputs, capsys):
    inputs["roster"].write_text("{not json")
    assert main(argv(inputs, "letter")) == 2
    assert "roster" in capsys.readouterr().err
