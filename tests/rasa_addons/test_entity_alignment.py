"""Every annotated entity in the training data starts and ends on a token boundary of the tokenizer Rasa
trains with (jieba with the generated dictionary). Rasa only warns about a misaligned span and then
trains without it."""

from tests.rasa_python import run_in_rasa

MISALIGNED = """
import json
from pathlib import Path

import jieba
from rasa.shared.nlu.training_data.loading import load_data

for path in sorted(Path("var/jieba").glob("*")):
    jieba.load_userdict(str(path))
misaligned = []
for message in load_data("nlu_data/nlu").training_examples:
    text = message.get("text")
    bounds = {edge for _, start, end in jieba.tokenize(text) for edge in (start, end)}
    misaligned += [
        f"{text} [{e['start']}:{e['end']}] {e['entity']}"
        for e in message.get("entities") or []
        if e["start"] not in bounds or e["end"] not in bounds
    ]
print(json.dumps(misaligned, ensure_ascii=False))
"""


def test_every_entity_span_is_whole_jieba_tokens():
    assert run_in_rasa(MISALIGNED) == []
