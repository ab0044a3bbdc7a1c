"""The second opinion on DIET's intent (rasa_addons/calibration.py), trained and run in the Rasa
environment (.venv-rasa) on real featurizers, followed by Rasa's FallbackClassifier as config.yml orders
them; and the measurement `python -m bot calibration` reports (bot/calibration.py)."""

import pytest
import yaml

from bot.calibration import (
    expected_calibration_error,
    fit_temperature,
    outcome,
    real_questions_as_nlu,
    rescaled,
    score,
)
from tests.rasa_python import run_in_rasa

TRAINING = {
    "ask_subsidy": ["考电工证能补多少钱", "叉车证补贴多少", "焊工证能拿多少补贴", "技师证补多少钱"],
    "find_course": ["哪里有电工培训班", "附近有叉车培训吗", "想学焊工去哪报名", "厨师班在哪里"],
    "greet": ["你好", "您好啊", "早上好", "哈喽"],
}
# name: (text, DIET's ranking as (intent, confidence))
CASES = {
    "both agree": ("电工证能补多少钱", [["ask_subsidy", 0.99], ["find_course", 0.008], ["greet", 0.002]]),
    "regression disagrees": ("你好啊", [["find_course", 0.99], ["greet", 0.008], ["ask_subsidy", 0.002]]),
    "DIET unsure, regression sure": (
        "电工证能补多少钱",
        [["ask_subsidy", 0.5], ["find_course", 0.45], ["greet", 0.05]],
    ),
    "already a fallback": ("你好", [["nlu_fallback", 1.0], ["greet", 0.9]]),
}

RUN = """
import json, sys
from pathlib import Path
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
import numpy as np
from rasa_addons.calibration import EnsembleConfidence, fit_temperature, sharpen

storage_dir, data = sys.argv[1], json.loads(sys.stdin.read())
storage = LocalModelStorage(Path(storage_dir))
context = ExecutionContext(GraphSchema({}), "test")
tokenizer = JiebaTokenizer.create(JiebaTokenizer.get_default_config(), storage, Resource("tok"), context)
featurizers = [
    CountVectorsFeaturizer.create({**CountVectorsFeaturizer.get_default_config(), **cfg}, storage, Resource(name), context)
    for name, cfg in [("words", {}), ("chars", {"analyzer": "char_wb", "min_ngram": 1, "max_ngram": 3})]
]
examples = [Message({"text": t, "intent": i}) for i, texts in data["training"].items() for t in texts]
training = TrainingData(examples)
tokenizer.process_training_data(training)
for f in featurizers:
    f.train(training)
    f.process_training_data(training)
config = {**EnsembleConfidence.get_default_config(), "weight": 0.5}
second = EnsembleConfidence.create(config, storage, Resource("second"), context)
second.train(training)
second = EnsembleConfidence.load(config, storage, Resource("second"), context)  # as a trained model loads it
fallback = FallbackClassifier({**FallbackClassifier.get_default_config(), "threshold": 0.55, "ambiguity_threshold": 0.1})

results = {}
for name, (text, ranking) in data["cases"].items():
    ranking = [{"name": n, "confidence": c} for n, c in ranking]
    message = Message({"text": text, "intent": dict(ranking[0]), "intent_ranking": ranking})
    tokenizer.process([message])
    for f in featurizers:
        f.process([message])
    [message] = second.process([message])
    mixed = {"intent": dict(message.get("intent")), "ranking": [dict(r) for r in message.get("intent_ranking")]}
    [message] = fallback.process([message])
    results[name] = {**mixed, "final": message.get("intent")["name"]}
results["temperature"] = second.temperature
# 80 % right at 0.99: the fitted temperature brings the top probability down to 0.8
sure = np.array([[0.99, 0.01]] * 10)
t = fit_temperature(sure, [0] * 8 + [1] * 2)
results["fitted"] = {"temperature": t, "top": float(sharpen(sure, t)[0, 0])}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict:
    storage = tmp_path_factory.mktemp("model_storage")
    return run_in_rasa(RUN, str(storage), stdin={"training": TRAINING, "cases": CASES})


def test_agreement_keeps_the_answer(results):
    r = results["both agree"]
    assert r["intent"]["name"] == "ask_subsidy"
    assert r["intent"]["confidence"] > 0.9
    assert r["final"] == "ask_subsidy"


def test_disagreement_reaches_the_fallback(results):
    r = results["regression disagrees"]
    # DIET's intent stays first, with the mean of 0.99 and the regression's (low) probability for it
    assert r["ranking"][0]["name"] == "find_course"
    assert r["intent"] == {"name": "find_course", "confidence": r["ranking"][0]["confidence"]}
    assert r["intent"]["confidence"] < 0.55
    assert r["ranking"][1]["name"] == "greet"
    assert sum(x["confidence"] for x in r["ranking"]) == pytest.approx(1.0)
    assert r["final"] == "nlu_fallback"


def test_a_sure_regression_lifts_an_unsure_diet(results):
    r = results["DIET unsure, regression sure"]
    assert r["intent"]["name"] == "ask_subsidy" and r["intent"]["confidence"] > 0.55
    assert r["ranking"][1]["confidence"] < r["intent"]["confidence"] - 0.1
    assert r["final"] == "ask_subsidy"


def test_temperature_fitted_out_of_fold_and_persisted(results):
    assert 0.05 <= results["temperature"] <= 20 and results["temperature"] != 1.0
    assert results["fitted"]["top"] == pytest.approx(0.8, abs=0.005)
    assert results["fitted"]["temperature"] > 1


def test_a_fallback_is_left_alone(results):
    r = results["already a fallback"]
    assert r["intent"] == {"name": "nlu_fallback", "confidence": 1.0}
    assert r["ranking"][0]["name"] == "nlu_fallback"


# --- the measurement (bot/calibration.py), pure Python ---


def row(gold: str, *ranking: tuple[str, float]) -> dict:
    return {
        "text": gold,
        "gold_intent": gold,
        "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking],
    }


def test_outcome_ignores_the_fallback_entry():
    o = outcome(row("greet", ("nlu_fallback", 0.55), ("greet", 0.5), ("deny", 0.3)))
    assert o == {"predicted": "greet", "confidence": 0.5, "correct": True, "fallback": True}


def test_ece_and_rates():
    rows = [
        row("greet", ("greet", 0.95)),  # right, sure
        row("greet", ("deny", 0.95)),  # wrong, sure
        row("deny", ("nlu_fallback", 0.55), ("thank", 0.35)),  # wrong, falls back
        row("out_of_scope", ("nlu_fallback", 0.55), ("out_of_scope", 0.45)),  # right, falls back
    ]
    s = score(rows)
    # bin 0.9–1.0: 2 messages, conf .95, acc .5; bin 0.3–0.4: conf .35, acc 0; bin 0.4–0.5: conf .45, acc 1
    assert s["ece"] == pytest.approx(2 / 4 * 0.45 + 1 / 4 * 0.35 + 1 / 4 * 0.55)
    assert (s["accuracy"], s["fallback_rate"], s["confident_wrong"]) == (0.5, 0.5, 1)
    assert (s["fallback_on_correct"], s["fallback_on_wrong"]) == (1, 1)
    assert (s["out_of_scope"], s["out_of_scope_kept_out"]) == (1, 1)
    assert expected_calibration_error([]) == 0.0


def test_temperature_fit_softens_overconfident_errors():
    sure_right = [row("greet", ("greet", 0.99), ("deny", 0.01))] * 8
    sure_wrong = [row("greet", ("deny", 0.99), ("greet", 0.01))] * 2
    t = fit_temperature(sure_right + sure_wrong)
    # 80 % right at 0.99: the fitted top confidence should be near 0.8, i.e. p^(1/T) odds 4:1
    assert 0.99 ** (1 / t) / (0.99 ** (1 / t) + 0.01 ** (1 / t)) == pytest.approx(0.8, abs=0.01)
    assert fit_temperature([row("greet", ("greet", 0.6), ("deny", 0.4))] * 3) < 1


def test_what_if_temperature_reapplies_the_fallback_rule():
    rows = [
        row("deny", ("deny", 0.84), ("greet", 0.1), ("thank", 0.06)),
        row("deny", ("nlu_fallback", 1.0), ("deny", 0.99), ("greet", 0.01)),  # unknown words: stays
    ]
    assert [outcome(r)["fallback"] for r in rescaled(rows, 1.0, 0.55, 0.1)] == [False, True]
    softer = rescaled(rows, 3.0, 0.55, 0.1)
    assert [outcome(r)["fallback"] for r in softer] == [True, True]
    assert outcome(softer[0])["confidence"] == pytest.approx(
        0.84 ** (1 / 3) / sum(p ** (1 / 3) for p in (0.84, 0.1, 0.06))
    )


def test_real_questions_become_a_rasa_nlu_file(tmp_path):
    real = tmp_path / "real.yml"
    real.write_text(
        yaml.safe_dump(
            [
                {"id": "r1", "text": "靈活就業社保補貼 \n在哪申请", "intent": "out_of_scope"},
                {"text": "考电工证补多少", "intent": "ask_subsidy"},
            ],
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    data = yaml.safe_load(real_questions_as_nlu(real, tmp_path / "out.yml").read_text(encoding="utf-8"))
    assert data["nlu"] == [
        {"intent": "out_of_scope", "examples": "- 灵活就业社保补贴在哪申请\n"},
        {"intent": "ask_subsidy", "examples": "- 考电工证补多少\n"},
    ]
