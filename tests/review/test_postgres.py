"""The review on PostgreSQL (the replicated setup's tracker store and project database): a throwaway
PostgreSQL 15 server from the Debian packages, the same generated events as on SQLite, the same rows;
filters, feedback, labels; and a turn committed late below the watermark is still folded."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bot.review import labels
from bot.review.feedback import feedback_engine, review_feedback
from bot.review.seed import seed
from bot.review.tracker_events import events, metadata
from bot.review.turns import (
    TurnFilter,
    conversation,
    find_turns,
    latest_turn,
    review_engine,
    review_turns,
    sync,
)
from tests.reliability.stores import postgres, require_binaries


@pytest.fixture(scope="module")
def pg() -> Iterator[str]:
    require_binaries()
    with postgres() as url:
        yield url


def rows(url: str) -> list[dict]:
    with review_engine(url).connect() as connection:
        found = connection.execute(sa.select(review_turns).order_by(review_turns.c.event_id))
        return [{k: v for k, v in row._mapping.items() if k != "id"} for row in found]


def test_same_rows_as_sqlite_and_the_queries_work(pg, tmp_path):
    seed(pg, 40)
    with sa.create_engine(pg).connect() as connection:
        stored = [dict(row._mapping) for row in connection.execute(sa.select(events).order_by(events.c.id))]
    sqlite = f"sqlite:///{tmp_path / 'copy.db'}"
    copy = sa.create_engine(sqlite)
    metadata.create_all(copy)
    with copy.begin() as connection:
        connection.execute(sa.insert(events), stored)

    assert sync(pg, pg, batch_events=50) == sum(1 for e in stored if e["type_name"] == "user")
    assert sync(pg, pg) == 0
    sync(sqlite, f"sqlite:///{tmp_path / 'review.db'}")
    on_pg = rows(pg)
    assert on_pg == rows(f"sqlite:///{tmp_path / 'review.db'}")

    sender = on_pg[-1]["sender_id"]
    assert latest_turn(sender, pg) == max(r["turn"] for r in on_pg if r["sender_id"] == sender)
    declined = [r for r in on_pg if r["outcome"] == "declined"]
    seen, cursor = [], None
    while True:
        page = find_turns(TurnFilter(outcome="declined"), limit=3, cursor=cursor, database_url=pg)
        seen += [(r["sender_id"], r["turn"]) for r in page.rows]
        if not (cursor := page.next_cursor):
            break
    assert sorted(seen) == sorted((r["sender_id"], r["turn"]) for r in declined)

    target = declined[0]
    with feedback_engine(pg).begin() as connection:
        connection.execute(
            sa.insert(review_feedback),
            [
                {
                    "sender_id": target["sender_id"],
                    "turn": target["turn"],
                    "helpful": False,
                    "reason": "",
                    "channel": "h5",
                    "at": target["at"],
                }
            ],
        )
    (unhelpful,) = find_turns(TurnFilter(negative_feedback=True), database_url=pg).rows
    assert (unhelpful["sender_id"], unhelpful["turn"]) == (target["sender_id"], target["turn"])

    label = labels.relabel(target["sender_id"], target["turn"], "ask_policy", [], pg)
    again = labels.relabel(target["sender_id"], target["turn"], "out_of_scope", [], pg)
    assert (label["id"], again["intent"]) == (again["id"], "out_of_scope")
    assert labels.all_labels(pg) == [again]


def test_a_turn_committed_late_below_the_watermark_is_folded(pg):
    """PostgreSQL hands out ids before commit: a turn that commits late carries ids below those of a
    turn committed (and synced) before it."""
    user = '{"event": "user", "text": "%s", "parse_data": {"intent": {"name": "greet", "confidence": 0.99}}, "metadata": {"channel": "h5"}}'
    bot = '{"event": "bot", "text": "您好！", "metadata": {"utter_action": "utter_greet"}}'

    def turn(sender: str, text: str) -> list[dict]:
        return [
            {"sender_id": sender, "type_name": "user", "timestamp": 1_796_000_000.0, "data": user % text},
            {"sender_id": sender, "type_name": "bot", "timestamp": 1_796_000_000.1, "data": bot},
        ]

    sync(pg, pg)
    engine = sa.create_engine(pg)
    with engine.connect() as slow:
        slow.execute(sa.insert(events), turn("h5-late", "你好"))  # ids taken, not yet committed
        with engine.begin() as fast:
            fast.execute(sa.insert(events), turn("h5-early", "在吗"))
        assert sync(pg, pg) == 1  # the watermark is now above the slow turn's ids
        slow.commit()
    assert sync(pg, pg) == 1
    (late,) = conversation("h5-late", pg)
    assert (late["text"], late["bot_text"], late["outcome"]) == ("你好", "您好！", "other")


def test_concurrent_syncs_fold_every_event_once(pg):
    seed(pg, 30, rng_seed=8)
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(sync(pg, pg, batch_events=40))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with sa.create_engine(pg).connect() as connection:
        users = connection.scalar(sa.select(sa.func.count()).where(events.c.type_name == "user"))
    assert len(rows(pg)) == users
