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
pupil, another parent) is worked out in :mod:`.roster_identity` as their :class:`Standing`;
when a run of tokens may be a name, in :mod:`.roster_tokens`; what to do about a match is
:mod:`.policy`'s job.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from .engine import lexicon
from .recognizers.dob import DATE_RE, parse_written_date
from .recognizers.email import EMAIL_REGEX
from .recognizers.phone import PHONE_GATE, PHONE_REGEX, national_digits
from .recognizers.postcode import normalise_postcode
from .roster_identity import (
    Entry,
    Identity,
    Kind,
    Party,
    Standing,
    fold,
    gather_identities,
    split_name,
    subject_is_adult,
)
from .roster_tokens import (
    INITIALS_RE,
    POSTCODE_RE,
    TOKEN_RE,
    Token,
    address_tail,
    gaps_ok,
    initial_ok,
    is_lower_note,
    main_kind,
    run_key,
    single_token_ok,
    street_variants,
    word_tokens,
)
from .types import Person, Role, Subject

_EMAIL_RE = re.compile(EMAIL_REGEX)
_PHONE_RE = re.compile(PHONE_REGEX)
_LOOSE_PHONE_RE = re.compile(r"(?<![\w+])(?:\+|\(?0)[0-9()][0-9 ()\-.\n]{7,18}[0-9](?![0-9])")
_UPN_RE = re.compile(r"\b[A-Za-z][0-9]{11}[0-9A-Za-z]\b")
#: Gates (see .recognizers.gate): what every match of the identifier patterns holds, so a
#: text without it skips the pattern. A loose phone starts "+", "0" or "(0", then a digit
#: or bracket and seven more of its characters; a postcode (in any case, as POSTCODE_RE
#: reads it) ends in a digit and two letters.
_GATES = {
    _EMAIL_RE: re.compile("@"),
    _PHONE_RE: re.compile(PHONE_GATE),
    _LOOSE_PHONE_RE: re.compile(r"[+0][0-9()][0-9 ()\-.\n]{7}"),
    _UPN_RE: re.compile("[0-9]{11}"),
    POSTCODE_RE: re.compile("[0-9][A-Z]{2}", re.IGNORECASE),
    DATE_RE: re.compile("[0-9]"),
}


def _gated(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, or nothing at once when its gate is not in ``text``."""
    if _GATES[pattern].search(text) is None:
        return iter(())
    return pattern.finditer(text)


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
        self.identities: list[Identity] = gather_identities(subject, roster)
        shared = self._shared_contacts()
        for identity in self.identities:
            self._index(identity, shared)
        self.max_tokens = max((k.count(" ") + 1 for k in self._names), default=1)
        # Most words start no name: one set look-up skips them before any n-gram is built.
        self._starts = {k.split(" ", 1)[0] for k in self._names}
        self.max_surname_tokens = max((k.count(" ") + 1 for k in self._surnames), default=1)

    # -- building ---------------------------------------------------------------------------

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

    def _index(self, identity: Identity, shared: set[str]) -> None:
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
            tokens = [t for t in tokens if not POSTCODE_RE.fullmatch(t)]
            for variant in street_variants(tokens):
                if len(variant) >= 2:
                    self._add_name(" ".join(variant), entry)
        for m in POSTCODE_RE.finditer(address):
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
        tokens = word_tokens(text)
        titles = lexicon()["titles"]
        lower_note = is_lower_note(tokens)
        starts = self._starts
        # Only a title or a word some name starts with can start a match (see _longest).
        candidates = [
            i
            for i, t in enumerate(tokens)
            if t.norm in starts or t.bare in starts or t.norm.rstrip(".") in titles
        ]
        after = 0  # the first token not inside a match yet
        for i in candidates:
            if i < after:
                continue
            found = None
            if tokens[i].norm.rstrip(".") in titles and i + 1 < len(tokens):
                found = self._titled(text, tokens, i)
            found = found or self._longest(text, tokens, i, lower_note)
            if found is None:
                continue
            match, used = found
            yield match
            after = i + used

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
        self, text: str, tokens: list[Token], i: int, lower_note: bool = False
    ) -> tuple[RosterMatch, int] | None:
        if tokens[i].norm not in self._starts and tokens[i].bare not in self._starts:
            return None
        if len(tokens[i].raw) == 1 and tokens[i].raw.isalpha() and not initial_ok(text, tokens, i):
            return None
        for n in range(min(self.max_tokens, len(tokens) - i), 0, -1):
            run = tokens[i : i + n]
            # Without a possessive "'s" the second look-up would be the first again.
            for possessive in (False, True) if run[-1].bare != run[-1].norm else (False,):
                key = run_key(run, possessive)
                entries = self._names.get(key)
                if not entries:
                    continue
                end = run[-1].bare_end if possessive else run[-1].end
                kept = [e for e in entries if gaps_ok(text, run, e.kind)]
                kept = [e for e in kept if n > 1 or single_token_ok(text, tokens, i, e, lower_note)]
                if kept:
                    kind = main_kind(kept)
                    if kind is Kind.ADDRESS:
                        end = address_tail(text, end)
                    return RosterMatch(run[0].start, end, text[run[0].start : end], kind,
                                       tuple(kept)), n  # fmt: skip
        return None

    def _titled(self, text: str, tokens: list[Token], i: int) -> tuple[RosterMatch, int] | None:
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
                entries = self._surnames.get(run_key(run, possessive))
                if entries and gaps_ok(text, run, Kind.SURNAME):
                    end = run[-1].bare_end if possessive else run[-1].end
                    # A title goes with an adult; only when no adult has the surname is it a
                    # pupil's family member (the policy removes those as other parents).
                    adults = [e for e in entries if e.party.role is not Role.PUPIL or e.party.adult]
                    chosen = [Entry(e.party, Kind.TITLE_SURNAME) for e in adults or entries]
                    return RosterMatch(tokens[i].start, end, text[tokens[i].start : end],
                                       Kind.TITLE_SURNAME, tuple(chosen)), n + 1  # fmt: skip
        return None

    def _find_identifiers(self, text: str) -> Iterator[RosterMatch]:
        for m in _gated(_EMAIL_RE, text):
            yield from self._lookup(m, Kind.EMAIL, m.group().lower())
        seen_phone: set[tuple[int, int]] = set()
        for pattern in (_PHONE_RE, _LOOSE_PHONE_RE):
            for m in _gated(pattern, text):
                if m.span() not in seen_phone:
                    seen_phone.add(m.span())
                    yield from self._lookup(m, Kind.PHONE, national_digits(m.group()))
        for m in _gated(_UPN_RE, text):
            yield from self._lookup(m, Kind.UPN, m.group().upper())
        for m in _gated(POSTCODE_RE, text):
            yield from self._lookup(m, Kind.POSTCODE, normalise_postcode(m.group()))
        if self._dobs:
            for m in _gated(DATE_RE, text):
                written = parse_written_date(m.group())
                if written in self._dobs:
                    entries = tuple(self._dobs[written])
                    yield RosterMatch(m.start(), m.end(), m.group(), Kind.DOB, entries)

    def _lookup(self, m: re.Match[str], kind: Kind, key: str) -> Iterator[RosterMatch]:
        entries = self._ids.get((kind, key))
        if entries:
            yield RosterMatch(m.start(), m.end(), m.group(), kind, tuple(entries))

    # -- for the leak check -----------------------------------------------------------------

    def identities_by_standing(self) -> Iterable[tuple[Party, Identity]]:
        """Each party with everything known about them."""
        return zip(self.parties, self.identities, strict=True)

    def entries_for(self, kind: Kind, key: str, party: Party) -> list[Entry]:
        """The indexed entries of ``party`` for an identifier's normal form."""
        return [e for e in self._ids.get((kind, key), ()) if e.party == party]
