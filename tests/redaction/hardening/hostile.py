"""Builders of hostile inputs (issue 11), shared by these tests and scripts/hostile_table.py.

Every builder makes a real file of its kind in memory, seeded, with nothing downloaded;
each one that can hold text holds the pupil (Amelia Okafor) and a third party (Jake
Whitfield), so an output can be checked in both directions.
"""

from __future__ import annotations

import email.policy
import random
import struct
import zlib
from email.message import EmailMessage

import pymupdf
from docfactory import (
    THIRD,
    THIRD_PHONE,
    docx_xml_text,
    flat,
    pdf_text_everywhere,
    pdf_with_hidden_places,
    text_png,
)

OWN = "Amelia Okafor"


def lying_docx(declared: int, actual: int) -> bytes:
    """A DOCX whose ``word/document.xml`` inflates to ``actual`` bytes while both zip
    headers (local and central) say ``declared``; the deflate stream is written by hand
    a megabyte at a time, so building a 1 GB part takes no memory."""
    member = b"word/document.xml"
    head = (
        b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
    )
    squeeze = zlib.compressobj(6, zlib.DEFLATED, -15)
    crc = zlib.crc32(head)
    packed = bytearray(squeeze.compress(head))
    block = b"A" * (1 << 20)
    for _ in range(max(0, actual - len(head)) // len(block)):
        crc = zlib.crc32(block, crc)
        packed += squeeze.compress(block)
    packed += squeeze.flush()
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(packed), declared,
        len(member), 0,
    )  # fmt: skip
    central = struct.pack(
        "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(packed), declared,
        len(member), 0, 0, 0, 0, 0, 0,
    )  # fmt: skip
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(member),
        len(local) + len(member) + len(packed), 0,
    )  # fmt: skip
    return local + member + bytes(packed) + central + member + end


def scanned_page_pdf(points: float) -> bytes:
    """One scanned page ``points`` square: only an image of text, no text layer."""
    doc = pymupdf.open()
    page = doc.new_page(width=points, height=points)
    page.insert_image(page.rect, stream=text_png([f"{OWN} sat with", f"{THIRD} at lunch"]))
    data = doc.tobytes()
    doc.close()
    return data


def six_page_pdf() -> bytes:
    doc = pymupdf.open()
    for number in range(6):
        doc.new_page().insert_text((72, 72), f"Page {number + 1}: {OWN} and {THIRD} at break.")
    data = doc.tobytes()
    doc.close()
    return data


def truncated_pdf(where: str) -> bytes:
    """Six pages cut before the index (``"xref"``: MuPDF rebuilds it and every page) or at
    two thirds (``"middle"``: page objects are lost)."""
    data = six_page_pdf()
    return data[: data.rfind(b"xref") if where == "xref" else len(data) * 2 // 3]


def many_pages_pdf(pages: int) -> bytes:
    doc = pymupdf.open()
    for _ in range(pages):
        doc.new_page(width=100, height=100)
    data = doc.tobytes()
    doc.close()
    return data


def empty_from_eml() -> bytes:
    """``From: <>`` (the null sender of a bounce), which the email package cannot rewrite."""
    return (
        b"From: <>\r\nTo: Mrs Helen Price <h.price@school.example>\r\nSubject: note\r\n\r\n"
        + f"{THIRD} spoke to {OWN}.\r\n".encode()
    )


def _message(subject: str, body: str) -> EmailMessage:
    message = EmailMessage(policy=email.policy.default)
    message["From"] = "Mrs Helen Price <h.price@school.example>"
    message["Subject"] = subject
    message.set_content(body)
    return message


def many_attachments_eml(count: int) -> bytes:
    message = _message("files", f"{OWN}'s files.")
    for n in range(count):
        message.add_attachment(b"note", maintype="text", subtype="plain", filename=f"n{n}.txt")
    return message.as_bytes()


def nested_eml(depth: int) -> bytes:
    """An email attached to an email ... ``depth`` levels deep, each naming both people."""
    inner: EmailMessage | None = None
    for level in range(depth):
        message = _message(f"level {level}", f"Level {level}: {THIRD} and {OWN}.")
        if inner is not None:
            message.add_attachment(inner)
        inner = message
    assert inner is not None
    return inner.as_bytes()


def utf16_text(bom: bool) -> bytes:
    text = f"{OWN} sat with {THIRD} ({THIRD_PHONE}).\r\nBoth were fine.\r\n"
    return text.encode("utf-16" if bom else "utf-16-le")


def byte_flips(data: bytes, count: int, seed: int) -> list[bytes]:
    """``count`` copies of ``data``, each with 1 to 16 random bytes replaced."""
    rng = random.Random(seed)
    copies = []
    for _ in range(count):
        copy = bytearray(data)
        for _ in range(rng.randint(1, 16)):
            copy[rng.randrange(len(copy))] = rng.randrange(256)
        copies.append(bytes(copy))
    return copies


def valid_pdf() -> bytes:
    """The sample PDF with the third party in every hidden place (from docfactory)."""
    return pdf_with_hidden_places()


def readable(content: bytes, filename: str) -> str:
    """Everything a reader or a tool can read in an output, whitespace collapsed."""
    if filename.endswith(".pdf"):
        return flat(pdf_text_everywhere(content))
    if filename.endswith(".docx"):
        return flat(docx_xml_text(content))
    return flat(content.decode("utf-8", "replace"))
