"""The cover letter of the requester's pack (rule 16: everything Article 15 asks for).

The wording is the notice package's (:mod:`pupil_privacy.worker.notice.letter`), the one copy
of it; this module adds what this pack contains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..mis import RecordCategory
from ..notice.letter import cover_letter_sections


@dataclass(frozen=True)
class LetterFacts:
    """What the cover letter states about this request and this pack."""

    subject_name: str
    requester_name: str | None
    received_on: dt.date | None
    categories_found: Sequence[str]
    sources: Sequence[str]
    included: int
    failed: int
    withheld: int
    school_name: str
    dpo_name: str
    dpo_contact: str
    retention_schedule: Mapping[str, str]
    notice_text: str = ""
    reference: str | None = None
    dpo_title: str = "Data Protection Officer"
    regulator: str | None = None  # None: the ICO's details
    #: False where the school does not list records withheld under rule 14
    #: (``Settings.withheld_listing`` empty): the letter must not then promise every record.
    lists_every_record: bool = True


def cover_sections(facts: LetterFacts) -> list[tuple[str, str]]:
    """The cover letter: the Art 15 items from :func:`pupil_privacy.worker.notice.letter.
    cover_letter_sections` (the school's notice where it states them cleanly, standard
    wording otherwise), with what this pack contains after the opening section."""
    contents = ("What this pack contains", _pack_summary(facts))
    try:
        items = _sections(facts, facts.notice_text, list(facts.categories_found))
    except (TypeError, ValueError):
        # A notice it cannot read, or a category the notice wording does not know: the same
        # letter from the standard wording alone, with the categories it knows.
        known = [c for c in facts.categories_found if c in set(RecordCategory)]
        items = _sections(facts, "", known)
    sections = [(str(h), str(b)) for h, b in items]
    return [sections[0], contents, *sections[1:]]


def _sections(facts: LetterFacts, notice_text: str, categories: list[str]) -> list[tuple[str, str]]:
    return cover_letter_sections(
        notice_text,
        categories_found=categories,
        retention_schedule=facts.retention_schedule,
        school_name=facts.school_name,
        dpo_name=facts.dpo_name,
        dpo_contact=facts.dpo_contact,
        requester_name=facts.requester_name,
        pupil_name=facts.subject_name,
        reference=facts.reference,
        dpo_title=facts.dpo_title,
        **({"regulator": facts.regulator} if facts.regulator else {}),
    )


def _pack_summary(facts: LetterFacts) -> str:
    body = f"{facts.included} document(s) are included"
    if facts.withheld:
        body += f"; {facts.withheld} withheld under an exemption"
    if facts.failed:
        body += f"; {facts.failed} could not be processed yet and will follow separately"
    return (
        body
        + ". "
        + _contents_promise(facts)
        + (
            " Black boxes show where information about other people was removed; where "
            "there is room, the box says why (Data Protection Act 2018, Schedule 2, "
            "paragraph 16)."
        )
    )


def _contents_promise(facts: LetterFacts) -> str:
    """What the letter says the contents list: true in both of the DPO's choices (rule 14).

    Where withheld safeguarding records are not listed, every letter carries the same
    sentence, whether anything was left out or not, so the letter itself tells no one that
    a record exists (the tipping-off the exemption guards against).
    """
    if facts.lists_every_record:
        return (
            "The contents page lists every record we found, with the reason for any we "
            "could not include, and each document has a bookmark."
        )
    return (
        "The contents page lists the records in this pack, with the reason for any we could "
        "not include, and each document has a bookmark. In rare cases the law allows "
        "information to be withheld without saying so, where saying so could itself cause "
        "harm (Data Protection Act 2018, Schedule 3)."
    )
