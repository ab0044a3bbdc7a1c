"""Trained DIET and TED models loaded without tracing their training step.

Rasa 3.6 loads a TensorFlow model by fitting it on one example, so that its weights and optimizer slots
exist before the saved ones are read into them. Keras traces that training step into a graph first: about
20 s of one core for DIET with its CRF entity layer, most of a Rasa process's cold start, and the time a
restarted process keeps its share of the turns waiting (docs/RELIABILITY.md). The one step is run eagerly
instead; the saved weights then replace whatever it computed, and the model predicts through its traced
prediction graph as before (or eagerly, when its config says run_eagerly)."""

from __future__ import annotations

import logging
from typing import Any

import tensorflow as tf
from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)


def load_without_tracing_training(
    cls: type[RasaModel],
    model_file_name: str,
    model_data_example: RasaModelData,
    predict_data_example: RasaModelData | None = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> RasaModel:
    """`RasaModel.load` with the one building step run eagerly; the same model, weights and signature."""
    config = kwargs.get("config", {})
    model = cls(*args, **kwargs)
    model.compile(optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True)
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.load_weights(model_file_name)
    # Fine-tuning trains on: it keeps the configured mode, as Rasa's own load does.
    model.run_eagerly = config.get(RUN_EAGERLY)
    if not finetune_mode and predict_data_example:
        model.run_inference(predict_data_example)
    logger.debug("Loaded %s from %s without tracing its training step.", cls.__name__, model_file_name)
    return model


def install_eager_model_loading() -> None:
    RasaModel.load = classmethod(load_without_tracing_training)
