"""The seeded school: deterministic, and holding every case issue 2 asks the demo for."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from support.demo_host import SEED_DAY

from pupil_privacy.demo.identifiers import CHECK_LETTERS, is_valid_upn, upn_check_letter
from pupil_privacy.demo.school import School
from pupil_privacy.demo.seed import DEFAULT_SEED, build_people, build_school
from pupil_privacy.redaction.recognizers.upn import is_valid_upn as recognizer_is_valid_upn
from pupil_privacy.worker.mis import MISAdapter, RecordCategory


def _fingerprint(school: School) -> list[tuple[str, ...]]:
    people = [(p.name, p.upn, p.address) for p in school.pupils]
    people += [(g.name, g.phone, g.email) for g in school.guardians]
    people += [(s.name, s.job) for s in school.staff]
    people += [(r.id, r.title, r.text or r.filename or "") for r in school.records]
    return people


def test_same_seed_gives_the_same_school(demo_school: School) -> None:
    again = build_school(seed=DEFAULT_SEED, today=SEED_DAY)
    assert _fingerprint(again) == _fingerprint(demo_school)
    assert again.facts == demo_school.facts


def test_another_seed_gives_other_names() -> None:
    one = {p.name for p in build_people(seed=1, today=SEED_DAY).pupils}
    two = {p.name for p in build_people(seed=2, today=SEED_DAY).pupils}
    assert one != two


def test_names_come_from_many_origins(demo_school: School) -> None:
    surnames = {
        p.last_name for p in [*demo_school.pupils, *demo_school.guardians, *demo_school.staff]
    }
    from pupil_privacy.demo.names import POOLS

    origins = {o for o, pool in POOLS.items() if surnames & set(pool.surnames)}
    assert len(origins) >= 8, origins


@pytest.mark.parametrize(
    ("body", "letter"),
    [
        ("000000000001", "P"),  # 1 x weight 13 = 13 -> P (I and O are skipped)
        ("100000000000", "C"),  # 1 x weight 2 = 2 -> C
        ("999999999999", "F"),  # 9 x (2 + ... + 13) = 810; 810 mod 23 = 5 -> F
    ],
)
def test_upn_check_letter_by_hand(body: str, letter: str) -> None:
    assert upn_check_letter(body) == letter
    assert is_valid_upn(letter + body)


@pytest.mark.parametrize(
    "upn",
    ["Q000000000001", "P00000000001", "P0000000000012", "P00000000000A", ""],
)
def test_upn_rejects_bad_values(upn: str) -> None:
    assert not is_valid_upn(upn)


def test_check_letters_leave_out_i_o_s() -> None:
    assert len(CHECK_LETTERS) == 23 and not set("IOS") & set(CHECK_LETTERS)


def test_every_upn_is_valid_for_us_and_for_the_recognizer(demo_school: School) -> None:
    upns = [p.upn for p in demo_school.pupils]
    assert len(set(upns)) == len(upns)
    for upn in upns:
        assert len(upn) == 13 and is_valid_upn(upn) and recognizer_is_valid_upn(upn), upn


def test_three_or_more_families_and_a_separated_one_with_a_no_contact_order(
    demo_school: School,
) -> None:
    assert len(demo_school.families) >= 3
    facts = demo_school.facts
    assert facts is not None
    separated = next(f for f in demo_school.families if f.id == facts.separated_family_id)
    absent = demo_school.guardian(facts.no_contact_parent_id)
    resident = demo_school.guardian(facts.resident_parent_id)
    assert absent.address != separated.address == resident.address
    assert absent.address == facts.no_contact_new_address
    links = demo_school.links_for_guardian(absent.id)
    assert links and all(k.no_contact and k.court_order for k in links)
    assert {k.pupil_id for k in links} == set(separated.pupil_ids)


def test_parental_responsibility_links(demo_school: School) -> None:
    for pupil in demo_school.pupils:
        links = demo_school.links_for_pupil(pupil.id)
        assert any(k.parental_responsibility and not k.no_contact for k in links), pupil.name
    step = [k for k in demo_school.links if k.relationship == "step-father"]
    assert step and not any(k.parental_responsibility for k in step)


def test_ages_span_8_to_17_on_both_sides_of_12(demo_school: School) -> None:
    ages = {p.age_on(SEED_DAY) for p in demo_school.pupils}
    assert min(ages) == 8 and max(ages) == 17
    assert any(a < 12 for a in ages) and any(a >= 12 for a in ages)


def test_ages_are_counted_from_today() -> None:
    school = build_people()
    today = dt.date.today()
    assert sorted(p.age_on(today) for p in school.pupils) == [8, 9, 10, 11, 12, 13, 14, 15, 16, 17]


def test_staff_roles_the_brief_names(demo_school: School) -> None:
    jobs = " / ".join(s.job for s in demo_school.staff)
    for job in ("Head teacher", "safeguarding lead", "Data protection officer", "SENCO",
                "School nurse", "Office manager", "Class teacher", "Form tutor"):  # fmt: skip
        assert job in jobs


def test_every_pupil_has_every_category(demo_school: School) -> None:
    for pupil in demo_school.pupils:
        categories = {r.category for r in demo_school.records_for(pupil.id)}
        assert categories == set(RecordCategory), (pupil.name, set(RecordCategory) - categories)


def test_file_kinds_are_all_there(demo_school: School) -> None:
    kinds = Counter(r.filename.rsplit(".", 1)[1] for r in demo_school.records if r.filename)
    assert {"pdf", "docx", "eml", "jpg", "png"} <= set(kinds)
    assert all(r.content for r in demo_school.records if r.filename)
    assert all(r.text for r in demo_school.records if not r.filename)


def test_text_records_mention_other_pupils_parents_and_staff(demo_school: School) -> None:
    for pupil in demo_school.pupils:
        text = "\n".join(r.text or "" for r in demo_school.records_for(pupil.id))
        others = [p for p in demo_school.pupils if p.family_id != pupil.family_id]
        assert any(p.name in text or p.called in text for p in others), pupil.name
        other_parents = [g for g in demo_school.guardians if g.family_id != pupil.family_id]
        assert any(g.name.lower() in text.lower() or g.formal in text for g in other_parents)
        assert any(s.formal in text for s in demo_school.staff)


def test_typed_notes_are_lower_case(demo_school: School) -> None:
    pupil = demo_school.pupils[0]
    notes = next(r for r in demo_school.records_for(pupil.id) if r.title == "Attendance notes")
    assert notes.text is not None and pupil.called.lower() in notes.text
    assert pupil.called not in notes.text


def test_the_new_address_of_the_absent_parent_is_in_a_record(demo_school: School) -> None:
    facts = demo_school.facts
    assert facts is not None
    separated = next(f for f in demo_school.families if f.id == facts.separated_family_id)
    texts = [r.text or "" for p in separated.pupil_ids for r in demo_school.records_for(p)]
    assert any(facts.no_contact_new_address in t for t in texts)


def test_identifying_context_and_unknown_people(demo_school: School) -> None:
    facts = demo_school.facts
    assert facts is not None and "who drives the blue taxi" in facts.identifying_context
    records = demo_school.records_for(facts.identifying_context_pupil_id)
    assert any(facts.identifying_context in (r.text or "") for r in records)
    roster_words = {w for person in demo_school.roster() for w in person.name.split()}
    assert len(facts.unknown_people) >= 3
    for stranger in facts.unknown_people:
        assert not set(stranger.name.split()) & roster_words, stranger
        assert demo_school.records_for(stranger.pupil_id)


def test_to_mis_is_a_complete_adapter(demo_school: School) -> None:
    mis = demo_school.to_mis()
    assert isinstance(mis, MISAdapter)
    pupil = demo_school.pupils[0]
    records = list(mis.records(pupil.id))
    assert len(records) == len(demo_school.records_for(pupil.id))
    report = next(r for r in records if r.filename and r.filename.endswith(".pdf"))
    assert mis.record_content(pupil.id, report.id)[:5] == b"%PDF-"
    parent = demo_school.account("parent")
    assert {k.pupil_id for k in mis.pupils_for(parent.user_id)} == {
        p.id for p in demo_school.pupils if p.family_id == "f1"
    }
    me = demo_school.account("pupil")
    assert [k.relationship for k in mis.pupils_for(me.user_id)] == ["self"]
    assert len(mis.roster(pupil.id)) == (
        len(demo_school.pupils) + len(demo_school.guardians) + len(demo_school.staff)
        + len(demo_school.professionals)
    )  # fmt: skip


def test_a_name_is_split_over_a_line_break(demo_school: School) -> None:
    facts = demo_school.facts
    assert facts is not None
    first, last = facts.split_name.split(" ", 1)
    texts = [r.text or "" for r in demo_school.records_for(facts.split_name_pupil_id)]
    assert any(f"{first}\n{last}" in t for t in texts)
    assert facts.split_name in {p.name for p in demo_school.pupils}
