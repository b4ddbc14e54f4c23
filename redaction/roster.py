"""The MIS roster as a recognizer: every person the school knows, found by any form of
their name and by their identifiers.

Names are matched on word tokens, not with one regex per name: the text is split into word
tokens once, and each run of up to :attr:`RosterIndex.max_tokens` tokens is looked up in a
dict of normalised forms (case-folded, accents and apostrophe/hyphen variants unified). So
any case, a name split over a line break or by extra spaces, possessives (Jake's, James'),
hyphenated and apostrophe names (Smith-Jones, O'Neill) and names written with or without
accents (Zoë, Zoe) all match, at a cost linear in the text's length whatever the roster's
size. Identifiers (email, phone in any written form, UPN, postcode, date of birth) are
found by one compiled pattern each and looked up by their normal form; addresses are
matched as token runs like names.

Who each person is *to this request* (the subject, the requester, a professional, another
pupil, another parent) is worked out here as their :class:`Standing`; what to do about it is
:mod:`.policy`'s job.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .engine import lexicon
from .recognizers.dob import DATE_RE, parse_written_date
from .recognizers.email import EMAIL_REGEX
from .recognizers.phone import PHONE_REGEX, national_digits
from .recognizers.postcode import POSTCODE_REGEX, normalise_postcode
from .types import Person, Requester, Role, Subject


class Standing(StrEnum):
    """Who a known person is to this request."""

    SUBJECT = "subject"
    REQUESTER = "requester"
    PROFESSIONAL = "professional"  # Role.STAFF, or Role.OTHER named with a professional title
    OTHER = "other"  # Role.OTHER without a title: a professional only with context (rule 11)
    OTHER_PUPIL = "other-pupil"
    OTHER_PARENT = "other-parent"


class Kind(StrEnum):
    """Which form of a person's identity a match is."""

    FULL_NAME = "full-name"
    FIRST_NAME = "first-name"
    TITLE_SURNAME = "title-surname"
    SURNAME = "surname"
    INITIALS = "initials"  # "K.A." or, for someone named in the same text, "KA"
    EMAIL = "email"
    PHONE = "phone"
    ADDRESS = "address"
    POSTCODE = "postcode"
    UPN = "upn"
    DOB = "date-of-birth"


NAME_KINDS = frozenset(
    {Kind.FULL_NAME, Kind.FIRST_NAME, Kind.TITLE_SURNAME, Kind.SURNAME, Kind.INITIALS}
)
PARTIAL_NAME_KINDS = frozenset({Kind.FIRST_NAME, Kind.TITLE_SURNAME, Kind.SURNAME, Kind.INITIALS})
ENTITY_TYPES = {
    Kind.EMAIL: "EMAIL_ADDRESS",
    Kind.PHONE: "PHONE_NUMBER",
    Kind.ADDRESS: "STREET_ADDRESS",
    Kind.POSTCODE: "UK_POSTCODE",
    Kind.UPN: "UK_UPN",
    Kind.DOB: "DATE_OF_BIRTH",
}

TOKEN_RE = re.compile(r"[^\W_]+(?:['’‘`\-‐‑][^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "‐": "-", "‑": "-"})
_EMAIL_RE = re.compile(EMAIL_REGEX)
_PHONE_RE = re.compile(PHONE_REGEX)
_LOOSE_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|\(?0)[0-9()][0-9 ()\-.\n]{7,18}[0-9](?![0-9])")
_UPN_RE = re.compile(r"\b[A-Za-z][0-9]{11}[0-9A-Za-z]\b")
_POSTCODE_RE = re.compile(POSTCODE_REGEX, re.IGNORECASE)
_STREET_ABBREVIATIONS = {
    "road": "rd", "street": "st", "avenue": "ave", "lane": "ln", "drive": "dr",
    "crescent": "cres", "court": "ct", "place": "pl", "gardens": "gdns", "square": "sq",
}  # fmt: skip
_SENTENCE_OPENERS = frozenset(
    "you we i they he she it the a an to that this there be not all your our".split()  # noqa: SIM905
)


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case-fold, strip accents and unify apostrophes and hyphens: the form names compare in.

    Cached: the same words recur on every page.
    """
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Party:
    """A person known to this request: a roster entry, the subject or the requester."""

    index: int
    name: str
    standing: Standing
    role: Role | None
    professional_title: bool = False
    gender: str | None = None  # "f" or "m" when known (a requester's relationship says it)
    adult: bool = False  # the subject is 18 or over, or asks for themselves (rule 12 by age)


@dataclass(frozen=True)
class Entry:
    """One way a party can be written, with whether it is a private detail (rule 11)."""

    party: Party
    kind: Kind
    private: bool = False


@dataclass(frozen=True)
class RosterMatch:
    """A span of text that is one of the entries (several when a form is shared)."""

    start: int
    end: int
    text: str
    kind: Kind
    entries: tuple[Entry, ...]

    @property
    def parties(self) -> tuple[Party, ...]:
        return tuple(dict.fromkeys(e.party for e in self.entries))


@dataclass
class _Token:
    start: int
    end: int
    raw: str
    norm: str
    bare_end: int  # end without a possessive 's
    bare: str


@dataclass
class _Identity:
    """Everything known about one party, gathered from the roster, subject and requester."""

    name: str
    standing: Standing
    role: Role | None
    names: list[str] = field(default_factory=list)
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    upns: set[str] = field(default_factory=set)
    dobs: set[dt.date] = field(default_factory=set)
    gender: str | None = None

    def add(self, p: Person | Subject | Requester) -> None:
        self.names.extend([p.name, *getattr(p, "aliases", ())])
        preferred = getattr(p, "preferred_name", None)
        if preferred:
            self.names.append(preferred)
        for attr, bucket in (("email", self.emails), ("phone", self.phones),
                             ("address", self.addresses), ("upn", self.upns)):  # fmt: skip
            value = getattr(p, attr, None)
            if value:
                bucket.add(value)
        born = getattr(p, "date_of_birth", None)
        if born:
            self.dobs.add(born)


def split_name(name: str) -> tuple[list[str], list[str], bool]:
    """Split a written name into (given names, surname tokens, had a professional title).

    Leading titles are dropped; surname particles (van der, bin, de) stay with the surname.
    """
    words = lexicon()
    tokens = [t for t in re.split(r"[\s,]+", name.strip()) if t]
    titled = False
    while len(tokens) > 1 and fold(tokens[0]).rstrip(".") in words["titles"]:
        titled = titled or fold(tokens[0]).rstrip(".") in words["professional_titles"]
        tokens = tokens[1:]
    if len(tokens) == 1:
        return tokens, [], titled
    cut = len(tokens) - 1
    while cut > 1 and fold(tokens[cut - 1]) in words["particles"]:
        cut -= 1
    return tokens[:cut], tokens[cut:], titled


class RosterIndex:
    """Every known person and every form of their identity, indexed for one pass over text.

    :param subject: the pupil the request is about.
    :param roster: everyone the MIS knows (the subject and requester may be in it too).
    """

    def __init__(self, subject: Subject, roster: Sequence[Person]) -> None:
        self.subject = subject
        self.parties: list[Party] = []
        self._names: dict[str, list[Entry]] = defaultdict(list)
        self._surnames: dict[str, list[Entry]] = defaultdict(list)
        self._ids: dict[tuple[Kind, str], list[Entry]] = defaultdict(list)
        self._dobs: dict[dt.date, list[Entry]] = defaultdict(list)
        self._initials: dict[str, list[Entry]] = defaultdict(list)
        self.subject_adult = subject_is_adult(subject)
        self.identities: list[_Identity] = self._gather(subject, roster)
        shared = self._shared_contacts()
        for identity in self.identities:
            self._index(identity, shared)
        self.max_tokens = max((k.count(" ") + 1 for k in self._names), default=1)
        # Most words start no name: one set look-up skips them before any n-gram is built.
        self._starts = {k.split(" ", 1)[0] for k in self._names}
        self.max_surname_tokens = max((k.count(" ") + 1 for k in self._surnames), default=1)

    # -- building ---------------------------------------------------------------------------

    def _gather(self, subject: Subject, roster: Sequence[Person]) -> list[_Identity]:
        subject_names = {fold(n) for n in subject.all_names}
        requester = subject.requester
        me = _Identity(subject.name, Standing.SUBJECT, Role.PUPIL)
        me.add(subject)
        identities = [me]
        them = None
        if requester is not None:
            them = _Identity(requester.name, Standing.REQUESTER, None)
            them.gender = relationship_gender(requester.relationship)
            them.add(requester)
            identities.append(them)
        for person in roster:
            if self._is_subject(person, subject, subject_names):
                me.add(person)
            elif them is not None and requester is not None and _same_person(person, requester):
                them.add(person)
                them.role = person.role
            else:
                identity = _Identity(person.name, _standing(person), person.role)
                identity.add(person)
                identities.append(identity)
        return identities

    @staticmethod
    def _is_subject(person: Person, subject: Subject, subject_names: set[str]) -> bool:
        if person.role is not Role.PUPIL:
            return False
        if person.id and person.id == subject.id:
            return True
        if person.upn and subject.upn:
            return fold(person.upn) == fold(subject.upn)
        return fold(person.name) in subject_names

    def _shared_contacts(self) -> set[str]:
        """Phones and email domains used by two or more professionals: switchboards, work."""
        seen: dict[str, int] = defaultdict(int)
        for identity in self.identities:
            if identity.standing in (Standing.PROFESSIONAL, Standing.OTHER):
                for phone in identity.phones:
                    seen[national_digits(phone)] += 1
                for email in identity.emails:
                    seen["@" + email.rsplit("@", 1)[-1].lower()] += 1
        return {key for key, count in seen.items() if count > 1}

    def _index(self, identity: _Identity, shared: set[str]) -> None:
        titled = any(split_name(n)[2] for n in identity.names)
        adult = identity.standing is Standing.SUBJECT and self.subject_adult
        party = Party(len(self.parties), identity.name, identity.standing, identity.role, titled,
                      identity.gender, adult)  # fmt: skip
        self.parties.append(party)
        for name in dict.fromkeys(identity.names):
            self._index_name(party, name)
        freemail = lexicon()["freemail_domains"]
        for email in identity.emails:
            domain = email.rsplit("@", 1)[-1].lower()
            work = "@" + domain in shared or domain not in freemail
            self._ids[(Kind.EMAIL, email.lower())].append(Entry(party, Kind.EMAIL, not work))
        for phone in identity.phones:
            digits = national_digits(phone)
            entry = Entry(party, Kind.PHONE, digits not in shared)
            self._ids[(Kind.PHONE, digits)].append(entry)
        for upn in identity.upns:
            self._ids[(Kind.UPN, upn.strip().upper())].append(Entry(party, Kind.UPN, True))
        for dob in identity.dobs:
            self._dobs[dob].append(Entry(party, Kind.DOB, True))
        for address in identity.addresses:
            self._index_address(party, address)

    def _index_name(self, party: Party, name: str) -> None:
        given, surname, _ = split_name(name)
        if not given:
            return
        full = [*given, *surname]
        forms = {" ".join(fold(t) for t in full)}
        if surname:
            forms.add(" ".join(fold(t) for t in [given[0], *surname]))
            forms.add(" ".join(fold(t) for t in [*surname, given[0]]))  # SMITH, Jake
            forms.add(" ".join(fold(t) for t in [*surname, *given]))
            # "J. Smith", "J Smith": an initial and the surname name one person as surely as
            # the full name does ("Mr J. Smith" is removed or kept whole).
            forms.add(" ".join(fold(t) for t in [given[0][0], *surname]))
            letters = "".join(fold(t)[0] for t in [given[0], surname[-1]])
            self._initials[letters].append(Entry(party, Kind.INITIALS))
        for form in forms:
            self._add_name(form, Entry(party, Kind.FULL_NAME))
        # A hyphenated given name is also written with a space (Anne-Marie, Anne Marie).
        if "-" in given[0]:
            self._add_name(fold(given[0]).replace("-", " "), Entry(party, Kind.FIRST_NAME))
        if len(fold(given[0])) >= 2:
            self._add_name(fold(given[0]), Entry(party, Kind.FIRST_NAME))
        if surname:
            key = " ".join(fold(t) for t in surname)
            if party.standing is not Standing.OTHER_PUPIL or len(key) >= 3:
                self._add_surname(key, Entry(party, Kind.SURNAME))

    def _add_name(self, key: str, entry: Entry) -> None:
        if entry not in self._names[key]:
            self._names[key].append(entry)

    def _add_surname(self, key: str, entry: Entry) -> None:
        if entry not in self._surnames[key]:
            self._surnames[key].append(entry)
        self._add_name(key, entry)

    def _index_address(self, party: Party, address: str) -> None:
        lines = [part.strip() for part in re.split(r"[,\n]", address) if part.strip()]
        entry = Entry(party, Kind.ADDRESS, True)
        forms = {address}
        if lines:
            # "12 Acacia Avenue" (or "Flat 3, 12 Acacia Avenue") is the identifying part.
            first = lines[0] if re.search(r"[A-Za-z]{3}", lines[0]) else ", ".join(lines[:2])
            forms.add(first)
        for form in forms:
            tokens = [fold(t) for t in TOKEN_RE.findall(form)]
            tokens = [t for t in tokens if not _POSTCODE_RE.fullmatch(t)]
            for variant in _street_variants(tokens):
                if len(variant) >= 2:
                    self._add_name(" ".join(variant), entry)
        for m in _POSTCODE_RE.finditer(address):
            key = (Kind.POSTCODE, normalise_postcode(m.group()))
            self._ids[key].append(Entry(party, Kind.POSTCODE, True))

    # -- matching ---------------------------------------------------------------------------

    def find(self, text: str) -> list[RosterMatch]:
        """Every roster match in ``text``, longest first at each position, by start offset."""
        matches = list(self._find_names(text))
        matches.extend(self._find_initials(text, matches))
        matches.extend(self._find_identifiers(text))
        matches.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return matches

    def _find_names(self, text: str) -> Iterator[RosterMatch]:
        tokens = _tokens(text)
        titles = lexicon()["titles"]
        lower_note = _is_lower_note(tokens)
        i = 0
        while i < len(tokens):
            found = None
            if tokens[i].norm.rstrip(".") in titles and i + 1 < len(tokens):
                found = self._titled(text, tokens, i)
            found = found or self._longest(text, tokens, i, lower_note)
            if found is None:
                i += 1
                continue
            match, used = found
            yield match
            i += used

    def _find_initials(self, text: str, names: list[RosterMatch]) -> Iterator[RosterMatch]:
        """Initials of the subject, or of someone named in this text ("Mrs K. Adeyemi ...
        KA agreed"): dotted ("K.A.") anywhere, bare capitals ("KA") only for people named.

        Only those: in a big roster nearly every pair of letters is somebody's, and a
        stranger's "N.S." must not be kept because a teacher has the same initials.
        """
        named = {e.party.index for m in names if m.kind is Kind.FULL_NAME for e in m.entries}
        for m in INITIALS_RE.finditer(text):
            letters = fold(re.sub(r"[^A-Za-z]", "", m.group()))
            dotted = "." in m.group()
            if (
                not dotted
                and m.group().lower() in lexicon()["acronyms"]
                and not re.match(r"[ \t]*\((?i:a child|a minor|the child)", text[m.end() :])
            ):
                continue
            # "Re KA (A Child)": a court's way of naming the child, the subject here.
            child = bool(re.match(r"[ \t]*\((?i:a child|a minor|the child)", text[m.end() :]))
            entries = tuple(
                e for e in self._initials.get(letters, ())
                if e.party.index in named
                or ((dotted or child) and e.party.standing is Standing.SUBJECT)
            )  # fmt: skip
            if entries:
                end = m.end() - (1 if m.group().endswith(".") and not dotted else 0)
                yield RosterMatch(m.start(), end, text[m.start() : end], Kind.INITIALS, entries)

    def _longest(
        self, text: str, tokens: list[_Token], i: int, lower_note: bool = False
    ) -> tuple[RosterMatch, int] | None:
        if tokens[i].norm not in self._starts and tokens[i].bare not in self._starts:
            return None
        if len(tokens[i].raw) == 1 and tokens[i].raw.isalpha() and not _initial_ok(text, tokens, i):
            return None
        for n in range(min(self.max_tokens, len(tokens) - i), 0, -1):
            run = tokens[i : i + n]
            for possessive in (False, True):
                key = _key(run, possessive)
                entries = self._names.get(key)
                if not entries:
                    continue
                end = run[-1].bare_end if possessive else run[-1].end
                kept = [e for e in entries if _gaps_ok(text, run, e.kind)]
                kept = [
                    e for e in kept if n > 1 or _single_token_ok(text, tokens, i, e, lower_note)
                ]
                if kept:
                    kind = _main_kind(kept)
                    if kind is Kind.ADDRESS:
                        end = _address_tail(text, end)
                    return RosterMatch(run[0].start, end, text[run[0].start : end], kind,
                                       tuple(kept)), n  # fmt: skip
        return None

    def _titled(self, text: str, tokens: list[_Token], i: int) -> tuple[RosterMatch, int] | None:
        """Title + full name (Mrs Jane Gollan) or title + surname (Mrs Gollan, Dr. Shah)."""
        gap = text[tokens[i].end : tokens[i + 1].start]
        if not re.fullmatch(r"\.?[ \t]*\n?[ \t]*", gap) or gap == "":
            return None
        rest = self._longest(text, tokens, i + 1)
        if rest is not None and rest[0].kind is Kind.FULL_NAME:
            m, used = rest
            return RosterMatch(tokens[i].start, m.end, text[tokens[i].start : m.end],
                               Kind.FULL_NAME, m.entries), used + 1  # fmt: skip
        limit = min(self.max_surname_tokens, len(tokens) - i - 1)
        for n in range(limit, 0, -1):
            run = tokens[i + 1 : i + 1 + n]
            for possessive in (False, True):
                entries = self._surnames.get(_key(run, possessive))
                if entries and _gaps_ok(text, run, Kind.SURNAME):
                    end = run[-1].bare_end if possessive else run[-1].end
                    # A title goes with an adult; only when no adult has the surname is it a
                    # pupil's family member (the policy removes those as other parents).
                    adults = [e for e in entries if e.party.role is not Role.PUPIL or e.party.adult]
                    chosen = [Entry(e.party, Kind.TITLE_SURNAME) for e in adults or entries]
                    return RosterMatch(tokens[i].start, end, text[tokens[i].start : end],
                                       Kind.TITLE_SURNAME, tuple(chosen)), n + 1  # fmt: skip
        return None

    def _find_identifiers(self, text: str) -> Iterator[RosterMatch]:
        for m in _EMAIL_RE.finditer(text):
            yield from self._lookup(m, Kind.EMAIL, m.group().lower())
        seen_phone: set[tuple[int, int]] = set()
        for pattern in (_PHONE_RE, _LOOSE_PHONE_RE):
            for m in pattern.finditer(text):
                if m.span() not in seen_phone:
                    seen_phone.add(m.span())
                    yield from self._lookup(m, Kind.PHONE, national_digits(m.group()))
        for m in _UPN_RE.finditer(text):
            yield from self._lookup(m, Kind.UPN, m.group().upper())
        for m in _POSTCODE_RE.finditer(text):
            yield from self._lookup(m, Kind.POSTCODE, normalise_postcode(m.group()))
        if self._dobs:
            for m in DATE_RE.finditer(text):
                written = parse_written_date(m.group())
                if written in self._dobs:
                    entries = tuple(self._dobs[written])
                    yield RosterMatch(m.start(), m.end(), m.group(), Kind.DOB, entries)

    def _lookup(self, m: re.Match[str], kind: Kind, key: str) -> Iterator[RosterMatch]:
        entries = self._ids.get((kind, key))
        if entries:
            yield RosterMatch(m.start(), m.end(), m.group(), kind, tuple(entries))

    # -- for the leak check -----------------------------------------------------------------

    def identities_by_standing(self) -> Iterable[tuple[Party, _Identity]]:
        """Each party with everything known about them."""
        return zip(self.parties, self.identities, strict=True)

    def entries_for(self, kind: Kind, key: str, party: Party) -> list[Entry]:
        """The indexed entries of ``party`` for an identifier's normal form."""
        return [e for e in self._ids.get((kind, key), ()) if e.party == party]


#: Initials as a name: "K.A.", "K. A.", "N.S" or capitals alone ("KA", "NSB").
INITIALS_RE = re.compile(
    r"(?<![\w.])(?:[A-Z]\.[ ]?[A-Z]\.(?:[ ]?[A-Z]\.)?|[A-Z]\.[A-Z](?![\w.])|[A-Z]{2,3})(?![\w])"
)


def _initial_ok(text: str, tokens: list[_Token], i: int) -> bool:
    """A one-letter token starts a name only as a capital initial before a capitalised
    word: "J. Smith", "J Smith"; never "a smith" or "I Smith"."""
    token = tokens[i]
    if not token.raw.isupper() or i + 1 >= len(tokens):
        return False
    gap = text[token.end : tokens[i + 1].start]
    if token.raw == "I" and not gap.startswith("."):
        return False  # "I Smith" is not a name; "I. Smith" is
    return tokens[i + 1].raw[:1].isupper() and bool(re.fullmatch(r"\.?[ \t]*", gap))


_SELF = frozenset({"self", "subject", "pupil", "student", "former pupil"})


def subject_is_adult(subject: Subject, today: dt.date | None = None) -> bool:
    """18 or over on ``today`` by date of birth, or asking for their own records."""
    requester = subject.requester
    if requester is not None and (
        fold(requester.relationship or "") in _SELF or fold(requester.name) == fold(subject.name)
    ):
        return True
    born = subject.date_of_birth
    if born is None:
        return False
    today = today or dt.date.today()
    return (today.year - born.year - ((today.month, today.day) < (born.month, born.day))) >= 18


def _standing(person: Person) -> Standing:
    if person.role is Role.PUPIL:
        return Standing.OTHER_PUPIL
    if person.role is Role.PARENT:
        return Standing.OTHER_PARENT
    if person.role is Role.STAFF:
        return Standing.PROFESSIONAL
    return Standing.PROFESSIONAL if split_name(person.name)[2] else Standing.OTHER


def _same_person(person: Person, requester: Requester) -> bool:
    if person.role is Role.PUPIL:
        return False
    if person.email and requester.email and person.email.lower() == requester.email.lower():
        return True
    return fold(" ".join(split_name(person.name)[0] + split_name(person.name)[1])) == fold(
        " ".join(split_name(requester.name)[0] + split_name(requester.name)[1])
    )


def _tokens(text: str) -> list[_Token]:
    out = []
    for m in TOKEN_RE.finditer(text):
        raw = m.group()
        norm = fold(raw)
        bare, bare_end = norm, m.end()
        if len(norm) > 3 and norm.endswith("'s"):
            bare, bare_end = norm[:-2], m.end() - 2
        out.append(_Token(m.start(), m.end(), raw, norm, bare_end, bare))
    return out


def _key(run: list[_Token], possessive: bool) -> str:
    last = run[-1].bare if possessive else run[-1].norm
    return " ".join([t.norm for t in run[:-1]] + [last])


def _gaps_ok(text: str, run: list[_Token], kind: Kind) -> bool:
    """Name tokens are separated by white space only; addresses also by commas and dots."""
    pattern = r"[\s,.]+" if kind is Kind.ADDRESS else r"\s+|,\s*"
    for left, right in zip(run, run[1:], strict=False):
        gap = text[left.end : right.start]
        if len(left.raw) == 1 and kind is Kind.FULL_NAME and re.fullmatch(r"\.[ \t]*", gap):
            continue  # "J. Smith"
        if not re.fullmatch(pattern, gap):
            return False
        if "," in gap and kind is not Kind.FULL_NAME and kind is not Kind.ADDRESS:
            return False
    return True


def _single_token_ok(
    text: str, tokens: list[_Token], i: int, entry: Entry, lower_note: bool
) -> bool:
    """A lone name token: words that are also names need a capital and a likely position.

    In a lower-case typed note ("said mark and omar left"), such a word counts as a name only
    in a name slot: right after "said", "and", "with"..., or right before "and", "said"...
    """
    token = tokens[i]
    word = token.bare
    capitalised = token.raw[:1].isupper()
    words = lexicon()
    if entry.kind is Kind.ADDRESS:
        return False
    if entry.kind is Kind.SURNAME:
        # A surname alone only when written as a name (Gollan, GOLLAN), never an ordinary word.
        return capitalised and word not in words["word_names"] and len(word) >= 3
    if len(word) <= 2 or word in words["word_names"]:
        if not capitalised:
            return lower_note and len(word) > 2 and _in_name_slot(tokens, i)
        nxt = tokens[i + 1].norm if i + 1 < len(tokens) else ""
        return not (_sentence_start(text, token.start) and nxt in _SENTENCE_OPENERS)
    return True


def _in_name_slot(tokens: list[_Token], i: int) -> bool:
    words = lexicon()
    before = tokens[i - 1].norm if i > 0 else ""
    after = tokens[i + 1].norm if i + 1 < len(tokens) else ""
    return before in words["name_slot_before"] or after in words["name_slot_after"]


def _is_lower_note(tokens: list[_Token]) -> bool:
    """A note typed without capitals: hardly any word starts with one."""
    words = [t.raw for t in tokens if t.raw[:1].isalpha() and not t.raw.isupper()]
    if len(words) < 8:
        return False
    return sum(w[:1].isupper() for w in words) < 0.05 * len(words)


def relationship_gender(relationship: str | None) -> str | None:
    """ "f" for mother, mum, gran...; "m" for father, dad, uncle...; else ``None``."""
    if not relationship:
        return None
    value = fold(relationship).strip()
    if value in lexicon()["female_relations"]:
        return "f"
    if value in lexicon()["male_relations"]:
        return "m"
    return None


_PLACE_WORD = r"[A-Z][\w'’\-]*"
_TAIL_PART_RE = re.compile(
    rf"(?:,[ \t]*|[ \t]*\n[ \t]*|[ \t]+)"
    rf"(?:{POSTCODE_REGEX}|{_PLACE_WORD}(?:[ \t]+{_PLACE_WORD}){{0,2}})"
)


def _address_tail(text: str, end: int) -> int:
    """Extend an address over the town and postcode that follow it (", Otley, LS21 1AA").

    A following line counts only when it is short and all capitalised words (an address
    block), so "12 Mill Lane\nStaff were told" never swallows the next sentence.
    """
    for _ in range(3):
        m = _TAIL_PART_RE.match(text, end)
        if m is None:
            break
        part = m.group()
        if "," not in part and "\n" not in part and not _POSTCODE_RE.fullmatch(part.strip()):
            break
        if "\n" in part:
            line_end = text.find("\n", m.end())
            rest = text[m.end() : len(text) if line_end == -1 else line_end]
            if rest.strip(" ,") or len(part.strip()) > 30:
                break
        end = m.end()
    return end


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'(“‘")
    return not before or before[-1] in ".!?:\n"


def _main_kind(entries: list[Entry]) -> Kind:
    kinds = {e.kind for e in entries}
    for kind in (Kind.FULL_NAME, Kind.ADDRESS, Kind.FIRST_NAME, Kind.SURNAME):
        if kind in kinds:
            return kind
    return entries[0].kind


def _street_variants(tokens: list[str]) -> list[list[str]]:
    variants = [tokens]
    for i, token in enumerate(tokens):
        for long, short in _STREET_ABBREVIATIONS.items():
            swap = {long: short, short: long}.get(token)
            if swap:
                variants.append(tokens[:i] + [swap] + tokens[i + 1 :])
    return variants
