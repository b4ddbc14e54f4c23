"""``pupil-privacy pack``: build a requester's pack from files, offline (no MIS, no Redis).

    pupil-privacy pack --subject SUBJECT.json --roster ROSTER.json --out PACK.pdf \\
        [--export EXPORT.json] FILE...

Each FILE is redacted (as the workers do) and the requester's pack is assembled and
leak-checked. Exit codes, so other tools and scripts can act on them:

- 0: every file is in the pack.
- 1: the pack was written, but some files could not be processed (corrupt, encrypted,
  unsupported, too large...): the pack's contents list each one as "could not be
  processed: reason", and so does this command. A DPO must deal with them before release.
- 2: bad input (SUBJECT or ROSTER unreadable, no such file...).
- 3: a file failed the leak check (rule 18): nothing is written, not even a partial pack,
  and each file is named with what leaked (the kind of identifier, never the data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pupil_privacy.redaction.errors import DocumentError, InputError, LeakCheckFailed
from pupil_privacy.redaction.report import DetectorLike
from pupil_privacy.redaction.types import Subject

from .mis import RecordCategory
from .pack import export
from .pack.layout import PackDocument, PackInfo, build_pack
from .pack.leakcheck import TitleCleaner, check_pack
from .pack.letter import LetterFacts, cover_sections
from .redacting import plain_reason
from .redactor import PresidioRedactor, Redactor
from .runtime import DEFAULT_RETENTION

EXIT_OK, EXIT_SOME_FAILED, EXIT_INPUT, EXIT_LEAK = 0, 1, 2, 3
MAX_BYTES = 50 * 1024 * 1024


def add_pack_command(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "pack",
        help="redact files and assemble a subject access pack (offline)",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--subject", required=True, type=Path, help="SUBJECT.json: the pupil")
    parser.add_argument("--roster", required=True, type=Path, help="ROSTER.json: people known")
    parser.add_argument("--out", required=True, type=Path, help="where to write PACK.pdf")
    parser.add_argument("--export", type=Path, help="also write the records as JSON (Art 20)")
    parser.add_argument("--reference", help="the request's reference (default: OFFLINE-date)")
    parser.add_argument("--school", default="The school", help="school name for the letter")
    parser.add_argument("--dpo", default="The Data Protection Officer", help="DPO's name")
    parser.add_argument("--dpo-contact", default="", help="DPO's email or phone")
    parser.add_argument(
        "--category",
        default=RecordCategory.DOCUMENTS.value,
        choices=[c.value for c in RecordCategory],
        help="the category the files are listed under (default: documents_emails)",
    )
    parser.add_argument(
        "--policy", default="default", help="'default', 'strict' or a JSON file of Policy fields"
    )
    parser.add_argument("--model", help="spaCy model package (default: from nlp.yaml)")
    parser.add_argument("--max-mb", type=float, default=MAX_BYTES / 2**20, help="per-file limit")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.set_defaults(func=run_pack)


@dataclass
class _Outcome:
    path: Path
    doc: PackDocument
    leak: str | None = None
    warnings: Sequence[str] = ()


def _entry(
    title: str, category: str, ref: str, status: str, reason: str | None = None, **kw: Any
) -> PackDocument:
    return PackDocument(title=title, category=category, ref=ref, status=status, reason=reason, **kw)


def redact_files(
    files: Sequence[Path],
    detector: DetectorLike,
    redactor: Redactor,
    folder: Path,
    *,
    category: str,
    max_bytes: int,
) -> list[_Outcome]:
    """Redact each file into ``folder`` (one at a time); failures are kept with reasons."""
    outcomes: list[_Outcome] = []
    for index, path in enumerate(files, start=1):
        name = f"file-{index}{path.suffix.lower()}"
        entry = functools.partial(_entry, path.stem, category, str(index))
        try:
            if path.stat().st_size > max_bytes:
                raise DocumentError(
                    f"the file is {path.stat().st_size / 2**20:.1f} MB, "
                    f"over the {max_bytes / 2**20:.0f} MB limit"
                )
            result = redactor.redact(path.read_bytes(), name, detector, max_bytes=max_bytes)
        except FileNotFoundError:
            raise InputError(f"{path} does not exist") from None
        except LeakCheckFailed as exc:
            reason = plain_reason(exc.reason, name)
            outcomes.append(_Outcome(path, entry("failed", reason), leak=reason))
            continue
        except DocumentError as exc:
            outcomes.append(_Outcome(path, entry("failed", plain_reason(exc.reason, name))))
            continue
        target = folder / f"{index}.pdf"
        target.write_bytes(result.content)
        created = dt.date.fromtimestamp(path.stat().st_mtime)
        outcomes.append(
            _Outcome(
                path,
                entry("done", created=created, load=target.read_bytes, source=f"file {index}"),
                warnings=result.warnings,
            )
        )
    return outcomes


def run_pack(args: argparse.Namespace, redactor: Redactor | None = None) -> int:
    """Run the command; ``redactor`` replaces the real one in tests."""
    from pupil_privacy.redaction.cli import load_inputs

    subject, roster, policy = load_inputs(args)
    redactor = redactor or PresidioRedactor(policy)
    detector = redactor.detector(subject, roster, args.model)
    cleaner = TitleCleaner.for_detector(detector)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pp-pack-") as tmp:
        outcomes = redact_files(
            args.files,
            detector,
            redactor,
            Path(tmp),
            category=args.category,
            max_bytes=int(args.max_mb * 2**20),
        )
        titles = cleaner.clean([o.doc.title for o in outcomes])
        for outcome, title in zip(outcomes, titles, strict=True):
            outcome.doc = _retitle(outcome.doc, title)
        leaks = [o for o in outcomes if o.leak]
        if leaks:
            return _refuse(leaks)
        info = _info(args, subject, [o.doc for o in outcomes])
        partial = Path(tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")[1])
        try:
            built = build_pack(info, [o.doc for o in outcomes])
            partial.write_bytes(built.data)
            found = check_pack(built, cleaner.terms)
            if found:
                for ref, kinds in found.documents.items():
                    outcomes[int(ref) - 1].leak = "the assembled pack still shows a known " + (
                        "third party's " + ", ".join(sorted(set(kinds)))
                    )
                if found.front_matter:
                    print(
                        "pupil-privacy pack: the contents or cover letter still name a third "
                        "party: " + "; ".join(found.front_matter),
                        file=sys.stderr,
                    )
                leaking = [o for o in outcomes if o.leak]
                return _refuse(leaking) if leaking else EXIT_LEAK
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
        if args.export:
            _write_export(args.export, info, subject, outcomes, built.texts)
    failed = [o for o in outcomes if o.doc.status != "done"]
    print(
        f"pupil-privacy pack: wrote {out} ({built.pages} pages, "
        f"{len(outcomes) - len(failed)} of {len(outcomes)} file(s) included)"
    )
    for o in failed:
        print(f"  could not be processed: {o.path}: {o.doc.reason}", file=sys.stderr)
    for o in outcomes:  # e.g. which layout a Word document got (issue 12)
        for warning in o.warnings:
            print(f"  warning: {o.path}: {warning}", file=sys.stderr)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _retitle(doc: PackDocument, title: str) -> PackDocument:
    from dataclasses import replace

    return replace(doc, title=title or "Untitled document")


def _refuse(leaks: Sequence[_Outcome]) -> int:
    print(
        f"pupil-privacy pack: no pack written: {len(leaks)} file(s) failed the leak check "
        "(rule 18); fix or remove them and run again:",
        file=sys.stderr,
    )
    for o in leaks:
        print(f"  - {o.path}: {o.leak}", file=sys.stderr)
    return EXIT_LEAK


def _info(args: argparse.Namespace, subject: Subject, docs: Sequence[PackDocument]) -> PackInfo:
    today = dt.date.today()
    categories = sorted({d.category for d in docs})
    facts = LetterFacts(
        subject_name=subject.name,
        requester_name=subject.requester.name if subject.requester else None,
        received_on=None,
        categories_found=categories,
        sources=["files supplied to the pack command"],
        included=sum(d.status == "done" for d in docs),
        failed=sum(d.status == "failed" for d in docs),
        withheld=0,
        school_name=args.school,
        dpo_name=args.dpo,
        dpo_contact=args.dpo_contact,
        retention_schedule=DEFAULT_RETENTION,
        reference=args.reference,
    )
    return PackInfo(
        reference=args.reference or f"OFFLINE-{today:%Y%m%d}",
        school_name=args.school,
        subject_name=subject.name,
        release_date=today,
        cover_sections=cover_sections(facts),
        requester_name=facts.requester_name,
    )


def _write_export(
    path: Path,
    info: PackInfo,
    subject: Subject,
    outcomes: Sequence[_Outcome],
    texts: dict[str, str],
) -> None:
    records = export.export_records([(str(i + 1), o.doc) for i, o in enumerate(outcomes)], texts)
    own = {k: v for k, v in subject.to_dict().items() if k != "requester"}
    document = export.export_document(
        reference=info.reference, school_name=info.school_name, subject=own, records=records
    )
    partial = path.with_name(f".{path.name}.part")
    export.write_json(partial, document)
    os.replace(partial, path)
