"""Data checks for knowledge/: plain-language summaries, glossary and the evaluation set."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.settings import ROOT
from retrieval.corpus import Corpus
from retrieval.evaluate import load_eval_set
from retrieval.glossary import load_glossary

KNOWLEDGE = ROOT / "knowledge"
NUMBER = re.compile(r"\d+(?:\.\d+)?")
KINDS = {"term", "program", "certificate", "occupation", "person_type", "region"}


def test_every_summary_belongs_to_an_existing_passage(corpus: Corpus) -> None:
    entries = [
        e
        for path in (KNOWLEDGE / "plain").glob("*.yml")
        for e in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    ids = [e["passage_id"] for e in entries]
    assert len(ids) == len(set(ids)), "a passage has two summaries"
    assert set(ids) <= set(corpus.by_id)


SEED_DOCUMENTS = {
    "hunan-2026-17",
    "guangdong-2025-skills",
    "guizhou-2025-3",
    "hunan-2023-15",
    "pengyang-2026",
}


def test_summaries_cover_pengyang_and_eval_targets(corpus: Corpus) -> None:
    """The seed documents are summarised; documents added through the intake are quoted until an editor
    summarises them (knowledge summaries --missing)."""
    eval_set = load_eval_set(KNOWLEDGE / "eval" / "retrieval.yml")
    targets = {pid for q in eval_set.questions for pid in q.expect if pid.split(":", 1)[0] in SEED_DOCUMENTS}
    pengyang = {p.passage_id for p in corpus.passages if p.doc_id == "pengyang-2026"}
    assert (targets | pengyang) <= set(corpus.summaries)


def test_summaries_add_no_numbers_the_passage_does_not_have(corpus: Corpus) -> None:
    for passage_id, summary in corpus.summaries.items():
        passage = corpus.by_id[passage_id]
        source = passage.index_text(corpus.documents[passage.doc_id])
        added = set(NUMBER.findall(summary)) - set(NUMBER.findall(source))
        assert not added, f"{passage_id}: {added}"


def test_glossary_entries_are_well_formed(corpus: Corpus) -> None:
    glossary = load_glossary(KNOWLEDGE / "glossary.yml")
    terms = {t.term for t in glossary.terms}
    required = {
        "以工代训",
        "新型学徒制",
        "证书直补",
        "课证融通",
        "职业技能等级证书",
        "专项职业能力",
        "补贴性培训",
        "虚假培训",
        "技能人才评价",
        "马兰花创业培训",
        "楚怡",
    }
    assert required <= terms
    for term in glossary.terms:
        assert term.kind in KINDS, term.term
        assert term.explain
        assert set(term.sources) <= set(corpus.documents), term.term


def test_eval_set_is_large_enough_and_points_at_real_passages(corpus: Corpus) -> None:
    eval_set = load_eval_set(KNOWLEDGE / "eval" / "retrieval.yml")
    assert len(eval_set.questions) >= 70
    assert len(eval_set.out_of_scope) >= 15
    assert {passage_id for q in eval_set.questions for passage_id in q.expect} <= set(corpus.by_id)
    assert {corpus.by_id[q.expect[0]].doc_id for q in eval_set.questions} == set(
        corpus.documents
    )  # each asked


@pytest.mark.parametrize("row", range(1, 20))
def test_unknown_catalogue_amounts_are_summarised_as_unknown(corpus: Corpus, row: int) -> None:
    assert "金额不详" in corpus.summaries[f"pengyang-2026:a1.{row}"]
