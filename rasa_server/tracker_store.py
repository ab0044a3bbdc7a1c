"""Rasa's SQL tracker store, which also hands the tracker it saves to the request that made the turn.

The gateway channel answers each turn with the conversation's state. Rasa saves the tracker at the
end of the turn; keeping that object spares reading the whole conversation back from the database
(about a tenth of Rasa's time per turn). Configured in endpoints.yml; storage is Rasa's own.

Rasa finds the events to append by counting the conversation's rows again on every save. The tracker
it saves is the one this store read at the start of the turn (under the conversation's lock), so the
number of its events already stored is known: it is remembered on the tracker and the count query is
skipped; a tracker this store did not read is counted as before."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

# The trackers saved while the current request's turn runs (a list, so that a save in a task
# started from the request, which gets a copy of the context, still reaches it).
_saved_this_turn: ContextVar[list[DialogueStateTracker] | None] = ContextVar("saved_this_turn", default=None)
# Attribute on a tracker: how many of its first events are in the database.
STORED_EVENTS = "_stored_event_count"


@contextmanager
def saved_trackers() -> Iterator[list[DialogueStateTracker]]:
    """Collects the trackers saved inside the block, in order."""
    saved: list[DialogueStateTracker] = []
    token = _saved_this_turn.set(saved)
    try:
        yield saved
    finally:
        _saved_this_turn.reset(token)


class TurnSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self._keep_connections_open()
            self._use_write_ahead_log()

    def _keep_connections_open(self) -> None:
        """SQLAlchemy opens and closes a connection per session on a SQLite file; each close of the last
        connection checkpoints the write-ahead log. A small pool keeps them open (Rasa uses them from
        its event-loop thread only)."""
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(
            url, poolclass=QueuePool, pool_size=2, connect_args={"check_same_thread": False}
        )
        self.sessionmaker = sessionmaker(bind=self.engine)

    def _use_write_ahead_log(self, attempts: int = 50) -> None:
        """Write-ahead log: readers never wait for a writer (several Rasa processes share the file),
        and a commit syncs one file instead of a rollback journal and the database. Stored in the
        database file; commits stay fully synchronous (durable). Switching needs the file to itself:
        two processes starting together on a new file were once seen to get "database is locked"
        here (bench stack start-up); the one that lost retries, and by then the file is in WAL mode."""
        for attempt in range(attempts):
            try:
                with self.engine.connect() as connection:
                    connection.exec_driver_sql("PRAGMA journal_mode=WAL")
                return
            except OperationalError as error:
                if "locked" not in str(error) or attempt == attempts - 1:
                    raise
                time.sleep(0.1 + random.random() * 0.2)

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            setattr(tracker, STORED_EVENTS, len(tracker.events))
        return tracker

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, STORED_EVENTS, None)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        setattr(tracker, STORED_EVENTS, len(tracker.events))
        saved = _saved_this_turn.get()
        if saved is not None:
            saved.append(tracker)
