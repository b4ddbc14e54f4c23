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


def check_structure(pdf: bytes) -> None:
    """Every page has ``/StructParents`` and one ``/ParentTree`` entry; every MCID on a page
    is used once, in order, and maps to an element of the tree on that page, of the same
    type as its mark; each marked sequence stays in one content stream; each page has
    content of its own."""
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        catalog = doc.pdf_catalog()
        root = ref(doc.xref_get_key(catalog, "StructTreeRoot")[1])
        tree = ref(doc.xref_get_key(root, "ParentTree")[1])
        nums = re.findall(r"(\d+)\s*\[([^\]]*)\]", doc.xref_get_key(tree, "Nums")[1])
        parents = {int(key): [int(x) for x in re.findall(r"(\d+) 0 R", v)] for key, v in nums}
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
        assert sorted(keys) == sorted(parents) == list(range(doc.page_count))
        assert int(doc.xref_get_key(root, "ParentTreeNextKey")[1]) == doc.page_count
