"""Users' verdicts on the assistant's answers: one row per (conversation, turn) in `review_feedback`,
in the project database (the engine of the `entries` and review tables). A second verdict on the same
answer replaces the first: a user who taps 没帮助 and then adds a reason gives one verdict, not two.

The turn is the review table's turn number (bot/review/turns.py): the 1-based position of the user
message among the sender's user events in the tracker store. Feedback is accepted only on a turn the
assistant answered; without a turn it is on the conversation's latest message, once answered. The
tracker store is read directly, so feedback works before the review table's next sync. The reason is
stored with personal numbers masked, as the logs and the review table are."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite

from bot.courses.store import get_engine
from bot.privacy import mask
from bot.review.tracker_events import events
from bot.review.turns import tracker_engine

MAX_REASON = 200

metadata = sa.MetaData()

review_feedback = sa.Table(
    "review_feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False),  # Rasa's sender id (its column's size)
    sa.Column("turn", sa.Integer, nullable=False),
    sa.Column("helpful", sa.Boolean, nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("channel", sa.String(64), nullable=False, default=""),
    sa.Column("at", sa.DateTime, nullable=False),  # naive UTC, as review_turns.at
    sa.UniqueConstraint("sender_id", "turn", name="uq_review_feedback_sender_turn"),
    sa.Index("ix_review_feedback_at", "at"),
)

# Refusals: (HTTP status, message). {turn}: the turn asked for.
REFUSALS = {
    "unknown_conversation": (404, "没有找到这个会话，无法记录评价。"),
    "no_answer": (409, "助手还没有回答这个会话里的问题，暂时无法评价。"),
    "unknown_turn": (404, "这个会话里没有第 {turn} 轮对话。"),
    "turn_not_answered": (409, "助手没有回答第 {turn} 轮的消息，无法评价。"),
}


class FeedbackRefused(Exception):
    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.status, template = REFUSALS[key]
        self.message = template.format(**params)


@dataclass(frozen=True)
class Verdict:
    sender_id: str
    turn: int
    helpful: bool
    reason: str | None
    channel: str
    at: datetime  # naive UTC


@lru_cache
def feedback_engine(database_url: str) -> Engine:
    engine = get_engine(database_url)
    metadata.create_all(engine, checkfirst=True)
    return engine


def answered_turn(tracker_url: str, sender_id: str, turn: int | None = None) -> tuple[int, str]:
    """The turn feedback refers to and the channel its message came through: `turn`, or the latest
    one; refused unless the assistant replied to that message (a bot event before the next message)."""
    query = (
        sa.select(events.c.id, events.c.type_name)
        .where(events.c.sender_id == sender_id, events.c.type_name.in_(("user", "bot")))
        .order_by(events.c.id)
    )
    with tracker_engine(tracker_url).connect() as connection:
        if not sa.inspect(connection).has_table("events"):
            raise FeedbackRefused("unknown_conversation")
        kinds = connection.execute(query).all()
        users = [n for n, row in enumerate(kinds) if row.type_name == "user"]
        if not users:
            raise FeedbackRefused("unknown_conversation")
        if turn is not None and not 1 <= turn <= len(users):
            raise FeedbackRefused("unknown_turn", turn=turn)
        number = turn or len(users)
        start = users[number - 1]
        end = users[number] if number < len(users) else len(kinds)
        if not any(row.type_name == "bot" for row in kinds[start + 1 : end]):
            raise FeedbackRefused("turn_not_answered" if turn else "no_answer", turn=number)
        data = connection.scalar(sa.select(events.c.data).where(events.c.id == kinds[start].id))
    return number, _channel(data)


def _channel(data: str | None) -> str:
    event = json.loads(data) if data else {}
    channel = (event.get("metadata") or {}).get("channel")
    return mask(channel)[:64] if isinstance(channel, str) else ""


def give_feedback(
    database_url: str,
    tracker_url: str,
    sender_id: str,
    helpful: bool,
    reason: str | None = None,
    turn: int | None = None,
) -> Verdict:
    """Records the verdict on the turn (see answered_turn), replacing an earlier one on it."""
    number, channel = answered_turn(tracker_url, sender_id, turn)
    reason = mask(reason.strip())[:MAX_REASON] if reason and reason.strip() else None
    verdict = Verdict(sender_id, number, helpful, reason, channel, datetime.now(UTC).replace(tzinfo=None))
    _store(feedback_engine(database_url), verdict)
    return verdict


def _store(engine: Engine, verdict: Verdict) -> None:
    values = {
        "sender_id": verdict.sender_id,
        "turn": verdict.turn,
        "helpful": verdict.helpful,
        "reason": verdict.reason,
        "channel": verdict.channel,
        "at": verdict.at,
    }
    # SQLite and PostgreSQL, the two stores the project runs on, both have INSERT … ON CONFLICT
    dialect = postgresql if engine.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(review_feedback).values(**values)
    replaced = {key: insert.excluded[key] for key in ("helpful", "reason", "channel", "at")}
    with engine.begin() as connection:
        connection.execute(insert.on_conflict_do_update(index_elements=["sender_id", "turn"], set_=replaced))
