"""Real documents made in memory, for records in the fake school."""

from __future__ import annotations

import functools
import io
import zipfile

import docx
import pymupdf


def pdf_bytes(text: str) -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_textbox(pymupdf.Rect(60, 60, 540, 780), text, fontsize=11)
    data = doc.tobytes()
    doc.close()
    return bytes(data)


def encrypted_pdf_bytes(text: str) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    data = doc.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, owner_pw="o", user_pw="secret")
    doc.close()
    return bytes(data)


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for para in paragraphs:
        document.add_paragraph(para)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def zip_bomb_docx() -> bytes:
    """A .docx whose document.xml inflates to 320 MB from about 1.5 MB: refused, not unpacked.
    (Fast deflate, built once per session: it is the ratio that matters.)"""
    good = zipfile.ZipFile(io.BytesIO(docx_bytes(["placeholder"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        for item in good.infolist():
            if item.filename == "word/document.xml":
                with bomb.open("word/document.xml", "w", force_zip64=True) as handle:
                    chunk = b" " * (1 << 20)
                    for _ in range(320):
                        handle.write(chunk)
            else:
                bomb.writestr(item, good.read(item.filename))
    return out.getvalue()


def pdf_text(data: bytes) -> str:
    """Every page's text of a PDF, as a reader (or a copy-and-paste) would get it."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)
