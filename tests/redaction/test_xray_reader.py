"""x-ray (Free Law Project), a reader independent of ours, on our redacted PDFs: it finds no
text under any box we draw (rule 18: removed, not covered), and it does find a box drawn over
text without removal, so the check can fail."""

from __future__ import annotations

import os
from pathlib import Path

import pymupdf
import pytest
from docfactory import THIRD, FakeDetector
from support.xray import NO_XRAY, XRAY, bad_redactions, box_over_text, found_text

from pupil_privacy.redaction.document import redact_document

OWN = "Amelia Okafor"

pytestmark = pytest.mark.skipif(not XRAY and os.environ.get("CI") != "true", reason=NO_XRAY)


def _letter() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), f"{OWN} met {THIRD} at break.", fontsize=11)
    page.insert_text((72, 130), f"Later {THIRD} walked {OWN} home.", fontsize=11)
    data = doc.tobytes()
    doc.close()
    return bytes(data)


def test_xray_finds_nothing_under_our_boxes_and_finds_a_box_drawn_over_text(
    tmp_path: Path,
) -> None:
    out = redact_document(_letter(), "letter.pdf", FakeDetector(third=[THIRD]))
    with pymupdf.open(stream=out.content, filetype="pdf") as doc:
        text = doc[0].get_text()
    assert THIRD not in text and OWN in text  # both directions
    assert bad_redactions(out.content, tmp_path) == {}
    # The same page with a box drawn over the pupil's name and nothing removed: caught.
    bad = box_over_text(out.content, OWN)
    assert OWN in found_text(bad_redactions(bad, tmp_path))
