"""Tagging the pack (issue 12): a structure tree over pages PyMuPDF copied in, which it
never tags itself.

The tagging is minimal and honest: it says which pages belong to which section of the pack
(cover letter, contents, each record under its category, as the bookmarks do), and which
marks are ours and carry no content (footers, the DPO mark). It does not pretend to know the
paragraphs, tables or figures inside a redacted record: each page's own drawing is one
``/P`` marked-content sequence. Nothing is removed, moved or redrawn; the page's content
streams are joined in their order (what a viewer does anyway) and bracketed with
``BDC``/``EMC``, so the text a reader extracts is the same byte for byte.

Our own additions are marked as they are written (:func:`write_marked`), so the pass at the
end (:func:`tag`) need not guess which part of a page is a footer: a stream we wrote starts
with its tag; everything else on the page is the record's own content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import pymupdf

#: The opening of each kind of stream we write ourselves, bracketed by :func:`write_marked`.
FOOTER = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
HEADER = b"/Artifact <</Type /Pagination /Subtype /Header>> BDC\n"
#: A heading we write (a record's title on its first page); :func:`tag` gives it an MCID.
HEADING = b"/H1 <<>> BDC\n"
_OURS = (FOOTER, HEADER, HEADING)
#: ``Page.annot_xrefs`` type of a link annotation (``PDF_ANNOT_LINK``, missing from the stubs).
_LINK: int = pymupdf.PDF_ANNOT_LINK  # type: ignore[attr-defined]
#: A stream of nothing but ``q``/``Q``: PyMuPDF wraps a page's content in two such streams
#: before writing over it; they draw nothing, so they are not marked as content.
_STATE_ONLY = re.compile(rb"[\sqQ]*")
#: What :func:`_drop_mcids` steps over whole: comments, literal strings (one level; nesting
#: is followed by hand), hex strings and dictionary brackets, an inline image's data, names.
_TOKEN = re.compile(
    rb"%[^\r\n]*|\(|<<|>>|<[0-9A-Fa-f\s]*>|\bID\s|/MCID(?=[\s/<>\[\]()%])\s*\d+|/[^\s/<>\[\]()%{}]*"
)
_IMAGE_END = re.compile(rb"\sEI(?=\s|$)")


@dataclass
class Section:
    """One element of the structure tree: ``kind`` is ``Sect`` or ``Part`` (a category),
    ``title`` what its bookmark says, ``pages`` the 0-based pages it holds itself."""

    kind: str
    title: str
    pages: range = range(0)
    children: list[Section] = field(default_factory=list)


def write_marked(
    page: pymupdf.Page, writer: pymupdf.TextWriter, color: Sequence[float], opening: bytes
) -> None:
    """Write ``writer``'s text on ``page`` as its own stream, bracketed as ``opening`` says.
    ``TextWriter.write_text`` appends exactly one self-contained stream (``q ... Q``)."""
    before = set(page.get_contents())
    writer.write_text(page, color=color)
    added = [xref for xref in page.get_contents() if xref not in before]
    if len(added) != 1:  # pragma: no cover - a PyMuPDF change would show here first
        raise RuntimeError(f"expected one new content stream, found {len(added)}")
    doc = page.parent
    doc.update_stream(added[0], opening + doc.xref_stream(added[0]) + b"\nEMC\n")


@dataclass
class _Tree:
    """The parts of the structure tree being written: the ``/Document`` element, the pages'
    ``/ParentTree`` entries and the next ``/StructParents`` key."""

    doc: pymupdf.Document
    root: int
    top: int
    nums: list[str]
    next_key: int


def tag(doc: pymupdf.Document, sections: Sequence[Section]) -> None:
    """Add ``sections`` to ``doc``'s structure tree (created when it has none), marking the
    content of their pages. Pages already tagged (the requester's pages in the DPO copy)
    keep their marks; only streams added since (the DPO mark) are kept as written."""
    tree = _open_tree(doc)
    kids = [_element(tree, section, tree.top) for section in sections]
    existing = doc.xref_get_key(tree.top, "K")
    known = existing[1][1:-1] if existing[0] == "array" else ""
    doc.xref_set_key(tree.top, "K", f"[{known} {' '.join(f'{k} 0 R' for k in kids)}]")
    parent_tree = doc.xref_get_key(tree.root, "ParentTree")[1].split()[0]
    doc.xref_set_key(int(parent_tree), "Nums", f"[{' '.join(tree.nums)}]")
    doc.xref_set_key(tree.root, "ParentTreeNextKey", str(tree.next_key))


def _new(doc: pymupdf.Document, body: str) -> int:
    xref = int(doc.get_new_xref())
    doc.update_object(xref, body)
    return xref


def _open_tree(doc: pymupdf.Document) -> _Tree:
    catalog = doc.pdf_catalog()
    doc.xref_set_key(catalog, "MarkInfo", "<</Marked true>>")
    found = doc.xref_get_key(catalog, "StructTreeRoot")
    if found[0] == "xref":
        root = int(found[1].split()[0])
        top = int(doc.xref_get_key(root, "K")[1].split()[0])
        parent_tree = int(doc.xref_get_key(root, "ParentTree")[1].split()[0])
        nums = doc.xref_get_key(parent_tree, "Nums")[1][1:-1].strip()
        next_key = int(doc.xref_get_key(root, "ParentTreeNextKey")[1])
        return _Tree(doc, root, top, [nums] if nums else [], next_key)
    root = _new(doc, "<</Type /StructTreeRoot>>")
    top = _new(doc, f"<</Type /StructElem /S /Document /P {root} 0 R /K []>>")
    parent_tree = _new(doc, "<</Nums []>>")
    doc.xref_set_key(root, "K", f"{top} 0 R")
    doc.xref_set_key(root, "ParentTree", f"{parent_tree} 0 R")
    doc.xref_set_key(catalog, "StructTreeRoot", f"{root} 0 R")
    return _Tree(doc, root, top, [], 0)


def _element(tree: _Tree, section: Section, parent: int) -> int:
    """The element for ``section`` under ``parent``: a ``/P`` (and ``/H1``) per page of its
    own, then its children's elements."""
    doc = tree.doc
    xref = _new(
        doc,
        f"<</Type /StructElem /S /{section.kind} /P {parent} 0 R "
        f"/T {pymupdf.get_pdf_str(section.title)}>>",
    )
    kids: list[int] = []
    for index in section.pages:
        kids.extend(_mark_page(tree, doc[index], xref))
    kids.extend(_element(tree, child, xref) for child in section.children)
    doc.xref_set_key(xref, "K", f"[{' '.join(f'{k} 0 R' for k in kids)}]")
    return xref


def _mark_page(tree: _Tree, page: pymupdf.Page, parent: int) -> list[int]:
    """Join the page's streams into one (a marked-content sequence may not span two), each
    run of the page's own content as a ``/P`` with an MCID, our headings with theirs; the
    page gets its ``/StructParents`` key and its ``/ParentTree`` entry.

    :returns: the page's elements in reading order (a heading before the content).
    """
    doc = tree.doc
    if doc.xref_get_key(page.xref, "StructParents")[0] != "null":
        return []  # tagged in an earlier pass (the requester's pages in the DPO copy)
    parts: list[bytes] = []
    run: list[bytes] = []
    by_mcid: list[int] = []
    headings: list[int] = []

    def element(kind: str) -> int:
        mcid = len(by_mcid)
        xref = _new(
            doc,
            f"<</Type /StructElem /S /{kind} /P {parent} 0 R /Pg {page.xref} 0 R /K {mcid}>>",
        )
        by_mcid.append(xref)
        return mcid

    def close_run() -> None:
        joined = b"\n".join(run)
        if _STATE_ONLY.fullmatch(joined):  # PyMuPDF's q/Q around the page: draws nothing
            parts.append(joined)
        else:
            mcid = element("P")
            parts.append(b"/P <</MCID %d>> BDC\n" % mcid + joined + b"\nEMC")
        run.clear()

    for xref in page.get_contents():
        stream = _drop_mcids(doc.xref_stream(xref) or b"")
        if stream.startswith(HEADING):
            close_run()
            mcid = element("H1")
            headings.append(by_mcid[mcid])
            parts.append(b"/H1 <</MCID %d>> BDC\n" % mcid + stream[len(HEADING) :])
        elif stream.startswith(_OURS):
            close_run()
            parts.append(stream)
        else:
            run.append(stream)
    close_run()
    joined = _new(doc, "<<>>")
    doc.update_stream(joined, b"\n".join(parts))
    doc.xref_set_key(page.xref, "Contents", f"{joined} 0 R")
    doc.xref_set_key(page.xref, "StructParents", str(tree.next_key))
    tree.nums.append(f"{tree.next_key} [{' '.join(f'{x} 0 R' for x in by_mcid)}]")
    tree.next_key += 1
    return headings + [x for x in by_mcid if x not in headings] + _links(tree, page, parent)


def _links(tree: _Tree, page: pymupdf.Page, parent: int) -> list[int]:
    """A ``/Link`` element per link annotation (the contents' entries), pointing at it and
    pointed back at through its ``/StructParent``; the page's tab order follows the tree."""
    doc = tree.doc
    found = []
    for xref, kind, _ in page.annot_xrefs():
        if kind != _LINK:
            continue
        element = _new(
            doc,
            f"<</Type /StructElem /S /Link /P {parent} 0 R /Pg {page.xref} 0 R "
            f"/K <</Type /OBJR /Obj {xref} 0 R /Pg {page.xref} 0 R>>>>",
        )
        doc.xref_set_key(xref, "StructParent", str(tree.next_key))
        tree.nums.append(f"{tree.next_key} {element} 0 R")
        tree.next_key += 1
        found.append(element)
    if found:
        doc.xref_set_key(page.xref, "Tabs", "/S")
    return found


def _drop_mcids(content: bytes) -> bytes:
    """``content`` without ``/MCID n`` entries of its own. A record that was a tagged PDF
    keeps its marked content through redaction, but not its structure tree, so its MCIDs
    point nowhere and would repeat ours; the marks stay (an ``/ActualText`` among them
    still reads), only the dangling MCIDs go. Strings, comments and inline image data are
    stepped over, so nothing that only looks like ``/MCID`` is touched."""
    if b"/MCID" not in content:
        return content
    out: list[bytes] = []
    done = 0
    at = 0
    while (found := _TOKEN.search(content, at)) is not None:
        token = found.group()
        if token.startswith(b"/MCID") and token[5:].strip().isdigit():
            out.append(content[done : found.start()])
            done = at = found.end()
        elif token == b"(":
            at = _string_end(content, found.end())
        elif token.startswith(b"ID"):
            image_end = _IMAGE_END.search(content, found.end())
            at = image_end.end() if image_end else len(content)
        else:
            at = found.end()
    out.append(content[done:])
    return b"".join(out)


def _string_end(content: bytes, at: int) -> int:
    """Where the literal string opened just before ``at`` ends (balanced parentheses,
    backslash escapes)."""
    depth = 1
    while at < len(content) and depth:
        char = content[at]
        if char == 0x5C:  # backslash: the next byte is escaped
            at += 1
        elif char == 0x28:
            depth += 1
        elif char == 0x29:
            depth -= 1
        at += 1
    return at
