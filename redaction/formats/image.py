"""Images (PNG, JPEG, HEIC) and OCR: metadata stripped, faces and OCR'd text blanked as regions.

Every face that is not the pupil's is filled (:mod:`..faces`) before OCR runs. The output
is always re-encoded from pixels, so EXIF (with its GPS position and thumbnail), XMP, IPTC
and the colour profile's text cannot survive; the colour profile is applied first.

OCR uses Debian's ``tesseract-ocr`` through ``pytesseract``. When the binary is missing
the image is still stripped of EXIF and the outcome carries a warning that its text was
not checked (the issue asks for this to be said, never hidden).
"""

from __future__ import annotations

import io
import shutil
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..decisions import WITHHELD_WORDS, KeepBox, WithholdPage, withheld_words
from ..decisions import Box as DecisionBox
from ..errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    InputError,
    UnsupportedDocument,
)
from ..report import (
    DEFAULT_LABEL,
    DecisionPlace,
    DecisionResult,
    DetectorLike,
    Outcome,
    RedactionRecord,
    record,
)
from ..types import Action, Finding, Reason

OCR_UNAVAILABLE = "OCR unavailable: text in images was not checked for third-party data"
# A decompression bomb is a small file that expands to gigabytes of pixels.
MAX_PIXELS = 60_000_000
# Tesseract's confidence below which a "word" is noise from a photo, not text.
MIN_CONFIDENCE = 30
# Boxes grow by this many pixels so no descender or serif is left visible.
PAD = 2

# Seconds tesseract may spend on one image before the document is failed.
OCR_TIMEOUT = 180

Box = tuple[float, float, float, float]


class OcrFailed(DocumentError):
    """Tesseract crashed or timed out: the image's text could not be checked."""

    code = "ocr-failed"


@dataclass
class Layout:
    """Text and, for each character, its box and line number (``None`` for separators)."""

    text: str
    boxes: list[tuple[Box, int] | None] = field(default_factory=list)


def ocr_available() -> bool:
    """True when the tesseract binary and pytesseract are both present."""
    if shutil.which("tesseract") is None:
        return False
    try:
        import pytesseract  # noqa: F401
    except ImportError:
        return False
    return True


def _ocr_input(image: object) -> tuple[object, float]:
    """The image as tesseract should see it, and the scale applied.

    Always greyscale pixels with no file format, so a picture and its JPEG round trip
    read the same (pytesseract would otherwise hand a JPEG over re-compressed); small
    pictures are enlarged, because tesseract misses text a few pixels high.
    """
    from PIL import Image

    assert isinstance(image, Image.Image)
    grey = image.convert("L")
    longest = max(grey.size)
    scale = 3 if longest < 600 else 2 if longest < 1200 else 1
    if scale > 1:
        grey = grey.resize((grey.width * scale, grey.height * scale), Image.Resampling.LANCZOS)
    return grey, float(scale)


def ocr_layout(image: object) -> Layout:
    """OCR a PIL image into a :class:`Layout`: words joined by spaces, lines by newlines.

    Boxes are in the pixels of ``image`` as given.
    """
    import pytesseract

    canonical, scale = _ocr_input(image)
    try:
        data = pytesseract.image_to_data(
            canonical, output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT
        )
    except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
        raise OcrFailed(f"OCR failed on an image ({str(exc).strip()[:120]})") from exc
    chars: list[str] = []
    boxes: list[tuple[Box, int] | None] = []
    previous: tuple[int, int, int] | None = None
    line_no = 0
    for i, word in enumerate(data["text"]):
        word = word.strip()
        if not word or float(data["conf"][i]) < MIN_CONFIDENCE:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if previous is not None:
            sep = " " if key == previous else ("\n\n" if key[0] != previous[0] else "\n")
            chars.extend(sep)
            boxes.extend([None] * len(sep))
        if key != previous:
            line_no += 1
        previous = key
        left, top, width, height = (data[k][i] for k in ("left", "top", "width", "height"))
        box = (
            left / scale - PAD,
            top / scale - PAD,
            (left + width) / scale + PAD,
            (top + height) / scale + PAD,
        )
        chars.extend(word)
        boxes.extend([(box, line_no)] * len(word))
    return Layout("".join(chars), boxes)


def span_boxes(layout: Layout, start: int, end: int) -> list[Box]:
    """The union box, per line, of the characters in ``[start, end)``."""
    by_line: dict[int, Box] = {}
    for entry in layout.boxes[start:end]:
        if entry is None:
            continue
        (x0, y0, x1, y1), line = entry
        if line in by_line:
            a0, b0, a1, b1 = by_line[line]
            by_line[line] = (min(a0, x0), min(b0, y0), max(a1, x1), max(b1, y1))
        else:
            by_line[line] = (x0, y0, x1, y1)
    return list(by_line.values())


FORMATS = ("PNG", "JPEG", "HEIF")


def _register_heif() -> None:
    """Let Pillow read HEIC (iPhone photos) through the libheif inside pillow-heif."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def open_image(data: bytes, filename: str) -> object:
    """Open an image safely: check its pixel count before decoding any pixels."""
    from PIL import Image, UnidentifiedImageError

    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as exc:
        raise CorruptDocument(f"{filename} is not a readable image") from exc
    except (OSError, SyntaxError, ValueError) as exc:  # Pillow's word for a damaged header
        raise CorruptDocument(f"{filename} is a damaged image ({exc})") from exc
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DocumentTooLarge(f"{filename} has too many pixels to open safely") from exc
    if image.format not in FORMATS:
        raise UnsupportedDocument(f"{filename} is a {image.format} image; use PNG, JPEG or HEIC")
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise DocumentTooLarge(
            f"{filename} is {width}x{height} pixels, over the {MAX_PIXELS:,} pixel limit"
        )
    return image


def clean_copy(image: object) -> object:
    """A copy holding only pixels: EXIF, XMP, ICC text and PNG text chunks are dropped."""
    from PIL import Image, ImageOps

    assert isinstance(image, Image.Image)
    try:
        upright = ImageOps.exif_transpose(image)  # keep the picture the right way up
        upright.load()
        upright = _to_srgb(upright)  # type: ignore[assignment]
    except (OSError, SyntaxError, ValueError) as exc:
        raise CorruptDocument(f"the image data is damaged ({exc})") from exc
    mode = upright.mode if upright.mode in ("RGB", "RGBA", "L", "LA") else "RGB"
    pixels = upright.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


def _to_srgb(image: object) -> object:
    """Apply an embedded colour profile, so dropping it does not shift the colours."""
    from PIL import Image, ImageCms

    assert isinstance(image, Image.Image)
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "L"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are
    assert isinstance(converted, Image.Image)
    return converted


def keep_boxes(detector: object, page: int | None) -> tuple[KeepBox, ...]:
    """The reviewer's keep boxes for pictures on ``page`` (1 for an image), carried by the
    detector wrapped for this document's decisions (``DecidedDetector``), looked through
    as :func:`..faces.photo_of` does."""
    while getattr(detector, "decisions", None) is None and getattr(detector, "inner", None):
        detector = detector.inner  # type: ignore[attr-defined]
    boxes = getattr(getattr(detector, "decisions", None), "keep_boxes", ())
    return tuple(k for k in boxes if k.page == (page or 1))


def remove_faces(
    image: object,
    detector: DetectorLike,
    filename: str,
    *,
    page: int | None = None,
    decided: list[DecisionResult] | None = None,
) -> tuple[list[RedactionRecord], list[RedactionRecord], list[str]]:
    """Fill every face in ``image`` (in place) except the pupil's and those a reviewer's
    keep box marks (rule 10; issue 13).

    :param decided: receives one result per keep box: applied (the faces it kept) or why
        it matched nothing.
    :returns: schedule rows for the faces removed, a review row for the face kept as the
        pupil's (the DPO confirms it), and warnings for the DPO.
    """
    import numpy as np
    from PIL import Image, ImageDraw

    from .. import faces

    assert isinstance(image, Image.Image)
    try:
        pupil = faces.subject_face(faces.photo_of(detector))
    except InputError as exc:
        raise DocumentError(str(exc)) from exc
    rgb = np.asarray(image.convert("RGB")).copy()
    finder = faces.default_detector()
    keep = keep_boxes(detector, page)
    result = faces.remove_faces(rgb, finder, pupil, keep=[k.rect for k in keep])
    if decided is not None:
        marked = [(index, face.box, "") for face, index in result.marked]
        decided += keep_results(keep, marked, filename, page or 1)
    width, height = image.size
    draw = ImageDraw.Draw(image)
    fill = faces.FILL[0] if image.mode in ("L", "LA") else faces.FILL
    for face in result.removed:
        draw.rectangle(faces.pad(face.box, width, height), fill=fill)
    removed = [_face_record(filename, page, f, finder.name, Action.REDACT) for f in result.removed]
    review = []
    if result.kept is not None:
        review.append(_face_record(filename, page, result.kept, "mis-photo", Action.REVIEW))
    notes = []
    if result.removed and result.kept is None and not result.marked:
        why = (
            "no MIS photo of the pupil was supplied"
            if pupil is None
            else "none of them matched the pupil's MIS photo"
        )
        notes.append(
            f"{filename}: {len(result.removed)} face(s) removed and {why}, so the pupil's own "
            "face may be among them: the DPO must mark the pupil's face in review"
        )
    return removed, review, notes


#: The schedule's words for a face a reviewer's keep box kept (rule 19).
FACE_KEPT = "face kept by reviewer"


def keep_results(
    keep: Sequence[KeepBox],
    kept: Sequence[tuple[int, tuple[int, int, int, int], str]],
    filename: str,
    page: int | None,
    *,
    none: str = "no detected face lies mostly inside the box (nothing was kept)",
) -> list[DecisionResult]:
    """One result per keep box: the faces it kept, or ``none``.

    :param kept: ``(index of the keep box, the face's box, where)`` per face kept; ``where``
        is "" in a picture, "frames a-b" for a clip's track.
    """
    results = []
    for n, item in enumerate(keep):
        places = tuple(
            DecisionPlace(filename, page, None, where, rect=_floats(box), reason=item.reason)
            for index, box, where in kept
            if index == n
        )
        results.append(DecisionResult(item, places, FACE_KEPT if places else none))
    return results


def _floats(box: Sequence[int]) -> tuple[float, float, float, float]:
    return (float(box[0]), float(box[1]), float(box[2]), float(box[3]))


def _face_record(
    filename: str, page: int | None, face: object, by: str, action: Action
) -> RedactionRecord:
    from ..faces import Face

    assert isinstance(face, Face)
    keep = action == Action.REVIEW
    return RedactionRecord(
        file=filename,
        page=page,
        offset=None,
        text="",
        entity_type="FACE",
        reason=(Reason.SUBJECT if keep else Reason.FACE).value,
        detector=by,
        score=round(face.score, 3),
        action=action.value,
        box=face.box,
    )


def paint_boxes(image: object, boxes: Sequence[Box], label: str) -> None:
    """Fill each box black and write the label in white where it fits."""
    from PIL import Image, ImageDraw

    assert isinstance(image, Image.Image)
    draw = ImageDraw.Draw(image)
    fill: int | tuple[int, ...] = 0 if image.mode in ("L", "LA") else (0, 0, 0)
    ink: int | tuple[int, ...] = 255 if image.mode in ("L", "LA") else (255, 255, 255)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle((x0, y0, x1, y1), fill=fill)
        size = max(8, int((y1 - y0) * 0.6))
        if draw.textlength(label, font_size=size) < (x1 - x0) - 4:
            draw.text((x0 + 2, y0 + 1), label, fill=ink, font_size=size)


def encode(image: object, fmt: str) -> bytes:
    """Encode pixels alone (no EXIF, XMP, ICC or text chunks) as ``fmt``."""
    from PIL import Image

    assert isinstance(image, Image.Image)
    buffer = io.BytesIO()
    if fmt == "HEIF":
        _register_heif()
        image.convert("RGB").save(buffer, "HEIF", quality=90)
    elif fmt == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=90)
    else:
        image.save(buffer, "PNG")
    return buffer.getvalue()


def redact_regions(
    image: object,
    detector: DetectorLike,
    filename: str,
    label: str,
    *,
    page: int | None = None,
    kept: list[Finding] | None = None,
    painted: list[Box] | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """OCR ``image``, then black out the words of every REDACT finding in place.

    Boxes change what OCR reads around them, so the image is read again after painting
    and anything newly found is painted too (the leak check reads it the same way).

    :param kept: receives the suggestions a reviewer kept (see .decided).
    :param painted: receives the boxes painted black.
    :returns: the removed and the flagged findings.
    """
    from ..leakcheck import sweep, terms_for
    from ..limits import check_time
    from .text import MAX_ROUNDS, within_label

    removed: list[Finding] = []
    review: list[Finding] = []
    for round_no in range(MAX_ROUNDS):
        check_time()
        layout = ocr_layout(image)
        if not layout.text.strip():
            break
        [findings] = detector.analyse_many([layout.text])
        found = [
            f
            for f in findings
            if f.action == Action.REDACT and not within_label(layout.text, f, label)
        ]
        found += sweep(layout.text, findings, terms_for(detector))
        if round_no == 0:
            review = [f for f in findings if f.action == Action.REVIEW]
            if kept is not None:
                kept += [f for f in findings if f.action == Action.KEPT_BY_REVIEWER]
        if not found:
            break
        removed += found
        boxes = [b for f in found for b in span_boxes(layout, f.start, f.end)]
        paint_boxes(image, boxes, label)
        if painted is not None:
            painted += boxes
    return removed, review


def apply_image_decisions(
    image: object,
    filename: str,
    boxes: Sequence[DecisionBox] = (),
    withhold: Sequence[WithholdPage] = (),
) -> list[DecisionResult]:
    """Fill a reviewer's boxes black (pixels from the top-left of the upright picture) and
    turn a withheld image (its one page) into a white picture saying so."""
    from PIL import Image, ImageDraw

    assert isinstance(image, Image.Image)
    results: list[DecisionResult] = []
    draw = ImageDraw.Draw(image)
    width, height = image.size
    black: int | tuple[int, ...] = 0 if image.mode in ("L", "LA") else (0, 0, 0)
    white: int | tuple[int, ...] = 255 if image.mode in ("L", "LA") else (255, 255, 255)
    for item in withhold:
        if item.page != 1:
            results.append(DecisionResult(item, (), f"an image has one page, not {item.page}"))
            continue
        draw.rectangle((0, 0, width, height), fill=white)
        words = withheld_words(item.reason)
        size = max(10, min(height // 12, int(1.6 * width / max(1, len(words)))))
        draw.text((width // 20, height // 2 - size), words, fill=black, font_size=size)
        place = DecisionPlace(filename, 1, None, "", reason=item.reason)
        results.append(DecisionResult(item, (place,), f"page withheld: {item.reason}"))
    withheld = any(r.applied for r in results)
    for box in boxes:
        x0, y0, x1, y1 = box.rect
        cut = (max(0.0, x0), max(0.0, y0), min(float(width), x1), min(float(height), y1))
        if box.page != 1 or cut[2] <= cut[0] or cut[3] <= cut[1]:
            why = f"the box lies outside the {width}x{height} pixel image"
            why = why if box.page == 1 else f"an image has one page, not {box.page}"
            results.append(DecisionResult(box, (), why))
            continue
        place = DecisionPlace(filename, 1, None, "", rect=box.rect, reason=box.reason)
        note = "box drawn by reviewer" + (f": {box.reason}" if box.reason else "")
        if withheld:  # nothing left under it; the notice is not cut
            note += " (the page is withheld)"
        else:
            draw.rectangle(cut, fill=black)
        results.append(DecisionResult(box, (place,), note))
    return results


def redact_image(
    data: bytes,
    filename: str,
    detector: DetectorLike,
    label: str = DEFAULT_LABEL,
    *,
    boxes: Sequence[DecisionBox] = (),
    withhold: Sequence[WithholdPage] = (),
) -> Outcome:
    """Strip an image's metadata, fill faces other than the pupil's, blank third-party text.

    The output is re-encoded from pixels even when nothing was removed: a colour profile
    or a maker note can carry text, and re-encoding is the one way to drop all of it.

    :param boxes: a reviewer's boxes, :param withhold: a reviewer's withheld page (1):
        painted before faces and OCR (see :func:`apply_image_decisions`).
    """
    source = open_image(data, filename)
    fmt = getattr(source, "format", None) or "PNG"
    image = clean_copy(source)
    media = {"JPEG": "image/jpeg", "HEIF": "image/heic"}.get(fmt, "image/png")
    outcome = Outcome(b"", media, "")
    decided = apply_image_decisions(image, filename, boxes, withhold) if boxes or withhold else []
    outcome.records, outcome.review, outcome.warnings = remove_faces(
        image, detector, filename, decided=decided
    )
    outcome.decided = decided
    outcome.regions = removed_regions(image, outcome)
    if ocr_available():
        kept: list[Finding] = []
        painted: list[Box] = []
        removed, review = redact_regions(
            image, detector, filename, label, kept=kept, painted=painted
        )
        outcome.regions += [(box, "") for box in painted]
        outcome.records += [record(f, filename) for f in removed]
        outcome.review += [record(f, filename) for f in review]
        outcome.kept = [record(f, filename) for f in kept]
    else:
        outcome.warnings.append(f"{filename}: {OCR_UNAVAILABLE}")
    outcome.content = encode(image, fmt)
    return outcome


def removed_regions(image: object, outcome: Outcome) -> list[tuple[Box, str]]:
    """The regions filled so far, in pixels, with their words: each removed face as filled
    (padded), and each reviewer's box as cut, with its exemption's words where its reason
    is an exemption code (as on PDFs: a free-text reason is never printed); "" is the
    label. Empty when the image is withheld (a notice, not regions)."""
    from PIL import Image

    from .. import faces

    assert isinstance(image, Image.Image)
    width, height = image.size
    if any(r.applied and isinstance(r.decision, WithholdPage) for r in outcome.decided):
        return []
    regions: list[tuple[Box, str]] = [
        (faces.pad(r.box, width, height), "")
        for r in outcome.records
        if r.entity_type == "FACE" and r.box is not None
    ]
    for result in outcome.decided:
        for place in result.places:
            if place.rect is not None:
                x0, y0, x1, y1 = place.rect
                cut = (max(0.0, x0), max(0.0, y0), min(float(width), x1), min(float(height), y1))
                regions.append((cut, WITHHELD_WORDS.get(place.reason.strip().lower(), "")))
    return regions


def faces_left(data: bytes, detector: DetectorLike) -> int:
    """How many faces other than the pupil's the removal detector still sees in an output."""
    import numpy as np
    from PIL import Image

    from .. import faces

    _register_heif()
    with Image.open(io.BytesIO(data)) as image:
        rgb = np.asarray(image.convert("RGB"))
    keep = [k.rect for k in keep_boxes(detector, 1)]
    # a face the reviewer kept is not a leak (issue 13); every other face still is
    found = [f for f in faces.default_detector().detect(rgb) if faces.marked(f.box, keep) < 0]
    pupil = faces.subject_face(faces.photo_of(detector))
    index, _ = faces.find_pupil(rgb, found, pupil)
    return len(found) - (1 if index >= 0 else 0)


def readback_text(data: bytes) -> str:
    """OCR text of an output image for the leak check ('' when OCR is unavailable)."""
    from PIL import Image

    if not ocr_available():
        return ""
    _register_heif()
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return ocr_layout(image).text
