"""PDFs we make: an image on a page, and several PDFs joined into one."""

from __future__ import annotations

from collections.abc import Sequence

import pymupdf

from ...report import DEFAULT_LABEL
from .removal import label_regions

#: A region removed from a picture, in its pixels from its top-left corner (x0, y0, x1, y1),
#: and the words that say why ("" for the document's label).
Region = tuple[tuple[float, float, float, float], str]


def render_image_pdf(
    image_bytes: bytes,
    title: str | None = None,
    regions: Sequence[Region] = (),
    label: str = DEFAULT_LABEL,
) -> bytes:
    """Place an (already redacted) image on an A4 page, scaled to fit.

    :param regions: what was removed from the image (its pixels already destroyed),
        labelled on the page at the placed scale (see :func:`.removal.label_regions`).
    """
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    area = page.rect + (36, 36, -36, -36)
    if title:
        page.insert_text((36, 28), title, fontsize=10)
    xref = page.insert_image(area, stream=image_bytes, keep_proportion=True)
    label_regions(page, placed_regions(page, xref, regions, label))
    data = doc.tobytes(garbage=4, deflate=True)
    doc.close()
    return data


def placed_regions(
    page: pymupdf.Page, xref: int, regions: Sequence[Region], label: str
) -> list[tuple[pymupdf.Rect, str]]:
    """Where ``regions`` of the picture ``xref`` lie on ``page``, in points, with their words
    (``label`` where they have none), for every placement of it there that is upright (not
    rotated, skewed or mirrored); a placement that is not gets no label (its pixels are
    removed all the same)."""
    if not regions:
        return []
    size = {item[0]: item[2:4] for item in page.get_images(full=True)}
    width, height = size.get(xref, (0, 0))
    if width <= 0 or height <= 0:
        return []
    placed: list[tuple[pymupdf.Rect, str]] = []
    for bbox, matrix in page.get_image_rects(xref, transform=True):
        if abs(matrix.b) > 1e-6 or abs(matrix.c) > 1e-6 or matrix.a <= 0 or matrix.d <= 0:
            continue
        sx, sy = bbox.width / width, bbox.height / height
        placed += [
            (
                pymupdf.Rect(
                    bbox.x0 + x0 * sx, bbox.y0 + y0 * sy, bbox.x0 + x1 * sx, bbox.y0 + y1 * sy
                ),
                words or label,
            )
            for (x0, y0, x1, y1), words in regions
        ]
    return placed


def merge_pdfs(parts: Sequence[bytes]) -> tuple[bytes, int]:
    """Concatenate PDFs (an email followed by its attachments); returns bytes and page count."""
    out = pymupdf.open()
    for part in parts:
        with pymupdf.open(stream=part, filetype="pdf") as src:
            out.insert_pdf(src)
    pages = out.page_count
    data = out.tobytes(garbage=4, deflate=True, clean=True)
    out.close()
    return data, pages
