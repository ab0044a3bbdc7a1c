"""Intent calibration: `python -m bot calibration [--model PATH] [--fit] [--temperature T]`.

Parses the NLU test sets (tests/nlu/*.yml) and, when it exists, knowledge/eval/real_questions.yml with
the trained model, the way `eval-nlu` parses them (scripts/parse_nlu.py, in the Rasa environment), and
prints per set: intent accuracy, expected calibration error (ECE, 10 equal-width bins), the fallback
rate and the wrong-but-confident rate, plus reliability tables.

The confidence scored is the top intent's of the final ranking without `nlu_fallback`: DIET's, mixed
with a second model's by `rasa_addons.calibration.EnsembleConfidence` when the pipeline has it — the
number the FallbackClassifier compares with its threshold. A message falls back when the final intent is
`nlu_fallback`.

Real questions are a YAML list of `{text, intent}`; `out_of_scope` there means the message must not get
a confident in-domain intent (out_of_scope itself or a fallback are both right). They are evaluation
only. `--fit` prints the temperature that would best calibrate the final confidences on
tests/nlu/heldout.yml (above 1: overconfident, below 1: underconfident); it is a diagnostic, the model
fits its own temperature on the training data. `--temperature T` shows what rescaling the parsed
rankings by T (the FallbackClassifier's thresholds of config.yml applied again) would give, without
training.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

import yaml

from bot import nlu_eval
from bot.settings import ROOT
from bot.textnorm import normalize_text

TEST_SETS_DIR = ROOT / "tests" / "nlu"
REAL_QUESTIONS = ROOT / "knowledge" / "eval" / "real_questions.yml"
RESULTS_DIR = ROOT / "var" / "calibration"
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
BINS = 10


# --- scoring (pure functions over parsed rows: {"text", "gold_intent", "intent_ranking"}) ---


def outcome(row: dict[str, Any]) -> dict[str, Any]:
    """Top intent and confidence without nlu_fallback, whether it is right, whether the message fell back."""
    ranking = row["intent_ranking"]
    fell_back = bool(ranking) and ranking[0]["name"] == FALLBACK
    intents = [r for r in ranking if r["name"] != FALLBACK]
    top = intents[0] if intents else {"name": None, "confidence": 0.0}
    return {
        "predicted": top["name"],
        "confidence": float(top["confidence"]),
        "correct": top["name"] == row["gold_intent"],
        "fallback": fell_back,
    }


def reliability(outcomes: list[dict[str, Any]], bins: int = BINS) -> list[dict[str, Any]]:
    """Equal-width confidence bins: count, mean confidence, accuracy (empty bins included)."""
    table = [
        {"low": i / bins, "high": (i + 1) / bins, "count": 0, "conf": 0.0, "acc": 0.0} for i in range(bins)
    ]
    for o in outcomes:
        b = table[min(int(o["confidence"] * bins), bins - 1)]
        b["count"] += 1
        b["conf"] += o["confidence"]
        b["acc"] += o["correct"]
    for b in table:
        if b["count"]:
            b["conf"] /= b["count"]
            b["acc"] /= b["count"]
    return table


def expected_calibration_error(outcomes: list[dict[str, Any]], bins: int = BINS) -> float:
    """Σ_b (n_b / N) · |accuracy_b − mean confidence_b|."""
    n = len(outcomes)
    return sum(b["count"] / n * abs(b["acc"] - b["conf"]) for b in reliability(outcomes, bins)) if n else 0.0


def score(rows: list[dict[str, Any]], bins: int = BINS) -> dict[str, Any]:
    outcomes = [outcome(r) for r in rows]
    n = len(outcomes)
    oos = [o for o, r in zip(outcomes, rows, strict=True) if r["gold_intent"] == OUT_OF_SCOPE]

    def share(k: int, of: int) -> float:
        return k / of if of else 0.0

    correct = sum(o["correct"] for o in outcomes)
    fallback = sum(o["fallback"] for o in outcomes)
    fallback_on_correct = sum(o["fallback"] and o["correct"] for o in outcomes)
    confident_wrong = sum(not o["fallback"] and not o["correct"] for o in outcomes)
    return {
        "n": n,
        "accuracy": share(correct, n),
        # As `rasa test nlu` (eval-nlu) counts it: a fallback is not the annotated intent.
        "answered_right": share(correct - fallback_on_correct, n),
        "ece": expected_calibration_error(outcomes, bins),
        "mean_confidence": share(sum(o["confidence"] for o in outcomes), n) if n else 0.0,
        "fallback_rate": share(fallback, n),
        "fallback_on_correct": fallback_on_correct,
        "fallback_on_wrong": fallback - fallback_on_correct,
        "wrong": n - correct,
        "confident_wrong": confident_wrong,
        "confident_wrong_rate": share(confident_wrong, n),
        # Out-of-scope messages that got no confident in-domain intent (out_of_scope or a fallback).
        "out_of_scope": len(oos),
        "out_of_scope_kept_out": sum(o["correct"] or o["fallback"] for o in oos),
        "reliability": reliability(outcomes, bins),
    }


def fit_temperature(rows: list[dict[str, Any]]) -> float:
    """Temperature T minimising the negative log-likelihood of the annotated intents when the ranking's
    confidences p are rescaled to p^(1/T) / Σ p^(1/T) (relative to the rows' own confidences)."""
    logs = []
    for row in rows:
        ranking = [r for r in row["intent_ranking"] if r["name"] != FALLBACK]
        names = [r["name"] for r in ranking]
        if row["gold_intent"] not in names:
            continue
        logs.append(
            ([math.log(max(r["confidence"], 1e-30)) for r in ranking], names.index(row["gold_intent"]))
        )

    def nll(t: float) -> float:
        total = 0.0
        for log_p, gold in logs:
            scaled = [x / t for x in log_p]
            top = max(scaled)
            total -= scaled[gold] - top - math.log(sum(math.exp(x - top) for x in scaled))
        return total

    grid = [math.exp(math.log(0.1) + i * (math.log(100) - math.log(0.1)) / 600) for i in range(601)]
    return min(grid, key=nll) if logs else 1.0


def fallback_thresholds(config: Path = ROOT / "config.yml") -> tuple[float, float]:
    """threshold and ambiguity_threshold of the FallbackClassifier in config.yml."""
    for component in (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("pipeline") or []:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3)), float(component.get("ambiguity_threshold", 0.1))
    return 0.3, 0.1


def rescaled(
    rows: list[dict[str, Any]], t: float, threshold: float, ambiguity: float
) -> list[dict[str, Any]]:
    """What-if: the rankings rescaled by temperature t and the FallbackClassifier's rule applied again
    (a fallback another component made with confidence 1.0, such as the unknown-word one, stays)."""
    out = []
    for row in rows:
        ranking = row["intent_ranking"]
        kept = any(r["name"] == FALLBACK and r["confidence"] >= 1.0 for r in ranking)
        intents = [r for r in ranking if r["name"] != FALLBACK]
        logs = [math.log(max(r["confidence"], 1e-30)) / t for r in intents]
        top = max(logs, default=0.0)
        weights = [math.exp(x - top) for x in logs]
        new = [
            {"name": r["name"], "confidence": w / sum(weights)} for r, w in zip(intents, weights, strict=True)
        ]
        margin = new[0]["confidence"] - new[1]["confidence"] if len(new) > 1 else 1.0
        falls = kept or not new or new[0]["confidence"] < threshold or margin < ambiguity
        out.append(
            {**row, "intent_ranking": ([{"name": FALLBACK, "confidence": threshold}] if falls else []) + new}
        )
    return out


# --- data and parsing ---


def real_questions_as_nlu(path: Path, out: Path) -> Path:
    """The real questions (a YAML list of {text, intent}) as a Rasa NLU file scripts/parse_nlu.py reads,
    normalised as the gateway normalises a message (traditional → simplified, widths, spaces)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    by_intent: dict[str, list[str]] = {}
    for entry in entries:
        text = normalize_text(str(entry.get("text") or ""))  # as the gateway sends it to Rasa
        if text and entry.get("intent"):
            by_intent.setdefault(str(entry["intent"]).strip(), []).append(text)
    blocks = [
        {"intent": intent, "examples": "".join(f"- {t}\n" for t in texts)}
        for intent, texts in by_intent.items()
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump({"version": "3.1", "nlu": blocks}, allow_unicode=True), encoding="utf-8")
    return out


def test_sets(real: Path | None = REAL_QUESTIONS) -> list[tuple[str, Path]]:
    """(name, Rasa NLU file): heldout.yml first, then the other tests/nlu sets, then the real questions."""
    sets = [
        (p.stem, p) for p in sorted(TEST_SETS_DIR.glob("*.yml"), key=lambda p: (p.stem != "heldout", p.stem))
    ]
    if real is not None and real.exists():
        sets.append(("real_questions", real_questions_as_nlu(real, RESULTS_DIR / "real_questions.nlu.yml")))
    return sets


def parse_set(model: Path, name: str, path: Path) -> tuple[list[dict[str, Any]], int]:
    """Parsed rows of one set, less the texts that are also training examples (memorised, not scored)."""
    leaked = set(nlu_eval.leaked_examples(path))
    rows = nlu_eval.parse_heldout(model, path, RESULTS_DIR / f"{name}.jsonl")
    return [r for r in rows if r["text"] not in leaked], len(leaked)


# --- output ---


def print_reliability(title: str, s: dict[str, Any]) -> None:
    print(f"\n可靠性表 {title}（n={s['n']}，ECE {s['ece']:.3f}）")
    print("  置信度区间     条数  平均置信度  准确率")
    for b in s["reliability"]:
        if b["count"]:
            print(f"  {b['low']:.1f}–{b['high']:.1f}  {b['count']:>9}  {b['conf']:>10.3f}  {b['acc']:>6.3f}")
        else:
            print(f"  {b['low']:.1f}–{b['high']:.1f}  {0:>9}           —       —")


def print_table(results: dict[str, dict[str, Any]]) -> None:
    print(
        f"\n{'集合':<22}{'条数':>5}{'准确率':>8}{'ECE':>8}{'平均置信':>9}{'回退率':>8}"
        f"{'对→回退':>8}{'错→回退':>8}{'错且自信':>14}"
    )
    for name, s in results.items():
        wrong = f"{s['confident_wrong']} ({s['confident_wrong_rate']:.3f})"
        print(
            f"{name:<24}{s['n']:>5}{s['accuracy']:>10.3f}{s['ece']:>8.3f}{s['mean_confidence']:>10.3f}"
            f"{s['fallback_rate']:>10.3f}{s['fallback_on_correct']:>8}{s['fallback_on_wrong']:>10}{wrong:>16}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot calibration",
        description="意图置信度校准：ECE、可靠性表、准确率、回退率、错且自信率",
    )
    parser.add_argument(
        "--model", type=Path, help="Rasa 模型（默认：与当前训练数据对应的模型，或 models/ 中最新的）"
    )
    parser.add_argument(
        "--real", type=Path, default=REAL_QUESTIONS, help="真实问题集（YAML 列表：text, intent）"
    )
    parser.add_argument(
        "--only", nargs="*", help="只评这些集合（文件名不带 .yml，如 heldout real_questions）"
    )
    parser.add_argument("--fit", action="store_true", help="诊断：heldout.yml 上使最终置信度似然最大的温度")
    parser.add_argument(
        "--temperature",
        type=float,
        help="假设：把解析出的意图排名按温度 T 重新缩放，再按 config.yml 的回退阈值重判（不重新训练）",
    )
    parser.add_argument("--show-mistakes", action="store_true", help="列出 heldout.yml 中错且自信的消息")
    args = parser.parse_args(argv)

    model = args.model or nlu_eval.latest_model()
    if model is None:
        print("没有模型：先运行 make train", file=sys.stderr)
        return 2
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    sets = [
        (n, p)
        for n, p in test_sets(args.real if args.real.exists() else None)
        if not args.only or n in args.only
    ]
    print(f"模型 {Path(model).name}；逐集解析（每个集合加载一次模型）……", flush=True)
    if args.temperature:
        print(f"假设温度 T = {args.temperature:g}：排名重新缩放，回退按 config.yml 的阈值重判")
    results: dict[str, dict[str, Any]] = {}
    pooled: list[dict[str, Any]] = []
    for name, path in sets:
        rows, leaked = parse_set(model, name, path)
        if args.temperature:
            rows = rescaled(rows, args.temperature, *fallback_thresholds())
        if leaked:
            print(f"{name}: {leaked} 条与训练样例相同，不计")
        results[name] = score(rows)
        if name.startswith("fresh"):
            pooled += rows
        if name == "heldout" and args.fit:
            print(
                f"heldout 上负对数似然最小的温度 T = {fit_temperature(rows):.2f}"
                "（>1：置信度偏高；<1：偏低；只作诊断，不写进模型）"
            )
        if name == "heldout" and args.show_mistakes:
            print("heldout 中错且自信的消息（标注 → 预测 置信度）:")
            for row in rows:
                o = outcome(row)
                if not o["correct"] and not o["fallback"]:
                    print(f"  {row['text']}: {row['gold_intent']} → {o['predicted']} {o['confidence']:.2f}")
    if pooled:
        results["fresh_* 合计"] = score(pooled)
    print_table(results)
    for name in ("heldout", "fresh_* 合计", "real_questions"):
        if name in results:
            print_reliability(name, results[name])
    real = results.get("real_questions")
    if real and real["out_of_scope"]:
        print(
            f"\n真实问题中的域外问题：{real['out_of_scope_kept_out']}/{real['out_of_scope']} 条未得到自信的域内意图"
            "（判为 out_of_scope 或回退）"
        )
    summary = RESULTS_DIR / "summary.json"
    summary.write_text(
        json.dumps({"model": Path(model).name, "sets": results}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    print(f"\n明细：{nlu_eval.shown_path(RESULTS_DIR)}/（每集一个 .jsonl，汇总 summary.json）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
