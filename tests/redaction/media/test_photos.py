"""Photos: every face but the pupil's filled, the pupil's kept, metadata gone (issue 13)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from media_photo import PhotoDetector, face_corpus, found, pixels_of, png
from PIL import Image

from pupil_privacy.redaction import faces
from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.formats import image


@pytest.fixture(scope="module")
def redacted(group, pupil_photo):
    return redact_document(png(group.pixels), "class.png", PhotoDetector(pupil_photo))


def test_group_photo_shows_the_pupil_and_no_other_face(group, redacted, checker):
    others = [b for i, b in enumerate(group.faces) if i != group.pupil]
    before = checker.detect(group.pixels)
    seen = [b for b in others if found(b, before)]
    assert len(seen) >= 4, "the checker must see the other faces in the input to mean anything"
    output = pixels_of(redacted.content)
    after = checker.detect(output)
    assert [b for b in others if found(b, after)] == []
    pupil = group.faces[group.pupil]
    # nothing else at all: every detection left is the pupil's face
    assert all(found(pupil, [f]) for f in after)
    # the pupil's own face is untouched (the second worst failure is destroying it)
    x0, y0, x1, y1 = pupil
    diff = np.abs(output[y0:y1, x0:x1].astype(int) - group.pixels[y0:y1, x0:x1].astype(int))
    assert diff.mean() < 2
    assert found(pupil, before) and found(pupil, after)


def test_schedule_lists_each_face_removed_and_the_face_kept_for_review(group, redacted):
    faces_removed = [r for r in redacted.records if r.entity_type == "FACE"]
    assert len(faces_removed) >= len(group.faces) - 1
    assert all(r.box is not None and r.reason == "rule-10-face" for r in faces_removed)
    [kept] = [r for r in redacted.review if r.entity_type == "FACE"]
    assert kept.reason == "subject-own-data" and found(group.faces[group.pupil], _as_faces(kept))
    assert not any("must mark" in w for w in redacted.warnings)


def _as_faces(row) -> list[faces.Face]:
    return [faces.Face(row.box, row.score)]


def test_without_an_mis_photo_every_face_goes_and_the_dpo_is_told(group, checker, faces_only):
    out = redact_document(png(group.pixels), "class.png", PhotoDetector(None))
    after = checker.detect(pixels_of(out.content))
    assert [b for b in group.faces if found(b, after)] == []  # the pupil's too
    assert any("the DPO must mark the pupil's face" in w for w in out.warnings)
    assert out.review == [] or all(r.entity_type != "FACE" for r in out.review)


def test_a_photo_without_the_pupil_keeps_no_face(pupil_photo, checker, faces_only):
    scene = face_corpus.group_photo(2, with_pupil=False, backdrop="gradient")
    out = redact_document(png(scene.pixels), "trip.png", PhotoDetector(pupil_photo))
    after = checker.detect(pixels_of(out.content))
    assert [b for b in scene.faces if found(b, after)] == []
    assert not [r for r in out.review if r.entity_type == "FACE"]
    assert any("none of them matched the pupil's MIS photo" in w for w in out.warnings)


def _jpeg_with_everything(pixels: np.ndarray) -> bytes:
    """A JPEG carrying EXIF with GPS and a thumbnail, XMP and a colour profile with text."""
    from PIL import ImageCms

    picture = Image.fromarray(pixels)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "Photographer Jake Whitfield"  # Artist
    exif.get_ifd(0x8825).update({1: "N", 2: (53.0, 48.0, 12.5), 3: "W", 4: (1.0, 33.0, 7.2)})
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>Whitfield</rdf:Description>'
    xmp += b"</x:xmpmeta>"
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, icc_profile=profile.tobytes(), xmp=xmp)
    return buffer.getvalue()


def test_exif_gps_xmp_and_profile_text_are_gone(group, pupil_photo, faces_only):
    data = _jpeg_with_everything(group.pixels)
    with Image.open(io.BytesIO(data)) as source:
        assert source.getexif().get_ifd(0x8825)  # the GPS position is really there
    out = redact_document(data, "trip.jpg", PhotoDetector(pupil_photo))
    assert out.filename == "trip.jpg" and out.content.startswith(b"\xff\xd8")
    with Image.open(io.BytesIO(out.content)) as result:
        assert not result.getexif()
        assert "icc_profile" not in result.info and "xmp" not in result.info
    assert b"Whitfield" in data and b"PhoneMaker" in data
    assert b"Whitfield" not in out.content and b"PhoneMaker" not in out.content
    assert b"Exif" not in out.content and b"http://ns.adobe.com" not in out.content


def test_heic_comes_back_as_heic_with_faces_removed(group, pupil_photo, checker, faces_only):
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buffer = io.BytesIO()
    Image.fromarray(group.pixels).save(buffer, "HEIF", quality=95)
    out = redact_document(buffer.getvalue(), "phone.heic", PhotoDetector(pupil_photo))
    assert out.filename == "phone.heic" and out.media_type == "image/heic"
    after = checker.detect(pixels_of(out.content))
    others = [b for i, b in enumerate(group.faces) if i != group.pupil]
    assert [b for b in others if found(b, after)] == []
    assert found(group.faces[group.pupil], after)


def test_a_face_the_removal_missed_fails_the_leak_check(
    group, pupil_photo, monkeypatch, faces_only
):
    # removal that does nothing: the leak check must refuse to release the photo
    monkeypatch.setattr(
        faces, "remove_faces", lambda rgb, det, pupil, **_: faces.FaceResult([], None, None)
    )
    from pupil_privacy.redaction.errors import LeakCheckFailed

    with pytest.raises(LeakCheckFailed, match="face"):
        redact_document(png(group.pixels), "class.png", PhotoDetector(pupil_photo))


def test_fill_is_in_the_pixels_not_a_layer(group, redacted):
    output = pixels_of(redacted.content)
    row = next(r for r in redacted.records if r.entity_type == "FACE")
    x0, y0, x1, y1 = row.box
    patch = output[y0:y1, x0:x1].reshape(-1, 3)
    assert (np.abs(patch.astype(int) - faces.FILL).max(axis=1) <= 3).mean() > 0.95
    with Image.open(io.BytesIO(redacted.content)) as picture:
        assert picture.format == "PNG" and not getattr(picture, "n_frames", 1) > 1


def test_open_image_accepts_heif_and_refuses_gif():
    from pupil_privacy.redaction.errors import UnsupportedDocument

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "GIF")
    with pytest.raises(UnsupportedDocument, match="PNG, JPEG or HEIC"):
        image.open_image(buffer.getvalue(), "anim.gif")
