"""PDFs we make: an image on a page, and several PDFs joined into one."""

from __future__ import annotations

from collections.abc import Sequence

import pymupdf


def render_image_pdf(image_bytes: bytes, title: str | None = None) -> bytes:
    """Place an (already redacted) image on an A4 page, scaled to fit."""
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    area = page.rect + (36, 36, -36, -36)
    if title:
        page.insert_text((36, 28), title, fontsize=10)
    page.insert_image(area, stream=image_bytes, keep_proportion=True)
    data = doc.tobytes(garbage=4, deflate=True)
    doc.close()
    return data


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
