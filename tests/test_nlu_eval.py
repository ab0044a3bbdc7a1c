"""The NLU evaluation's own logic: held-out leakage, report reading, confusion pairs."""

import json

from bot.nlu_eval import (
    HELDOUT,
    confusion_pairs,
    example_texts,
    leaked_examples,
    score_spans,
    shown_path,
    summarize,
)
from bot.settings import ROOT


def test_heldout_set_is_large_and_never_in_training():
    assert len(example_texts(HELDOUT)) >= 150
    assert leaked_examples() == []


def test_annotations_are_stripped(tmp_path):
    data = tmp_path / "nlu.yml"
    data.write_text(
        'version: "3.1"\nnlu:\n  - intent: inform\n    examples: |\n'
        '      - 我在[彭阳](region)\n      - [叉车证]{"entity": "certificate"}\n'
        "  - synonym: 农民工\n    examples: |\n      - 打工仔\n",
        encoding="utf-8",
    )
    assert example_texts(data) == {"我在彭阳", "叉车证"}


def test_summary_reads_rasa_reports(tmp_path):
    intents = {
        "greet": {
            "precision": 1.0,
            "recall": 0.5,
            "f1-score": 0.67,
            "support": 2,
            "confused_with": {"thank": 1},
        },
        "thank": {"precision": 0.5, "recall": 1.0, "f1-score": 0.67, "support": 1, "confused_with": {}},
        "accuracy": 0.67,
        "macro avg": {"precision": 0.75, "recall": 0.75, "f1-score": 0.67, "support": 3},
        "weighted avg": {"precision": 0.8, "recall": 0.67, "f1-score": 0.67, "support": 3},
    }
    entities = {
        "region": {"precision": 1.0, "recall": 0.5, "f1-score": 0.67, "support": 2},
        "micro avg": {"precision": 1.0, "recall": 0.5, "f1-score": 0.67, "support": 2},
        "macro avg": {"precision": 1.0, "recall": 0.5, "f1-score": 0.67, "support": 2},
    }
    (tmp_path / "intent_report.json").write_text(json.dumps(intents))
    (tmp_path / "DIETClassifier_report.json").write_text(json.dumps(entities))
    summary = summarize(tmp_path)
    assert summary["intent_accuracy"] == 0.67
    assert summary["confusions"] == [("greet", "thank", 1)]
    assert (summary["entity_precision"], summary["entity_recall"]) == (1.0, 0.5)
    assert set(summary["per_entity"]) == {"region"}
    assert confusion_pairs(intents, top=0) == []


def test_heldout_paths_are_shown_relative_to_the_repository_when_inside_it(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT / "tests")
    assert shown_path(HELDOUT.relative_to(ROOT / "tests")) == HELDOUT.relative_to(ROOT)
    assert shown_path(tmp_path / "fresh.yml") == (tmp_path / "fresh.yml").resolve()


def test_entities_score_only_on_exact_spans_and_types():
    def e(start, end, entity):
        return {"start": start, "end": end, "entity": entity, "value": "x"}

    rows = [
        # 考个低压电工证能补多少: 低压电工 (a shorter span) is a miss and a false entity
        {
            "text": "考个低压电工证能补多少",
            "gold_entities": [e(2, 7, "certificate")],
            "entities": [e(2, 6, "certificate")],
        },
        # 我在西吉县: right; 俺是农民工常年在外: one right, one extra
        {"text": "我在西吉县", "gold_entities": [e(2, 5, "region")], "entities": [e(2, 5, "region")]},
        {
            "text": "俺是农民工常年在外",
            "gold_entities": [e(2, 5, "person_type")],
            "entities": [e(2, 5, "person_type"), e(5, 7, "person_type")],
        },
        # a right span with the wrong type counts for neither
        {"text": "考叉车证", "gold_entities": [e(1, 4, "occupation")], "entities": [e(1, 4, "certificate")]},
    ]
    score = score_spans(rows)
    # true positives 2; found 5; annotated 4
    assert (score["precision"], score["recall"]) == (2 / 5, 2 / 4)
    assert round(score["f1"], 4) == round(2 * 0.4 * 0.5 / 0.9, 4)
    assert score["per_entity"]["region"] == (1.0, 1.0, 1.0, 1)
    assert score["per_entity"]["occupation"] == (0.0, 0.0, 0.0, 1)
    assert [row["text"] for row in score["mistakes"]] == [
        "考个低压电工证能补多少",
        "俺是农民工常年在外",
        "考叉车证",
    ]
