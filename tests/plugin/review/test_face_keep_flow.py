"""The DPO keeps the pupil's face on the workbench (issue 13, with issue 8's re-render).

Amy Okafor has no MIS photo, so the class photo's first build removes every face. The DPO
presses "Keep: the pupil's face" on the row of Amy's face; the re-render (the real RQ path,
a ``SimpleWorker`` burst) redacts the original again with a keep box there. Both directions:
her face in the pack equals the original's pixels, and the INDEPENDENT checker (dlib HOG +
OpenCV Haar, another family than the remover's CenterFace) finds none of the other six faces,
which it is first shown to see in the input (rules 10, 18; the schedule records who, rule 19).
"""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pymupdf
import pytest
from flask import Flask
from PIL import Image
from pp_review_school import SignIn, build, review_school, run_worker
from sqlalchemy import select
from sqlalchemy.orm import Session
from support import media
from support.host import stored_request
from support.web import post_form

from pupil_privacy.redaction import faces
from pupil_privacy.worker.media import face_keep_rect
from pupil_privacy.worker.mis import InMemoryMIS, MISRecord, RecordCategory
from pupil_privacy.worker.models import Redaction, RequestDocument, ReviewDecision
from pupil_privacy.worker.pack.storage import read_document
from pupil_privacy.worker.runtime import get_runtime
from pupil_privacy.worker.states import Status

TITLE = "Class photo"


@pytest.fixture
def mis() -> InMemoryMIS:
    """The review school, plus the class photo among Amy's records (no MIS photo of her)."""
    school = review_school()
    data = media.group_photo_jpeg()
    record = MISRecord(
        "amy-class",
        RecordCategory.PHOTOGRAPHS,
        TITLE,
        dt.date(2026, 10, 2),
        source="Photographs",
        filename="class-6.jpg",
        size=len(data),
    )
    school.add_record("p-amy", record, data)
    assert school.pupils["p-amy"].photo is None
    return school


def _photo(app: Flask, doc_id: int) -> np.ndarray:
    """The picture on the document's page of the pack, as pixels."""
    with app.app_context():
        pdf = read_document(get_runtime(), get_runtime().session.get(RequestDocument, doc_id))
    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        [(xref, *_)] = doc[0].get_images(full=True)
        picture = doc.extract_image(xref)["image"]
    with Image.open(io.BytesIO(picture)) as image:
        return np.asarray(image.convert("RGB"))


def _found(label, detections) -> bool:
    x0, y0, x1, y1 = label
    return any(
        x0 <= (f.box[0] + f.box[2]) / 2 <= x1 and y0 <= (f.box[1] + f.box[3]) / 2 <= y1
        for f in detections
    )


def test_the_dpo_keeps_the_pupils_face_and_every_other_face_stays_removed(
    app: Flask, sign_in: SignIn, db: Session
) -> None:
    scene = media.group_scene()
    pupil = scene.faces[scene.pupil]
    others = [b for i, b in enumerate(scene.faces) if i != scene.pupil]
    checker = faces.AnyOf(faces.DlibHog(1), faces.Haar())
    assert len([b for b in others if _found(b, checker.detect(scene.pixels))]) >= 4
    request_id = stored_request(app)
    build(app, request_id)
    dsl = sign_in("u-dsl")  # Amy's welfare note is the DSL's to release first (rule 14)
    welfare = db.scalars(select(RequestDocument).where(RequestDocument.title == "Welfare concern"))
    release = {"decision": "release", "reason": "Safe to release"}
    post_form(dsl, f"/privacy/dsl/documents/{welfare.one().id}", release, page="/privacy/dsl")
    run_worker(app)
    db.expire_all()
    doc = db.scalars(select(RequestDocument).where(RequestDocument.title == TITLE)).one()
    assert doc.request.status == Status.READY_FOR_REVIEW
    before = _photo(app, doc.id)
    assert not _found(pupil, checker.detect(before))  # no MIS photo: her face went too

    # The DPO finds the row of Amy's face (the one at her face's place) and keeps it.
    rows = db.scalars(select(Redaction).where(Redaction.document_id == doc.id)).all()
    face_rows = [r for r in rows if r.entity_type == "FACE"]
    mine = [r for r in face_rows if _found(pupil, [faces.Face(_box(r.text), 1.0)])]
    assert len(face_rows) >= 6 and len(mine) == 1
    page = f"/privacy/review/documents/{doc.id}"
    dpo = sign_in("u-dpo")
    assert "Keep: the pupil&#39;s face" in dpo.get(page).get_data(as_text=True)
    response = post_form(
        dpo, f"/privacy/review/requests/{request_id}/decisions",
        {"back": page, "kind": "keep", "scope": "document", "document_id": doc.id,
         "text": mine[0].text, "reason_code": "own-data", "page": "1"},
        page=page,
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    decision = db.scalars(select(ReviewDecision)).one()
    assert decision.rect and decision.page == 1 and decision.text == mine[0].text
    response = post_form(dpo, f"/privacy/review/requests/{request_id}/rerender", {}, page=page)
    assert response.status_code == 302
    run_worker(app)

    after = _photo(app, doc.id)
    x0, y0, x1, y1 = pupil
    diff = np.abs(after[y0:y1, x0:x1].astype(int) - scene.pixels[y0:y1, x0:x1].astype(int))
    assert diff.mean() < 6  # her face, as in the original (JPEG), not the grey fill
    assert _found(pupil, checker.detect(after))
    assert [b for b in others if _found(b, checker.detect(after))] == []
    db.expire_all()
    kept = [r for r in db.scalars(select(Redaction).where(Redaction.document_id == doc.id))
            if r.entity_type == "DECISION_KEEP-BOX"]  # fmt: skip
    assert [(r.confirmed_by, r.text) for r in kept] == [("Dana Price", "face kept by reviewer")]


def _box(text: str) -> tuple[int, int, int, int]:
    """The box of a face's row ("face at x 120-180, y 40-110"), as the keep stores it."""
    rect = face_keep_rect(text)
    assert rect is not None
    return (int(rect[0]), int(rect[1]), int(rect[2]), int(rect[3]))
