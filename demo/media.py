"""The demo school's photographs and CCTV (issue 13): a class photo, a short CCTV clip and the
featured pupil's MIS photo, made at seed time from real faces that ship inside scikit-image
(installed with ``deface``): the astronaut Eileen Collins plays the featured pupil, the
cameraman and faces from the Labeled Faces in the Wild crops play her classmates. Nothing is
downloaded; the same seed makes the same pictures. The face detector finds these faces
(tests/demo/test_demo_media.py checks it), so a request for her shows her face kept and
every other face removed.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import random
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageEnhance, ImageOps

from pupil_privacy.worker.mis import RecordCategory

from . import documents as docs
from .cast import Cast
from .record_files import SCHOOL_GPS, file_record
from .records import RecordContext
from .school import DemoRecord

# Hand-marked in scikit-image's pictures: the head to paste and the face inside it.
ASTRONAUT_HEAD, ASTRONAUT_FACE = (130, 10, 320, 230), (175, 62, 268, 172)
CAMERA_HEAD, CAMERA_FACE = (165, 80, 285, 215), (192, 115, 262, 192)
LFW_PEOPLE = (3, 17, 42, 58, 71)  # which of the 100 face crops play classmates


def _head(name: str) -> tuple[Image.Image, int]:
    """A head to paste and the width of the face in it."""
    import skimage.data as data

    if name == "pupil":
        picture = Image.fromarray(data.astronaut())
        return picture.crop(ASTRONAUT_HEAD), ASTRONAUT_FACE[2] - ASTRONAUT_FACE[0]
    if name == "camera":
        picture = Image.fromarray(data.camera()).convert("RGB")
        return picture.crop(CAMERA_HEAD), CAMERA_FACE[2] - CAMERA_FACE[0]
    crops = data.lfw_subset()
    crop = Image.fromarray((crops[int(name)] * 255).astype(np.uint8)).convert("RGB")
    # a little surround in the crop's own colour: no hard square edge at the jaw
    canvas = Image.new("RGB", (41, 41), tuple(int(v) for v in np.asarray(crop).mean((0, 1))))
    canvas.paste(crop, (8, 8))
    return canvas, 25


def _paste(canvas: Image.Image, name: str, face_width: int, centre: tuple[int, int]) -> None:
    head, width = _head(name)
    scale = face_width / width
    head = head.resize((round(head.width * scale), round(head.height * scale)))
    canvas.paste(head, (centre[0] - head.width // 2, centre[1] - head.height // 2))


def _backdrop(size: tuple[int, int]) -> Image.Image:
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(size[1]):
        draw.line([(0, y), (size[0], y)], fill=(150 + y * 60 // size[1], 170, 190))
    return image


def class_photo(exif: Image.Exif | None = None) -> bytes:
    """A class photo (JPEG, 1280x720): the featured pupil and six classmates, two rows,
    with ``exif`` (the photographer, a caption naming a classmate, GPS) when given."""
    buffer = io.BytesIO()
    _class_picture().save(buffer, "JPEG", quality=90, exif=exif or Image.Exif())
    return buffer.getvalue()


@functools.cache
def _class_picture() -> Image.Image:
    canvas = _backdrop((1280, 720))
    people = ["camera", *[str(n) for n in LFW_PEOPLE]]
    people.insert(3, "pupil")
    for n, name in enumerate(people):
        row, column = divmod(n, 4)
        width = 110 if name in ("pupil", "camera") else 80
        _paste(canvas, name, width, (190 + column * 300 + row * 150, 210 + row * 300))
    return canvas


@functools.cache
def mis_photo() -> bytes:
    """The featured pupil's MIS photo: another crop of her picture, mirrored and relit."""
    import skimage.data as data

    photo = ImageOps.mirror(Image.fromarray(data.astronaut()).crop((110, 0, 340, 260)))
    photo = ImageEnhance.Brightness(photo).enhance(1.1)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@functools.cache
def cctv_clip(seconds: int = 4, fps: int = 10, size: tuple[int, int] = (640, 360)) -> bytes:
    """A short CCTV clip (H.264 MP4, no sound): the pupil and three others walking."""
    import av

    rng = random.Random(13)
    base = np.asarray(_backdrop(size))
    walkers = [
        (name, width, rng.uniform(80, size[0] - 80), rng.uniform(-6, 6))
        for name, width in (("pupil", 80), ("camera", 70), ("17", 60), ("58", 60))
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cctv.mp4"
        with av.open(str(path), "w") as container:
            stream = container.add_stream("libx264", rate=fps)
            stream.width, stream.height = size
            stream.pix_fmt = "yuv420p"
            for number in range(seconds * fps):
                canvas = Image.fromarray(base)
                for lane, (name, width, x, speed) in enumerate(walkers):
                    across = (x + speed * number) % (size[0] - 120) + 60
                    _paste(canvas, name, width, (round(across), 90 + lane % 2 * 170))
                frame = av.VideoFrame.from_ndarray(np.asarray(canvas), format="rgb24")
                frame.pts = number
                for packet in stream.encode(frame):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
        return path.read_bytes()


def media_records(c: Cast, ctx: RecordContext) -> list[DemoRecord]:
    """The class photo and the CCTV clip, as the featured pupil's records. Drawing nothing
    from ``ctx.rng``, so every other record stays as the seed made it."""
    slug = c.pupil.first_name.lower()
    taken = ctx.day(40)
    exif = docs.exif_block(
        description=f"Class photo {taken.year}: {c.pupil.name}, {c.friend.name} and class",
        artist=c.teacher.name,
        when=dt.datetime.combine(taken, dt.time(10, 5)),
        make="Canon",
        model="EOS 250D",
        gps=SCHOOL_GPS,
    )
    return [
        file_record(
            c,
            "class-photo",
            RecordCategory.PHOTOGRAPHS,
            "Class photo",
            taken,
            "School photos",
            c.teacher.name,
            f"class_photo_{slug}.jpg",
            class_photo(exif),
        ),
        file_record(
            c,
            "cctv",
            RecordCategory.PHOTOGRAPHS,
            "CCTV clip: playground, lunchtime",
            ctx.day(12),
            "Site CCTV",
            "Site manager",
            f"cctv_playground_{slug}.mp4",
            cctv_clip(),
        ),
    ]
