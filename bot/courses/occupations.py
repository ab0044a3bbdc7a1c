"""Occupation names: colloquial terms (电焊, 月嫂, 挖机) → canonical occupations, from YAML."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import yaml

from bot.settings import get_settings


class OccupationVocabulary:
    def __init__(self, synonyms: Mapping[str, Sequence[str]]):
        self.canonical: tuple[str, ...] = tuple(synonyms)
        terms: dict[str, list[str]] = {name: [name] for name in self.canonical}
        for name, words in synonyms.items():
            for word in words:
                owners = terms.setdefault(word, [])
                if name not in owners:
                    owners.append(name)
        self._terms = {term: tuple(owners) for term, owners in terms.items()}

    def terms(self) -> list[str]:
        """Canonical names and synonyms, for the jieba dictionary and entity layer."""
        return sorted(self._terms)

    def resolve(self, text: str, catalogue_occupations: Iterable[str] = ()) -> tuple[str, ...]:
        """Canonical occupations the text means; empty when it names none.

        Exact term first, then the longest known term inside the text (我想学电焊 → 焊工), then
        canonical names containing the text (烹调师 → 中式烹调师). Occupations that only the
        catalogue knows (not in the YAML) count as canonical names of their own.
        """
        text = re.sub(r"\s+", "", text)
        if not text:
            return ()
        terms = dict(self._terms)
        for name in catalogue_occupations:
            terms.setdefault(name, (name,))
        if text in terms:
            return terms[text]
        contained = [term for term in terms if term in text]
        if contained:
            longest = max(len(term) for term in contained)
            return _union(terms[term] for term in contained if len(term) == longest)
        if len(text) >= 2:
            return _union((owner,) for owners in terms.values() for owner in owners if text in owner)
        return ()

    def canonical_for_import(self, text: str) -> str:
        """A catalogue row's occupation, mapped to its canonical name when that is unambiguous."""
        owners = self._terms.get(text, ())
        return owners[0] if len(owners) == 1 else text


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for group in groups for name in group))


def load_vocabulary(path: Path) -> OccupationVocabulary:
    with open(path, encoding="utf-8") as source:
        return OccupationVocabulary(yaml.safe_load(source))


@lru_cache
def get_vocabulary() -> OccupationVocabulary:
    return load_vocabulary(get_settings().knowledge_dir / "courses" / "occupations.yml")


def occupation_terms() -> list[str]:
    return get_vocabulary().terms()
