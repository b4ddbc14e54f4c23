"""Assembling the pack PDF with PyMuPDF: cover letter, contents, the redacted documents,
bookmarks, page numbers and a footer on every page; the DPO's copy adds the redaction schedule.

Documents are inserted one at a time: each is loaded (decrypted) just before it is copied in
and released straight after, so building an 800-page pack holds one source document at a time
next to the pack being built. The front matter (cover letter and contents) is laid out once
with placeholder page numbers to learn its length, then again with the real numbers and put
in front of the documents.

Everything here works on plain data (:class:`PackDocument`, :class:`PackInfo`), so the
offline ``pupil-privacy pack`` command and the RQ jobs share it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pymupdf

from pupil_privacy.redaction.errors import CorruptDocument

from ..mis import RecordCategory
from .tagging import FOOTER, HEADING, Section, tag, write_marked

A4 = pymupdf.paper_rect("a4")
MARGIN = 56.0
FOOTER_SIZE = 7.5
INK = (0.1, 0.1, 0.1)
GREY = (0.4, 0.4, 0.4)
LANGUAGE = "en-GB"
#: The contents group of records withheld without naming them (rule 14), listed last.
UNNAMED = "not-included"


@dataclass(frozen=True)
class PackDocument:
    """One document as the pack shows it.

    :param title: the title printed in the contents and bookmarks: already cleared of third
        parties' data (rule 18: bookmarks are part of what is disclosed).
    :param status: ``done``, ``failed`` or ``withheld``.
    :param reason: why it failed, or the exemption it is withheld under.
    :param load: returns the redacted PDF's bytes (decrypting it); only for ``done``.
    """

    title: str
    category: str
    status: str
    created: dt.date | None = None
    source: str = ""
    reason: str | None = None
    load: Callable[[], bytes] | None = None
    ref: str = ""  # the caller's id for it (document id), echoed in placements
    note: str | None = None  # a line under its contents entry (a clip's duration, faces)


@dataclass(frozen=True)
class PackInfo:
    reference: str
    school_name: str
    subject_name: str
    release_date: dt.date
    cover_sections: Sequence[tuple[str, str]]
    requester_name: str | None = None


@dataclass(frozen=True)
class Placement:
    """Where a document's pages ended up in the pack (1-based, inclusive)."""

    ref: str
    title: str
    first_page: int
    last_page: int


@dataclass
class BuiltPack:
    data: bytes  # the PDF, in memory: a plaintext pack is never written to disk
    pages: int
    placements: list[Placement] = field(default_factory=list)
    front_pages: int = 0
    texts: dict[str, str] = field(default_factory=dict)  # ref -> the document's redacted text


@dataclass(frozen=True)
class ScheduleRow:
    """One line of the DPO's redaction schedule (rule 19)."""

    document: str
    page: int | None
    entity_type: str
    reason: str
    detector: str
    score: float
    action: str
    text: str
    confirmed_by: str | None = None


def category_label(category: str) -> str:
    if category == UNNAMED:
        return "Records not included"
    try:
        return RecordCategory(category).label
    except ValueError:
        return category.replace("_", " ").capitalize()


def category_order(category: str) -> int:
    order = list(RecordCategory)
    try:
        return order.index(RecordCategory(category))
    except ValueError:
        return len(order)


def group_documents(documents: Iterable[PackDocument]) -> list[tuple[str, list[PackDocument]]]:
    """Documents by category in the notice's order, oldest first inside each."""
    groups: dict[str, list[PackDocument]] = {}
    for doc in documents:
        groups.setdefault(doc.category, []).append(doc)
    ordered = sorted(groups.items(), key=lambda kv: (category_order(kv[0]), kv[0]))
    return [
        (cat, sorted(docs, key=lambda d: (d.created or dt.date.min, d.title)))
        for cat, docs in ordered
    ]


@dataclass(frozen=True)
class Link:
    """A contents entry's link: ``page`` (0-based) holds it, ``target`` is the 1-based page it
    goes to, ``label`` what it says (a screen reader reads it for the link)."""

    page: int
    rect: pymupdf.Rect
    target: int
    label: str


def _insert_link(doc: pymupdf.Document, link: Link) -> None:
    page = doc[link.page]
    page.insert_link({"kind": pymupdf.LINK_GOTO, "from": link.rect, "page": link.target - 1})
    xref = page.annot_xrefs()[-1][0]  # insert_link appends to /Annots
    description = f"{link.label}, page {link.target}"
    doc.xref_set_key(xref, "Contents", pymupdf.get_pdf_str(description))


class Writer:
    """A small line-layout engine over new A4 pages, with Unicode-capable base-14 fonts."""

    def __init__(self, doc: pymupdf.Document) -> None:
        self.doc = doc
        self.regular = pymupdf.Font("helv")
        self.bold = pymupdf.Font("hebo")
        self.mono_font = pymupdf.Font("cour")
        self._mono: list[str] = []
        self._mono_at = (0.0, 0.0)
        self.page: pymupdf.Page | None = None
        self.writer: pymupdf.TextWriter | None = None
        self.y = 0.0
        self.links: list[Link] = []
        self.width = A4.width - 2 * MARGIN
        self._advances: dict[tuple[bool, str], float] = {}

    def length(self, text: str, size: float, bold: bool = False) -> float:
        """Width of ``text``; glyph advances are cached (``Font.text_length`` costs a MuPDF
        call per character, which dominated building a contents page)."""
        font = self.bold if bold else self.regular
        total = 0.0
        for char in text:
            advance = self._advances.get((bold, char))
            if advance is None:
                advance = self._advances[(bold, char)] = font.glyph_advance(ord(char))
            total += advance
        return total * size

    def new_page(self) -> None:
        self.flush()
        self.page = self.doc.new_page(width=A4.width, height=A4.height)
        self.writer = pymupdf.TextWriter(self.page.rect)
        self.y = MARGIN

    def flush(self) -> None:
        self._emit_mono()
        if self.page is not None and self.writer is not None:
            self.writer.write_text(self.page, color=INK)
        self.page, self.writer = None, None

    def ensure(self, height: float) -> None:
        if self.page is None or self.y + height > A4.height - MARGIN:
            self.new_page()

    def wrap(
        self, text: str, size: float, bold: bool = False, width: float | None = None
    ) -> list[str]:
        limit = width or self.width
        space = self.length(" ", size, bold)
        lines: list[str] = []
        for para in text.split("\n"):
            line, used = "", 0.0
            for word in para.split(" "):
                wide = self.length(word, size, bold)
                if not line or used + space + wide <= limit:
                    line, used = (f"{line} {word}", used + space + wide) if line else (word, wide)
                else:
                    lines.append(line)
                    line, used = word, wide
            lines.append(line)
        return lines

    def fit(self, text: str, width: float, size: float, bold: bool = False) -> str:
        """``text`` cut with an ellipsis to fit ``width``."""
        text = " ".join(text.split())
        if self.length(text, size, bold) <= width:
            return text
        room = width - self.length("...", size, bold)
        used, cut = 0.0, 0
        while cut < len(text) and used + self.length(text[cut], size, bold) <= room:
            used += self.length(text[cut], size, bold)
            cut += 1
        return text[:cut].rstrip() + "..."

    def text(
        self,
        text: str,
        *,
        size: float = 10.0,
        bold: bool = False,
        indent: float = 0.0,
        after: float = 4.0,
    ) -> None:
        lead = size * 1.35
        for line in self.wrap(text, size, bold, self.width - indent):
            self.ensure(lead)
            self._put(MARGIN + indent, line, size, bold)
            self.y += lead
        self.y += after

    def heading(self, text: str, size: float = 14.0) -> None:
        self.ensure(size * 3.2)
        self.y += size * 0.4
        self.text(text, size=size, bold=True, after=size * 0.3)

    def columns(
        self,
        cells: Sequence[str],
        widths: Sequence[float],
        *,
        size: float = 8.0,
        bold: bool = False,
        link_to: int | None = None,
        indent: float = 0.0,
    ) -> None:
        lead = size * 1.45
        self.ensure(lead)
        x = MARGIN
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            pad = indent if index == 0 else 0.0
            self._put(x + pad, self.fit(cell, width - 4 - pad, size, bold), size, bold)
            x += width
        if link_to is not None and self.page is not None:
            rect = pymupdf.Rect(MARGIN, self.y - 2, MARGIN + sum(widths), self.y + lead - 2)
            self.links.append(Link(self.page.number, rect, link_to, " ".join(cells[0].split())))
        self.y += lead

    def mono(self, line: str, *, size: float) -> None:
        """One line in a monospaced font (tables of fixed-width cells). Consecutive lines are
        written in one ``insert_text`` per page: a schedule has thousands of rows, and one
        text run per row (let alone per cell) dominated building the DPO copy."""
        lead = size * 1.45
        if self.page is None or self.y + lead > A4.height - MARGIN:
            self.new_page()
        if not self._mono:
            self._mono_at = (self.y + size, size)
        self._mono.append(line)
        self.y += lead

    def mono_rows(self, lines: Sequence[str], header: Sequence[str], *, size: float) -> None:
        """A table row of monospaced ``lines`` kept on one page; a new page starts with
        ``header`` (the column names) again."""
        room = A4.height - MARGIN - self.y
        if self.page is not None and len(lines) * size * 1.45 > room and self._mono:
            self.new_page()
            for line in header:
                self.mono(line, size=size)
        for line in lines:
            self.mono(line, size=size)

    def _emit_mono(self) -> None:
        if self._mono and self.page is not None:
            self.page.insert_font(fontname="PPMono", fontbuffer=self.mono_font.buffer)
            (y, size) = self._mono_at
            self.page.insert_text(
                (MARGIN, y),
                self._mono,
                fontname="PPMono",
                fontsize=size,
                lineheight=1.45,
                color=INK,
            )
        self._mono = []

    def _put(self, x: float, line: str, size: float, bold: bool) -> None:
        assert self.writer is not None
        if line:
            self.writer.append(
                (x, self.y + size), line, font=self.bold if bold else self.regular, fontsize=size
            )


def _front_matter(
    info: PackInfo, groups: list[tuple[str, list[PackDocument]]], first_pages: dict[int, int]
) -> tuple[pymupdf.Document, int, list[Link]]:
    """Cover letter and contents; ``first_pages`` maps ``id(doc)`` to its first page (or 0).

    :returns: the front matter, the page the contents start on (0-based) and its links.
    """
    out = pymupdf.open()
    w = Writer(out)
    w.new_page()
    w.text(info.school_name, size=11, bold=True, after=2)
    w.text(f"Reference {info.reference}    {info.release_date:%d %B %Y}", size=9, after=14)
    w.heading(f"Your subject access request: {info.subject_name}", 16)
    for heading, body in info.cover_sections:
        w.heading(heading, 11.5)
        w.text(body, size=9.5, after=6)
    w.new_page()
    contents_start = out.page_count - 1
    w.heading("Contents", 16)
    widths = [w.width - 150, 90, 60]
    w.columns(["Document", "Date", "Page"], widths, size=8.5, bold=True)
    for category, docs in groups:
        w.y += 4
        w.columns([category_label(category), "", ""], widths, size=9.5, bold=True)
        for doc in docs:
            date = f"{doc.created:%d/%m/%Y}" if doc.created else ""
            if doc.status == "done":
                page = first_pages.get(id(doc), 0)
                w.columns(
                    [doc.title, date, str(page) if page else "-"],
                    widths,
                    link_to=page or None,
                    indent=12,
                )
                if doc.note:
                    w.text(doc.note, size=8, indent=24, after=2)
            elif category == UNNAMED:  # the DPO's words are the whole entry
                w.text(doc.title, size=8, indent=12, after=2)
            else:
                w.columns([doc.title, date, ""], widths, indent=12)
                w.text(_not_included(doc), size=8, indent=24, after=2)
    w.flush()
    return out, contents_start, w.links


def _not_included(doc: PackDocument) -> str:
    if doc.status == "withheld":
        return f"Not included: {doc.reason or 'an exemption in the Data Protection Act 2018'}"
    return f"Not included yet, it could not be processed: {doc.reason or 'unknown error'}"


class UnreadableDocument(CorruptDocument):
    """A stored redacted copy is not a readable PDF; ``ref`` says which document."""

    def __init__(self, ref: str, reason: str) -> None:
        super().__init__(reason)
        self.ref = ref


def _insert_document(out: pymupdf.Document, doc: PackDocument) -> tuple[int, str]:
    """Copy one redacted PDF in; returns its page count and text. The bytes are dropped on
    return, so only one source document is held at a time."""
    assert doc.load is not None
    data = doc.load()
    try:
        src = pymupdf.open(stream=data, filetype="pdf")
    except (pymupdf.FileDataError, RuntimeError) as exc:
        raise UnreadableDocument(doc.ref, "the stored redacted copy cannot be read") from exc
    with src:
        text = "\n".join(src[i].get_text() for i in range(src.page_count))
        out.insert_pdf(src, links=False, annots=True)
        return int(src.page_count), text


def build_pack(info: PackInfo, documents: Sequence[PackDocument]) -> BuiltPack:
    """The requester's copy, built in memory (the caller encrypts it before it is stored).

    :raises CorruptDocument: when a stored redacted copy cannot be read (the caller marks the
        document failed and builds again).
    """
    groups = group_documents(documents)
    probe, _, _ = _front_matter(info, groups, {id(d): 999 for _, ds in groups for d in ds})
    front_pages = probe.page_count
    probe.close()

    body = pymupdf.open()
    first_pages: dict[int, int] = {}
    page_ranges: dict[int, range] = {}  # id(doc) -> its 0-based pages in the finished pack
    placements: list[Placement] = []
    texts: dict[str, str] = {}
    for _, docs in groups:
        for doc in docs:
            if doc.status != "done" or doc.load is None:
                continue
            first = front_pages + body.page_count + 1
            count, texts[doc.ref] = _insert_document(body, doc)
            if count:
                _header(body[first - front_pages - 1], doc)
                first_pages[id(doc)] = first
                page_ranges[id(doc)] = range(first - 1, first - 1 + count)
                placements.append(Placement(doc.ref, doc.title, first, first + count - 1))

    front, contents_start, links = _front_matter(info, groups, first_pages)
    if front.page_count != front_pages:  # pragma: no cover - layout is number-independent
        raise RuntimeError("contents layout changed between passes")
    body.insert_pdf(front, start_at=0)
    front.close()
    for link in links:
        _insert_link(body, link)
    body.set_toc(_outline(groups, first_pages, contents_start))
    footer = (
        f"{info.school_name} - subject access request {info.reference} - "
        f"released {info.release_date:%d %B %Y}"
    )
    footers(body, footer)
    tag(body, _sections(groups, page_ranges, contents_start, front_pages))
    describe(body, pack_title(info))
    body.subset_fonts()
    data = body.tobytes(garbage=3, deflate=True)
    pages = body.page_count
    body.close()
    return BuiltPack(data, pages, placements, front_pages, texts)


def pack_title(info: PackInfo) -> str:
    """The pack's document title: what a PDF reader shows in its title bar (issue 12)."""
    return f"Subject access request {info.reference} - {info.school_name}"


def _outline(
    groups: list[tuple[str, list[PackDocument]]], first_pages: dict[int, int], contents_start: int
) -> list[list[object]]:
    """A bookmark per category and per document; categories with nothing to show point at
    the contents, where the reason is listed."""
    contents_page = contents_start + 1
    toc: list[list[object]] = [[1, "Cover letter", 1], [1, "Contents", contents_page]]
    for category, docs in groups:
        pages = [first_pages[id(d)] for d in docs if id(d) in first_pages]
        toc.append([1, category_label(category), pages[0] if pages else contents_page])
        for doc in docs:
            target = first_pages.get(id(doc))
            title = doc.title if target else f"{doc.title} ({_not_included(doc).split(':')[0]})"
            toc.append([2, title, target or contents_page])
    return toc


def _sections(
    groups: list[tuple[str, list[PackDocument]]],
    page_ranges: dict[int, range],
    contents_start: int,
    front_pages: int,
) -> list[Section]:
    """The structure tree's sections, named as the bookmarks are (:func:`_outline`): the cover
    letter, the contents, and a part per category holding a section per record in the pack."""
    sections = [
        Section("Sect", "Cover letter", range(0, contents_start)),
        Section("Sect", "Contents", range(contents_start, front_pages)),
    ]
    for category, docs in groups:
        placed = [d for d in docs if id(d) in page_ranges]
        records = [Section("Sect", d.title, page_ranges[id(d)]) for d in placed]
        if records:
            sections.append(Section("Part", category_label(category), children=records))
    return sections


def describe(doc: pymupdf.Document, title: str) -> None:
    """Title and language in the catalog, so a screen reader reads the pack in English and
    a viewer shows the title rather than a file name; it opens with the bookmarks shown.
    The title names the request, not a person: previews and file lists show it."""
    doc.set_metadata({"title": title, "creator": "pupil-privacy", "producer": "pupil-privacy"})
    catalog = doc.pdf_catalog()
    doc.xref_set_key(catalog, "Lang", pymupdf.get_pdf_str(LANGUAGE))
    doc.xref_set_key(catalog, "ViewerPreferences", "<</DisplayDocTitle true>>")
    doc.xref_set_key(catalog, "PageMode", "/UseOutlines")


def _header(page: pymupdf.Page, doc: PackDocument) -> None:
    """Name the document at the top of its first page, where its bookmark lands."""
    isolate(page)
    date = f" - {doc.created:%d/%m/%Y}" if doc.created else ""
    line = f"{doc.title} - {category_label(doc.category)}{date}"
    font = pymupdf.Font("hebo")
    writer = pymupdf.TextWriter(page.rect)
    writer.append((MARGIN / 2, 18), line, font=font, fontsize=8)
    write_marked(page, writer, GREY, HEADING)


def isolate(page: pymupdf.Page) -> None:
    """Wrap a page's own drawing commands in q/Q, so a transformation it leaves in force
    (some generators flip the y axis) does not move or mirror the footer we add."""
    if not page.is_wrapped:
        page.wrap_contents()


def footers(doc: pymupdf.Document, text: str, start: int = 0, label: str = "Page") -> None:
    font = pymupdf.Font("helv")
    total = doc.page_count
    for index in range(start, total):
        page = doc[index]
        isolate(page)
        rect = page.rect
        line = f"{text} - {label} {index + 1} of {total}"
        width = sum(font.glyph_advance(ord(c)) for c in line) * FOOTER_SIZE
        writer = pymupdf.TextWriter(rect)
        writer.append(
            ((rect.width - width) / 2, rect.height - 14), line, font=font, fontsize=FOOTER_SIZE
        )
        write_marked(page, writer, GREY, FOOTER)


def page_texts(pdf: bytes) -> Iterator[str]:
    """The text of each page of a built pack, one page at a time (for the leak check)."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for index in range(doc.page_count):
            yield doc[index].get_text()
