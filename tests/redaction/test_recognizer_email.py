"""Email recognizer: no network look-up of domain suffixes."""

from __future__ import annotations

import pytest

from pupil_privacy.redaction.recognizers.email import EmailAddressRecognizer


def found(text: str) -> list[str]:
    results = EmailAddressRecognizer().analyze(text, entities=["EMAIL_ADDRESS"])
    return [text[r.start : r.end] for r in results]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("write to sarah.smith@gmail.com today", ["sarah.smith@gmail.com"]),
        ("<n.byrneguo@oakfield.sch.uk>", ["n.byrneguo@oakfield.sch.uk"]),
        ("o'neill+school@example.co.uk.", ["o'neill+school@example.co.uk"]),
        ("A.B@C.IO", ["A.B@C.IO"]),
    ],
)
def test_emails_are_found(text: str, expected: list[str]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text", ["sarah..smith@gmail.com", "@gmail.com", "sarah@", "sarah at gmail dot com", "a@b"]
)
def test_non_emails_are_not_found(text: str) -> None:
    assert found(text) == []
