"""The SAR cover letter (rule 16, UK GDPR Art 15): every item present, retention per category
found, and none of the shipped notice's defects copied into it."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest

from pupil_privacy.redaction.errors import InputError
from pupil_privacy.worker.mis import RecordCategory
from pupil_privacy.worker.notice import cover_letter_sections, default_notice_text

SCHEDULE: Mapping[str, str] = {
    "contact_details": "While the pupil attends, then passed to the next school",
    "medical": "Date of birth + 25 years",
    "attendance": "Current year + 6 years",
}


def letter(notice: str | None = None, **overrides: object) -> list[tuple[str, str]]:
    kwargs: dict[str, object] = {
        "categories_found": ["contact_details", "medical", "attendance", "sen"],
        "retention_schedule": SCHEDULE,
        "school_name": "St Neots Learning Partnership",
        "dpo_name": "Paul Stratford",
        "dpo_contact": "dpo@snlp.org.uk",
        "requester_name": "Ms Dana Whitfield",
        "pupil_name": "Ellie Whitfield",
        "reference": "SAR-2026-0042",
    }
    kwargs.update(overrides)
    text = default_notice_text() if notice is None else notice
    return cover_letter_sections(text, **kwargs)  # type: ignore[arg-type]


def body(sections: list[tuple[str, str]], heading: str) -> str:
    (found,) = [b for h, b in sections if h == heading]
    return found


@pytest.fixture(scope="module")
def shipped_letter() -> list[tuple[str, str]]:
    return letter()


# Rule 16: each Art 15 item and the words that show it is answered.
ART15_ITEMS = [
    ("Your subject access request", r"confirm that St Neots Learning Partnership holds"),
    ("Why we use this data", r"Support pupil learning"),
    ("The data we hold", r"Contact details\nAttendance\nMedical\nSpecial educational needs"),
    ("Who we share it with", r"The Department for Education"),
    ("How long we keep it", r"Medical: Date of birth \+ 25 years"),
    ("Your rights", r"correct \(rectify\).*erase.*restrict.*object"),
    ("Complaints", r"Information Commissioner's Office.*SK9 5AF.*0303 123 1113"),
    ("Where the data came from", r"received from other organisations"),
    ("Automated decision-making", r"do not make decisions about Ellie Whitfield"),
    ("Transfers outside the UK", r"outside the UK.*adequacy regulations.*Article 46"),
    ("What we have withheld, and why", r"other people.*exemption.*serious harm.*best interests"),
    ("Contact", r"Paul Stratford, Data Protection Officer.*SAR-2026-0042"),
]


@pytest.mark.parametrize(("heading", "pattern"), ART15_ITEMS)
def test_every_article_15_item_is_answered(
    shipped_letter: list[tuple[str, str]], heading: str, pattern: str
) -> None:
    assert re.search(pattern, body(shipped_letter, heading), re.DOTALL)


def test_retention_for_each_category_found(shipped_letter: list[tuple[str, str]]) -> None:
    retention = body(shipped_letter, "How long we keep it").splitlines()
    assert retention[1:] == [
        "Contact details: While the pupil attends, then passed to the next school",
        "Attendance: Current year + 6 years",
        "Medical: Date of birth + 25 years",
        # not in the schedule: the criteria stand in for a period (Art 15(1)(d))
        "Special educational needs: kept while the pupil attends, then for the period our "
        "records retention schedule sets for this kind of record, decided by our legal duties "
        "(such as safeguarding) and the Information and Records Management Society's guidance "
        "for schools; ask our DPO for the exact period",
    ]
    # categories the pupil has no records in are not listed
    assert "Photographs" not in body(shipped_letter, "The data we hold")


def test_no_defect_of_the_notice_is_copied(shipped_letter: list[tuple[str, str]]) -> None:
    whole = "\n".join(f"{h}\n{b}" for h, b in shipped_letter)
    for defect in (
        "European Economic Area",  # transfers are "outside the UK"
        "damage or distress",  # the 1998 Act's objection test
        "(#)",
        "We have refer",
        "Stafford",  # the notice's misspelling of the DPO
        "0300 300 0000",
        "educational record",  # not a right in an academy (rule 4)
        "within one month of a request",
    ):
        assert defect not in whole, defect


def test_categories_by_label_and_unknown_category() -> None:
    sections = letter(categories_found=["Medical", RecordCategory.PHOTOGRAPHS])
    assert body(sections, "The data we hold").endswith("Medical\nPhotographs")
    with pytest.raises(InputError, match="unknown record category"):
        letter(categories_found=["shoe size"])


def test_overrides_for_automated_decisions_and_transfers() -> None:
    sections = letter(
        automated_decisions="Reading-age groups are set by software; a teacher reviews each.",
        transfers="Our homework platform stores data in the USA under the UK Extension.",
    )
    assert body(sections, "Automated decision-making").startswith("Reading-age groups")
    assert body(sections, "Transfers outside the UK").startswith("Our homework platform")


def test_a_silent_notice_still_gives_a_complete_letter() -> None:
    sections = letter(notice="", requester_name=None, pupil_name=None, reference=None)
    assert len(sections) == len(ART15_ITEMS)
    assert body(sections, "Why we use this data").splitlines()[1] == "Support pupils' learning"
    assert "our local authority" in body(sections, "Who we share it with").lower()
    assert "previous schools" in body(sections, "Where the data came from")
    assert body(sections, "Your subject access request").startswith("Dear Sir or Madam,")


def test_placeholder_items_in_the_notice_fall_back() -> None:
    notice = (
        "Why we use this data\n\n- [insert purpose]\n- See [our policy](#)\n\n"
        "Data sharing\n\n- XXX\n"
    )
    sections = letter(notice=notice)
    assert "insert" not in body(sections, "Why we use this data")
    assert "Support pupils' learning" in body(sections, "Why we use this data")
    assert "XXX" not in body(sections, "Who we share it with")


def test_no_records_found() -> None:
    sections = letter(categories_found=[])
    assert "found no personal data about Ellie Whitfield" in body(
        sections, "Your subject access request"
    )
    assert body(sections, "The data we hold") == "We found no records about Ellie Whitfield."
