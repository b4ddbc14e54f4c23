"""A gazetteer of given names from many origins, for people the NER and the roster miss.

The list (``conf/given_names.yaml``) is built from the given-name lists of every locale the
Faker package ships (MIT licence): about 20,000 names in Latin script, from Icelandic to
Yoruba. Run ``python -m pupil_privacy.redaction.recognizers.names`` (with Faker installed)
to rebuild it. Names that are also ordinary English words (Will, Grace, Park) are dropped
at load time using the detector's word lists, so the gazetteer never decides those alone.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
import sys
import textwrap
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parent.parent / "conf" / "given_names.yaml"
_LATIN_NAME = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


@functools.cache
def given_names() -> frozenset[str]:
    """The gazetteer as written (case matters: names are capitalised).

    The file is YAML (one folded string) but read directly: PyYAML's pure-Python parser
    takes seconds over 20,000 words.
    """
    text = GAZETTEER.read_text(encoding="utf-8")
    body = text.split("names: >-", 1)[1]
    return frozenset(body.split())


def build() -> list[str]:
    """Every Latin-script given name in Faker's person providers, sorted."""
    import faker.providers.person as people

    found: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        provider = getattr(
            importlib.import_module(f"faker.providers.person.{module.name}"), "Provider", None
        )
        for attr in ("first_names", "first_names_male", "first_names_female"):
            value = getattr(provider, attr, None)
            if isinstance(value, dict | list | tuple | set | frozenset):
                found.update(str(v) for v in value)
    return sorted(
        n for n in found if _LATIN_NAME.fullmatch(n) and all(ord(c) < 0x370 for c in n)
        and len(n) >= 3 and n[0].isupper()
    )  # fmt: skip


def main() -> int:
    names = build()
    body = textwrap.fill(" ".join(names), width=98, initial_indent="  ", subsequent_indent="  ")
    GAZETTEER.write_text(
        "# Given names from Faker's person providers (all locales, Latin script; MIT licence).\n"
        "# Rebuild: python -m pupil_privacy.redaction.recognizers.names\n"
        f"names: >-\n{body}\n",
        encoding="utf-8",
    )
    print(f"{len(names)} names written to {GAZETTEER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
