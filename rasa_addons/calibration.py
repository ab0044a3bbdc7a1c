"""A second opinion on DIET's intent, so that a confident answer needs two models to agree.

DIET's confidences are a softmax over its similarity scores and come out near 1.0 even for messages
unlike its training data (another benefit worded like a training subsidy). This component, right
after DIET and before the FallbackClassifier, trains a logistic regression on the same sparse sentence
features (Rasa's LogisticRegressionClassifier: word and character n-gram counts) and keeps DIET's top
intent, with confidence the weighted mean of the two models' probabilities for it. Where the models
agree little changes; where the regression gives DIET's intent little probability the confidence drops
under the fallback threshold, or the margin to the next intent under the ambiguity threshold, and the
message goes to clarification. The ranking is ordered by the mixed probabilities after DIET's intent,
which stays first.

The regression's probabilities are rescaled by a temperature fitted (negative log-likelihood) on its
out-of-fold predictions over the training data (k-fold), at every training: never on a test set.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Sequence, Text

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.optimize import minimize_scalar
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold, cross_val_predict

TEMPERATURE_FILE = "temperature.json"


def sharpen(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Rows p rescaled to p^(1/T) / Σ p^(1/T) (T < 1 sharpens, T > 1 softens)."""
    logs = np.log(np.maximum(probabilities, 1e-30)) / temperature
    logs -= logs.max(axis=-1, keepdims=True)
    weights = np.exp(logs)
    return weights / weights.sum(axis=-1, keepdims=True)


def fit_temperature(probabilities: np.ndarray, gold: Sequence[int]) -> float:
    """The temperature minimising the negative log-likelihood of the gold columns, in [0.05, 20]."""
    rows = np.arange(len(gold))

    def nll(log_t: float) -> float:
        return float(-np.log(np.maximum(sharpen(probabilities, np.exp(log_t))[rows, gold], 1e-30)).sum())

    return float(np.exp(minimize_scalar(nll, bounds=(np.log(0.05), np.log(20)), method="bounded").x))


def mix(
    ranking: List[Dict[Text, Any]], classes: Sequence[Text], probabilities: Sequence[float], weight: float
) -> List[Dict[Text, Any]]:
    """DIET's ranking with each confidence p replaced by (1 − weight)·p + weight·q, q the regression's
    probability (intents missing on one side count 0); DIET's top intent first, then by mixed value."""
    diet = {r["name"]: float(r["confidence"]) for r in ranking}
    second = {str(c): float(q) for c, q in zip(classes, probabilities, strict=True)}
    top = max(ranking, key=lambda r: float(r["confidence"]))["name"]
    mixed = {
        name: (1 - weight) * diet.get(name, 0.0) + weight * second.get(name, 0.0) for name in {*diet, *second}
    }
    rest = sorted((n for n in mixed if n != top), key=lambda n: -mixed[n])
    return [{"name": n, "confidence": mixed[n]} for n in [top, *rest]]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EnsembleConfidence(LogisticRegressionClassifier):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "weight": 0.5,
            "folds": 5,
            "max_iter": 1000,
        }

    def __init__(
        self, config: Dict[Text, Any], name: Text, model_storage: ModelStorage, resource: Resource
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        self.temperature = 1.0

    def train(self, training_data: TrainingData) -> Resource:
        X, y = self._create_training_matrix(training_data)
        if X.shape[0] == 0:
            return self._resource
        labels, gold, counts = np.unique(y, return_inverse=True, return_counts=True)
        folds = min(int(self.config["folds"]), int(counts.min()))
        if folds >= 2 and len(labels) >= 2:
            split = StratifiedKFold(folds, shuffle=True, random_state=self.config["random_state"])
            held_out = cross_val_predict(clone(self.clf), X, y, cv=split, method="predict_proba")
            self.temperature = fit_temperature(held_out, gold)
        self.clf.fit(X, y)
        self.persist()
        return self._resource

    def persist(self) -> None:
        super().persist()
        with self._model_storage.write_to(self._resource) as model_dir:
            (model_dir / TEMPERATURE_FILE).write_text(json.dumps({"temperature": self.temperature}))

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EnsembleConfidence:
        component = super().load(config, model_storage, resource, execution_context, **kwargs)
        try:
            with model_storage.read_from(resource) as model_dir:
                component.temperature = json.loads((model_dir / TEMPERATURE_FILE).read_text())["temperature"]
        except (ValueError, FileNotFoundError):
            pass  # untrained: process() leaves messages alone
        return component

    def process(self, messages: List[Message]) -> List[Message]:
        if not hasattr(self.clf, "classes_"):  # no training data
            return messages
        weight = float(self.config["weight"])
        for message in messages:
            intent = message.get(INTENT) or {}
            ranking = [
                r
                for r in message.get(INTENT_RANKING_KEY) or []
                if r.get("name") != DEFAULT_NLU_FALLBACK_INTENT_NAME
            ]
            if not ranking or intent.get("name") in (None, DEFAULT_NLU_FALLBACK_INTENT_NAME):
                continue
            if message.get_sparse_features(TEXT)[1] is None:
                continue
            probabilities = sharpen(self.clf.predict_proba(self._create_X([message]))[0], self.temperature)
            ranking = mix(ranking, self.clf.classes_, probabilities, weight)
            if self.config["ranking_length"] > 0:
                ranking = ranking[: self.config["ranking_length"]]
            message.set(INTENT, {**intent, "confidence": ranking[0]["confidence"]}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages
