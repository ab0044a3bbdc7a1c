"""Retention: conversations quiet for longer than the period leave the tracker store and every table
derived from them, whole; anonymising keeps their numbers without text or identity; labels stay; the
dry run changes nothing; conversations still in use and everything else are untouched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.gateway.channels.entry_store import Entry, record_entry
from bot.privacy import mask
from bot.review import cli
from bot.review.feedback import give_feedback, review_feedback
from bot.review.labels import labels_engine, relabel, review_labels
from bot.review.purge import PSEUDONYM_PREFIX, plan_purge, purge
from bot.review.stats import Period, compute_stats
from bot.review.tracker_events import events
from bot.review.turns import latest_turn, review_conversations, review_turns, sync
from bot.settings import get_settings
from retrieval.embedder import get_embedder

NOW = datetime(2026, 12, 1, 4, 0)  # naive UTC, as the review tables keep times
DAYS = 180
PHONE_SENDER = "13912345678"  # a phone number as sender id: the entries table keeps it masked


@pytest.fixture(scope="module")
def encode():
    return get_embedder(get_settings().embedding_model).encode


def ago(days: float) -> float:
    return (NOW - timedelta(days=days)).replace(tzinfo=UTC).timestamp()


def ask(text):
    def step(writer, generator):
        generator.user(writer, text, "ask_policy")
        generator.reply(writer, "utter_policy_answer", {"answer": "answer", "citations": []}, act=False)
        generator.listen(writer)

    return step


@pytest.fixture
def store(stores):
    def conversation(sender, days_ago, *texts, meta=None):
        stores.clock = ago(days_ago)
        stores.write(sender, *(lambda w, t=t: ask(t)(w, stores.generator) for t in texts), meta=meta)

    poster = {"channel": "h5", "campaign": "2027春季招生", "region": "彭阳县"}
    conversation("h5-old", 200, "什么算虚假培训", "我电话13900001111，补贴什么时候发", meta=poster)
    conversation(PHONE_SENDER, 190, "叉车证能补多少", meta=poster)
    conversation("h5-returning", 300, "以工代训是什么")
    conversation("h5-returning", 2, "那怎么申请")  # back last week: kept whole
    conversation("h5-new", 10, "失业金怎么领", meta=poster)
    sync(stores.tracker_url, stores.database_url)
    for sender in ("h5-old", PHONE_SENDER, "h5-returning", "h5-new"):
        give_feedback(stores.database_url, stores.tracker_url, sender, False, "没说清楚")
        record_entry(stores.database_url, sender, poster)
    relabel("h5-old", 1, "ask_compliance", [], stores.database_url)
    return stores


def table(url: str, name: sa.Table) -> list[dict]:
    with sa.create_engine(url).connect() as connection:
        return [dict(row._mapping) for row in connection.execute(sa.select(name).order_by(*name.primary_key))]


def senders(url: str, name: sa.Table) -> set[str]:
    return {row["sender_id"] for row in table(url, name)}


def snapshot(store) -> dict[str, list[dict]]:
    tracker = {"events": table(store.tracker_url, events)}
    tables = (review_turns, review_conversations, review_feedback, review_labels, Entry.__table__)
    return tracker | {t.name: table(store.database_url, t) for t in tables}


def test_dry_run_lists_what_would_go_and_changes_nothing(store, capsys):
    before = snapshot(store)
    plan = plan_purge(DAYS, store.tracker_url, store.database_url, now=NOW)
    assert sorted(plan.senders) == sorted(["h5-old", PHONE_SENDER])
    assert (plan.turns, plan.conversations, plan.feedback, plan.entries, plan.labels) == (3, 2, 2, 1, 1)
    assert plan.events == sum(row["sender_id"] in plan.senders for row in before["events"])

    argv = ["purge", "--dry-run", "--tracker-db", store.tracker_url, "--db", store.database_url]
    assert cli.main([*argv, "--days", "100"]) == 0
    printed = capsys.readouterr().out
    assert "保存期限 100 天" in printed and "删除 2 个会话" in printed and "试运行" in printed
    assert snapshot(store) == before


def test_old_conversations_are_deleted_whole_and_nothing_else(store):
    before = snapshot(store)
    purge(
        plan_purge(DAYS, store.tracker_url, store.database_url, now=NOW),
        store.tracker_url,
        store.database_url,
    )
    after = snapshot(store)

    kept = {"h5-returning", "h5-new"}
    assert senders(store.tracker_url, events) == kept
    assert after["events"] == [row for row in before["events"] if row["sender_id"] in kept]
    for name in ("review_turns", "review_conversations", "review_feedback"):
        assert after[name] == [row for row in before[name] if row["sender_id"] in kept]
    # A phone number as sender id was stored masked, as a placeholder that names no one: it stays.
    assert [row["sender_id"] for row in after["entries"]] == [mask(PHONE_SENDER), "h5-returning", "h5-new"]
    # The label stays, as training data, without the sender's id.
    (label,) = after["review_labels"]
    assert (
        label["sender_id"].startswith(PSEUDONYM_PREFIX)
        and label["text"] == before["review_labels"][0]["text"]
    )
    assert latest_turn("h5-returning", store.tracker_url) == 2
    assert plan_purge(DAYS, store.tracker_url, store.database_url, now=NOW).senders == []


def test_anonymised_conversations_keep_their_numbers_without_text_or_identity(store, encode):
    period = Period((NOW - timedelta(days=400)).date(), NOW.date())
    before = compute_stats(period, store.database_url, encode)
    plan = plan_purge(DAYS, store.tracker_url, store.database_url, anonymise=True, now=NOW)
    purge(plan, store.tracker_url, store.database_url)

    assert senders(store.tracker_url, events) == {"h5-returning", "h5-new"}  # the raw record is gone
    turns = table(store.database_url, review_turns)
    anonymous = [row for row in turns if row["sender_id"].startswith(PSEUDONYM_PREFIX)]
    assert len(anonymous) == 3 and len({row["sender_id"] for row in anonymous}) == 2
    assert all(
        row["text"] == row["bot_text"] == "" and row["entities"] == [] and row["slots"] == {}
        for row in anonymous
    )
    assert {row["outcome"] for row in anonymous} == {"answered"} and {
        row["campaign"] for row in anonymous
    } == {"2027春季招生"}
    feedback = table(store.database_url, review_feedback)
    assert (
        sum(row["sender_id"].startswith(PSEUDONYM_PREFIX) and row["reason"] is None for row in feedback) == 2
    )
    assert "h5-old" not in senders(store.database_url, Entry.__table__)
    assert not {"h5-old", PHONE_SENDER} & senders(store.database_url, review_labels)

    after = compute_stats(period, store.database_url, encode)
    assert (after.total.conversations, after.total.turns, after.total.outcomes) == (
        before.total.conversations,
        before.total.turns,
        before.total.outcomes,
    )
    assert (after.feedback.not_helpful, after.feedback.with_reason) == (4, 2)
    assert [(t.key, t.turns) for t in after.by["campaign"]] == [
        (t.key, t.turns) for t in before.by["campaign"]
    ]


def test_purge_before_anything_was_reviewed(tmp_path):
    """A purge before anything was ever reviewed: no tables yet, nothing to do, no error."""
    tracker, database = f"sqlite:///{tmp_path / 't.db'}", f"sqlite:///{tmp_path / 'a.db'}"
    plan = plan_purge(DAYS, tracker, database, anonymise=True)
    assert plan.senders == [] and plan.events == 0
    purge(plan, tracker, database)
    assert sa.inspect(labels_engine(database)).has_table("review_turns")


def test_a_conversation_resumed_after_the_plan_is_kept(store):
    plan = plan_purge(DAYS, store.tracker_url, store.database_url, now=NOW)
    store.clock = ago(0)
    store.write("h5-old", lambda w: ask("我又来了")(w, store.generator))  # back before the purge runs
    purge(plan, store.tracker_url, store.database_url)
    assert senders(store.tracker_url, events) == {"h5-old", "h5-returning", "h5-new"}
    assert latest_turn("h5-old", store.tracker_url) == 3
    assert {"h5-old", "h5-new"} <= senders(store.database_url, review_turns)
