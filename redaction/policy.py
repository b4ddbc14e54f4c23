"""What to keep and what to remove: rules 10 to 12 of docs/uk-school-sar-rules.md.

=============================================  ========  =============================
Finding                                        Action    Reason
=============================================  ========  =============================
the subject's names and identifiers            KEEP      ``SUBJECT`` (Art 15)
the requester's (``keep_requester``)           KEEP      ``REQUESTER``
staff / professional name (``keep_prof..``)    KEEP      ``PROFESSIONAL`` (rule 11)
their work contact (switchboard, work email)   KEEP      ``PROFESSIONAL`` (rule 11)
their private contact, address, birth date     REDACT    ``PROFESSIONAL_PRIVATE`` (rule 11)
another pupil                                  REDACT    ``OTHER_PUPIL`` (rule 10)
a parent who is not the requester, a relative  REDACT    ``OTHER_PARENT`` (rule 12)
a Role.OTHER person not acting as professional REDACT    ``THIRD_PARTY`` (rule 10)
a person the MIS does not know                 REDACT    ``UNKNOWN_PERSON`` (rule 10)
an identifier nobody known owns                REDACT    ``IDENTIFIER`` (rule 10)
a description that still identifies someone    REVIEW    ``IDENTIFYING_CONTEXT`` (rule 10)
=============================================  ========  =============================

Choices a DPO should know about:

* **Role.OTHER** (someone outside the school the MIS records) is a professional acting in
  role (rule 11) when the roster names them with a professional title (Dr, PC, Nurse...) or
  when this text puts professional words near their name ("social worker", "GP", "CAMHS"
  within a few words). Otherwise they are a third party and removed: when in doubt,
  withhold.
* **Work or private contact** (rule 11): a professional's email is a work address unless it
  is at a webmail domain (gmail.com, hotmail.co.uk, ...); a phone number is a work number
  only when two or more professionals share it (a switchboard). Any other phone number, any
  home address and any date of birth of a professional is private and removed.
* **Shared first names and surnames.** A full name always wins over a partial one. A lone
  partial name (first name, surname, title + surname) that several known people share:
  when all of them get the same decision, that decision; when one is the subject or the
  requester, the records are about the subject, so it is kept -- unless one of the others
  is named in full (or, for the subject's first name, an unknown person with that first
  name is found) in the same text, when it is genuinely ambiguous and marked REVIEW so the
  DPO decides. Between a professional and a third party, whoever is named in full in the
  text wins; if neither or both is, a title + surname goes to REVIEW and a bare first name
  or surname is removed (leaking a third party is the worse mistake).
* **An identifier the subject shares** (the family home's address, a household landline) with
  a sibling or another household member is kept as the subject's own; a full name two
  people share goes to REVIEW.
* **Title + surname of a pupil** (Mr Smith where only pupils are called Smith) is that
  pupil's parent or relative: removed as ``OTHER_PARENT`` (rule 12), also for the subject's
  own surname, since the requester is matched separately -- unless the subject is an adult
  (born 18 or more years ago, or asking for their own records): then "Mr Smith" is the
  subject and kept.
* **Initials** ("K.A.", "KA") are matched to the subject, or to someone named in the same
  text, and decided like that person's surname; anyone else's initials are a person the MIS
  does not know (:mod:`.context`).
* Towns, organisations, ordinary dates and the school's own contact details are not
  personal data by themselves and are kept (no finding): a letterhead (an organisation's
  name, then its address or a "Tel:" line), and a landline in a sentence that names an
  organisation and no person or relative before it ("Contact the school office on ...").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence

from .context import unwrap
from .engine import lexicon
from .recognizers.phone import national_digits
from .recognizers.postcode import POSTCODE_REGEX, normalise_postcode
from .roster import RosterIndex, RosterMatch
from .roster_identity import (
    PARTIAL_NAME_KINDS,
    Entry,
    Kind,
    Party,
    Standing,
    fold,
    relationship_gender,
    split_name,
)
from .types import Action, Finding, Policy, Reason, Role

#: Titles the leak check pairs with a removed person's surname.
COURTESY_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")

Decision = tuple[Action, Reason, Party | None]


def decide_entry(entry: Entry, policy: Policy, professional_here: Collection[int]) -> Decision:
    """The decision for one known party's form of identity, ignoring ambiguity."""
    party = entry.party
    standing = party.standing
    if entry.kind is Kind.TITLE_SURNAME and party.role is Role.PUPIL and not party.adult:
        # "Mr Hartley" beside a child called Hartley is a parent; an adult subject (18 or
        # over, or asking for themselves) is "Mr Hartley" in their own records.
        return Action.REDACT, Reason.OTHER_PARENT, party
    if standing is Standing.SUBJECT:
        return Action.KEEP, Reason.SUBJECT, party
    if standing is Standing.REQUESTER:
        if policy.keep_requester:
            return Action.KEEP, Reason.REQUESTER, party
        return Action.REDACT, Reason.THIRD_PARTY, party
    if standing is Standing.OTHER and party.index not in professional_here:
        return Action.REDACT, Reason.THIRD_PARTY, party
    if standing in (Standing.PROFESSIONAL, Standing.OTHER):
        if entry.kind not in PARTIAL_NAME_KINDS | {Kind.FULL_NAME} and entry.private:
            return Action.REDACT, Reason.PROFESSIONAL_PRIVATE, party
        if policy.keep_professionals:
            return Action.KEEP, Reason.PROFESSIONAL, party
        return Action.REDACT, Reason.THIRD_PARTY, party
    if standing is Standing.OTHER_PUPIL:
        return Action.REDACT, Reason.OTHER_PUPIL, party
    return Action.REDACT, Reason.OTHER_PARENT, party


def decide_match(
    match: RosterMatch,
    policy: Policy,
    *,
    present: Collection[int] = (),
    professional_here: Collection[int] = (),
) -> Decision:
    """The decision for a roster match, resolving a form several people share.

    :param present: indexes of parties named in full (or uniquely) in the same text.
    :param professional_here: Role.OTHER parties this text shows acting in a professional role.
    """
    decisions = [decide_entry(e, policy, professional_here) for e in match.entries]
    actions = {d[0] for d in decisions}
    if len(actions) == 1:
        return _most_present(decisions, present)
    keep = [d for d in decisions if d[0] is Action.KEEP]
    remove = [d for d in decisions if d[0] is Action.REDACT]
    own = next((d for d in keep if d[1] in (Reason.SUBJECT, Reason.REQUESTER)), None)
    if own is not None and match.kind not in PARTIAL_NAME_KINDS | {Kind.FULL_NAME}:
        # An address or phone the subject (or requester) shares with a sibling or another
        # household member is still the subject's own data (Art 15): disclosing it to them
        # reveals nothing about the other person.
        return own
    if match.kind not in PARTIAL_NAME_KINDS:
        # Same full name or identifier for two people: the safer decision, for review.
        return Action.REVIEW, remove[0][1], None
    remove_present = [d for d in remove if d[2] is not None and d[2].index in present]
    if any(d[1] in (Reason.SUBJECT, Reason.REQUESTER) for d in keep):
        if remove_present:
            return Action.REVIEW, remove_present[0][1], None
        return next(d for d in keep if d[1] in (Reason.SUBJECT, Reason.REQUESTER))
    keep_present = [d for d in keep if d[2] is not None and d[2].index in present]
    if remove_present and not keep_present:
        return remove_present[0]
    if keep_present and not remove_present:
        return keep_present[0]
    if match.kind is Kind.TITLE_SURNAME:
        return Action.REVIEW, remove[0][1], None
    return remove[0]


def _most_present(decisions: list[Decision], present: Collection[int]) -> Decision:
    for decision in decisions:
        if decision[2] is not None and decision[2].index in present:
            return decision
    return decisions[0]


def unknown_person() -> tuple[Action, Reason]:
    """A person the MIS does not know (rule 10)."""
    return Action.REDACT, Reason.UNKNOWN_PERSON


def unattributed_identifier() -> tuple[Action, Reason]:
    """An identifier (phone, email, UPN...) that is not the subject's or requester's (rule 10)."""
    return Action.REDACT, Reason.IDENTIFIER


#: Identifiers that are contact details: kept only when the roster knows them as a kept
#: person's, never because of who a sentence is about ("Ellie rang 07700 900123").
CONTACT_ENTITIES = frozenset({
    "PHONE_NUMBER", "EMAIL_ADDRESS", "STREET_ADDRESS", "UK_POSTCODE", "CREDIT_CARD",
    "IBAN_CODE", "IP_ADDRESS",
})  # fmt: skip
#: Pupil identifiers that, with no other owner in their sentence, are the subject's.
PUPIL_ID_ENTITIES = frozenset({"UK_ULN", "UK_NHS"})
_SENTENCE_BREAK_RE = re.compile(r"[.!?](?:\s|$)|\n[ \t]*\n|\n(?=[0-9])")


def attribute_identifier(
    text: str,
    start: int,
    entity_type: str,
    people: Sequence[Finding],
    index: RosterIndex,
    policy: Policy,
) -> tuple[Action, Reason, str | None]:
    """Whose an identifier the roster does not know is, from its sentence (rule 10).

    The nearest owner before it in the same sentence decides: a person found there, or a
    relation word ("Mother's NI number" is the requester's when she is the mother). With no
    owner in the sentence, an NHS number or ULN (the MIS does not hold them, so they cannot
    be matched) is the pupil's only when the nearest person named before it in the text,
    staff aside, is the pupil; anything else is removed, so a fragment ("number 215 683
    7961 was noted in error") never keeps a number. Contact details (phone, email, address,
    postcode) and card, bank and IP numbers are never kept this way: removed unless the
    roster knows them.

    :param text: the analysed text; line breaks inside wrapped prose do not end a sentence.
    """
    flat = unwrap(text)
    window_start = max(0, start - 200)
    for m in _SENTENCE_BREAK_RE.finditer(flat, window_start, start):
        window_start = m.end()
    contact = entity_type in CONTACT_ENTITIES
    owner = _nearest_owner(text, window_start, start, people, index, possessive_only=not contact)
    if owner is not None:
        action, reason, name = owner
        if action is Action.KEEP and reason is Reason.PROFESSIONAL:
            return Action.REDACT, Reason.PROFESSIONAL_PRIVATE, name
        if action is Action.KEEP and not contact:
            return action, reason, name
        if action is Action.REDACT:
            return action, reason, name
        return Action.REDACT, Reason.IDENTIFIER, None
    if entity_type in PUPIL_ID_ENTITIES and _last_person_is_subject(start, people):
        return Action.KEEP, Reason.SUBJECT, index.subject.name
    return Action.REDACT, Reason.IDENTIFIER, None


def _last_person_is_subject(start: int, people: Sequence[Finding]) -> bool:
    """The last person named before ``start``, staff and other professionals aside (they
    write records, they do not own a pupil's numbers), is the subject."""
    before = [
        f for f in people
        if f.entity_type == "PERSON" and f.end <= start and f.reason is not Reason.PROFESSIONAL
    ]  # fmt: skip
    return bool(before) and max(before, key=lambda f: f.end).reason is Reason.SUBJECT


def _nearest_owner(
    text: str,
    lo: int,
    hi: int,
    people: Sequence[Finding],
    index: RosterIndex,
    *,
    possessive_only: bool,
) -> tuple[Action, Reason, str | None] | None:
    """The nearest person or relation word before ``hi``. For an ID number only a possessive
    relation owns it ("Mother's NI number"); "told his mum the NHS number" does not."""
    best: tuple[int, tuple[Action, Reason, str | None]] | None = None
    for f in people:
        inside = f.entity_type == "PERSON" and lo <= f.start and f.end <= hi
        if inside and (best is None or f.end > best[0]):
            best = (f.end, (f.action, f.reason, f.person))
    for m in _relation_re().finditer(text, lo, hi):
        if possessive_only and not re.search(r"['’]s?$", m.group()):
            continue
        if best is None or m.end() > best[0]:
            best = (m.end(), _relation_owner(m.group("rel"), index))
    return best[1] if best else None


@functools.cache
def _relation_re() -> re.Pattern[str]:
    words = lexicon()
    relations = sorted(words["female_relations"] | words["male_relations"] | words["relations"],
                       key=len, reverse=True)  # fmt: skip
    alternation = "|".join(re.escape(r) for r in relations)
    return re.compile(rf"\b(?P<rel>{alternation})(?:['’]s?)?\b", re.IGNORECASE)


def _relation_owner(relation: str, index: RosterIndex) -> tuple[Action, Reason, str | None]:
    requester = index.subject.requester
    if requester is not None and requester.relationship:
        same = fold(relation) == fold(requester.relationship)
        same = same or (
            relationship_gender(relation) is not None
            and relationship_gender(relation) == relationship_gender(requester.relationship)
            and _parent_word(relation) == _parent_word(requester.relationship)
        )
        if same:
            return Action.KEEP, Reason.REQUESTER, requester.name
    if _parent_word(relation):
        return Action.REDACT, Reason.OTHER_PARENT, None
    return Action.REDACT, Reason.THIRD_PARTY, None


def _parent_word(relation: str) -> bool:
    return fold(relation) in {"mother", "mum", "mom", "mummy", "father", "dad", "daddy"}


def identifying_context(policy: Policy) -> tuple[Action, Reason] | None:
    """A description that identifies someone once the name is gone (rule 10), or ``None``."""
    if not policy.flag_identifying_context:
        return None
    return Action.REVIEW, Reason.IDENTIFYING_CONTEXT


def third_party_terms(index: RosterIndex, policy: Policy) -> list[str]:
    """Every known identifier of a removed person, minus anything a kept person shares.

    :param index: the request's roster index.
    :param policy: the policy the detector applies.
    """
    removed: list[tuple[Kind | None, str]] = []  # (kind, term); None for names
    kept: set[str] = set()
    kept_tokens: set[str] = set()
    for party, identity in index.identities_by_standing():
        name_action = decide_entry(Entry(party, Kind.FULL_NAME), policy, ())[0]
        for name in identity.names:
            given, surname, _ = split_name(name)
            if name_action is Action.KEEP or party.standing is Standing.OTHER:
                kept_tokens.update(fold(t) for t in [*given, *surname])
            else:
                removed.extend((None, n) for n in _name_terms(given, surname))
        for kind, value, key in _identifier_values(identity):
            entries = index.entries_for(kind, key, party)
            private = any(e.private for e in entries) if entries else True
            action = decide_entry(Entry(party, kind, private), policy, ())[0]
            if action is Action.KEEP:
                kept.add(_comparable(kind, value))
            else:
                removed.append((kind, value))
    terms = []
    for term_kind, term in removed:
        if term_kind is None:
            if all(fold(t) in kept_tokens for t in term.split() if t not in COURTESY_TITLES):
                continue
        elif _comparable(term_kind, term) in kept:
            continue
        terms.append(term)
    return sorted(dict.fromkeys(terms))


def _name_terms(given: list[str], surname: list[str]) -> list[str]:
    if not surname:
        return []
    last = " ".join(surname)
    return [
        " ".join([*given, *surname]),
        f"{given[0]} {last}",
        *(f"{title} {last}" for title in COURTESY_TITLES),
    ]


def _identifier_values(identity: object) -> list[tuple[Kind, str, str]]:
    out: list[tuple[Kind, str, str]] = []
    for email in getattr(identity, "emails", ()):
        out.append((Kind.EMAIL, email, email.lower()))
    for phone in getattr(identity, "phones", ()):
        out.append((Kind.PHONE, phone, national_digits(phone)))
    for upn in getattr(identity, "upns", ()):
        out.append((Kind.UPN, upn, upn.strip().upper()))
    for address in getattr(identity, "addresses", ()):
        out.append((Kind.ADDRESS, address, address))
        first = re.split(r"[,\n]", address)[0].strip()
        if first and first != address and re.search(r"[A-Za-z]{3}", first):
            out.append((Kind.ADDRESS, first, first))
        for m in re.finditer(POSTCODE_REGEX, address, re.IGNORECASE):
            code = normalise_postcode(m.group())
            out.append((Kind.POSTCODE, code, code))
    return out


def _comparable(kind: Kind, value: str) -> str:
    if kind is Kind.PHONE:
        return national_digits(value)
    if kind is Kind.POSTCODE:
        return normalise_postcode(value)
    return " ".join(re.findall(r"\w+", fold(value)))
