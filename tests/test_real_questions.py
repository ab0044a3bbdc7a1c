"""The real-question sets (knowledge/eval/real_questions.yml, the development set;
real_questions_holdout.yml … real_questions_holdout12.yml, collected by a second to a thirteenth annotator to
measure on questions nobody tuned on): well-formed, their clauses exist, they do not overlap, and none
of their questions leaked into the Rasa training data."""

import unicodedata
from functools import cache
from pathlib import Path

import pytest
import yaml

from bot.nlu_eval import example_texts
from bot.settings import ROOT
from retrieval.corpus import load_corpus

EVAL = ROOT / "knowledge" / "eval"
DATASETS = {  # → least size
    EVAL / "real_questions.yml": 120,
    EVAL / "real_questions_holdout.yml": 60,
    EVAL / "real_questions_holdout2.yml": 60,
    EVAL / "real_questions_holdout3.yml": 55,
    EVAL / "real_questions_holdout4.yml": 60,
    EVAL / "real_questions_holdout5.yml": 60,
    EVAL / "real_questions_holdout6.yml": 60,
    EVAL / "real_questions_holdout7.yml": 60,
    EVAL / "real_questions_holdout8.yml": 45,
    EVAL / "real_questions_holdout9.yml": 45,
    EVAL / "real_questions_holdout10.yml": 45,
    EVAL / "real_questions_holdout11.yml": 45,
    EVAL / "real_questions_holdout12.yml": 13,  # the stored pages are used up (its header)
}
FIELDS = {
    "id",
    "text",
    "source",
    "place",
    "province",
    "topic",
    "aspect",
    "intent",
    "expect",
    "clauses",
    "note",
}
ASPECTS = {
    "how_much",
    "who",
    "how_to_apply",
    "where",
    "when_paid",
    "how_many_times",
    "materials",
    "what_is",
    "penalty",
    "other",
}
INTENTS = {"ask_subsidy", "find_course", "ask_policy", "ask_compliance", "human_handoff", "out_of_scope"}
EXPECTS = {"answer", "partial", "ask_place", "not_covered", "neighbour"}


@cache
def entries(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def normalized(text: str) -> str:
    """The text without whitespace and punctuation, for leak comparison."""
    return "".join(c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P"))


@pytest.mark.parametrize("path", DATASETS, ids=lambda p: p.name)
def test_entries_are_well_formed(path):
    rows = entries(path)
    assert len(rows) >= DATASETS[path]
    for row in rows:
        assert set(row) == FIELDS, row.get("id")
        assert row["aspect"] in ASPECTS, row["id"]
        assert row["intent"] in INTENTS, row["id"]
        assert row["expect"] in EXPECTS, row["id"]
        assert str(row["source"]).startswith("http"), row["id"]
        assert isinstance(row["text"], str) and row["text"].strip(), row["id"]
        assert isinstance(row["clauses"], list), row["id"]
        assert row["note"] and row["topic"], row["id"]
    ids = [row["id"] for row in rows]
    texts = [row["text"] for row in rows]
    assert len(set(ids)) == len(ids)
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("path", DATASETS, ids=lambda p: p.name)
def test_clauses_exist_and_fit_the_expectation(path):
    passage_ids = {p.passage_id for p in load_corpus(ROOT / "knowledge").passages}
    for row in entries(path):
        unknown = set(row["clauses"]) - passage_ids
        assert not unknown, (row["id"], unknown)
        if row["expect"] in {"answer", "partial"}:
            assert row["clauses"], row["id"]
        if row["expect"] in {"not_covered", "neighbour"}:
            assert row["clauses"] == [], row["id"]


def test_the_sets_do_not_share_questions():
    sets = [{normalized(row["text"]) for row in entries(path)} for path in DATASETS]
    for index, questions in enumerate(sets):
        assert all(questions.isdisjoint(other) for other in sets[index + 1 :])


@pytest.mark.parametrize("path", DATASETS, ids=lambda p: p.name)
def test_no_question_is_in_the_training_data(path):
    training = {
        normalized(text)
        for path in sorted((ROOT / "nlu_data").rglob("*.yml"))
        for text in example_texts(path)
    }
    training.discard("")
    leaked = [
        row["id"]
        for row in entries(path)
        if (question := normalized(row["text"])) and any(question in example for example in training)
    ]
    assert leaked == []
