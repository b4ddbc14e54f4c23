"""Shared pieces for the photo and video tests (issue 13).

The pictures come from scripts/face_corpus.py (real faces from packaged pictures pasted
into group photos; labels follow from the paste). The checker is INDEPENDENT of the
detector removal uses (CenterFace): dlib's HOG detector and OpenCV's Haar cascades, a
different family of model trained on different data. Each test first shows the checker
finds the faces in the input, so "no face in the output" cannot pass by blindness.
"""

from __future__ import annotations

import dataclasses
import io
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[3] / "scripts"))
sys.path.insert(0, str(HERE.parents[1]))

import face_corpus  # noqa: E402
from docfactory import SUBJECT, FakeDetector  # noqa: E402

from pupil_privacy.redaction import faces  # noqa: E402
from pupil_privacy.redaction.formats import image  # noqa: E402

# A group photo on a plain backdrop (a textured one gives the Haar checker false alarms,
# which would make "no face at all in the output" untestable), pupil included.
SEED = 1


class PhotoDetector(FakeDetector):
    """The stand-in text detector, for a subject that may carry an MIS photo."""

    def __init__(self, photo: Path | None) -> None:
        super().__init__()
        self.subject = dataclasses.replace(SUBJECT, photo=str(photo) if photo else None)


@pytest.fixture(scope="session")
def pupil_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mis") / "pupil.jpg"
    path.write_bytes(face_corpus.mis_photo())
    return path


@pytest.fixture(scope="session")
def checker() -> faces.FaceDetector:
    return faces.AnyOf(faces.DlibHog(1), faces.Haar())


def found(label: tuple[int, int, int, int], detections: list[faces.Face]) -> bool:
    """A labelled face is found when a detection's centre lies inside its box."""
    x0, y0, x1, y1 = label
    return any(
        x0 <= (f.box[0] + f.box[2]) / 2 <= x1 and y0 <= (f.box[1] + f.box[3]) / 2 <= y1
        for f in detections
    )


@pytest.fixture(scope="session")
def group() -> face_corpus.Scene:
    scene = face_corpus.group_photo(SEED, backdrop="gradient")
    assert scene.pupil is not None and len(scene.faces) >= 6
    return scene


@pytest.fixture
def faces_only(monkeypatch):
    """OCR off: these tests are about faces and metadata, and OCR of a photo is slow."""
    monkeypatch.setattr(image, "ocr_available", lambda: False)


def png(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG")
    return buffer.getvalue()


def pixels_of(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as picture:
        return np.asarray(picture.convert("RGB"))
