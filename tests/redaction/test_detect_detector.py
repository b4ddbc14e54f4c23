"""The Detector end to end (spaCy loaded once per session by conftest's ``analyzer``).

Both directions are tested: a third party's data must be found and removed (rule 10-12),
and the pupil's own data must survive (Art 15).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable

import pytest
import yaml

from pupil_privacy.redaction import engine, nerhelper
from pupil_privacy.redaction.detect import Detector, warm_up
from pupil_privacy.redaction.types import Action, Finding, Person, Reason, Subject

MakeDetector = Callable[..., Detector]


def by_text(findings: list[Finding]) -> dict[str, Finding]:
    return {f.text: f for f in findings}


def removed(findings: list[Finding]) -> set[str]:
    return {f.text for f in findings if f.action is Action.REDACT}


def test_the_pupils_own_data_survives(detector: Detector) -> None:
    text = (
        "Pupil: Jake Smith  DOB: 09/03/2014  UPN: A801200100001\n"
        "Address: 12 Acacia Avenue, Cambridge, CB1 2AB\n"
        "Jakey settled well. Jake's reading has improved and Jake Smith now reads daily.\n"
        "Mum (Sarah Smith, sarah.smith@gmail.com, 07700 900111) came to the review."
    )
    findings = detector.analyse(text)
    assert not removed(findings)
    kept = by_text(findings)
    for own in ("Jake Smith", "09/03/2014", "A801200100001", "Jakey", "Jake"):
        assert kept[own].reason is Reason.SUBJECT
    assert kept["12 Acacia Avenue, Cambridge, CB1 2AB"].reason is Reason.SUBJECT
    for theirs in ("Sarah Smith", "sarah.smith@gmail.com", "07700 900111"):
        assert kept[theirs].reason is Reason.REQUESTER


@pytest.mark.parametrize(
    "text, name",
    [
        ("jake said tom o'neill pushed him at break.", "tom o'neill"),
        ("jake said chidi pushed him at break.", "chidi"),
        ("At break Tom\nO'Neill pushed Jake over.", "Tom\nO'Neill"),
        ("Jake sat with Chidi   Okonkwo today.", "Chidi   Okonkwo"),
        ("Jake borrowed Zoe Nguyen's book.", "Zoe Nguyen"),
    ],
)
def test_other_pupils_are_removed(detector: Detector, text: str, name: str) -> None:
    f = by_text(detector.analyse(text))[name]
    assert (f.action, f.reason) == (Action.REDACT, Reason.OTHER_PUPIL)


def test_words_that_are_names_stay_in_prose(detector: Detector) -> None:
    # Will Turner is on the roll; none of these is him or anyone else.
    text = (
        "I will call you in May. We walked through the rose garden and said grace before "
        "lunch. We hope the summer fair goes well; Jake showed real faith in himself."
    )
    findings = detector.analyse(text)
    assert not removed(findings)
    assert {f.text for f in findings} == {"Jake"}


def test_a_word_name_with_a_person_context_is_a_name(detector: Detector) -> None:
    text = "Jake played with Will at lunch. Her friend Grace Ogunbanjo joined them."
    gone = removed(detector.analyse(text))
    assert "Will" in gone  # roster pupil Will Turner
    assert "Grace Ogunbanjo" in gone  # unknown, introduced by "her friend"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Jake said her neighbour Kevin shouted at him.", "Kevin"),
        ("Jake said mum's partner Dean picked him up.", "Dean"),
        ("Jake is staying with uncle Raj this week.", "Raj"),
        ("Dean Hollis, mum's new partner, collected Jake.", "Dean Hollis"),
        ("Jake said that Yusuf Jama has moved in with them.", "Yusuf Jama"),
        ("Dear Ms Bukola Adeyemi,\nThank you for your letter.", "Ms Bukola Adeyemi"),
    ],
)
def test_people_the_mis_does_not_know(detector: Detector, text: str, name: str) -> None:
    f = by_text(detector.analyse(text))[name]
    assert (f.action, f.reason) == (Action.REDACT, Reason.UNKNOWN_PERSON)


def test_later_mentions_of_an_unknown_person_are_removed_too(detector: Detector) -> None:
    text = "Jake said Yusuf Jama has moved in with them. Yusuf collects Jake on Fridays."
    findings = detector.analyse(text)
    assert [f.text for f in findings if f.action is Action.REDACT] == ["Yusuf Jama", "Yusuf"]


def test_shared_first_name_next_to_an_unknown_namesake_is_for_review(detector: Detector) -> None:
    text = "Jake Brown from the youth club waited outside. Jake was upset."
    findings = detector.analyse(text)
    lone = [f for f in findings if f.text == "Jake"]
    assert lone and lone[0].action is Action.REVIEW
    assert "Jake Brown" in removed(findings)


def test_identifying_context_is_flagged_not_solved(detector: Detector) -> None:
    text = (
        "Jake said her dad, who drives the blue taxi, was at the gate. "
        "He sits next to the girl whose mum works in the office."
    )
    flagged = [f for f in detector.analyse(text) if f.reason is Reason.IDENTIFYING_CONTEXT]
    assert len(flagged) == 2
    assert all(f.action is Action.REVIEW for f in flagged)
    assert "blue taxi" in flagged[0].text and "works in the office" in flagged[1].text


def test_the_separated_father_is_not_the_mother(detector: Detector) -> None:
    # Requester: Sarah Smith, mother. Mr Smith can only be David Smith (rule 12).
    f = by_text(detector.analyse("Mr Smith phoned from 07700 900222."))
    assert (f["Mr Smith"].action, f["Mr Smith"].reason) == (Action.REDACT, Reason.OTHER_PARENT)
    assert f["07700 900222"].reason is Reason.OTHER_PARENT
    mum = by_text(detector.analyse("Mrs Smith phoned."))["Mrs Smith"]
    assert mum.action is Action.KEEP


def test_identifiers_belong_to_who_the_sentence_is_about(detector: Detector) -> None:
    text = (
        "Jake Smith  NHS no: 943 476 5919\n"
        "Mother's NI number for the DLA form: AB 12 34 56 C.\n"
        "Tom's NHS number is 401 023 2137.\n"
        "A stranger left the number 07700 900999."
    )
    f = by_text(detector.analyse(text))
    assert (f["943 476 5919"].action, f["943 476 5919"].reason) == (Action.KEEP, Reason.SUBJECT)
    assert f["AB 12 34 56 C"].reason is Reason.REQUESTER
    assert (f["401 023 2137"].action, f["401 023 2137"].reason) == (
        Action.REDACT, Reason.OTHER_PUPIL,
    )  # fmt: skip
    assert (f["07700 900999"].action, f["07700 900999"].reason) == (
        Action.REDACT, Reason.IDENTIFIER,
    )  # fmt: skip


def test_towns_organisations_and_the_school_letterhead_are_kept(detector: Detector) -> None:
    text = (
        "Oakfield Primary School, 1 School Lane, Northfield, NF1 2AB\n"
        "Tel: 01223 999999\n\n"
        "Jake went on the trip to Cambridge with Oxfam volunteers."
    )
    assert not removed(detector.analyse(text))


def test_professionals_in_role(detector: Detector) -> None:
    text = (
        "Mrs Gollan and Mr. Okafor met Jake. Dr Shah (GP) sent a letter. Mark Evans, the "
        "social worker, attended. Ms Burns can be reached on 07700 900444."
    )
    f = by_text(detector.analyse(text))
    for name in ("Mrs Gollan", "Mr. Okafor", "Dr Shah", "Mark Evans", "Ms Burns"):
        assert (f[name].action, f[name].reason) == (Action.KEEP, Reason.PROFESSIONAL), name
    assert f["07700 900444"].reason is Reason.PROFESSIONAL_PRIVATE


def test_findings_are_sorted_and_never_overlap(detector: Detector) -> None:
    text = (
        "Dear Mrs Gollan,\nJake Smith and Tom O'Neill (DOB 1 May 2014) argued; Tom's mum "
        "Aisha Okonkwo rang from 07700 900333 about 4 Mill Lane, Cambridge CB2 3XY. Her "
        "neighbour Dean Hollis, who drives the blue taxi, saw it.\nRegards\nHelen Gollan"
    )
    findings = detector.analyse(text)
    assert findings == sorted(findings, key=lambda f: f.start)
    for left, right in zip(findings, findings[1:], strict=False):
        assert left.end <= right.start
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert f.detector and 0 < f.score <= 1


def test_redact_spans_is_only_what_to_remove(detector: Detector) -> None:
    text = "Jake Smith and Tom O'Neill argued; her dad, who drives the blue taxi, came."
    spans = detector.redact_spans(text)
    assert [f.text for f in spans] == ["Tom O'Neill"]


def test_analyse_many_analyses_each_distinct_text_once(
    detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = Detector(detector.subject, detector.roster)
    calls: list[str] = []
    decide = fresh._decide

    def counting(text: str, flat: str, results: list) -> list[Finding]:  # type: ignore[type-arg]
        calls.append(text)
        return decide(text, flat, results)

    monkeypatch.setattr(fresh, "_decide", counting)
    footer = "Oakfield Primary School - Confidential - Tom O'Neill's class"
    pages = ["Jake met Chidi.", footer, "Jake met Tom.", footer, "", footer]
    results = fresh.analyse_many(pages)
    assert len(results) == len(pages)
    assert results[1] == results[3] == results[5]
    assert results[4] == []
    assert sorted(calls) == sorted({"Jake met Chidi.", footer, "Jake met Tom."})
    fresh.analyse(footer)
    assert calls.count(footer) == 1  # cached across calls too
    assert results == [fresh.analyse(p) for p in pages]


def test_no_roster_every_person_is_a_third_party(make_detector) -> None:  # type: ignore[no-untyped-def]
    nobody = make_detector(Subject(id="x", name="Zebedee Quixley"), [])
    text = "Please call Sarah Johnson on 07700 900123 or write to 5 Kings Road, Leeds LS1 4AB."
    gone = removed(nobody.analyse(text))
    assert {"Sarah Johnson", "07700 900123", "5 Kings Road, Leeds LS1 4AB"} <= gone


def test_third_party_terms_cover_the_roster_and_spare_the_pupil(detector: Detector) -> None:
    terms = detector.third_party_terms()
    assert "Tom O'Neill" in terms and "07700 900222" in terms
    assert not {"Jake Smith", "Sarah Smith", "Helen Gollan", "A801200100001"} & set(terms)


def test_organisations_numbers_in_prose_are_kept_but_not_a_relatives(detector: Detector) -> None:
    text = (
        "Contact the school office on 0113 496 0000. The school rang his dad on 0113 496 0001. "
        "Pupil Premium and Child Protection are policies."
    )
    findings = detector.analyse(text)
    assert [(f.text, f.reason) for f in findings if f.action is Action.REDACT] == [
        ("0113 496 0001", Reason.OTHER_PARENT)
    ]


def test_card_bank_and_ip_numbers_are_removed(detector: Detector) -> None:
    text = (
        "Refund to card 4374590813666955 or IBAN GB96RQIP53033111195106; "
        "logged in from 77.68.16.241. Ticket 4374590813666956 is not a card."
    )
    found = {f.text: f for f in detector.analyse(text)}
    for number in ("4374590813666955", "GB96RQIP53033111195106", "77.68.16.241"):
        assert (found[number].action, found[number].reason) == (Action.REDACT, Reason.IDENTIFIER)
    assert "4374590813666956" not in found  # fails the Luhn check


@pytest.mark.parametrize(
    "text, action",
    [
        # The owner's possessive sits on the line before (a wrapped PDF line).
        ("Jake Smith was seen after the same game and then Chidi's NHS\n"
         "number 943 476 5919 was noted here in error.", Action.REDACT),
        # A fragment with nobody in it (a PDF block of its own) keeps nothing.
        ("number 943 476 5919 was noted here in error.", Action.REDACT),
        # Staff write records; the pupil named before them owns the number.
        ("Jake fell in the playground.\n06/09/2025: Referral by Helen Gollan. "
         "NHS number 943 476 5919 shared with the school nurse.", Action.KEEP),
        # Another pupil named last: not the subject's.
        ("Jake and Chidi were seen.\nNHS number 943 476 5919 was noted.", Action.REDACT),
    ],
)  # fmt: skip
def test_unmatched_pupil_numbers_are_the_subjects_only_with_evidence(
    detector: Detector, text: str, action: Action
) -> None:
    (found,) = [f for f in detector.analyse(text) if f.entity_type == "UK_NHS"]
    assert found.action is action


def test_home_address_shared_with_a_sibling_stays_the_pupils_own(
    make_detector: MakeDetector, subject: Subject, roster: list[Person]
) -> None:
    # The subject's own address (Art 15) is not withheld or queued for review because a
    # sibling on the roster lives there too; the sibling's name is still removed (rule 10).
    sibling = Person.from_dict(
        {"name": "Lucy Smith", "role": "pupil", "address": "12 Acacia Avenue, Cambridge, CB1 2AB"}
    )
    detector = make_detector(subject, [*roster, sibling])
    findings = by_text(
        detector.analyse("Home address: 12 Acacia Avenue, Cambridge, CB1 2AB. Sister: Lucy Smith.")
    )
    address = findings["12 Acacia Avenue, Cambridge, CB1 2AB"]
    assert address.action is Action.KEEP and address.reason is Reason.SUBJECT
    assert findings["Lucy Smith"].action is Action.REDACT


def test_a_big_batch_is_shared_with_the_helper_and_decided_the_same(
    detector: Detector, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Half of a sizeable batch is analysed in the helper process (both cores); the findings
    # must be exactly those of analysing everything here.
    texts = [
        f"Note {i}: Jake met Tom O'Neill and Aisha Begum; Aisha's number is 07700 900{i:03d}."
        for i in range(40)
    ]
    assert sum(map(len, texts)) >= nerhelper.SHARE_MIN_CHARS
    here: list[str] = []
    analyse_here = Detector._analyse_here

    def counting(self: Detector, batch: list[str], ner: bool = True) -> list[tuple[Finding, ...]]:
        here.extend(batch)
        return analyse_here(self, batch, ner=ner)

    monkeypatch.setattr(Detector, "_analyse_here", counting)
    shared = Detector(detector.subject, detector.roster).analyse_many(texts)
    if nerhelper._helper(engine.resolve_model()) is not None:
        assert 0 < len(here) < len(texts)
    monkeypatch.setenv(nerhelper.NER_PROCESSES_ENV, "1")
    alone = Detector(detector.subject, detector.roster).analyse_many(texts)
    assert shared == alone
    assert all({"Tom O'Neill", "Aisha Begum"} <= removed(found) for found in alone)
    assert all("Jake" not in removed(found) for found in alone)


def test_a_detector_pickles_for_the_helper_without_its_cache(detector: Detector) -> None:
    fresh = Detector(detector.subject, detector.roster)
    text = "Jake met Tom O'Neill."
    found = fresh.analyse(text)
    copy = pickle.loads(fresh._state)  # noqa: S301  # our own bytes
    assert text in fresh._cache and not copy._cache
    assert copy.analyse(text) == found


def test_a_quick_re_read_skips_only_the_ner(detector: Detector) -> None:
    # ner=False (re-check rounds, the leak check): known people, identifiers and context
    # rules are still found and decided as in full; only a name just the NER sees is not.
    text = (
        "Jake said Tom O'Neill pushed him. Call Tom's mum on 07700 900456. "
        "Her cousin, Obinna, came to the gate. Yesterday Kwabena Mensah waited outside."
    )
    fresh = Detector(detector.subject, detector.roster)
    full = fresh.analyse(text)
    quick = Detector(detector.subject, detector.roster).analyse_many([text], ner=False)[0]
    assert {"Tom O'Neill", "07700 900456", "Obinna"} <= removed(quick)
    assert "Jake" not in removed(quick)
    assert {f for f in full if f.detector != "spacy"} <= set(quick)
    # A text already analysed in full is answered from that analysis.
    assert fresh.analyse_many([text], ner=False) == [full]
    assert not fresh._quick_cache


def test_a_hyphenated_relation_is_not_a_name_and_its_relation(detector: Detector) -> None:
    # Once a name is removed, "Omar's half-brother ." must not make "half" a name (rule 10
    # removes people, not words); "Obinna - cousin" still names someone.
    after = detector.analyse("Huda said Omar's half-brother \n stays at weekends.")
    assert "half" not in removed(after)
    assert "Obinna" in removed(detector.analyse("Obinna - cousin, came to collect Jake."))


def test_warm_up_builds_the_tables_once_without_a_helper(analyzer: object) -> None:
    # A worker warms up before forking a work horse per job: no helper process of its own.
    helpers_before = dict(nerhelper._helpers)
    warm_up()
    assert engine.lexicon.cache_info().currsize == 1
    assert nerhelper._helpers == helpers_before


def test_the_word_lists_read_the_same_with_libyaml() -> None:
    with (engine.CONF_DIR / "lexicon.yaml").open(encoding="utf-8") as fh:
        plain = yaml.load(fh, Loader=yaml.SafeLoader)  # noqa: S506
    expected = {key: frozenset(str(w).lower() for w in words) for key, words in plain.items()}
    assert engine.lexicon() == expected
