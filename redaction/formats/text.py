"""Removal from plain text (text, Markdown, CSV, email bodies, DOCX paragraphs).

Each REDACT span is replaced by a label such as ``[Third party]`` (rule 18: the text is
gone, the reader sees that something was withheld). Redacted text is read again (roster,
identifiers, context rules and policy; the NER already read it before removal, see
:func:`.report.reread`): removing a name changes the sentence ("her cousin [Third
party]"), and what that exposes is removed too, so the leak check does not fail on it.
"""

from __future__ import annotations

import codecs
import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..leakcheck import sweep, terms_for
from ..limits import check_time
from ..report import DEFAULT_LABEL, DetectorLike, Outcome, RedactionRecord, record, reread
from ..types import Action, Finding

# A second and third look at text that changed; more is never needed in practice.
MAX_ROUNDS = 3


def merge_spans(spans: Sequence[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Sort spans and join those that overlap or are separated only by spaces."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or not text[merged[-1][1] : start].strip(" \t")):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def apply_spans(text: str, spans: Sequence[tuple[int, int]], label: str = DEFAULT_LABEL) -> str:
    """Replace each span by ``[label]``."""
    out: list[str] = []
    pos = 0
    for start, end in merge_spans(spans, text):
        out.append(text[pos:start])
        out.append(f"[{label}]")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def within_label(text: str, finding: Finding, label: str) -> bool:
    """True when a finding lies inside one of our own labels (it is not a leak)."""
    low, lab = text.lower(), label.lower()
    pos = low.find(lab, max(0, finding.start - len(lab)))
    while pos != -1 and pos <= finding.start:
        if pos + len(lab) >= finding.end:
            return True
        pos = low.find(lab, pos + 1)
    return False


@dataclass
class UnitResult:
    """One redacted text unit and what was removed or flagged in it."""

    text: str
    removed: list[tuple[Finding, int | None]] = field(default_factory=list)
    review: list[Finding] = field(default_factory=list)
    kept: list[Finding] = field(default_factory=list)  # suggestions a reviewer kept


# apply(unit index, spans) -> the unit's new text: lets DOCX write into its runs.
Applier = Callable[[int, Sequence[tuple[int, int]]], str]


def redact_units(
    texts: Sequence[str],
    detector: DetectorLike,
    label: str = DEFAULT_LABEL,
    apply: Applier | None = None,
    rounds: int = MAX_ROUNDS,
) -> list[UnitResult]:
    """Redact a batch of text units with one detection call per round.

    Findings of the first round carry offsets into the original unit; those found on a
    re-check of changed text carry ``None``.

    :param apply: writes the spans into the real document and returns the new text;
        by default the spans are replaced in the string.
    :param rounds: 1 when the output is laid out as a PDF and checked again there.
    """
    terms = terms_for(detector)
    results = [UnitResult(text=t) for t in texts]
    pending = list(range(len(texts)))
    for round_no in range(rounds):
        if not pending:
            break
        check_time()
        texts = [results[i].text for i in pending]
        # Later rounds re-read units that removal changed (see report.reread).
        batch = detector.analyse_many(texts) if round_no == 0 else reread(detector, texts)
        changed: list[int] = []
        for index, findings in zip(pending, batch, strict=True):
            unit = results[index]
            redact = [
                f
                for f in findings
                if f.action == Action.REDACT
                and f.end > f.start
                and not within_label(unit.text, f, label)
            ]
            redact += sweep(unit.text, findings, terms)
            if round_no == 0:
                unit.review.extend(f for f in findings if f.action == Action.REVIEW)
                unit.kept.extend(f for f in findings if f.action == Action.KEPT_BY_REVIEWER)
            if not redact:
                continue
            unit.removed.extend((f, f.start if round_no == 0 else None) for f in redact)
            spans = [(f.start, f.end) for f in redact]
            unit.text = apply(index, spans) if apply else apply_spans(unit.text, spans, label)
            changed.append(index)
        pending = changed
    return results


def unit_records(
    unit: UnitResult, file: str, *, page: int | None = None, base: int = 0
) -> tuple[list[RedactionRecord], list[RedactionRecord]]:
    """Schedule rows for one unit; ``base`` shifts offsets into the whole document."""
    removed = [
        record(f, file, page=page, offset=None if off is None else base + off)
        for f, off in unit.removed
    ]
    review = [record(f, file, page=page, offset=base + f.start) for f in unit.review]
    return removed, review


def kept_records(
    unit: UnitResult, file: str, *, page: int | None = None, base: int = 0
) -> list[RedactionRecord]:
    """Schedule rows (action "keep") for the suggestions a reviewer kept in one unit."""
    return [record(f, file, page=page, offset=base + f.start) for f in unit.kept]


def safe_filename(redacted: str, original: str) -> str:
    """A redacted file name without label brackets, keeping the original extension."""
    suffix = original[original.rfind(".") :] if "." in original else ""
    stem = redacted[: redacted.rfind(".")] if "." in redacted else redacted
    stem = stem.replace("[", "").replace("]", "").replace("/", "-").strip()
    return stem + suffix


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def text_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark names, or UTF-16 recognised by its zero bytes.

    Windows tools (Notepad, PowerShell, SIMS exports) write UTF-16, often without a BOM;
    in English text every other byte is then zero, on the odd or the even side. ``None``
    means no such sign: the caller tries UTF-8, then Windows-1252.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    sample = data[:4096]
    if len(sample) >= 4:
        half = len(sample) // 2
        even_zeros = sample[0::2].count(0)
        odd_zeros = sample[1::2].count(0)
        # Mostly-ASCII UTF-16: zeros fill one side and (almost) never the other.
        if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
            return "utf-16-le"
        if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
            return "utf-16-be"
    return None


def decode_text(data: bytes) -> str:
    """Decode a text file: by its BOM or as UTF-16 when it looks so, else UTF-8, else
    Windows-1252 as Word exports it. Undecodable bytes become U+FFFD, never an error."""
    codec = text_encoding(data)
    if codec is not None:
        bom = next((b for b, c in _BOMS if c == codec and data.startswith(b)), b"")
        return data[len(bom) :].decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
# Paragraphs longer than this (a CSV export has no blank lines) are cut at line breaks.
UNIT_CHARS = 4000


def split_units(text: str) -> list[tuple[str, str]]:
    """``text`` as ``(unit, separator)`` pairs, ``"".join(u + s)`` giving it back.

    Units are paragraphs, long ones cut at line breaks: each is analysed on its own, so
    a paragraph repeated in another file is a cache hit, a big file spreads over both
    cores, and after redaction only changed paragraphs need analysing again.
    """
    pairs: list[tuple[str, str]] = []
    pos = 0
    breaks = [*_PARAGRAPH_BREAK.finditer(text), None]
    for match in breaks:
        end = match.start() if match else len(text)
        pieces = _line_groups(text[pos:end])
        for k, piece in enumerate(pieces):
            last = k == len(pieces) - 1
            pairs.append((piece, (match.group() if match else "") if last else "\n"))
        pos = match.end() if match else len(text)
    return pairs


def _line_groups(paragraph: str) -> list[str]:
    if len(paragraph) <= UNIT_CHARS:
        return [paragraph]
    groups: list[list[str]] = [[]]
    size = 0
    for line in paragraph.split("\n"):
        if groups[-1] and size + len(line) > UNIT_CHARS:
            groups.append([])
            size = 0
        groups[-1].append(line)
        size += len(line) + 1
    return ["\n".join(g) for g in groups]


def redact_text(
    data: bytes, filename: str, detector: DetectorLike, label: str, *, rounds: int = MAX_ROUNDS
) -> Outcome:
    """Redact a text-like file (``.txt``, ``.md``, ``.csv``) and keep its format."""
    pairs = split_units(decode_text(data))
    results = redact_units([u for u, _ in pairs], detector, label, rounds=rounds)
    out = Outcome(
        b"",
        "text/markdown" if filename.lower().endswith(".md") else "text/plain",
        "",
    )
    base, parts = 0, []
    for (unit, sep), result in zip(pairs, results, strict=True):
        removed, review = unit_records(result, filename, base=base)
        out.records += removed
        out.review += review
        out.kept += kept_records(result, filename, base=base)
        parts.append(result.text + sep)
        base += len(unit) + len(sep)
    text = "".join(parts)
    out.content = text.encode("utf-8")
    out.pages = max(1, -(-len(text) // 3000))
    return out


_CSS = """
body { font-family: sans-serif; font-size: 10pt; line-height: 1.3; }
h1 { font-size: 14pt; margin-bottom: 6pt; }
h2 { font-size: 11pt; margin-top: 10pt; margin-bottom: 4pt; }
p.meta { font-size: 9pt; margin: 0; }
pre { font-family: sans-serif; white-space: pre-wrap; margin: 0 0 6pt 0; }
"""


def render_pdf(sections: Sequence[tuple[str, str]], title: str | None = None) -> bytes:
    """Lay out already redacted text as an A4 PDF (what the pack assembles).

    :param sections: ``(heading, text)`` pairs; an empty heading prints no heading.
    """
    import pymupdf

    parts = [f"<h1>{html.escape(title)}</h1>" if title else ""]
    for heading, text in sections:
        if heading:
            parts.append(f"<h2>{html.escape(heading)}</h2>")
        parts.append(f"<pre>{html.escape(text)}</pre>")
    story = pymupdf.Story(html="".join(parts), user_css=_CSS)
    buffer = io.BytesIO()
    writer = pymupdf.DocumentWriter(buffer)
    mediabox = pymupdf.paper_rect("a4")
    where = mediabox + (50, 50, -50, -50)
    more = True
    while more:
        device = writer.begin_page(mediabox)
        more, _ = story.place(where)
        story.draw(device)
        writer.end_page()
    writer.close()
    return buffer.getvalue()
