"""The DPO keeps the pupil's face by a box (issue 13, issue 8's box tools on pictures).

No MIS photo here, so without a keep box every face is removed. Both directions are
checked: the kept face is there (its pixels equal the original's) and every other face is
gone to the INDEPENDENT checker (dlib HOG + OpenCV Haar, conftest), which first has to see
them in the input. Rules: 10 (every other face is third-party data), 18 (real removal),
19 (the report lists each decision applied or matched nothing).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pymupdf
import pytest
from media_photo import PhotoDetector, face_corpus, found, pixels_of, png
from PIL import Image

from pupil_privacy.redaction import faces
from pupil_privacy.redaction.decisions import Decisions, KeepBox
from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.errors import InputError, LeakCheckFailed

SCRIPT = Path(sys.executable).with_name("pupil-privacy")


def loose(box, by: float = 0.25) -> list[float]:
    """A box drawn loosely round a face, as a DPO's would be."""
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) * by, (y1 - y0) * by
    return [max(0.0, x0 - dx), max(0.0, y0 - dy), x1 + dx, y1 + dy]


def _region(pixels: np.ndarray, box) -> np.ndarray:
    x0, y0, x1, y1 = box
    return pixels[y0:y1, x0:x1].astype(int)


def assert_only_the_pupil_kept(scene, output: np.ndarray, checker, *, exact: bool) -> None:
    others = [b for i, b in enumerate(scene.faces) if i != scene.pupil]
    before = checker.detect(scene.pixels)
    assert len([b for b in others if found(b, before)]) >= 4, "the checker must see them first"
    assert [b for b in others if found(b, checker.detect(output))] == []
    pupil = scene.faces[scene.pupil]
    diff = np.abs(_region(output, pupil) - _region(scene.pixels, pupil))
    if exact:  # PNG: the kept face is the original's pixels, every one
        assert diff.max() == 0
    else:  # JPEG re-encoded: close to the original, nothing like the grey fill
        assert diff.mean() < 6


def test_keep_boxes_are_read_from_decisions_json_and_written_back():
    data = {"keep_boxes": [{"file": "class.jpg", "rect": [10, 20, 60, 90], "id": 7}]}
    decisions = Decisions.from_json(data)
    assert decisions.keep_boxes == (KeepBox("class.jpg", (10.0, 20.0, 60.0, 90.0), 1, "", "7"),)
    assert decisions.for_file("in/class.jpg").keep_boxes and not decisions.for_file("b.jpg")
    assert decisions.to_json()["keep_boxes"] == [
        {"file": "class.jpg", "rect": [10.0, 20.0, 60.0, 90.0], "page": 1, "id": "7"}
    ]
    with pytest.raises(InputError, match="keep_boxes entry 1: 'rect' must be"):
        Decisions.from_json({"keep_boxes": [{"file": "a.jpg", "rect": [1, 2, 3]}]})
    with pytest.raises(InputError, match="keep_boxes entry 1: 'file' must be"):
        Decisions.from_json({"keep_boxes": [{"rect": [1, 2, 3, 4]}]})


def test_a_kept_face_stays_and_every_other_face_goes(group, checker, faces_only):
    keep = Decisions(keep_boxes=(KeepBox("class.png", tuple(loose(group.faces[group.pupil]))),))
    doc = redact_document(png(group.pixels), "class.png", PhotoDetector(None), decisions=keep)
    assert_only_the_pupil_kept(group, pixels_of(doc.content), checker, exact=True)
    [applied] = doc.decisions_applied
    assert applied.note == "face kept by reviewer" and len(applied.places) == 1
    assert len([r for r in doc.records if r.entity_type == "FACE"]) >= 5
    # the DPO marked the pupil: no "the pupil's face may be among them" warning
    assert not [w for w in doc.warnings if "mark the pupil's face" in w]


def test_a_keep_box_over_no_face_keeps_nothing_and_says_so(group, checker, faces_only):
    keep = Decisions(keep_boxes=(KeepBox("class.png", (0.0, 0.0, 20.0, 20.0)),))
    doc = redact_document(png(group.pixels), "class.png", PhotoDetector(None), decisions=keep)
    assert not doc.decisions_applied
    [unmatched] = doc.decisions_unmatched
    assert "no detected face lies mostly inside the box" in unmatched.note
    output = pixels_of(doc.content)
    assert [b for b in group.faces if found(b, checker.detect(output))] == []


def test_a_box_that_only_grazes_a_face_does_not_keep_it(group, checker, faces_only):
    x0, y0, x1, y1 = group.faces[group.pupil]
    graze = (float(x0), float(y0), x0 + (x1 - x0) * 0.4, float(y1))  # 40% of the face
    keep = Decisions(keep_boxes=(KeepBox("class.png", graze),))
    doc = redact_document(png(group.pixels), "class.png", PhotoDetector(None), decisions=keep)
    assert doc.decisions_unmatched and not doc.decisions_applied
    assert not found(group.faces[group.pupil], checker.detect(pixels_of(doc.content)))


def test_a_keep_box_hides_no_other_face_from_the_leak_check(group, monkeypatch, faces_only):
    """Removal that does nothing, and a keep box on the pupil: the other faces still fail
    the leak check (a kept face is not a leak; nothing else is excused)."""
    monkeypatch.setattr(
        faces, "remove_faces", lambda rgb, det, pupil, **_: faces.FaceResult([], None, None)
    )
    keep = Decisions(keep_boxes=(KeepBox("class.png", tuple(loose(group.faces[group.pupil]))),))
    with pytest.raises(LeakCheckFailed, match="face"):
        redact_document(png(group.pixels), "class.png", PhotoDetector(None), decisions=keep)


def test_the_kept_face_survives_the_pack_rendering(group, checker, faces_only):
    """The worker renders a photo as a PDF page, and that PDF's pictures are checked for
    faces again: the keep box applies there too, or the second pass would remove the face."""
    keep = Decisions(keep_boxes=(KeepBox("class.png", tuple(loose(group.faces[group.pupil]))),))
    doc = redact_document(
        png(group.pixels), "class.png", PhotoDetector(None), decisions=keep, as_pdf=True
    )
    with pymupdf.open(stream=doc.content, filetype="pdf") as pdf:
        [(xref, *_)] = pdf[0].get_images(full=True)
        picture = pymupdf.Pixmap(pdf, xref)
        rgb = np.frombuffer(picture.samples, np.uint8).reshape(picture.height, picture.width, -1)
    assert rgb.shape[:2] == group.pixels.shape[:2]
    assert_only_the_pupil_kept(group, np.ascontiguousarray(rgb[:, :, :3]), checker, exact=True)
    assert [d.note for d in doc.decisions_applied] == ["face kept by reviewer"]


def test_keep_boxes_from_the_command_line_on_a_photo_and_a_clip(tmp_path, group, checker):
    inputs = tmp_path / "in"
    inputs.mkdir()
    Image.fromarray(group.pixels).save(inputs / "class.jpg", "JPEG", quality=95)
    face_corpus.write_clip(inputs / "gate.mp4", 0.4)
    first, boxes, pupil = next(face_corpus.clip_frames(0.4))
    assert pupil is not None
    decisions = {
        "keep_boxes": [
            {"file": "class.jpg", "rect": loose(group.faces[group.pupil])},
            {"file": "gate.mp4", "rect": loose(boxes[pupil])},
            {"file": "class.jpg", "rect": [0, 0, 20, 20]},
        ]
    }
    (tmp_path / "decisions.json").write_text(json.dumps(decisions))
    (tmp_path / "subject.json").write_text(json.dumps({"id": "p1", "name": "Amelia Okafor"}))
    (tmp_path / "roster.json").write_text(json.dumps([{"name": "Amelia Okafor", "role": "pupil"}]))
    done = subprocess.run(
        [str(SCRIPT), "redact", "--subject", str(tmp_path / "subject.json"),
         "--roster", str(tmp_path / "roster.json"), "--out", str(tmp_path / "out"),
         "--report", str(tmp_path / "report.json"), "--decisions", str(tmp_path / "decisions.json"),
         str(inputs / "class.jpg"), str(inputs / "gate.mp4")],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "keep_boxes entry 3: matched nothing in any file" in done.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    by_file = {Path(e["file"]).name: e for e in report["files"]}
    assert [d["kind"] for d in by_file["class.jpg"]["decisions_applied"]] == ["keep-box"]
    [nothing] = by_file["class.jpg"]["decisions_unmatched"]
    assert nothing["decision"]["rect"] == [0, 0, 20, 20]
    assert nothing["note"] == "no detected face lies mostly inside the box (nothing was kept)"
    [clip_keep] = by_file["gate.mp4"]["decisions_applied"]
    assert clip_keep["note"] == "face kept by reviewer"
    assert clip_keep["places"][0]["text"].startswith("frames 0-")
    assert_only_the_pupil_kept(group, pixels_of((tmp_path / "out/class.jpg").read_bytes()),
                               checker, exact=False)  # fmt: skip
    _assert_clip_keeps_only_the_pupil(tmp_path / "out" / "gate.mp4", checker)


def _assert_clip_keeps_only_the_pupil(path: Path, checker) -> None:
    kept = left = 0
    with av.open(str(path)) as container:
        frames = (f.to_ndarray(format="rgb24") for f in container.decode(video=0))
        for (source, boxes, pupil), frame in zip(face_corpus.clip_frames(0.4), frames, strict=True):
            after = checker.detect(frame)
            for index, box in enumerate(boxes):
                if index != pupil:
                    left += found(box, after)
                    continue
                diff = np.abs(_region(frame, box) - _region(source, box))
                kept += diff.mean() < 12  # H.264 twice: close, nothing like the fill
    assert left == 0
    assert kept == 10  # every frame shows the pupil's face
