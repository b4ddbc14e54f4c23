"""Faces in the pictures a PDF holds, other than the pupil's, filled (rule 10)."""

from __future__ import annotations

import pymupdf

from ...report import DetectorLike, Outcome
from ..image import clean_copy, encode, remove_faces
from .compose import placed_regions
from .removal import label_regions


def remove_photo_faces(
    doc: pymupdf.Document, detector: DetectorLike, filename: str, out: Outcome, label: str
) -> None:
    """Fill faces other than the pupil's in every picture the PDF holds (rule 10).

    Each image object is decoded, its faces filled in the pixels, and the object replaced
    by the filled picture, so every page that shows it shows it filled; on every such page
    each filled face is labelled where it is large enough at the placed scale (issue 12).
    """
    from PIL import Image

    from ... import faces

    done: set[int] = set()
    for page in doc.pages():
        for xref, *_ in page.get_images(full=True):
            if xref in done:
                continue
            done.add(xref)
            try:
                pix = pymupdf.Pixmap(doc, xref)
                if pix.alpha:
                    pix = pymupdf.Pixmap(pix, 0)  # the colour alone
                if pix.n != 3:  # greyscale, CMYK, indexed: to RGB first
                    pix = pymupdf.Pixmap(pymupdf.csRGB, pix)
                picture = Image.frombytes("RGB", (pix.width, pix.height), pix.samples_mv)
            except (RuntimeError, ValueError):
                out.warnings.append(f"{filename}: an image could not be checked for faces")
                continue
            picture = clean_copy(picture)  # type: ignore[assignment]
            rows, kept, notes = remove_faces(
                picture, detector, filename, page=page.number + 1, decided=out.decided
            )
            out.records += rows
            out.review += kept
            out.warnings += notes
            if rows:
                page.replace_image(xref, stream=encode(picture, "PNG"))
                filled = [(faces.pad(r.box, *picture.size), "") for r in rows if r.box]
                for shown in doc.pages():
                    label_regions(shown, placed_regions(shown, xref, filled, label))
