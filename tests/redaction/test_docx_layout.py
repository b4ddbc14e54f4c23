"""Word documents laid out by LibreOffice: tables as tables, still true removal (rule 18).

The redacted DOCX is laid out by Debian's LibreOffice (headless), then redacted again as a
PDF and leak-checked. Both directions are checked on the laid-out PDF: the third party is
gone from every place a tool can read (cells, header, comment, tracked deletion, metadata),
and the pupil's own data (their row in the table, a comment about them) is still there.
Where LibreOffice is absent or fails, today's plain rendering is used and the warnings say so.
Under CI=true a missing soffice, pdftoppm or pdftotext fails these tests instead of skipping.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import time
from pathlib import Path

import docx
import pymupdf
import pytest
from docfactory import ROSTER, SUBJECT, THIRD, flat, pdf_text_everywhere
from PIL import Image
from support.debian import need

from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.formats import office
from pupil_privacy.worker.pack.layout import PackDocument, PackInfo, build_pack


def _tool(name: str) -> str:
    """A Debian tool's path (soffice as the product finds it); missing, it fails under CI."""
    return need(name, office.soffice() if name == "soffice" else None)


def incident_log() -> bytes:
    """A behaviour log as schools keep them: a bordered table, the third party in a cell,
    a header and a comment; the pupil's own row and a comment about the pupil."""
    document = docx.Document()
    document.core_properties.author = THIRD
    document.add_heading("Behaviour log: Amelia Okafor", level=1)
    table = document.add_table(rows=3, cols=3, style="Table Grid")
    rows = [
        ("Pupil", "Date", "Incident"),
        ("Amelia Okafor", "03/02/2026", "Late to registration"),
        (THIRD, "04/02/2026", f"{THIRD} pushed Amelia at break"),
    ]
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    document.sections[0].header.paragraphs[0].text = f"Written up with {THIRD}"
    note = document.add_paragraph("Parents informed.")
    document.add_comment(note.runs[0], text="Amelia settled well after lunch", author="HP")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def real(make_detector):
    return make_detector(SUBJECT, ROSTER)


@pytest.fixture(scope="module")
def laid_out(real):
    _tool("soffice")
    return redact_document(incident_log(), "log.docx", real, as_pdf=True)


def _layout_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(
        [_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, check=True
    )
    return run.stdout.decode()


def test_layout_choice_is_in_the_warnings(laid_out):
    assert office.LAID_OUT in laid_out.warnings
    assert laid_out.media_type == "application/pdf"


def test_third_party_gone_everywhere_and_pupil_kept(laid_out):
    everything = flat(pdf_text_everywhere(laid_out.content))
    assert "Whitfield" not in everything and "Jake" not in everything
    text = flat("".join(page.get_text() for page in pymupdf.open(stream=laid_out.content)))
    assert "Amelia Okafor" in text
    assert "Late to registration" in text
    assert "pushed Amelia at break" in text  # the rest of the third party's cell stays
    assert "Amelia settled well after lunch" in text  # comments follow the document


def test_table_cells_are_in_columns_not_pipes(laid_out, tmp_path):
    text = _layout_text(laid_out.content, tmp_path)
    assert "|" not in text
    assert re.search(r"^\s*Pupil\s{2,}Date\s{2,}Incident\s*$", text, re.M), text
    header = next(line for line in text.splitlines() if "Incident" in line)
    row = next(line for line in text.splitlines() if "Late to registration" in line)
    # each cell of the pupil's row starts where its column does
    assert row.index("03/02/2026") == header.index("Date")
    assert row.index("Late to registration") == header.index("Incident")


def _vertical_rules(png: Path) -> int:
    """Columns of pixels dark for 30+ pixels running (a text line is ~12 at 100 dpi): a
    table's vertical borders."""
    with Image.open(png) as image:
        page = image.convert("L")
    pixels, width = page.tobytes(), page.width
    dark_columns = 0
    for x in range(width):
        column = pixels[x::width]
        runs = re.findall(rb"[\x00-\x7f]{30,}", column)
        dark_columns += bool(runs)
    return dark_columns


def test_pack_page_rendered_with_pdftoppm_shows_the_table_grid(laid_out, tmp_path):
    pack = build_pack(
        PackInfo("SAR-1", "Oak School", "Amelia Okafor", dt.date(2026, 3, 1), [("Hello", "x")]),
        [
            PackDocument(
                "Behaviour log", "behaviour", "done", load=lambda: laid_out.content, ref="1"
            )
        ],
    )
    page = pack.placements[0].first_page
    (tmp_path / "pack.pdf").write_bytes(pack.data)
    subprocess.run(
        [_tool("pdftoppm"), "-r", "100", "-gray", "-png", "-f", str(page), "-l", str(page)]
        + [str(tmp_path / "pack.pdf"), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    assert _vertical_rules(png) >= 4  # three columns: four vertical borders
    assert "|" not in pymupdf.open(stream=pack.data)[page - 1].get_text()


def test_without_libreoffice_the_plain_rendering_is_used_and_said(real, monkeypatch):
    monkeypatch.setenv(office.SOFFICE_ENV, "")
    result = redact_document(incident_log(), "log.docx", real, as_pdf=True)
    assert office.ABSENT in result.warnings
    text = flat(pdf_text_everywhere(result.content))
    assert "Whitfield" not in text
    assert "Amelia Okafor | 03/02/2026 | Late to registration" in text


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


def test_a_hanging_libreoffice_is_killed_and_the_document_still_rendered(
    real, monkeypatch, tmp_path
):
    pid_file = tmp_path / "child.pid"
    script = _fake_soffice(tmp_path, f"sleep 300 & echo $! > {pid_file}; wait")
    monkeypatch.setenv(office.SOFFICE_ENV, str(script))
    monkeypatch.setattr(office, "TIMEOUT", 2.0)
    result = redact_document(incident_log(), "log.docx", real, as_pdf=True)
    assert office.failed_warning("LibreOffice took longer than 2 s") in result.warnings
    assert "Late to registration" in flat(pdf_text_everywhere(result.content))
    assert _gone(int(pid_file.read_text()))  # the whole group went, not just the shell


def _gone(pid: int) -> bool:
    """The process has exited (a zombie waiting for init to reap it counts as gone)."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def test_a_failing_libreoffice_is_named_in_the_warnings(real, monkeypatch, tmp_path):
    script = _fake_soffice(tmp_path, "echo 'Error: source file could not be loaded'; exit 1")
    monkeypatch.setenv(office.SOFFICE_ENV, str(script))
    result = redact_document(incident_log(), "log.docx", real, as_pdf=True)
    assert (
        office.failed_warning(
            "LibreOffice exited with code 1: Error: source file could not be loaded"
        )
        in result.warnings
    )
    assert "Whitfield" not in flat(pdf_text_everywhere(result.content))
