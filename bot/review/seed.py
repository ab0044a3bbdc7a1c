"""Synthetic conversations written as Rasa tracker events, for benchmarks and tests of the review:
`python -m bot review seed --conversations 100000 --db sqlite:///var/bench/trackers.db`.

The events have the shape Rasa 3.6 writes for this assistant (session start, user messages with
parse_data and intent ranking, form and slot events, bot messages with the domain's response names,
texts and custom payloads, action_listen), modelled on the events of real test runs; bot texts are the
domain's responses and cited clauses are real passages of knowledge/policies. Nothing is committed:
the store is generated on demand, deterministically for a seed.
"""

from __future__ import annotations

import json
import random
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.assist.responses import load_responses
from bot.review.tracker_events import events, metadata
from bot.settings import get_settings
from retrieval.corpus import load_corpus

MAX_CONVERSATIONS = 1_000_000
CHUNK_CONVERSATIONS = 1_000
MODEL = {"model_id": "5eedc0ffee5eedc0ffee5eedc0ffee00", "assistant_id": "skills-training-assistant"}
INTENTS = [
    "ask_subsidy",
    "find_course",
    "ask_policy",
    "ask_compliance",
    "inform",
    "human_handoff",
    "greet",
    "goodbye",
    "thank",
    "affirm",
    "deny",
    "bot_challenge",
    "out_of_scope",
]
CHANNELS = [("h5", 5), ("miniprogram", 4), ("api", 1)]
ENTRIES = [  # (campaign, region) of poster links; most visitors come without one
    ("", ""),
    ("", ""),
    ("", ""),
    ("2027春季招生", "彭阳县"),
    ("2027春季招生", "长沙市"),
    ("技能照亮前程", "贵阳市"),
    ("一人一技", "广州市"),
]
PLACES = ["彭阳县", "长沙市", "贵阳市", "广州市", "天津市", "娄底市", "合肥市"]
POLICY_QUESTIONS = [
    ("ask_policy", "什么是以工代训"),
    ("ask_policy", "贵州人在外省考的证回来能补吗"),
    ("ask_policy", "技能提升补贴怎么申请"),
    ("ask_policy", "补贴一年能领几次"),
    ("ask_policy", "电工证补贴去哪个部门领"),
    ("ask_policy", "培训补贴什么时候发"),
    ("ask_compliance", "什么算虚假培训"),
    ("ask_compliance", "培训机构弄虚作假骗补贴会怎样"),
    ("ask_compliance", "学校暑假场地能不能给社会培训用"),
]
DECLINED_QUESTIONS = [
    ("ask_policy", "补贴能不能先发一半", "not_covered", "utter_policy_not_covered"),
    ("ask_policy", "乌鲁木齐考电工证有补贴吗", "place_not_covered", "utter_policy_place_not_covered"),
    ("out_of_scope", "失业金一个月能领多少钱", "neighbour", "utter_neighbour_benefit"),
    ("out_of_scope", "住院了医保能报多少", "out_of_scope", "utter_out_of_scope"),
    ("out_of_scope", "今天天气怎么样", "out_of_scope", "utter_out_of_scope"),
]
UNCLEAR = ["asdkjh qwe", "那个东西咋弄", "嗯嗯那个", "zxcv bnm", "我想问问那个事"]
CERTIFICATES = ["叉车证", "电工证", "育婴员", "焊工证", "中式烹调师"]
OCCUPATIONS = ["电焊", "叉车", "育婴员", "厨师", "家政服务员"]
PERSON_TYPES = ["农民工", "应届毕业生", "退役军人", "企业职工"]
# Parameters of the responses where the scenario does not give them.
SAMPLE_PARAMS = {
    "place": "乌鲁木齐市",
    "covered": "天津市、湖南省、广东省、贵州省、宁夏彭阳县",
    "topic": "补贴发放",
    "benefit": "失业保险金",
    "kind": "失业保险待遇",
    "office": "当地社会保险（失业保险）经办机构",
    "count": 1,
    "explanation": "按当地规定，取得证书后可申请职业技能培训补贴。",
}
PHONE_NOTE = "我电话13912345678，"  # some messages carry a personal number (the review masks it)
PHONE_SHARE = 0.01


@dataclass
class Writer:
    """The events of one conversation, each at a later timestamp than the one before."""

    sender: str
    clock: float
    meta: dict[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, event: dict[str, Any], gap: float = 0.002) -> None:
        self.clock += gap
        event = {"timestamp": self.clock, "metadata": dict(MODEL), **event}
        self.rows.append(
            {
                "sender_id": self.sender,
                "type_name": event["event"],
                "timestamp": self.clock,
                "intent_name": (event.get("parse_data") or {}).get("intent", {}).get("name"),
                "action_name": event.get("name"),
                "data": json.dumps(event, ensure_ascii=False),
            }
        )

    def action(self, name: str, policy: str | None = "RulePolicy") -> None:
        self.add(
            {
                "event": "action",
                "name": name,
                "policy": policy,
                "confidence": 1.0,
                "action_text": None,
                "hide_rule_turn": False,
            }
        )

    def slot(self, name: str, value: Any) -> None:
        self.add({"event": "slot", "name": name, "value": value})


class Generator:
    def __init__(self, rng: random.Random, phone_share: float = PHONE_SHARE):
        self.rng = rng
        self.phone_share = phone_share
        self.responses = load_responses()
        corpus = load_corpus(get_settings().knowledge_dir)
        self.passages = [p for p in corpus.passages if p.kind == "clause"]
        self.documents = corpus.documents

    def conversation(self, sender: str, start: float) -> list[dict[str, Any]]:
        rng = self.rng
        campaign, region = rng.choice(ENTRIES)
        channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
        entry = {k: v for k, v in (("channel", channel), ("region", region), ("campaign", campaign)) if v}
        w = Writer(sender, start, entry)
        self.session_start(w)
        if rng.random() < 0.35:
            self.greet(w)
        for _ in range(rng.choices([1, 2, 3], [6, 3, 1])[0]):
            rng.choices(
                [
                    self.policy,
                    self.declined,
                    self.subsidy,
                    self.courses,
                    self.unclear,
                    self.handoff,
                    self.chat,
                    self.unanswered,
                ],
                [30, 14, 18, 14, 10, 4, 10, 1],
            )[0](w)
        if rng.random() < 0.3:
            text, intent = rng.choice([("谢谢", "thank"), ("好的谢谢", "thank"), ("再见", "goodbye")])
            self.user(w, text, intent)
            self.reply(w, f"utter_{intent}")
            self.listen(w)
        return w.rows

    # -------------------------------------------------------------------------------------- pieces

    def session_start(self, w: Writer) -> None:
        entry = w.meta
        w.slot("session_started_metadata", entry)
        w.action("action_session_start", policy=None)
        w.add({"event": "session_started"})
        w.slot("hotline", "12333")
        w.slot("source_channel", entry["channel"])
        for name, value in (("region", entry.get("region")), ("campaign", entry.get("campaign"))):
            if value:
                w.slot(name, value)
        w.action("action_listen", policy=None)

    def user(
        self,
        w: Writer,
        text: str,
        intent: str,
        entities: list[dict[str, Any]] | None = None,
        low: bool = False,
    ) -> None:
        rng = self.rng
        entities = entities or []
        if not text.startswith("/") and rng.random() < self.phone_share:
            text = PHONE_NOTE + text
            shift = len(PHONE_NOTE)
            entities = [{**e, "start": e["start"] + shift, "end": e["end"] + shift} for e in entities]
        confidence = rng.uniform(0.35, 0.62) if low else 1 - rng.betavariate(1, 14)
        others = rng.sample([i for i in INTENTS if i != intent], 9)
        rest = sorted((rng.random() * (1 - confidence) for _ in others), reverse=True)
        ranking = [{"name": intent, "confidence": confidence}] + [
            {"name": n, "confidence": c / 9} for n, c in zip(others, rest, strict=True)
        ]
        name = "nlu_fallback" if low else intent
        message_id = uuid.UUID(int=rng.getrandbits(128)).hex
        meta = (
            dict(w.meta) if w.meta.get("campaign") or rng.random() < 0.5 else {"channel": w.meta["channel"]}
        )
        parse = {
            "intent": {"name": name, "confidence": 1.0 if text.startswith("/") else confidence},
            "entities": entities,
            "text": text,
            "message_id": message_id,
            "metadata": meta,
            "text_tokens": [[i, i + 2] for i in range(0, len(text) - 1, 2)],
            "intent_ranking": ranking,
        }
        gap = rng.uniform(4, 90)
        w.add(
            {
                "event": "user",
                "metadata": {**meta, **MODEL},
                "text": text,
                "parse_data": parse,
                "input_channel": "gateway",
                "message_id": message_id,
            },
            gap,
        )
        for e in entities:
            w.slot(e["entity"], e["value"])
        w.add({"event": "user_featurization", "use_text_for_featurization": False}, rng.uniform(0.01, 0.4))

    def reply(
        self,
        w: Writer,
        response: str,
        custom: dict[str, Any] | None = None,
        act: bool = True,
        **params: Any,
    ) -> None:
        """The response's text with its parameters (sample values for those not given), as sent."""
        if act and response.startswith("utter_"):
            w.action(response)
        values = defaultdict(str, {**SAMPLE_PARAMS, "region": w.meta.get("region", ""), **params})
        text = self.responses.get(response, "").format_map(values)
        data = {"elements": None, "quick_replies": None, "buttons": None, "attachment": None, "image": None}
        w.add(
            {
                "event": "bot",
                "metadata": {"utter_action": response, "template": response, **MODEL},
                "text": text,
                "data": {**data, "custom": custom},
            }
        )

    def listen(self, w: Writer) -> None:
        w.action("action_listen")

    def greet(self, w: Writer) -> None:
        self.user(w, self.rng.choice(["你好", "您好", "在吗"]), "greet")
        w.action("action_greet")
        self.reply(w, "utter_greet_region" if w.meta.get("region") else "utter_greet", act=False)
        self.listen(w)

    def policy(self, w: Writer) -> None:
        intent, text = self.rng.choice(POLICY_QUESTIONS)
        passage = self.rng.choice(self.passages)
        citation = {
            "doc_id": passage.doc_id,
            "passage_id": passage.passage_id,
            "title": self.documents[passage.doc_id].title,
            "section": passage.section,
            "text": passage.text,
            "score": round(self.rng.uniform(0.02, 0.05), 6),
        }
        self.user(w, text, intent)
        w.action("action_answer_policy")
        document = self.documents[passage.doc_id]
        quoted = {"quote": passage.text, "summary": passage.text[:60], "section": passage.section}
        quoted |= {"title": document.title, "doc_number": document.doc_number, "scope": document.region}
        custom = {"citations": [citation], "answer": "answer"}
        self.reply(w, "utter_policy_answer", custom, act=False, year=str(document.date)[:4], **quoted)
        w.slot("topic", "policy")
        self.listen(w)

    def declined(self, w: Writer) -> None:
        intent, text, kind, response = self.rng.choice(DECLINED_QUESTIONS)
        self.user(w, text, intent)
        w.action("action_answer_out_of_scope" if intent == "out_of_scope" else "action_answer_policy")
        self.reply(w, response, {"citations": [], "answer": kind}, act=False)
        self.listen(w)

    def subsidy(self, w: Writer) -> None:
        rng = self.rng
        certificate = rng.choice(CERTIFICATES)
        entity = {"entity": "certificate", "start": 0, "end": len(certificate), "value": certificate}
        self.user(w, f"{certificate}能补多少钱", "ask_subsidy", [entity])
        w.action("subsidy_form")
        w.add({"event": "active_loop", "name": "subsidy_form"})
        asked = [("region", rng.choice(PLACES)), ("person_type", rng.choice(PERSON_TYPES))]
        for slot, value in asked:  # the form asks one question at a time
            w.slot("requested_slot", slot)
            self.reply(w, f"utter_ask_{slot}", act=False)
            self.listen(w)
            if rng.random() < 0.15:
                return  # the user left
            self.user(w, value, "inform", [{"entity": slot, "start": 0, "end": len(value), "value": value}])
            w.action("subsidy_form")
        w.add({"event": "active_loop", "name": None})
        w.action("action_estimate_subsidy")
        passage = rng.choice(self.passages)
        citation = {"doc_id": passage.doc_id, "title": self.documents[passage.doc_id].title}
        citation |= {"section": passage.section, "text": passage.text, "score": 1.0}
        amount = rng.choice([800, 1000, 1400, 1500, 2000])
        subsidy = {
            "eligible": True,
            "total_yuan": amount,
            "items": [],
            "missing": [],
            "citations": [citation],
        }
        self.reply(w, "utter_subsidy_estimate", {"citations": [citation], "subsidy": subsidy}, act=False)
        w.slot("topic", "subsidy")
        self.listen(w)

    def courses(self, w: Writer) -> None:
        rng = self.rng
        occupation = rng.choice(OCCUPATIONS)
        before, after = rng.choice([("附近有", "培训班吗"), ("哪里可以学", ""), ("想报个", "班")])
        start = len(before)
        entity = {"entity": "occupation", "start": start, "end": start + len(occupation), "value": occupation}
        self.user(w, before + occupation + after, "find_course", [entity])
        w.action("course_form")
        w.add({"event": "active_loop", "name": "course_form"})
        w.add({"event": "active_loop", "name": None})
        w.action("action_find_courses")
        found = rng.random() < 0.8
        course = {
            "institution": "（示例）职业技能培训中心",
            "course": f"{occupation}初级培训班",
            "distance_km": 3.2,
        }
        place = w.meta.get("region") or rng.choice(PLACES)
        if found:
            self.reply(w, "utter_courses_found", {"courses": [course]}, act=False, place=place)
        else:
            self.reply(w, "utter_courses_none", act=False, place=place)
        self.listen(w)

    def unclear(self, w: Writer) -> None:
        rng = self.rng
        self.user(w, rng.choice(UNCLEAR), rng.choice(["ask_policy", "inform", "ask_subsidy"]), low=True)
        w.action("action_clarify_intent")
        self.reply(w, "utter_clarify", act=False)
        self.listen(w)
        if rng.random() < 0.5:
            self.user(w, "/nlu_fallback", "nlu_fallback")
            w.action("action_clarify_intent")  # which hands over right after its own clarification
            self.reply(w, "utter_fallback_handoff", {"handoff": True}, act=False)
            self.listen(w)

    def unanswered(self, w: Writer) -> None:
        """A question whose action failed (the action server was restarting): no reply was stored."""
        intent, text = self.rng.choice(POLICY_QUESTIONS)
        self.user(w, text, intent)
        w.action("action_answer_policy")

    def handoff(self, w: Writer) -> None:
        self.user(w, self.rng.choice(["我要转人工", "人工客服", "找真人"]), "human_handoff")
        self.reply(w, "utter_handoff", {"handoff": True})
        self.listen(w)

    def chat(self, w: Writer) -> None:
        self.user(w, self.rng.choice(["你是机器人吗", "你是真人吗"]), "bot_challenge")
        self.reply(w, "utter_iamabot")
        self.listen(w)


def seed(
    url: str,
    conversations: int,
    *,
    days: int = 90,
    rng_seed: int = 19,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Appends `conversations` synthetic conversations, started over the last `days` days, to the
    tracker store at `url` (creating Rasa's table if needed); returns the number of events written.
    Conversations of a chunk are interleaved by time, as several users at once would write them."""
    if not 0 < conversations <= MAX_CONVERSATIONS:
        raise ValueError(f"conversations must be 1 … {MAX_CONVERSATIONS}")
    engine = sa.create_engine(url)
    rng = random.Random(rng_seed)
    generator = Generator(rng)
    end = datetime.now(UTC).timestamp()
    starts = sorted(end - rng.random() * timedelta(days=days).total_seconds() for _ in range(conversations))
    written = 0
    for done, chunk in _chunks(starts):
        rows = [
            row
            for start in chunk
            for row in generator.conversation(f"seed-{uuid.UUID(int=rng.getrandbits(128)).hex[:20]}", start)
        ]
        rows.sort(key=lambda row: row["timestamp"])
        store_rows(engine, rows)
        written += len(rows)
        if progress:
            progress(done, conversations)
    engine.dispose()
    return written


def store_rows(engine: sa.Engine, rows: list[dict[str, Any]]) -> None:
    """Appends event rows (Writer.rows) to the tracker store, creating Rasa's table if needed."""
    metadata.create_all(engine, checkfirst=True)
    with engine.begin() as connection:
        connection.execute(sa.insert(events), rows)


def _chunks(starts: list[float]) -> Iterator[tuple[int, list[float]]]:
    for first in range(0, len(starts), CHUNK_CONVERSATIONS):
        chunk = starts[first : first + CHUNK_CONVERSATIONS]
        yield first + len(chunk), chunk
