"""The pack is a tagged PDF (issue 12): a structure tree naming the cover letter, the contents
and each record as the bookmarks do, every page's content marked and reachable through the
ParentTree, footers and the DPO mark as artifacts. Tagging changes no text a reader gets:
the pages' text (PyMuPDF and pdftotext) is the same as the same pack built untagged, in the
requester's copy and the DPO's, and the redacted third party stays out (rule 18)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterator

import pymupdf
import pytest
from support.debian import need
from support.detector import LiteralDetector
from support.tagged import check_structure, ref, walk

from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.types import Person, Role, Subject
from pupil_privacy.worker.pack import dpo_copy, layout, tagging
from pupil_privacy.worker.pack.layout import PackDocument, PackInfo, ScheduleRow, build_pack

THIRD_PARTY = "Tom Baxter"


def _source(*pages: str, flip: bool = False, tagged: bool = False) -> bytes:
    with pymupdf.open() as doc:
        for text in pages:
            page = doc.new_page()
            page.insert_text((72, 100), text)
            xref = page.get_contents()[0]
            if flip:  # a generator's unbalanced transform, left in force after its content
                doc.update_stream(xref, b"1 0 0 1 0 0 cm\n" + doc.xref_stream(xref))
            if tagged:  # marked content of its own, whose structure tree the pack drops
                content = doc.xref_stream(xref)
                doc.update_stream(xref, b"/P <</MCID 0>> BDC\n" + content + b"\nEMC\n")
        return bytes(doc.tobytes())


def _redacted(data: bytes) -> bytes:
    subject = Subject("p1", "Amelia Okafor")
    detector = LiteralDetector(subject, [Person(THIRD_PARTY, Role.PUPIL)])
    return redact_document(data, "letter.pdf", detector, as_pdf=True).content


LETTER = _redacted(
    _source(
        f"Amelia Okafor was late on Monday with {THIRD_PARTY}.",
        "Amelia Okafor's attendance is now 97%.",
    )
)
REPORT = _source("Amelia Okafor: spring report, reading age 11.", flip=True)
EXPORTED = _redacted(_source(f"Amelia Okafor and {THIRD_PARTY} in the play.", tagged=True))
INFO = PackInfo("SAR-12", "Oak School", "Amelia Okafor", dt.date(2026, 3, 1), [("Hi", "x")])
DOCUMENTS = [
    PackDocument("Attendance letter", "attendance", "done", load=lambda: LETTER, ref="1"),
    PackDocument("Spring report", "reports", "done", load=lambda: REPORT, ref="2"),
    PackDocument("Letter from Word", "attendance", "done", load=lambda: EXPORTED, ref="4"),
    PackDocument("Referral", "safeguarding", "withheld", reason="serious harm", ref="3"),
]
ROW = ScheduleRow("Attendance letter", 1, "PERSON", "third party", "roster", 1.0, "redact", "x")


def _build() -> dict[str, bytes]:
    requester = build_pack(INFO, DOCUMENTS)
    dpo, _ = dpo_copy.build_dpo_pack(requester.data, INFO, 1, [ROW], ["A flag"])
    return {"requester": requester.data, "dpo": dpo}


@pytest.fixture(scope="module")
def packs() -> dict[str, bytes]:
    return _build()


@pytest.fixture(scope="module")
def untagged() -> Iterator[dict[str, bytes]]:
    """The same packs with the tagging pass left out: what the text must equal."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(layout, "tag", lambda doc, sections: None)
        patch.setattr(dpo_copy, "tag", lambda doc, sections: None)
        yield _build()


@pytest.mark.parametrize("kind", ["requester", "dpo"])
def test_sections_are_named_as_the_bookmarks(packs, kind):
    with pymupdf.open(stream=packs[kind], filetype="pdf") as doc:
        catalog = doc.pdf_catalog()
        assert doc.xref_get_key(catalog, "MarkInfo")[1].replace(" ", "") == "<</Markedtrue>>"
        root = ref(doc.xref_get_key(catalog, "StructTreeRoot")[1])
        top = ref(doc.xref_get_key(root, "K")[1])
        assert doc.xref_get_key(top, "S")[1] == "/Document"
        named = [
            (depth, doc.xref_get_key(x, "S")[1], doc.xref_get_key(x, "T")[1])
            for depth, x in walk(doc, top)
            if doc.xref_get_key(x, "T")[0] == "string"
        ]
        toc = [(level, title) for level, title, _ in doc.get_toc()]
    placed = _in_the_pack(toc)
    assert [(d, t) for d, _, t in named] == placed
    kinds = {t: s for _, s, t in named}
    assert kinds["Attendance"] == "/Part" and kinds["Attendance letter"] == "/Sect"
    assert ("DPO: review flags and redaction schedule" in kinds) == (kind == "dpo")


def _in_the_pack(toc: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The bookmarks of what has pages: a category whose records are all "not included"
    has a bookmark (to the contents) but no section."""
    placed: list[tuple[int, str]] = []
    for index, (level, title) in enumerate(toc):
        if level == 2:
            if "Not included" not in title:
                placed.append((level, title))
            continue
        records = [t for lv, t in toc[index + 1 :][: _run(toc[index + 1 :])] if lv == 2]
        if not records or any("Not included" not in t for t in records):
            placed.append((level, title))
    return placed


def _run(after: list[tuple[int, str]]) -> int:
    return next((i for i, (level, _) in enumerate(after) if level == 1), len(after))


@pytest.mark.parametrize("kind", ["requester", "dpo"])
def test_every_mcid_is_referenced_once_and_every_page_is_in_the_parent_tree(packs, kind):
    assert check_structure(packs[kind]) == 3  # the contents' entries of the records in it


def _text(pdf: bytes) -> list[str]:
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


@pytest.mark.parametrize("kind", ["requester", "dpo"])
def test_text_is_unchanged_by_tagging(packs, untagged, kind, tmp_path):
    tagged = _text(packs[kind])
    assert tagged == _text(untagged[kind])
    whole = "\n".join(tagged)
    assert THIRD_PARTY not in whole and "Baxter" not in whole  # rule 18: still removed
    assert "Amelia Okafor was late on Monday" in whole  # the pupil's own data kept
    assert "97%" in whole and "reading age 11" in whole and "in the play" in whole
    pdftotext = need("pdftotext")
    read = []
    for name, data in (("tagged", packs[kind]), ("plain", untagged[kind])):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        run = subprocess.run([pdftotext, str(path), "-"], capture_output=True, check=True)
        read.append(run.stdout)
    assert read[0] == read[1]
    assert b"reading age 11" in read[0] and b"Baxter" not in read[0]


@pytest.mark.parametrize("kind", ["requester", "dpo"])
def test_qpdf_check_passes(packs, kind, tmp_path):
    qpdf = need("qpdf")
    path = tmp_path / "pack.pdf"
    path.write_bytes(packs[kind])
    run = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors" in run.stdout


def _keep(pdf: bytes, artifacts: bool) -> list[str]:
    """Each page's text with only its artifacts (or only its tagged content) left in."""
    span = re.compile(rb"/Artifact <<[^>]*>> BDC\n.*?\nEMC\n", re.S)
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        for page in doc:
            for xref in page.get_contents():
                stream = doc.xref_stream(xref)
                kept = b"\n".join(span.findall(stream)) if artifacts else span.sub(b"", stream)
                doc.update_stream(xref, kept)
        return [page.get_text() for page in doc]


@pytest.mark.parametrize("kind", ["requester", "dpo"])
def test_footers_and_the_dpo_mark_are_artifacts(packs, kind):
    only = _keep(packs[kind], artifacts=True)
    without = _keep(packs[kind], artifacts=False)
    for number, (marks, content) in enumerate(zip(only, without, strict=True), start=1):
        assert re.search(r"Page \d+ of \d+", marks)
        assert not re.search(r"Page \d+ of \d+", content)
        assert ("NOT FOR RELEASE" in marks) == (kind == "dpo")
        assert "NOT FOR RELEASE" not in content
        assert "Amelia" not in marks, f"page {number}: content marked as an artifact"
    assert "Attendance letter - Attendance" in "".join(without)  # the record's heading is content


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"/P<</MCID 0>>BDC (x) Tj EMC", b"/P<<>>BDC (x) Tj EMC"),
        (b"/Span <</ActualText (x)/MCID 12>> BDC EMC", b"/Span <</ActualText (x)>> BDC EMC"),
        # what only looks like an MCID is text, a comment, image data or another name
        (b"(a /MCID 3 \\) (b) /MCID 4) Tj", b"(a /MCID 3 \\) (b) /MCID 4) Tj"),
        (b"% /MCID 1\n/MCIDX 2 DP", b"% /MCID 1\n/MCIDX 2 DP"),
        (
            b"BI /W 1 ID \x00/MCID 5 EI Q /P <</MCID 7>> BDC",
            b"BI /W 1 ID \x00/MCID 5 EI Q /P <<>> BDC",
        ),
    ],
)
def test_a_records_own_mcids_go_and_nothing_else(content, expected):
    assert tagging._drop_mcids(content) == expected


@pytest.mark.parametrize("kind", ["requester", "dpo"])
def test_pages_look_the_same_as_untagged(packs, untagged, kind, tmp_path):
    """Joining and bracketing the streams redraws nothing: poppler's pixels are identical,
    boxes and labels over the removed text included."""
    pdftoppm = need("pdftoppm")
    for name, data in (("tagged", packs[kind]), ("plain", untagged[kind])):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        run = [pdftoppm, "-r", "50", "-gray", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)]
        subprocess.run(run, check=True)
    tagged = sorted(tmp_path.glob("tagged-*.pgm"))
    plain = sorted(tmp_path.glob("plain-*.pgm"))
    assert len(tagged) == len(plain) == len(_text(packs[kind]))
    for mine, theirs in zip(tagged, plain, strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), f"{mine.name} differs"
