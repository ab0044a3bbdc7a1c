"""Feedback, the numbers and the purge on PostgreSQL (the replicated setup's tracker store and project
database), against SQLite on the same generated events: the same verdicts, the same numbers (days in
Beijing time through PostgreSQL's own date arithmetic) and the same conversations purged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.review.feedback import give_feedback
from bot.review.purge import plan_purge, purge
from bot.review.seed import seed
from bot.review.stats import Period, compute_stats
from bot.review.tracker_events import events, metadata
from bot.review.turns import review_turns, sync
from bot.settings import get_settings
from retrieval.embedder import get_embedder
from tests.reliability.stores import postgres, require_binaries


@pytest.fixture(scope="module")
def pg() -> Iterator[str]:
    require_binaries()
    with postgres() as url:
        yield url


def counts(stats):
    """What anonymising keeps (texts and reasons go: the question list and the reasons count)."""
    return stats.total, stats.by, stats.feedback.helpful, stats.feedback.not_helpful


def test_feedback_numbers_and_purge_match_sqlite(pg, tmp_path):
    seed(pg, 60, days=40)
    with sa.create_engine(pg).connect() as connection:
        stored = [dict(row._mapping) for row in connection.execute(sa.select(events).order_by(events.c.id))]
    sqlite = f"sqlite:///{tmp_path / 'trackers.db'}"
    copy = sa.create_engine(sqlite)
    metadata.create_all(copy)
    with copy.begin() as connection:
        connection.execute(sa.insert(events), stored)
    stores = {"postgresql": (pg, pg), "sqlite": (sqlite, f"sqlite:///{tmp_path / 'assistant.db'}")}
    for tracker, database in stores.values():
        sync(tracker, database)

    with sa.create_engine(pg).connect() as connection:
        answered = connection.execute(
            sa.select(review_turns.c.sender_id, review_turns.c.turn)
            .where(review_turns.c.outcome == "answered")
            .order_by(review_turns.c.id)
            .limit(3)
        ).all()
    for tracker, database in stores.values():
        for n, (sender, turn) in enumerate(answered):
            give_feedback(database, tracker, sender, n % 2 == 0, "没说清楚" if n else None, turn)
        give_feedback(database, tracker, answered[0][0], False, "换个说法", answered[0][1])  # replaces

    encode = get_embedder(get_settings().embedding_model).encode
    period = Period.last_days(45)
    numbers = {name: compute_stats(period, database, encode) for name, (_, database) in stores.items()}
    assert numbers["postgresql"] == numbers["sqlite"]
    assert numbers["postgresql"].total.conversations == 60
    assert (numbers["postgresql"].feedback.helpful, numbers["postgresql"].feedback.not_helpful) == (1, 2)
    assert sum(t.turns for t in numbers["postgresql"].by["day"]) == numbers["postgresql"].total.turns

    now = datetime.now(UTC).replace(tzinfo=None)
    anonymised = {name: plan_purge(30, *urls, anonymise=True, now=now) for name, urls in stores.items()}
    assert anonymised["postgresql"].senders and anonymised["postgresql"].turns == anonymised["sqlite"].turns
    for name, urls in stores.items():
        purge(anonymised[name], *urls)
        assert counts(compute_stats(period, urls[1], encode)) == counts(numbers["sqlite"])  # the numbers stay

    plans = {name: plan_purge(20, *urls, now=now) for name, urls in stores.items()}
    assert sorted(plans["postgresql"].senders) == sorted(plans["sqlite"].senders)
    assert plans["postgresql"].senders and plans["postgresql"].events == plans["sqlite"].events
    for name, urls in stores.items():
        purge(plans[name], *urls)
    cutoff = (now - timedelta(days=20)).replace(tzinfo=UTC).timestamp()
    lasts = sa.select(sa.func.max(events.c.timestamp).label("last")).group_by(events.c.sender_id).subquery()
    with sa.create_engine(pg).connect() as connection:
        assert connection.scalar(sa.select(sa.func.min(lasts.c.last))) >= cutoff  # what is left is recent
    after = {name: compute_stats(period, database, encode) for name, (_, database) in stores.items()}
    assert after["postgresql"] == after["sqlite"]
    deleted, kept_anonymous = len(plans["postgresql"].senders), len(anonymised["postgresql"].senders)
    assert after["postgresql"].total.conversations == 60 - deleted and kept_anonymous + deleted < 60
