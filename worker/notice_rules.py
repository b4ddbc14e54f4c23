"""The lint rules for privacy notices: each a general check that reads any school's notice.

Every rule is a function ``(doc) -> Iterator[NoticeIssue]`` registered in :data:`RULES`.
A rule looks for what the law asks a notice to say (UK GDPR Arts 12-14), for statements
that contradict docs/uk-school-sar-rules.md, and for publishing slips (placeholder links,
a name spelt two ways). Rules match meaning through word patterns and similarity, never a
sentence copied from the shipped notice, so another school's wording is judged the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from functools import cached_property

from .notice import (
    EMAIL,
    UK_PHONE,
    NoticeIssue,
    ParsedNotice,
    RawSection,
    Severity,
    dpo_name_mentions,
    find_sections,
    normalise,
    parse_notice,
    parse_sections,
    plain,
    split_sentences,
)

S164A_IN_FORCE = date(2026, 6, 19)  # rule 6: DPA 2018 s.164A (Data (Use and Access) Act 2025)
ICO_PHONE = "03031231113"
_ICO = r"Information Commissioner|\bICO\b"


@dataclass
class NoticeDoc:
    """A notice prepared once for all rules."""

    text: str  # normalised, Markdown kept
    sections: list[RawSection]
    parsed: ParsedNotice
    dpo_names: tuple[str, ...]
    today: date
    school_type: str

    @cached_property
    def units(self) -> list[str]:
        """Every sentence of every paragraph and every bullet, as plain text, in order."""
        out: list[str] = []
        for section in self.sections:
            for block in section.blocks:
                out.extend(split_sentences(plain(block.text)))
                out.extend(plain(item) for item in block.items)
        return out

    @cached_property
    def flat(self) -> str:
        return " ".join(self.units)

    def find(self, pattern: str, *also: str) -> list[str]:
        """Units matching ``pattern`` and every pattern in ``also`` (case-insensitive)."""
        pats = [re.compile(p, re.IGNORECASE) for p in (pattern, *also)]
        return [u for u in self.units if all(p.search(u) for p in pats)]

    def part_units(self, part: str, skip: str | None = None) -> list[str]:
        """Sentences and bullets of the sections about ``part`` (see notice._HEADINGS),
        leaving out blocks whose lead-in or text matches ``skip``."""
        out: list[str] = []
        for section in find_sections(self.sections, part):
            for block in section.blocks:
                if skip and re.search(skip, " ".join([block.text, *block.items]), re.I):
                    continue
                out.extend(split_sentences(plain(block.text)))
                out.extend(plain(item) for item in block.items)
        return out

    def section_text(self, part: str) -> str:
        return " ".join(self.part_units(part))

    def has(self, pattern: str) -> bool:
        return re.search(pattern, self.flat, re.IGNORECASE) is not None


Rule = Callable[[NoticeDoc], Iterator[NoticeIssue]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def issue(
    code: str, severity: Severity, message: str, excerpt: str | None, cite: str | None
) -> NoticeIssue:
    if excerpt is not None and len(excerpt) > 240:
        excerpt = excerpt[:237].rstrip() + "..."
    return NoticeIssue(code, severity, message, excerpt, cite)


def run_rules(text: str, *, today: date, school_type: str) -> list[NoticeIssue]:
    """Every rule over ``text``; errors first, then warnings, then notes, each in rule order."""
    sections = parse_sections(text)
    doc = NoticeDoc(
        text=normalise(text),
        sections=sections,
        parsed=parse_notice(text),
        dpo_names=tuple(dpo_name_mentions(text, sections)),
        today=today,
        school_type=school_type,
    )
    issues = [found for check in RULES for found in check(doc)]
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(issues, key=lambda i: rank[i.severity])


# --- who is responsible -------------------------------------------------------------------


@rule
def controller_identity(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    if doc.parsed.controller is None:
        yield issue(
            "controller-missing",
            Severity.ERROR,
            "The notice does not say who the data controller is (the school or trust, by "
            "its legal name).",
            None,
            "UK GDPR Art 13(1)(a)",
        )
        return
    theirs = _contact_points(doc.parsed.dpo_contact or "")
    others = _contact_points(doc.flat) - theirs - _contact_points(_ico_text(doc))
    if not others:
        yield issue(
            "controller-contact-missing",
            Severity.WARNING,
            f"The only contact details given are the DPO's: add the controller's own "
            f"address, telephone number or email ({doc.parsed.controller}).",
            _first(doc.find(r"data\s+controller")),
            "UK GDPR Art 13(1)(a)",
        )


def _contact_points(text: str) -> set[str]:
    points = {m.group(0).lower() for m in EMAIL.finditer(text)}
    points |= {re.sub(r"\D", "", m.group(0)) for m in UK_PHONE.finditer(text)}
    postcode = r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"
    points |= {re.sub(r"\s", "", m.group(0)) for m in re.finditer(postcode, text)}
    return points


def _ico_text(doc: NoticeDoc) -> str:
    """The ICO's own details, so they are never taken for the school's."""
    ico_blocks = [
        " ".join([b.text, *b.items])
        for s in doc.sections
        for b in s.blocks
        if re.search(_ICO, b.text) or any(re.search(r"ico\.org\.uk", i) for i in b.items)
    ]
    return " ".join(ico_blocks)


@rule
def dpo_named(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    nothing = not doc.dpo_names and doc.parsed.dpo_contact is None
    if nothing and not doc.has(r"\bDPO\b|data protection officer"):
        yield issue(
            "dpo-missing",
            Severity.ERROR,
            "No data protection officer is named. A school or trust is a public authority "
            "and must designate one and publish their contact details.",
            None,
            "UK GDPR Art 13(1)(b), Art 37",
        )
        return
    if doc.parsed.dpo_contact is None:
        yield issue(
            "dpo-contact-missing",
            Severity.ERROR,
            "The DPO has no contact details in the notice (an email address, telephone "
            "number or postal address).",
            _first(doc.find(r"data protection officer|\bDPO\b")),
            "UK GDPR Art 13(1)(b), Art 37(7)",
        )


@rule
def dpo_name_consistent(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """The DPO's name in two spellings (a typo) or two different people named as DPO."""
    names = doc.dpo_names
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            kinship = _same_person(first, second)
            if kinship == "typo":
                yield issue(
                    "dpo-name-inconsistent",
                    Severity.ERROR,
                    f'The DPO is named in two spellings, "{first}" and "{second}": parents '
                    "cannot tell which is right. Use one, correctly spelt.",
                    _quote_both(doc, first, second),
                    "UK GDPR Art 13(1)(b), Art 12(1)",
                )
            elif kinship == "different":
                yield issue(
                    "dpo-name-inconsistent",
                    Severity.WARNING,
                    f'Two different people are named as the DPO, "{first}" and "{second}".',
                    _quote_both(doc, first, second),
                    "UK GDPR Art 13(1)(b)",
                )


_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr"}


def _same_person(first: str, second: str) -> str:
    """``same`` ("Mrs Aisha Khan" / "Aisha Khan"), ``typo`` (first names alike and surnames
    alike but not equal: "Paul Stafford" / "Paul Stratford") or ``different``."""
    a = [w for w in re.findall(r"[a-z'-]+", first.lower()) if w not in _TITLES]
    b = [w for w in re.findall(r"[a-z'-]+", second.lower()) if w not in _TITLES]
    if not a or not b or set(a) <= set(b) or set(b) <= set(a):
        return "same"

    def alike(x: str, y: str) -> bool:
        return SequenceMatcher(None, x, y).ratio() >= 0.7

    return "typo" if alike(a[0], b[0]) and alike(a[-1], b[-1]) else "different"


def _quote_both(doc: NoticeDoc, first: str, second: str) -> str:
    a = _first([u for u in doc.units if first in u]) or first
    b = _first([u for u in doc.units if second in u]) or second
    return f"{_around(a, first)} ... {_around(b, second)}"


def _around(unit: str, needle: str, width: int = 60) -> str:
    """``needle`` with up to ``width`` characters either side, cut at word boundaries."""
    at = max(unit.find(needle), 0)
    start, end = max(0, at - width), min(len(unit), at + len(needle) + width)
    while start > 0 and not unit[start - 1].isspace():
        start += 1
    while end < len(unit) and not unit[end].isspace():
        end -= 1
    return unit[start:end].strip()


_FREE_MAIL = r"(gmail|googlemail|hotmail|outlook|live|yahoo|aol|icloud|btinternet)\."


@rule
def dpo_email_domain(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """A DPO address on a domain that does not belong to the controller is worth a look:
    a personal mailbox is wrong, a council address for an academy trust's DPO is usually a
    left-over from before the school converted."""
    contact = doc.parsed.dpo_contact or ""
    m = EMAIL.search(contact)
    controller = doc.parsed.controller or ""
    if m is None:
        return
    email = m.group(0)
    domain = email.split("@", 1)[1].lower()
    words = [w.lower() for w in re.findall(r"[A-Za-z]{4,}", controller)]
    shared = any(w in domain for w in words) or _initials(controller) in domain.split(".")[0]
    if re.search(_FREE_MAIL, domain):
        yield issue(
            "dpo-email-domain",
            Severity.WARNING,
            f"The DPO's email ({email}) is a personal webmail address: use an address the "
            "controller controls, so requests are not lost when people change.",
            email,
            "UK GDPR Art 37(7), Art 32",
        )
    elif (
        domain.endswith(".gov.uk")
        and doc.school_type != "maintained"
        and not re.search(r"council", controller, re.IGNORECASE)
    ):
        yield issue(
            "dpo-email-domain",
            Severity.WARNING,
            f"The DPO's email ({email}) is a local-authority address, but the controller "
            f"({controller or 'the school'}) is not the council. Check this is the current "
            "address of the DPO service the school contracts with.",
            _around(contact, email),
            "UK GDPR Art 13(1)(b), Art 37(7)",
        )
    elif (
        controller
        and not shared
        and not domain.endswith(".gov.uk")
        and not doc.has(r"external|(?:DPO|data protection officer|data protection) service")
    ):
        yield issue(
            "dpo-email-domain",
            Severity.INFO,
            f"The DPO's email ({email}) is on another organisation's domain: fine for an "
            "external DPO service, but say so, so parents know who they are writing to.",
            email,
            "UK GDPR Art 13(1)(b)",
        )


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper()).lower()


# --- publishing slips ---------------------------------------------------------------------

_DEAD_TARGETS = {"", "#", "#!", "url", "link", "http://", "https://", "javascript:void(0)"}


@rule
def placeholder_links(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    for m in re.finditer(r"\[([^\]]+)\]\(([^)]*)\)", doc.text):
        if m.group(2).strip().lower() in _DEAD_TARGETS:
            yield issue(
                "placeholder-link",
                Severity.ERROR,
                f'The link "{m.group(1)}" goes nowhere (target "{m.group(2)}"): readers '
                "cannot reach what the notice relies on. Add the real address.",
                m.group(0),
                "UK GDPR Art 12(1)",
            )


_PLACEHOLDERS = (
    r"\[(?:insert|add|enter|school|name|date|link|address|phone|tbc|x{2,})[^\]]*\](?!\()",
    r"<\s*insert[^>]*>",
    r"\bX{3,}\b",
    r"\bTBC\b|\bTBA\b",
    r"lorem ipsum",
)


@rule
def placeholder_text(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    for pattern in _PLACEHOLDERS:
        for m in re.finditer(pattern, doc.text, re.IGNORECASE):
            yield issue(
                "placeholder-text",
                Severity.ERROR,
                "Template placeholder text was left in the notice.",
                m.group(0),
                "UK GDPR Art 12(1)",
            )


# Ofcom's ranges reserved for drama and examples: never a real line.
_OFCOM_FICTION = (
    r"^(?:01632960|02079460|0113496|0114496|0115496|0116496|0117496|0118496|0121496|0131496|"
    r"0141496|0151496|0161496|02896496|02920180|0191498|07700900|08081570|09098790|03069990)"
)


@rule
def placeholder_phone(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Numbers ending in a run of one digit (0300 300 0000), counting runs (1234567), or in
    Ofcom's fiction ranges are almost always template placeholders."""
    for m in UK_PHONE.finditer(doc.flat):
        digits = re.sub(r"\D", "", m.group(0))
        if digits.startswith("44"):
            digits = "0" + digits[2:]
        tail = digits[-6:]
        if (
            re.search(r"(\d)\1{3}$", digits)
            or tail in ("123456", "234567", "345678", "456789", "654321")
            or re.match(_OFCOM_FICTION, digits)
        ):
            yield issue(
                "placeholder-phone",
                Severity.WARNING,
                f"The telephone number {m.group(0).strip()} looks like a placeholder: check "
                "it is a real, staffed line.",
                _around(_first([u for u in doc.units if m.group(0) in u]) or "", m.group(0), 40),
                "UK GDPR Art 13(1)(a)-(b)",
            )


_PERFECT_BASE = (
    r"\b(?:have|has|had)\s+(?:refer|collect|obtain|ask|make|take|provide|store|receive|send|"
    r"give|write|retain|transfer|publish|adopt|include|keep|process)\b"
)


@rule
def grammar(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Slips a parent notices at once: a base verb after have/has ("We have refer to") and a
    doubled word ("the the")."""
    for unit in doc.units:
        for m in re.finditer(_PERFECT_BASE, unit, re.IGNORECASE):
            yield issue(
                "grammar",
                Severity.WARNING,
                f'Broken grammar: "{m.group(0)}" (a verb form is wrong). The notice must be '
                "in clear and plain language.",
                unit,
                "UK GDPR Art 12(1)",
            )
        for m in re.finditer(r"\b([A-Za-z]+)\s+\1\b", unit, re.IGNORECASE):
            if m.group(1).lower() not in ("had", "that", "is"):
                yield issue(
                    "grammar",
                    Severity.WARNING,
                    f'The word "{m.group(1)}" is doubled.',
                    unit,
                    "UK GDPR Art 12(1)",
                )


@rule
def unfinished_sentences(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """A paragraph that stops without a full stop usually runs into the next one when read."""
    for section in doc.sections:
        for block in section.blocks:
            text = plain(block.text)
            if not block.items and len(text.split()) >= 8 and text[-1].isalnum():
                yield issue(
                    "grammar",
                    Severity.INFO,
                    "A sentence has no full stop, so it runs into what follows.",
                    split_sentences(text)[-1],
                    "UK GDPR Art 12(1)",
                )


@rule
def notice_date(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """A notice must show which version a parent read; an old date means it is overdue for
    review."""
    months = (
        r"(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
    )
    stamp = re.compile(
        rf"(?:updated|reviewed|review|version|dated?|issued|published|effective|approved)"
        rf"[^.\n]{{0,40}}?(?:\b\d{{1,2}}[/.-]\d{{1,2}}[/.-](\d{{4}})|{months}\s+(\d{{4}})|"
        rf"\b(\d{{4}})-\d{{2}}-\d{{2}}|\b(20\d\d)\b|v?\d+\.\d+)",
        re.IGNORECASE,
    )
    found = list(stamp.finditer(doc.text))
    if not found:
        yield issue(
            "notice-date-missing",
            Severity.WARNING,
            "The notice has no date or version: add 'Last updated' (and a version) so the "
            "school can show which notice a parent was given.",
            None,
            "UK GDPR Art 5(2), Art 12(1)",
        )
        return
    years = [int(y) for m in found for y in m.groups() if y]
    if years and max(years) <= doc.today.year - 2:
        yield issue(
            "notice-review-overdue",
            Severity.INFO,
            f"The notice was last dated {max(years)}: review it at least every two years.",
            found[0].group(0),
            "UK GDPR Art 5(2)",
        )


def _first(items: Sequence[str]) -> str | None:
    return items[0] if items else None


# --- what the processing is ---------------------------------------------------------------


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
            _first(doc.find(r"overlap|several grounds"))
            or _first(doc.find(r"most commonly|lawful|legal basis")),
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
    scope = _first(doc.find(r"(?:data|information) about pupils|pupil information"))
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
            _first(doc.find(r"biometric|fingerprint")),
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
            _first(doc.find(r"\bconsent")),
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


# --- keeping and transferring -------------------------------------------------------------

_DURATION = (
    r"\b(?:\d+|one|two|three|four|five|six|seven|ten|twelve|fifteen|twenty[- ]five)\s+"
    r"(?:years?|months?|weeks?|days?)\b|\bage(?:d| of)\s+\d+|date of birth\s*\+|DOB\s*\+|"
    r"\+\s*\d+\s*years|until (?:[\w']+\s+){0,3}(?:is|are|reaches|turns|aged?)\s+\d+"
)


@rule
def retention(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """A period per kind of record, or the criteria, or at least a working link to the
    retention schedule: "as long as necessary" is not enough."""
    units = doc.part_units("retention")
    if re.search(_DURATION, " ".join(units), re.IGNORECASE):
        return
    sections = find_sections(doc.sections, "retention")
    raw = " ".join(" ".join([b.text, *b.items]) for s in sections for b in s.blocks)
    links = re.findall(r"\]\((https?://[^)\s]+)\)|(https?://\S+)", raw)
    excerpt = _first(
        [u for u in units if re.search(r"toolkit|schedule|polic|how long", u, re.I)]
    ) or _first(units)
    if links:
        yield issue(
            "retention-schedule-link-only",
            Severity.INFO,
            "Retention periods are only given through a linked schedule: consider stating "
            "the main periods in the notice.",
            excerpt,
            "UK GDPR Art 13(2)(a)",
        )
        return
    yield issue(
        "retention-period-missing",
        Severity.ERROR,
        "No retention period (or the criteria for one) is given for any kind of record, and "
        "no working link to the school's retention schedule: state how long each category is "
        "kept, or link the schedule.",
        excerpt,
        "UK GDPR Art 13(2)(a); rule 16",
    )


_TRANSFER = r"transfer|outside the|overseas|abroad|international|third countr"


@rule
def transfers(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    stated = doc.find(_TRANSFER, r"countr|territor|outside|abroad|overseas|international")
    stated = [u for u in stated if not re.search(r"another organisation|portab", u, re.I)]
    if not stated:
        yield issue(
            "transfers-not-stated",
            Severity.INFO,
            "The notice does not say whether data goes outside the UK (cloud suppliers often "
            "store data abroad). Say whether it does and under which safeguards.",
            None,
            "UK GDPR Art 13(1)(f)",
        )
        return
    for unit in stated:
        if re.search(r"European Economic Area|\bEEA\b|European Union|\bEU\b", unit):
            yield issue(
                "transfer-eea",
                Severity.ERROR,
                "International transfers are described by the EEA/EU. Since Brexit the UK "
                "GDPR restricts transfers outside the UK: say 'outside the UK'.",
                unit,
                "UK GDPR Art 13(1)(f), Arts 44-49",
            )
    if not any(
        re.search(
            r"adequa|safeguard|IDTA|international data transfer|standard contractual|"
            r"addendum|binding corporate|do not transfer|never transfer",
            u,
            re.IGNORECASE,
        )
        for u in stated
    ):
        yield issue(
            "transfer-safeguards-missing",
            Severity.WARNING,
            "The notice does not name the safeguards for transfers outside the UK (UK "
            "adequacy regulations, the IDTA or the UK Addendum) or how to get a copy.",
            stated[0],
            "UK GDPR Art 13(1)(f), Art 46",
        )


@rule
def outdated_law(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    for pattern in (
        r"Data Protection Act 1998|DPA 1998",
        r"95/46/EC",
        r"Privacy Shield|Safe Harbou?r",
    ):
        for unit in doc.find(pattern):
            yield issue(
                "outdated-law",
                Severity.WARNING,
                "The notice cites law that no longer applies; refer to the UK GDPR and the "
                "Data Protection Act 2018.",
                unit,
                "UK GDPR; DPA 2018",
            )


# --- rights -------------------------------------------------------------------------------

_RIGHTS = {
    "access": (
        r"subject access|right of access|access (?:to )?(?:your|their|the|personal|information|"
        r"data)|copy of|request access",
        "Art 15",
    ),
    "rectification": (r"rectif|correct|inaccurate", "Art 16"),
    "erasure": (r"erase|erasure|delet|destroy|forgotten", "Art 17"),
    "restriction": (r"restrict", "Art 18"),
    "objection": (r"\bobject", "Art 21"),
    "portability": (
        r"portab|transmitted[^.]{0,30}to another|machine[- ]readable|(?:move|transfer)[^.]{0,30}"
        r"to another (?:organisation|controller|provider)",
        "Art 20",
    ),
}  # fmt: skip


@rule
def rights_listed(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    for right, (pattern, article) in _RIGHTS.items():
        if not doc.has(pattern):
            yield issue(
                "right-missing",
                Severity.ERROR if right != "portability" else Severity.WARNING,
                f"The right to {right} is not mentioned.",
                None,
                f"UK GDPR Art 13(2)(b), {article}",
            )
    for unit in doc.find(r"\bobject", r"damage or distress"):
        yield issue(
            "objection-right-outdated",
            Severity.WARNING,
            "The right to object is described with the old 1998 Act test ('damage or "
            "distress'). Under UK GDPR Art 21 a person may object, on grounds relating to "
            "their situation, to processing for a public task or legitimate interests; the "
            "school must then stop unless it shows compelling grounds.",
            unit,
            "UK GDPR Art 21",
        )


@rule
def automated_decisions(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Art 13(2)(f) asks for a statement either way; promising to say so on request, or
    listing the right to object to such decisions, is not the statement."""
    statements = doc.find(
        r"automated|profiling",
        r"\b(?:do not|don't|does not|doesn't|never|no|not)\b|\bwe use\b|\bis used\b|\bare used\b",
    )
    statements = [u for u in statements if not re.search(r"\bwhether\b|\bobject\b", u, re.I)]
    if not statements:
        yield issue(
            "automated-decision-missing",
            Severity.WARNING,
            "The notice does not say whether any decisions are made about pupils by "
            "automated means (including profiling). State it, e.g. 'We do not make "
            "decisions by automated means'.",
            _first(doc.find(r"automated")),
            "UK GDPR Art 13(2)(f), Art 22",
        )


@rule
def ico_complaint(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    if not doc.has(_ICO):
        yield issue(
            "ico-complaint-missing",
            Severity.ERROR,
            "The notice does not tell people they can complain to the Information "
            "Commissioner's Office.",
            None,
            "UK GDPR Art 13(2)(d), Art 77",
        )
        return
    for m in UK_PHONE.finditer(_ico_text(doc)):
        if re.sub(r"\D", "", m.group(0)) != ICO_PHONE:
            yield issue(
                "ico-contact-wrong",
                Severity.ERROR,
                f"The ICO's helpline is given as {m.group(0).strip()}; it is 0303 123 1113.",
                m.group(0).strip(),
                "UK GDPR Art 13(2)(d)",
            )


@rule
def complaints_route(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Rule 6 (DPA 2018 s.164A, from 19 June 2026): an electronic way to complain to the
    school itself, acknowledged within 30 days, with the outcome reported."""
    ours = [
        u
        for u in doc.find(r"complain|concern")
        if not re.search(_ICO + r"|ico\.org\.uk", u, re.IGNORECASE)
    ]
    text = " ".join([*ours, *doc.part_units("complaints", skip=_ICO + r"|ico\.org\.uk")])
    electronic = EMAIL.search(text) or re.search(
        r"https?://|online|electronic|complaints? form|web ?form", text, re.IGNORECASE
    )
    acknowledged = re.search(r"acknowledg|30 days|thirty days", text, re.IGNORECASE)
    missing = [
        what
        for what, ok in (
            ("an electronic way to complain to the school (a form or an address)", electronic),
            ("that complaints are acknowledged within 30 days, with the outcome", acknowledged),
        )
        if not ok
    ]  # fmt: skip
    if missing:
        in_force = doc.today >= S164A_IN_FORCE
        yield issue(
            "complaint-route-s164a",
            Severity.ERROR if in_force else Severity.INFO,
            f"The notice does not give {' or '.join(missing)}. "
            + (
                "This is required since 19 June 2026."
                if in_force
                else "This becomes a duty on 19 June 2026."
            ),
            _first(doc.find(r"\bto make a complaint|complain", r"\bus\b|school|trust|DPO|officer"))
            or _first(ours),
            "rule 6; DPA 2018 s.164A",
        )


# --- statements the rules contradict ------------------------------------------------------

_PERIOD = r"(?:within|in)\s+(?:\w+\s+){0,2}(?:month|months|days|weeks|working days|school days)"


@rule
def subject_access_timescale(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    about_access = doc.find(r"subject access|access request|request", _PERIOD)
    about_access += [u for u in doc.part_units("rights") if re.search(_PERIOD, u, re.I)]
    sar = [
        u
        for u in dict.fromkeys(about_access)
        if not re.search(r"educational record|complain", u, re.IGNORECASE)
    ]
    right = [u for u in sar if re.search(r"\bone (?:calendar )?month|\b1 month", u, re.I)]
    wrong = [u for u in sar if u not in right and re.search(r"\d+\s+(?:working\s+)?days", u)]
    for unit in wrong:
        yield issue(
            "sar-timescale-wrong",
            Severity.ERROR,
            "The time to answer a subject access request is one calendar month "
            "(extendable by two months for complex requests), not a number of days.",
            unit,
            "rule 1; UK GDPR Art 12(3)",
        )
    if not right and not wrong:
        yield issue(
            "sar-timescale-missing",
            Severity.WARNING,
            "The notice does not say that a subject access request is answered within one month.",
            _first(doc.find(r"subject access")),
            "rule 1; UK GDPR Art 12(3)",
        )


@rule
def subject_access_fee(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    fee = r"£\s?\d|\bfee\b|\bcharge"
    about_access = doc.find(r"subject access|access request", fee)
    about_access += [u for u in doc.part_units("rights") if re.search(fee, u, re.I)]
    for unit in dict.fromkeys(about_access):
        if not re.search(r"free|no (?:fee|charge)|manifestly|excessive|unfounded", unit, re.I):
            yield issue(
                "sar-fee",
                Severity.ERROR,
                "A subject access request is free; a reasonable fee may only be charged for "
                "manifestly unfounded or excessive requests, or further copies.",
                unit,
                "rule 15; UK GDPR Art 12(5), Art 15(3)",
            )


@rule
def educational_record(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Rule 4: the parental right to the educational record binds maintained schools only,
    within 15 school days; academies and free schools need not (and usually do not) grant
    it."""
    claims = doc.find(r"educational record", r"right|access|request|copy|inspect")
    if not claims and doc.school_type == "maintained":
        yield issue(
            "educational-record-missing",
            Severity.INFO,
            "A maintained school's parents may see their child's educational record within "
            "15 school days: the notice could say so.",
            None,
            "rule 4; Education (Pupil Information) (England) Regulations 2005 reg 5",
        )
    for unit in claims:
        if doc.school_type != "maintained":
            yield issue(
                "educational-record-not-applicable",
                Severity.ERROR,
                "The notice grants parents a statutory right to the educational record, but "
                "those regulations apply to maintained schools only, not to academies, free "
                "schools or independent schools. Remove it, or describe what the school "
                "chooses to offer.",
                unit,
                "rule 4; Education (Pupil Information) (England) Regulations 2005 reg 5",
            )
        period = re.search(_PERIOD, unit, re.IGNORECASE)
        if period and not re.search(r"15\s+school\s+days|fifteen\s+school\s+days", unit, re.I):
            yield issue(
                "educational-record-timescale",
                Severity.ERROR,
                f'The educational record is due within 15 school days, not "{period.group(0)}"'
                "; a copy may cost up to the cost of supply.",
                unit,
                "rule 4",
            )


_AGE = (
    r"(?:aged?|age of|under|over|above)\s+(\d{1,2})\b|\b(\d{1,2})\s+(?:and|or)\s+"
    r"(?:above|over|older)"
)


@rule
def child_competence_age(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Rule 7: in England 12 is the usual guide to a child's competence to exercise their own
    rights; another age, or 12 stated as a hard rule, misleads parents."""
    competence = (
        r"mature|understand|competen|capacity|subject access|own (?:\w+ )?(?:request|rights)"
    )
    for unit in doc.find(competence, _AGE):
        if re.search(r"youth support|13-19|reaches the age of 1[36]\b", unit, re.I):
            continue
        ages = {int(a) for m in re.finditer(_AGE, unit, re.I) for a in m.groups() if a}
        wrong = sorted(a for a in ages if a != 12 and 5 <= a <= 18)
        if wrong:
            yield issue(
                "child-competence-age",
                Severity.WARNING,
                f"The notice gives age {wrong[0]} for when a child can exercise their own "
                "rights; in England 12 is the usual guide, judged case by case.",
                unit,
                "rule 7",
            )
        elif 12 in ages and re.search(r"\bby law\b|\blegally\b|statutor|\bmust\b", unit, re.I):
            yield issue(
                "child-competence-age",
                Severity.WARNING,
                "The notice states age 12 as a legal rule; in England it is a guide (it is "
                "statutory only in Scotland) and each child's competence is judged case by case.",
                unit,
                "rule 7",
            )


@rule
def youth_support(doc: NoticeDoc) -> Iterator[NoticeIssue]:
    """Rule 9: from 13 the school passes data to the local authority's youth support
    services; the parent (pupil under 16) or the pupil (16+) may limit it to the pupil's
    name, address and date of birth, and the parent's name and address."""
    sections = [s for s in doc.sections if re.search(r"youth support", s.heading, re.I)]
    units = [
        u for s in sections for b in s.blocks for u in [*split_sentences(plain(b.text)), *b.items]
    ]
    units = units or doc.find(r"youth support")
    if not units:
        return
    text = " ".join(units)
    start = re.search(
        r"(?:reaches|reached|from) (?:the )?age (?:of )?(\d+)|aged? (\d+)\s*(?:\+|and over)", text
    )
    start_age = next((int(a) for a in start.groups() if a), 13) if start else 13
    opt_out = [
        int(m.group(1))
        for u in units
        if re.search(r"only (?:pass|share|send)|\blimit|ask us|request that|object", u, re.I)
        for m in re.finditer(r"(?:age of|aged?|over)\s+(\d+)", u)
    ]
    if start_age != 13 or any(age != 16 for age in opt_out):
        yield issue(
            "youth-support-ages",
            Severity.WARNING,
            "Youth support services: data passes from age 13, and the pupil decides for "
            "themselves from 16 (the parent before then).",
            _first([u for u in units if re.search(r"\d", u)]),
            "rule 9; Education and Skills Act 2008 s.14",
        )
    limit = _first([u for u in units if re.search(r"name, address and date of birth", u, re.I)])
    if limit and not re.search(
        r"parent'?s?'? (?:name|details)|their (?:own )?name and address", text, re.I
    ):
        yield issue(
            "youth-support-parent-details",
            Severity.INFO,
            "When a family limits what goes to youth support services, the parent's name and "
            "address go too; the notice mentions only the child's details.",
            limit,
            "rule 9",
        )
