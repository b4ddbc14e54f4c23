"""Corpus documents as PDFs, with personal data planted in the places a reader never sees.

Used by ``make eval`` (hidden-place leaks, x-ray) and ``make bench`` (the 300-page file).
Hidden places (rule 18): document metadata and XMP, a sticky-note annotation, an outline
entry, an embedded file, a form field. Each gets third-party identifiers from the same
document, so a leak is a planted string that survives redaction.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pymupdf
from corpus import THIRD_PARTY, Doc, Owner

XRAY_PACKAGE = "x-ray==0.4.0"
_FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
)
PAGE = pymupdf.paper_rect("a4")
MARGIN = 56


@dataclass(frozen=True)
class Planted:
    """What went into a PDF's hidden places: third-party strings that must not survive."""

    doc_id: str
    strings: tuple[str, ...]


def _font() -> tuple[str, str | None]:
    """A Unicode TrueType font when the machine has one (Polish and Irish names need it)."""
    for path in _FONT_FILES:
        if Path(path).exists():
            return "body", path
    return "helv", None


def write_pages(pdf: pymupdf.Document, pages: Sequence[str], header: str = "",
                footer: str = "") -> None:  # fmt: skip
    """Append one A4 page per text, with an optional running header and footer."""
    name, path = _font()
    for number, text in enumerate(pages, start=1):
        page = pdf.new_page(width=PAGE.width, height=PAGE.height)
        if path:
            page.insert_font(fontname=name, fontfile=path)
        if header:
            page.insert_text((MARGIN, 36), header, fontname=name, fontsize=8)
        if footer:
            foot = footer.replace("{page}", str(number)).replace("{pages}", str(len(pages)))
            page.insert_text((MARGIN, PAGE.height - 28), foot, fontname=name, fontsize=8)
        box = pymupdf.Rect(MARGIN, 56, PAGE.width - MARGIN, PAGE.height - 48)
        size = 10.0
        while page.insert_textbox(box, text, fontname=name, fontsize=size) < 0 and size > 5:
            # Did not fit: PyMuPDF wrote nothing, so try smaller type.
            size -= 1


def _third_party_strings(doc: Doc) -> list[str]:
    seen: dict[str, None] = {}
    for span in doc.spans:
        if span.owner in THIRD_PARTY and span.kind.split(":")[0] in (
            "full-name", "title-full-name", "phone", "email", "address", "nhs-number",
            "split-name",
        ):  # fmt: skip
            seen[" ".join(span.text.split())] = None
    return list(seen)


def render_with_hidden_places(doc: Doc) -> tuple[bytes, Planted]:
    """The document as a one-page PDF plus third-party data in every hidden place."""
    strings = _third_party_strings(doc) or ["Harriet Quayle-Nobody"]
    pick = [strings[i % len(strings)] for i in range(6)]
    pdf = pymupdf.open()
    write_pages(pdf, [doc.text])
    pdf.set_metadata({"author": pick[0], "title": f"{doc.kind} record",
                      "subject": f"Concerning {pick[1]}", "keywords": pick[2],
                      "creator": "Oakfield MIS"})  # fmt: skip
    pdf.set_xml_metadata(
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>{pick[3]}</dc:creator>'
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    page = pdf[0]
    annot = page.add_text_annot((PAGE.width - 40, 60), f"Spoke to {pick[4]} about this.")
    annot.set_info(title=pick[0])
    annot.update()
    pdf.set_toc([[1, f"Incident involving {pick[1]}", 1]])
    pdf.embfile_add("contact-notes.txt", f"Contact: {pick[5]}\n".encode(), desc=pick[2])
    widget = pymupdf.Widget()
    widget.field_name = "other_adult"
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT  # type: ignore[attr-defined]
    widget.field_value = pick[3]
    widget.rect = pymupdf.Rect(MARGIN, PAGE.height - 80, MARGIN + 200, PAGE.height - 62)
    page.add_widget(widget)
    data = pdf.tobytes(garbage=3, deflate=True)
    return data, Planted(doc.doc_id, tuple(dict.fromkeys(pick)))


def hidden_text(data: bytes) -> str:
    """Every string a PDF keeps outside its page content, joined for searching."""
    pdf = pymupdf.open(stream=data, filetype="pdf")
    parts: list[str] = [str(v) for v in (pdf.metadata or {}).values() if v]
    parts.append(pdf.get_xml_metadata() or "")
    parts += [entry[1] for entry in pdf.get_toc(simple=True)]
    for name in pdf.embfile_names():
        info = pdf.embfile_info(name)
        parts += [name, str(info.get("desc", "")), str(info.get("filename", ""))]
        parts.append(pdf.embfile_get(name).decode("utf-8", "replace"))
    for page in pdf.pages():
        for annot in page.annots() or []:
            parts += [str(v) for v in annot.info.values() if v]
        for widget in page.widgets() or []:
            parts += [str(widget.field_value or ""), str(widget.field_name or "")]
        parts += [str(link.get("uri", "")) for link in page.get_links()]
    parts += [str(layer.get("name", "")) for layer in (pdf.layer_ui_configs() or [])]
    return _norm(" ".join(parts))


def page_text(data: bytes) -> str:
    pdf = pymupdf.open(stream=data, filetype="pdf")
    return _norm(" ".join(page.get_text() for page in pdf.pages()))


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def leaks(data: bytes, planted: Planted) -> list[str]:
    """Planted third-party strings still readable in the output's hidden places."""
    hidden = hidden_text(data)
    return [s for s in planted.strings if _norm(s) in hidden]


def page_leaks(data: bytes, doc: Doc) -> list[str]:
    """The document's third-party names and contact details still in its page text."""
    text = page_text(data)
    return [s for s in _third_party_strings(doc) if _norm(s) in text]


def kept_on_page(data: bytes, doc: Doc) -> tuple[int, int]:
    """How many of the pupil's full-name mentions are still in the page text."""
    text = page_text(data)
    wanted = [s.text for s in doc.spans if s.owner == Owner.SUBJECT and s.kind == "full-name"]
    return sum(_norm(w) in text for w in wanted), len(wanted)


def badly_covered_control() -> bytes:
    """A PDF with a black box drawn over text and nothing removed: x-ray must flag it."""
    pdf = pymupdf.open()
    write_pages(pdf, ["\n\nThe neighbour Szymon Woźniak phoned on 07700 900123 about it."])
    page = pdf[0]
    for rect in page.search_for("Szymon Woźniak"):
        page.draw_rect(rect, color=(0, 0, 0), fill=(0, 0, 0))
    return pdf.tobytes()


# --- x-ray, in its own venv -----------------------------------------------------------------
_XRAY_RUNNER = """
import asyncio, json, sys, xray
out = {}
for path in sys.argv[1:]:
    out[path] = asyncio.run(xray.inspect(path)) if asyncio.iscoroutinefunction(xray.inspect) \\
        else xray.inspect(path)
print(json.dumps(out))
"""


def xray_python(work: Path) -> Path:
    """A venv with x-ray, made once under ``work``.

    Every x-ray release pins an exact PyMuPDF (0.4.0: ``PyMuPDF==1.24.14``) that our range
    (>=1.26) excludes, so it cannot share our venv or sit in the ``test`` extra.
    """
    venv = work / "xray-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", XRAY_PACKAGE], check=True)
    return python


def run_xray(python: Path, paths: Sequence[Path]) -> dict[str, dict[str, list[dict[str, object]]]]:
    """x-ray's bad redactions per file: {path: {page: [{"bbox", "text"}]}}."""
    if not paths:
        return {}
    cmd = [str(python), "-c", _XRAY_RUNNER, *map(str, paths)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"x-ray failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    result: dict[str, dict[str, list[dict[str, object]]]] = json.loads(proc.stdout)
    return result


def count_xray(found: dict[str, list[dict[str, object]]]) -> int:
    return sum(len(items) for items in found.values())


def safe_name(doc_id: str) -> str:
    return re.sub(r"[^\w.-]", "_", doc_id)


def main() -> None:  # a quick look at one rendered document
    import corpus

    doc = corpus.generate(1)[0]
    data, planted = render_with_hidden_places(doc)
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus-sample.pdf")
    out.write_bytes(data)
    print(out, planted.strings, leaks(data, planted))


if __name__ == "__main__":
    main()
