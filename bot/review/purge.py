"""Retention: conversations whose last message is older than a number of days (the setting
review_retention_days) leave the tracker store, `python -m bot review purge`, run daily by cron or a
systemd timer (README).

A conversation is a sender id — Rasa's conversation id — with everything it said, and it goes whole:
turn numbers count a sender's user messages from the first, so removing part of a conversation would
shift them under the review table, feedback and labels. A conversation in use is therefore kept whole
until it has been quiet for the whole period.

Deleting removes, for each such conversation, its Rasa events, its review-table turns and row, its
feedback and its poster entry. Anonymising keeps the numbers instead: the review-table turns,
conversation row, feedback and entry move to a random pseudonym ("anon-…", never derivable from the
sender id) and lose every text the user wrote or that was said about them (message, bot reply,
entities, slots, feedback reason); the Rasa events — the raw record — are deleted. The review table is
brought up to date first, so that no turn is lost before it is counted. Both ways, operators' labels
are kept (they are the operator's decision to keep that masked message as training or evaluation
data) and only lose the sender id. Nothing else is touched; `--dry-run` shows what would go."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import Engine

from bot.gateway.channels.entry_store import Entry
from bot.privacy import mask
from bot.review.feedback import feedback_engine, review_feedback
from bot.review.labels import labels_engine, review_labels
from bot.review.stats import BEIJING
from bot.review.tracker_events import events
from bot.review.turns import review_conversations, review_turns, sync, tracker_engine

PSEUDONYM_PREFIX = "anon-"
CHUNK_SENDERS = 500  # conversations per transaction: Rasa's writes wait for each one only briefly
entries = Entry.__table__


@dataclass
class PurgePlan:
    anonymise: bool
    cutoff: datetime  # naive UTC: conversations whose last event is before it
    senders: list[str]
    events: int
    first_last_at: datetime | None  # the range of those conversations' last messages (naive UTC)
    last_last_at: datetime | None
    turns: int = 0
    conversations: int = 0  # rows of review_conversations
    feedback: int = 0
    entries: int = 0
    labels: int = 0


def plan_purge(
    days: int, tracker_url: str, database_url: str, *, anonymise: bool = False, now: datetime | None = None
) -> PurgePlan:
    """The conversations older than `days` and how many rows of each table they have. To anonymise,
    the review table is brought up to date first: every turn is counted before its events go."""
    if anonymise:
        sync(tracker_url, database_url)
    now = now or datetime.now(UTC).replace(tzinfo=None)
    cutoff = now - timedelta(days=days)
    epoch = cutoff.replace(tzinfo=UTC).timestamp()
    last = sa.func.max(events.c.timestamp)
    query = (
        sa.select(events.c.sender_id, last, sa.func.count()).group_by(events.c.sender_id).having(last < epoch)
    )
    with tracker_engine(tracker_url).connect() as connection:
        if not sa.inspect(connection).has_table("events"):
            return PurgePlan(anonymise, cutoff, [], 0, None, None)
        old = connection.execute(query).all()
    lasts = [row[1] for row in old]
    plan = PurgePlan(
        anonymise=anonymise,
        cutoff=cutoff,
        senders=[row[0] for row in old],
        events=sum(row[2] for row in old),
        first_last_at=_utc(min(lasts)) if lasts else None,
        last_last_at=_utc(max(lasts)) if lasts else None,
    )
    engine = _project(database_url)
    counted = (
        ("turns", review_turns),
        ("conversations", review_conversations),
        ("feedback", review_feedback),
        ("labels", review_labels),
        ("entries", entries),
    )
    with engine.connect() as connection:
        for chunk in _chunks(plan.senders):
            for name, table in counted:
                keys = _entry_keys(chunk) if table is entries else chunk
                found = sa.select(sa.func.count()).where(table.c.sender_id.in_(keys))
                setattr(plan, name, getattr(plan, name) + (connection.scalar(found) or 0))
    return plan


def purge(
    plan: PurgePlan,
    tracker_url: str,
    database_url: str,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Deletes (or anonymises) the planned conversations, a chunk at a time: the project database's
    rows first, then the Rasa events, so that an interruption leaves nothing behind that a later run
    would not find again."""
    engine, tracker = _project(database_url), tracker_engine(tracker_url)
    done = 0
    for planned in _chunks(plan.senders):
        chunk = _still_old(tracker, planned, plan.cutoff)  # not those who came back since the plan
        with engine.begin() as connection:
            if plan.anonymise:
                _anonymise(connection, chunk)
            else:
                _delete(connection, chunk)
        with tracker.begin() as connection:
            connection.execute(sa.delete(events).where(events.c.sender_id.in_(chunk)))
        done += len(planned)
        if progress:
            progress(done, len(plan.senders))


def _delete(connection: sa.Connection, senders: Sequence[str]) -> None:
    for table in (review_turns, review_conversations, review_feedback):
        connection.execute(sa.delete(table).where(table.c.sender_id.in_(senders)))
    connection.execute(sa.delete(entries).where(entries.c.sender_id.in_(_entry_keys(senders))))
    for sender in senders:
        _rename(connection, review_labels, sender, _pseudonym())


def _anonymise(connection: sa.Connection, senders: Sequence[str]) -> None:
    for sender in senders:
        pseudonym = _pseudonym()
        _rename(connection, review_turns, sender, pseudonym, text="", bot_text="", entities=[], slots={})
        _rename(connection, review_conversations, sender, pseudonym, slots={})
        _rename(connection, review_feedback, sender, pseudonym, reason=None)
        if sender in _entry_keys([sender]):
            _rename(connection, entries, sender, pseudonym)
        _rename(connection, review_labels, sender, pseudonym)


def _rename(connection: sa.Connection, table: sa.Table, sender: str, pseudonym: str, **blank: object) -> None:
    """The sender's rows under the pseudonym, with the given columns blanked."""
    connection.execute(
        sa.update(table).where(table.c.sender_id == sender).values(sender_id=pseudonym, **blank)
    )


def _pseudonym() -> str:
    return PSEUDONYM_PREFIX + secrets.token_hex(10)


def _entry_keys(senders: Sequence[str]) -> list[str]:
    """The senders whose entry rows are theirs alone: the entries table stores sender ids masked, and a
    sender id that masking changed (a phone number) is stored as a placeholder shared with others, which
    identifies no one and is left alone."""
    return [sender for sender in senders if mask(sender) == sender]


def _still_old(tracker: Engine, senders: list[str], cutoff: datetime) -> list[str]:
    last = sa.func.max(events.c.timestamp)
    query = (
        sa.select(events.c.sender_id)
        .where(events.c.sender_id.in_(senders))
        .group_by(events.c.sender_id)
        .having(last < cutoff.replace(tzinfo=UTC).timestamp())
    )
    with tracker.connect() as connection:
        return list(connection.scalars(query))


def _project(database_url: str) -> Engine:
    """The project database with every table a purge touches (created if missing, empty)."""
    engine = labels_engine(database_url)  # with the review tables
    feedback_engine(database_url)
    entries.create(engine, checkfirst=True)
    return engine


def _chunks(senders: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(senders), CHUNK_SENDERS):
        yield senders[start : start + CHUNK_SENDERS]


def _utc(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None)


def plan_text(plan: PurgePlan, days: int) -> str:
    """What the plan deletes or anonymises, table by table, in Beijing time."""
    cutoff = _beijing(plan.cutoff)
    head = f"保存期限 {days} 天：最后一条消息早于 {cutoff:%Y-%m-%d %H:%M}（北京时间）的会话"
    if not plan.senders:
        return f"{head}\n没有超过保存期限的会话。"
    verb = "匿名化" if plan.anonymise else "删除"
    since, until = _beijing(plan.first_last_at), _beijing(plan.last_last_at)
    lines = [
        head,
        f"{verb} {len(plan.senders):,} 个会话（最后一条消息在 {since:%Y-%m-%d} 至 {until:%Y-%m-%d} 之间）：",
        f"  会话存储（Rasa events）：删除 {plan.events:,} 条事件",
    ]
    if plan.anonymise:
        lines += [
            f"  复核表：{plan.turns:,} 轮、{plan.conversations:,} 个会话保留，换成匿名标识，去掉消息原文、回复、实体和槽位",
            f"  用户评价：{plan.feedback:,} 条保留，换成匿名标识，去掉原因",
            f"  海报入口记录：{plan.entries:,} 条保留，换成匿名标识",
        ]
    else:
        lines += [
            f"  复核表：删除 {plan.turns:,} 轮、{plan.conversations:,} 个会话",
            f"  用户评价：删除 {plan.feedback:,} 条",
            f"  海报入口记录：删除 {plan.entries:,} 条",
        ]
    lines.append(f"  人工标注：{plan.labels:,} 条保留（作为训练和评测数据），去掉会话标识")
    return "\n".join(lines)


def _beijing(moment: datetime | None) -> datetime:
    assert moment is not None
    return moment.replace(tzinfo=UTC).astimezone(BEIJING)
