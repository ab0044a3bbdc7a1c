"""An operator's decisions on a turn: the user message relabelled (intent, entities) and the answer
marked right or wrong. One row per turn in `review_labels` (project database); a later decision on the
same turn replaces the earlier one, each part on its own (relabelling keeps the verdict and back).

The label keeps its own copy of the masked text and of what the answer cited, so that exports still
work after the conversation is purged from the tracker store. Only labelled turns are ever exported
(bot/review/export.py): nothing reaches the training data without an operator's decision."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy import Engine

from bot.review.turns import review_engine, review_turns
from bot.settings import ROOT, get_settings
from retrieval.corpus import load_corpus

VERDICTS = ("right", "wrong")
# What a wrong answer should have done: the `expect` values of knowledge/eval/real_questions.yml.
EXPECTS = ("answer", "partial", "ask_place", "not_covered", "neighbour")
MAX_NOTE = 500

metadata = sa.MetaData()

review_labels = sa.Table(
    "review_labels",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("turn", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # masked, as labelled
    sa.Column("intent", sa.String(64)),  # null: not relabelled
    sa.Column("entities", sa.JSON),  # [{"entity", "start", "end", "value"}] on `text`
    sa.Column("verdict", sa.String(8)),  # right | wrong | null: answer not marked
    sa.Column("expect", sa.String(16)),
    sa.Column("clauses", sa.JSON),  # passage ids the right answer cites
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("place", sa.String(64), nullable=False, default=""),
    sa.Column("labelled_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("sender_id", "turn", name="uq_review_labels_sender_turn"),
)


class LabelError(ValueError):
    """A decision that cannot be stored; `message` is the Chinese explanation for the operator."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@lru_cache
def domain_vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The domain's intents and entities (read-only)."""
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return tuple(domain["intents"]), tuple(domain["entities"])


@lru_cache
def labels_engine(database_url: str | None = None) -> Engine:
    engine = review_engine(database_url)
    metadata.create_all(engine, checkfirst=True)
    return engine


def relabel(
    sender_id: str,
    turn: int,
    intent: str,
    entities: list[dict[str, Any]],
    database_url: str | None = None,
) -> dict[str, Any]:
    """Stores the message's intent and entities; entities are {"entity", "start", "end"} spans of the
    masked text as the console shows it (the value is the span's text)."""
    intents, entity_names = domain_vocabulary()
    if intent not in intents:
        raise LabelError("unknown_intent", f"意图“{intent}”不在 domain.yml 的意图列表里。")
    engine = labels_engine(database_url)
    row = _turn(engine, sender_id, turn)
    text = row["text"]
    if text.startswith("/"):
        raise LabelError("payload", "这条是按钮发出的指令，不是用户打的字，不用重新标注。")
    spans = []
    for e in sorted(entities, key=lambda e: e.get("start", 0)):
        name, start, end = e.get("entity"), e.get("start"), e.get("end")
        if name not in entity_names:
            raise LabelError("unknown_entity", f"实体类型“{name}”不在 domain.yml 的实体列表里。")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise LabelError("bad_span", f"实体“{name}”的位置 {start}–{end} 超出了这句话的范围。")
        if spans and start < spans[-1]["end"]:
            raise LabelError("overlap", "两个实体的范围重叠了，请分开标注。")
        spans.append({"entity": name, "start": start, "end": end, "value": text[start:end]})
    return _store(engine, row, {"intent": intent, "entities": spans})


def mark_answer(
    sender_id: str,
    turn: int,
    verdict: str,
    *,
    expect: str | None = None,
    clauses: list[str] | None = None,
    note: str = "",
    database_url: str | None = None,
) -> dict[str, Any]:
    """Marks the turn's answer right or wrong. Right: what the answer did is what is expected (its
    answer kind, the clauses it cited). Wrong: `expect` says what it should have done, and `clauses`
    which passages answer (required when it should have answered)."""
    if verdict not in VERDICTS:
        raise LabelError("bad_verdict", "请选择“答对了”或“答错了”。")
    if len(note) > MAX_NOTE:
        raise LabelError("note_too_long", f"备注最多 {MAX_NOTE} 个字。")
    engine = labels_engine(database_url)
    row = _turn(engine, sender_id, turn)
    if not row["responses"]:
        raise LabelError("no_answer", "这一轮助手没有回复，没有可评判的回答。")
    cited = [c.get("passage_id") or f"{c.get('doc_id')}:{c.get('section')}" for c in row["citations"]]
    if verdict == "right":
        expect = row["answer_kind"] if row["answer_kind"] in EXPECTS else None
        clauses = cited
    else:
        if expect not in EXPECTS:
            raise LabelError(
                "bad_expect", "答错时请选择应当怎样回答（回答、部分回答、问地点、没有规定、不是培训补贴）。"
            )
        clauses = [c.strip() for c in clauses or [] if c.strip()]
        unknown = sorted(set(clauses) - _passage_ids())
        if unknown:
            raise LabelError("unknown_clause", f"找不到这些条款编号：{'、'.join(unknown)}。")
        if expect in ("answer", "partial") and not clauses:
            raise LabelError("clauses_needed", "应当回答时，请填写能回答它的条款编号。")
        if expect in ("not_covered", "neighbour"):
            clauses = []
    values = {"verdict": verdict, "expect": expect, "clauses": clauses, "note": note.strip()}
    return _store(engine, row, values)


def labels_for(sender_id: str, database_url: str | None = None) -> dict[int, dict[str, Any]]:
    """The sender's labels by turn."""
    engine = labels_engine(database_url)
    query = sa.select(review_labels).where(review_labels.c.sender_id == sender_id)
    with engine.connect() as connection:
        return {row.turn: dict(row._mapping) for row in connection.execute(query)}


def all_labels(database_url: str | None = None) -> list[dict[str, Any]]:
    engine = labels_engine(database_url)
    query = sa.select(review_labels).order_by(review_labels.c.id)
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def _turn(engine: Engine, sender_id: str, turn: int) -> dict[str, Any]:
    t = review_turns.c
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(review_turns).where(t.sender_id == sender_id, t.turn == turn)
        ).first()
    if row is None:
        raise LabelError("no_turn", "找不到这一轮对话，可能已按保存期限删除。")
    return dict(row._mapping)


def _store(engine: Engine, row: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    key = {"sender_id": row["sender_id"], "turn": row["turn"]}
    values = {**values, "text": row["text"], "place": row["place"], "labelled_at": _now()}
    c = review_labels.c
    with engine.begin() as connection:
        where = sa.and_(c.sender_id == key["sender_id"], c.turn == key["turn"])
        if connection.execute(sa.update(review_labels).where(where).values(**values)).rowcount == 0:
            try:
                with connection.begin_nested():
                    connection.execute(sa.insert(review_labels).values(**key, **values))
            except sa.exc.IntegrityError:  # labelled at the same moment elsewhere: this one wins
                connection.execute(sa.update(review_labels).where(where).values(**values))
        return dict(connection.execute(sa.select(review_labels).where(where)).one()._mapping)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _passage_ids() -> frozenset[str]:
    """Read each time: the knowledge base changes while the gateway runs."""
    return frozenset(p.passage_id for p in load_corpus(get_settings().knowledge_dir).passages)
