"""Third parties out of what the pack prints around the documents (titles, contents) and the
leak check of an assembled pack (rule 18)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pupil_privacy.redaction.leakcheck import TermIndex, compile_terms, find_terms
from pupil_privacy.redaction.report import DEFAULT_LABEL, DetectorLike
from pupil_privacy.redaction.types import Action

from .layout import BuiltPack, page_texts


@dataclass(frozen=True)
class TitleCleaner:
    """Clears third parties out of titles, authors and other metadata the pack prints
    (contents, bookmarks, exports): detection, then every known third-party term literally."""

    detector: DetectorLike
    terms: TermIndex
    label: str = DEFAULT_LABEL

    @classmethod
    def for_detector(cls, detector: DetectorLike) -> TitleCleaner:
        label = getattr(getattr(detector, "policy", None), "label", None) or DEFAULT_LABEL
        return cls(detector, compile_terms(detector.third_party_terms()), label)

    def clean(self, texts: Sequence[str]) -> list[str]:
        from pupil_privacy.redaction.formats.text import apply_spans

        results = self.detector.analyse_many(list(texts)) if any(texts) else [[] for _ in texts]
        cleaned: list[str] = []
        for text, findings in zip(texts, results, strict=True):
            spans = [(f.start, f.end) for f in findings if f.action != Action.KEEP]
            spans += [(start, end) for start, end, _ in self.terms.spans(text)]
            cleaned.append(apply_spans(text, spans, self.label) if spans else text)
        return cleaned


@dataclass
class PackLeaks:
    """Where an assembled pack still holds a known third party's identifier."""

    documents: dict[str, list[str]]  # placement ref -> kinds found
    front_matter: list[str]  # cover letter / contents pages

    def __bool__(self) -> bool:
        return bool(self.documents or self.front_matter)


def check_pack(built: BuiltPack, terms: TermIndex) -> PackLeaks:
    """Read the assembled pack back and look for every known third-party term (rule 18).

    Each document was leak-checked on its own; this second net covers what assembly adds
    (titles in the contents and bookmarks, the cover letter) and anything lost in copying.
    """
    leaks = PackLeaks({}, [])
    for number, text in enumerate(page_texts(built.data), start=1):
        kinds = find_terms(text, terms)
        if not kinds:
            continue
        owner = next((p for p in built.placements if p.first_page <= number <= p.last_page), None)
        if owner is None:
            leaks.front_matter += [f"page {number}: a known third party's {k}" for k in kinds]
        else:
            leaks.documents.setdefault(owner.ref, []).extend(kinds)
    return leaks
