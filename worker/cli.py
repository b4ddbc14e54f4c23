"""The ``pupil-privacy`` command: ``redact``, ``pack``, ``deadline`` and ``notice check`` work
on files and dates alone, with no MIS, Redis or database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pupil_privacy.redaction.errors import PupilPrivacyError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pupil-privacy",
        description="Answer data-protection rights requests for a school: redact third-party "
        "data from a pupil's documents and build the subject access pack.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    from pupil_privacy.redaction import cli as redaction_cli

    redaction_cli.add_redact_command(sub)
    from pupil_privacy.worker import deadlinecli, packcli
    from pupil_privacy.worker.notice import cli as notice_cli

    packcli.add_pack_command(sub)
    deadlinecli.add_deadline_command(sub)
    notice_cli.add_notice_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except PupilPrivacyError as exc:
        print(f"pupil-privacy: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
