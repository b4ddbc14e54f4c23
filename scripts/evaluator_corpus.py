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
# are not personal data on their own and are left out of the score. Entities marked in
# NOT_SCHOOL (card numbers, IBANs, US ids, IP addresses) are printed but not in the target:
# they are not what a school's pupil records hold.
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


NOT_SCHOOL = frozenset({"CREDIT_CARD", "IBAN", "ID", "IP"})


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


def _value(key: str, row: dict[str, str], home: dict[str, str], fake: Faker) -> str:
    """One placeholder's value, from the identity rows where they have one, else from Faker.

    Names come from any row (names of every origin); contact details from a UK row
    (``home``), since the product redacts a school in England's records.
    """
    from_row: dict[str, Callable[[], str]] = {
        "person": lambda: f"{row['GivenName']} {row['Surname']}",
        "name": lambda: f"{row['GivenName']} {row['Surname']}",
        "first_name": lambda: row["GivenName"],
        "last_name": lambda: row["Surname"],
        "address": lambda: f"{home['StreetAddress']}, {home['City'].title()} {home['ZipCode']}",
        "street_name": lambda: re.sub(r"^\d+\s*", "", home["StreetAddress"]),
        "building_number": lambda: home["StreetAddress"].split()[0],
        "postcode": lambda: home["ZipCode"],
        "zipcode": lambda: home["ZipCode"],
        "phone_number": lambda: home["TelephoneNumber"],
        "city": lambda: home["City"].title(),
        "email": lambda: row["EmailAddress"],
        "date_of_birth": lambda: row["Birthday"],
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
    uk = [p for p in people if p["Country"] == "GB" and p["StreetAddress"][:1].isdigit()]
    rng = random.Random(SEED)
    fake = Faker("en_US")
    fake.seed_instance(SEED)
    out = []
    for _ in range(repeats):
        for template in templates:
            row, home = rng.choice(people), rng.choice(uk)
            parts, spans, pos, last = [], [], 0, 0
            for m in re.finditer(r"\{\{(\w+)\}\}", template):
                literal = template[last : m.start()]
                parts.append(literal)
                pos += len(literal)
                value = _value(m.group(1), row, home, fake)
                if m.group(1) in IDENTIFIERS:
                    spans.append((pos, pos + len(value), IDENTIFIERS[m.group(1)], m.group(1)))
                parts.append(value)
                pos += len(value)
                last = m.end()
            parts.append(template[last:])
            out.append(Sentence("".join(parts), tuple(spans)))
    return out


@dataclass
class EvalCount:
    removed: Counter[str]
    total: Counter[str]
    examples: list[str]

    def share(self, entities: frozenset[str], include: bool) -> tuple[int, int]:
        keys = [k for k in self.total if (k in entities) == include]
        return sum(self.removed[k] for k in keys), sum(self.total[k] for k in keys)


def score(sentences: Sequence[Sentence], marks: Callable[[str], Any]) -> EvalCount:
    """How many identifier spans are fully removed, per entity, with examples of misses."""
    import corpus

    count = EvalCount(Counter(), Counter(), [])
    for sentence in sentences:
        mask = corpus._mask(len(sentence.text), marks(sentence.text)[0])
        for start, end, entity, key in sentence.spans:
            count.total[entity] += 1
            if corpus.fully_covered(sentence.text, mask, start, end):
                count.removed[entity] += 1
            elif entity not in NOT_SCHOOL:
                count.examples.append(
                    f"{entity}/{key}: {sentence.text[start:end]!r} in {sentence.text[:160]!r}"
                )
    return count


def report(contenders: Sequence[Any], work: Path, target: float) -> None:
    sentences = build(fetch_wheel(work))
    n_ids = sum(len(s.spans) for s in sentences)
    print(f"\n== presidio-evaluator corpus: {len(sentences)} sentences, {n_ids} identifiers, "
          "no roster ==")  # fmt: skip
    for contender in contenders:
        started = time.perf_counter()
        count = score(sentences, contender.evaluator_marks)
        removed, total = count.share(NOT_SCHOOL, include=False)
        share = removed / total if total else 1.0
        verdict = "PASS" if share >= target else "FAIL"
        other_removed, other_total = count.share(NOT_SCHOOL, include=True)
        per_entity = ", ".join(
            f"{k} {count.removed[k]}/{v}" for k, v in sorted(count.total.items())
        )
        print(f"{contender.name:>16s}: names, addresses, postcodes, phones, emails, DOBs removed "
              f"{share:.4f} ({removed}/{total}) target >={target:.2f} {verdict}  "
              f"[{time.perf_counter() - started:.1f}s]")  # fmt: skip
        print(f"{'':18s}not in the target (cards, IBAN, IP, US ids): {other_removed}/{other_total}"
              f"; per entity: {per_entity}")  # fmt: skip
        path = work / f"misses-evaluator-{contender.name.replace(' ', '-').lower()}.txt"
        path.write_text("\n".join(count.examples) + "\n", encoding="utf-8")
