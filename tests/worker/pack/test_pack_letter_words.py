"""The cover letter describes the boxes the family will see (issue 12): narrow boxes are
plain black and only boxes with room carry a label, so the letter never promises that every
box reads "Third party"."""

from __future__ import annotations

from pupil_privacy.worker.pack.letter import LetterFacts, cover_sections


def _facts() -> LetterFacts:
    return LetterFacts(
        subject_name="Amy Okafor",
        requester_name="Grace Okafor",
        received_on=None,
        categories_found=(),
        sources=(),
        included=3,
        failed=0,
        withheld=0,
        school_name="Fenland Academy",
        dpo_name="Dana Price",
        dpo_contact="dpo@fenland.example",
        retention_schedule={},
    )


def test_the_letter_says_black_boxes_and_that_a_box_with_room_says_why():
    sections = dict(cover_sections(_facts()))
    contents = sections["What this pack contains"]
    assert "Black boxes show where information about other people was removed" in contents
    assert "where there is room, the box says why" in contents
    letter = " ".join(sections.values())
    assert "box reads" not in letter and '"Third party"' not in letter
    assert "rule " not in letter.lower()  # rule numbers are for the DPO, not the family
