"""``pupil-privacy redact``: redact files with no MIS (a stable contract other tools call).

    pupil-privacy redact --subject SUBJECT.json --roster ROSTER.json --out OUTDIR
                         [--report REPORT.json] [--policy POLICY]
                         [--decisions DECISIONS.json] FILE...

One output per input in OUTDIR with the same stem (PDF stays PDF, text stays text,
EML stays EML, DOCX stays DOCX, images stay images, video becomes H.264 MP4 with
audio dropped unless ``--keep-audio``). Exit codes:

- 0: every file was redacted and passed the leak check;
- 1: some files failed (one ``FILE: reason`` line each on stderr), the rest are done;
- 2: unusable SUBJECT, ROSTER, POLICY, ``--out`` or ``--report`` (nothing was redacted);
- 3: the tool crashed on at least one file (a bug: a traceback is printed); the other
  files were still processed and REPORT.json lists the crash;
- 4: every file was written, but some still hold findings the leak check could not settle
  ("needs review": listed in REPORT.json with their places, one ``FILE: needs review: ...``
  line each on stderr); they are not to be released before a person has looked.

When several apply, the first of 3, 1, 4 wins. A failing or crashing file leaves no output
behind (a stale output of the same name from an earlier run is removed, so OUTDIR never
holds an unchecked copy), and REPORT.json is written whatever happens, also when the run is
interrupted.

``--decisions`` applies a reviewer's decisions (redaction/decisions.py) exactly as
:func:`.document.redact_document` does for the web workbench. REPORT.json lists, per
file, each decision applied (with its places) and each that matched nothing there, and
for the run each decision that matched nothing in any file; stderr gets one line for
each of those (they do not change the exit code).
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .decisions import Decisions
from .errors import DocumentError, InputError
from .formats.image import ocr_available
from .report import DecisionResult, build_report, dumps, file_entry
from .types import Person, Policy, Subject

if TYPE_CHECKING:
    from .document import RedactedDocument

EXIT_OK = 0
EXIT_FAILED_FILES = 1
EXIT_BAD_INPUT = 2  # also what worker/cli.py returns for any InputError
EXIT_CRASHED = 3
#: Every file written, some with unsettled findings: not to be released before review.
EXIT_NEEDS_REVIEW = 4


def add_redact_command(subparsers: Any) -> None:
    """Register ``redact`` on the ``pupil-privacy`` command (called by worker/cli.py)."""
    parser = subparsers.add_parser(
        "redact",
        help="remove third parties' data from documents",
        description="Remove other people's personal data from a pupil's documents "
        "(rules 10-12, 18) and leak-check every output.",
    )
    parser.add_argument("--subject", required=True, type=Path, help="SUBJECT.json: the pupil")
    parser.add_argument("--roster", required=True, type=Path, help="ROSTER.json: people known")
    parser.add_argument("--out", required=True, type=Path, help="folder for the outputs")
    parser.add_argument("--report", type=Path, help="write REPORT.json: every redaction")
    parser.add_argument(
        "--policy", default="default", help="'default', 'strict' or a JSON file of Policy fields"
    )
    parser.add_argument(
        "--decisions",
        type=Path,
        help="DECISIONS.json: a reviewer's keep, redact, boxes and withheld pages",
    )
    parser.add_argument(
        "--keep-audio",
        action="store_true",
        help="keep the sound of video clips (dropped by default: voices identify people)",
    )
    parser.add_argument(
        "--progress", action="store_true", help="print each clip's progress to stderr"
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.set_defaults(func=run)


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{what} {path} is not valid JSON: {exc.msg} (line {exc.lineno})") from exc


def load_policy(value: str) -> Policy:
    """``default``, ``strict``, or a JSON file of :class:`Policy` fields."""
    if value in ("default", "strict"):
        return Policy.named(value)
    data = _read_json(Path(value), "policy")
    if not isinstance(data, dict):
        raise InputError(f"policy {value} must be a JSON object of policy settings")
    known = {f.name for f in fields(Policy)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InputError(f"policy {value}: unknown setting(s) {', '.join(unknown)}")
    return Policy(**data)


def load_inputs(args: argparse.Namespace) -> tuple[Subject, list[Person], Policy]:
    subject_data = _read_json(args.subject, "subject")
    if not isinstance(subject_data, dict):
        raise InputError(f"subject {args.subject} must be a JSON object")
    roster_data = _read_json(args.roster, "roster")
    if isinstance(roster_data, dict) and "people" in roster_data:
        roster_data = roster_data["people"]
    if not isinstance(roster_data, list):
        raise InputError(f"roster {args.roster} must be a JSON list of people")
    subject = Subject.from_dict(subject_data)
    if subject.photo:
        # Relative to SUBJECT.json; checked now so a bad photo is one clear error (exit 2),
        # not the same failure repeated for every picture.
        from .faces import subject_face

        photo = (args.subject.parent / subject.photo).resolve()
        subject = replace(subject, photo=str(photo))
        subject_face(photo)
    return subject, [Person.from_dict(p) for p in roster_data], load_policy(args.policy)


def load_decisions(path: Path | None) -> Decisions:
    """DECISIONS.json, read strictly (a wrong entry is a usage error: nothing is run)."""
    if path is None:
        return Decisions()
    data = _read_json(path, "decisions")
    try:
        return Decisions.from_json(data, source=str(path))
    except InputError as exc:
        raise InputError(f"decisions {path}: {exc}") from exc


def check_out_dir(out: Path) -> None:
    """``--out`` must be a folder, or a path where one can be made.

    :raises InputError: naming what is there instead and what to do.
    """
    if out.exists() and not out.is_dir():
        raise InputError(
            f"--out {out} is an existing file, not a folder: give a folder for the outputs "
            "(it is created when missing), or move that file away first"
        )


def run(args: argparse.Namespace) -> int:
    """Redact every FILE; report per file; never leave a partial or failed output.

    :returns: one of the ``EXIT_*`` codes (see the module docstring).
    """
    import pymupdf

    from .detect import Detector

    subject, roster, policy = load_inputs(args)
    decisions = load_decisions(getattr(args, "decisions", None))
    check_out_dir(args.out)
    if args.report and args.report.is_dir():
        raise InputError(f"--report {args.report} is a folder; give a file name for the report")
    detector = Detector(subject, roster, policy)
    # MuPDF prints its own complaints about damaged files; each file's outcome is already
    # one clear line (and a repaired file a warning), so stderr stays readable.
    pymupdf.TOOLS.mupdf_display_errors(False)
    entries: list[dict[str, Any]] = []
    applied: set[int] = set()  # ids of decisions that took effect in some file
    try:
        _redact_all(args, detector, entries, decisions, applied)
    except Exception:
        # Outside any one file (the detector itself, say): still a bug, still reported.
        traceback.print_exc()
        print("pupil-privacy: the tool crashed (a bug); please report it", file=sys.stderr)
        entries.append(_crash_entry("(run)", "the tool crashed outside any one file"))
    finally:
        done = {e["file"] for e in entries}
        entries += [
            file_entry(str(p), output=None, status="skipped", reason="not processed: the run "
                       "stopped before this file", code="not-processed")
            for p in args.files
            if str(p) not in done
        ]  # fmt: skip
        unmatched = _unmatched(decisions, applied, {p.name for p in args.files})
        for result in unmatched:
            print(f"{args.decisions}: {_describe(decisions, result)}: {result.note}",
                  file=sys.stderr)  # fmt: skip
        if args.report:
            _write_report(args.report, entries, policy.name, unmatched)
    statuses = {e["status"] for e in entries}
    if "crashed" in statuses:
        return EXIT_CRASHED
    if statuses - {"ok", "needs-review"}:
        return EXIT_FAILED_FILES
    return EXIT_NEEDS_REVIEW if "needs-review" in statuses else EXIT_OK


def _redact_all(
    args: argparse.Namespace,
    detector: Any,
    entries: list[dict[str, Any]],
    decisions: Decisions,
    applied: set[int],
) -> None:
    """Redact each file, appending its REPORT.json entry; one file's failure stops nothing.

    ``applied`` receives the ids of the decisions that took effect in a file.
    """
    from .document import NeedsReview, redact_file

    seen: set[str] = set()
    for path in args.files:
        duplicate = path.name.lower() in seen
        seen.add(path.name.lower())
        try:
            if duplicate:
                raise DocumentError(
                    f"another input is also called {path.name}; outputs would clash"
                )
            doc = redact_file(
                path,
                args.out,
                detector,
                decisions=decisions,
                keep_audio=args.keep_audio,
                progress=_progress(path) if args.progress else None,
            )
        except NeedsReview as exc:
            print(f"{path}: needs review: {exc.reason}", file=sys.stderr)
            entries.append(_entry(path, args.out, exc.document, status="needs-review"))
            applied.update(id(r.decision) for r in exc.document.decisions_applied)
            continue
        except DocumentError as exc:
            if not duplicate:
                _remove_stale(args.out, path)
            print(f"{path}: {exc.reason}", file=sys.stderr)
            entries.append(
                file_entry(
                    str(path), output=None, status="failed", reason=exc.reason, code=exc.code
                )
            )
            continue
        except Exception as exc:
            # Not a DocumentError: a bug in our code or an error a parser raised that the
            # format module does not map yet. Shown in full (never hidden), counted as a
            # crash (exit 3), and the batch goes on: one bad file must not stop a pack.
            _remove_stale(args.out, path)
            print(f"{path}: the tool crashed on this file (a bug; please report it):",
                  file=sys.stderr)  # fmt: skip
            traceback.print_exc()
            entries.append(_crash_entry(str(path), f"{type(exc).__name__}"))
            continue
        entries.append(_entry(path, args.out, doc, status="ok"))
        applied.update(id(r.decision) for r in doc.decisions_applied)
        for warning in doc.warnings:
            print(f"{path}: warning: {warning}", file=sys.stderr)


def _crash_entry(source: str, what: str) -> dict[str, Any]:
    return file_entry(
        source,
        output=None,
        status="crashed",
        reason=f"the tool crashed on this file ({what}); it was not redacted",
        code="internal-error",
    )


def _write_report(
    target: Path,
    entries: list[dict[str, Any]],
    policy: str,
    unmatched: list[DecisionResult],
) -> None:
    from .files import write_atomic

    report = build_report(entries, policy=policy, ocr=ocr_available(), unmatched=unmatched)
    try:
        write_atomic(target, dumps(report).encode("utf-8"))
    except OSError as exc:
        raise InputError(f"cannot write the report {target}: {exc.strerror}") from exc


def _entry(path: Path, out: Path, doc: RedactedDocument, *, status: str) -> dict[str, Any]:
    return file_entry(
        str(path),
        output=str(out / doc.filename),
        status=status,
        warnings=doc.warnings,
        records=doc.records,
        review=doc.review,
        pages=doc.pages,
        unsettled=doc.unsettled,
        kept=doc.kept,
        decisions=doc.decisions_applied + doc.decisions_unmatched,
    )


def _unmatched(decisions: Decisions, applied: set[int], names: set[str]) -> list[DecisionResult]:
    """The decisions that took effect in no file, each with why."""
    out = []
    for decision in decisions.every():
        if id(decision) in applied:
            continue
        if decision.file is not None and decision.file not in names:
            note = f"no input file is called {decision.file}"
        else:
            note = "matched nothing in any file (see each file's decisions_unmatched)"
        out.append(DecisionResult(decision, (), note))
    return out


def _describe(decisions: Decisions, result: DecisionResult) -> str:
    """ "redact entry 2": where the decision is in DECISIONS.json (the text is not printed:
    it may be a third party's name, and stderr ends up in logs)."""
    kinds = {"keep": decisions.keep, "redact": decisions.redact}
    kinds |= {"boxes": decisions.boxes, "withhold_pages": decisions.withhold_pages}
    kinds |= {"keep_boxes": decisions.keep_boxes}
    for kind, items in kinds.items():
        for n, item in enumerate(items, start=1):
            if item is result.decision:
                return f"{kind} entry {n}"
    return result.kind.value


def _progress(path: Path) -> Any:
    """A per-clip progress printer: one line every 5% (or every 100 frames when unknown)."""

    def report(done: int, total: int) -> None:
        step = max(1, total // 20) if total else 100
        if done % step == 0 or done == total:
            share = f" of {total} ({100 * done // total}%)" if total else ""
            print(f"{path}: frame {done}{share}", file=sys.stderr)

    return report


def _remove_stale(out_dir: Path, source: Path) -> None:
    """Drop an earlier run's output for a file that now fails: it was never re-checked."""
    from .formats.kinds import KINDS

    if not out_dir.is_dir():
        return
    if source.suffix.lower() not in KINDS:
        return
    # The CLI keeps each file's type; PDF, DOCX and EML outputs get a lower-case suffix.
    suffix = (
        source.suffix.lower()
        if source.suffix.lower() in (".pdf", ".docx", ".eml")
        else source.suffix
    )
    if KINDS[source.suffix.lower()] == "video":
        suffix = ".mp4"  # every clip comes out as MP4
    stale = out_dir / (source.stem + suffix)
    if stale.is_file() and stale.resolve() != source.resolve():
        stale.unlink()
