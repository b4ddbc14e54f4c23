"""CCTV clips: no frame shows an unremoved face; timing kept; audio dropped (issue 13)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from media_photo import PhotoDetector, face_corpus, found

from pupil_privacy.redaction import faces
from pupil_privacy.redaction.document import redact_document, redact_file
from pupil_privacy.redaction.errors import CorruptDocument, DocumentError

SECONDS = 1.0  # 25 frames of 1280x720: every frame is checked


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("cctv") / "corridor.mp4"
    face_corpus.write_clip(path, SECONDS)
    return path


@pytest.fixture(scope="module")
def redacted(clip, pupil_photo, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    calls: list[tuple[int, int]] = []
    doc = redact_file(
        clip,
        out,
        PhotoDetector(pupil_photo),
        progress=lambda done, total: calls.append((done, total)),
    )
    return doc, out / doc.filename, calls


def _frames(path: Path):
    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="rgb24")


def test_no_frame_shows_a_face_that_is_not_the_pupils(redacted, checker):
    _, output, _ = redacted
    seen_before = shown = left = kept = 0
    labels = face_corpus.clip_frames(SECONDS)
    for number, ((source, boxes, pupil), frame) in enumerate(
        zip(labels, _frames(output), strict=True)
    ):
        after = checker.detect(frame)  # every frame of the output
        before = checker.detect(source) if number % 5 == 0 else None
        for index, box in enumerate(boxes):
            if index == pupil:
                kept += found(box, after)
                continue
            left += found(box, after)
            if before is not None:
                shown += 1
                seen_before += found(box, before)
    assert seen_before >= shown * 0.6  # the checker sees the passers-by in the input
    assert left == 0
    assert kept >= 20  # and the pupil stays visible in (nearly) every frame


def test_rate_duration_and_format_are_kept_and_audio_dropped(clip, redacted):
    doc, output, _ = redacted
    assert doc.filename == "corridor.mp4" and doc.media_type == "video/mp4"
    with av.open(str(clip)) as source, av.open(str(output)) as result:
        vin, vout = source.streams.video[0], result.streams.video[0]
        assert source.streams.audio and not result.streams.audio
        assert vout.codec_context.name == "h264" and vout.codec_context.pix_fmt == "yuv420p"
        assert float(vout.average_rate) == pytest.approx(float(vin.average_rate))
        assert result.duration == pytest.approx(source.duration, abs=50_000)  # µs
        assert sum(1 for _ in result.decode(video=0)) == 25


def test_report_lists_each_face_track_with_frames_and_box(redacted):
    doc, _, calls = redacted
    rows = [r for r in doc.records if r.entity_type == "FACE"]
    assert len(rows) >= 5  # five passers-by
    for row in rows:
        first, last = row.frames
        assert 0 <= first <= last <= 24
        x0, y0, x1, y1 = row.box
        assert 0 <= x0 < x1 <= 1280 and 0 <= y0 < y1 <= 720
    assert not any("must mark" in w for w in doc.warnings)  # the pupil was recognised
    assert [done for done, _ in calls] == list(range(1, 26))  # progress per frame


def test_audio_kept_when_asked(clip, pupil_photo, tmp_path, monkeypatch):
    # detection is not what this test is about: a detector that sees nothing keeps it fast
    monkeypatch.setattr("pupil_privacy.redaction.formats.video.video_detector", lambda: _Blind())
    doc = redact_file(clip, tmp_path, PhotoDetector(pupil_photo), keep_audio=True)
    with av.open(str(tmp_path / doc.filename)) as result:
        [audio] = result.streams.audio
        assert audio.codec_context.name == "aac"
        assert float(audio.duration * audio.time_base) == pytest.approx(SECONDS, abs=0.1)


class _Blind:
    name = "blind"

    def detect(self, rgb):
        return []


def test_a_held_box_covers_a_face_the_detector_blinks_on(clip, tmp_path, monkeypatch, checker):
    # the detector misses every third frame: the track's held box must still fill the face
    real = faces.CenterFace(max_side=960)
    seen = {"n": 0}

    class Blinking:
        name = "blinking"

        def detect(self, rgb):
            seen["n"] += 1
            return [] if seen["n"] % 3 == 0 else real.detect(rgb)

    monkeypatch.setattr("pupil_privacy.redaction.formats.video.video_detector", Blinking)
    doc = redact_file(clip, tmp_path, PhotoDetector(None))
    labels = face_corpus.clip_frames(SECONDS)
    frames = _frames(tmp_path / doc.filename)
    for number, ((_, boxes, _), frame) in enumerate(zip(labels, frames, strict=True)):
        if number % 3 == 2:  # the frames the detector missed
            after = checker.detect(frame)
            assert [b for b in boxes if found(b, after)] == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("cctv.mp4", b"\x00\x00\x00\x20ftypisom" + b"\x00" * 400),  # header, then nothing
        ("cctv.avi", b"RIFF\x00\x00\x00\x00AVI LIST" + bytes(range(256)) * 4),
        ("cctv.mov", b"not a video at all"),
    ],
)
def test_corrupt_video_gives_a_clear_per_file_error(name, data, tmp_path):
    source = tmp_path / name
    source.write_bytes(data)
    with pytest.raises(DocumentError) as failure:
        redact_file(source, tmp_path / "out", PhotoDetector(None))
    assert isinstance(failure.value, CorruptDocument)
    assert name in failure.value.reason
    out = tmp_path / "out"
    assert not out.exists() or list(out.iterdir()) == []  # nothing half-written left behind


def test_truncated_clip_fails_cleanly(clip, tmp_path):
    data = clip.read_bytes()
    broken = tmp_path / "cut.mp4"
    broken.write_bytes(data[: len(data) // 3])  # the moov index is at the end: unreadable
    with pytest.raises(CorruptDocument, match="cut.mp4"):
        redact_file(broken, tmp_path / "out", PhotoDetector(None))


def test_video_bytes_through_redact_document(clip, monkeypatch):
    monkeypatch.setattr("pupil_privacy.redaction.formats.video.video_detector", lambda: _Blind())
    doc = redact_document(clip.read_bytes(), "clip.mov", PhotoDetector(None), as_pdf=True)
    assert doc.filename == "clip.mp4" and doc.content[4:8] == b"ftyp"  # a clip, not a PDF
    assert np.asarray(list(_frames_from_bytes(doc.content))).shape[0] == 25


def _frames_from_bytes(data: bytes):
    import io

    with av.open(io.BytesIO(data)) as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="gray")


def test_the_video_detector_finds_a_small_passer_by_the_photo_threshold_missed():
    """Frames 704-724 of make bench-media's 60-s clip: a 45-pixel passer-by that CenterFace
    scores under the photo threshold (0.2) for more frames than a track is held, so it
    showed in the output until the video threshold (0.1) was set."""
    import itertools

    from pupil_privacy.redaction.formats import video

    detector = video.video_detector()
    frames = itertools.islice(face_corpus.clip_frames(30), 704, 725, 4)
    seen = 0
    for rgb, boxes, _ in frames:
        small = [b for b in boxes if b[2] - b[0] < 60 and 500 < b[0] < 620 and 300 < b[1] < 400]
        assert len(small) == 1  # the passer-by is in view on each of these frames
        seen += found(small[0], detector.detect(rgb))
    # 1 of 6 at the photo threshold; a miss on one frame in four is bridged by the track's
    # hold (video.HOLD frames), a run of misses was not
    assert seen >= 5
