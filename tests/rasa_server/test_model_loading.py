"""A model loaded without tracing its training step (rasa_server/model_loading.py) parses every message
exactly as the model loaded by Rasa's own `RasaModel.load`, and loads faster. Runs in the Rasa
environment (.venv-rasa) on the current trained model."""

import pytest

from bot import rasa_model
from tests.rasa_python import run_in_rasa

MESSAGES = [
    "我能拿多少补贴",
    "彭阳县叉车证",
    "我是彭阳户籍的农民工，考了叉车证，之前没领过",
    "培训机构虚假培训会怎么处理",
    "岳阳的技能提升补贴去哪申请",
    "附近有电工培训吗",
    "今天天气怎么样",
]

COMPARE = """
import asyncio, json, sys, time
from rasa.core.agent import Agent
from rasa.utils.tensorflow.models import RasaModel
from rasa_server.model_loading import install_eager_model_loading

messages = json.loads(sys.stdin.read())

def parse_all(agent):
    return [asyncio.run(agent.parse_message(m)) for m in messages]

def summary(parse):
    return {
        "intent": parse["intent"]["name"],
        "confidence": round(parse["intent"]["confidence"], 6),
        "ranking": [(i["name"], round(i["confidence"], 6)) for i in parse["intent_ranking"]],
        "entities": [(e["entity"], e["value"], e["start"], e["end"]) for e in parse["entities"]],
    }

# Eager first, so that Rasa's own load, second, has the warm imports and caches: the comparison favours it.
rasa_load = RasaModel.__dict__["load"]  # the classmethod itself, not bound to RasaModel
results = {}
for label in ("eager", "rasa"):
    if label == "eager":
        install_eager_model_loading()
    else:
        RasaModel.load = rasa_load
    started = time.perf_counter()
    agent = Agent.load(sys.argv[1])
    results[label] = {"seconds": time.perf_counter() - started, "parses": [summary(p) for p in parse_all(agent)]}
print(json.dumps(results, ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def loads() -> dict:
    model = rasa_model.current_model()
    if model is None:
        pytest.fail("no trained model for the current training data: run `python -m bot train` first")
    return run_in_rasa(COMPARE, str(model), stdin=MESSAGES)


def test_the_same_intents_confidences_and_entities(loads):
    assert len(loads["eager"]["parses"]) == len(MESSAGES)
    assert loads["eager"]["parses"] == loads["rasa"]["parses"]


def test_the_model_loads_faster(loads):
    # Tracing DIET's training step is about half of Rasa's own load on this machine (25.7 s → 12.0 s).
    assert loads["eager"]["seconds"] < 0.8 * loads["rasa"]["seconds"], loads
