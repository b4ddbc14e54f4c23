"""JPEG metadata removed without decoding the picture (rule 18: EXIF, GPS, XMP, captions and
thumbnails can hold an unredacted copy or names)."""

from __future__ import annotations

from ..errors import CorruptDocument

# JPEG segments that carry metadata: APP1 (EXIF, XMP), APP3-APP13 (vendor data; APP13 is
# Photoshop/IPTC captions and names), APP15 and comments. APP0 (JFIF), APP2 (colour
# profile) and APP14 (Adobe colour transform, needed to draw CMYK correctly) stay.
_JPEG_DROP = {0xE1, *range(0xE3, 0xEE), 0xEF, 0xFE}


def strip_jpeg_metadata(data: bytes) -> bytes:
    """Drop metadata segments from JPEG bytes without decoding the picture (lossless).

    :raises CorruptDocument: when the marker structure is broken.
    """
    if not data.startswith(b"\xff\xd8"):
        raise CorruptDocument("not JPEG data")
    out = bytearray(data[:2])
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise CorruptDocument("damaged JPEG marker structure")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA or 0xD0 <= marker <= 0xD9:  # start of scan: pixels follow
            out += data[pos:]
            return bytes(out)
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker not in _JPEG_DROP:
            out += data[pos : pos + 2 + length]
        pos += 2 + length
    raise CorruptDocument("JPEG data ends before its picture")
