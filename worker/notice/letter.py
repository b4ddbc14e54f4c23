"""The Article 15 wording of the requester's cover letter (rule 16): the one copy of it.

The notice supplies purposes, recipients and sources where it states them cleanly; the rest
is standard wording here. The pack's letter (:mod:`pupil_privacy.worker.pack.letter`) uses it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pupil_privacy.redaction.errors import InputError

from ..mis import RecordCategory
from .parse import find_sections, list_items, parse_sections, plain, split_sentences

ICO_CONTACT = (
    "Information Commissioner's Office, Wycliffe House, Water Lane, Wilmslow, Cheshire "
    "SK9 5AF; telephone 0303 123 1113; online at https://ico.org.uk/make-a-complaint/"
)
# Used where the notice is silent or defective: the DfE model notice's purposes, sources and
# recipients, which hold for any state school in England.
STANDARD_PURPOSES = (
    "support pupils' learning",
    "monitor and report on pupils' progress",
    "provide appropriate pastoral care",
    "protect pupils' welfare and keep them safe",
    "assess the quality of our services",
    "meet our legal duties, including the statutory returns to the Department for Education",
)
STANDARD_RECIPIENTS = (
    "our local authority",
    "the Department for Education",
    "the pupil's next school",
    "examination boards",
    "health and social care professionals working with the school",
    "suppliers who process data for us under contract",
)
STANDARD_SOURCE = (
    "Some of it came from other organisations: previous schools, the local authority, the "
    "Department for Education, and health and social care professionals."
)
RETENTION_CRITERIA = (
    "kept while the pupil attends, then for the period our records retention schedule sets for "
    "this kind of record, decided by our legal duties (such as safeguarding) and the "
    "Information and Records Management Society's guidance for schools; ask our DPO for the "
    "exact period"
)
NO_AUTOMATED_DECISIONS = (
    "We do not make decisions about {subject} by solely automated means, including profiling."
)
STANDARD_TRANSFERS = (
    "Where personal data is transferred outside the UK (for example, when a supplier stores it "
    "abroad), we transfer it only to countries covered by UK adequacy regulations, or with the "
    "appropriate safeguards UK GDPR Article 46 requires, such as the International Data "
    "Transfer Agreement or the UK Addendum to the EU standard contractual clauses. You can ask "
    "our DPO for a copy of the safeguards."
)
_DEFECTIVE = re.compile(r"\]\(|\[[^\]]*\]|#\)|\bX{3,}\b|\binsert\b|\bTBC\b", re.IGNORECASE)


def _usable(items: Sequence[str]) -> list[str]:
    """Items from the notice fit to quote: no placeholders, no Markdown left."""
    return [plain(i).rstrip(".;") for i in items if i.strip() and not _DEFECTIVE.search(i)]


def _lines(items: Sequence[str]) -> str:
    """One item a line, each starting with a capital (items keep their own wording: a
    sentence-joined list would have to guess which words are proper nouns)."""
    return "\n".join(i[:1].upper() + i[1:] for i in items)


def _category_labels(categories_found: Sequence[str]) -> list[RecordCategory]:
    by_label = {c.label.lower(): c for c in RecordCategory}
    found: list[RecordCategory] = []
    for name in categories_found:
        key = str(name).strip()
        if key in RecordCategory.__members__.values() or key in {c.value for c in RecordCategory}:
            found.append(RecordCategory(key))
        elif key.lower() in by_label:
            found.append(by_label[key.lower()])
        else:
            raise InputError(
                f"unknown record category {name!r}: use one of "
                + ", ".join(c.value for c in RecordCategory)
            )
    order = list(RecordCategory)
    return sorted(set(found), key=order.index)


def cover_letter_sections(
    notice_text: str,
    *,
    categories_found: Sequence[str],
    retention_schedule: Mapping[str, str],
    school_name: str,
    dpo_name: str,
    dpo_contact: str,
    requester_name: str | None = None,
    pupil_name: str | None = None,
    dpo_title: str = "Data Protection Officer",
    regulator: str = ICO_CONTACT,
    reference: str | None = None,
    automated_decisions: str | None = None,
    transfers: str | None = None,
) -> list[tuple[str, str]]:
    """The cover letter's paragraphs, ``(heading, body)``, answering every item of UK GDPR
    Art 15 (rule 16). The notice supplies purposes, recipients and sources where it states
    them cleanly; everything else, and anything the notice gets wrong, is standard wording,
    so a defect in the notice never reaches the letter. Bodies are plain text; lines of a
    list are separated by ``\\n``.

    :param categories_found: the categories of this pupil's records actually found
        (``RecordCategory`` values such as ``"contact_details"``, or their labels).
    :param retention_schedule: retention period per ``RecordCategory`` value.
    :param automated_decisions: how automated decision-making is used, if it is; ``None``
        (the default) states that none is.
    :param transfers: the school's own statement on transfers outside the UK; ``None`` uses
        standard wording naming the UK safeguards.
    """
    raw = parse_sections(notice_text)
    purposes = _usable(list_items(find_sections(raw, "purposes"), markup=True))
    recipients = _usable(list_items(find_sections(raw, "recipients"), markup=True))
    found = _category_labels(categories_found)
    subject = pupil_name or "the pupil"
    # "The Data Protection Officer, Data Protection Officer, ..." reads as a mistake: the
    # title is left out when the name already says it.
    named = (
        dpo_name
        if dpo_name.casefold().endswith(dpo_title.casefold())
        else (f"{dpo_name}, {dpo_title}")
    )
    contact = f"{named}, {school_name}" + (f": {dpo_contact}" if dpo_contact else "")
    return [
        _confirmation(school_name, subject, requester_name, reference, bool(found)),
        ("Why we use this data", f"We use {subject}'s personal data to:\n"
         + _lines(purposes or STANDARD_PURPOSES)),
        _categories_paragraph(subject, found),
        ("Who we share it with", "Where the law allows or requires it, we share personal data "
         f"with:\n{_lines(recipients or STANDARD_RECIPIENTS)}\nAsk our DPO "
         "if you want to know which of these have received this data."),
        _retention_paragraph(found, retention_schedule),
        ("Where the data came from", f"Most of this data was given to us by you, by {subject} "
         f"or recorded by our staff. {_source_sentence(notice_text)}"),
        _rights_paragraph(contact),
        _complaints_paragraph(contact, regulator),
        ("Automated decision-making", automated_decisions
         or NO_AUTOMATED_DECISIONS.format(subject=subject)),
        ("Transfers outside the UK", transfers or STANDARD_TRANSFERS),
        _withheld_paragraph(),
        ("Contact", f"If you have any questions about this response, please contact {contact}."
         + (f" Please quote reference {reference}." if reference else "")),
    ]  # fmt: skip


def _confirmation(
    school: str, subject: str, requester: str | None, reference: str | None, any_found: bool
) -> tuple[str, str]:
    greeting = f"Dear {requester}," if requester else "Dear Sir or Madam,"
    ref = f" (reference {reference})" if reference else ""
    if any_found:
        held = (
            f"We confirm that {school} holds and processes personal data about {subject}. A "
            "copy of it is enclosed in this pack, in a commonly used electronic form."
        )
    else:
        held = f"We searched our records and found no personal data about {subject}."
    return (
        "Your subject access request",
        f"{greeting} Thank you for your subject access request{ref}. {held} This letter also "
        "gives the information UK GDPR Article 15 entitles you to.",
    )


def _categories_paragraph(subject: str, found: Sequence[RecordCategory]) -> tuple[str, str]:
    if not found:
        return ("The data we hold", f"We found no records about {subject}.")
    labels = "\n".join(c.label for c in found)
    return (
        "The data we hold",
        f"Our search found records about {subject} in these categories:\n{labels}",
    )


def _retention_paragraph(
    found: Sequence[RecordCategory], schedule: Mapping[str, str]
) -> tuple[str, str]:
    lines = [
        f"{c.label}: {schedule.get(c.value) or schedule.get(c) or RETENTION_CRITERIA}"
        for c in found
    ]
    intro = "How long we keep each kind of record:"
    if not lines:
        return ("How long we keep it", f"Records are {RETENTION_CRITERIA}.")
    return ("How long we keep it", "\n".join([intro, *lines]))


def _source_sentence(notice_text: str) -> str:
    """The notice's own statement of its sources, if it makes a clean one."""
    paragraphs = [b.text for s in parse_sections(notice_text) for b in s.blocks if b.text]
    for sentence in (x for p in paragraphs for x in split_sentences(plain(p))):
        if re.search(r"\b(?:received|obtain\w*|get)\b[^.]{0,60}\bfrom\b", sentence, re.I) and (
            not _DEFECTIVE.search(sentence) and len(sentence) < 300
        ):
            return sentence if sentence.endswith(".") else sentence + "."
    return STANDARD_SOURCE


def _rights_paragraph(contact: str) -> tuple[str, str]:
    return (
        "Your rights",
        "You have the right to ask us to correct (rectify) personal data that is inaccurate "
        "or incomplete; to erase it in some circumstances; to restrict how we use it while a "
        "concern is looked into; and to object, on grounds relating to your situation, to our "
        "using it for a public task or our legitimate interests (we must then stop unless we "
        "show compelling grounds), and at any time to its use for direct marketing. Where we "
        "rely on consent, you may withdraw it at any time. To use any of these rights, please "
        f"contact {contact}.",
    )


def _complaints_paragraph(contact: str, regulator: str) -> tuple[str, str]:
    return (
        "Complaints",
        "If you are unhappy with how we have handled your request or your data, you can "
        f"complain to us, in writing or electronically, through {contact}. We acknowledge a "
        "complaint within 30 days, investigate it and tell you the outcome. You also have the "
        f"right to complain to the regulator: {regulator}.",
    )


def _withheld_paragraph() -> tuple[str, str]:
    return (
        "What we have withheld, and why",
        "Where a record also holds information about other people (other pupils, their "
        "families, or anyone else who is not acting in a professional role), we have removed "
        "it unless they agreed or it is reasonable to release it; staff and other "
        "professionals acting in their role are not removed, but their private details are. "
        "Some information may be withheld under an exemption in the Data Protection Act 2018, "
        "for example where releasing it would be likely to cause serious harm to someone's "
        "physical or mental health, or where it concerns child protection and releasing it "
        "would not be in the child's best interests. Each removal is marked in the copy. If "
        "you think something has been withheld wrongly, please contact our DPO.",
    )
