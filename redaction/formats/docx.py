"""True removal from Word documents (DOCX), working on every XML part of the package.

python-docx only models the body, tables, headers/footers and comments; a name can also
hide in footnotes, text boxes, tracked deletions, comment authors, people.xml, document
properties, custom properties, document variables, hyperlink targets and embedded
images. So the zip is rewritten part by part with lxml:

- every paragraph (``w:p``, and DrawingML ``a:p``) is one text unit, whatever runs its
  text is split into, so a name split across formatting runs is found and removed;
- tracked changes are accepted: deleted text is dropped, insertions kept;
- author and initials attributes become "Reviewer"; picture alt text is cleared;
  core/app/custom properties and document variables are cleared (the title is kept,
  redacted);
- external link targets holding third-party data are replaced with ``#``;
- images lose their metadata and OCR-found third-party text; embedded objects are
  removed with a warning (their preview image stays).

Before unzipping, the archive's declared sizes are checked (zip bomb).
"""

from __future__ import annotations

import io
import lzma
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from lxml import etree

from ..errors import CorruptDocument, DocumentError, DocumentTooLarge, EncryptedDocument
from ..report import DetectorLike, Outcome, record
from ..types import Finding
from . import office
from .image import (
    OCR_UNAVAILABLE,
    clean_copy,
    encode,
    ocr_available,
    open_image,
    redact_regions,
    remove_faces,
)
from .text import MAX_ROUNDS, kept_records, merge_spans, redact_units, render_pdf, unit_records

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
XML_NS = "http://www.w3.org/XML/1998/namespace"
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

# Zip bomb limits: total expanded size, one entry's expansion ratio, number of entries,
# and one XML part (parsed into a tree several times its size, so kept well under 500 MB).
# Counted on the bytes actually inflated, read in chunks: the headers can lie.
MAX_UNZIPPED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_ENTRIES = 5000
MAX_XML_PART = 24 * 1024 * 1024
_CHUNK = 1 << 16
# What zipfile and its decompressors raise on a damaged or unsupported member.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,
    OSError,
    ValueError,
    RuntimeError,
)
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # password-protected Office files use it

_TEXT = {f"{{{W}}}t", f"{{{W}}}instrText", f"{{{A}}}t"}
_SEPARATORS = {f"{{{W}}}tab": "\t", f"{{{W}}}br": "\n", f"{{{W}}}cr": "\n"}
_CHART_VALUE = "{http://schemas.openxmlformats.org/drawingml/2006/chart}v"
_PARAS = {f"{{{W}}}p", f"{{{A}}}p"}
# Tracked changes: removed outright (deleted or moved-away text) or unwrapped (accepted).
_DROP = (
    "del",
    "moveFrom",
    "rPrChange",
    "pPrChange",
    "sectPrChange",
    "tblPrChange",
    "tcPrChange",
    "trPrChange",
    "numberingChange",
    "docVars",
    "attachedTemplate",
)
_UNWRAP = ("ins", "moveTo")
_AUTHOR_ATTRS = {
    f"{{{W}}}author": "Reviewer",
    f"{{{W}}}initials": "R",
    f"{{{W15}}}author": "Reviewer",
}
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
PIC = "http://schemas.openxmlformats.org/drawingml/2006/picture"
_ALT_TEXT_OWNERS = (f"{{{WP}}}docPr", f"{{{PIC}}}cNvPr")
_KEEP_CORE = {"created", "modified", "revision", "title", "language"}
_IMAGE_TYPES = (".png", ".jpg", ".jpeg")


def _parser() -> etree.XMLParser:
    # No entity expansion and no network: a DOCX is untrusted input.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def open_zip(data: bytes, filename: str) -> zipfile.ZipFile:
    """Open the package after checking it is not encrypted and not a zip bomb."""
    if data.startswith(CFB_MAGIC):
        raise EncryptedDocument(f"{filename} is password-protected; ask for an unprotected copy")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        raise CorruptDocument(f"{filename} is damaged and cannot be read as a Word file") from exc
    if len(infos) > MAX_ENTRIES:
        raise DocumentTooLarge(f"{filename} holds {len(infos)} parts; this looks like a zip bomb")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise DocumentTooLarge(
            f"{filename} would expand to {total // 2**20} MB; over the "
            f"{MAX_UNZIPPED // 2**20} MB limit (a zip bomb?)"
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise EncryptedDocument(f"{filename} has encrypted parts; ask for an unprotected copy")
        ratio = info.file_size // max(1, info.compress_size)
        if info.file_size > 1_000_000 and ratio > MAX_RATIO:
            raise DocumentTooLarge(
                f"{filename}: part {info.filename} expands {ratio}x: a zip bomb?"
            )
    if "word/document.xml" not in archive.namelist():
        raise CorruptDocument(f"{filename} is not a Word document (no word/document.xml)")
    return archive


def read_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, filename: str, already: int
) -> bytes:
    """Inflate one part in chunks, refusing it as soon as it grows past a limit.

    ``ZipFile.read`` inflates a whole member in one call whatever its header says (a
    1 MB part can become 1 GB in memory before anything can object); reading in chunks
    with a running total keeps memory flat and stops at the limit.

    :param already: bytes inflated from earlier parts (the total is capped too).
    :raises DocumentTooLarge: over :data:`MAX_UNZIPPED`, :data:`MAX_XML_PART` or the ratio.
    :raises CorruptDocument: a damaged, truncated or unsupported member.
    """
    xml = info.filename.endswith((".xml", ".rels"))
    limit = min(MAX_XML_PART if xml else MAX_UNZIPPED, MAX_UNZIPPED - already)
    ratio_floor = max(1_000_000, MAX_RATIO * max(1, info.compress_size))
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit or size > ratio_floor:
                    raise DocumentTooLarge(
                        f"{filename}: part {info.filename} expands past "
                        f"{size // 2**20} MB (limit {limit // 2**20} MB, or {MAX_RATIO}x "
                        "its packed size): a zip bomb?"
                    )
                chunks.append(chunk)
    except _ZIP_ERRORS as exc:
        raise CorruptDocument(
            f"{filename} is damaged: part {info.filename} cannot be unpacked"
        ) from exc
    return b"".join(chunks)


@dataclass
class Paragraph:
    """One paragraph's text, split into segments that map back to XML text nodes."""

    where: str
    nodes: list[etree._Element | None] = field(default_factory=list)  # None: a separator
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.texts)

    def apply(self, spans: Sequence[tuple[int, int]], label: str) -> str:
        """Remove the spans from the text nodes, writing the label where each span starts."""
        full = self.text
        merged = merge_spans(spans, full)
        bounds, pos = [], 0
        for piece in self.texts:
            bounds.append((pos, pos + len(piece)))
            pos += len(piece)
        hosts = [self._host(s, e, bounds) for s, e in merged]
        for i, (a, b) in enumerate(bounds):
            node = self.nodes[i]
            if node is None or not any(s < b and e > a for s, e in merged):
                continue
            out, j = [], a
            for (s, e), host in zip(merged, hosts, strict=True):
                if e <= a or s >= b:
                    continue
                out.append(full[j : max(s, a)])
                if host == i:
                    out.append(f"[{label}]")
                j = min(e, b)
            out.append(full[j:b])
            self.texts[i] = "".join(out)
            _set_text(node, self.texts[i])
        return self.text

    def _host(self, start: int, end: int, bounds: list[tuple[int, int]]) -> int:
        for i, (a, b) in enumerate(bounds):
            if self.nodes[i] is not None and a < end and b > start:
                return i
        return -1


def _set_text(node: etree._Element, text: str) -> None:
    node.text = text
    if node.tag == f"{{{W}}}t":
        node.set(f"{{{XML_NS}}}space", "preserve")


def _own_paragraph(node: etree._Element, para: etree._Element) -> bool:
    for ancestor in node.iterancestors():
        if ancestor.tag in _PARAS:
            return ancestor is para
    return False


def paragraphs(root: etree._Element, part: str) -> Iterator[Paragraph]:
    """Every paragraph of a part, each with only its own text (not nested text boxes)."""
    for index, para in enumerate(root.iter(*_PARAS)):
        unit = Paragraph(where=f"{part} paragraph {index + 1}")
        for node in para.iter():
            if node.tag in _TEXT and _own_paragraph(node, para):
                unit.nodes.append(node)
                unit.texts.append(node.text or "")
            elif node.tag in _SEPARATORS and _own_paragraph(node, para):
                unit.nodes.append(None)
                unit.texts.append(_SEPARATORS[node.tag])
        if unit.text.strip():
            yield unit
    for index, value in enumerate(root.iter(_CHART_VALUE)):
        if value.text and any(c.isalpha() for c in value.text):  # a label, not a number
            yield Paragraph(f"{part} chart value {index + 1}", [value], [value.text])


def accept_changes(root: etree._Element) -> None:
    """Accept tracked changes and drop hidden data: deleted text must not survive."""
    for local in _DROP:
        for node in list(root.iter(f"{{{W}}}{local}")):
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
    for local in _UNWRAP:
        for node in list(root.iter(f"{{{W}}}{local}")):
            parent = node.getparent()
            if parent is None:
                continue
            index = parent.index(node)
            for child in reversed(list(node)):
                parent.insert(index, child)
            parent.remove(node)
    for node in root.iter():
        for attr, value in _AUTHOR_ATTRS.items():
            if node.get(attr) is not None:
                node.set(attr, value)
    for node in root.iter(*_ALT_TEXT_OWNERS):
        for attr in ("descr", "title"):  # alt text of pictures and shapes
            if node.get(attr):
                node.set(attr, "")
    for node in list(root.iter(f"{{{W15}}}presenceInfo")):
        node.getparent().remove(node)


def scrub_properties(name: str, root: etree._Element) -> list[etree._Element]:
    """Clear document properties; returns the elements (title) to redact as text."""
    keep: list[etree._Element] = []
    if name == "docProps/core.xml":
        for child in root:
            local = etree.QName(child).localname
            if local == "title":
                keep.append(child)
            elif local not in _KEEP_CORE:
                child.text = ""
    elif name == "docProps/custom.xml":
        for child in list(root):
            root.remove(child)
    elif name == "docProps/app.xml":
        for child in root:
            if etree.QName(child).localname in ("Company", "Manager", "HyperlinkBase"):
                child.text = ""
            elif etree.QName(child).localname == "TitlesOfParts":
                for node in child.iter():
                    if node.text and node.text.strip():
                        node.text = ""
    elif name.startswith("customXml/item") and not name.endswith(".rels"):
        for node in root.iter():
            node.text = None if len(node) else ""
    return keep


@dataclass
class Package:
    """The parsed parts of a DOCX: XML trees, and the raw bytes of everything else."""

    order: list[str]
    xml: dict[str, etree._Element]
    raw: dict[str, bytes]

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
            for name in self.order:
                if name in self.xml:
                    body = etree.tostring(
                        self.xml[name], xml_declaration=True, encoding="UTF-8", standalone=True
                    )
                else:
                    body = self.raw[name]
                out.writestr(name, body)
        return buffer.getvalue()


def load(data: bytes, filename: str) -> Package:
    archive = open_zip(data, filename)
    package = Package(order=[], xml={}, raw={})
    total = 0
    with archive:
        for info in archive.infolist():
            name = info.filename
            if name in package.raw or name in package.xml:
                continue  # a repeated name: only one copy is read, so only one is written
            package.order.append(name)
            body = read_part(archive, info, filename, already=total)
            total += len(body)
            if name.endswith((".xml", ".rels")):
                try:
                    package.xml[name] = etree.fromstring(body, _parser())
                except etree.XMLSyntaxError as exc:
                    raise CorruptDocument(f"{filename}: part {name} is damaged XML") from exc
            else:
                package.raw[name] = body
    return package


def _external_targets(package: Package) -> list[etree._Element]:
    return [
        rel
        for name, root in package.xml.items()
        if name.endswith(".rels")
        for rel in root.iter(f"{{{REL_NS}}}Relationship")
        if rel.get("TargetMode") == "External"
    ]


def redact_media(
    package: Package, detector: DetectorLike, filename: str, label: str, out: Outcome
) -> None:
    """Strip metadata from images (and OCR-redact them); drop embedded objects."""
    ocr = ocr_available()
    for name in [n for n in package.raw if n.startswith("docProps/thumbnail")]:
        # A picture of the first page as it was: it would show every name on it.
        package.raw[name] = _blank(name)
    for name in [n for n in package.raw if n.startswith("word/")]:
        lower = name.lower()
        if lower.endswith(_IMAGE_TYPES):
            try:
                image = clean_copy(open_image(package.raw[name], name))
            except DocumentError as exc:
                raise CorruptDocument(f"{filename}: image {name}: {exc.reason}") from exc
            rows, kept, notes = remove_faces(image, detector, f"{filename} ({name})")
            out.records += rows
            out.review += kept
            out.warnings += notes
            if ocr:
                overruled: list[Finding] = []
                removed, review = redact_regions(image, detector, name, label, kept=overruled)
                out.records += [record(f, f"{filename} ({name})") for f in removed]
                out.review += [record(f, f"{filename} ({name})") for f in review]
                out.kept += [record(f, f"{filename} ({name})") for f in overruled]
            fmt = "JPEG" if lower.endswith((".jpg", ".jpeg")) else "PNG"
            package.raw[name] = encode(image, fmt)
        elif name.startswith("word/embeddings/"):
            package.raw[name] = b""
            out.warnings.append(
                f"{filename}: embedded object {name.rsplit('/', 1)[-1]} removed (not checked)"
            )
    images = any(n.lower().endswith(_IMAGE_TYPES) for n in package.raw)
    if images and not ocr:
        out.warnings.append(f"{filename}: {OCR_UNAVAILABLE}")


def _blank(name: str) -> bytes:
    from PIL import Image

    if not name.lower().endswith(_IMAGE_TYPES):
        return b""
    fmt = "PNG" if name.lower().endswith(".png") else "JPEG"
    return encode(Image.new("RGB", (1, 1), "white"), fmt)


def collect_units(package: Package) -> list[Paragraph]:
    """All text units of a package: paragraphs of every part, titles, external link targets."""
    units: list[Paragraph] = []
    for name in package.order:
        root = package.xml.get(name)
        if root is None:
            continue
        for element in scrub_properties(name, root):
            units.append(
                Paragraph(
                    f"{name} {etree.QName(element).localname}", [element], [element.text or ""]
                )
            )
        if not name.endswith(".rels"):
            units.extend(paragraphs(root, name))
    for rel in _external_targets(package):
        units.append(_TargetUnit(f"link {rel.get('Id')}", [rel], [rel.get("Target") or ""]))
    return units


class _TargetUnit(Paragraph):
    """A hyperlink target: any third-party data in it replaces the whole target."""

    def apply(self, spans: Sequence[tuple[int, int]], label: str) -> str:
        node = self.nodes[0]
        assert node is not None
        node.set("Target", "#")
        self.texts[0] = "#"
        return "#"


def redact_docx(
    data: bytes,
    filename: str,
    detector: DetectorLike,
    label: str,
    *,
    as_pdf: bool = False,
    title: str | None = None,
) -> Outcome:
    """Redact a DOCX; the output is a DOCX, or a plain PDF rendering when ``as_pdf``."""
    package = load(data, filename)
    for root in package.xml.values():
        accept_changes(root)
    out = Outcome(b"", DOCX_MEDIA_TYPE, ".docx")
    units = collect_units(package)
    # offsets are into the paragraphs as they were: removal rewrites unit.text
    lengths = [len(u.text) for u in units]
    results = redact_units(
        [u.text for u in units],
        detector,
        label,
        apply=lambda i, spans: units[i].apply(spans, label),
        rounds=1 if as_pdf else MAX_ROUNDS,
    )
    base = 0
    for length, result in zip(lengths, results, strict=True):
        removed, review = unit_records(result, filename, base=base)
        out.records += removed
        out.review += review
        out.kept += kept_records(result, filename, base=base)
        base += length + 1
    redact_media(package, detector, filename, label, out)
    if as_pdf:
        out.content = lay_out(package, title, out.warnings)
        out.media_type, out.extension = "application/pdf", ".pdf"
    else:
        out.content = package.to_bytes()
    out.pages = max(1, -(-base // 3000))
    return out


DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def lay_out(package: Package, title: str | None, warnings: list[str]) -> bytes:
    """The redacted package as PDF: LibreOffice's layout (tables as tables) where it is
    installed and succeeds, the plain rendering otherwise; ``warnings`` gets which one.

    LibreOffice does not print comments, so they follow on a page of their own: they are
    part of the pupil's record (rule 16)."""
    binary = office.soffice()
    if binary is None:
        warnings.append(office.ABSENT)
        return render_pdf(sections(package), title=title)
    try:
        laid_out = office.convert_to_pdf(package.to_bytes(), binary)
    except office.ConversionFailed as exc:
        warnings.append(office.failed_warning(exc.reason))
        return render_pdf(sections(package), title=title)
    warnings.append(office.LAID_OUT)
    comments = [s for s in sections(package) if s[0] == "Comments"]
    return office.append_pdf(laid_out, render_pdf(comments)) if comments else laid_out


def _para_text(para: etree._Element) -> str:
    return "".join(
        (n.text or "") if n.tag in _TEXT else _SEPARATORS.get(n.tag, "")
        for n in para.iter()
        if _own_paragraph(n, para)
    )


def body_text(root: etree._Element) -> str:
    """Readable text of a part: paragraphs on lines, table rows as ``cell | cell``."""
    body = root.find(f"{{{W}}}body")
    container = body if body is not None else root
    lines: list[str] = []
    for child in container.iter(f"{{{W}}}p", f"{{{W}}}tr"):
        if child.tag == f"{{{W}}}tr":
            cells = [
                " ".join(_para_text(p) for p in tc.iter(f"{{{W}}}p"))
                for tc in child.iter(f"{{{W}}}tc")
            ]
            lines.append(" | ".join(cells))
        elif not any(a.tag == f"{{{W}}}tc" for a in child.iterancestors()):
            lines.append(_para_text(child))
    return "\n".join(lines)


def sections(package: Package) -> list[tuple[str, str]]:
    """The document's parts in reading order, for the PDF rendering."""
    found: list[tuple[str, str]] = [("", body_text(package.xml["word/document.xml"]))]
    for prefix, heading in (
        ("word/header", "Header"),
        ("word/footer", "Footer"),
        ("word/footnotes", "Footnotes"),
        ("word/endnotes", "Endnotes"),
        ("word/comments.xml", "Comments"),
    ):
        for name in package.order:
            if name.startswith(prefix) and name.endswith(".xml") and name in package.xml:
                text = body_text(package.xml[name]).strip()
                if text:
                    found.append((heading, text))
    return found


def readback(data: bytes, filename: str) -> tuple[list[tuple[str, str]], bytes]:
    """Every text of an output DOCX for the leak check, and all its XML as one blob."""
    package = load(data, filename)
    places = [
        (u.where, u.text)
        for name in package.order
        if name in package.xml
        for u in paragraphs(package.xml[name], name)
    ]
    for rel in _external_targets(package):
        places.append((f"link {rel.get('Id')}", rel.get("Target") or ""))
    blob = b"\n".join(etree.tostring(root, encoding="UTF-8") for root in package.xml.values())
    props = [name for name in package.xml if name.startswith("docProps/")]
    for name in props:
        places.append((name, " ".join(t.strip() for t in package.xml[name].itertext())))
    return [p for p in places if p[1].strip()], blob


def media(data: bytes, filename: str) -> dict[str, bytes]:
    """The images of an output DOCX, for the OCR part of the leak check."""
    package = load(data, filename)
    return {n: b for n, b in package.raw.items() if n.lower().endswith(_IMAGE_TYPES)}
