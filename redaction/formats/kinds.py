"""Which kind of document a file is: from its extension, checked against its first bytes,
with a plain hint for the office formats we do not read.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CorruptDocument, UnsupportedDocument
from . import docx, text, video

KINDS = {
    ".txt": "text",
    ".md": "text",
    ".csv": "text",
    ".eml": "eml",
    ".docx": "docx",
    ".pdf": "pdf",
    ".png": "image",
    ".jpg": "image",
    ".jpeg": "image",
    ".heic": "image",
    ".heif": "image",
    **{ext: "video" for ext in video.EXTENSIONS},
}

_OFFICE_HINT = {
    ".doc": "an old Word (.doc) file; save it as .docx or PDF",
    ".xls": "a spreadsheet; export it as PDF or CSV",
    ".xlsx": "a spreadsheet; export it as PDF or CSV",
    ".ppt": "a presentation; export it as PDF",
    ".pptx": "a presentation; export it as PDF",
    ".msg": "an Outlook .msg file; save the email as .eml",
}


def sniff(data: bytes, filename: str) -> str:
    """The document kind, from the extension, checked against the bytes."""
    ext = Path(filename).suffix.lower()
    if ext in _OFFICE_HINT:
        raise UnsupportedDocument(f"{filename} is {_OFFICE_HINT[ext]}")
    kind = KINDS.get(ext)
    if kind is None:
        supported = ", ".join(sorted(KINDS))
        raise UnsupportedDocument(
            f"{filename}: {ext or 'files without an extension'} not supported ({supported})"
        )
    head = data[:1024]
    if kind == "pdf" and b"%PDF-" not in head:
        raise CorruptDocument(f"{filename} is not a PDF (no PDF header)")
    if kind == "docx" and not head.startswith((b"PK", docx.CFB_MAGIC)):
        raise CorruptDocument(f"{filename} is not a Word .docx file")
    if kind == "image" and not (head.startswith((b"\x89PNG", b"\xff\xd8\xff")) or _heif(head)):
        raise CorruptDocument(f"{filename} is not a PNG, JPEG or HEIC image")
    if kind == "video" and not head.startswith(_VIDEO_MAGIC) and head[4:8] != b"ftyp":
        raise CorruptDocument(f"{filename} is not a video (no MP4, MOV, AVI or MKV header)")
    # UTF-16 text is half zero bytes; anything else with zeros in it is not text.
    binary = b"\x00" in data[:8192]
    if kind == "text" and binary and text.text_encoding(data) is None:
        raise CorruptDocument(f"{filename} holds binary data, not text")
    if kind == "eml" and binary:
        raise CorruptDocument(f"{filename} holds binary data, not an email")
    return kind


# RIFF (AVI) and EBML (MKV/WebM); MP4 and MOV carry "ftyp" at byte 4.
_VIDEO_MAGIC = (b"RIFF", b"\x1a\x45\xdf\xa3")


def _heif(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim")
