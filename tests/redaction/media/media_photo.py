"""Helpers the photo and video tests import by name (issue 13): the stand-in detector with
an MIS photo, the face corpus and the "found" rule. Not in conftest.py: another conftest
module elsewhere in the suite would shadow `from conftest import ...`."""

from __future__ import annotations

import dataclasses
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[3] / "scripts"))
sys.path.insert(0, str(HERE.parents[1]))

import face_corpus  # noqa: E402
from docfactory import SUBJECT, FakeDetector  # noqa: E402

from pupil_privacy.redaction import faces  # noqa: E402

__all__ = ["PhotoDetector", "face_corpus", "found", "pixels_of", "png"]


class PhotoDetector(FakeDetector):
    """The stand-in text detector, for a subject that may carry an MIS photo."""

    def __init__(self, photo: Path | None) -> None:
        super().__init__()
        self.subject = dataclasses.replace(SUBJECT, photo=str(photo) if photo else None)


def found(label: tuple[int, int, int, int], detections: list[faces.Face]) -> bool:
    """A labelled face is found when a detection's centre lies inside its box."""
    x0, y0, x1, y1 = label
    return any(
        x0 <= (f.box[0] + f.box[2]) / 2 <= x1 and y0 <= (f.box[1] + f.box[3]) / 2 <= y1
        for f in detections
    )


def png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def pixels_of(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as picture:
        return np.asarray(picture.convert("RGB"))
