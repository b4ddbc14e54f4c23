"""Checks of a tagged pack PDF (issue 12) shared by the pack's unit and full-flow tests."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pymupdf

MARKED = re.compile(rb"/(\w+) <</MCID (\d+)>> BDC")
MCID = re.compile(rb"/MCID\s*(\d+)")


def ref(value: str) -> int:
    return int(value.split()[0])


def kids(doc: pymupdf.Document, xref: int) -> list[int]:
    kind, value = doc.xref_get_key(xref, "K")
    return [int(x) for x in re.findall(r"(\d+) 0 R", value)] if kind == "array" else []


def walk(doc: pymupdf.Document, xref: int, depth: int = 0) -> Iterator[tuple[int, int]]:
    yield depth, xref
    for kid in kids(doc, xref):
        yield from walk(doc, kid, depth + 1)


def check_structure(pdf: bytes) -> int:
    """Every page has ``/StructParents`` and one ``/ParentTree`` entry; every MCID on a page
    is used once, in order, and maps to an element of the tree on that page, of the same
    type as its mark; each marked sequence stays in one content stream; each page has
    content of its own; each link annotation is a ``/Link`` element.

    :returns: how many links were checked.
    """
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        catalog = doc.pdf_catalog()
        root = ref(doc.xref_get_key(catalog, "StructTreeRoot")[1])
        tree = ref(doc.xref_get_key(root, "ParentTree")[1])
        parents, links = parent_tree(doc.xref_get_key(tree, "Nums")[1])
        top = ref(doc.xref_get_key(root, "K")[1])
        in_tree = [x for _, x in walk(doc, top)]
        keys = []
        for page in doc:
            key = int(doc.xref_get_key(page.xref, "StructParents")[1])
            keys.append(key)
            streams = [doc.xref_stream(x) for x in page.get_contents()]
            for one in streams:  # a marked-content sequence may not span two streams
                assert len(re.findall(rb"\bBDC\b", one)) == len(re.findall(rb"\bEMC\b", one))
            stream = b"\n".join(streams)
            marks = [(tag.decode(), int(mcid)) for tag, mcid in MARKED.findall(stream)]
            assert [mcid for _, mcid in marks] == list(range(len(parents[key])))
            assert [int(m) for m in MCID.findall(stream)] == [m for _, m in marks]
            for (tag, mcid), element in zip(marks, parents[key], strict=True):
                assert doc.xref_get_key(element, "S")[1] == f"/{tag}"
                assert doc.xref_get_key(element, "K")[1] == str(mcid)
                assert ref(doc.xref_get_key(element, "Pg")[1]) == page.xref
                assert in_tree.count(element) == 1
            assert "P" in {tag for tag, _ in marks}, f"page {page.number + 1} has no content"
            for xref, kind, _ in page.annot_xrefs():
                if kind == pymupdf.PDF_ANNOT_LINK:  # type: ignore[attr-defined]
                    check_link(doc, page, xref, links, in_tree)
        assert sorted(keys) == sorted(parents)
        assert sorted([*keys, *links]) == list(range(len(parents) + len(links)))
        assert int(doc.xref_get_key(root, "ParentTreeNextKey")[1]) == len(parents) + len(links)
        return len(links)


def parent_tree(nums: str) -> tuple[dict[int, list[int]], dict[int, int]]:
    """The ``/ParentTree`` entries: a page's key -> its elements by MCID, and an
    annotation's key -> its element."""
    tokens = re.findall(r"\[[^\]]*\]|\d+ 0 R|\d+", nums.strip()[1:-1])
    pages: dict[int, list[int]] = {}
    annots: dict[int, int] = {}
    for key, value in zip(tokens[::2], tokens[1::2], strict=True):
        if value.startswith("["):
            pages[int(key)] = [int(x) for x in re.findall(r"(\d+) 0 R", value)]
        else:
            annots[int(key)] = ref(value)
    return pages, annots


def check_link(
    doc: pymupdf.Document, page: pymupdf.Page, xref: int, links: dict[int, int], in_tree: list[int]
) -> None:
    """A link annotation says where it goes and is a ``/Link`` element pointing back at it."""
    assert doc.xref_get_key(xref, "Contents")[1].strip()
    element = links[int(doc.xref_get_key(xref, "StructParent")[1])]
    assert doc.xref_get_key(element, "S")[1] == "/Link"
    assert ref(doc.xref_get_key(element, "K/Obj")[1]) == xref
    assert ref(doc.xref_get_key(element, "Pg")[1]) == page.xref
    assert in_tree.count(element) == 1
    assert doc.xref_get_key(page.xref, "Tabs")[1] == "/S"
