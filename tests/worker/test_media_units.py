"""Small pieces of the worker's photo and CCTV handling (issue 13, rule 10), without Redis:
the MIS photo handed to face recognition, a face's schedule text, and the workbench
refusing a "keep" that would restore nothing."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from pupil_privacy.redaction.report import RedactionRecord
from pupil_privacy.worker import media, review
from pupil_privacy.worker.models import RightsRequest
from pupil_privacy.worker.states import ActorRole, ReviewKind, Status


def test_photo_bytes_go_to_a_private_file_in_the_scratch_folder():
    with media.scratch() as folder:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        path = media.photo_path(b"\xff\xd8 a jpeg", folder)
        assert path is not None and Path(path).read_bytes() == b"\xff\xd8 a jpeg"
        assert stat.S_IMODE((folder / "mis-photo").stat().st_mode) == 0o600
    assert not folder.exists()  # gone when the job ends


def test_photo_paths_pass_through_and_no_photo_is_none(tmp_path):
    assert media.photo_path("/school/photos/p1.jpg", None) == "/school/photos/p1.jpg"
    assert media.photo_path(None, tmp_path) is None and media.photo_path(b"", tmp_path) is None
    assert media.photo_path(b"\xff\xd8", None) is None  # bytes with nowhere to put them


def _face(frames=None) -> RedactionRecord:
    return RedactionRecord(
        "cctv.mp4", None, None, "", "FACE", "rule-10-face", "centerface", 0.9, "redact",
        box=(10, 20, 60, 90), frames=frames,
    )  # fmt: skip


def test_a_face_row_says_where_it_was_and_nothing_of_it():
    assert media.describe_face(_face()) == "face at x 10-60, y 20-90"
    assert media.describe_face(_face((3, 41))) == "face at x 10-60, y 20-90, frames 3-41"
    assert media.is_face_place(media.describe_face(_face()))
    assert not media.is_face_place("Tom Baxter")


def test_clip_names_never_carry_the_mis_file_name():
    assert media.is_clip("jake_smith_fall.MOV") and not media.is_clip("photo.jpg")
    assert media.clip_name(12) == "clips/record-12.mp4"
    assert media.clip_key(3, 12) == "requests/3/documents/12.mp4.enc"


def test_a_face_row_gives_its_keep_box_grown_for_the_rerender():
    assert media.face_keep_rect(media.describe_face(_face((3, 41)))) == [
        2.5, 9.5, 67.5, 100.5,
    ]  # fmt: skip  # 15% of 50 x 70 on each side
    assert media.face_keep_rect("Tom Baxter") is None


def test_keeping_a_face_for_every_document_is_refused_plainly():
    """A face's place is in one picture: a request-wide keep of it would mean nothing."""
    req = RightsRequest(reference="SAR-1", status=Status.READY_FOR_REVIEW)
    dpo = review.Reviewer("u-dpo", "Dee Poe", ActorRole.DPO)
    with pytest.raises(review.ReviewError, match="kept in the one picture it is in"):
        review.decide(
            None,  # type: ignore[arg-type]  # refused before anything is stored
            req,
            kind=ReviewKind.KEEP,
            reviewer=dpo,
            reason_code="own-data",
            text=media.describe_face(_face()),
        )
