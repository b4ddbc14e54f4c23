"""CCTV and other video (.mp4 .mov .avi .mkv): every face but the pupil's filled, re-encoded.

Frames are decoded with PyAV (its wheels bundle FFmpeg and libx264) one at a time and
written out as soon as they are filled, so memory does not grow with the clip's length.
Faces are looked for on every frame at a reduced size (:data:`DETECT_SIDE`) and the
boxes scaled back. A detector blinks: a face found on frames 10 and 12 may be missed on
11, so each face is followed as a track (boxes matched frame to frame by overlap) and its
last box, padded more, is still filled for :data:`HOLD` frames after it was last seen.

Output: H.264 in MP4, yuv420p (plays everywhere), the input's frame timing (so frame rate
and duration are kept), no audio unless asked (a voice identifies as well as a face),
and no metadata from the input (creation time, GPS of a phone, camera names).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .. import faces
from ..decisions import KeepBox
from ..errors import DocumentError, InputError, MediaError
from ..report import DecisionResult, DetectorLike, Outcome, RedactionRecord
from ..types import Action, Reason
from . import image

if TYPE_CHECKING:
    from ..faces import Box, Face, FaceDetector, Pixels, SubjectFace

EXTENSIONS = (".mp4", ".mov", ".avi", ".mkv", ".m4v")
# Longest side of the frame the detector sees: a 720p frame at 960 keeps a 40-pixel
# face at 30 pixels, which CenterFace finds (docs/media.md), at about half the cost.
DETECT_SIDE = 960
# CenterFace's score threshold on video: lower than on photos (faces.THRESHOLD, 0.2), since
# a clip's faces are small and a miss on a few frames in a row outlasts the track's hold.
# On make bench-media's 60-s 720p clip (every 10th frame, 804 labelled faces) 0.2 missed
# 35 and 0.1 missed 3; the extra detections (52 -> 90, partly hidden faces and a few on the
# backdrop) only fill more background.
VIDEO_THRESHOLD = 0.1
# Frames a track's box is still filled after its face was last detected (0.32 s at 25 fps).
HOLD = 8
# Extra padding per held frame, as a fraction of the box: the face keeps moving while
# the detector misses it.
HOLD_GROWTH = 0.04
# Overlap at which a detection continues a track.
TRACK_IOU = 0.2
# A track kept as the pupil's is re-checked against the MIS photo this often (frames),
# so a track that jumps to a passer-by stops being kept.
RECHECK = 12

Progress = Callable[[int, int], None]  # (frames done, frames expected; 0 when unknown)


@dataclass
class Track:
    """One face followed across frames."""

    box: Box
    first: int
    last_seen: int
    score: float
    pupil: bool = False
    marked: int = -1  # index of the reviewer's keep box the track started in (issue 13)
    checked: int = -1  # frame of the last comparison with the MIS photo
    span: list[int] = field(default_factory=list)  # union box over its life
    filled_until: int = -1

    def grow(self, box: Box) -> None:
        if not self.span:
            self.span = list(box)
        else:
            self.span = [
                min(self.span[0], box[0]),
                min(self.span[1], box[1]),
                max(self.span[2], box[2]),
                max(self.span[3], box[3]),
            ]


@dataclass
class Tracker:
    """Matches each frame's detections to tracks and says which boxes to fill."""

    width: int
    height: int
    pupil: SubjectFace | None
    keep: Sequence[Sequence[float]] = ()  # a reviewer's keep boxes, pixels
    tracks: list[Track] = field(default_factory=list)
    finished: list[Track] = field(default_factory=list)

    def update(self, frame_no: int, rgb: Pixels, found: list[Face]) -> list[Box]:
        """Feed one frame's detections; return the padded boxes to fill on it."""
        unmatched = list(found)
        for track in sorted(self.tracks, key=lambda t: -t.last_seen):
            best = max(unmatched, key=lambda f: faces.iou(f.box, track.box), default=None)
            if best is not None and faces.iou(best.box, track.box) >= TRACK_IOU:
                unmatched.remove(best)
                track.box, track.last_seen = best.box, frame_no
                track.score = max(track.score, best.score)
        for face in unmatched:
            # a keep box marks the face where its track starts; the whole track is kept
            mark = faces.marked(face.box, self.keep)
            self.tracks.append(Track(face.box, frame_no, frame_no, face.score, marked=mark))
        self._recognise(frame_no, rgb)
        boxes: list[Box] = []
        for track in list(self.tracks):
            age = frame_no - track.last_seen
            if age > HOLD:
                self.tracks.remove(track)
                self.finished.append(track)
                continue
            if track.pupil or track.marked >= 0:
                continue
            fraction = faces.PAD + HOLD_GROWTH * age
            boxes.append(faces.pad(track.box, self.width, self.height, fraction))
            track.grow(track.box)
            track.filled_until = frame_no
        return boxes

    def _recognise(self, frame_no: int, rgb: Pixels) -> None:
        """Compare seen tracks with the MIS photo: the closest one under the limit is kept."""
        if self.pupil is None:
            return
        due = [
            t
            for t in self.tracks
            if t.last_seen == frame_no and (t.checked < 0 or frame_no - t.checked >= RECHECK)
        ]
        if not due:
            return
        distances = [self.pupil.distance(rgb, t.box) for t in due]
        for track in due:
            track.checked = frame_no
            track.pupil = False
        best = min(range(len(due)), key=distances.__getitem__)
        others_kept = any(t.pupil for t in self.tracks if t not in due)
        if distances[best] < faces.MATCH_DISTANCE and not others_kept:
            due[best].pupil = True

    def records(self, filename: str, detector_name: str) -> list[RedactionRecord]:
        rows = []
        for track in sorted(self.finished + self.tracks, key=lambda t: t.first):
            if track.filled_until < 0 or not track.span:
                continue
            x0, y0, x1, y1 = track.span
            rows.append(
                RedactionRecord(
                    file=filename,
                    page=None,
                    offset=None,
                    text="",
                    entity_type="FACE",
                    reason=Reason.FACE.value,
                    detector=detector_name,
                    score=round(track.score, 3),
                    action=Action.REDACT.value,
                    box=(x0, y0, x1, y1),
                    frames=(track.first, track.filled_until),
                )
            )
        return rows

    def pupil_frames(self) -> int:
        return sum(1 for t in self.finished + self.tracks if t.pupil)

    def marked_tracks(self) -> list[Track]:
        """The tracks a reviewer's keep box kept, in order of their first frame."""
        return sorted(
            (t for t in self.finished + self.tracks if t.marked >= 0), key=lambda t: t.first
        )


@dataclass
class VideoResult:
    """What :func:`redact_stream` did to one clip."""

    frames: int
    fps: float
    duration: float  # seconds
    records: list[RedactionRecord]
    warnings: list[str]
    pupil_tracks: int
    #: per keep box (by index), the frames ``(first, last)`` and box of each track it kept
    marked: list[tuple[int, tuple[int, int], Box]] = field(default_factory=list)


def video_detector() -> FaceDetector:
    """The removal detector, told to look at frames scaled to :data:`DETECT_SIDE`, at the
    video threshold :data:`VIDEO_THRESHOLD`."""
    return faces.CenterFace(threshold=VIDEO_THRESHOLD, max_side=DETECT_SIDE)


def _open(source: str | Path | IO[bytes], filename: str, mode: str) -> Any:
    import av

    target = str(source) if isinstance(source, Path) else source
    try:
        if mode == "w":
            return av.open(target, "w", format="mp4")
        return av.open(target, "r")
    except (av.FFmpegError, OSError, ValueError) as exc:
        if mode == "w":
            raise MediaError(f"{filename}: the redacted video cannot be written ({exc})") from exc
        raise MediaError(f"{filename} is damaged or not a video FFmpeg can read") from exc


def redact_stream(
    source: str | Path | IO[bytes],
    target: str | Path | IO[bytes],
    detector: DetectorLike,
    filename: str,
    *,
    keep_audio: bool = False,
    progress: Progress | None = None,
    finder: FaceDetector | None = None,
    keep: Sequence[Sequence[float]] = (),
) -> VideoResult:
    """Fill every face but the pupil's in a clip, frame by frame, into an H.264 MP4.

    :param keep: a reviewer's keep boxes (pixels): a face track that starts mostly inside
        one is kept for its whole length (issue 13).
    :param keep_audio: re-encode the first audio track as AAC (default: dropped).
    :param progress: called after each frame with (frames done, frames expected).
    :raises MediaError: the input cannot be decoded or holds no video.
    """
    import av

    try:
        pupil = faces.subject_face(faces.photo_of(detector))
    except InputError as exc:
        raise DocumentError(str(exc)) from exc
    finder = finder or video_detector()
    inp = _open(source, filename, "r")
    try:
        if not inp.streams.video:
            raise MediaError(f"{filename} holds no video stream")
        vin = inp.streams.video[0]
        if isinstance(source, (str, Path)):
            # Frame threads read ahead; with a Python file object as the source they
            # would call back into Python from FFmpeg's threads (a test hung that way).
            vin.thread_type = "AUTO"
        fps = float(vin.average_rate or vin.guessed_rate or 25)
        expected = vin.frames or int(
            float(vin.duration * vin.time_base) * fps if vin.duration else 0
        )
        ain = inp.streams.audio[0] if keep_audio and inp.streams.audio else None
        out = _open(target, filename, "w")
        try:
            tracker = Tracker(0, 0, pupil, keep)
            result = _transcode(
                inp, out, vin, ain, fps, expected, tracker, finder, filename, progress
            )
        finally:
            out.close()
    except av.FFmpegError as exc:
        raise MediaError(f"{filename}: the video is damaged part-way through ({exc})") from exc
    finally:
        inp.close()
    if keep_audio and ain is None:
        result.warnings.append(f"{filename}: no audio track to keep")
    if result.records and result.pupil_tracks == 0 and not result.marked:
        why = (
            "no MIS photo of the pupil was supplied"
            if pupil is None
            else ("no face matched the pupil's MIS photo")
        )
        result.warnings.append(
            f"{filename}: {len(result.records)} face track(s) removed and {why}, so the "
            "pupil's own face may be among them: the DPO must mark it in review"
        )
    return result


def _transcode(
    inp: Any,
    out: Any,
    vin: Any,
    ain: Any,
    fps: float,
    expected: int,
    tracker: Tracker,
    finder: FaceDetector,
    filename: str,
    progress: Progress | None,
) -> VideoResult:
    import av

    width, height = vin.codec_context.width, vin.codec_context.height
    even_w, even_h = width - width % 2, height - height % 2  # yuv420p needs even sides
    vout = out.add_stream("libx264", rate=vin.average_rate or round(fps))
    vout.width, vout.height, vout.pix_fmt = even_w, even_h, "yuv420p"
    vout.time_base = vin.time_base
    vout.options = {"crf": "20", "preset": "veryfast"}
    aout = out.add_stream("aac", rate=ain.codec_context.sample_rate) if ain is not None else None
    tracker.width, tracker.height = even_w, even_h
    done = 0
    last_pts = None
    streams = [vin] + ([ain] if ain is not None else [])
    for packet in inp.demux(*streams):
        for frame in packet.decode():
            if isinstance(frame, av.AudioFrame):
                assert aout is not None  # audio is demuxed only when it is kept
                frame.pts = None  # let the encoder count samples
                for encoded in aout.encode(frame):
                    out.mux(encoded)
                continue
            rgb = frame.to_ndarray(format="rgb24")[:even_h, :even_w].copy()
            for x0, y0, x1, y1 in tracker.update(done, rgb, finder.detect(rgb)):
                rgb[y0:y1, x0:x1] = faces.FILL
            new = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
            pts = frame.pts if frame.pts is not None else done
            if last_pts is not None and pts <= last_pts:
                pts = last_pts + 1  # some AVIs repeat timestamps; the encoder refuses them
            new.pts, new.time_base, last_pts = pts, vin.time_base, pts
            for encoded in vout.encode(new):
                out.mux(encoded)
            done += 1
            if progress is not None:
                progress(done, max(expected, done))
    for encoded in vout.encode():
        out.mux(encoded)
    if aout is not None:
        for encoded in aout.encode():
            out.mux(encoded)
    if done == 0:
        raise MediaError(f"{filename} holds no decodable video frames")
    return VideoResult(
        frames=done,
        fps=fps,
        duration=done / fps,
        records=tracker.records(filename, finder.name),
        warnings=[],
        pupil_tracks=tracker.pupil_frames(),
        marked=[(t.marked, (t.first, t.last_seen), t.box) for t in tracker.marked_tracks()],
    )


def keep_results(
    keep: Sequence[KeepBox], result: VideoResult, filename: str
) -> list[DecisionResult]:
    """One result per keep box: each face track it kept (its frames and last box), or none."""
    kept = [(index, box, f"frames {a}-{b}") for index, (a, b), box in result.marked]
    none = "no face track starts mostly inside the box (nothing was kept)"
    return image.keep_results(keep, kept, filename, None, none=none)


def redact_video(
    data: bytes,
    filename: str,
    detector: DetectorLike,
    *,
    keep_audio: bool = False,
    progress: Progress | None = None,
) -> Outcome:
    """Redact a clip held in memory (attachments, the document API); output is MP4 bytes."""
    target = io.BytesIO()
    result = redact_stream(
        io.BytesIO(data), target, detector, filename, keep_audio=keep_audio, progress=progress
    )
    outcome = Outcome(target.getvalue(), "video/mp4", ".mp4", result.records, [], result.warnings)
    outcome.pages = 0
    return outcome
