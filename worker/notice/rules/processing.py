"""Lint rules: what the processing is: purposes, legal bases, sources."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..issues import NoticeIssue, Severity
from .base import NoticeDoc, first_of, issue, rule


@rule
def required_lists(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    parsed = doc.parsed
    if not parsed.purposes:
        yield issue(
            "purposes-missing",
            Severity.ERROR,
            "The notice does not list the purposes the data is used for.",
            None,
            "UK GDPR Art 13(1)(c)",
        )
    if not parsed.recipients and not doc.has(r"\bshare|\bdisclos|\bpass (on|it|this)"):
        yield issue(
            "recipients-missing",
            Severity.ERROR,
            "The notice does not say who the data is shared with (recipients or categories "
            "of recipients).",
            None,
            "UK GDPR Art 13(1)(e)",
        )
    if not parsed.categories:
        yield issue(
            "categories-missing",
            Severity.WARNING,
            "The notice does not list the categories of personal data held (needed for data "
            "obtained from others, such as a previous school).",
            None,
            "UK GDPR Art 14(1)(d)",
        )


_ART6 = {
    "legal obligation": r"legal obligation|comply with (?:the|a|our) (?:law|legal)|"
    r"Art(?:icle|\.)? ?6\(1\)\(c\)",
    "public task": r"public task|public interest|official (?:task|authority|function)|"
    r"Art(?:icle|\.)? ?6\(1\)\(e\)",
    "consent": r"\bconsent",
    "contract": r"\bcontract\b|Art(?:icle|\.)? ?6\(1\)\(b\)",
    "vital interests": r"vital interest",
    "legitimate interests": r"legitimate interest",
}


def _bases_named(text: str) -> list[str]:
    return [name for name, pattern in _ART6.items() if re.search(pattern, text, re.IGNORECASE)]


_STOP = {
    "pupil", "pupils", "child", "children", "personal", "information", "school", "their",
    "about", "which", "other", "where", "these", "those", "with", "from", "data", "this",
    "provide", "appropriate", "ensure", "support", "regarding", "relevant",
}  # fmt: skip


def _keywords(item: str) -> set[str]:
    return {w.lower()[:6] for w in re.findall(r"[A-Za-z]{5,}", item)} - {s[:6] for s in _STOP}


@rule
def legal_basis(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Art 13(1)(c): a lawful basis, tied to the purposes it covers. A notice that lists
    bases in one place and purposes in another, with no link, leaves parents to guess."""
    basis_text = doc.section_text("legal_bases") or doc.flat
    named = _bases_named(basis_text)
    if not named:
        yield issue(
            "legal-basis-missing",
            Severity.ERROR,
            "The notice gives no lawful basis (UK GDPR Art 6) for using the data.",
            None,
            "UK GDPR Art 13(1)(c), Art 6(1)",
        )
        return
    purposes = doc.parsed.purposes
    if not purposes:
        return
    covered = [p for p in purposes if _keywords(p) & _keywords(basis_text)]
    in_purposes = [p for p in purposes if _bases_named(p)]
    if len(covered) + len(in_purposes) < len(purposes) / 2:
        yield issue(
            "legal-basis-not-mapped",
            Severity.WARNING,
            f"Lawful bases ({', '.join(named)}) are listed apart from the purposes, with no "
            "link between them: say which basis covers which purpose.",
            first_of(doc.find(r"overlap|several grounds"))
            or first_of(doc.find(r"most commonly|lawful|legal basis")),
            "UK GDPR Art 13(1)(c)",
        )


@rule
def legitimate_interests(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """A school is a public authority: legitimate interests cannot cover its public tasks."""
    for unit in doc.find(r"legitimate interest"):
        if not re.search(r"\bnot\b|\bcannot\b|\bobject", unit, re.IGNORECASE):
            yield issue(
                "legitimate-interests-basis",
                Severity.INFO,
                "Legitimate interests is given as a basis. A school cannot rely on it for "
                "its public tasks (teaching, safeguarding, statutory returns): use public "
                "task or legal obligation there, and keep legitimate interests for other "
                "activities such as fundraising.",
                unit,
                "UK GDPR Art 6(1) (final subparagraph); DPA 2018 s.7",
            )
            return


@rule
def parents_own_data(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """A notice addressed to parents that only describes pupils' data leaves parents' own
    data (names, contact details, parental responsibility, court orders) unexplained."""
    addressed = re.search(r"parent|carer", doc.text[:600], re.IGNORECASE)
    scope = first_of(doc.find(r"(?:data|information) about pupils|pupil information"))
    covered = doc.has(
        r"(?:parents?|carers?|parents/carers)'?s?'? (?:own )?(?:personal )?(?:data|information|"
        r"names?|contact)|(?:data|information) about (?:parents|carers|you as a parent)"
    )
    if addressed and scope and not covered:
        yield issue(
            "parent-data-not-covered",
            Severity.INFO,
            "The notice is addressed to parents/carers but only describes pupils' data. Say "
            "what the school holds about parents themselves (names, contact details, parental "
            "responsibility, court orders), here or in a linked notice.",
            scope,
            "UK GDPR Art 13(1)",
        )


# Purposes that public task or legal obligation do not obviously cover: each needs its basis
# named where it is listed.
_NEEDS_OWN_BASIS = {
    "research": r"research",
    "marketing": r"marketing|fundrais|promot|publicity|advertis",
    "photographs": r"photograph|video|social media|website|prospectus",
    "biometrics": r"biometric|fingerprint",
}


@rule
def purpose_basis(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    basis_text = doc.section_text("legal_bases")
    for purpose in doc.parsed.purposes:
        for name, pattern in _NEEDS_OWN_BASIS.items():
            if re.search(pattern, purpose, re.IGNORECASE) and not (
                re.search(pattern, basis_text, re.IGNORECASE) or _bases_named(purpose)
            ):
                yield issue(
                    "purpose-basis-unclear",
                    Severity.WARNING,
                    f'The purpose "{purpose}" ({name}) has no lawful basis stated for it: '
                    "it is not obviously a public task or a legal obligation. Say which "
                    "basis applies (consent, public task...) and, for research, the "
                    "safeguards.",
                    purpose,
                    "UK GDPR Art 6(1), Art 13(1)(c)" + (", Art 89" if name == "research" else ""),
                )


_SPECIAL = (
    r"ethnic|racial|\brace\b|religio|belief|health|medical|biometric|genetic|sexual|"
    r"trade union|political"
)
_ART9 = (
    r"Art(?:icle|\.)? ?9|special categor|substantial public interest|explicit consent|"
    r"Schedule 1|Sch\.? ?1\b|health or social care|occupational medicine|condition for processing"
)


@rule
def special_category_basis(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    held = [c for c in doc.parsed.categories if re.search(_SPECIAL, c, re.IGNORECASE)]
    held = held or doc.find(_SPECIAL, r"collect|hold|process|use")[:2]
    if held and not doc.has(_ART9):
        yield issue(
            "special-category-basis-missing",
            Severity.ERROR,
            "The notice holds special category data (health, ethnicity and the like; SEN "
            "records are usually health data too) but gives no Article 9 condition for it, "
            "nor the DPA 2018 Schedule 1 condition and appropriate policy document.",
            "; ".join(held),
            "UK GDPR Art 9(2), Art 13(1)(c); DPA 2018 Sch 1",
        )
    if doc.has(r"biometric|fingerprint") and not doc.find(
        r"biometric|fingerprint", r"consent|Protection of Freedoms"
    ):
        yield issue(
            "biometric-consent-missing",
            Severity.ERROR,
            "Biometric data is mentioned without the parental consent schools need for it "
            "(and the pupil's right to refuse).",
            first_of(doc.find(r"biometric|fingerprint")),
            "Protection of Freedoms Act 2012 ss.26-27; UK GDPR Art 9",
        )


@rule
def consent_withdrawal(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    if "consent" in _bases_named(doc.section_text("legal_bases") or doc.flat) and not doc.has(
        r"withdr[ae]w"
    ):
        yield issue(
            "withdraw-consent-missing",
            Severity.ERROR,
            "Consent is a basis, but the notice does not say consent can be withdrawn at any "
            "time (and how).",
            first_of(doc.find(r"\bconsent")),
            "UK GDPR Art 13(2)(c), Art 7(3)",
        )


@rule
def cctv(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """CCTV is surveillance: the notice must say why it is used and how long footage is
    kept."""
    mentions = doc.find(r"\bCCTV\b|surveillance camera|body[- ]worn")
    if not mentions:
        return
    purpose = doc.find(
        r"\bCCTV\b|camera", r"secur|safety|crime|prevent|protect|safeguard|behaviour"
    )
    kept = doc.find(r"\bCCTV\b|camera|footage", r"\d+\s*(day|week|month)|overwrit|delet")
    missing = [what for what, ok in (("purpose", purpose), ("retention", kept)) if not ok]
    if missing:
        yield issue(
            "cctv-purpose-missing",
            Severity.WARNING,
            f"CCTV images are held but the notice gives no {' or '.join(missing)} for them.",
            mentions[0],
            "UK GDPR Art 13(1)(c), Art 13(2)(a); ICO video surveillance guidance",
        )


@rule
def sources(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    if not doc.has(
        r"(?:receiv|obtain|get|collect|provid|come|came|pass)\w*\b[^.]{0,80}\bfrom\b[^.]{0,40}"
        r"(?:other|another|third|local|previous|school|department|DfE|authorit|agenc|sources)"
        r"|\bsources\b"
    ):
        yield issue(
            "source-missing",
            Severity.WARNING,
            "The notice does not say where data comes from when it is not collected from the "
            "family (previous schools, the local authority, the DfE...).",
            None,
            "UK GDPR Art 14(2)(f), Art 15(1)(g)",
        )


@rule
def statutory_requirement(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    if not doc.has(r"mandatory|compulsory|required by law|statutory|voluntar|optional|obliged"):
        yield issue(
            "statutory-requirement-missing",
            Severity.WARNING,
            "The notice does not say which information families must provide (and what "
            "happens if they do not) and which is optional.",
            None,
            "UK GDPR Art 13(2)(e)",
        )
