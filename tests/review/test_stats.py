"""The office's numbers on a small store whose every figure is known: per Beijing day, channel, campaign
and place; outcome shares; unanswered questions grouped by meaning (with the real embedder); feedback;
the CSV; and /api/admin/stats behind the operator token."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.review.feedback import give_feedback
from bot.review.stats import Period, compute_stats, group_questions, stats_csv, stats_text
from bot.review.turns import sync
from bot.settings import get_settings
from bot.stack import isolated_settings
from retrieval.embedder import get_embedder

TOKEN = {"Authorization": "Bearer dev-admin-token"}  # its digest is the default of admin_token_hashes
PERIOD = Period(date(2026, 11, 30), date(2026, 12, 1))


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


@pytest.fixture(scope="module")
def encode():
    return get_embedder(get_settings().embedding_model).encode


def ask(text, response, custom=None, intent="ask_policy", action=None):
    def step(writer, generator):
        generator.user(writer, text, intent)
        if action:
            writer.action(action)
        generator.reply(writer, response, custom, act=False)
        generator.listen(writer)

    return step


ANSWERED = ("utter_policy_answer", {"answer": "answer", "citations": []})
DECLINED = ("utter_out_of_scope", {"answer": "out_of_scope", "citations": []})


@pytest.fixture
def store(stores):
    def conversation(sender, when, meta, *steps):
        stores.clock = at(when)
        stores.write(sender, *(lambda w, s=s: s(w, stores.generator) for s in steps), meta=meta)

    poster = {"channel": "h5", "campaign": "2027春季招生", "region": "彭阳县"}
    conversation(
        "h5-a",
        "2026-11-30T02:00:00",
        poster,
        ask("什么算虚假培训", *ANSWERED),
        ask("失业金怎么领", *DECLINED),
    )
    # 00:30 on 1 December in Beijing, still 30 November in UTC
    conversation(
        "mp-b",
        "2026-11-30T16:30:00",
        {"channel": "miniprogram"},
        ask("失业保险金在哪领取", *DECLINED),
        ask("asdkjh", "utter_default", action="action_default_fallback"),
        ask("我要转人工", "utter_handoff", {"handoff": True}, intent="human_handoff"),
    )
    conversation(
        "api-c",
        "2026-12-01T03:00:00",
        {"channel": "api", "campaign": "一人一技", "region": "广州市"},
        ask("你好", "utter_greet", intent="greet"),
        ask("失业金怎么领", *DECLINED),
        ask("今天天气怎么样", *DECLINED),
        ask("叉车证能补多少", *ANSWERED),
    )
    conversation("h5-old", "2026-11-20T02:00:00", {"channel": "h5"}, ask("失业金怎么领", *DECLINED))
    sync(stores.tracker_url, stores.database_url)
    give_feedback(stores.database_url, stores.tracker_url, "h5-a", True, turn=1)
    give_feedback(stores.database_url, stores.tracker_url, "api-c", False, "没说清楚", turn=4)
    give_feedback(stores.database_url, stores.tracker_url, "h5-old", False)  # outside the period
    return stores


def figures(tallies):
    return [(t.label, t.conversations, t.turns) for t in tallies]


def test_numbers_per_day_channel_campaign_and_place(store, encode):
    stats = compute_stats(PERIOD, store.database_url, encode)

    assert (stats.total.conversations, stats.total.turns) == (3, 9)
    assert stats.total.outcomes == {
        "answered": 2,
        "declined": 4,
        "fallback": 1,
        "clarify": 0,
        "handoff": 1,
        "other": 1,
    }
    assert stats.total.share("declined") == pytest.approx(4 / 9)
    assert figures(stats.by["day"]) == [("2026-11-30", 1, 2), ("2026-12-01", 2, 7)]
    assert figures(stats.by["channel"]) == [("接口", 1, 4), ("微信小程序", 1, 3), ("H5 网页", 1, 2)]
    assert figures(stats.by["campaign"]) == [
        ("一人一技", 1, 4),
        ("（非海报入口）", 1, 3),
        ("2027春季招生", 1, 2),
    ]
    assert figures(stats.by["place"]) == [("广州市", 1, 4), ("（未知）", 1, 3), ("彭阳县", 1, 2)]
    assert stats.by["channel"][1].outcomes["handoff"] == 1

    feedback = stats.feedback
    assert (feedback.helpful, feedback.not_helpful, feedback.with_reason, feedback.turns) == (1, 1, 1, 9)
    assert feedback.helpful_share == 0.5 and feedback.rate == pytest.approx(2 / 9)


def test_unanswered_questions_are_grouped_by_meaning(store, encode):
    groups = compute_stats(PERIOD, store.database_url, encode).unanswered
    assert [(g.text, g.turns, g.conversations, g.wordings) for g in groups] == [
        ("失业金怎么领", 3, 3, ["失业保险金在哪领取"]),
        ("asdkjh", 1, 1, []),
        ("今天天气怎么样", 1, 1, []),
    ]


def test_grouping_merges_spellings_and_keeps_distinct_questions_apart(encode):
    wordings = [
        ("失业金怎么领", 5, 5),
        ("失業金怎麼領？", 2, 2),  # traditional characters and punctuation: the same wording
        ("怎么申请失业金", 1, 1),
        ("公积金怎么提取", 3, 3),
        ("住房公积金提取流程", 1, 1),
        ("考驾照有补贴吗", 2, 2),
        ("我电话13912345678，驾照补贴吗", 1, 1),
        ("？？", 4, 4),
    ]
    groups = group_questions(wordings, encode)
    assert [(g.text, g.turns, g.conversations, g.wordings) for g in groups] == [
        ("失业金怎么领", 8, 8, ["怎么申请失业金"]),
        ("公积金怎么提取", 4, 4, ["住房公积金提取流程"]),
        ("考驾照有补贴吗", 3, 3, ["我电话[手机号]，驾照补贴吗"]),
    ]


def test_csv_and_text_report(store, encode):
    stats = compute_stats(PERIOD, store.database_url, encode)
    table = stats_csv(stats)
    assert table.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(table.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["类别", "项目", "会话数", "消息数"]
    assert rows[1][:4] == ["合计（2026-11-30～2026-12-01）", "合计", "3", "9"]
    assert rows[3][:4] == ["按日", "2026-12-01", "2", "7"]
    assert rows[4][:4] == ["按渠道", "接口", "1", "4"]
    assert ["未回答的问题", "失业金怎么领（另有问法：失业保险金在哪领取）", "3", "3"] in rows
    assert ["用户评价", "没帮助", "", "1"] in rows
    report = stats_text(stats)
    assert (
        "会话 3，消息 9" in report
        and "失业金怎么领（3 次，3 个会话；也这样问：失业保险金在哪领取）" in report
    )


@pytest.fixture
def client(store, tmp_path) -> TestClient:
    settings = isolated_settings(
        tmp_path, tracker_store_url=store.tracker_url, database_url=store.database_url
    )
    return TestClient(create_app(settings))


def test_api_needs_the_operator_token_and_a_sound_period(client):
    for path in ("/api/admin/stats", "/api/admin/stats/csv"):
        for headers in ({}, {"Authorization": "Bearer dev-assist-token"}):
            response = client.get(path, headers=headers)
            assert response.status_code == 401 and "令牌" in response.json()["error"]["message"]
    backwards = client.get("/api/admin/stats?since=2026-12-01&until=2026-11-30", headers=TOKEN)
    assert backwards.status_code == 422
    assert backwards.json()["error"] == {"code": "bad_period", "message": "开始日期不能晚于结束日期。"}
    assert client.get("/api/admin/stats?since=2024-01-01&until=2026-12-01", headers=TOKEN).status_code == 422
    assert client.get("/api/admin/stats?since=30-11-2026", headers=TOKEN).status_code == 422


def test_api_serves_the_numbers_and_the_csv(client):
    query = "?since=2026-11-30&until=2026-12-01"
    data = client.get(f"/api/admin/stats{query}", headers=TOKEN).json()
    assert (data["total"]["conversations"], data["total"]["turns"], data["behind"]) == (3, 9, 0)
    assert [d["key"] for d in data["by"]["day"]] == ["2026-11-30", "2026-12-01"]
    assert data["unanswered"][0]["text"] == "失业金怎么领"
    assert data["feedback"]["not_helpful"] == 1
    export = client.get(f"/api/admin/stats/csv{query}", headers=TOKEN)
    assert export.headers["content-type"].startswith("text/csv")
    assert 'filename="stats-2026-11-30-2026-12-01.csv"' in export.headers["content-disposition"]
    assert export.text.splitlines()[1].split(",")[2:4] == ["3", "9"]
