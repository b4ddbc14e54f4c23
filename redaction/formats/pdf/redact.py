"""One redaction of a PDF, in the order that matters (rule 18: covering text is not removal).

First everything hidden is brought into the page or dropped (:mod:`.hidden`); a reviewer's
boxes and withheld pages are applied (:mod:`.page_decisions`); then the text of every page
(with OCR for scanned pages, :mod:`.units`) is analysed in one batch and removed under labelled
boxes (:mod:`.removal`); faces in pictures are filled (:mod:`.faces`); outline, links,
embedded files and image metadata are cleaned (:mod:`.hidden`). The file is saved with
``garbage=4`` and ``clean=True`` so removed objects are really gone.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...decisions import Box, WithholdPage
from ...errors import CorruptDocument, DocumentError
from ...report import DetectorLike, Outcome
from .faces import remove_photo_faces
from .hidden import (
    Nested,
    bring_out_hidden,
    redact_embedded,
    redact_outline_and_links,
    strip_image_metadata,
)
from .page_decisions import apply_page_decisions
from .reading import MUPDF_ERRORS, open_pdf
from .removal import redact_pages


def redact_pdf(
    data: bytes,
    filename: str,
    detector: DetectorLike,
    label: str,
    nested: Nested,
    *,
    title: str | None = None,
    boxes: Sequence[Box] = (),
    withhold: Sequence[WithholdPage] = (),
) -> Outcome:
    """Redact a PDF and return the saved, garbage-collected result.

    :param boxes: a reviewer's boxes, :param withhold: pages a reviewer withheld: applied
        (see :func:`apply_page_decisions`) before detection; results in ``Outcome.decided``.
    """
    out = Outcome(b"", "application/pdf", ".pdf")
    doc = open_pdf(data, filename, out.warnings)
    try:
        doc = bring_out_hidden(doc, out.warnings, filename)
        if boxes or withhold:
            out.decided = apply_page_decisions(doc, filename, boxes, withhold, label)
        out.records, out.review = redact_pages(
            doc, detector, filename, label, out.warnings, kept=out.kept
        )
        remove_photo_faces(doc, detector, filename, out, label)
        out.records += redact_outline_and_links(doc, detector, filename, label)
        redact_embedded(doc, nested, detector, filename, label, out)
        strip_image_metadata(doc, out.warnings, filename)
        doc.set_metadata({"title": title} if title else {})
        doc.del_xml_metadata()
        out.pages = doc.page_count
        out.content = doc.tobytes(garbage=4, deflate=True, clean=True)
    except DocumentError:
        raise
    except MUPDF_ERRORS as exc:
        raise CorruptDocument(f"{filename} is damaged and could not be processed as a PDF") from exc
    finally:
        doc.close()
    return out
