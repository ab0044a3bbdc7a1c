"""The review table: one row per user message, derived from Rasa's tracker store.

Rasa keeps each conversation as events (table `events` of settings.tracker_store_url, see
tracker_events.py). Reading and folding them on every console page would not scale to 100 000
conversations, so `sync()` folds the new events once into two tables of the project database
(settings.database_url, the database of `courses` and `entries`), and everything else reads those.

Tables (SQLAlchemy Core, SQLite and PostgreSQL; created by `ensure_schema`):

`review_turns` — one row per user message; unique (sender_id, turn):
    id           int, assigned in sync order
    sender_id    Rasa's sender id, unmasked: it is the key to the tracker store and to feedback.
                 Mask it (bot.privacy.mask) wherever it is shown or exported.
    turn         1-based index of the user message among the sender's user events in the tracker
                 store (across Rasa sessions); the same number `latest_turn` returns
    event_id     events.id of the user message; last_event_id: the last event folded into the turn
    at           when the user sent it: a naive datetime in UTC
    channel      the gateway's metadata.channel of this message: api | h5 | wechat
    campaign     the poster campaign of the entry link (metadata.campaign; the H5 page sends the entry
                 context with every message, WeChat only with the entry message, so the latest one
                 seen in the conversation is carried forward); "" when none
    place        the entry link's region (metadata.region, carried forward the same way), else the
                 conversation's `region` slot after the turn (the place the user named); "" when none
    text         the message, masked
    intent, confidence   NLU's intent and its confidence (nlu_fallback when FallbackClassifier fired)
    entities     JSON list of {"entity", "value", "start", "end"} (offsets into the masked text)
    slots        JSON: the conversation's slots after the turn (without Rasa's bookkeeping slots and
                 the hotline, as /api/chat), string values masked
    actions      JSON list of the actions run for the message (action_listen left out)
    responses    JSON list of the domain responses sent ("" for a message sent without one)
    bot_text     the bot's messages, joined by newlines, masked
    citations    JSON list of the clauses cited ({"doc_id", "passage_id"?, "title", "section", "text", …})
    answer_kind  the answer layer's Decision.kind (answer, partial, not_covered, place_not_covered,
                 out_of_scope, neighbour, ask_place), or subsidy / courses; null for other replies
    handoff      a reply handed over to a person (custom.handoff)
    outcome      answered | declined | fallback | clarify | handoff | other (outcome.py says how)

`review_conversations` — one row per sender: sender_id (primary key), first_at, last_at (UTC),
    turns, channel / campaign (latest), entry_place (the entry link's region), place (entry_place, else
    the region slot), slots (current), last_event_id (folded so far).

`review_sync` — the watermark: the highest events.id folded (name = "turns").

Turns of a message still being answered are updated by the next sync, so a row can change until the
conversation's next message. Feedback lives in `review_feedback(sender_id, turn, helpful, reason, at)`
(bot/review/feedback.py); `find_turns(..., negative_feedback=True)` and `conversation()` join it when
it exists. A purge must delete a sender's rows from review_turns and review_conversations together
with its tracker events, whole conversations at a time, so that turn numbers stay aligned.

Use:
    sync(progress=print_progress)  -> int         new turns (also `python -m bot review sync`)
    backlog()                      -> int         events not folded yet
    latest_turn(sender_id)         -> int | None  the sender's latest turn, read from the tracker store
    find_turns(TurnFilter(outcome="declined"), limit=50, cursor=None) -> TurnPage (rows, next_cursor)
    conversation(sender_id)        -> list of the sender's turns, each with its feedback
    review_turns, review_conversations   the Table objects, for stats queries
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from bot.courses.store import get_engine
from bot.privacy import mask
from bot.review.outcome import OUTCOMES, answer_kind, decide_outcome
from bot.review.tracker_events import events
from bot.settings import get_settings

# Rasa's bookkeeping slots and the configured hotline: not the conversation's state (as /api/chat).
HIDDEN_SLOTS = {"session_started_metadata", "requested_slot", "hotline"}
# Events that clear the slots: a new Rasa session, /restart, AllSlotsReset.
SLOTS_CLEARED = {"session_started", "restart", "reset_slots"}
FOLDED_TYPES = ("user", "bot", "slot", "action", *SLOTS_CLEARED)
NOT_A_STEP = {"action_listen", "action_session_start"}
SHORT = 64
# On SQLite a commit holds the write lock, so events become visible in id order. PostgreSQL assigns
# ids before commit: a turn committed late may carry ids below the watermark, so each sync looks that
# far back as well (events already folded are recognised by the conversation's last_event_id).
LATE_COMMIT_IDS = 2_000
BATCH_EVENTS = 5_000

metadata = sa.MetaData()

review_turns = sa.Table(
    "review_turns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("turn", sa.Integer, nullable=False),
    sa.Column("event_id", sa.Integer, nullable=False),
    sa.Column("last_event_id", sa.Integer, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("channel", sa.String(SHORT), nullable=False, default=""),
    sa.Column("campaign", sa.String(SHORT), nullable=False, default=""),
    sa.Column("place", sa.String(SHORT), nullable=False, default=""),
    sa.Column("text", sa.Text, nullable=False, default=""),
    sa.Column("intent", sa.String(SHORT)),
    sa.Column("confidence", sa.Float),
    sa.Column("entities", sa.JSON, nullable=False),
    sa.Column("slots", sa.JSON, nullable=False),
    sa.Column("actions", sa.JSON, nullable=False),
    sa.Column("responses", sa.JSON, nullable=False),
    sa.Column("bot_text", sa.Text, nullable=False, default=""),
    sa.Column("citations", sa.JSON, nullable=False),
    sa.Column("answer_kind", sa.String(SHORT)),
    sa.Column("handoff", sa.Boolean, nullable=False, default=False),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.UniqueConstraint("sender_id", "turn", name="uq_review_turns_sender_turn"),
    # Each filter of the console, newest first, reads one index range (keyset paging on at, id).
    sa.Index("ix_review_turns_at", "at", "id"),
    sa.Index("ix_review_turns_outcome", "outcome", "at", "id"),
    sa.Index("ix_review_turns_channel", "channel", "at", "id"),
    sa.Index("ix_review_turns_campaign", "campaign", "at", "id"),
    sa.Index("ix_review_turns_place", "place", "at", "id"),
    sa.Index("ix_review_turns_confidence", "confidence"),
    # The office's numbers (bot/review/stats.py) read only these columns of a time range: index-only scans.
    sa.Index("ix_review_turns_stats", "at", "outcome", "channel", "campaign", "place", "sender_id"),
)

review_conversations = sa.Table(
    "review_conversations",
    metadata,
    sa.Column("sender_id", sa.String(255), primary_key=True),
    sa.Column("first_at", sa.DateTime),
    sa.Column("last_at", sa.DateTime),
    sa.Column("turns", sa.Integer, nullable=False, default=0),
    sa.Column("channel", sa.String(SHORT), nullable=False, default=""),
    sa.Column("campaign", sa.String(SHORT), nullable=False, default=""),
    sa.Column("entry_place", sa.String(SHORT), nullable=False, default=""),
    sa.Column("place", sa.String(SHORT), nullable=False, default=""),
    sa.Column("slots", sa.JSON, nullable=False),
    sa.Column("last_event_id", sa.Integer, nullable=False, default=0),
    sa.Index("ix_review_conversations_last_at", "last_at"),
)

review_sync = sa.Table(
    "review_sync",
    metadata,
    sa.Column("name", sa.String(SHORT), primary_key=True),
    sa.Column("watermark", sa.Integer, nullable=False, default=0),
)

# The other engineer's table, named here only to be joined (bot/review/feedback.py creates it).
review_feedback = sa.table(
    "review_feedback",
    sa.column("sender_id", sa.String),
    sa.column("turn", sa.Integer),
    sa.column("helpful", sa.Boolean),
    sa.column("reason", sa.Text),
    sa.column("at", sa.DateTime),
)


@lru_cache
def review_engine(database_url: str | None = None) -> Engine:
    """The project database with the review tables in it."""
    engine = get_engine(database_url or get_settings().database_url)
    ensure_schema(engine)
    return engine


def ensure_schema(engine: Engine) -> None:
    metadata.create_all(engine, checkfirst=True)
    with engine.begin() as connection:
        known = connection.scalar(sa.select(sa.func.count()).select_from(review_sync))
        if not known:
            try:
                with connection.begin_nested():
                    connection.execute(sa.insert(review_sync).values(name="turns", watermark=0))
            except sa.exc.IntegrityError:  # another process created it first
                pass


def tracker_engine(tracker_url: str | None = None) -> Engine:
    return get_engine(tracker_url or get_settings().tracker_store_url)


def has_feedback_table(engine: Engine) -> bool:
    return sa.inspect(engine).has_table("review_feedback")


# ---------------------------------------------------------------------------------------------- sync


@dataclass
class Conversation:
    """What folding needs to know of a sender between batches."""

    sender_id: str
    turns: int = 0
    first_at: datetime | None = None
    last_at: datetime | None = None
    channel: str = ""
    campaign: str = ""
    entry_place: str = ""  # from the entry link; a turn's place falls back to the region slot
    slots: dict[str, Any] = field(default_factory=dict)
    last_event_id: int = 0
    stored: bool = False  # has a row in review_conversations
    touched: bool = False  # folded an event in this batch
    current: dict[str, Any] | None = None  # the latest turn, while it still takes events
    changed: list[dict[str, Any]] = field(default_factory=list)  # turns to write

    def fold(self, event_id: int, type_name: str, timestamp: float, action: str | None, data: Any) -> None:
        if event_id <= self.last_event_id:
            return  # looked at again for late commits, already folded
        self.last_event_id = event_id
        self.touched = True
        if type_name in ("session_started", "restart"):
            self.current = None  # what follows belongs to the next message
        if type_name == "user":
            self._user(event_id, timestamp, data)
        elif type_name == "slot":
            if data.get("name") not in HIDDEN_SLOTS:
                self.slots[data.get("name")] = data.get("value")
        elif type_name in SLOTS_CLEARED:
            self.slots = {}
        elif self.current is None:
            return  # the session start's actions, before any user message
        elif type_name == "action" and action and action not in NOT_A_STEP:
            self.current["actions"].append(action)
        elif type_name == "bot":
            self._bot(data)
        if self.current is not None:
            self.current["last_event_id"] = event_id
            self.current["slots"] = {name: _masked(value) for name, value in self.slots.items()}
            if not any(row is self.current for row in self.changed):
                self.changed.append(self.current)

    def _user(self, event_id: int, timestamp: float, data: dict[str, Any]) -> None:
        meta = data.get("metadata") or {}
        parsed = data.get("parse_data") or {}
        intent = parsed.get("intent") or {}
        at = datetime.fromtimestamp(timestamp, UTC).replace(tzinfo=None)
        self.channel = _short(meta.get("channel")) or self.channel
        self.campaign = _short(meta.get("campaign")) or self.campaign
        self.entry_place = _short(meta.get("region")) or self.entry_place
        self.turns += 1
        self.first_at = self.first_at or at
        self.last_at = at
        text = data.get("text") or ""
        self.current = {
            "sender_id": self.sender_id,
            "turn": self.turns,
            "event_id": event_id,
            "at": at,
            "channel": self.channel,
            "campaign": self.campaign,
            "text": mask(text),
            "intent": intent.get("name"),
            "confidence": intent.get("confidence"),
            "entities": _entities(text, parsed.get("entities") or []),
            "actions": [],
            "responses": [],
            "bot_text": "",
            "citations": [],
            "answer_kind": None,
            "handoff": False,
        }

    def _bot(self, data: dict[str, Any]) -> None:
        row = self.current
        assert row is not None
        row["responses"].append((data.get("metadata") or {}).get("utter_action") or "")
        text = mask(data.get("text") or "")
        row["bot_text"] = f"{row['bot_text']}\n{text}" if row["bot_text"] else text
        custom = (data.get("data") or {}).get("custom") or {}
        if isinstance(custom, dict):
            row["citations"].extend(custom.get("citations") or [])
            row["answer_kind"] = row["answer_kind"] or answer_kind(custom)
            row["handoff"] = row["handoff"] or bool(custom.get("handoff"))

    def finished_rows(self) -> list[dict[str, Any]]:
        """The changed turns with what depends on the whole turn: place and outcome."""
        for row in self.changed:
            row["place"] = self.entry_place or _short(row["slots"].get("region"))
            row["outcome"] = decide_outcome(
                row["actions"], row["responses"], row["answer_kind"], row["handoff"]
            )
        return self.changed

    def state(self) -> dict[str, Any]:
        return {
            "sender_id": self.sender_id,
            "first_at": self.first_at,
            "last_at": self.last_at,
            "turns": self.turns,
            "channel": self.channel,
            "campaign": self.campaign,
            "entry_place": self.entry_place,
            "place": self.entry_place or _short(self.slots.get("region")),
            "slots": {name: _masked(value) for name, value in self.slots.items()},
            "last_event_id": self.last_event_id,
        }


def _short(value: Any) -> str:
    return mask(value)[:SHORT] if isinstance(value, str) else ""


def _masked(value: Any) -> Any:
    return mask(value) if isinstance(value, str) else value


def _entities(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entities with masked values, their offsets moved into the masked text (dropped where a masked
    number overlaps them)."""
    masked = mask(text)
    kept = []
    for e in entities:
        start, end = e.get("start"), e.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            continue
        span = mask(text[start:end])
        start = len(mask(text[:start]))
        if masked[start : start + len(span)] != span:
            continue
        kept.append(
            {
                "entity": e.get("entity"),
                "value": mask(str(e.get("value", ""))),
                "start": start,
                "end": start + len(span),
            }
        )
    return kept


def sync(
    tracker_url: str | None = None,
    database_url: str | None = None,
    *,
    max_events: int | None = None,
    batch_events: int = BATCH_EVENTS,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Folds the tracker store's events after the watermark into the review tables; returns the number
    of new turns. Each batch commits with the watermark it reached, so an interrupted sync resumes,
    and two syncs at once never fold an event twice (the one that lost its batch re-reads). Stops after
    about max_events events (None: all). progress(events folded, events after the watermark)."""
    source, target = tracker_engine(tracker_url), review_engine(database_url)
    look_back = 0 if source.dialect.name == "sqlite" else LATE_COMMIT_IDS
    new_turns = done = 0
    watermark = _watermark(target)
    total = _count_after(source, watermark) if progress else 0
    while max_events is None or done < max_events:
        rows = _read_events(source, watermark - look_back, batch_events)
        fresh = sum(1 for r in rows if r.id > watermark)
        if not fresh and not look_back:
            break
        conversations = _load(target, {r.sender_id for r in rows})
        for r in rows:
            data = json.loads(r.data) if r.data else {}
            conversations[r.sender_id].fold(r.id, r.type_name, r.timestamp or 0.0, r.action_name, data)
        reached = max(watermark, rows[-1].id) if rows else watermark
        written = _write(target, conversations.values(), watermark, reached)
        if written is None:  # another sync moved the watermark first: start again from its
            watermark = _watermark(target)
            continue
        new_turns += written
        done += fresh
        watermark, look_back = reached, 0
        if progress:
            progress(done, total)
    return new_turns


def backlog(tracker_url: str | None = None, database_url: str | None = None) -> int:
    """How many events the review has still to fold (0 once sync has caught up)."""
    return _count_after(tracker_engine(tracker_url), _watermark(review_engine(database_url)))


def _watermark(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(sa.select(review_sync.c.watermark).where(review_sync.c.name == "turns")) or 0


def _count_after(engine: Engine, watermark: int) -> int:
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("events"):
            return 0
        return connection.scalar(sa.select(sa.func.count()).where(events.c.id > watermark)) or 0


def _read_events(engine: Engine, after: int, limit: int) -> Sequence[sa.Row]:
    # Only the events that carry what a turn needs bring their JSON (a user event is ~2 kB).
    data = sa.case((events.c.type_name.in_(("user", "bot", "slot")), events.c.data), else_=None)
    query = (
        sa.select(
            events.c.id,
            events.c.sender_id,
            events.c.type_name,
            events.c.timestamp,
            events.c.action_name,
            data.label("data"),
        )
        .where(events.c.id > after, events.c.type_name.in_(FOLDED_TYPES))
        .order_by(events.c.id)
        .limit(limit)
    )
    with engine.connect() as connection:
        if not sa.inspect(connection).has_table("events"):
            return []  # Rasa has not created its store yet
        return connection.execute(query).all()


def _load(engine: Engine, senders: set[str]) -> dict[str, Conversation]:
    """The conversations of these senders as folded so far, each with its latest turn if that turn
    still takes events (nothing was folded after its last event: no new session began)."""
    conversations = {sender: Conversation(sender) for sender in senders}
    ids = sorted(senders)
    c, t = review_conversations.c, review_turns.c
    with engine.connect() as connection:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in connection.execute(sa.select(review_conversations).where(c.sender_id.in_(chunk))):
                conversations[row.sender_id] = Conversation(
                    sender_id=row.sender_id,
                    turns=row.turns,
                    first_at=row.first_at,
                    last_at=row.last_at,
                    channel=row.channel,
                    campaign=row.campaign,
                    entry_place=row.entry_place,
                    slots=dict(row.slots or {}),
                    last_event_id=row.last_event_id,
                    stored=True,
                )
            open_turns = (
                sa.select(review_turns)
                .join(
                    review_conversations,
                    sa.and_(t.sender_id == c.sender_id, t.last_event_id == c.last_event_id),
                )
                .where(t.sender_id.in_(chunk))
            )
            for row in connection.execute(open_turns):
                conversations[row.sender_id].current = {k: _copy(v) for k, v in row._mapping.items()}
    return conversations


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value)) if isinstance(value, list | dict) else value


def _write(engine: Engine, conversations: Iterable[Conversation], watermark: int, reached: int) -> int | None:
    """Writes the changed turns and conversations and moves the watermark, in one transaction; None
    if another sync moved the watermark since this batch read it (nothing is written then)."""
    inserts, updates, new_states, old_states = [], [], [], []
    for conversation in conversations:
        for row in conversation.finished_rows():
            (updates if "id" in row else inserts).append(row)
        if conversation.touched:
            (old_states if conversation.stored else new_states).append(conversation.state())
    with engine.begin() as connection:
        # The conditional update comes first: it takes the write lock (SQLite) or the row lock
        # (PostgreSQL), so a concurrent sync waits here and then finds the watermark moved.
        moved = connection.execute(
            sa.update(review_sync)
            .where(review_sync.c.name == "turns", review_sync.c.watermark == watermark)
            .values(watermark=reached)
        )
        if moved.rowcount != 1:
            connection.rollback()
            return None
        if inserts:
            connection.execute(sa.insert(review_turns), inserts)
        if updates:
            t = review_turns.c
            connection.execute(
                sa.update(review_turns).where(t.id == sa.bindparam("row_id")),
                [{**row, "row_id": row["id"]} for row in updates],
            )
        if new_states:
            connection.execute(sa.insert(review_conversations), new_states)
        if old_states:
            c = review_conversations.c
            connection.execute(
                sa.update(review_conversations).where(c.sender_id == sa.bindparam("key")),
                [{**state, "key": state["sender_id"]} for state in old_states],
            )
    return len(inserts)


def latest_turn(sender_id: str, tracker_url: str | None = None) -> int | None:
    """The number of the sender's latest user message (None before the first), counted in the tracker
    store itself, so it is right before the next sync too."""
    query = sa.select(sa.func.count()).where(events.c.sender_id == sender_id, events.c.type_name == "user")
    with tracker_engine(tracker_url).connect() as connection:
        if not sa.inspect(connection).has_table("events"):
            return None
        return connection.scalar(query) or None


# --------------------------------------------------------------------------------------------- query


@dataclass(frozen=True)
class TurnFilter:
    outcome: str | None = None  # one of OUTCOMES
    max_confidence: float | None = None  # intent confidence below this
    channel: str | None = None
    campaign: str | None = None
    place: str | None = None
    since: datetime | None = None  # UTC, inclusive
    until: datetime | None = None  # UTC, exclusive
    negative_feedback: bool = False  # only turns someone marked not helpful
    sender_id: str | None = None


@dataclass(frozen=True)
class TurnPage:
    rows: list[dict[str, Any]]
    next_cursor: str | None  # pass as cursor for the next (older) page; None on the last page


class BadCursor(ValueError):
    pass


def find_turns(
    filters: TurnFilter,
    *,
    limit: int = 50,
    cursor: str | None = None,
    database_url: str | None = None,
) -> TurnPage:
    """Matching turns, newest first, a page at a time (keyset paging on (at, id), so page 1000 costs
    what page 1 does). Raises ValueError for an unknown outcome and BadCursor for a damaged cursor."""
    engine = review_engine(database_url)
    t = review_turns.c
    query = sa.select(review_turns).order_by(t.at.desc(), t.id.desc()).limit(limit + 1)
    if filters.outcome is not None:
        if filters.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {filters.outcome!r}")
        query = query.where(t.outcome == filters.outcome)
    if filters.max_confidence is not None:
        query = query.where(t.confidence < filters.max_confidence)
    for name in ("channel", "campaign", "place", "sender_id"):
        if getattr(filters, name) is not None:
            query = query.where(t[name] == getattr(filters, name))
    if filters.since is not None:
        query = query.where(t.at >= filters.since)
    if filters.until is not None:
        query = query.where(t.at < filters.until)
    if cursor:
        at, row_id = _decode_cursor(cursor)
        query = query.where(sa.or_(t.at < at, sa.and_(t.at == at, t.id < row_id)))
    if filters.negative_feedback:
        if not has_feedback_table(engine):
            return TurnPage([], None)
        f = review_feedback.c
        unhelpful = sa.select(f.sender_id, f.turn).where(f.helpful == sa.false())
        query = query.where(sa.tuple_(t.sender_id, t.turn).in_(unhelpful))
    with engine.connect() as connection:
        rows = [dict(row._mapping) for row in connection.execute(query)]
    more = len(rows) > limit
    rows = rows[:limit]
    return TurnPage(rows, _encode_cursor(rows[-1]) if more else None)


def _encode_cursor(row: dict[str, Any]) -> str:
    raw = f"{row['at'].isoformat()}|{row['id']}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, row_id = raw.split("|")
        return datetime.fromisoformat(at), int(row_id)
    except ValueError as error:  # binascii.Error and UnicodeDecodeError are ValueErrors
        raise BadCursor(cursor) from error


def conversation(sender_id: str, database_url: str | None = None) -> list[dict[str, Any]]:
    """The sender's turns in order, each with `feedback`: a list of {"helpful", "reason", "at"}."""
    engine = review_engine(database_url)
    t = review_turns.c
    query = sa.select(review_turns).where(t.sender_id == sender_id).order_by(t.turn)
    with engine.connect() as connection:
        rows = [dict(row._mapping) | {"feedback": []} for row in connection.execute(query)]
        if rows and has_feedback_table(engine):
            f = review_feedback.c
            by_turn = {row["turn"]: row for row in rows}
            notes = (
                sa.select(f.turn, f.helpful, f.reason, f.at).where(f.sender_id == sender_id).order_by(f.at)
            )
            for note in connection.execute(notes):
                if note.turn in by_turn:
                    by_turn[note.turn]["feedback"].append(
                        {"helpful": bool(note.helpful), "reason": note.reason, "at": note.at}
                    )
    return rows
