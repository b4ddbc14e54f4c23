"""Photographs and CCTV for the fake school (issue 13): the pupil's MIS photo, a group photo
with EXIF and GPS, and short clips, made from scripts/face_corpus.py (real faces from
pictures that ship inside scikit-image and matplotlib, pasted; see docs/media.md)."""

from __future__ import annotations

import functools
import io
import sys
import tempfile
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def face_corpus() -> Any:
    """scripts/face_corpus.py, imported on first use (it loads scikit-image)."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    import face_corpus as corpus

    return corpus


@functools.cache
def mis_photo() -> bytes:
    """The pupil's MIS photo (a JPEG of Grace Hopper, "the pupil" of the labelled set)."""
    data: bytes = face_corpus().mis_photo()
    return data


#: The group photo the tests use: a plain backdrop (a textured one gives the Haar checker
#: false alarms) with the pupil and six other people (scene seed 1, as tests/redaction/media).
GROUP_SEED = 1


@functools.cache
def group_scene() -> Any:
    scene = face_corpus().group_photo(GROUP_SEED, backdrop="gradient")
    assert scene.pupil is not None and len(scene.faces) >= 6
    return scene


@functools.cache
def group_photo_jpeg() -> bytes:
    """The group photo as a camera writes it: JPEG with EXIF naming the photographer, GPS
    and a comment (all of which must be gone from the pack)."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010E] = "Class 6 with Tom Baxter"  # ImageDescription
    exif[0x013B] = "Photographer Dean Baxter"  # Artist
    exif[0x8825] = {1: "N", 2: (52.0, 23.0, 55.0), 3: "E", 4: (0.0, 15.0, 44.0)}  # GPS
    buffer = io.BytesIO()
    Image.fromarray(group_scene().pixels).save(buffer, "JPEG", quality=92, exif=exif)
    return buffer.getvalue()


@functools.cache
def clip_bytes(seconds: float = 1.0, size: tuple[int, int] = (640, 360)) -> bytes:
    """A short CCTV clip of people walking (MP4, H.264, with sound to drop)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cctv.mp4"
        face_corpus().write_clip(path, seconds, fps=10, size=size, seed=7)
        return path.read_bytes()


def corrupt_clip() -> bytes:
    """An MP4 header and then rubbish: the container cannot be read."""
    good = clip_bytes()
    return good[:64] + bytes(range(256)) * 40
