"""The hidden-place leak counter of ``make eval`` (scripts/corpus_pdf.py) sees what it claims.

A leak counter that reads too little would report zero leaks for a bad redactor (rule 18):
so a rendered PDF must show every planted third-party string in its hidden places, each
place must be read on its own, and a PDF with those places emptied must show none.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pymupdf
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import corpus  # noqa: E402
import corpus_pdf  # noqa: E402


@pytest.fixture(scope="module")
def rendered() -> tuple[corpus.Doc, bytes, corpus_pdf.Planted]:
    doc = next(d for d in corpus.generate(cases=1) if d.kind == "safeguarding-chronology")
    data, planted = corpus_pdf.render_with_hidden_places(doc)
    return doc, data, planted


def test_planted_strings_are_third_parties_of_the_document(
    rendered: tuple[corpus.Doc, bytes, corpus_pdf.Planted],
) -> None:
    doc, _, planted = rendered
    third = {" ".join(s.text.split()) for s in doc.spans if s.owner in corpus.THIRD_PARTY}
    assert len(planted.strings) >= 3
    assert set(planted.strings) <= third


def test_unredacted_pdf_leaks_everything_planted(
    rendered: tuple[corpus.Doc, bytes, corpus_pdf.Planted],
) -> None:
    doc, data, planted = rendered
    assert corpus_pdf.leaks(data, planted) == list(planted.strings)
    assert corpus_pdf.page_leaks(data, doc)  # the page text itself names third parties


def _only(keep: str) -> Callable[[pymupdf.Document], None]:
    """Empty every hidden place except ``keep``."""

    def scrub(pdf: pymupdf.Document) -> None:
        if keep != "metadata":
            pdf.set_metadata({})
        if keep != "xmp":
            pdf.del_xml_metadata()
        if keep != "outline":
            pdf.set_toc([])
        if keep != "embedded":
            for name in pdf.embfile_names():
                pdf.embfile_del(name)
        page = pdf[0]
        if keep != "annotation":
            for annot in list(page.annots()):
                page.delete_annot(annot)
        if keep != "form-field":
            for widget in list(page.widgets()):
                page.delete_widget(widget)

    return scrub


@pytest.mark.parametrize(
    "place", ["metadata", "xmp", "outline", "embedded", "annotation", "form-field", "none"]
)
def test_each_hidden_place_is_read_on_its_own(
    rendered: tuple[corpus.Doc, bytes, corpus_pdf.Planted], place: str
) -> None:
    _, data, planted = rendered
    pdf = pymupdf.open(stream=data, filetype="pdf")
    _only(place)(pdf)
    found = corpus_pdf.leaks(pdf.tobytes(garbage=3), planted)
    if place == "none":
        assert found == []
    else:
        assert found, f"a planted string in the {place} was not seen"


def test_xray_control_draws_a_box_over_text_without_removing_it() -> None:
    pdf = pymupdf.open(stream=corpus_pdf.badly_covered_control(), filetype="pdf")
    page = pdf[0]
    assert "Szymon Woźniak" in page.get_text()
    assert any(d.get("fill") == (0.0, 0.0, 0.0) for d in page.get_drawings())
