"""Records withheld under rule 14 in the requester's contents, as the DPO chose (issue 12).

The school's setting ``withheld_listing`` decides. Empty (the default): a safeguarding record
the DSL withholds is not listed at all, and every letter, whether or not anything was left
out, says the law allows that: so the letter never promises "every record" while one is
missing, and never differs because one is (tipping-off). Set: each such record is listed
under "Records not included" in the DPO's words alone, never its title, date or category,
and the letter promises every record. Rule numbers stay in the DPO's copy.
"""

from __future__ import annotations

from typing import Any

import pymupdf
from pp_worker_app import new_request
from sqlalchemy import select
from support.worker_flow import pack_text, release_safeguarding, withhold_safeguarding

from pupil_privacy.worker import queueing
from pupil_privacy.worker.models import Pack, RightsRequest
from pupil_privacy.worker.pack.storage import read_pack
from pupil_privacy.worker.runtime import get_runtime

WORDING = "One record withheld under an exemption in the Data Protection Act 2018"
SILENT = "In rare cases the law allows information to be withheld without saying so"
EVERY = "The contents page lists every record we found"


def _pack(make_worker_app: Any, work: Any, *, withhold: bool, **settings: Any) -> int:
    """A request built with its safeguarding record withheld by the DSL (or released)."""
    app = make_worker_app(**settings)
    rid = new_request(app)
    queueing.enqueue_request(rid)
    work()
    if withhold:
        withhold_safeguarding(rid)
    else:
        release_safeguarding(rid)
    work()
    return rid


def _requester(rid: int) -> tuple[str, list[str]]:
    runtime = get_runtime()
    pack = runtime.session.scalars(
        select(Pack).where(Pack.request_id == rid, Pack.kind == "requester")
    ).one()
    with pymupdf.open(stream=read_pack(runtime, pack), filetype="pdf") as doc:
        text = " ".join("".join(page.get_text() for page in doc).split())
        return text, [entry[1] for entry in doc.get_toc()]


def test_listed_in_the_dpos_words_and_nothing_that_identifies_it(make_worker_app, work):
    rid = _pack(make_worker_app, work, withhold=True, withheld_listing=WORDING)
    text, toc = _requester(rid)
    assert f"Records not included {WORDING}" in text  # in the contents, under its heading
    assert "Welfare note" not in text and "Safeguarding" not in text
    assert "Safeguarding" not in toc and "Welfare note" not in " ".join(toc)
    assert "rule 14" not in text and "Sch 3 para 21" not in text  # the DSL's reason stays in
    assert EVERY in text and SILENT not in text  # the letter and the contents agree
    assert "1 withheld under an exemption" in text
    dpo = " ".join(pack_text("dpo", rid).split())
    assert f'their contents list it only as "{WORDING}"' in dpo
    req = get_runtime().session.get(RightsRequest, rid)
    export = next(p for p in req.packs if p.kind == "export_json")
    exported = read_pack(get_runtime(), export)
    assert WORDING.encode() in exported  # the export lists it too, in the same words
    assert b"r-safe" not in exported and b"Welfare" not in exported


def test_not_listed_and_the_letter_does_not_promise_every_record(make_worker_app, work):
    rid = _pack(make_worker_app, work, withhold=True)
    text, toc = _requester(rid)
    assert "Welfare note" not in text and "Records not included" not in text
    assert "Safeguarding" not in toc
    assert EVERY not in text and SILENT in text
    assert "withheld under an exemption" not in text.split(SILENT)[0]  # no count of it
    dpo = " ".join(pack_text("dpo", rid).split())
    assert "not listed there at all" in dpo


def test_the_silent_letter_is_the_same_whether_or_not_a_record_was_left_out(make_worker_app, work):
    withheld, _ = _requester(_pack(make_worker_app, work, withhold=True))
    released, _ = _requester(_pack(make_worker_app, work, withhold=False))
    assert "Welfare note" in released  # the DSL released it: listed and included
    for text in (withheld, released):
        assert SILENT in text and EVERY not in text


def test_a_rule_13_record_is_listed_with_its_reason_in_plain_words():
    from pupil_privacy.worker.models import RequestDocument
    from pupil_privacy.worker.pack.contents import withheld_under
    from pupil_privacy.worker.review_render import withheld_listing

    doc = RequestDocument(error=withheld_listing("rule-13-serious-harm"))
    assert withheld_under(doc) == "its disclosure would be likely to cause serious harm"
    assert withheld_under(RequestDocument(error=None)).startswith("an exemption in the Data")
