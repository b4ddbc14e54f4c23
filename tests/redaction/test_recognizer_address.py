"""Street address recognizer: number, capitalised street name, suffix, then town/postcode."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.recognizers.address import UkAddressRecognizer


def found(text: str) -> list[str]:
    results = UkAddressRecognizer().analyze(text, entities=["STREET_ADDRESS"])
    spans = sorted((r.start, r.end) for r in results)
    # Longest match per start: the recognizer also reports the bare street inside it.
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return [text[s:e] for s, e in out]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("lives at 12 Acacia Avenue now", ["12 Acacia Avenue"]),
        ("12 Acacia Avenue, Cambridge, CB1 2AB", ["12 Acacia Avenue, Cambridge, CB1 2AB"]),
        (
            "Flat 3, 45 St John's Road\nBristol BS1 4ST",
            ["Flat 3, 45 St John's Road\nBristol BS1 4ST"],
        ),
        ("He lives at 99 Station Road, Otley.", ["99 Station Road, Otley"]),
        ("8 Wressle Road Suite 414", ["8 Wressle Road Suite 414"]),
        ("she moved to Mill Lane last year", ["Mill Lane"]),
        ("Suite 280", ["Suite 280"]),
    ],
)
def test_addresses_are_found(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "scored 3 in the park",
        "12 apples on the road",
        "Year 6 went to the park",
        "she was 9 years old",
        "the trip to Victoria Park on Tuesday",  # a park, not a street
        "walked up Castle Hill",
    ],
)
def test_prose_is_not_an_address(text: str) -> None:
    assert found(text) == []
