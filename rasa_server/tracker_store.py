"""Rasa's SQL tracker store, which also hands the tracker it saves to the request that made the turn.

The gateway channel answers each turn with the conversation's state. Rasa saves the tracker at the
end of the turn; keeping that object spares reading the whole conversation back from the database
(about a tenth of Rasa's time per turn). Configured in endpoints.yml; storage is Rasa's own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

# The trackers saved while the current request's turn runs (a list, so that a save in a task
# started from the request, which gets a copy of the context, still reaches it).
_saved_this_turn: ContextVar[list[DialogueStateTracker] | None] = ContextVar("saved_this_turn", default=None)


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
            # Write-ahead log: readers never wait for a writer (several Rasa processes share the
            # file), and a commit syncs one file instead of a rollback journal and the database.
            # Stored in the database file; commits stay fully synchronous (durable).
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        saved = _saved_this_turn.get()
        if saved is not None:
            saved.append(tracker)
