"""Packs and redacted documents at rest: Fernet-encrypted files under ``settings.storage_dir``.

Every write goes to a temporary file in the same directory and is renamed over the target
(``os.replace`` is atomic on POSIX), so a worker killed mid-write leaves either the old file
or the new one, never half of one. Keys are deterministic (one per request and document or
pack kind), so running a job twice overwrites rather than duplicates.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken

from pupil_privacy.redaction.errors import PupilPrivacyError
from pupil_privacy.redaction.files import write_atomic

if TYPE_CHECKING:
    from ..models import Pack, RequestDocument
    from ..runtime import Runtime

_KEY_RE = re.compile(r"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-.]+)*$")


class StorageError(PupilPrivacyError):
    """A stored file is missing, purged or cannot be decrypted with the configured key."""


class PackPurged(StorageError):
    """The pack was deleted at the end of its retention period."""


class Storage:
    """Encrypted files under one directory.

    :param root: the directory (created when missing).
    :param key: a Fernet key (``Fernet.generate_key()``); the same key must be configured on
        every worker and on the web app.
    """

    def __init__(self, root: Path, key: bytes | str) -> None:
        self.root = Path(root)
        try:
            self._fernet = Fernet(key)
        except (ValueError, TypeError) as exc:
            raise StorageError(
                "PUPIL_PRIVACY_PACK_KEY is not a Fernet key; make one with "
                "`python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'`"
            ) from exc

    def path(self, key: str) -> Path:
        """Where ``key`` lives on disk; keys are relative paths without ``..``."""
        if not _KEY_RE.match(key) or ".." in key:
            raise StorageError(f"not a storage key: {key!r}")
        return self.root / key

    def write(self, key: str, data: bytes) -> int:
        """Encrypt and store ``data`` atomically; returns the encrypted size."""
        token = self._fernet.encrypt(data)
        write_atomic(self.path(key), token)
        return len(token)

    def write_file(self, key: str, source: Path) -> int:
        """Encrypt and store the contents of a local (temporary) file."""
        return self.write(key, Path(source).read_bytes())

    def read(self, key: str) -> bytes:
        """Decrypt and return the bytes stored under ``key``.

        :raises StorageError: when the file is missing or the key does not decrypt it.
        """
        path = self.path(key)
        try:
            token = path.read_bytes()
        except FileNotFoundError:
            raise StorageError(f"stored file {key!r} is missing") from None
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            raise StorageError(
                f"stored file {key!r} cannot be decrypted: PUPIL_PRIVACY_PACK_KEY has changed "
                "or the file is damaged"
            ) from None

    def delete(self, key: str) -> bool:
        """Remove a stored file; returns whether it existed."""
        path = self.path(key)
        existed = path.exists()
        path.unlink(missing_ok=True)
        return existed

    def exists(self, key: str) -> bool:
        return self.path(key).exists()


def storage_for(runtime: Runtime) -> Storage:
    return Storage(runtime.settings.storage_dir, runtime.settings.pack_key)


def document_key(request_id: int, document_id: int) -> str:
    return f"requests/{request_id}/documents/{document_id}.pdf.enc"


def pack_key(request_id: int, kind: str) -> str:
    suffix = {"export_json": "json", "export_csv": "csv"}.get(kind, "pdf")
    return f"requests/{request_id}/packs/{kind}.{suffix}.enc"


def read_pack(runtime: Runtime, pack: Pack) -> bytes:
    """The decrypted bytes of a built pack (the web app streams them to an audited download).

    :raises PackPurged: when the pack's retention period has passed and it was deleted.
    """
    if pack.storage_key is None:
        raise PackPurged(
            f"this pack was deleted on {pack.purged_at:%d %B %Y} at the end of its retention "
            "period; rebuild it from the request"
            if pack.purged_at
            else "this pack has been deleted; rebuild it from the request"
        )
    return storage_for(runtime).read(pack.storage_key)


def read_document(runtime: Runtime, document: RequestDocument) -> bytes:
    """The decrypted redacted PDF of one document (for the DSL's and DPO's review screens)."""
    if document.output_key is None:
        raise StorageError(f"document {document.title!r} has no redacted copy")
    return storage_for(runtime).read(document.output_key)
