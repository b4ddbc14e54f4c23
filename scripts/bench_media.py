"""``make bench-media``: a 60-second 720p clip with moving faces, time per minute, peak memory.

The clip is made from the packaged faces (scripts/face_corpus.py: six people walking
across a backdrop, crossing each other) and written as H.264 MP4 with an audio track.
Redaction runs in a child process, exactly as ``pupil-privacy redact`` would run it, so
its peak resident memory (ru_maxrss) and CPU seconds are its own, not the generator's.
Target: peak memory under 1 GiB, flat in the clip's length (frames are streamed).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def redact(source: Path, target: Path, photo: Path) -> None:
    """The child: redact one clip with the pupil's MIS photo."""
    from pupil_privacy.redaction.formats import video
    from pupil_privacy.redaction.types import Subject

    class Holder:  # what removal reads from a Detector: the subject's MIS photo
        subject = Subject(id="bench", name="Grace Hopper", photo=str(photo))

    result = video.redact_stream(source, target, Holder(), source.name)
    print(f"frames {result.frames} duration {result.duration:.1f} tracks {len(result.records)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--child", nargs=3, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        redact(*args.child)
        return 0
    import face_corpus

    with tempfile.TemporaryDirectory() as tmp:
        source, target, photo = Path(tmp) / "cctv.mp4", Path(tmp) / "out.mp4", Path(tmp) / "p.jpg"
        photo.write_bytes(face_corpus.mis_photo())
        started = time.perf_counter()
        face_corpus.write_clip(source, args.seconds)
        print(
            f"made a {args.seconds:.0f} s 1280x720 25 fps clip "
            f"({source.stat().st_size / 2**20:.1f} MB) in {time.perf_counter() - started:.0f} s"
        )
        load = os.getloadavg()
        started = time.perf_counter()
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(source), str(target), str(photo)],
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        if child.returncode:
            print(child.stderr[-2000:], file=sys.stderr)
            return 1
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = usage.ru_utime + usage.ru_stime
        per_minute = 60 / args.seconds
        peak = usage.ru_maxrss / 2**20  # kilobytes on Linux -> GiB
        print(child.stdout.strip())
        print(
            f"per minute of 720p video: {cpu * per_minute:.0f} CPU s, {wall * per_minute:.0f} s "
            f"wall on {os.cpu_count()} cores (load {load[0]:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after)"
        )
        print(f"peak memory of the redaction process: {peak:.2f} GiB (target < 1 GiB)")
        return 0 if peak < 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
