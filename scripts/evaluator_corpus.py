"""The second corpus: presidio-evaluator's templates filled with its fake identities.

``presidio-evaluator`` 0.3.2 ships ``raw_data/templates.txt`` (sentences with ``{{person}}``,
``{{address}}``... placeholders) and ``raw_data/FakeNameGenerator.com_3000.csv`` (3,000 fake
identities). Installing it would pull pandas, scikit-learn, plotly and transformers, so the
wheel is fetched with ``pip download --no-deps`` into ``.eval/`` and the two files are read
from it with :mod:`zipfile`; the sentences are filled here (deterministically, seeded), with a
span for every identifier. There is no roster: every person in it is a third party.
"""

from __future__ import annotations

import csv
import io
import random
import re
import subprocess
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from faker import Faker

PACKAGE = "presidio-evaluator==0.3.2"
RAW = "presidio_evaluator/data_generator/raw_data/"
SEED = 20261128

# Placeholders that identify a person; the rest (city, country, organisation, job, year...)
# are not personal data on their own and are left out of the score.
IDENTIFIERS = {
    "person": "PERSON", "name": "PERSON", "first_name": "PERSON", "last_name": "PERSON",
    "name_female": "PERSON", "name_male": "PERSON", "first_name_male": "PERSON",
    "first_name_female": "PERSON", "first_name_nonbinary": "PERSON",
    "last_name_male": "PERSON", "last_name_female": "PERSON",
    "address": "ADDRESS", "street_name": "ADDRESS", "building_number": "ADDRESS",
    "secondary_address": "ADDRESS", "postcode": "POSTCODE", "zipcode": "POSTCODE",
    "phone_number": "PHONE", "email": "EMAIL", "credit_card_number": "CREDIT_CARD",
    "iban": "IBAN", "ssn": "ID", "us_driver_license": "ID", "ip_address": "IP",
    "date_of_birth": "DATE_OF_BIRTH",
}  # fmt: skip


@dataclass(frozen=True)
class Sentence:
    text: str
    spans: tuple[tuple[int, int, str, str], ...]  # start, end, entity, placeholder


def fetch_wheel(work: Path) -> Path:
    """The presidio-evaluator wheel, downloaded once (no dependencies) into ``work``."""
    found = sorted(work.glob("presidio_evaluator-0.3.2-*.whl"))
    if not found:
        cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", PACKAGE, "-d", str(work)]
        subprocess.run(cmd, check=True)
        found = sorted(work.glob("presidio_evaluator-0.3.2-*.whl"))
    return found[0]


def load_raw(wheel: Path) -> tuple[list[str], list[dict[str, str]]]:
    with zipfile.ZipFile(wheel) as zf:
        templates = zf.read(RAW + "templates.txt").decode("utf-8", "replace").splitlines()
        people_csv = zf.read(RAW + "FakeNameGenerator.com_3000.csv").decode("utf-8-sig")
    people = list(csv.DictReader(io.StringIO(people_csv)))
    lines = [t.replace("\\n", "\n").strip() for t in templates if t.strip()]
    return lines, people


def _value(key: str, row: dict[str, str], fake: Faker) -> str:
    """One placeholder's value, from the identity row where it has one, else from Faker."""
    from_row: dict[str, Callable[[], str]] = {
        "person": lambda: f"{row['GivenName']} {row['Surname']}",
        "name": lambda: f"{row['GivenName']} {row['Surname']}",
        "first_name": lambda: row["GivenName"],
        "last_name": lambda: row["Surname"],
        "address": lambda: f"{row['StreetAddress']}, {row['City']} {row['ZipCode']}",
        "street_name": lambda: re.sub(r"^\d+\s*", "", row["StreetAddress"]) or row["City"],
        "postcode": lambda: row["ZipCode"],
        "zipcode": lambda: row["ZipCode"],
        "phone_number": lambda: row["TelephoneNumber"],
        "email": lambda: row["EmailAddress"],
        "date_of_birth": lambda: row["Birthday"],
        "city": lambda: row["City"],
        "country": lambda: row["CountryFull"],
        "job": lambda: row["Occupation"],
        "organization": lambda: row["Company"],
        "prefix_male": lambda: "Mr.",
        "prefix_female": lambda: "Ms.",
        "prefix": lambda: row["Title"],
    }
    if key in from_row and from_row[key]():
        return from_row[key]()
    if key == "ip_address":
        return fake.ipv4()
    if key == "age":
        return str(fake.random_int(18, 90))
    if key == "us_driver_license":
        return fake.bothify("?#######").upper()
    if key == "nation_woman":
        return fake.country() + " woman"
    if key == "nation_plural":
        return fake.country() + "s"
    if key == "nationality":
        return "French"
    method = getattr(fake, key, None)
    return str(method()) if callable(method) else key


def build(wheel: Path, repeats: int = 3) -> list[Sentence]:
    """Each template ``repeats`` times, each time with another identity."""
    templates, people = load_raw(wheel)
    rng = random.Random(SEED)
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    out = []
    for _ in range(repeats):
        for template in templates:
            row: dict[str, Any] = rng.choice(people)
            parts, spans, pos, last = [], [], 0, 0
            for m in re.finditer(r"\{\{(\w+)\}\}", template):
                literal = template[last : m.start()]
                parts.append(literal)
                pos += len(literal)
                value = _value(m.group(1), row, fake)
                if m.group(1) in IDENTIFIERS:
                    spans.append((pos, pos + len(value), IDENTIFIERS[m.group(1)], m.group(1)))
                parts.append(value)
                pos += len(value)
                last = m.end()
            parts.append(template[last:])
            out.append(Sentence("".join(parts), tuple(spans)))
    return out


def score(
    sentences: Sequence[Sentence], marks: Callable[[str], Any]
) -> tuple[int, int, Counter[str], list[str]]:
    """How many identifier spans are fully removed; misses by entity, with examples."""
    import corpus

    removed = total = 0
    missed: Counter[str] = Counter()
    examples: list[str] = []
    for sentence in sentences:
        mask = corpus._mask(len(sentence.text), marks(sentence.text)[0])
        for start, end, entity, key in sentence.spans:
            total += 1
            if corpus.fully_covered(sentence.text, mask, start, end):
                removed += 1
            else:
                missed[entity] += 1
                if len(examples) < 40:
                    examples.append(f"{entity}/{key}: {sentence.text[start:end]!r} in "
                                    f"{sentence.text[:120]!r}")  # fmt: skip
    return removed, total, missed, examples


def report(contenders: Sequence[Any], work: Path, target: float) -> None:
    sentences = build(fetch_wheel(work))
    n_ids = sum(len(s.spans) for s in sentences)
    print(f"\n== presidio-evaluator corpus: {len(sentences)} sentences, {n_ids} identifiers, "
          "no roster ==")  # fmt: skip
    for contender in contenders:
        started = time.perf_counter()
        removed, total, missed, examples = score(sentences, contender.evaluator_marks)
        share = removed / total if total else 1.0
        verdict = "PASS" if share >= target else "FAIL"
        print(f"{contender.name:>16s}: identifiers removed {share:.4f} ({removed}/{total}) "
              f"target >={target:.2f} {verdict}  [{time.perf_counter() - started:.1f}s]  "
              f"missed by entity: {dict(missed)}")  # fmt: skip
        path = work / f"misses-evaluator-{contender.name.replace(' ', '-').lower()}.txt"
        path.write_text("\n".join(examples) + "\n", encoding="utf-8")
