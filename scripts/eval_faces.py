"""``make eval-faces``: face detection recall, faces left after removal, the pupil kept, speed.

The labelled set is scripts/face_corpus.py (real faces from packaged pictures, pasted into
made-up group photos; labels follow from the paste). Two splits: ``tune`` was looked at
while choosing the detector, threshold and padding; ``held`` was not.

Printed:

1. each candidate detector's recall by kind of face (large, small, turned, tilted), false
   alarms on face-free pictures, CPU seconds per picture (all side by side in one run);
2. removal as the product does it (CenterFace, padded solid fill, the pupil recognised
   from her MIS photo), checked by INDEPENDENT detectors (dlib HOG + OpenCV Haar, and
   dlib's CNN unless --quick): how many labelled faces they still find in the outputs
   (target 0), having first shown they find them in the inputs;
3. the pupil's face kept (recognised and not filled), and faces wrongly kept;
4. CPU and wall seconds per picture, and per minute of 720p video (a clip of --seconds
   from the same faces, extrapolated to a minute).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import face_corpus  # noqa: E402

from pupil_privacy.redaction import faces  # noqa: E402

Box = tuple[int, int, int, int]


def hits(label: Box, found: list[faces.Face]) -> bool:
    """A labelled face counts as found when a detection's centre lies inside its box."""
    x0, y0, x1, y1 = label
    for face in found:
        cx, cy = (face.box[0] + face.box[2]) / 2, (face.box[1] + face.box[3]) / 2
        if x0 <= cx <= x1 and y0 <= cy <= y1:
            return True
    return False


def false_alarms(labels: list[Box], found: list[faces.Face]) -> int:
    return sum(1 for f in found if not any(hits(label, [f]) for label in labels))


def load(split: str) -> list[face_corpus.Scene]:
    return face_corpus.scenes(split)


def detector_table(scenes, negatives, detectors) -> None:
    print(f"{'detector':<14}{'recall':>8}  {'by kind':<46}{'false alarms':>13}{'CPU s/pic':>10}")
    for det in detectors:
        det.detect(scenes[0].pixels)  # load the model outside the timing
        found_by_kind: Counter[str] = Counter()
        total_by_kind: Counter[str] = Counter()
        alarms = 0
        start = time.process_time()
        for scene in scenes:
            found = det.detect(scene.pixels)
            for label, kind in zip(scene.faces, scene.kinds, strict=True):
                total_by_kind[kind] += 1
                found_by_kind[kind] += hits(label, found)
            alarms += false_alarms(scene.faces, found)
        for scene in negatives:
            alarms += len(det.detect(scene.pixels))
        cpu = (time.process_time() - start) / (len(scenes) + len(negatives))
        found_all, total_all = sum(found_by_kind.values()), sum(total_by_kind.values())
        kinds = " ".join(
            f"{k} {found_by_kind[k]}/{total_by_kind[k]}" for k in sorted(total_by_kind)
        )
        print(f"{det.name:<14}{found_all / total_all:>8.3f}  {kinds:<46}{alarms:>13}{cpu:>10.2f}")


def removal(scenes, pupil: faces.SubjectFace, checker: faces.FaceDetector) -> dict[str, float]:
    remover = faces.default_detector()
    seen_in = left = others = kept = pupils = wrongly_kept = 0
    cpu = wall = 0.0
    for scene in scenes:
        before = checker.detect(scene.pixels)
        rgb = scene.pixels.copy()
        t0, w0 = time.process_time(), time.perf_counter()
        result = faces.remove_faces(rgb, remover, pupil)
        cpu += time.process_time() - t0
        wall += time.perf_counter() - w0
        after = checker.detect(rgb)
        for index, label in enumerate(scene.faces):
            if index == scene.pupil:
                continue
            others += 1
            seen_in += hits(label, before)
            left += hits(label, after)
        if scene.pupil is not None:
            pupils += 1
            label = scene.faces[scene.pupil]
            kept += result.kept is not None and hits(label, [result.kept])
        if result.kept is not None and (
            scene.pupil is None or not hits(scene.faces[scene.pupil], [result.kept])
        ):
            wrongly_kept += 1
    return {
        "others": others,
        "checker_in_inputs": seen_in,
        "left": left,
        "pupils": pupils,
        "pupil_kept": kept,
        "wrongly_kept": wrongly_kept,
        "cpu_per_picture": cpu / len(scenes),
        "wall_per_picture": wall / len(scenes),
    }


def video(seconds: float, pupil_photo: Path, checker: faces.FaceDetector) -> None:
    from pupil_privacy.redaction.formats import video as video_format
    from pupil_privacy.redaction.types import Subject

    class Holder:  # what removal reads from a Detector: the subject's MIS photo
        subject = Subject(id="eval", name="Grace Hopper", photo=str(pupil_photo))

    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "clip.mp4", Path(tmp) / "out.mp4"
        face_corpus.write_clip(source, seconds)
        t0, w0 = time.process_time(), time.perf_counter()
        result = video_format.redact_stream(source, target, Holder(), "clip.mp4")
        cpu, wall = time.process_time() - t0, time.perf_counter() - w0
        per_minute = 60 / result.duration
        print(
            f"video 1280x720 {result.duration:.1f} s, {result.frames} frames: "
            f"{cpu * per_minute:.0f} CPU s and {wall * per_minute:.0f} s wall per minute of video "
            f"(load {os.getloadavg()[0]:.1f}); {len(result.records)} face tracks removed"
        )
        left = checked = 0
        import av

        with av.open(str(target)) as container:
            frames = container.decode(video=0)
            labels = face_corpus.clip_frames(seconds)
            pairs = zip(frames, labels, strict=True)
            for number, (frame, (_, boxes, pupil_index)) in enumerate(pairs):
                if number % 5:
                    continue
                found = checker.detect(frame.to_ndarray(format="rgb24"))
                for index, label in enumerate(boxes):
                    if index != pupil_index:
                        checked += 1
                        left += hits(label, found)
        print(
            f"video: labelled faces an independent detector still finds: {left} of {checked}"
            " (every 5th frame; target 0)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip dlib's slow CNN detector")
    parser.add_argument("--seconds", type=float, default=6.0, help="length of the test clip")
    args = parser.parse_args()
    print(f"load before: {os.getloadavg()} on {os.cpu_count()} cores")
    negatives = face_corpus.negatives()
    with tempfile.TemporaryDirectory() as tmp:
        photo = Path(tmp) / "pupil.jpg"
        photo.write_bytes(face_corpus.mis_photo())
        pupil = faces.subject_face(photo)
        assert pupil is not None
        checkers: list[faces.FaceDetector] = [faces.DlibHog(1), faces.Haar()]
        if not args.quick:
            checkers.append(faces.DlibCnn(0))
        checker = faces.AnyOf(*checkers)
        for split in ("tune", "held"):
            scenes = load(split)
            count = sum(len(s.faces) for s in scenes)
            print(
                f"\n== {split}: {len(scenes)} pictures, {count} labelled faces, "
                f"{len(negatives)} face-free pictures"
            )
            candidates: list[faces.FaceDetector] = [
                faces.CenterFace(),
                faces.DlibHog(1),
                faces.Haar(),
            ]
            if not args.quick:
                candidates.append(faces.DlibCnn(1) if split == "tune" else faces.DlibCnn(0))
            detector_table(scenes, negatives, candidates)
            figures = removal(scenes, pupil, checker)
            print(
                f"removal: independent checker ({checker.name}) finds "
                f"{figures['checker_in_inputs']:.0f}/{figures['others']:.0f} of the other people's "
                f"faces in the inputs and {figures['left']:.0f} in the outputs (target 0)"
            )
            print(
                f"pupil's face kept: {figures['pupil_kept']:.0f}/{figures['pupils']:.0f}; "
                f"pictures where a face that is not the pupil's was kept: "
                f"{figures['wrongly_kept']:.0f}"
            )
            print(
                f"time per 1280x720 picture: {figures['cpu_per_picture']:.2f} CPU s, "
                f"{figures['wall_per_picture']:.2f} s wall (load {os.getloadavg()[0]:.1f})"
            )
        print()
        video(args.seconds, photo, faces.AnyOf(faces.DlibHog(1), faces.Haar()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
