"""The review table: sync folds Rasa's events into one row per user message, incrementally, with the
right outcome, masked text and the entry context; find_turns filters and pages on the server."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
import sqlalchemy as sa

from bot.review import turns
from bot.review.feedback import feedback_engine, review_feedback
from bot.review.seed import PHONE_NOTE, Writer, seed
from bot.review.turns import (
    TurnFilter,
    conversation,
    find_turns,
    latest_turn,
    review_engine,
    review_turns,
    sync,
)


def table(database_url: str) -> list[dict]:
    """The review rows without their ids, in event order."""
    with review_engine(database_url).connect() as connection:
        found = connection.execute(sa.select(review_turns).order_by(review_turns.c.event_id))
        return [{k: v for k, v in row._mapping.items() if k != "id"} for row in found]


def test_each_user_message_becomes_one_row_once(tmp_path):
    tracker, database = f"sqlite:///{tmp_path / 't.db'}", f"sqlite:///{tmp_path / 'a.db'}"
    seed(tracker, 60)
    with sa.create_engine(tracker).connect() as connection:
        users = connection.scalar(sa.text("select count(*) from events where type_name = 'user'"))
        sender = connection.scalar(sa.text("select sender_id from events order by id desc limit 1"))
        of_sender = connection.scalar(
            sa.text("select count(*) from events where type_name = 'user' and sender_id = :s"), {"s": sender}
        )

    assert sync(tracker, database) == users
    assert sync(tracker, database) == 0
    assert turns.backlog(tracker, database) == 0
    assert latest_turn(sender, tracker) == of_sender
    assert [r["turn"] for r in conversation(sender, database)] == list(range(1, of_sender + 1))
    assert latest_turn("nobody", tracker) is None


def test_small_batches_fold_exactly_as_one_pass(tmp_path):
    """Batch boundaries fall inside turns and session starts; the rows must not depend on them."""
    tracker = f"sqlite:///{tmp_path / 't.db'}"
    seed(tracker, 25)
    sync(tracker, f"sqlite:///{tmp_path / 'one.db'}")
    sync(tracker, f"sqlite:///{tmp_path / 'small.db'}", batch_events=7)
    assert table(f"sqlite:///{tmp_path / 'one.db'}") == table(f"sqlite:///{tmp_path / 'small.db'}")


def test_a_turn_still_being_answered_is_completed_by_the_next_sync(stores):
    g = stores.generator
    writer = Writer("h5-split", stores.clock, {"channel": "h5"})
    g.session_start(writer)
    g.user(writer, "什么算虚假培训", "ask_compliance")
    stores.append(writer)  # the user message is stored, the answer not yet
    assert sync(stores.tracker_url, stores.database_url) == 1
    assert conversation("h5-split", stores.database_url)[0]["outcome"] == "fallback"  # no reply so far

    writer.action("action_answer_policy")
    g.reply(
        writer,
        "utter_policy_answer",
        {"citations": [{"doc_id": "d", "passage_id": "d:1"}], "answer": "answer"},
        act=False,
    )
    writer.slot("topic", "policy")
    g.listen(writer)
    g.chat(writer)
    stores.append(writer)
    assert sync(stores.tracker_url, stores.database_url) == 1

    first, second = conversation("h5-split", stores.database_url)
    assert (first["outcome"], first["answer_kind"], first["actions"]) == (
        "answered",
        "answer",
        ["action_answer_policy"],
    )
    assert first["citations"] == [{"doc_id": "d", "passage_id": "d:1"}]
    assert first["slots"]["topic"] == "policy"
    assert (second["turn"], second["intent"], second["outcome"]) == (2, "bot_challenge", "other")


@pytest.mark.parametrize(
    ("step", "outcomes", "kinds"),
    [
        ("policy", ["answered"], ["answer"]),
        ("declined", ["declined"], None),
        ("subsidy", None, None),
        ("courses", ["answered"], None),
        ("handoff", ["handoff"], [None]),
        ("chat", ["other"], [None]),
    ],
)
def test_outcomes_follow_actions_and_answer_kinds(stores, step, outcomes, kinds):
    stores.write("h5-one", getattr(stores.generator, step))
    found = (
        conversation("h5-one", stores.database_url) if sync(stores.tracker_url, stores.database_url) else []
    )
    last = found[-1]
    if step == "declined":
        assert last["outcome"] == "declined"
        assert last["answer_kind"] in {"not_covered", "place_not_covered", "neighbour", "out_of_scope"}
        assert last["citations"] == []
    elif step == "subsidy":  # form questions, then the estimate (unless the user left the form)
        assert all(t["outcome"] == "other" for t in found[:-1])
        assert last["outcome"] == ("answered" if last["answer_kind"] == "subsidy" else "other")
    elif step == "courses":  # the trade and place known: the cards come at once
        assert [t["outcome"] for t in found] == ["answered"] and last["answer_kind"] in {"courses", None}
    else:
        assert [t["outcome"] for t in found] == outcomes
        assert [t["answer_kind"] for t in found] == kinds


def test_clarification_then_a_person(stores):
    g = stores.generator
    stores.write("h5-unclear", g.unclear, g.unclear, g.unclear)
    sync(stores.tracker_url, stores.database_url)
    found = conversation("h5-unclear", stores.database_url)
    for t in found:
        if t["intent"] == "nlu_fallback" and not t["text"].startswith("/"):
            assert t["outcome"] == "clarify" and t["actions"] == ["action_clarify_intent"]
            assert t["confidence"] < 0.65
        else:  # "都不是" after a clarification
            assert t["outcome"] == "handoff" and t["handoff"] is True


def test_a_message_without_any_reply_is_a_fallback(stores):
    g = stores.generator
    stores.write("h5-failed", g.unanswered, g.chat)  # the action server was down for the first
    sync(stores.tracker_url, stores.database_url)
    first, second = conversation("h5-failed", stores.database_url)
    assert (first["outcome"], first["bot_text"], second["outcome"]) == ("fallback", "", "other")


def test_personal_numbers_are_masked_and_entities_follow(stores):
    g = stores.generator
    g.phone_share = 1.0
    stores.write("h5-phone", g.subsidy)
    g.phone_share = 0.0
    sync(stores.tracker_url, stores.database_url)
    first = conversation("h5-phone", stores.database_url)[0]
    assert "13912345678" not in first["text"] and first["text"].startswith("我电话[手机号]，")
    (entity,) = first["entities"]
    assert first["text"][entity["start"] : entity["end"]] == entity["value"]
    assert len(PHONE_NOTE) != len("我电话[手机号]，")  # the offsets really moved


def test_entry_context_is_carried_through_the_conversation(stores):
    """WeChat sends the entry context with the entry message only; later turns keep it."""
    g = stores.generator
    entry = {"channel": "miniprogram", "campaign": "2027春季招生", "region": "彭阳县"}
    writer = Writer("wechat:o1", stores.clock, entry)
    g.session_start(writer)
    g.greet(writer)
    writer.meta = {"channel": "miniprogram"}
    g.chat(writer)
    g.policy(writer)
    stores.append(writer)
    stores.write("h5-plain", g.subsidy)
    sync(stores.tracker_url, stores.database_url)

    found = conversation("wechat:o1", stores.database_url)
    assert {(t["channel"], t["campaign"], t["place"]) for t in found} == {
        ("miniprogram", "2027春季招生", "彭阳县")
    }
    plain = conversation("h5-plain", stores.database_url)
    assert plain[0]["place"] == ""  # asked for the region only in this turn's question
    if len(plain) > 1:  # the place the user named fills in where no entry link gave one
        assert plain[1]["place"] == plain[1]["slots"]["region"]


def test_a_new_session_closes_the_last_turn(stores):
    g = stores.generator
    writer = Writer("h5-twice", stores.clock, {"channel": "h5"})
    g.session_start(writer)
    g.policy(writer)
    writer.clock += 7200
    g.session_start(writer)  # Rasa starts a new session: slots cleared
    g.chat(writer)
    stores.append(writer)
    sync(stores.tracker_url, stores.database_url, batch_events=3)
    first, second = conversation("h5-twice", stores.database_url)
    assert first["slots"]["topic"] == "policy"
    assert "topic" not in second["slots"] and second["turn"] == 2


def test_concurrent_syncs_fold_every_event_once(tmp_path):
    tracker, database = f"sqlite:///{tmp_path / 't.db'}", f"sqlite:///{tmp_path / 'a.db'}"
    seed(tracker, 40)
    review_engine(database)
    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(sync(tracker, database, batch_events=50)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with sa.create_engine(tracker).connect() as connection:
        users = connection.scalar(sa.text("select count(*) from events where type_name = 'user'"))
    assert sum(results) == users == len(table(database))


# ------------------------------------------------------------------------------------------- queries


@pytest.fixture
def filled(tmp_path):
    tracker, database = f"sqlite:///{tmp_path / 't.db'}", f"sqlite:///{tmp_path / 'a.db'}"
    seed(tracker, 120, days=30)
    sync(tracker, database)
    return database, table(database)


@pytest.mark.parametrize(
    ("filters", "keeps"),
    [
        (TurnFilter(outcome="declined"), lambda r: r["outcome"] == "declined"),
        (TurnFilter(outcome="clarify"), lambda r: r["outcome"] == "clarify"),
        (TurnFilter(max_confidence=0.6), lambda r: r["confidence"] is not None and r["confidence"] < 0.6),
        (TurnFilter(channel="miniprogram"), lambda r: r["channel"] == "miniprogram"),
        (TurnFilter(campaign="一人一技"), lambda r: r["campaign"] == "一人一技"),
        (TurnFilter(place="彭阳县"), lambda r: r["place"] == "彭阳县"),
        (
            TurnFilter(outcome="answered", since=datetime(2026, 11, 20), until=datetime(2026, 11, 27)),
            lambda r: (
                r["outcome"] == "answered" and datetime(2026, 11, 20) <= r["at"] < datetime(2026, 11, 27)
            ),
        ),
    ],
)
def test_filters_page_through_exactly_the_matching_turns(filled, filters, keeps):
    database, everything = filled
    expected = sorted((r["sender_id"], r["turn"]) for r in everything if keeps(r))
    assert expected, "the generated store has turns of this kind"
    seen, cursor, pages = [], None, 0
    while True:
        page = find_turns(filters, limit=7, cursor=cursor, database_url=database)
        assert [(r["at"], r["id"]) for r in page.rows] == sorted(
            ((r["at"], r["id"]) for r in page.rows), reverse=True
        )
        seen += [(r["sender_id"], r["turn"]) for r in page.rows]
        pages += 1
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(seen) == expected  # every match once, nothing else
    assert pages == max(1, -(-len(expected) // 7))


def test_negative_feedback_filter_joins_the_feedback_table(filled):
    database, everything = filled
    answered = [r for r in everything if r["outcome"] == "answered"][:5]
    feedback = [
        {
            "sender_id": r["sender_id"],
            "turn": r["turn"],
            "helpful": n > 1,
            "reason": "没说清楚",
            "channel": "h5",
            "at": r["at"],
        }
        for n, r in enumerate(answered)
    ]
    with feedback_engine(database).begin() as connection:
        connection.execute(sa.insert(review_feedback), feedback)
    page = find_turns(TurnFilter(negative_feedback=True), database_url=database)
    assert sorted((r["sender_id"], r["turn"]) for r in page.rows) == sorted(
        (r["sender_id"], r["turn"]) for r in answered[:2]
    )
    notes = [
        t["feedback"]
        for t in conversation(answered[0]["sender_id"], database)
        if t["turn"] == answered[0]["turn"]
    ]
    assert notes == [[{"helpful": False, "reason": "没说清楚", "at": answered[0]["at"]}]]


def test_bad_filters_are_refused(filled):
    database, _ = filled
    with pytest.raises(ValueError):
        find_turns(TurnFilter(outcome="maybe"), database_url=database)
    with pytest.raises(turns.BadCursor):
        find_turns(TurnFilter(), cursor="not-a-cursor", database_url=database)
