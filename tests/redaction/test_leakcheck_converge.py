"""The leak check converges: what it finds is removed in further passes, and what still
cannot be settled comes back at its place for the DPO, never released silently (rule 18).

Both directions every time: the third party is gone, the pupil's own data stays.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pymupdf
import pytest
from docfactory import ROSTER, SUBJECT, THIRD, FakeDetector

from pupil_privacy.redaction.document import NeedsReview, redact_document
from pupil_privacy.redaction.errors import LeakCheckFailed
from pupil_privacy.redaction.formats import text
from pupil_privacy.redaction.formats.pdf import findings, reading, removal
from pupil_privacy.redaction.leakcheck import compile_terms, find_terms
from pupil_privacy.redaction.types import Action, Finding, Person, Reason, Role

OWN = "Amelia Okafor"


class Blind(FakeDetector):
    """Detection that sees nothing: only the leak check's known terms can catch a leak."""

    def analyse(self, text: str) -> list[Finding]:
        return []


def _pdf(pages: list[str]) -> bytes:
    doc = pymupdf.open()
    for body in pages:
        page = doc.new_page()
        for n, line in enumerate(body.splitlines()):
            page.insert_text((72, 90 + 18 * n), line, fontsize=11)
    data = doc.tobytes()
    doc.close()
    return data


def _page_texts(data: bytes) -> list[str]:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return [page.get_text() for page in doc]


@pytest.mark.parametrize("as_pdf", [False, True])
def test_a_known_third_party_left_by_removal_goes_in_the_next_pass(as_pdf, no_sweep):
    data = f"{OWN} sat with {THIRD} at lunch.\n\nLater {THIRD} left.\n".encode()
    out = redact_document(data, "note.txt", Blind(third=[THIRD]), as_pdf=as_pdf)
    shown = "".join(_page_texts(out.content)) if as_pdf else out.content.decode()
    assert "Whitfield" not in shown
    assert OWN in shown
    assert out.unsettled == [] and not out.needs_review
    assert [r.detector for r in out.records].count("leak-check") == 2


def test_a_pdf_leak_is_removed_on_its_page_and_the_rest_stays(no_sweep):
    data = _pdf([f"Note for {OWN}.", f"{OWN} and {THIRD} argued.\nMrs Price saw it."])
    out = redact_document(data, "note.pdf", Blind(third=[THIRD]))
    first, second = _page_texts(out.content)
    assert OWN in first and OWN in second and "Mrs Price saw it." in second
    assert "Whitfield" not in second
    [row] = [r for r in out.records if r.detector == "leak-check"]
    assert (row.page, row.text) == (2, THIRD)
    # the pdf is really changed, not covered: the raw content holds no trace of the name
    with pymupdf.open(stream=out.content, filetype="pdf") as doc:
        raw = b"".join(doc[1].read_contents() for _ in [0])
    assert b"Whitfield" not in raw


class Stubborn(FakeDetector):
    """On page two, sees the first number word left as a new name each time it reads the
    page: every removal exposes another one, so the findings run out only after more passes
    than the bound. Stands for re-detection that does not converge."""

    def analyse(self, text: str) -> list[Finding]:
        found = super().analyse(text)
        m = re.search(r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven)\b", text)
        if "Page B:" in text and m:
            found.append(Finding(m.start(), m.end(), m.group(), "PERSON", 0.9, "fake",
                                 Action.REDACT, Reason.UNKNOWN_PERSON))  # fmt: skip
        return sorted(found, key=lambda f: f.start)


def test_what_cannot_be_settled_is_held_for_review_at_its_place_not_refused():
    pages = [
        f"Page A: {OWN} and {THIRD} at break.",
        f"Page B: {THIRD} one two three four five six seven eight nine ten eleven.",
        f"Page C: {OWN} read with {THIRD}.",
    ]
    with pytest.raises(NeedsReview) as held:
        redact_document(_pdf(pages), "file.pdf", Stubborn(third=[THIRD]))
    assert isinstance(held.value, LeakCheckFailed)  # a caller that knows only refusals withholds
    doc = held.value.document
    assert doc.needs_review and doc.pages == 3
    texts = _page_texts(doc.content)
    assert all("Whitfield" not in t for t in texts)
    assert OWN in texts[0] and OWN in texts[2]
    assert {u.page for u in doc.unsettled} == {2}  # only page two is in question
    for u in doc.unsettled:
        assert u.source == "detection" and u.where == "page 2" and u.file == "file.pdf"
        assert u.rects and u.offset is not None
        assert texts[1].find(u.text) >= 0  # still on the page: the DPO decides
        x0, y0, x1, y1 = u.rects[0]
        assert 72 <= x0 < x1 and 70 < y0 < y1 < 100  # on the line it was written on
    # the reason names places and kinds, never the data
    assert "page 2" in held.value.reason and "eleven" not in held.value.reason


def test_a_removal_that_fails_keeps_the_known_name_out_of_release(monkeypatch):
    def cover_only(page, labels, label):  # boxes never applied: the text stays (rule 18)
        for annot in list(page.annots()):
            page.delete_annot(annot)

    for module in (removal, findings):  # the first removal and the leak check's passes
        monkeypatch.setattr(module, "apply", cover_only)
    with pytest.raises(NeedsReview) as held:
        redact_document(_pdf([f"{OWN} met {THIRD} today."]), "n.pdf", FakeDetector())
    [u] = [u for u in held.value.document.unsettled if u.source == "known-term"]
    assert (u.page, u.text, u.kind) == (1, THIRD, "name")
    with pymupdf.open(stream=held.value.document.content, filetype="pdf") as doc:
        [box] = doc[0].search_for(THIRD)
    x0, y0, x1, y1 = u.rects[0]
    assert abs(x0 - box.x0) < 2 and abs(x1 - box.x1) < 2
    assert THIRD not in held.value.reason
    assert u.to_dict()["rects"] == [list(r) for r in u.rects]


def test_cli_writes_a_file_needing_review_lists_it_and_exits_4(tmp_path):
    # A third party's name in a private key of the page dictionary: no page text, nothing
    # removal rewrites; the leak check finds it in the file's contents.
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 90), f"{OWN} had a good week.", fontsize=11)
    doc.xref_set_key(page.xref, "PrivateNote", pymupdf.get_pdf_str(f"ask {THIRD}"))
    (tmp_path / "odd.pdf").write_bytes(doc.tobytes())
    (tmp_path / "clean.txt").write_text(f"{OWN} sat with {THIRD}.\n")
    (tmp_path / "s.json").write_text(json.dumps({"id": "p1", "name": OWN}))
    roster = [{"name": p.name, "role": p.role.value} for p in ROSTER]
    (tmp_path / "r.json").write_text(json.dumps(roster))
    script = Path(sys.executable).with_name("pupil-privacy")
    result = subprocess.run(
        [str(script), "redact", "--subject", str(tmp_path / "s.json"), "--roster",
         str(tmp_path / "r.json"), "--out", str(tmp_path / "out"), "--report",
         str(tmp_path / "report.json"), str(tmp_path / "odd.pdf"), str(tmp_path / "clean.txt")],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 4, result.stderr
    assert "odd.pdf: needs review:" in result.stderr and THIRD not in result.stderr
    report = json.loads((tmp_path / "report.json").read_text())
    odd, clean = report["files"]
    assert odd["status"] == "needs-review" and (tmp_path / "out" / "odd.pdf").is_file()
    assert [u["where"] for u in odd["unsettled"]] == ["file contents"]
    assert odd["unsettled"][0]["text"] and report["ok"] is False
    assert clean["status"] == "ok" and clean["unsettled"] == []
    assert (tmp_path / "out" / "clean.txt").read_text() == f"{OWN} sat with [Third party].\n"


# -- ligatures ---------------------------------------------------------------------------------

LIGATURED = "Mr McCafferty and Fiona Flint find office staff."


def test_our_own_layout_uses_ligature_glyphs_and_we_read_plain_letters():
    data = text.render_pdf([("", LIGATURED)])
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        assert "\ufb00" in doc[0].get_text()  # the instrument: a ligature glyph is there
        assert reading.block_texts(doc[0]) == [LIGATURED]
        assert [b.text for b in reading.page_blocks(doc[0])] == [LIGATURED]


def test_term_search_finds_names_written_with_ligatures():
    terms = compile_terms(["Dan McCafferty", "Fiona"])
    assert find_terms("Dan McCa\ufb00erty rang", terms) == ["name"]
    assert find_terms("\ufb01ona is not Fiona", terms) == ["name"]  # one-word names as written
    spans = terms.spans("Ring Dan McCa\ufb00erty now")
    assert spans == [(5, 18, "name")]  # offsets in the text as given


def test_a_ligatured_third_party_name_is_removed_and_the_pupil_kept(make_detector):
    roster = [*ROSTER, Person(name="Dan McCafferty", role=Role.PARENT)]
    real = make_detector(SUBJECT, roster)
    laid_out = text.render_pdf([("", f"{OWN} was collected by Dan McCafferty, a friend's dad.")])
    with pymupdf.open(stream=laid_out, filetype="pdf") as doc:
        assert "\ufb00" in doc[0].get_text()
    out = redact_document(laid_out, "letter.pdf", real)
    [page] = _page_texts(out.content)
    assert "McCa" not in page and "Cafferty" not in page
    assert OWN in page


def test_a_docx_whose_known_third_party_cannot_be_removed_is_held_not_released(no_sweep):
    from docfactory import docx_with_hidden_places, docx_xml_text

    with pytest.raises(NeedsReview) as held:
        redact_document(docx_with_hidden_places(), "n.docx", Blind(third=[THIRD]))
    doc = held.value.document
    assert doc.filename == "n.docx" and doc.unsettled
    assert all(u.source in ("known-term", "file-contents") for u in doc.unsettled)
    assert OWN in docx_xml_text(doc.content)  # the pupil's data is all still there
    assert THIRD not in held.value.reason
