"""Parse every message of an NLU test file with a trained model, as the assistant would. Runs in the
Rasa venv:

    .venv-rasa/bin/python scripts/parse_nlu.py models/MODEL.tar.gz tests/nlu/heldout.yml OUT.jsonl

Writes one JSON line per message: the text, its annotated intent and entities, and the parse result's
intent ranking and final entities (every extractor, after synonyms — what the slots are filled from).
`python -m bot eval-nlu` scores the entities from this file."""

import asyncio
import json
import sys

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data


def spans(entities):
    return [
        {k: e.get(k) for k in ("start", "end", "entity", "value", "extractor") if k in e} for e in entities
    ]


async def main(model, path, out):
    agent = Agent.load(model)
    examples = [m for m in load_data(path).intent_examples]
    with open(out, "w", encoding="utf-8") as f:
        for message in examples:
            text = message.get("text")
            parsed = await agent.parse_message(text)
            row = {
                "text": text,
                "gold_intent": message.get("intent"),
                "gold_entities": spans(message.get("entities") or []),
                "intent_ranking": parsed["intent_ranking"],
                "entities": spans(parsed.get("entities") or []),
            }
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(examples)} messages parsed -> {out}")


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
