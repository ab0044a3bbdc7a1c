"""The policy glossary (knowledge/glossary.yml): terms with plain explanations, kinds and synonyms."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

KIND_TO_JIEBA_TAG = {"region": "ns", "person_type": "n", "occupation": "nz", "certificate": "nz"}


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    kind: str
    explain: str
    synonyms: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def surface_forms(self) -> tuple[str, ...]:
        return (self.term, *self.synonyms)

    @property
    def jieba_tag(self) -> str:
        return KIND_TO_JIEBA_TAG.get(self.kind, "nz")


@dataclass(frozen=True)
class Glossary:
    terms: tuple[GlossaryTerm, ...]

    def words(self) -> list[tuple[str, str]]:
        """Every surface form with its jieba tag, longest first, without duplicates or quote marks."""
        seen: dict[str, str] = {}
        for term in self.terms:
            for form in term.surface_forms:
                word = form.strip('“”"')
                if len(word) > 1 and word not in seen:
                    seen[word] = term.jieba_tag
        return sorted(seen.items(), key=lambda item: -len(item[0]))

    def find(self, text: str) -> list[GlossaryTerm]:
        """Glossary terms mentioned in text (by the term itself or a synonym), in glossary order."""
        return [t for t in self.terms if any(form.strip('“”"') in text for form in t.surface_forms)]

    def expansions(self, text: str) -> list[str]:
        """Canonical terms for synonyms found in text, so a query saying 学徒制 also matches 新型学徒制."""
        return [t.term for t in self.find(text) if t.term not in text]


def load_glossary(path: Path) -> Glossary:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Glossary(
        terms=tuple(
            GlossaryTerm(
                term=entry["term"],
                kind=entry["kind"],
                explain=entry["explain"],
                synonyms=tuple(entry.get("synonyms") or ()),
                sources=tuple(entry.get("sources") or ()),
            )
            for entry in data.get("terms", [])
        )
    )
