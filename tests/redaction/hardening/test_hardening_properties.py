"""Property-based fuzzing of our parsers with hypothesis (a few seconds inside ``make test``).

Properties, for any input hypothesis makes:

- ``redact_document`` raises nothing but a ``DocumentError`` (a clear per-file reason);
- an output it does return never holds the third party's name;
- text decoding never fails, and reads back what UTF-8, UTF-16 and UTF-32 wrote;
- email headers of any shape neither crash removal nor carry the third party through.

The default profile is derandomised (the same examples on every run, so CI is stable);
``HYPOTHESIS_PROFILE=long`` draws fresh random examples, many more of them (``make fuzz``).
"""

from __future__ import annotations

import os

import docfactory as make
import pytest
from hostile import readable
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pupil_privacy.redaction.document import redact_document
from pupil_privacy.redaction.errors import DocumentError
from pupil_privacy.redaction.formats.text import decode_text

settings.register_profile(
    "default",
    max_examples=15,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

SAMPLES = {
    "note.pdf": make.pdf_with_hidden_places(),
    "note.docx": make.docx_with_hidden_places(),
    "mail.eml": make.eml_with_attachments(),
}
THIRD, THIRD_EMAIL = make.THIRD, make.THIRD_EMAIL


def _redact_or_error(data: bytes, filename: str) -> str | None:
    """The output's readable text, or ``None`` for a clear per-file error."""
    try:
        doc = redact_document(data, filename, make.FakeDetector())
    except DocumentError as exc:
        assert exc.reason.strip()
        return None
    return readable(doc.content, doc.filename)


@pytest.mark.parametrize("filename", ["a.pdf", "a.docx", "a.eml", "a.txt", "a.png", "a.jpg"])
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes_give_an_error_or_a_clean_output(filename: str, data: bytes):
    text = _redact_or_error(data, filename)
    assert text is None or THIRD.lower() not in text.lower()


@given(prefix=st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"From: x@y.z\r\n\r\n"]),
       body=st.binary(max_size=1024))  # fmt: skip
def test_bytes_behind_a_valid_signature_give_an_error_or_a_clean_output(prefix, body):
    name = {b"%": "a.pdf", b"P": "a.docx", b"F": "a.eml"}[prefix[:1]]
    text = _redact_or_error(prefix + body, name)
    assert text is None or THIRD.lower() not in text.lower()


@pytest.mark.parametrize("filename", sorted(SAMPLES))
@given(flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                      min_size=1, max_size=12))  # fmt: skip
def test_mutated_samples_give_an_error_or_an_output_without_the_third_party(filename, flips):
    data = bytearray(SAMPLES[filename])
    for where, value in flips:
        data[int(where * len(data))] = value
    text = _redact_or_error(bytes(data), filename)
    assert text is None or THIRD.lower() not in text.lower()


@given(data=st.binary(max_size=4096))
def test_decoding_text_never_fails(data: bytes):
    assert isinstance(decode_text(data), str)


@given(
    text=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=300),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]),
)
def test_text_with_a_bom_or_in_utf8_reads_back(text: str, codec: str):
    assert decode_text(text.encode(codec)) == text


@given(text=st.text(st.characters(min_codepoint=32, max_codepoint=126), min_size=8))
def test_utf16_without_bom_is_recognised(text: str):
    for codec in ("utf-16-le", "utf-16-be"):
        assert decode_text(text.encode(codec)) == text


_HEADER = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
                  max_size=60)  # fmt: skip


@given(sender=_HEADER, to=_HEADER, subject=_HEADER)
def test_any_email_headers_give_an_error_or_a_clean_output(sender, to, subject):
    raw = (
        f"From: {sender} {THIRD} <{THIRD_EMAIL}>\r\nTo: {to}\r\nSubject: {subject}\r\n\r\n"
        f"{THIRD} wrote to Amelia Okafor.\r\n"
    ).encode("utf-8", "surrogateescape")
    text = _redact_or_error(raw, "mail.eml")
    if text is not None:
        assert THIRD not in text and THIRD_EMAIL not in text
        assert "Amelia Okafor" in text
