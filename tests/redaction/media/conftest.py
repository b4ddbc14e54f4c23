"""Shared fixtures for the photo and video tests (issue 13); the helpers tests import by
name are in media_photo.py.

The pictures come from scripts/face_corpus.py (real faces from packaged pictures pasted
into group photos; labels follow from the paste). The checker is INDEPENDENT of the
detector removal uses (CenterFace): dlib's HOG detector and OpenCV's Haar cascades, a
different family of model trained on different data. Each test first shows the checker
finds the faces in the input, so "no face in the output" cannot pass by blindness.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from media_photo import face_corpus

from pupil_privacy.redaction import faces
from pupil_privacy.redaction.formats import image

# A group photo on a plain backdrop (a textured one gives the Haar checker false alarms,
# which would make "no face at all in the output" untestable), pupil included.
SEED = 1


@pytest.fixture(scope="session")
def pupil_photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mis") / "pupil.jpg"
    path.write_bytes(face_corpus.mis_photo())
    return path


@pytest.fixture
def no_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    """OCR off: for tests about faces and the regions they leave (OCR of photos is slow)."""
    monkeypatch.setattr(image, "ocr_available", lambda: False)


@pytest.fixture
def faces_only(no_ocr: None) -> None:
    """OCR off: these tests are about faces and metadata, and OCR of a photo is slow."""


@pytest.fixture(scope="module")
def scene() -> face_corpus.Scene:
    """A group photo on a plain backdrop, the pupil among the faces."""
    return face_corpus.group_photo(SEED, backdrop="gradient")


@pytest.fixture(scope="session")
def group() -> face_corpus.Scene:
    scene = face_corpus.group_photo(SEED, backdrop="gradient")
    assert scene.pupil is not None and len(scene.faces) >= 6
    return scene


@pytest.fixture(scope="session")
def checker() -> faces.FaceDetector:
    return faces.AnyOf(faces.DlibHog(1), faces.Haar())
