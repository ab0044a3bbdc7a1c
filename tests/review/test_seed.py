"""The generator writes what Rasa itself reads: Rasa 3.6's SQLTrackerStore restores a seeded
conversation with its slots and latest message, and the generator is bounded and deterministic."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.review.seed import MAX_CONVERSATIONS, seed
from tests.rasa_python import run_in_rasa

READ_BACK = """
import asyncio, json, sys
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
store = SQLTrackerStore(domain=Domain.load("domain.yml"), dialect="sqlite", db=sys.argv[1])
tracker = asyncio.run(store.retrieve(sys.argv[2]))
print(json.dumps({"events": len(tracker.events), "text": tracker.latest_message.text,
                  "intent": tracker.latest_message.intent.get("name"),
                  "channel": tracker.get_slot("source_channel")}, ensure_ascii=False))
"""


def test_rasa_reads_the_seeded_conversations(tmp_path):
    path = tmp_path / "trackers.db"
    seed(f"sqlite:///{path}", 30)
    with sa.create_engine(f"sqlite:///{path}").connect() as connection:
        sender, data = connection.execute(
            sa.text("select sender_id, data from events where type_name = 'user' order by id desc limit 1")
        ).one()
        events = connection.scalar(sa.text("select count(*) from events where sender_id = :s"), {"s": sender})
    restored = run_in_rasa(READ_BACK, str(path), sender)
    assert restored["events"] == events - 2  # Rasa reads from the session start: not its two events before it
    assert restored["text"] in data and restored["intent"]
    assert restored["channel"] in {"h5", "miniprogram", "api"}


def test_the_same_seed_writes_the_same_conversations(tmp_path):
    def texts(name: str) -> list[str]:
        url = f"sqlite:///{tmp_path / name}"
        seed(url, 20, rng_seed=3)
        with sa.create_engine(url).connect() as connection:
            return (
                connection.execute(
                    sa.text("select type_name || intent_name from events where type_name = 'user'")
                )
                .scalars()
                .all()
            )

    assert texts("a.db") == texts("b.db")
    with pytest.raises(ValueError):
        seed(f"sqlite:///{tmp_path / 'c.db'}", MAX_CONVERSATIONS + 1)
