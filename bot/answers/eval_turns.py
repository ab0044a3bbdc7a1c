"""Turns to the answer for one-breath messages: `python -m bot.answers.eval_turns [--url URL] [--cases FILE]`.

Each case of knowledge/eval/one_breath.yml is the first message of a fresh conversation through
POST /api/chat. The asker then answers every question the assistant asks — a message that is one of the
texts of domain.yml's utter_ask_<field> responses, or a subsidy answer that still asks what the amount
depends on ("“焊工证”可能是以下几种之一……请说明是哪一种") — from the case's answers or the set's defaults,
until what the message looks for has come or the assistant asks nothing more, at most MAX_TURNS turns.
The amount has come with a subsidy answer when the calculator, given the conversation's slots, needs
nothing more for it (plain conditions stated beside the amount are not asked); the courses have come
with the first course cards.

Target: one turn when the message holds everything the rules need, two at most otherwise. The amount
must be for the certificate the case names and the cards for its course.

Without --url it starts the stack on free ports with throwaway data (and the model of the current
training data, or --model) and stops it afterwards.
"""

from __future__ import annotations

import argparse
import re
import sys
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from bot.answers.chat_client import post_chat
from bot.settings import ROOT
from bot.subsidy import ProfileError, estimate
from bot.subsidy.normalize import profile_from_slots

CASES = ROOT / "knowledge" / "eval" / "one_breath.yml"
MAX_TURNS = 6


def question_texts(domain_path: Path = ROOT / "domain.yml") -> dict[re.Pattern[str], str]:
    """Every text of every utter_ask_<field> response, as a pattern (its parameters match any words) →
    the field it asks for; a response named after a field and more (utter_ask_certificate_choice)
    asks for that field."""
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
    fields = sorted(domain.get("slots") or {}, key=len, reverse=True)
    questions = {}
    for name, variants in (domain.get("responses") or {}).items():
        asked = name.removeprefix("utter_ask_")
        field = next((f for f in fields if asked == f or asked.startswith(f + "_")), None)
        if not name.startswith("utter_ask_") or field is None:
            continue
        for variant in variants:
            if "text" in variant:
                pattern = re.sub(r"\\\{\w+\\\}", ".+", re.escape(variant["text"]))
                questions[re.compile(pattern)] = field
    return questions


@dataclass
class Outcome:
    case: dict[str, Any]
    turns: dict[str, int] = field(default_factory=dict)  # goal → the turn it came in
    certificate: str | None = None  # the conversation's certificate when the amount came
    trades: list[str] = field(default_factory=list)  # occupations of the first cards
    asked: list[str] = field(default_factory=list)  # the fields the assistant asked, in order

    def problems(self) -> list[str]:
        case, found = self.case, []
        target = 1 if case.get("complete") else 2
        for goal in case["wants"]:
            if goal not in self.turns:
                found.append(f"no {goal}")
            elif self.turns[goal] > target:
                found.append(f"{goal} in {self.turns[goal]} turns")
        if "amount" in self.turns and case.get("certificate") and self.certificate != case["certificate"]:
            found.append(f"amount for {self.certificate}")
        if self.trades and case.get("course") and set(self.trades) != {case["course"]}:
            found.append(f"cards for {'、'.join(dict.fromkeys(self.trades))}")
        return found


def open_questions(slots: dict[str, Any]) -> list[str]:
    """What the amount still depends on, by the calculator, given the conversation's slots."""
    try:
        return estimate(profile_from_slots(slots)).open_questions
    except ProfileError as error:
        return [error.field]


def _seen(outcome: Outcome, turn: int, body: dict[str, Any]) -> str | None:
    """Notes the goals this turn reached; returns the field a subsidy answer still asks for."""
    customs = [message.get("custom") or {} for message in body.get("messages") or []]
    slots = body.get("slots") or {}
    still_open = None
    if "amount" not in outcome.turns and any("subsidy" in custom for custom in customs):
        still_open = next(iter(open_questions(slots)), None)
        if still_open is None:
            outcome.turns["amount"] = turn
            outcome.certificate = slots.get("certificate")
    cards = [card for custom in customs for card in custom.get("courses") or []]
    if "courses" not in outcome.turns and cards:
        outcome.turns["courses"] = turn
        outcome.trades = [card["occupation"] for card in cards]
    return still_open


def converse(
    client: httpx.Client,
    case: dict[str, Any],
    defaults: dict[str, str],
    questions: dict[re.Pattern[str], str],
) -> Outcome:
    outcome = Outcome(case)
    answers = {**defaults, **(case.get("answers") or {})}
    sender, message = f"eval-turns-{uuid.uuid4().hex[:12]}", case["text"]
    for turn in range(1, MAX_TURNS + 1):
        body = post_chat(client, {"sender_id": sender, "message": message})
        still_open = _seen(outcome, turn, body)
        if all(goal in outcome.turns for goal in case["wants"]):
            break
        texts = [m.get("text") for m in reversed(body.get("messages") or [])]
        asked = next(
            (
                field
                for text in texts
                for pattern, field in questions.items()
                if pattern.fullmatch(text or "")
            ),
            still_open,
        )
        if asked is None or asked not in answers:
            break  # the assistant asks nothing (more): what was looked for does not come
        outcome.asked.append(asked)
        message = answers[asked]
    return outcome


def run(url: str, cases: dict[str, Any], questions: dict[re.Pattern[str], str]) -> list[Outcome]:
    with httpx.Client(base_url=url, timeout=60) as client:
        return [converse(client, case, cases["defaults"], questions) for case in cases["cases"]]


def _turns(outcome: Outcome, goal: str) -> str:
    if goal not in outcome.case["wants"]:
        return ""
    return str(outcome.turns[goal]) if goal in outcome.turns else "—"


def table(outcomes: list[Outcome]) -> str:
    """Markdown rows, one a case, for docs/TURNS.md."""
    rows = [
        "| id | message | to the amount | to the courses | asked | amount for | cards for | target met |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for o in outcomes:
        problems = o.problems()
        rows.append(
            f"| {o.case['id']} | {o.case['text']} | {_turns(o, 'amount')} | {_turns(o, 'courses')} | "
            f"{'、'.join(o.asked) or '—'} | {o.certificate or ''} | {'、'.join(dict.fromkeys(o.trades))} | "
            f"{'yes' if not problems else 'no: ' + '; '.join(problems)} |"
        )
    met = sum(not o.problems() for o in outcomes)
    rows.append(f"\n{met} of {len(outcomes)} cases meet the target.")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot.answers.eval_turns", description="一口气说完的问题要几轮"
    )
    parser.add_argument("--url", help="已在运行的网关地址（需关闭限流）；默认自己启动一套服务")
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument(
        "--model", type=Path, help="自己启动服务时用的 Rasa 模型（默认：与当前训练数据对应的模型）"
    )
    args = parser.parse_args(argv)
    cases = yaml.safe_load(args.cases.read_text(encoding="utf-8"))
    questions = question_texts()
    if args.url:
        print(table(run(args.url, cases, questions)))
        return 0
    from bot.bench.chat import started_stack

    with started_stack(args.model) as (url, _):
        print(table(run(url, cases, questions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
