"""The demo school's photographs and CCTV (issue 13): the faces in them are faces the product's
detector finds, the featured pupil's MIS photo matches her face in the class photo and no
one else's, and the demo adapter hands the photo to the worker."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from pupil_privacy.demo import media
from pupil_privacy.demo.adapter import DemoMIS
from pupil_privacy.demo.school import School
from pupil_privacy.redaction import faces


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as picture:
        return np.asarray(picture.convert("RGB")).copy()


@pytest.fixture(scope="module")
def mis_face(tmp_path_factory: pytest.TempPathFactory) -> faces.SubjectFace:
    path = tmp_path_factory.mktemp("mis") / "pupil.jpg"
    path.write_bytes(media.mis_photo())
    face = faces.subject_face(path)
    assert face is not None
    return face


def test_class_photo_shows_seven_faces_and_only_one_is_the_pupil(mis_face):
    rgb = _pixels(media.class_photo())
    found = faces.default_detector().detect(rgb)
    assert len(found) == 7, [f.box for f in found]
    distances = sorted(mis_face.distance(rgb, f.box) for f in found)
    assert distances[0] < 0.5 <= distances[1]  # her face matches; nobody else's does


def test_cctv_clip_has_faces_in_its_frames():
    import av

    with av.open(io.BytesIO(media.cctv_clip())) as container:
        stream = container.streams.video[0]
        assert (stream.width, stream.height) == (640, 360) and not container.streams.audio
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(frames) == 40
    detector = faces.default_detector()
    counts = [len(detector.detect(frames[n])) for n in (0, 20, 39)]
    assert all(count >= 3 for count in counts), counts


def test_the_featured_pupil_has_media_and_an_mis_photo(demo_school: School, demo_app):
    pupil = demo_school.pupils[0]
    assert demo_school.photos == {pupil.id: media.mis_photo()}
    names = [r.filename for r in demo_school.records if r.pupil_id == pupil.id]
    assert any(n and n.endswith(".mp4") for n in names)
    assert any(n and n.startswith("class_photo_") for n in names)
    with demo_app.app_context():
        assert DemoMIS().pupil(pupil.id).photo == media.mis_photo()
        assert DemoMIS().pupil(demo_school.pupils[1].id).photo is None
