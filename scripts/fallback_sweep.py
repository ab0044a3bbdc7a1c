"""FallbackClassifier threshold sweep on the held-out set. Runs in the Rasa venv:

    .venv-rasa/bin/python scripts/fallback_sweep.py models/MODEL.tar.gz [tests/nlu/heldout.yml]

Parses every held-out message once, reads DIET's intent ranking (ignoring the nlu_fallback the
configured FallbackClassifier adds) and, for each (threshold, ambiguity_threshold), counts how many
correct answers a fallback would cost and how many wrong answers it would catch."""

import asyncio
import re
import sys

import yaml
from rasa.core.agent import Agent

ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def heldout(path):
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f)
    for block in data["nlu"]:
        if "intent" in block:
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    yield ANNOTATION.sub(r"\1", line.strip()[2:]), block["intent"]


async def main(model, path):
    agent = Agent.load(model)
    rows = []
    for text, gold in heldout(path):
        parsed = await agent.parse_message(text)
        ranking = [r for r in parsed["intent_ranking"] if r["name"] != "nlu_fallback"]
        top, second = ranking[0], (ranking[1]["confidence"] if len(ranking) > 1 else 0.0)
        rows.append((gold, top["name"], top["confidence"], top["confidence"] - second, text))
    n = len(rows)
    print(f"{n} messages; wrong at any threshold: {sum(g != p for g, p, *_ in rows)}")
    print(
        "threshold ambiguity | accepted-correct  fallback-on-correct  fallback-on-wrong  accepted-wrong | accuracy(fallback=wrong)"
    )
    for t in (0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8):
        for a in (0.0, 0.05, 0.1):
            fb = [(c < t or gap < a) for _, _, c, gap, _ in rows]
            ok = [g == p for g, p, *_ in rows]
            ac = sum(o and not f for o, f in zip(ok, fb, strict=True))
            fc = sum(o and f for o, f in zip(ok, fb, strict=True))
            fw = sum((not o) and f for o, f in zip(ok, fb, strict=True))
            aw = sum((not o) and not f for o, f in zip(ok, fb, strict=True))
            print(f"{t:9.2f} {a:10.2f} | {ac:16d} {fc:20d} {fw:18d} {aw:15d} | {ac / n:.3f}")
    print("\nwrong predictions (gold -> predicted, confidence, margin):")
    for g, p, c, gap, text in sorted(rows, key=lambda r: -r[2]):
        if g != p:
            print(f"  {text}: {g} -> {p} {c:.2f} {gap:.2f}")
    print("\nlowest-confidence correct predictions:")
    for g, _, c, gap, text in sorted((r for r in rows if r[0] == r[1]), key=lambda r: r[2])[:8]:
        print(f"  {text}: {g} {c:.2f} {gap:.2f}")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "tests/nlu/heldout.yml"))
