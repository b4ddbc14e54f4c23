"""Find the personal data in a text and decide, for each piece, whether it stays.

The pipeline for a batch of texts (pages, email bodies, table cells):

1. identical texts are analysed once (repeated headers, footers, quoted replies);
2. spaCy's NER runs over the batch, sentence by sentence without quote markers, each
   sentence once per detector (:mod:`.nersentences`: a quoted message is read as the
   message it quotes); a sizeable batch is split: half of it goes through steps 2-6 in a helper
   process at the same time, so both cores work (see :func:`.nerhelper.run_shared`);
3. presidio's analyzer runs the identifier recognizers (:mod:`.recognizers`) and turns the
   NER's entities into results, using the precomputed NLP artifacts;
4. the roster (:mod:`.roster`) finds every known person and their identifiers;
5. context rules (:mod:`.context`) find people the NER missed, and identifying passages;
6. the policy (:mod:`.policy`) decides each finding; overlaps are resolved so a known
   person's exact match beats a guess, and what is left is sorted and non-overlapping.
"""

from __future__ import annotations

import functools
import pickle
import re
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from presidio_analyzer import AnalyzerEngine, RecognizerResult

from . import policy as rules
from .context import find_identifying_context, find_people, literal_breaks, unwrap
from .context_cleaning import clean_person, person_pieces
from .context_columns import column_names
from .context_forms import EXACT_DETECTORS
from .context_not_person import (
    label_word,
    letterhead_lines,
    not_a_name_after_break,
    organisation_after,
    organisation_before,
    organisation_contact,
    word_name_in_person_context,
)
from .context_ordinary import landmark_street, opening_verb_end, organisation_name
from .engine import Spans, get_analyzer, lexicon, ner_spans, recognize, resolve_model
from .nerhelper import run_shared
from .nersentences import SentenceStore, cached_spans
from .propagate import (
    extend_lists,
    propagate_initials,
    propagate_unknown_names,
    review_shared_first_names,
)
from .recognizers.phone import national_digits
from .reread_local import anchors, removed_from, reread_near
from .roster import RosterIndex, RosterMatch
from .roster_identity import ENTITY_TYPES as ROSTER_ENTITY_TYPES
from .roster_identity import NAME_KINDS, PARTIAL_NAME_KINDS, Kind, fold
from .types import Action, Finding, Person, Policy, Reason, Subject

#: Identifier entities from :mod:`.recognizers`; removed unless the roster says whose they are.
IDENTIFIER_ENTITIES = frozenset({
    "UK_UPN", "UK_ULN", "UK_NHS", "UK_NINO", "PHONE_NUMBER", "EMAIL_ADDRESS", "UK_POSTCODE",
    "STREET_ADDRESS", "DATE_OF_BIRTH", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS",
})  # fmt: skip
CACHE_SIZE = 4096
#: Lines remembered as pointing to the analysed texts they are in (see :mod:`.reread_local`);
#: bounded like the caches, since a remembered text stays in memory.
ANCHOR_SIZE = 2 * CACHE_SIZE
#: Analysed texts remembered per line (a repeated line is in several).
ORIGINS_PER_LINE = 8
#: Detectors (one per request) the helper process keeps unpickled.
HELPER_DETECTORS = 4

# Ranks: lower wins an overlap. Exact knowledge beats pattern beats guess.
_RANK_ROSTER_EXACT = 0
_RANK_IDENTIFIER = 1
_RANK_PERSON_MULTI = 2
_RANK_ROSTER_PARTIAL = 3
_RANK_PERSON_SINGLE = 4
_RANK_REVIEW = 9


@dataclass(frozen=True)
class _Candidate:
    finding: Finding
    rank: int
    trimmable: bool  # may be cut around a better finding (guessed names, review passages)


def warm_up(model: str | None = None) -> None:
    """Load the model and build every table detection builds on first use (word lists,
    patterns, caches of folded words), once per process.

    A worker calls this before it forks a work horse per job, so each job starts warm
    instead of paying about half a second again. No helper process is started.

    :param model: spaCy model (see :func:`.engine.get_analyzer`).
    """
    nobody = Detector(Subject(id="warm-up", name="Warm Up"), [], model=model)
    nobody.analyse("Dear Mrs Smith, Tom's mum (0113 496 0000, LS1 4AB) met her cousin, Obinna.")


class Detector:
    """Finds personal data for one subject access request and decides what stays.

    :param subject: the pupil the request is about (with the requester, if any).
    :param roster: everyone the MIS knows; the subject and requester may appear in it.
    :param policy: what to keep; the default follows rules 10-12.
    :param model: spaCy model for the NER (see :func:`.engine.get_analyzer`).
    :param sentences: the NER's entities per sentence kept beyond this detector, for this
        model (the request's other documents; see :mod:`.nersentences`).
    """

    def __init__(
        self,
        subject: Subject,
        roster: Sequence[Person],
        policy: Policy | None = None,
        *,
        model: str | None = None,
        sentences: SentenceStore | None = None,
    ) -> None:
        self.subject = subject
        self.roster = tuple(roster)
        self.policy = policy or Policy()
        self.model = model
        self.sentences = sentences
        self.index = RosterIndex(subject, self.roster)
        self._keep_terms = {fold(t) for t in self.policy.extra.get("keep_terms", ())}
        # Least recently used first; bounded, so memory stays flat on a long file.
        self._cache: OrderedDict[str, tuple[Finding, ...]] = OrderedDict()
        self._quick_cache: OrderedDict[str, tuple[Finding, ...]] = OrderedDict()  # ner=False
        self._ner_cache: OrderedDict[str, Spans] = OrderedDict()  # per sentence
        self._anchors: OrderedDict[str, list[str]] = OrderedDict()  # line -> texts with it
        self._token = uuid.uuid4().hex  # names this detector in the helper process
        self._pickled: bytes | None = None

    @property
    def analyzer(self) -> AnalyzerEngine:
        return get_analyzer(self.model)

    def analyse(self, text: str) -> list[Finding]:
        """Every finding in ``text`` (KEEP, REDACT and REVIEW), sorted, non-overlapping."""
        return self.analyse_many([text])[0]

    def analyse_many(self, texts: Sequence[str], *, ner: bool = True) -> list[list[Finding]]:
        """:meth:`analyse` for a batch: one ``nlp.pipe``, each distinct text analysed once.

        A sizeable batch is analysed half here and half in the helper process at the same
        time (NER, recognizers and decisions alike), so both cores work on it.

        :param ner: ``False`` skips spaCy's NER and keeps everything else (roster, identifier
            recognizers, context rules, policy): for re-reading text this detector has
            already analysed with the NER and that removal has since changed (re-check
            rounds, the leak check), where the NER is most of the cost. A person only the
            NER would spot is then not looked for again; a text already analysed in full
            is answered from that analysis, and one that is an analysed text with spans
            taken out is read again only around its changes (:mod:`.reread_local`).
        """
        caches = (self._cache,) if ner else (self._cache, self._quick_cache)
        done: dict[str, tuple[Finding, ...]] = {}
        todo = []
        for text in dict.fromkeys(texts):
            cache = next((c for c in caches if text in c), None)
            if cache is not None:
                cache.move_to_end(text)
                done[text] = cache[text]
            elif not text.strip():
                done[text] = ()
            elif not ner and (near := self._reread_near(text)) is not None:
                done[text] = near
                _remember(self._quick_cache, text, near)
            else:
                todo.append(text)
        if todo:
            here = functools.partial(self._analyse_here, ner=ner)
            found = run_shared(
                resolve_model(self.model), todo, here, functools.partial(self._remote, ner)
            )
            for text, findings in zip(todo, found, strict=True):
                done[text] = findings
                _remember(caches[-1], text, findings)
                self._anchor(text)
        return [list(done[text]) for text in texts]

    def _anchor(self, text: str) -> None:
        for line in anchors(text):
            texts = self._anchors.pop(line, [])
            self._anchors[line] = [text, *texts[: ORIGINS_PER_LINE - 1]]
        while len(self._anchors) > ANCHOR_SIZE:
            self._anchors.popitem(last=False)

    def _reread_near(self, text: str) -> tuple[Finding, ...] | None:
        """``text`` re-read around what removal changed in a text analysed before, the
        rest answered from that analysis; ``None`` when it must be read whole (see
        :mod:`.reread_local`). The analysed texts sharing most lines with it are tried."""
        votes = Counter(t for line in anchors(text) for t in self._anchors.get(line, ()))
        for origin, _ in votes.most_common(ORIGINS_PER_LINE):
            earlier = self._cache.get(origin, self._quick_cache.get(origin))
            if earlier is not None and removed_from(origin, text):
                break
        else:
            return None

        def window(part: str) -> tuple[Finding, ...]:
            return self._analyse_here([part], ner=False)[0]

        found = reread_near(text, origin, earlier, window)
        return None if found is None else tuple(found)

    def _analyse_here(self, texts: list[str], ner: bool = True) -> list[tuple[Finding, ...]]:
        """Analyse ``texts`` in this process, bypassing the cache."""
        analyzer = self.analyzer
        # A literal "\n" (exported data) read as a line break, same offsets: "Asante\nHamish".
        texts = [literal_breaks(t) for t in texts]
        flat = [unwrap(t) for t in texts]
        run = functools.partial(ner_spans, self.model)
        entities = (
            cached_spans(flat, run, self._ner_cache, self.sentences) if ner else [[] for _ in flat]
        )
        out = []
        for text, flat_text, spans in zip(texts, flat, entities, strict=True):
            # Same offsets as ``text``: numbers and names wrapped onto a new line match.
            results = recognize(analyzer, flat_text, spans)
            out.append(tuple(self._decide(text, flat_text, results)))
        return out

    def _remote(self, ner: bool) -> Callable[[list[str]], list[tuple[Finding, ...]]]:
        """:meth:`_analyse_here` as the helper process runs it (see :func:`_analyse_remote`)."""
        return functools.partial(_analyse_remote, self._token, self._state, ner)

    @property
    def _state(self) -> bytes:
        """This detector pickled (without its cache) for the helper process, made once."""
        if self._pickled is None:
            self._pickled = pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)
        return self._pickled

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state["_cache"] = OrderedDict()
        state["_quick_cache"] = OrderedDict()
        state["_ner_cache"] = OrderedDict()
        state["_anchors"] = OrderedDict()
        state["_pickled"] = None
        state["sentences"] = _travelling(self.sentences)
        return state

    def redact_spans(self, text: str) -> list[Finding]:
        """Only the findings to remove (action REDACT)."""
        return [f for f in self.analyse(text) if f.action is Action.REDACT]

    def third_party_terms(self) -> list[str]:
        """Every known third-party identifier in the roster, for the leak check.

        Full names, "Title Surname" forms, emails, phones as the roster writes them, UPNs,
        addresses (whole and first line) and postcodes of everyone whose data is removed.
        Anything that is also a kept person's (the subject's, the requester's, a kept
        professional's) is left out, so the check never fires on the pupil's own data; so
        are the names of Role.OTHER people, who are kept or not depending on context.
        """
        return rules.third_party_terms(self.index, self.policy)

    # -- deciding ---------------------------------------------------------------------------

    def _decide(self, text: str, flat: str, results: list[RecognizerResult]) -> list[Finding]:
        """Every finding in ``text``; ``flat`` is the same text with wrapped lines joined."""
        matches = [_by_title_gender(m) for m in self.index.find(text)]
        candidates = list(self._roster_candidates(text, matches))
        candidates.extend(self._person_candidates(text, flat, results, matches))
        # Whose an identifier is depends on who the sentence is about: people first.
        people = _resolve(candidates)
        candidates.extend(self._identifier_candidates(text, results, people))
        candidates.extend(self._review_candidates(text))
        findings = _resolve(candidates)
        findings = propagate_unknown_names(text, findings)
        findings = extend_lists(text, findings)
        findings = propagate_initials(text, findings)
        findings = review_shared_first_names(findings)
        school = self._school_spans(text) + letterhead_lines(text)
        return [
            f for f in findings
            if fold(f.text) not in self._keep_terms
            and not any(s < f.end and f.start < e for s, e in school)
        ]  # fmt: skip

    def _school_spans(self, text: str) -> list[tuple[int, int]]:
        """Where the school's own name is written: never personal data to remove."""
        school = self.subject.school or self.policy.extra.get("school")
        if not school:
            return []
        words = [re.escape(w) for w in re.findall(r"[^\W_]+", str(school))]
        pattern = r"[^\w]+".join(words)
        return [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]

    def _roster_candidates(self, text: str, matches: list[RosterMatch]) -> Iterable[_Candidate]:
        present = {
            m.entries[0].party.index
            for m in matches
            if len(m.parties) == 1 and m.kind not in PARTIAL_NAME_KINDS
        }
        professional_here = _professionals_in_context(text, matches)
        for m in matches:
            action, reason, party = rules.decide_match(
                m, self.policy, present=present, professional_here=professional_here
            )
            exact = m.kind not in PARTIAL_NAME_KINDS or m.kind is Kind.TITLE_SURNAME
            finding = Finding(
                start=m.start,
                end=m.end,
                text=m.text,
                entity_type=ROSTER_ENTITY_TYPES.get(m.kind, "PERSON"),
                score=1.0 if exact else 0.7,
                detector="roster",
                action=action,
                reason=reason,
                person=party.name if party else None,
            )
            rank = _RANK_ROSTER_EXACT if exact else _RANK_ROSTER_PARTIAL
            yield _Candidate(finding, rank, trimmable=False)

    def _person_candidates(
        self, text: str, flat: str, results: list[RecognizerResult], matches: list[RosterMatch]
    ) -> Iterable[_Candidate]:
        """People from the NER and the context rules, minus what the roster already knows."""
        guesses = [(r.start, r.end, r.score, "spacy", False) for r in results
                   if r.entity_type == "PERSON"]  # fmt: skip
        guesses += [(h.start, h.end, h.score, h.detector, h.text.islower())
                    for h in find_people(flat)]  # fmt: skip
        guesses += [(h.start, h.end, h.score, h.detector, False) for h in column_names(text)]
        names = [m for m in matches if m.kind in NAME_KINDS]
        exact = [(m.start, m.end) for m in names if m.kind not in PARTIAL_NAME_KINDS
                 or m.kind is Kind.TITLE_SURNAME]  # fmt: skip
        partial = [(m.start, m.end) for m in names if (m.start, m.end) not in exact]
        known = [*exact, *partial]
        # A guess never runs over a line break the text really has ("Milani\nCelebrating").
        breaks = [(m.start(), m.end()) for m in re.finditer("\n", flat)]
        for start, end, score, detector, lower_ok in guesses:
            start = opening_verb_end(text, start, end)  # "Said Ann Smith from the club"
            if organisation_after(text, end) or organisation_name(text, start, end):
                continue  # "Hollis Pike & Co", "Baker Street Chambers": a firm, not a person
            if detector in EXACT_DETECTORS:
                if not any(s <= start and end <= e for s, e in known):
                    yield _person(text, (start, end), score, detector)
                continue
            inner = [(s, e) for s, e in breaks if start < s < end]
            for span in person_pieces(text, start, end, [*exact, *inner], partial,
                                      allow_lower=lower_ok):  # fmt: skip
                after_break = bool(inner) and span[0] > inner[0][0]
                if after_break and not_a_name_after_break(text, *span):
                    continue  # the next line's first word: "Celebrating", "Age", "OTHER"
                if detector == "spacy" and label_word(text, *span):
                    continue
                if detector == "spacy" and not word_name_in_person_context(text, *span):
                    continue
                yield _person(text, span, score, detector)

    def _identifier_candidates(
        self, text: str, results: list[RecognizerResult], people: list[Finding]
    ) -> Iterable[_Candidate]:
        """Identifiers from the recognizers; whose they are comes from the sentence."""
        for r in results:
            if r.entity_type not in IDENTIFIER_ENTITIES or organisation_contact(
                text, r.start, r.end
            ):
                continue
            if r.entity_type == "STREET_ADDRESS" and (
                organisation_after(text, r.end) or landmark_street(text, r.start, r.end)
            ):
                continue  # "Baker Street Chambers", "the Mill Lane footpath": not a home
            detector = str((r.recognition_metadata or {}).get("recognizer_name", "presidio"))
            r = _balanced(text, r)
            action, reason, owner = rules.attribute_identifier(
                text, r.start, r.entity_type, people, self.index, self.policy
            )
            if reason is Reason.IDENTIFIER and _organisation_landline(text, r):
                continue  # "Contact the school office on 0113 496 0000": not personal data
            finding = Finding(r.start, r.end, text[r.start : r.end], r.entity_type,
                              round(r.score, 3), detector, action, reason, owner)  # fmt: skip
            yield _Candidate(finding, _RANK_IDENTIFIER, trimmable=False)

    def _review_candidates(self, text: str) -> Iterable[_Candidate]:
        decision = rules.identifying_context(self.policy)
        if decision is None:
            return
        for hit in find_identifying_context(text):
            finding = Finding(hit.start, hit.end, hit.text, hit.entity_type, hit.score,
                              hit.detector, *decision)  # fmt: skip
            yield _Candidate(finding, _RANK_REVIEW, trimmable=True)


def _remember(
    cache: OrderedDict[str, tuple[Finding, ...]], text: str, findings: tuple[Finding, ...]
) -> None:
    cache[text] = findings
    if len(cache) > CACHE_SIZE:
        cache.popitem(last=False)


def _organisation_landline(text: str, r: RecognizerResult) -> bool:
    """A landline (not a mobile) with no person before it in its sentence but an
    organisation: the school's, the surgery's... number."""
    if r.entity_type != "PHONE_NUMBER":
        return False
    return not national_digits(text[r.start : r.end]).startswith("07") and organisation_before(
        text, r.start
    )


def _balanced(text: str, r: RecognizerResult) -> RecognizerResult:
    """Without a bracket that does not close inside the span: "(027 123 9876)" loses the
    number, never the ")" or the "(" around it."""
    value = text[r.start : r.end]
    start, end = r.start, r.end
    if value.startswith("(") and ")" not in value:
        start += 1
    if value.endswith(")") and "(" not in value:
        end -= 1
    if (start, end) == (r.start, r.end):
        return r
    return RecognizerResult(r.entity_type, start, end, r.score, r.analysis_explanation,
                            r.recognition_metadata)  # fmt: skip


def _person(text: str, span: tuple[int, int], score: float, detector: str) -> _Candidate:
    start, end = span
    action, reason = rules.unknown_person()
    finding = Finding(start, end, text[start:end], "PERSON", round(score, 3), detector,
                      action, reason)  # fmt: skip
    multi = len(text[start:end].split()) > 1
    return _Candidate(finding, _RANK_PERSON_MULTI if multi else _RANK_PERSON_SINGLE, True)


_TITLE_GENDER = {"mr": "m", "mrs": "f", "miss": "f", "ms": "f", "sir": "m", "lady": "f",
                 "dame": "f", "lord": "m"}  # fmt: skip


def _by_title_gender(m: RosterMatch) -> RosterMatch:
    """Drop candidates of a gendered title + surname whose known gender is the other one."""
    if m.kind is not Kind.TITLE_SURNAME or len(m.entries) < 2:
        return m
    gender = _TITLE_GENDER.get(fold(m.text.split()[0]).rstrip("."))
    if gender is None:
        return m
    fitting = tuple(e for e in m.entries if e.party.gender in (None, gender))
    return replace(m, entries=fitting) if fitting else m


def _professionals_in_context(text: str, matches: list[RosterMatch]) -> set[int]:
    """Role.OTHER parties this text shows acting as professionals (rule 11)."""
    pattern = _professional_re()
    found: set[int] = set()
    for m in matches:
        for party in m.parties:
            if party.standing == "other" and party.index not in found:
                window = text[max(0, m.start - 60) : m.end + 60]
                if pattern.search(window):
                    found.add(party.index)
    return found


@functools.cache
def _professional_re() -> re.Pattern[str]:
    words = sorted(lexicon()["professional_context"], key=len, reverse=True)
    titles = sorted(lexicon()["professional_titles"], key=len, reverse=True)
    alternation = "|".join(re.escape(w) for w in [*words, *titles])
    return re.compile(rf"\b(?:{alternation})\b\.?", re.IGNORECASE)


def _resolve(candidates: list[_Candidate]) -> list[Finding]:
    """Keep the best finding wherever two overlap; cut guesses around better findings."""
    order = sorted(
        candidates,
        key=lambda c: (c.rank, -(c.finding.end - c.finding.start), -c.finding.score),
    )
    taken: list[tuple[int, int]] = []
    out: list[Finding] = []
    for cand in order:
        f = cand.finding
        clashes = [(s, e) for s, e in taken if s < f.end and f.start < e]
        if not clashes:
            taken.append((f.start, f.end))
            out.append(f)
        elif cand.trimmable:
            for piece in _uncovered(f, clashes):
                taken.append((piece.start, piece.end))
                out.append(piece)
    out.sort(key=lambda f: f.start)
    return out


def _uncovered(f: Finding, clashes: list[tuple[int, int]]) -> list[Finding]:
    """The parts of ``f`` outside ``clashes`` that still hold a name (or, for a review
    passage, any words)."""
    pieces = []
    cursor = f.start
    for s, e in [*sorted(clashes), (f.end, f.end)]:
        if s > cursor:
            if f.action is Action.REVIEW:
                raw = f.text[cursor - f.start : s - f.start]
                lead = len(raw) - len(raw.lstrip(" \t\n,.;:'’()-"))
                piece = raw.strip(" \t\n,.;:'’()-")
                spans = [(cursor + lead, cursor + lead + len(piece))] if len(piece) >= 2 else []
            else:
                local = clean_person(f.text, cursor - f.start, s - f.start)
                spans = [(f.start + a, f.start + b) for a, b in local]
            for a, b in spans:
                pieces.append(replace(f, start=a, end=b, text=f.text[a - f.start : b - f.start]))
        cursor = max(cursor, e)
    return pieces


_remote_detectors: OrderedDict[str, Detector] = OrderedDict()


def _analyse_remote(
    token: str, state: bytes, ner: bool, texts: list[str]
) -> list[tuple[Finding, ...]]:
    """In the helper process: :meth:`Detector._analyse_here` for the detector ``state``
    pickles (unpickled once per detector, the last few kept)."""
    detector = _remote_detectors.pop(token, None) or pickle.loads(state)  # noqa: S301  # from our own parent process
    _remote_detectors[token] = detector
    while len(_remote_detectors) > HELPER_DETECTORS:
        _remote_detectors.popitem(last=False)
    return detector._analyse_here(texts, ner=ner)


def _travelling(store: SentenceStore | None) -> SentenceStore | None:
    """``store`` if it can go to the helper process (a Redis store reconnects there), else
    ``None``: the helper then reads its half without it."""
    try:
        pickle.dumps(store, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001  # any store that cannot be pickled stays here
        return None
    return store
