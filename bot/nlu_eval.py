"""NLU quality on held-out data: `python -m bot eval-nlu [--cross-validation] [--model PATH]`.

Runs `rasa test nlu` on tests/nlu/heldout.yml against the current model (or, with --cross-validation,
5-fold cross-validation over nlu_data/) and prints intent accuracy, macro-F1, entity precision /
recall / F1 and the most frequent intent confusions, read from Rasa's report JSON files.

Rasa scores each entity extractor on its own, token by token. The assistant fills its slots from the
message's final entities — DIET's and the glossary layer's, after synonyms — so the held-out set is
also parsed as the assistant parses it (scripts/parse_nlu.py) and those entities are scored as whole
spans: an entity counts only with exactly the annotated characters and type. That figure is the one
held to the target."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from bot import rasa_model
from bot.settings import ROOT

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
RESULTS_DIR = ROOT / "var" / "nlu-eval"
TARGET_INTENT_ACCURACY = 0.95
TARGET_ENTITY_F1 = 0.90
ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
AVERAGES = ("accuracy", "macro avg", "weighted avg", "micro avg")


def example_texts(path: Path) -> set[str]:
    """Plain texts (annotations stripped) of every intent example in a Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts = set()
    for block in data.get("nlu") or []:
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.add(ANNOTATION.sub(r"\1", line[2:]).strip())
    return texts


def shown_path(path: Path) -> Path:
    """The path relative to the repository when it is inside it, else as given (absolute)."""
    path = path.resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def leaked_examples(heldout: Path = HELDOUT, training_dir: Path = ROOT / "nlu_data") -> list[str]:
    """Held-out texts that also appear in the training data (should be none)."""
    training = set().union(*(example_texts(p) for p in sorted(training_dir.rglob("*.yml"))))
    return sorted(example_texts(heldout) & training)


def latest_model(models_dir: Path = rasa_model.MODELS_DIR) -> Path | None:
    current = rasa_model.current_model()
    if current:
        return current
    candidates = sorted(models_dir.glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None


def confusion_pairs(intent_report: dict[str, Any], top: int = 10) -> list[tuple[str, str, int]]:
    """(true intent, predicted intent, count), most frequent first, from the report's confused_with."""
    pairs = Counter()
    for label, row in intent_report.items():
        if label in AVERAGES or not isinstance(row, dict):
            continue
        for predicted, count in (row.get("confused_with") or {}).items():
            pairs[(label, predicted)] += int(count)
    return [(t, p, n) for (t, p), n in pairs.most_common(top)]


def summarize(out_dir: Path) -> dict[str, Any]:
    intents = json.loads((out_dir / "intent_report.json").read_text(encoding="utf-8"))
    summary: dict[str, Any] = {
        "intent_accuracy": intents["accuracy"],
        "intent_macro_f1": intents["macro avg"]["f1-score"],
        "intent_weighted_f1": intents["weighted avg"]["f1-score"],
        "support": intents["macro avg"]["support"],
        "confusions": confusion_pairs(intents),
    }
    entity_file = out_dir / "DIETClassifier_report.json"
    if entity_file.exists():
        entities = json.loads(entity_file.read_text(encoding="utf-8"))
        avg = entities.get("micro avg") or entities.get("weighted avg") or {}
        summary.update(
            entity_precision=avg.get("precision"),
            entity_recall=avg.get("recall"),
            entity_f1=avg.get("f1-score"),
            entity_support=avg.get("support"),
            per_entity={
                label: (row["precision"], row["recall"], row["f1-score"], row["support"])
                for label, row in entities.items()
                if label not in AVERAGES and label != "no_entity" and isinstance(row, dict)
            },
        )
    return summary


def entity_spans(entities: list[dict[str, Any]]) -> set[tuple[int, int, str]]:
    return {(e["start"], e["end"], e["entity"]) for e in entities}


def score_spans(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Exact-span micro precision / recall / F1 of the parsed entities against the annotations, overall
    and per entity type, with the messages whose entities differ."""
    counts: dict[str, Counter] = {}
    mistakes = []
    for row in rows:
        gold, found = entity_spans(row["gold_entities"]), entity_spans(row["entities"])
        for label in {e for *_, e in gold | found}:
            c = counts.setdefault(label, Counter())
            c["tp"] += len({s for s in gold & found if s[2] == label})
            c["fp"] += len({s for s in found - gold if s[2] == label})
            c["fn"] += len({s for s in gold - found if s[2] == label})
        if gold != found:
            mistakes.append(row)

    def prf(c: Counter) -> tuple[float, float, float, int]:
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0), c["tp"] + c["fn"]

    total = sum(counts.values(), Counter())
    p, r, f, n = prf(total)
    return {
        "precision": p,
        "recall": r,
        "f1": f,
        "support": n,
        "per_entity": {label: prf(c) for label, c in counts.items()},
        "mistakes": mistakes,
    }


def parse_heldout(model: Path, heldout: Path, out: Path) -> list[dict[str, Any]]:
    """Every held-out message parsed by the model, as the assistant parses it (scripts/parse_nlu.py)."""
    argv = [str(rasa_model.RASA_PYTHON), "scripts/parse_nlu.py", str(model), str(heldout), str(out)]
    done = subprocess.run(argv, cwd=ROOT, env=rasa_model.rasa_env(), capture_output=True, text=True)
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n", file=sys.stderr)
        raise SystemExit(done.returncode)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def describe(entities: list[dict[str, Any]], text: str) -> str:
    return " ".join(f"{text[e['start'] : e['end']]}/{e['entity']}" for e in entities) or "—"


def print_entity_score(score: dict[str, Any], show_mistakes: bool) -> None:
    ok = "✓" if score["f1"] >= TARGET_ENTITY_F1 else "✗"
    print(
        f"助手实体 P / R / F1 (整段)  {score['precision']:.3f} / {score['recall']:.3f} / "
        f"{score['f1']:.3f}  (目标 F1 ≥ {TARGET_ENTITY_F1}) {ok}"
    )
    for label, (p, r, f, n) in sorted(score["per_entity"].items()):
        print(f"  {label:<12} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  n={n}")
    if show_mistakes:
        print("实体不符的消息（标注 ⇢ 助手）:")
        for row in score["mistakes"]:
            gold, found = describe(row["gold_entities"], row["text"]), describe(row["entities"], row["text"])
            print(f"  {row['text']}: {gold} ⇢ {found}")


def print_summary(title: str, s: dict[str, Any]) -> None:
    ok = "✓" if s["intent_accuracy"] >= TARGET_INTENT_ACCURACY else "✗"
    print(f"\n== {title} ==")
    print(f"意图准确率 intent accuracy   {s['intent_accuracy']:.3f}  (目标 ≥ {TARGET_INTENT_ACCURACY}) {ok}")
    print(f"意图 macro-F1               {s['intent_macro_f1']:.3f}")
    print(f"样本数 messages              {s['support']}")
    if s.get("entity_f1") is not None:
        print(
            f"DIET 实体 P / R / F1 (逐词)  {s['entity_precision']:.3f} / {s['entity_recall']:.3f} / "
            f"{s['entity_f1']:.3f}"
        )
        for label, (p, r, f, n) in sorted(s["per_entity"].items()):
            print(f"  {label:<12} P {p:.3f}  R {r:.3f}  F1 {f:.3f}  n={n}")
    print("混淆 confusion pairs (真实 → 预测 × 次数):")
    for true, predicted, n in s["confusions"] or [("—", "—", 0)]:
        print(f"  {true} → {predicted} × {n}")


def run_rasa(args: list[str], verbose: bool = False) -> None:
    argv = [str(rasa_model.RASA_BIN), "test", "nlu", "--config", "config.yml", *args]
    if verbose:
        subprocess.run(argv, cwd=ROOT, env=rasa_model.rasa_env(), check=True)
        return
    done = subprocess.run(argv, cwd=ROOT, env=rasa_model.rasa_env(), capture_output=True, text=True)
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n", file=sys.stderr)
        raise SystemExit(done.returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot eval-nlu", description="NLU 评测（留出集 / 交叉验证）"
    )
    parser.add_argument(
        "--model", type=Path, help="Rasa 模型（默认：与当前训练数据对应的模型，或 models/ 中最新的）"
    )
    parser.add_argument("--heldout", type=Path, default=HELDOUT)
    parser.add_argument(
        "--cross-validation", action="store_true", help="另做 nlu_data/ 上的 5 折交叉验证（慢）"
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--verbose", action="store_true", help="显示 rasa 的输出")
    parser.add_argument("--show-mistakes", action="store_true", help="列出实体与标注不符的消息")
    args = parser.parse_args(argv)
    args.heldout = args.heldout.resolve()  # a relative --heldout is relative to the working directory

    leaked = leaked_examples(args.heldout)
    if leaked:
        print(f"留出集中有 {len(leaked)} 条也出现在训练数据里：{leaked[:10]}", file=sys.stderr)
        return 2
    model = args.model or latest_model()
    if model is None:
        print("没有模型：先运行 make train", file=sys.stderr)
        return 2
    out = RESULTS_DIR / "heldout"
    run_rasa(["--model", str(model), "--nlu", str(args.heldout), "--out", str(out)], args.verbose)
    heldout = summarize(out)
    print_summary(f"留出集 {shown_path(args.heldout)} · 模型 {Path(model).name}", heldout)
    entities = score_spans(parse_heldout(model, args.heldout, out / "parsed.jsonl"))
    print_entity_score(entities, args.show_mistakes)
    failed = heldout["intent_accuracy"] < TARGET_INTENT_ACCURACY or entities["f1"] < TARGET_ENTITY_F1

    if args.cross_validation:
        cv_out = RESULTS_DIR / "cross-validation"
        print(
            f"\n{args.folds} 折交叉验证：每折训练一次模型，5 折在 2 核机器上约 45 分钟"
            "（--verbose 显示 Rasa 的训练进度）……",
            flush=True,
        )
        run_rasa(
            ["--nlu", "nlu_data", "--cross-validation", "--folds", str(args.folds), "--out", str(cv_out)],
            args.verbose,
        )
        print_summary(f"{args.folds} 折交叉验证 nlu_data/（测试折）", summarize(cv_out))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
