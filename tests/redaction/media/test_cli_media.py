"""``pupil-privacy redact`` on a photo, a clip and a broken clip, as a real console script."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import av
from media_photo import face_corpus
from PIL import Image

SCRIPT = Path(sys.executable).with_name("pupil-privacy")


def test_redact_photo_and_clip_from_the_command_line(tmp_path, pupil_photo):
    inputs = tmp_path / "in"
    inputs.mkdir()
    scene = face_corpus.group_photo(1, backdrop="gradient")
    buffer = io.BytesIO()
    Image.fromarray(scene.pixels).save(buffer, "JPEG", quality=90)
    (inputs / "class.jpg").write_bytes(buffer.getvalue())
    face_corpus.write_clip(inputs / "gate.avi.mp4", 0.4)
    (inputs / "gate.mov").write_bytes((inputs / "gate.avi.mp4").read_bytes())
    (inputs / "gate.avi.mp4").unlink()
    (inputs / "broken.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x07" * 300)
    shutil.copy(pupil_photo, tmp_path / "pupil.jpg")
    subject = {"id": "p1", "name": "Amelia Okafor", "photo": "pupil.jpg"}  # beside SUBJECT
    (tmp_path / "subject.json").write_text(json.dumps(subject))
    (tmp_path / "roster.json").write_text(json.dumps([{"name": "Amelia Okafor", "role": "pupil"}]))
    files = [inputs / "class.jpg", inputs / "gate.mov", inputs / "broken.mp4"]
    done = subprocess.run(
        [str(SCRIPT), "redact", "--subject", str(tmp_path / "subject.json"),
         "--roster", str(tmp_path / "roster.json"), "--out", str(tmp_path / "out"),
         "--report", str(tmp_path / "report.json"), "--progress", *map(str, files)],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr  # one file failed, the others did not
    assert f"{inputs / 'broken.mp4'}: broken.mp4 is damaged" in done.stderr
    assert f"{inputs / 'gate.mov'}: frame 10 of 10 (100%)" in done.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["class.jpg", "gate.mp4"]
    with av.open(str(out / "gate.mp4")) as clip:
        assert clip.streams.video[0].codec_context.name == "h264" and not clip.streams.audio
    report = json.loads((tmp_path / "report.json").read_text())
    by_file = {Path(e["file"]).name: e for e in report["files"]}
    photo_faces = [r for r in by_file["class.jpg"]["redactions"] if r["entity_type"] == "FACE"]
    assert len(photo_faces) >= 5 and all(len(r["box"]) == 4 for r in photo_faces)
    assert [r["entity_type"] for r in by_file["class.jpg"]["review"]].count("FACE") == 1
    clip_faces = [r for r in by_file["gate.mov"]["redactions"] if r["entity_type"] == "FACE"]
    assert clip_faces and all(r["frames"][0] <= r["frames"][1] <= 9 for r in clip_faces)
    assert by_file["broken.mp4"]["status"] == "failed" and by_file["broken.mp4"]["error"]


def test_a_photo_that_shows_no_face_is_refused_up_front(tmp_path):
    Image.new("RGB", (64, 64), (20, 120, 200)).save(tmp_path / "blank.png")
    (tmp_path / "subject.json").write_text(json.dumps({"name": "A B", "photo": "blank.png"}))
    (tmp_path / "roster.json").write_text("[]")
    (tmp_path / "note.txt").write_text("hello")
    done = subprocess.run(
        [str(SCRIPT), "redact", "--subject", str(tmp_path / "subject.json"),
         "--roster", str(tmp_path / "roster.json"), "--out", str(tmp_path / "out"),
         str(tmp_path / "note.txt")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "blank.png shows no face" in done.stderr
