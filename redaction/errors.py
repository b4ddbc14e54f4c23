"""The package's one exception tree; each error a user can cause has a clear message."""

from __future__ import annotations


class PupilPrivacyError(Exception):
    """Base class for every error pupil-privacy raises on purpose."""


class InputError(PupilPrivacyError):
    """Bad input from a user or a file (a malformed SUBJECT.json, an unreadable date...)."""


class DocumentError(PupilPrivacyError):
    """One document could not be processed; the reason is for the DPO, the rest of the pack goes on.

    :param reason: short, plain-English reason shown in the pack's index and the DPO console.
    """

    code = "document-error"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnsupportedDocument(DocumentError):
    code = "unsupported"


class CorruptDocument(DocumentError):
    code = "corrupt"


class EncryptedDocument(DocumentError):
    code = "encrypted"


class DocumentTooLarge(DocumentError):
    code = "too-large"


class LeakCheckFailed(DocumentError):
    """The redacted output still holds a third party's identifier: it must not be released."""

    code = "leak-check-failed"


class MediaError(CorruptDocument):
    """A photo or video that cannot be decoded, or whose video cannot be re-encoded."""

    code = "media-error"
