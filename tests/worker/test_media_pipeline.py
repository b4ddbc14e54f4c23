"""Photographs and CCTV through the real worker (issue 13; rule 10: other people's faces are
their personal data; rule 18: removed for real): a class photo with the pupil and six others,
her MIS photo, a CCTV clip and a damaged clip, through collection, redaction and assembly on
real Redis with a real RQ worker (SimpleWorker, burst).

The checker is INDEPENDENT of the remover (CenterFace): dlib's HOG detector and OpenCV's Haar
cascades, another family of model trained on other data. It is first shown to find the
other people's faces in the input, so "none in the pack" cannot pass by blindness.
"""

from __future__ import annotations

import base64
import io
import json
import zipfile

import numpy as np
import pymupdf
import pytest
from PIL import Image
from pp_worker_app import OTHER_PARENT, OTHER_PUPIL, new_request
from sqlalchemy import select
from support import media
from support.school import with_media
from support.worker_flow import finish, pack_text

from pupil_privacy.redaction import faces
from pupil_privacy.worker import queueing
from pupil_privacy.worker.media import clip_facts, clip_name
from pupil_privacy.worker.models import Pack, Redaction, RequestDocument, RightsRequest
from pupil_privacy.worker.pack import clips
from pupil_privacy.worker.pack.storage import read_document, read_pack
from pupil_privacy.worker.runtime import get_runtime
from pupil_privacy.worker.states import Status


@pytest.fixture(scope="module")
def checker() -> faces.FaceDetector:
    return faces.AnyOf(faces.DlibHog(1), faces.Haar())


def _found(label, detections) -> bool:
    """A labelled face is found when a detection's centre lies inside its box."""
    x0, y0, x1, y1 = label
    return any(
        x0 <= (f.box[0] + f.box[2]) / 2 <= x1 and y0 <= (f.box[1] + f.box[3]) / 2 <= y1
        for f in detections
    )


def test_photos_and_cctv_through_the_worker(app, work, checker):
    """One build (the photo's two looks and the clip are the slow part), three checks."""
    with_media(get_runtime().mis)
    rid = new_request(app)
    queueing.enqueue_request(rid)
    req = finish(rid, work)
    assert req.status == Status.READY_FOR_REVIEW, [e.detail for e in req.events]
    check_class_photo(rid, checker)
    check_clip(rid, checker)
    check_corrupt_clip(rid)


def _doc(rid: int, record_id: str) -> RequestDocument:
    session = get_runtime().session
    return session.scalars(
        select(RequestDocument).where(
            RequestDocument.request_id == rid, RequestDocument.record_id == record_id
        )
    ).one()


def _photo_in(pdf: bytes) -> tuple[np.ndarray, bytes]:
    """The largest picture in a PDF, as pixels and as the bytes the PDF holds."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        images = [doc.extract_image(xref[0]) for page in doc for xref in page.get_images(full=True)]
    biggest = max(images, key=lambda i: i["width"] * i["height"])
    with Image.open(io.BytesIO(biggest["image"])) as picture:
        return np.asarray(picture.convert("RGB")), biggest["image"]


def check_class_photo(rid: int, checker: faces.FaceDetector) -> None:
    """The pack shows the pupil's face and the checker finds no other face; EXIF gone."""
    scene = media.group_scene()
    others = [b for i, b in enumerate(scene.faces) if i != scene.pupil]
    assert sum(_found(b, checker.detect(scene.pixels)) for b in others) >= 4

    runtime = get_runtime()
    doc = _doc(rid, "m-class")
    assert doc.status == "done", doc.error
    pixels, stored = _photo_in(read_document(runtime, doc))
    assert pixels.shape[:2] == scene.pixels.shape[:2]  # the photo is on its page, whole
    after = checker.detect(pixels)
    assert [b for b in others if _found(b, after)] == []
    pupil = scene.faces[scene.pupil]
    assert _found(pupil, after), "the pupil's own face must stay (matched to her MIS photo)"
    x0, y0, x1, y1 = pupil
    before = scene.pixels[y0:y1, x0:x1].astype(int)
    assert np.abs(pixels[y0:y1, x0:x1].astype(int) - before).mean() < 12  # her face, not a box

    # EXIF, GPS and the photographer's name are gone from the picture and the pack.
    with Image.open(io.BytesIO(stored)) as picture:
        assert not picture.getexif() and "exif" not in picture.info
    assert b"Dean Baxter" not in stored and b"Tom Baxter" not in stored
    text = pack_text("requester", rid)
    assert OTHER_PARENT not in text and OTHER_PUPIL not in text

    session = get_runtime().session
    rows = session.scalars(
        select(Redaction).where(Redaction.document_id == doc.id, Redaction.entity_type == "FACE")
    ).all()
    removed = [r for r in rows if r.action == "redact"]
    kept = [r for r in rows if r.action == "review"]
    assert len(removed) >= len(others) - 1 and all(r.text.startswith("face at x") for r in removed)
    assert len(kept) == 1 and kept[0].reason == "subject-own-data"


def check_clip(rid: int, checker: faces.FaceDetector) -> None:
    """The clip: in the contents, in the ZIP beside the PDF, no other face, in the export."""
    runtime = get_runtime()
    doc = _doc(rid, "m-cctv")
    assert doc.status == "done", doc.error
    source = clip_facts(media.clip_bytes())

    # The contents list the clip with its duration and what was removed.
    text = pack_text("requester", rid)
    assert f"in the download beside this PDF as {clip_name(doc.id)}" in text
    assert f"Video clip, {source.duration} long" in text
    assert "face(s) of other people removed" in text

    # The download: one ZIP of the PDF and the clip, frame rate and duration kept.
    session = runtime.session
    req = session.get(RightsRequest, rid)
    pack = session.scalars(
        select(Pack).where(Pack.request_id == rid, Pack.kind == "requester")
    ).one()
    archive = zipfile.ZipFile(
        io.BytesIO(clips.pack_zip(runtime, req, read_pack(runtime, pack), "p.pdf"))
    )
    assert sorted(archive.namelist()) == [f"clips/record-{doc.id}.mp4", "p.pdf"]
    clip = archive.read(clip_name(doc.id))
    out = clip_facts(clip)
    assert out.frames == source.frames and abs(out.seconds - source.seconds) < 0.15

    # No frame shows a labelled face that is not the pupil's to the independent checker.
    import av

    labelled = media.face_corpus().clip_frames(1.0, fps=10, size=(640, 360), seed=7)
    seen_before = 0
    with av.open(io.BytesIO(clip)) as container:
        assert not container.streams.audio  # sound dropped
        for frame, (original, boxes, pupil) in zip(
            container.decode(video=0), labelled, strict=False
        ):
            others = [b for i, b in enumerate(boxes) if i != pupil]
            seen_before += sum(_found(b, checker.detect(original)) for b in others)
            after = checker.detect(frame.to_ndarray(format="rgb24"))
            assert [b for b in others if _found(b, after)] == []
    assert seen_before > 0, "the checker must see faces in the input clip to mean anything"

    # The JSON export carries the clip itself.
    export = session.scalars(
        select(Pack).where(Pack.request_id == rid, Pack.kind == "export_json")
    ).one()
    record = next(
        r for r in json.loads(read_pack(runtime, export))["records"] if r["record_id"] == "m-cctv"
    )
    assert record["media"]["file"] == clip_name(doc.id)
    assert base64.b64decode(record["media"]["content_base64"]) == clip


def check_corrupt_clip(rid: int) -> None:
    """A damaged clip fails alone, with a clear reason in the pack; the rest builds."""
    bad = _doc(rid, "m-cctv-bad")
    assert bad.status == "failed"
    assert "damaged or not a video" in bad.error, bad.error
    assert "record-" not in bad.error  # the generated name reads as "the file"
    text = pack_text("requester", rid)
    assert "could not be processed" in text and "damaged or not a video" in text
    assert _doc(rid, "m-class").status == _doc(rid, "m-cctv").status == "done"
