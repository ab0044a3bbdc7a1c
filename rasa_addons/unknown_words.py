"""A message that shares no word with the training data is not understood, however DIET scores it.

DIET always spreads its confidence over the known intents; for a message made only of words it never saw
("zxcv bnm", "asdkjh qwe") that spread is arbitrary, and sometimes confident. Placed after the
FallbackClassifier, this component reads the word-count features of the message (the
CountVectorsFeaturizer configured with `alias: word_counts`, which ignores unseen words) and, when they
are all zero, makes the intent `nlu_fallback`, the same way the FallbackClassifier does: the dialogue
then asks the user to clarify, and a second time offers a person.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.fallback_classifier import _fallback_intent
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnknownWordsFallback(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"word_features": "word_counts", "confidence": 1.0}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnknownWordsFallback:
        return cls(config)

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.origin = config["word_features"]
        self.confidence = float(config["confidence"])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if intent != DEFAULT_NLU_FALLBACK_INTENT_NAME and self.knows_no_word(message):
                message.data[INTENT] = _fallback_intent(self.confidence)
                message.data.setdefault(INTENT_RANKING_KEY, [])
                message.data[INTENT_RANKING_KEY].insert(0, _fallback_intent(self.confidence))
        return messages

    def knows_no_word(self, message: Message) -> bool:
        """True when the word-count sentence features exist and are all zero."""
        counts = [
            f.features
            for f in message.features
            if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE and f.origin == self.origin
        ]
        return bool(counts) and all(c.nnz == 0 for c in counts)
