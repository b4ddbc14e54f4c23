"""Real files for the demo's records: PDF (PyMuPDF), DOCX (python-docx), EML and images.

Each builder takes content and returns bytes; what the content says is up to
:mod:`.records`. They deliberately fill the hidden places a redactor must clear (rule 18):
PDF metadata, annotations, outlines and embedded files, DOCX headers, comments and
properties, image EXIF, quoted e-mail replies and attachments.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from html import escape

import docx
import pymupdf
from PIL import Image, ImageDraw, ImageFont

A4 = pymupdf.paper_rect("a4")
MARGIN = 56.0
_FONT, _BOLD = "helv", "hebo"

# EXIF tag numbers (TIFF 6 / Exif 2.3): the places a photo or a scanner hides personal data.
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
IMAGE_DESCRIPTION, MAKE, MODEL, SOFTWARE, DATE_TIME, ARTIST, COPYRIGHT = (
    0x010E,
    0x010F,
    0x0110,
    0x0131,
    0x0132,
    0x013B,
    0x8298,
)
DATE_TIME_ORIGINAL, USER_COMMENT = 0x9003, 0x9286


def _pdf_date(day: dt.date) -> str:
    return f"D:{day:%Y%m%d}090000Z"


@functools.cache
def _advances(font: str) -> dict[str, float]:
    """Glyph widths of the base-14 font at size 1 (measuring through PyMuPDF per string is
    a thousand times slower, and the demo typesets thousands of lines)."""
    metrics = pymupdf.Font(font)
    return {chr(code): metrics.glyph_advance(code) for code in range(32, 256)}


def _width(text: str, size: float, font: str) -> float:
    advances = _advances(font)
    return size * sum(advances.get(char, 0.6) for char in text)


def _wrap(text: str, width: float, size: float, font: str = _FONT) -> list[str]:
    """Greedy word wrap by measured width (PyMuPDF's base-14 metrics)."""
    space = _width(" ", size, font)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words: list[str] = []
        used = 0.0
        for word in paragraph.split(" "):
            measure = _width(word, size, font)
            if words and used + space + measure > width:
                lines.append(" ".join(words))
                words, used = [], 0.0
            used = used + space + measure if words else measure
            words.append(word)
        lines.append(" ".join(words))
    return lines


class PdfFlow:
    """Flows headings and paragraphs over A4 pages with a header on each page and a
    "Page n of m" footer added at the end."""

    def __init__(self, header: str, footer: str) -> None:
        self.doc = pymupdf.open()
        self.header, self.footer = header, footer
        self.page: pymupdf.Page | None = None
        self.y = 0.0

    def _new_page(self) -> pymupdf.Page:
        page = self.doc.new_page(width=A4.width, height=A4.height)
        page.insert_text((MARGIN, 36), self.header, fontname=_BOLD, fontsize=9)
        page.draw_line((MARGIN, 42), (A4.width - MARGIN, 42), width=0.5)
        self.page, self.y = page, 70.0
        return page

    def _room(self, height: float) -> pymupdf.Page:
        if self.page is None or self.y + height > A4.height - 60:
            return self._new_page()
        return self.page

    def text(self, text: str, size: float = 10, bold: bool = False, indent: float = 0) -> None:
        font = _BOLD if bold else _FONT
        leading = size * 1.35
        lines = _wrap(text, A4.width - 2 * MARGIN - indent, size, font)
        while lines:
            # One insert_text call per page: PyMuPDF's per-call cost dominates otherwise.
            page = self._room(leading)
            fit = max(1, int((A4.height - 60 - self.y) // leading))
            block, lines = lines[:fit], lines[fit:]
            page.insert_text(
                (MARGIN + indent, self.y),
                "\n".join(block),
                fontname=font,
                fontsize=size,
                lineheight=1.35,
            )
            self.y += leading * len(block)
        self.y += size * 0.6

    def heading(self, text: str) -> None:
        self._room(40)
        self.y += 6
        self.text(text, size=12, bold=True)

    def row(self, cells: Sequence[str], widths: Sequence[float], size: float = 9) -> None:
        """A table row: each cell wrapped in its column, the row as tall as its tallest cell."""
        wrapped = [_wrap(c, w - 6, size) for c, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped) * size * 1.3 + 4
        page = self._room(height)
        x = MARGIN
        for lines, w in zip(wrapped, widths, strict=True):
            page.draw_rect(pymupdf.Rect(x, self.y - size, x + w, self.y - size + height), width=0.4)
            for n, line in enumerate(lines):
                page.insert_text((x + 3, self.y + n * size * 1.3), line, fontsize=size)
            x += w
        self.y += height

    def finish(self, metadata: dict[str, str], day: dt.date) -> pymupdf.Document:
        total = len(self.doc)
        for number in range(1, total + 1):
            page = self.doc[number - 1]
            page.draw_line((MARGIN, A4.height - 44), (A4.width - MARGIN, A4.height - 44), width=0.5)
            text = f"{self.footer}    Page {number} of {total}"
            page.insert_text((MARGIN, A4.height - 32), text, fontsize=8)
        self.doc.set_metadata(
            {
                **metadata,
                "creator": "Riverside MIS",
                "producer": "Riverside MIS",
                "creationDate": _pdf_date(day),
                "modDate": _pdf_date(day),
            }
        )
        return self.doc


def pdf_bytes(doc: pymupdf.Document) -> bytes:
    data: bytes = doc.tobytes(garbage=3, deflate=True)
    doc.close()
    return data


@dataclass(frozen=True)
class Annotation:
    """A reviewer's sticky note on the first page (PDF ``Text`` annotation)."""

    author: str
    text: str
    highlight: str | None = None  # a phrase on the page to highlight


def annotate(doc: pymupdf.Document, note: Annotation) -> None:
    page = doc[0]
    annot = page.add_text_annot((A4.width - MARGIN - 10, 80), note.text)
    annot.set_info(title=note.author, content=note.text, subject="Comment")
    annot.update()
    if note.highlight:
        for quad in page.search_for(note.highlight, quads=True)[:1]:
            mark = page.add_highlight_annot(quad)
            mark.set_info(title=note.author, content="check before sending")
            mark.update()


def attach(doc: pymupdf.Document, name: str, data: bytes, description: str) -> None:
    doc.embfile_add(name, data, filename=name, desc=description)


def _render_text_image(lines: Sequence[str], dpi: int) -> Image.Image:
    """Typeset ``lines`` on an A4 page and rasterise it, as a scanner would see it."""
    flow = PdfFlow(header="", footer="")
    for line in lines:
        flow.text(line, size=11)
    doc = flow.doc
    pix = doc[0].get_pixmap(dpi=dpi, colorspace=pymupdf.csGRAY)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    doc.close()
    return image


def _scanner_look(image: Image.Image) -> Image.Image:
    """A slight skew and grain, so the page reads as a scan, not a born-digital image."""
    skewed = image.rotate(0.6, resample=Image.Resampling.BILINEAR, fillcolor=255)
    small = (skewed.width // 4, skewed.height // 4)
    grain = Image.effect_noise(small, 40).point(lambda v: 255 if v > 90 else 200)
    grain = grain.resize(skewed.size, Image.Resampling.NEAREST)
    return Image.blend(skewed, grain.convert("L"), 0.08)


def exif_block(
    description: str,
    artist: str,
    when: dt.datetime,
    make: str,
    model: str,
    comment: str | None = None,
    gps: tuple[float, float] | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    stamp = f"{when:%Y:%m:%d %H:%M:%S}"
    exif.update({IMAGE_DESCRIPTION: description, ARTIST: artist, MAKE: make, MODEL: model})
    exif.update({SOFTWARE: "Riverside MIS", DATE_TIME: stamp, COPYRIGHT: "Riverside Academy"})
    exif_ifd = exif.get_ifd(EXIF_IFD)
    exif_ifd[DATE_TIME_ORIGINAL] = stamp
    if comment:
        exif_ifd[USER_COMMENT] = b"ASCII\x00\x00\x00" + comment.encode("ascii", "replace")
    if gps:
        lat, lon = gps
        exif.get_ifd(GPS_IFD).update(
            {1: "N" if lat >= 0 else "S", 2: _dms(lat), 3: "E" if lon >= 0 else "W", 4: _dms(lon)}
        )
    return exif


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round(((value - degrees) * 60 - minutes) * 60, 2))


def _save(image: Image.Image, fmt: str, exif: Image.Exif) -> bytes:
    buffer = io.BytesIO()
    if fmt == "PNG":
        image.save(buffer, "PNG", exif=exif.tobytes(), compress_level=1)
    else:
        image.save(buffer, "JPEG", exif=exif.tobytes(), quality=80)
    return buffer.getvalue()


def scanned_image(lines: Sequence[str], exif: Image.Exif, fmt: str = "JPEG") -> bytes:
    """A scanned-looking page of text (JPEG or PNG) carrying the scanner's EXIF."""
    return _save(_scanner_look(_render_text_image(lines, dpi=110)), fmt, exif)


def scanned_pdf(lines: Sequence[str], metadata: dict[str, str], day: dt.date) -> bytes:
    """A PDF whose only page is an image of text: no text layer until someone OCRs it."""
    image = _scanner_look(_render_text_image(lines, dpi=110))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=75)
    doc = pymupdf.open()
    page = doc.new_page(width=A4.width, height=A4.height)
    page.insert_image(page.rect, stream=buffer.getvalue())
    doc.set_metadata({**metadata, "creationDate": _pdf_date(day), "modDate": _pdf_date(day)})
    return pdf_bytes(doc)


def photo(caption: str, exif: Image.Exif, seed: int, fmt: str = "JPEG") -> bytes:
    """A simple outdoor scene with two figures and a caption burned into the picture."""
    width, height = 640, 420
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        sky = (120 + y // 6, 170 + y // 8, 235) if y < 260 else (70, 150 - (y - 260) // 4, 60)
        draw.line([(0, y), (width, y)], fill=sky)
    draw.ellipse((520, 30, 590, 100), fill=(250, 220, 90))
    palette = ((200, 40, 40), (40, 80, 200), (240, 160, 30), (120, 40, 160))
    for n, x in enumerate((220, 380)):
        colour = palette[(seed + n) % len(palette)]
        draw.ellipse((x - 22, 150, x + 22, 194), fill=(120 + 40 * n, 80 + 20 * n, 60))
        draw.rectangle((x - 30, 196, x + 30, 290), fill=colour)
        draw.rectangle((x - 24, 290, x - 6, 350), fill=(30, 30, 60))
        draw.rectangle((x + 6, 290, x + 24, 350), fill=(30, 30, 60))
    draw.rectangle((0, height - 56, width, height), fill=(255, 255, 255))
    font = ImageFont.load_default(size=22)
    draw.text((16, height - 44), caption, fill=(0, 0, 0), font=font)
    return _save(image, fmt, exif)


@dataclass(frozen=True)
class DocxComment:
    """A Word comment anchored to the paragraph that contains ``anchor``."""

    anchor: str
    text: str
    author: str
    initials: str


def docx_plan(
    title: str,
    header: str,
    footer: str,
    paragraphs: Sequence[str],
    table: Sequence[Sequence[str]],
    comment: DocxComment,
    author: str,
    day: dt.date,
) -> bytes:
    """A Word plan: a header and footer, paragraphs, a table (first row is the heading)
    and a reviewer's comment; ``author`` goes into the document properties."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    section.footer.paragraphs[0].text = footer
    document.add_heading(title, level=1)
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
        if comment.anchor in text:
            document.add_comment(
                paragraph.runs, text=comment.text, author=comment.author, initials=comment.initials
            )
    grid = document.add_table(rows=0, cols=len(table[0]))
    grid.style = "Table Grid"
    for row in table:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = value
    props = document.core_properties
    props.author = props.last_modified_by = author
    props.title, props.subject = title, header
    props.created = props.modified = dt.datetime.combine(day, dt.time(9, 0))
    props.revision = 3
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class Mail:
    sender: str  # "Name <address>"
    to: str
    sent: dt.datetime
    body: str  # new text only; earlier messages are quoted below it automatically


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


def _quoted(mail: Mail, below: str) -> str:
    when = f"{mail.sent:%a, %d %b %Y} at {mail.sent:%H:%M}"
    quoted = "\n".join(f"> {line}" if line else ">" for line in below.splitlines())
    return f"On {when}, {mail.sender} wrote:\n{quoted}"


def eml_thread(
    subject: str, thread: Sequence[Mail], message_id: str, attachment: Attachment | None
) -> bytes:
    """The last message of a thread, quoting every earlier one beneath it (as mail clients
    do), with a plain-text and an HTML body and an optional attachment."""
    body = thread[0].body
    for previous, mail in zip(thread, thread[1:], strict=False):
        body = f"{mail.body}\n\n{_quoted(previous, body)}"
    last = thread[-1]
    message = EmailMessage()
    message["From"], message["To"] = last.sender, last.to
    message["Subject"] = f"Re: {subject}" if len(thread) > 1 else subject
    message["Date"] = format_datetime(last.sent)
    message["Message-ID"] = f"<{message_id}.{len(thread)}@riverside-academy.example>"
    if len(thread) > 1:
        message["In-Reply-To"] = f"<{message_id}.{len(thread) - 1}@riverside-academy.example>"
    message.set_content(body)
    html = "".join(
        f"<blockquote>{escape(line[2:])}</blockquote>"
        if line.startswith("> ")
        else f"<p>{escape(line)}</p>"
        for line in body.splitlines()
        if line
    )
    message.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
    if attachment is not None:
        message.add_attachment(
            attachment.content,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
        )
    return message.as_bytes()
