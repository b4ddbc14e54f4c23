"""Linting privacy notices: every defect claimed in the shipped default notice is found with
its excerpt; a corrected notice has no findings at all; other layouts and other defects are
judged by the same general rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pupil_privacy.redaction.errors import InputError
from pupil_privacy.worker.notice import (
    NoticeIssue,
    Severity,
    default_notice_text,
    lint_notice,
)
from pupil_privacy.worker.notice.lint import main

AFTER_S164A = date(2026, 11, 28)  # rule 6: the s.164A complaints duty is in force
BEFORE_S164A = date(2026, 6, 18)

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

# (code, severity, a piece of the offending text the finding must quote)
SHIPPED_DEFECTS = [
    ("dpo-name-inconsistent", E, "Paul Stafford"),
    ("dpo-name-inconsistent", E, "Paul Stratford"),
    (
        "placeholder-link",
        E,
        "[Information and Records Management Society's toolkit for schools](#)",
    ),
    ("placeholder-link", E, "[National Pupil Database](#)"),
    ("placeholder-link", E, "[how it collects and shares research data](#)"),
    ("placeholder-link", E, "[contact the Department for Education](#)"),
    ("placeholder-link", E, "[Department for Education's model privacy notice](#)"),
    ("special-category-basis-missing", E, "ethnic background"),
    ("special-category-basis-missing", E, "medical conditions"),
    ("retention-period-missing", E, "We have refer to Information and Records Management"),
    ("transfer-eea", E, "outside the European Economic Area"),
    ("complaint-route-s164a", E, "To make a complaint, please contact our data protection officer"),
    ("educational-record-not-applicable", E, "right of access to their child's educational record"),
    ("educational-record-timescale", E, "within one month of a request"),
    ("controller-contact-missing", W, "St Neots Learning Partnership are the 'data controller'"),
    ("dpo-email-domain", W, "dpo@cambridgeshire.gov.uk"),
    ("placeholder-phone", W, "0300 300 0000"),
    ("grammar", W, "We have refer to"),
    ("notice-date-missing", W, None),
    ("legal-basis-not-mapped", W, "there may be several grounds"),
    ("purpose-basis-unclear", W, "Carry out research"),
    ("cctv-purpose-missing", W, "CCTV images captured in school"),
    ("transfer-safeguards-missing", W, "in accordance with data protection law"),
    ("objection-right-outdated", W, "damage or distress"),
    ("automated-decision-missing", W, None),
    ("sar-timescale-missing", W, None),
    ("youth-support-parent-details", N, "only pass the child's name, address and date of birth"),
    ("grammar", N, "in order to comply with our legal obligations"),  # no full stop
    ("parent-data-not-covered", N, "use personal data about pupils"),
]


@pytest.fixture(scope="module")
def shipped_issues() -> list[NoticeIssue]:
    return lint_notice(default_notice_text(), today=AFTER_S164A, school_type="academy")


@pytest.mark.parametrize(("code", "severity", "excerpt"), SHIPPED_DEFECTS)
def test_shipped_notice_defect_found(
    shipped_issues: list[NoticeIssue], code: str, severity: Severity, excerpt: str | None
) -> None:
    matches = [i for i in shipped_issues if i.code == code]
    assert matches, f"{code} not found"
    assert any(i.severity is severity for i in matches)
    if excerpt is not None:
        assert any(i.excerpt and excerpt in i.excerpt for i in matches), [
            i.excerpt for i in matches
        ]
    assert all(i.rule and i.message for i in matches)


def test_shipped_notice_has_nothing_unexpected(shipped_issues: list[NoticeIssue]) -> None:
    """Each finding is one the list above claims (so a new rule firing is a conscious change),
    and what the notice gets right is not flagged."""
    assert {i.code for i in shipped_issues} == {code for code, _, _ in SHIPPED_DEFECTS}
    assert len([i for i in shipped_issues if i.code == "placeholder-link"]) == 5
    for right in (
        "withdraw-consent-missing",  # "this consent can be withdrawn at any time"
        "ico-complaint-missing",
        "ico-contact-wrong",  # 0303 123 1113 is right
        "child-competence-age",  # 12, as rule 7
        "youth-support-ages",  # 13 and 16, as rule 9
        "right-missing",
        "source-missing",
        "statutory-requirement-missing",
    ):
        assert right not in {i.code for i in shipped_issues}


def test_issues_are_ordered_by_severity(shipped_issues: list[NoticeIssue]) -> None:
    order = {E: 0, W: 1, N: 2}
    ranks = [order[i.severity] for i in shipped_issues]
    assert ranks == sorted(ranks)


def test_s164a_complaint_route_is_a_note_before_it_is_in_force() -> None:
    """Rule 6: in force 19 June 2026; before that date the finding is advice."""
    before = lint_notice(default_notice_text(), today=BEFORE_S164A)
    (found,) = [i for i in before if i.code == "complaint-route-s164a"]
    assert found.severity is Severity.INFO
    on_the_day = lint_notice(default_notice_text(), today=date(2026, 6, 19))
    (found,) = [i for i in on_the_day if i.code == "complaint-route-s164a"]
    assert found.severity is Severity.ERROR


def test_educational_record_for_a_maintained_school() -> None:
    """Rule 4: the right exists in a maintained school, but the period is 15 school days."""
    codes = {i.code for i in lint_notice(default_notice_text(), school_type="maintained")}
    assert "educational-record-not-applicable" not in codes
    assert "educational-record-timescale" in codes
    assert "dpo-email-domain" not in codes  # a council DPO address is normal for it


def test_unknown_school_type_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="unknown school type"):
        lint_notice("text", school_type="grammar")
    assert lint_notice("", school_type="Free school") is not None


# The shipped notice with every defect fixed, as a DPO would publish it.
CORRECTED_NOTICE = (Path(__file__).parent / "test_notice_corrected.txt").read_text(encoding="utf-8")


def test_corrected_notice_has_no_findings() -> None:
    assert lint_notice(CORRECTED_NOTICE, today=AFTER_S164A, school_type="academy") == []


def test_corrected_notice_as_markdown_has_no_findings() -> None:
    """The same notice with Markdown headings and bold: layout does not change the verdict."""
    lines = []
    for line in CORRECTED_NOTICE.splitlines():
        heading = line and len(line.split()) <= 12 and line[0].isupper() and line[-1] not in ".:,"
        lines.append(f"## {line}" if heading and not line.startswith("-") else line)
    markdown = "\n".join(lines)
    assert markdown.count("## ") >= 10
    assert lint_notice(markdown, today=AFTER_S164A) == []


OTHER_SCHOOL = """\
# Privacy Notice (How we use pupil information)

**Who we are**

Oakfield Primary School is the data controller for the purposes of data protection law.
Contact the school office at office@oakfield.sch.uk or 01632 960123.

Our Data Protection Officer: Jane Smyth, who can be contacted at [insert email address].

## The categories of pupil information that we process

* personal identifiers and contacts (such as name, unique pupil number and address)
* characteristics (such as ethnicity, language, and free school meal eligibility)
* biometric data for cashless catering

## Why we collect and use pupil information

* to support pupil learning
* to send marketing about school events

## The lawful basis on which we use this information

We collect and use pupil information under Article 6(1)(c) legal obligation and Article
6(1)(e) public task.

## Storing pupil data

We hold pupil data for as long as necessary.

## Who we share pupil information with

* our local authority
* the Department for Education (DfE)

## Requesting access to your personal data

Under the Data Protection Act 1998, parents and pupils have the right to request access to
information about them that we hold. We will respond within 40 days and a fee of £10 applies.

The ICO regards children aged 13 and above as able to make their own request.

You also have the right to have personal data rectified, erased or restricted, and to object.

## Transfers

Data may be transferred to countries in the EU.

If you have a concern, contact the ICO at https://ico.org.uk/concerns/ or call 0303 123 1114.

## Contact

Please contact Jane Smith, Data Protection Officer, at dpo.oakfield@gmail.com.
"""


@pytest.mark.parametrize(
    ("code", "severity", "excerpt"),
    [
        ("dpo-name-inconsistent", E, "Jane Smith"),
        ("placeholder-text", E, "[insert email address]"),
        ("special-category-basis-missing", E, "ethnicity"),
        ("biometric-consent-missing", E, "biometric data for cashless catering"),
        ("retention-period-missing", E, "as long as necessary"),
        ("transfer-eea", E, "countries in the EU"),
        ("ico-contact-wrong", E, "0303 123 1114"),
        ("sar-timescale-wrong", E, "within 40 days"),
        ("sar-fee", E, "£10"),
        ("dpo-email-domain", W, "dpo.oakfield@gmail.com"),
        ("placeholder-phone", W, "01632 960123"),  # Ofcom's drama range
        ("outdated-law", W, "Data Protection Act 1998"),
        ("purpose-basis-unclear", W, "to send marketing about school events"),
        ("child-competence-age", W, "aged 13 and above"),
        ("right-missing", W, None),  # portability
        ("educational-record-missing", N, None),
    ],
)
def test_other_schools_markdown_notice(code: str, severity: Severity, excerpt: str | None) -> None:
    issues = lint_notice(OTHER_SCHOOL, today=AFTER_S164A, school_type="maintained")
    matches = [i for i in issues if i.code == code and i.severity is severity]
    assert matches, f"{code}/{severity} not in {[(i.code, i.severity) for i in issues]}"
    if excerpt is not None:
        assert any(i.excerpt and excerpt in i.excerpt for i in matches)


def test_other_schools_notice_right_timescale_not_reported_twice() -> None:
    codes = [i.code for i in lint_notice(OTHER_SCHOOL, today=AFTER_S164A)]
    assert "sar-timescale-wrong" in codes and "sar-timescale-missing" not in codes


NUMBERED = """\
PRIVACY NOTICE FOR PARENTS
Riverside Academy Trust
Reviewed March 2023

1. Who we are
Riverside Academy Trust is the data controller. Write to us at info@riverside.org.uk.
Our data protection officer is Mrs Aisha Khan (dpo@riverside.org.uk).

2. Youth support services
Once your child reaches the age of 14, we pass information to the local authority.
A parent, or the pupil once aged 18, can ask us to only pass the child's name, address
and date of birth, and the parent's name and address.

3. Transfers
We do not transfer data outside the UK.
"""


def test_numbered_notice_general_rules() -> None:
    issues = lint_notice(NUMBERED, today=AFTER_S164A)
    codes = {i.code: i for i in issues}
    assert codes["youth-support-ages"].severity is Severity.WARNING  # rule 9: 13 and 16
    assert "youth-support-parent-details" not in codes
    assert codes["notice-review-overdue"].severity is Severity.INFO
    assert "transfer-eea" not in codes and "transfer-safeguards-missing" not in codes
    assert {"purposes-missing", "recipients-missing", "legal-basis-missing"} <= set(codes)
    assert "dpo-name-inconsistent" not in codes and "dpo-email-domain" not in codes


def test_two_different_dpos_is_a_warning_not_a_typo() -> None:
    text = (
        "Our data protection officer is Dr Anil Sharma.\n\nContact us\n\n"
        "- Margaret Lowe, School Office, Ash Road. Email dpo@ash.sch.uk\n"
    )
    found = [i for i in lint_notice(text) if i.code == "dpo-name-inconsistent"]
    assert [i.severity for i in found] == [Severity.WARNING]


def test_same_dpo_with_and_without_title_is_consistent() -> None:
    text = (
        "Our data protection officer is Mrs Aisha Khan.\n\nContact us\n\n"
        "- Aisha Khan, Ash Academy, Ash Road. Email dpo@ash.sch.uk\n"
    )
    assert "dpo-name-inconsistent" not in {i.code for i in lint_notice(text)}


def test_age_12_stated_as_law() -> None:
    """Rule 7: 12 is a guide in England, statutory only in Scotland."""
    text = "Your rights\n\nBy law, a child aged 12 or over must make their own access request.\n"
    (found,) = [i for i in lint_notice(text) if i.code == "child-competence-age"]
    assert "guide" in found.message and found.excerpt is not None and "By law" in found.excerpt


def test_legitimate_interests_for_a_school() -> None:
    text = "Our lawful basis\n\nWe process pupil records in our legitimate interests.\n"
    (found,) = [i for i in lint_notice(text) if i.code == "legitimate-interests-basis"]
    assert found.severity is Severity.INFO and found.excerpt == (
        "We process pupil records in our legitimate interests."
    )


def test_dpo_missing_and_controller_missing() -> None:
    codes = {i.code for i in lint_notice("We use your data to teach.\n")}
    assert {"dpo-missing", "controller-missing", "ico-complaint-missing"} <= codes


def test_consent_basis_without_withdrawal() -> None:
    text = "Our lawful basis\n\nWe rely on your consent to use photographs.\n"
    assert "withdraw-consent-missing" in {i.code for i in lint_notice(text)}


def test_command_prints_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notice.txt"
    bad.write_text(default_notice_text(), encoding="utf-8")
    assert main(["lint", str(bad), "--today", "2026-11-28"]) == 1
    out = capsys.readouterr().out
    assert "ERROR   dpo-name-inconsistent" in out and "12 error, 12 warning, 3 info" in out
    good = tmp_path / "good.txt"
    good.write_text(CORRECTED_NOTICE, encoding="utf-8")
    assert main(["lint", str(good), "--today", "2026-11-28"]) == 0
    assert capsys.readouterr().out.strip() == "0 error, 0 warning, 0 info"


# A sound notice from another (fictional) trust, in another style: question headings, no
# bullets, lists written as sentences, an external DPO service.
OTHER_SOUND_NOTICE = (Path(__file__).parent / "test_notice_other_school.txt").read_text(
    encoding="utf-8"
)


def test_another_schools_sound_notice_has_no_findings() -> None:
    assert lint_notice(OTHER_SOUND_NOTICE, today=AFTER_S164A, school_type="academy") == []


def test_another_schools_notice_with_defects_introduced() -> None:
    """The same rules catch the same kinds of defect in other wording."""
    broken = (
        OTHER_SOUND_NOTICE.replace(
            "Complain to us by email at dpo@schoolsdpo.co.uk or with our online complaints "
            "form; we acknowledge every complaint within 30 days and tell you the outcome.",
            "Tom Okofor, our DPO, takes complaints by post.",
        )
        .replace("until your child is 25", "as long as we need to")
        .replace("outside the UK", "outside the European Union")
        .replace("0303 123 1113", "0303 123 4567")
    )
    codes = {i.code for i in lint_notice(broken, today=AFTER_S164A)}
    assert {
        "dpo-name-inconsistent",
        "complaint-route-s164a",
        "retention-period-missing",
        "transfer-eea",
        "ico-contact-wrong",
    } <= codes
