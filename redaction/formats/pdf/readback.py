"""An output PDF read back for the leak check: every place a reader or a tool could find text
in (pages, with OCR of scanned ones; notes, fields and links; metadata; outline; embedded file
names) and the strings of every object, named so that a finding can be traced to its page.
"""

from __future__ import annotations

import re

import pymupdf

from ...report import DEFAULT_LABEL
from ..image import Layout, ocr_available
from .reading import MUPDF_ERRORS, block_texts, open_pdf
from .units import ocr_dpi, ocr_page, scanned

_UTF16_HEX = re.compile(r"<FEFF((?:[0-9A-Fa-f]{4})+)>")
_LITERAL = re.compile(rb"\((?:\\.|[^\\()])*\)")  # a PDF literal string: (Jake \(Jay\))

# How readback names a page's text ("page 3", 1-based) and its links and notes.
_PAGE_PLACE = re.compile(r"page (\d+)")
_LINKS_PLACE = re.compile(r"page (\d+) annotations/fields/links")


def readback(
    data: bytes, filename: str, label: str = DEFAULT_LABEL
) -> tuple[list[tuple[str, str]], bytes]:
    """Every place of an output PDF a reader or a tool could find text in, for the leak check.

    :param label: the words on our redaction boxes (they do not make a scan a text page).

    :returns: ``(where, text)`` pairs and the text of every object dictionary (strings
        such as titles, authors, field values, file names) plus XMP streams.
    """
    doc = open_pdf(data, filename)
    places: list[tuple[str, str]] = []
    ocr = ocr_available()
    try:
        for page in doc.pages():
            where = f"page {page.number + 1}"
            texts = block_texts(page)
            if ocr and scanned(page, [Layout(t) for t in texts], label):
                texts = [ocr_page(page, ocr_dpi(page)).text]
            places.extend((where, text) for text in texts)
            notes = [" ".join(str(v) for v in a.info.values()) for a in page.annots()]
            notes += [f"{w.field_name} {w.field_value}" for w in page.widgets()]
            notes += [str(link.get("uri") or link.get("file") or "") for link in page.get_links()]
            if any(n.strip() for n in notes):
                places.append((f"{where} annotations/fields/links", "\n".join(notes)))
        meta = " ".join(v for v in (doc.metadata or {}).values() if v)
        places.append(("metadata", f"{meta}\n{doc.get_xml_metadata()}"))
        places.append(("outline", "\n".join(e[1] for e in doc.get_toc(simple=True))))
        names = [doc.embfile_info(n) for n in doc.embfile_names()]
        places.append(
            ("embedded file names", "\n".join(f"{i['name']} {i['filename']}" for i in names))
        )
        expanded = object_strings(doc)
    finally:
        doc.close()
    return [p for p in places if p[1].strip()], expanded


def place_page(where: str, *, links: bool = False) -> int | None:
    """The 0-based page index of a :func:`readback` place that is a page's text (or, with
    ``links``, its annotations, fields and links), else ``None``."""
    match = (_LINKS_PLACE if links else _PAGE_PLACE).fullmatch(where)
    return int(match.group(1)) - 1 if match else None


def object_strings(doc: pymupdf.Document) -> bytes:
    """Every object's dictionary, every XML metadata stream, as one blob.

    Of page content streams and form XObjects only the literal strings ``(...)`` are
    taken (their operators' numbers would be slow and meaningless to search): text that
    MuPDF does not extract, such as text under a degenerate matrix (``702 0 0 0 0 0 Tm``,
    a damaged ``/Matrix``; both found by fuzzing), is invisible to a reader but not to a
    tool. Fonts and images hold no strings a reader sees.
    """
    parts: list[bytes] = []
    contents = _content_xrefs(doc)
    for xref in range(1, doc.xref_length()):
        try:
            source = doc.xref_object(xref, compressed=True)
            parts.append(source.encode("latin-1", "replace"))
            for hexa in _UTF16_HEX.findall(source):  # <FEFF...>: UTF-16 text strings
                parts.append(bytes.fromhex(hexa).decode("utf-16-be", "replace").encode())
            kind = doc.xref_get_key(xref, "Type")[1]
            # Embedded files too: one that escaped removal must fail the check, not pass.
            if kind in ("/Metadata", "/EmbeddedFile") and doc.xref_is_stream(xref):
                parts.append(doc.xref_stream(xref) or b"")
            elif doc.xref_get_key(xref, "Filter")[1] == "/DCTDecode":
                parts.append(_jpeg_header(doc.xref_stream_raw(xref)))
            elif xref in contents or (
                doc.xref_get_key(xref, "Subtype")[1] == "/Form" and doc.xref_is_stream(xref)
            ):
                parts += _LITERAL.findall(doc.xref_stream(xref) or b"")
        except MUPDF_ERRORS:
            continue
    return b"\n".join(parts)


def _content_xrefs(doc: pymupdf.Document) -> set[int]:
    found: set[int] = set()
    for page in doc.pages():
        try:
            found.update(page.get_contents())
        except MUPDF_ERRORS:
            continue
    return found


def _jpeg_header(data: bytes) -> bytes:
    """A JPEG's segments before its pixels: where EXIF, XMP and IPTC text would be."""
    scan = data.find(b"\xff\xda")
    return data[: scan if scan > 0 else 65536]
