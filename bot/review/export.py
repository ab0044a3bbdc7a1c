"""`python -m bot review export`: operators' decisions as training and evaluation data.

Writes three files (by default into var/review/export/; with --to-project where the project reads them):

- nlu_reviewed.yml            Rasa NLU YAML of relabelled messages, for nlu_data/nlu/
- nlu_reviewed_heldout.yml    the same format, a held-out set for `python -m bot eval-nlu --heldout`
- real_questions_reviewed.yml answers marked right or wrong, as cases in the format of
                              knowledge/eval/real_questions.yml (`python -m bot.answers.eval_real --questions`)

Only labelled turns are exported. The split is deterministic and by text: a message goes to the held-out
file when the SHA-256 of its comparison form (no spaces or punctuation) ends in a multiple of five
(about one in five), so the same words asked in two conversations always land on the same side and a
message is never in both files. A text of the real-question set or an NLU test set always goes to the
held-out side (it must never be trained on); a text that is already a training example is left out
(Rasa would reject it labelled twice, and a held-out copy would measure memorisation). Personal
numbers were masked when the turn was stored; their placeholders are written with 【】 so that Rasa's
[text](entity) markup never mistakes them for an entity.
"""

from __future__ import annotations

import argparse
import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.gazetteer import enclosing_places, resolve_place
from bot.nlu_eval import example_texts, shown_path
from bot.privacy import mask
from bot.review.labels import all_labels
from bot.settings import ROOT

HELDOUT_SHARE = 5  # one in five
DEFAULT_OUT = ROOT / "var" / "review" / "export"
PROJECT_FILES = {
    "nlu": ROOT / "nlu_data" / "nlu" / "reviewed.yml",
    "heldout": ROOT / "tests" / "nlu" / "reviewed_heldout.yml",
    "cases": ROOT / "knowledge" / "eval" / "real_questions_reviewed.yml",
}
OUT_NAMES = {
    "nlu": "nlu_reviewed.yml",
    "heldout": "nlu_reviewed_heldout.yml",
    "cases": "real_questions_reviewed.yml",
}
PLACEHOLDERS = {"[": "【", "]": "】"}


@dataclass
class Export:
    training: dict[str, list[str]] = field(default_factory=dict)  # intent -> annotated examples
    heldout: dict[str, list[str]] = field(default_factory=dict)
    cases: list[dict[str, Any]] = field(default_factory=list)
    already_trained: int = 0
    conflicting: int = 0  # texts labelled with different intents: the latest label is taken
    not_policy: int = 0  # marked answers that were not policy answers (no real-question case)


def comparison_form(text: str) -> str:
    """The text without whitespace and punctuation (as tests/test_real_questions.py compares)."""
    return "".join(c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P"))


def goes_to_heldout(text: str) -> bool:
    digest = hashlib.sha256(comparison_form(text).encode("utf-8")).digest()
    return int.from_bytes(digest[-4:], "big") % HELDOUT_SHARE == 0


def annotated(text: str, entities: list[dict[str, Any]]) -> str:
    """The example in Rasa's markup: [value](entity) for each span."""
    text = text.replace("\n", " ").translate(str.maketrans(PLACEHOLDERS))
    parts, position = [], 0
    for e in sorted(entities, key=lambda e: e["start"]):
        parts += [text[position : e["start"]], f"[{text[e['start'] : e['end']]}]({e['entity']})"]
        position = e["end"]
    parts.append(text[position:])
    return "".join(parts).strip()


def build(labels: list[dict[str, Any]], trained: set[str], reserved: set[str]) -> Export:
    """The export of these labels (oldest first). `trained`: comparison forms of the training
    examples; `reserved`: of texts that must stay out of training (evaluation sets)."""
    result = Export()
    latest: dict[str, dict[str, Any]] = {}
    intents: dict[str, set[str]] = defaultdict(set)
    for label in labels:
        key = comparison_form(label["text"])
        if label["intent"] and key and not label["text"].startswith("/"):
            latest[key] = label
            intents[key].add(label["intent"])
    result.conflicting = sum(1 for names in intents.values() if len(names) > 1)
    for key, label in sorted(latest.items(), key=lambda item: item[1]["labelled_at"]):
        if key in trained:
            result.already_trained += 1
            continue
        side = result.heldout if key in reserved or goes_to_heldout(label["text"]) else result.training
        side.setdefault(label["intent"], []).append(annotated(label["text"], label["entities"] or []))
    seen: set[str] = set()
    for label in labels:
        if not label["verdict"] or label["text"] in seen:
            continue
        if label["expect"] is None:
            result.not_policy += 1
            continue
        seen.add(label["text"])
        result.cases.append(real_question_case(label))
    return result


def real_question_case(label: dict[str, Any]) -> dict[str, Any]:
    place = resolve_place(label["place"]) if label["place"] else None
    province = (
        next((p.name for p in enclosing_places(place) if p.level == "province"), None) if place else None
    )
    verdict = "复核：回答正确" if label["verdict"] == "right" else "复核：回答有误"
    digest = hashlib.sha256(f"{label['sender_id']}#{label['turn']}".encode()).hexdigest()[:10]
    return {
        "id": f"rv-{digest}",
        "text": label["text"],
        "source": f"review:{mask(label['sender_id'])}#{label['turn']}",
        "place": place.name if place else None,
        "province": province,
        "topic": label["note"] or "对话复核",
        "aspect": "other",
        "intent": label["intent"] or "",
        "expect": label["expect"],
        "clauses": list(label["clauses"] or []),
        "note": f"{verdict}（{label['labelled_at']:%Y-%m-%d}）{label['note']}".strip(),
    }


def nlu_yaml(examples: dict[str, list[str]], header: str) -> str:
    lines = [
        'version: "3.1"',
        *(f"# {line}" for line in header.splitlines()),
        "nlu:" if examples else "nlu: []",
    ]
    for intent in sorted(examples):
        lines += [f"  - intent: {intent}", "    examples: |"]
        lines += [f"      - {example}" for example in examples[intent]]
    return "\n".join(lines) + "\n"


def cases_yaml(cases: list[dict[str, Any]]) -> str:
    header = (
        "# Real questions from reviewed conversations (python -m bot review export): an operator marked\n"
        "# the answer right or wrong. EVALUATION DATA ONLY, like real_questions.yml: never train on these.\n"
    )
    body = yaml.safe_dump(cases, allow_unicode=True, sort_keys=False, width=1000) if cases else "[]\n"
    return header + body


def training_texts(nlu_dir: Path, skip: Path) -> set[str]:
    return {
        comparison_form(text)
        for path in sorted(nlu_dir.rglob("*.yml"))
        if path.resolve() != skip.resolve()
        for text in example_texts(path)
    }


def reserved_texts(heldout_skip: Path) -> set[str]:
    """Texts of the evaluation sets: the real questions and the NLU test sets."""
    questions = yaml.safe_load(
        (ROOT / "knowledge" / "eval" / "real_questions.yml").read_text(encoding="utf-8")
    )
    texts = {comparison_form(q["text"]) for q in questions}
    for path in sorted((ROOT / "tests" / "nlu").glob("*.yml")):
        if path.resolve() != heldout_skip.resolve():
            texts |= {comparison_form(text) for text in example_texts(path)}
    return texts


def write(result: Export, paths: dict[str, Path]) -> None:
    for path in paths.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    paths["nlu"].write_text(
        nlu_yaml(
            result.training, "Relabelled real messages (python -m bot review export); rewritten on export."
        ),
        encoding="utf-8",
    )
    paths["heldout"].write_text(
        nlu_yaml(
            result.heldout, "Held-out real messages (python -m bot review export): never train on these."
        ),
        encoding="utf-8",
    )
    paths["cases"].write_text(cases_yaml(result.cases), encoding="utf-8")


def export(paths: dict[str, Path], database_url: str | None = None) -> Export:
    result = build(
        all_labels(database_url),
        trained=training_texts(ROOT / "nlu_data", skip=paths["nlu"]),
        reserved=reserved_texts(heldout_skip=paths["heldout"]),
    )
    write(result, paths)
    return result


def main(args: argparse.Namespace) -> int:
    out = Path(args.out) if args.out else DEFAULT_OUT
    paths = PROJECT_FILES if args.to_project else {key: out / name for key, name in OUT_NAMES.items()}
    result = export(paths, args.db)
    print(f"训练样例 {_count(result.training)} 条 → {shown_path(paths['nlu'])}")
    print(f"留出评测 {_count(result.heldout)} 条 → {shown_path(paths['heldout'])}")
    print(f"真实问题评测 {len(result.cases)} 条 → {shown_path(paths['cases'])}")
    if result.already_trained:
        print(f"已在训练数据里、未导出：{result.already_trained} 条")
    if result.conflicting:
        print(f"同一句话被标成不同意图：{result.conflicting} 条（按最后一次标注）")
    if result.not_policy:
        print(f"评判过但不是政策问答（补贴测算、课程等），不作真实问题评测：{result.not_policy} 条")
    if not args.to_project:
        print(
            "确认后放进项目：加 --to-project 重新导出（写入 nlu_data/nlu/reviewed.yml 等），再 make train。"
        )
    return 0


def _count(examples: dict[str, list[str]]) -> int:
    return sum(len(texts) for texts in examples.values())
