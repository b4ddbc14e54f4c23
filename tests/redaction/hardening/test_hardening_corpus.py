"""Regression tests for what the fuzzers found (scripts/fuzz.py, scripts/hostile_table.py).

Each file in corpus/ once crashed the tool or leaked; its name says how. Every one must
now end in a clear ``DocumentError`` or an output without the third party; the named
tests below pin the outcome each fix chose.
"""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from docfactory import THIRD, FakeDetector, flat, pdf_text_everywhere, pdf_with_hidden_places
from hostile import readable

from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.errors import DocumentError, LeakCheckFailed

CORPUS = Path(__file__).with_name("corpus")


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda p: p.name)
def test_every_corpus_input_ends_in_a_clear_error_or_a_clean_output(path: Path):
    try:
        doc = redact_document(path.read_bytes(), path.name, FakeDetector())
    except DocumentError as exc:
        assert exc.reason and "Traceback" not in exc.reason
        return
    assert THIRD.lower() not in readable(doc.content, doc.filename).lower()


@pytest.mark.parametrize(
    "name", ["outline-count-mismatch.pdf", "outline-count-mismatch-output-flip.pdf"]
)
def test_damaged_outline_is_rebuilt_with_neutral_titles(name: str):
    # get_toc listed more entries than get_outline_xrefs could address: set_toc_item
    # raised IndexError. The outline is now rebuilt whole.
    doc = redact_document((CORPUS / name).read_bytes(), name, FakeDetector())
    with pymupdf.open(stream=doc.content, filetype="pdf") as out:
        titles = [title for _, title, _ in out.get_toc(simple=True)]
    assert titles and all(t.startswith("Page ") or t == "Bookmark" for t in titles)


def test_embedded_file_outside_a_damaged_name_tree_is_emptied_with_a_warning():
    # The /EmbeddedFiles key was damaged, so embfile_names() was empty while the file
    # (naming the third party) stayed referenced and was released unread.
    name = "embedded-file-outside-name-tree.pdf"
    doc = redact_document((CORPUS / name).read_bytes(), name, FakeDetector())
    assert any("outside the attachment list" in w for w in doc.warnings)
    text = flat(pdf_text_everywhere(doc.content))
    assert THIRD not in text and "Amelia Okafor" in text
    # A listed embedded file is redacted and re-embedded, with no such warning.
    whole = redact_document(pdf_with_hidden_places(), "whole.pdf", FakeDetector())
    assert not any("outside the attachment list" in w for w in whole.warnings)


def test_text_in_a_form_xobject_mupdf_cannot_draw_fails_the_leak_check():
    # A damaged /Matrix hid an annotation's appearance from extraction, not from a tool.
    name = "form-xobject-damaged-matrix.pdf"
    with pytest.raises(LeakCheckFailed, match="known third party's name"):
        redact_document((CORPUS / name).read_bytes(), name, FakeDetector())


def test_text_under_a_degenerate_page_matrix_fails_the_leak_check():
    # "702 0 0 0 0 0 Tm": zero-height text MuPDF does not extract, still in the page's
    # content stream for any tool to read.
    name = "page-text-degenerate-matrix.pdf"
    with pytest.raises(LeakCheckFailed, match="known third party's name"):
        redact_document((CORPUS / name).read_bytes(), name, FakeDetector())


def test_layer_that_pymupdf_cannot_describe_is_a_clean_error_not_a_typeerror():
    # get_ocgs() raised TypeError (pdf_is_ocg_hidden, argument 3) on a damaged layer.
    name = "layer-without-usage-typeerror.pdf"
    with pytest.raises(DocumentError, match="damaged"):
        redact_document((CORPUS / name).read_bytes(), name, FakeDetector())
