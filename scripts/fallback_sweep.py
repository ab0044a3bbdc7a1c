"""FallbackClassifier threshold sweep on the held-out set:

    python scripts/fallback_sweep.py [var/nlu-eval/heldout/parsed.jsonl]

Reads the parse of every held-out message that `python -m bot eval-nlu` leaves behind, takes DIET's
intent ranking (ignoring the nlu_fallback the configured FallbackClassifier adds) and, for each (threshold, ambiguity_threshold), counts how many
correct answers a fallback would cost and how many wrong answers it would catch."""

import json
import sys


def main(parsed_path):
    rows = []
    with open(parsed_path, encoding="utf-8") as f:
        for line in f:
            parsed = json.loads(line)
            ranking = [r for r in parsed["intent_ranking"] if r["name"] != "nlu_fallback"]
            top, second = ranking[0], (ranking[1]["confidence"] if len(ranking) > 1 else 0.0)
            gap = top["confidence"] - second
            rows.append((parsed["gold_intent"], top["name"], top["confidence"], gap, parsed["text"]))
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
    main(sys.argv[1] if len(sys.argv) > 1 else "var/nlu-eval/heldout/parsed.jsonl")
