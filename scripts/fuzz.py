"""Byte-flip mutation fuzzing of the document parsers (issue 11): ``make fuzz``.

Sample PDF, DOCX and EML files come from the tests' builders (tests/redaction/docfactory.py),
each with a third party in every hidden place. Each round mutates one sample (random
bytes flipped, a run of bytes cut, copied or zeroed, a tail cut off; for DOCX also the XML
inside one zip part, re-zipped, so the XML parser is reached and not only the CRC check;
for EML whole lines) and runs it through ``redact_document`` with the tests' fixed-string
detector (fast: the target is the parsers, not the NLP). Three outcomes are findings:

- crash: anything but a ``DocumentError`` escaped (a bug, or a parser error not mapped);
- leak: an output was released that still holds the third party's name;
- slow: one input took longer than ``--slow`` seconds.

Each finding is saved once per (kind, exception, place) under ``--out`` with its
traceback; replay one with ``--replay FILE``. Crashes found so far are kept as regression
inputs in tests/redaction/hardening/corpus/.

    .venv/bin/python scripts/fuzz.py [--seconds 60] [--seed N] [--out fuzz-findings]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import sys
import time
import traceback
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "redaction"), str(ROOT / "tests" / "redaction" / "hardening")]
import docfactory  # noqa: E402  (the tests' document builders)
import hostile  # noqa: E402
import pymupdf  # noqa: E402

from pupil_privacy.redaction.document import redact_document  # noqa: E402
from pupil_privacy.redaction.errors import DocumentError  # noqa: E402

THIRD = docfactory.THIRD
Mutator = Callable[[random.Random, bytes], bytes]


def samples() -> dict[str, bytes]:
    """One valid file of each parsed kind, the third party in every place it can hide."""
    return {
        "sample.pdf": docfactory.pdf_with_hidden_places(),
        "sample.docx": docfactory.docx_with_hidden_places(),
        "sample.eml": docfactory.eml_with_attachments(),
    }


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def splice(rng: random.Random, data: bytes) -> bytes:
    """Cut, copy or zero a run of bytes, or cut the tail off (a truncated download)."""
    start = rng.randrange(len(data))
    length = rng.randint(1, 512)
    choice = rng.randrange(4)
    if choice == 0:
        return data[:start] + data[start + length :]
    if choice == 1:
        return data[:start] + data[start : start + length] * rng.randint(2, 8) + data[start:]
    if choice == 2:
        return data[:start] + bytes(length) + data[start + length :]
    return data[:start]


_TOKENS = [
    *(b"<>", b"=?utf-8?b?", b"\x00", b"\xff\xfe", b"obj", b"endobj", b"<w:p>", b"]]>"),
    *(b"&#0;", b"--", b"boundary", b"\r\n\r\n", b"9999999999", b"-1", b"R", b"/Kids"),
]


def insert_token(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data))
    return data[:at] + rng.choice(_TOKENS) + data[at:]


def docx_part(rng: random.Random, data: bytes) -> bytes:
    """Mutate the XML of one part and re-zip, so the damage reaches the XML parser."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    name = rng.choice(sorted(parts))
    body = parts[name] or b" "
    parts[name] = rng.choice([flip_bytes, splice, insert_token])(rng, body)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for part, content in parts.items():
            out.writestr(part, content)
    return buffer.getvalue()


def eml_lines(rng: random.Random, data: bytes) -> bytes:
    """Drop, repeat or swap whole lines (headers and MIME boundaries included)."""
    lines = data.split(b"\n")
    at = rng.randrange(len(lines))
    choice = rng.randrange(3)
    if choice == 0:
        del lines[at]
    elif choice == 1:
        lines.insert(at, lines[rng.randrange(len(lines))])
    else:
        other = rng.randrange(len(lines))
        lines[at], lines[other] = lines[other], lines[at]
    return b"\n".join(lines)


MUTATORS: dict[str, list[Mutator]] = {
    ".pdf": [flip_bytes, flip_bytes, splice, insert_token],
    ".docx": [flip_bytes, splice, docx_part, docx_part, docx_part],
    ".eml": [flip_bytes, splice, insert_token, eml_lines, eml_lines],
}


FINDINGS = ("crash", "leak", "slow")


def run_one(data: bytes, filename: str) -> tuple[str, str]:
    """Redact one input: ``("output"|"error", ...)`` ended well, a kind of FINDINGS did not."""
    try:
        doc = redact_document(data, filename, docfactory.FakeDetector())
    except DocumentError as exc:
        return "error", exc.reason
    except Exception:  # the fuzzer's job: report whatever escaped, do not stop
        return "crash", traceback.format_exc()
    # The stand-in detector knows the full name only (as a mutated "Jake Whitfiqld" is
    # no longer it), so the full name is what must never be released.
    if THIRD.lower() in hostile.readable(doc.content, doc.filename).lower():
        return "leak", f"{THIRD} is still in the output {doc.filename}"
    return "output", f"{doc.filename}: {len(doc.records)} removals, warnings {doc.warnings}"


def signature(kind: str, details: str) -> str:
    """Kind, exception type and the innermost frame of our package: one file per bug."""
    lines = [line.strip() for line in details.splitlines()]
    ours = [line for line in lines if "pupil_privacy" in line and line.startswith("File")]
    where = ours[-1].split(",")[1:3] if ours else [""]
    last = lines[-1].split(":")[0] if lines else ""
    return hashlib.sha1(f"{kind}{last}{where}".encode()).hexdigest()[:10]


def fuzz(seconds: float, seed: int, out: Path, slow: float) -> int:
    rng = random.Random(seed)
    corpus = samples()
    counts = {"runs": 0, "output": 0, "error": 0, "crash": 0, "leak": 0, "slow": 0}
    seen: set[str] = set()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        name = rng.choice(sorted(corpus))
        mutate = rng.choice(MUTATORS[Path(name).suffix])
        data = mutate(rng, corpus[name])
        started = time.monotonic()
        kind, details = run_one(data, name)
        took = time.monotonic() - started
        counts["runs"] += 1
        if kind not in FINDINGS and took > slow:
            kind, details = "slow", f"{took:.1f} s"
        counts[kind] += 1
        if kind not in FINDINGS:
            continue
        # A leak or a slow input has no traceback to tell one bug from another: each is
        # kept (they are rare), named by its content.
        key = signature(kind, details) if kind == "crash" else hashlib.sha1(data).hexdigest()[:10]
        if key in seen:
            continue
        seen.add(key)
        out.mkdir(parents=True, exist_ok=True)
        stem = out / f"{kind}-{key}{Path(name).suffix}"
        stem.write_bytes(data)
        stem.with_suffix(stem.suffix + ".txt").write_text(f"{mutate.__name__}\n{details}")
        print(f"new {kind} ({mutate.__name__} of {name}): {stem}", flush=True)
        print("  " + details.strip().splitlines()[-1], flush=True)
    load = os.getloadavg()
    print(
        f"{counts['runs']} inputs in {seconds:.0f} s (load {load[0]:.2f}): "
        f"{counts['output']} clean outputs, {counts['error']} clean errors, "
        f"{counts['crash']} crashes, {counts['leak']} leaks, "
        f"{counts['slow']} slow; {len(seen)} distinct findings"
    )
    return 1 if seen else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=float(os.environ.get("FUZZ_SECONDS", "60"))
    )
    parser.add_argument("--seed", type=int, default=int(time.time()))
    parser.add_argument("--out", type=Path, default=Path("fuzz-findings"))
    parser.add_argument("--slow", type=float, default=30.0, help="seconds that count as slow")
    parser.add_argument("--replay", type=Path, help="run one saved input and show the outcome")
    args = parser.parse_args()
    if args.replay:
        name = "replay" + args.replay.suffix
        kind, details = run_one(args.replay.read_bytes(), name)
        print(f"{kind}: {details}")
        return 1 if kind in FINDINGS else 0
    pymupdf.TOOLS.mupdf_display_errors(False)  # damaged inputs make MuPDF talk a lot
    print(f"seed {args.seed}", flush=True)
    return fuzz(args.seconds, args.seed, args.out, args.slow)


if __name__ == "__main__":
    sys.exit(main())
