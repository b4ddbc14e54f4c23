"""Resource limits for untrusted documents: pages, attachments, pixels, time.

A document is hostile until read: a small file can claim a million pages, expand to
gigabytes, nest attachments without end or make a parser spin. Each limit here turns
that into a plain per-file error (a :class:`~.errors.DocumentError`) instead of a
machine that runs out of memory or a batch that never ends. Limits of bytes and zip
parts live with their format (``document.MAX_BYTES``, ``formats.docx.MAX_UNZIPPED``);
these are the ones several formats share.

The time budget is cooperative: the formats call :func:`check_time` between pages,
rounds and attachments, so a document stops at the next such point after its budget
(tesseract has its own timeout, ``formats.image.OCR_TIMEOUT``, for one long call).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from .errors import DocumentError, DocumentTooLarge

# More pages than any school record; a bigger file is split by whoever sends it.
MAX_PAGES = 2000
# Attachments and embedded files of one document, counted over every nesting level:
# with a per-level limit, five levels of 100 would still be 10^10 files.
MAX_ATTACHMENTS = 100
# Pixels rendered for OCR of one scanned PDF page: an A4 page at 200 dpi is 3.9 Mpx.
# Bigger pages are rendered at a lower dpi, so memory stays flat whatever the page size.
OCR_MAX_PIXELS = 16_000_000
# Seconds for one top-level document, attachments and embedded files included.
TIME_BUDGET = 900.0


class DocumentTimeout(DocumentError):
    """A document took longer than its time budget; it is not released half-checked."""

    code = "timeout"


@dataclass
class _Budget:
    filename: str
    seconds: float
    deadline: float
    attachments: int = 0


_budget: ContextVar[_Budget | None] = ContextVar("pupil_privacy_budget", default=None)


@contextmanager
def budget(filename: str, seconds: float | None = None) -> Iterator[None]:
    """Give ``filename`` ``seconds`` (default :data:`TIME_BUDGET`) to finish; nested
    documents (attachments, embedded files) share the outer document's budget."""
    if _budget.get() is not None:
        yield
        return
    seconds = TIME_BUDGET if seconds is None else seconds
    token = _budget.set(_Budget(filename, seconds, time.monotonic() + seconds))
    try:
        yield
    finally:
        _budget.reset(token)


def check_time() -> None:
    """Stop the current document when it is over its time budget.

    :raises DocumentTimeout: naming the top-level file and the budget.
    """
    current = _budget.get()
    if current is not None and time.monotonic() > current.deadline:
        raise DocumentTimeout(
            f"{current.filename} took longer than the {current.seconds:.0f} s limit for one "
            "document; split it into smaller files"
        )


def count_attachments(count: int) -> None:
    """Count ``count`` more attachments or embedded files towards the document's limit.

    :raises DocumentTooLarge: past :data:`MAX_ATTACHMENTS` over all nesting levels.
    """
    current = _budget.get()
    if current is None:
        if count > MAX_ATTACHMENTS:
            raise DocumentTooLarge(f"{count} attachments, over the limit of {MAX_ATTACHMENTS}")
        return
    current.attachments += count
    if current.attachments > MAX_ATTACHMENTS:
        raise DocumentTooLarge(
            f"{current.filename} holds more than {MAX_ATTACHMENTS} attachments or embedded "
            "files (counting those inside attachments)"
        )


def remaining() -> float | None:
    """Seconds left in the current budget (``None`` outside one), for external timeouts."""
    current = _budget.get()
    return None if current is None else max(0.0, current.deadline - time.monotonic())
