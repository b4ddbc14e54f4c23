"""Less analysis of the same text (the NER once per sentence is tested in
test_nersentences.py): a quoted name found as in its message, and re-reads of changed text
around the changes only (rule 18: nothing a full re-read would
remove may be missed)."""

from __future__ import annotations

from collections.abc import Callable

from pupil_privacy.redaction.detect import Detector
from pupil_privacy.redaction.reread_local import reread_near
from pupil_privacy.redaction.types import Action, Finding, Person, Reason, Subject

MakeDetector = Callable[..., Detector]


def test_the_detector_finds_a_quoted_name_as_in_its_message(detector: Detector) -> None:
    text = "Her cousin Obinna Okafor waited at the gate with Amir Okafor."
    fresh = Detector(detector.subject, detector.roster)
    direct = fresh.analyse(text)
    quoted = fresh.analyse("> " + text)
    assert [(f.start + 2, f.text, f.action) for f in direct] == [
        (f.start, f.text, f.action) for f in quoted
    ]


# -- re-reading around the changes --------------------------------------------------------

ORIGIN = (
    "Pupil: Jake Smith  Year 5  Class: Oak  Logged by: Mrs Gollan\n"
    "During PE Jake and Tom O'Neill argued about the ball near the gate after lunch.\n"
    "Mrs Gollan separated them and spoke to both pupils in the reflection room.\n"
    "Attendance rose to 96% after the meeting with the family in the spring.\n"
    "The faith assembly is on Thursday afternoon in the school hall as usual."
)


def finding(text: str, word: str, action: Action, reason: Reason) -> Finding:
    start = text.index(word)
    return Finding(start, start + len(word), word, "PERSON", 1.0, "roster", action, reason)


EARLIER = [
    finding(ORIGIN, "Jake Smith", Action.KEEP, Reason.SUBJECT),
    finding(ORIGIN, "Tom O'Neill", Action.REDACT, Reason.UNKNOWN_PERSON),
]


def test_only_the_lines_around_a_removal_are_read_again() -> None:
    changed = ORIGIN.replace("Tom O'Neill", "[Third party]")
    read: list[str] = []

    def analyse(part: str) -> list[Finding]:
        read.append(part)
        return [finding(part, "argued", Action.KEEP, Reason.SUBJECT)]

    found = reread_near(changed, ORIGIN, EARLIER, analyse)
    assert read == ["\n".join(changed.split("\n")[0:3])]  # the changed line and its neighbours
    assert found is not None
    # the unchanged first line's finding comes from the first analysis, offsets mapped
    assert [(f.text, changed[f.start : f.end], f.action) for f in found] == [
        ("Jake Smith", "Jake Smith", Action.KEEP),
        ("argued", "argued", Action.KEEP),
    ]


def test_anything_to_remove_sends_the_whole_text_to_a_full_re_read() -> None:
    changed = ORIGIN.replace("Tom O'Neill", "")
    new = [Finding(0, 3, "Mrs", "PERSON", 0.6, "context", Action.REDACT, Reason.UNKNOWN_PERSON)]
    assert reread_near(changed, ORIGIN, EARLIER, lambda part: new) is None
    # a finding to remove outside the changed lines (a removal that did not happen)
    still = [*EARLIER, finding(ORIGIN, "Thursday", Action.REDACT, Reason.UNKNOWN_PERSON)]
    assert reread_near(changed, ORIGIN, still, lambda part: []) is None


def test_a_text_that_is_not_the_origin_with_spans_removed_is_read_whole() -> None:
    changed = ORIGIN.replace("Tom O'Neill", "Will Turner")
    assert reread_near(changed, ORIGIN, EARLIER, lambda part: []) is None


def test_a_quick_re_read_finds_what_a_full_one_does(
    make_detector: MakeDetector, subject: Subject, roster: list[Person]
) -> None:
    text = (
        "Jake Smith joined the school in Year 3 and settled well in the first term here.\n"
        "Jake said Tom O'Neill pushed him. Her cousin, Obinna, came to the gate after.\n"
        "Call Mrs Gollan on 01223 000000 today about the trip to the museum next week.\n"
        "The faith assembly is on Thursday afternoon in the school hall as usual now.\n"
        "Jake's reading has improved and he now reads every day with his mother here.\n"
        "The class walked two miles for the sponsored walk and raised money for it."
    )
    seen = make_detector(subject, roster)
    findings = seen.analyse(text)
    gone = [f for f in findings if f.action is Action.REDACT]
    assert {"Tom O'Neill", "Obinna"} <= {f.text for f in gone}

    def remove(label: str, keep: str = "") -> str:
        out = text
        for f in sorted(gone, key=lambda f: -f.start):
            if f.text != keep:
                out = out[: f.start] + label + out[f.end :]
        return out

    # removal as a PDF does it (nothing left) and as a text file does it (a label) are read
    # around the changes; one that left "Obinna" behind is read whole and finds him again
    for changed, local in ((remove(""), True), (remove("[Third party]"), True),
                           (remove("[Third party]", keep="Obinna"), False)):  # fmt: skip
        assert (seen._reread_near(changed) is not None) is local
        quick = seen.analyse_many([changed], ner=False)[0]
        fresh = make_detector(subject, roster).analyse_many([changed], ner=False)[0]
        assert {f.text for f in quick if f.action is Action.REDACT} == {
            f.text for f in fresh if f.action is Action.REDACT
        }
    assert "Obinna" in {f.text for f in quick if f.action is Action.REDACT}


# -- the request's documents share the NER's findings per sentence --------------------------


class _CountingStore:
    def __init__(self) -> None:
        self.found: dict[str, list[tuple[int, int, str]]] = {}

    def get_many(self, batch):
        return {s: self.found[s] for s in batch if s in self.found}

    def put_many(self, found):
        self.found.update(found)


def test_a_second_documents_detector_reads_shared_sentences_without_the_ner(
    detector: Detector, monkeypatch
) -> None:
    """Two documents of one request, each with a fresh detector (as each job has): the
    second reads the sentences the first read from the store, and decides alike."""
    from pupil_privacy.redaction import detect

    letter = (
        "Jake was upset after Obinna Okafor took his coat.\n"
        "Mrs Adebayo phoned Sarah Smith on Tuesday about it."
    )
    reply = "Thank you, I will speak to Jake tonight.\n> " + letter.replace("\n", "\n> ")
    read: list[str] = []
    ner = detect.ner_spans

    def counting(model, texts):
        read.extend(texts)
        return ner(model, texts)

    monkeypatch.setattr(detect, "ner_spans", counting)
    store = _CountingStore()
    first = Detector(detector.subject, detector.roster, sentences=store).analyse(letter)
    assert len(store.found) == 2 and len(read) == 2
    read.clear()
    shared = Detector(detector.subject, detector.roster, sentences=store).analyse(reply)
    assert read == ["Thank you, I will speak to Jake tonight."]  # only the new sentence
    alone = Detector(detector.subject, detector.roster).analyse(reply)
    assert [(f.start, f.text, f.action, f.reason) for f in shared] == [
        (f.start, f.text, f.action, f.reason) for f in alone
    ]
    # Rule 10 either way: the other pupil is removed, the subject and requester kept.
    assert {f.text: f.action for f in first}["Obinna Okafor"] is Action.REDACT
    assert {f.text: f.action for f in shared}["Obinna Okafor"] is Action.REDACT
    assert {f.text: f.action for f in shared}["Sarah Smith"] is Action.KEEP


def test_a_store_that_cannot_be_pickled_stays_out_of_the_helper_process(
    detector: Detector,
) -> None:
    import pickle

    class Local(_CountingStore):
        def __init__(self) -> None:
            super().__init__()
            self.lock = __import__("threading").Lock()  # cannot be pickled

    there = pickle.loads(pickle.dumps(Detector(detector.subject, [], sentences=Local())))
    assert there.sentences is None  # the helper reads its half without it
    assert [f.text for f in there.analyse("Obinna Okafor came.")] == ["Obinna Okafor"]
