"""Hidden places (rule 18): what a reader does not see but a tool finds.

Hidden optional-content layers are switched on (their text is then checked and redacted like
any other), form fields and annotations are baked into the page (a comment's note text is
dropped), the form, structure tree (alt text), JavaScript, thumbnails and private application
data deleted; outline titles neutralised, links holding third-party data deleted, embedded
files redacted recursively and re-embedded under redacted names, JPEG metadata stripped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pymupdf

from ...errors import DocumentError
from ...limits import count_attachments
from ...report import DetectorLike, Outcome, RedactionRecord, record
from ...types import Reason
from ..jpeg import strip_jpeg_metadata
from ..text import redact_units, safe_filename
from .reading import MUPDF_ERRORS

# Catalog entries that hold hidden data and are dropped: forms (after baking),
# the structure tree (alt text, ActualText), layers (after switching them on),
# portfolios, actions that run on opening, private application data.
_CATALOG_DROP = (
    "AcroForm",
    "StructTreeRoot",
    "MarkInfo",
    "OCProperties",
    "Collection",
    "OpenAction",
    "AA",
    "PieceInfo",
    "Metadata",
)
_PAGE_DROP = ("Thumb", "PieceInfo", "AA")
# Annotations that mark up the record rather than add to it: deleted, not flattened.
_MARKUP = frozenset(
    {
        "Text",  # a comment's icon
        "Popup",
        "Highlight",
        "Underline",
        "Squiggly",
        "StrikeOut",
        "Caret",
        "FileAttachment",  # a paperclip icon; its file goes with the unlisted ones (below)
        "Sound",
    }
)

# nested(data, filename) -> (redacted bytes, output filename, outcome): redact an embedded file.
Nested = Callable[[bytes, str], tuple[bytes, str, Outcome]]


def bring_out_hidden(doc: pymupdf.Document, warnings: list[str], filename: str) -> pymupdf.Document:
    """Make hidden content visible or drop it, before any text is read (rule 18).

    :returns: the document to carry on with (reloaded when layers were merged, because
        MuPDF reads layer visibility once, when a document is opened).
    """
    cat = doc.pdf_catalog()
    layered = _has_layers(doc, cat)
    if layered:
        warnings.append(
            f"{filename}: optional-content layers were merged into the page (hidden layers shown)"
        )
    markup = sum(_drop_markup(page) for page in doc.pages())
    if markup:
        warnings.append(f"{filename}: {markup} comment(s)/highlight(s) removed with their notes")
    kinds = [annot.type[1] for page in doc.pages() for annot in page.annots()]
    comments = sum(kind not in ("FreeText", "Redact") for kind in kinds)
    if comments:
        warnings.append(f"{filename}: {comments} annotation(s)/comment(s) flattened; notes removed")
    _drop_javascript(doc)
    for key in _CATALOG_DROP:
        if key != "AcroForm":
            doc.xref_set_key(cat, key, "null")
    doc.bake(annots=True, widgets=True)
    doc.xref_set_key(cat, "AcroForm", "null")
    for page in doc.pages():
        for key in _PAGE_DROP:
            doc.xref_set_key(page.xref, key, "null")
    if not layered:
        return doc
    reloaded = pymupdf.open(stream=doc.tobytes(garbage=1), filetype="pdf")
    doc.close()
    return reloaded


def _drop_markup(page: pymupdf.Page) -> int:
    """Delete a reader's markup on the page (comment icons, highlights, underlines...).

    They are someone's notes on the record, not the record: baked into the page they
    would be left as icons and coloured bars over the pupil's copy (issue 12). Their note
    text goes with them. Drawn shapes, ink, stamps and free text stay: they can be part
    of the record (a signature, a stamp), and are flattened and read like page text.
    """
    doomed = [annot.xref for annot in page.annots() if annot.type[1] in _MARKUP]
    for xref in doomed:
        annot = page.load_annot(xref)  # None when its parent's deletion took it already
        if annot is not None:
            page.delete_annot(annot)
    return len(doomed)


def _has_layers(doc: pymupdf.Document, cat: int) -> bool:
    try:
        return bool(doc.get_ocgs())
    except (TypeError, *MUPDF_ERRORS):
        # PyMuPDF's binding raises TypeError on a damaged layer (no /Usage name; found by
        # fuzzing). Layers are there all the same: merge them, as for any layered file.
        return doc.xref_get_key(cat, "OCProperties")[0] != "null"


def _drop_javascript(doc: pymupdf.Document) -> None:
    for xref in range(1, doc.xref_length()):
        try:
            action = doc.xref_get_key(xref, "S")[1]
            has_js = doc.xref_get_key(xref, "JS")[0] != "null"
        except MUPDF_ERRORS:
            continue
        if action == "/JavaScript" or has_js:
            doc.update_object(xref, "<<>>")


def redact_outline_and_links(
    doc: pymupdf.Document, detector: DetectorLike, filename: str, label: str
) -> list[RedactionRecord]:
    """Neutralise outline titles and delete links whose target holds third-party data.

    Bookmark titles are short free text ("Incident involving Harjit Hussain") where the NER
    has no context to find a person the MIS does not know, and the leak check cannot re-read
    them with the NER either; so every title is replaced by its target ("Page 3"), keeping
    the outline's structure for navigation (rule 18: outline entries must be cleared).
    """
    records: list[RedactionRecord] = []
    toc = doc.get_toc(simple=True)
    # A damaged outline (a loop, a broken /Next) can list entries that set_toc_item
    # cannot address one by one: then the outline is rebuilt whole from neutral titles.
    one_by_one = len(doc.get_outline_xrefs()) == len(toc)
    neutral_toc: list[list[Any]] = []
    for index, (level, title, page) in enumerate(toc):
        neutral = f"Page {page}" if page > 0 else "Bookmark"
        neutral_toc.append([level, neutral, page])
        if title != neutral:
            if one_by_one:
                doc.set_toc_item(index, title=neutral)
            records.append(
                RedactionRecord(
                    file=f"{filename} (outline)",
                    page=page if page > 0 else None,
                    offset=None,
                    text=title,
                    entity_type="OUTLINE_TITLE",
                    reason=Reason.HIDDEN_PLACE.value,
                    detector="outline-cleared",
                    score=1.0,
                    action="redact",
                )
            )
    if not one_by_one:
        _rebuild_outline(doc, neutral_toc)
    links = [
        (page, link)
        for page in doc.pages()
        for link in page.get_links()
        if link.get("uri") or link.get("file")
    ]
    results = redact_units(
        [link.get("uri") or link.get("file") for _, link in links], detector, label
    )
    for (page, link), result in zip(links, results, strict=True):
        if result.removed:
            page.delete_link(link)
            records += [record(f, f"{filename} (link)") for f, _ in result.removed]
    return records


def _rebuild_outline(doc: pymupdf.Document, toc: list[list[Any]]) -> None:
    """Replace a damaged outline by ``toc``; with no outline at all when even that fails
    (the leak check reads every object, so an old title left behind would still fail)."""
    try:
        doc.set_toc(toc)
    except MUPDF_ERRORS:
        doc.set_toc([])


def redact_embedded(
    doc: pymupdf.Document,
    nested: Nested,
    detector: DetectorLike,
    filename: str,
    label: str,
    out: Outcome,
) -> None:
    """Redact each embedded file recursively and re-embed it under a redacted name."""
    names = list(doc.embfile_names())
    count_attachments(len(names))
    streams = _embedded_streams(doc)  # listed or not: a damaged name tree lists fewer
    listed = []
    for name in names:
        info = doc.embfile_info(name)
        listed.append(
            (info.get("ufilename") or info.get("filename") or name, doc.embfile_get(name))
        )
        doc.embfile_del(name)
    # Deleted entries keep their objects until the save's garbage collection, so every
    # embedded stream is emptied now; the listed ones come back redacted below.
    _blank(doc, streams)
    unlisted = len(streams) - len(names)
    if unlisted > 0:
        out.warnings.append(
            f"{filename}: {unlisted} embedded file(s) outside the attachment list (a damaged "
            "PDF) removed without being checked"
        )
    for position, (inner_name, content) in enumerate(listed, start=1):
        [safe] = redact_units([inner_name], detector, label)
        shown = safe_filename(safe.text, inner_name) or f"attachment-{position}"
        try:
            data, out_name, inner = nested(content, shown)
        except DocumentError as exc:
            out.warnings.append(
                f"{filename}: embedded file {position} ({shown}) removed, it could not be "
                f"processed: {exc.reason}"
            )
            continue
        doc.embfile_add(out_name, data, filename=out_name, ufilename=out_name, desc="")
        out.absorb(inner)


def _embedded_streams(doc: pymupdf.Document) -> set[int]:
    """Every embedded file stream: typed ``/EmbeddedFile``, or a file spec's ``/EF``."""
    targets: set[int] = set()
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Type")[1] == "/EmbeddedFile":
                targets.add(xref)
            if doc.xref_get_key(xref, "EF")[0] == "null":  # most objects: no file spec
                continue
            for key in ("EF/F", "EF/UF"):
                kind, value = doc.xref_get_key(xref, key)
                if kind == "xref":
                    targets.add(int(value.split()[0]))
        except MUPDF_ERRORS:
            continue
    return {x for x in targets if 0 < x < doc.xref_length()}


def _blank(doc: pymupdf.Document, xrefs: set[int]) -> None:
    for xref in sorted(xrefs):
        try:
            if doc.xref_is_stream(xref):
                doc.update_stream(xref, b"")
            else:
                doc.update_object(xref, "null")  # not a stream: drop the object itself
        except MUPDF_ERRORS:
            doc.update_object(xref, "null")


def strip_image_metadata(doc: pymupdf.Document, warnings: list[str], filename: str) -> None:
    """Remove EXIF, XMP and IPTC from JPEG images embedded in the PDF (rule 18)."""
    for xref in range(1, doc.xref_length()):
        try:
            if doc.xref_get_key(xref, "Filter")[1] != "/DCTDecode":
                continue
            raw = doc.xref_stream_raw(xref)
        except MUPDF_ERRORS:
            continue
        try:
            clean = strip_jpeg_metadata(raw)
        except DocumentError:
            warnings.append(f"{filename}: a damaged JPEG image could not be checked for metadata")
            continue
        if clean != raw:
            doc.update_stream(xref, clean, compress=0)
            doc.xref_set_key(xref, "Filter", "/DCTDecode")
