"""Parsing privacy notices: the shipped default and notices laid out the other ways schools
write them (Markdown, numbered headings, Title Case lines without blank lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pupil_privacy.worker.notice import default_notice_text
from pupil_privacy.worker.notice.parse import parse_notice, parse_sections, plain

SHARED_NOTICE = Path("/work/shared/reference/privacy-notice-parents-carers.txt")


@pytest.fixture(scope="module")
def shipped() -> str:
    return default_notice_text()


def test_default_notice_is_the_schools_real_notice(shipped: str) -> None:
    assert "St Neots Learning Partnership" in shipped
    if SHARED_NOTICE.exists():
        assert shipped == SHARED_NOTICE.read_text(encoding="utf-8")


def test_shipped_notice_who_is_responsible(shipped: str) -> None:
    notice = parse_notice(shipped)
    assert notice.controller == "St Neots Learning Partnership"
    assert notice.dpo_name == "Paul Stafford"  # the first mention; the lint flags the other
    assert notice.dpo_contact is not None
    assert "dpo@cambridgeshire.gov.uk" in notice.dpo_contact
    assert notice.dpo_contact.startswith("Paul Stratford, The ICT Service")


def test_shipped_notice_lists(shipped: str) -> None:
    notice = parse_notice(shipped)
    assert len(notice.categories) == 11
    assert notice.categories[0] == (
        "Contact details, contact preferences, date of birth, identification documents"
    )
    assert notice.categories[-1] == "CCTV images captured in school"
    assert "Carry out research" in notice.purposes and len(notice.purposes) == 8
    assert len(notice.legal_bases) == 4
    assert "We need to comply with a legal obligation" in notice.legal_bases
    # the recipients list has a blank line in the middle: it is still one list
    assert len(notice.recipients) == 17
    assert {"Health authorities", "Security organisations", "Professional bodies"} <= set(
        notice.recipients
    )


def test_shipped_notice_text_parts(shipped: str) -> None:
    notice = parse_notice(shipped)
    assert notice.retention is not None and "toolkit for schools" in notice.retention
    assert "[" not in notice.retention  # Markdown links are reduced to their text
    assert any("restrict processing" in r for r in notice.rights)
    assert any("subject access request" in r for r in notice.rights)
    assert not any(r.endswith(":") for r in notice.rights)  # list lead-ins are not rights
    assert notice.complaints is not None and "0303 123 1113" in notice.complaints


def test_shipped_notice_sections(shipped: str) -> None:
    notice = parse_notice(shipped)
    headings = [s.heading for s in notice.sections]
    assert headings[0].startswith("Privacy notice for parents/carers")
    assert "for" not in headings and "Parents/Carers" not in headings  # title lines merge away
    assert headings[1:5] == [
        "The personal data we hold",
        "Why we use this data",
        "Our legal basis for using this data",
        "Collecting this information",
    ]
    youth = notice.section("youth support")
    assert youth is not None and "age of 13" in youth.body
    npd = notice.section("national pupil")
    assert npd is not None and "[National Pupil Database](#)" in npd.body  # kept for rendering
    assert notice.section("no such heading") is None


MARKDOWN_NOTICE = """\
# Privacy Notice (How we use pupil information)

**Who we are**

Oakfield Primary School is the data controller. Write to us at
office@oakfield.sch.uk.

Our Data Protection Officer is Dr Rhys Morgan ([dpo@oakfield.sch.uk](mailto:dpo@oakfield.sch.uk)).

## The categories of pupil information that we process

* personal identifiers and contacts (such as name, unique pupil number and address)
* characteristics (such as ethnicity, language, and free school meal eligibility)
* attendance information

## Why we collect and use pupil information

* to support pupil learning
* to monitor and report on pupil attainment
  progress (a wrapped bullet)

### Who we share pupil information with

- schools that pupils attend after leaving us
- our local authority

## Complaints

Email **complaints@oakfield.sch.uk**.
"""


def test_markdown_notice() -> None:
    notice = parse_notice(MARKDOWN_NOTICE)
    assert notice.controller == "Oakfield Primary School"
    assert notice.dpo_name == "Dr Rhys Morgan"
    assert notice.dpo_contact is not None and "dpo@oakfield.sch.uk" in notice.dpo_contact
    assert notice.categories[1].startswith("characteristics (such as ethnicity")
    assert notice.purposes == (
        "to support pupil learning",
        "to monitor and report on pupil attainment progress (a wrapped bullet)",
    )
    assert notice.recipients == (
        "schools that pupils attend after leaving us",
        "our local authority",
    )
    who = notice.section("who we are")
    assert who is not None and who.body.startswith("Oakfield Primary School is the data controller")
    assert notice.complaints == "Email complaints@oakfield.sch.uk."


NUMBERED_NOTICE = """\
PRIVACY NOTICE FOR PARENTS
Riverside Academy Trust
Version 2.1, reviewed March 2026

1. Who we are
Riverside Academy Trust is the data controller.
Our data protection officer is Mrs Aisha Khan (dpo@riverside.org.uk, 01234 500600).

2. The Information We Hold
We hold:
1. Names, addresses and contact details
2. Assessment results
3. Attendance records

3. Why We Use It
a) To support learning
b) To keep pupils safe

3.1 How Long We Keep It
Pupil files are kept until the pupil is 25.
"""


def test_numbered_headings_and_numbered_lists() -> None:
    notice = parse_notice(NUMBERED_NOTICE)
    headings = [s.heading for s in notice.sections]
    assert headings == [
        "Riverside Academy Trust",
        "Who we are",
        "The Information We Hold",
        "Why We Use It",
        "How Long We Keep It",
    ]
    assert notice.categories == (
        "Names, addresses and contact details",
        "Assessment results",
        "Attendance records",
    )
    assert notice.purposes == ("To support learning", "To keep pupils safe")
    assert notice.dpo_name == "Mrs Aisha Khan"
    assert notice.retention == "Pupil files are kept until the pupil is 25."


TITLE_CASE_NOTICE = """\
How We Use Your Child's Information
We collect information to run the school. The Governing Body of Hill Top School is the data
controller for the purposes of data protection law.
What Information We Collect
This includes names, dates of birth, attendance, assessment results and medical needs.
Who We Share It With
We share information with the local authority, the Department for Education and the NHS.
"""


def test_title_case_headings_without_blank_lines_and_inline_lists() -> None:
    notice = parse_notice(TITLE_CASE_NOTICE)
    assert [s.heading for s in notice.sections] == [
        "How We Use Your Child's Information",
        "What Information We Collect",
        "Who We Share It With",
    ]
    # the hard-wrapped paragraph is one paragraph
    first = notice.sections[0].body
    assert "\n" not in first and "data controller for the purposes" in first
    assert notice.controller == "The Governing Body of Hill Top School"
    assert "medical needs" in notice.categories and "attendance" in notice.categories
    assert "the NHS" in notice.recipients


def test_empty_and_headingless_text() -> None:
    empty = parse_notice("")
    assert empty.sections == () and empty.controller is None and empty.categories == ()
    prose = parse_notice("We are a school. We use data to teach children.")
    assert len(prose.sections) == 1 and prose.sections[0].heading == ""


def test_plain_strips_inline_markdown() -> None:
    assert plain("See [the toolkit](#) and **this**, or <https://ico.org.uk/>.") == (
        "See the toolkit and this, or https://ico.org.uk/."
    )


def test_sections_drop_heading_only_runs() -> None:
    sections = parse_sections("# Title\n\n## Part\n\nBody text.\n")
    assert [(s.heading, s.blocks[0].text) for s in sections] == [("Part", "Body text.")]


def test_lawful_basis_heading_that_mentions_use_is_not_the_purposes() -> None:
    """The DfE model heading "The lawful basis on which we use this information"."""
    text = (
        "## The lawful basis on which we use this information\n\n"
        "- (a) the Education Act 1996, a legal obligation\n\n"
        "## Why we collect and use pupil information\n\n"
        "- to support pupil learning\n"
    )
    notice = parse_notice(text)
    assert notice.purposes == ("to support pupil learning",)
    assert notice.legal_bases == ("(a) the Education Act 1996, a legal obligation",)


def test_question_headings_and_lists_in_sentences() -> None:
    text = (Path(__file__).parent / "test_notice_other_school.txt").read_text(encoding="utf-8")
    notice = parse_notice(text)
    assert notice.controller == "Oak Hill Academy Trust"  # "X (address...) is the controller"
    assert notice.dpo_name == "Mr Tom Okafor"
    assert notice.section("who do we share") is not None
    assert "special educational needs" in notice.categories
    assert "to keep children safe" in notice.purposes
    assert notice.recipients[-1] == "the NHS school nursing team"


def test_word_bullets_and_a_dpo_named_by_initial() -> None:
    """Notices pasted from Word keep its private-use bullet characters; DPOs named with a
    title and an initial ("Mr S Warrell")."""
    text = (
        "Our data protection officers are: Mr S Warrell - Weobley High School\n\n"
        "What information do we use about you?\n\n"
        "We will collect, hold and share information about you set out below:\n\n"
        "\uf0b7 Name\n\n\uf0b7 Telephone and email contact details\n\n\uf0b7 Date of Birth\n"
    )
    notice = parse_notice(text)
    assert notice.dpo_name == "Mr S Warrell"
    assert notice.categories == ("Name", "Telephone and email contact details", "Date of Birth")
