"""Documents and readers for the review-decision tests (issue 8).

The cast is docfactory's: the pupil Amelia Okafor, the other pupil Jake Whitfield (on the
roster, so detection always removes him). ``MISSED`` is a name detection is not relied on
to find: what the reviewer redacts by search. Every reader here reads the output the way
a person or a tool would (PyMuPDF, poppler's ``pdftotext``, ``qpdf --qdf`` raw streams).
"""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import docx
import pymupdf
from PIL import Image
from support.debian import need

MISSED = "Kestrel Voss"
SIGNATURE = "Quentin Marsh"
BOX = (60.0, 180.0, 320.0, 260.0)  # points from the top-left of page 1
RED = (220, 30, 30)


def pdftotext(data: bytes) -> str:
    """What poppler's pdftotext reads from a PDF (every page, layout ignored)."""
    exe = need("pdftotext")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.pdf"
        source.write_bytes(data)
        out = subprocess.run(
            [exe, "-enc", "UTF-8", str(source), "-"], capture_output=True, check=True, timeout=60
        )
    return out.stdout.decode("utf-8")


def qdf(data: bytes) -> bytes:
    """The PDF rewritten by ``qpdf --qdf``: every stream uncompressed, objects unpacked,
    so a string in a content stream or dictionary is plain bytes."""
    exe = need("qpdf")
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out.pdf"
        source.write_bytes(data)
        done = subprocess.run(
            [exe, "--qdf", "--object-streams=disable", str(source), str(target)],
            capture_output=True,
            check=False,
            timeout=60,
        )
        assert done.returncode in (0, 3), done.stderr  # 3: warnings only
        return target.read_bytes()


def pymupdf_text(data: bytes) -> str:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


def page_texts(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


def png(size: tuple[int, int], colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def hyphenated_pdf() -> bytes:
    """The missed name twice: once broken over two lines at a hyphen ("Kes-" / "trel Voss"),
    once in capitals; the pupil and the roster's third party on the same page."""
    doc = pymupdf.open()
    page = doc.new_page()
    lines = [
        "Behaviour note for Amelia Okafor (UPN A123456789012).",
        "At lunch Amelia was seen at the gate with Kes-",
        "trel Voss, who is not on the school roll.",
        "Jake Whitfield saw it too. Later KESTREL VOSS came back.",
    ]
    for n, line in enumerate(lines):
        page.insert_text((72, 72 + 14 * n), line, fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


def boxed_pdf() -> bytes:
    """Page 1: a signature line and a drawn stroke inside :data:`BOX`, a picture half
    inside it, and text outside it; page 2: more text."""
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 72), "Letter about Amelia Okafor (UPN A123456789012).", fontsize=11)
    page.insert_text((72, 100), "Outside the box this line stays.", fontsize=11)
    page.insert_text((72, 200), f"Signed: {SIGNATURE}", fontsize=11)
    # a picture half under the box (x 250-320 of 250-400): its left part must be blanked
    page.insert_image(pymupdf.Rect(250, 190, 400, 250), stream=png((150, 60), RED))
    shape = page.new_shape()
    shape.draw_bezier((80, 240), (120, 210), (160, 250), (220, 215))  # a scrawled signature
    shape.finish(color=(0, 0, 1), width=2)
    shape.commit()
    page.insert_text((72, 400), "Below the box this line stays as well.", fontsize=11)
    second = doc.new_page()
    second.insert_text((72, 72), "Page two of the letter about Amelia Okafor.", fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


def three_page_pdf(secret: str) -> bytes:
    """Three pages; page 2 holds ``secret`` in text and a picture (to be withheld)."""
    doc = pymupdf.open()
    for n in (1, 2, 3):
        page = doc.new_page()
        page.insert_text((72, 72), f"Page {n} of the record of Amelia Okafor.", fontsize=11)
        if n == 2:
            page.insert_text((72, 100), secret, fontsize=11)
            page.insert_image(pymupdf.Rect(72, 200, 272, 300), stream=png((50, 25), RED))
    data = doc.tobytes()
    doc.close()
    return data


def split_runs_docx() -> bytes:
    """The missed name split over three formatting runs; the roster's third party too."""
    document = docx.Document()
    document.add_paragraph("Behaviour note for Amelia Okafor (UPN A123456789012).")
    para = document.add_paragraph("Amelia was seen with ")
    para.add_run("Kes").bold = True
    para.add_run("trel Vo")
    para.add_run("ss").italic = True
    para.add_run(" at the gate; Jake Whitfield saw it.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
