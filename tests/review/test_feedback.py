"""Feedback on answers: POST /api/feedback validates like the other routes and refuses, in Chinese, what
has no answer to refer to; a verdict is stored on the turn, replaces an earlier one, and is found by
the review table's filters; a WeChat reply such as "没帮助" records it instead of going to Rasa."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.channels.wechat_feedback import THANKS, TypedVerdict, typed_verdict
from bot.review.feedback import feedback_engine, review_feedback
from bot.review.turns import TurnFilter, conversation, find_turns, sync
from bot.stack import isolated_settings
from tests.channels.fake_wechat_api import FakeWeChatApi
from tests.channels.test_wechat_channel import StubRasa, channel_client
from tests.channels.test_wechat_push import assert_success, new_openid, push_plain, text_message

HOTLINE = "0954-7654321"


def answered(text: str, response: str = "utter_policy_answer", custom: dict | None = None):
    """A step: the user asks, the assistant replies with `response`."""

    def step(writer, generator):
        generator.user(writer, text, "ask_policy")
        generator.reply(writer, response, custom if custom is not None else {"answer": "answer"}, act=False)
        generator.listen(writer)

    return step


def unanswered(text: str):
    """A step: the user's message, with no reply yet (a turn in flight, or a failed action)."""

    def step(writer, generator):
        generator.user(writer, text, "ask_policy")

    return step


def conversation_of(stores, sender: str, *steps, channel: str = "h5") -> None:
    stores.write(sender, *(lambda w, s=s: s(w, stores.generator) for s in steps), meta={"channel": channel})


@pytest.fixture
def client(stores, tmp_path) -> TestClient:
    """The gateway without its lifespan (no Rasa client): the feedback route needs neither."""
    settings = isolated_settings(
        tmp_path, tracker_store_url=stores.tracker_url, database_url=stores.database_url, hotline=HOTLINE
    )
    return TestClient(create_app(settings))


def stored(stores) -> list[dict]:
    with feedback_engine(stores.database_url).connect() as connection:
        rows = connection.execute(sa.select(review_feedback).order_by(review_feedback.c.id))
        return [{k: v for k, v in row._mapping.items() if k not in ("id", "at")} for row in rows]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"helpful": False}, "sender_id"),
        ({"sender_id": "有空格 的id", "helpful": False}, "sender_id"),
        ({"sender_id": "u1"}, "helpful"),
        ({"sender_id": "u1", "helpful": "no"}, "helpful"),
        ({"sender_id": "u1", "helpful": 0}, "helpful"),
        ({"sender_id": "u1", "helpful": False, "turn": 0}, "turn"),
        ({"sender_id": "u1", "helpful": False, "turn": "2"}, "turn"),
        ({"sender_id": "u1", "helpful": False, "reason": "长" * 201}, "reason"),
        ({"sender_id": "u1", "helpful": False, "reason": 5}, "reason"),
    ],
)
def test_invalid_body_is_422_naming_the_field(client, body, field):
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and error["message"]
    assert field in [d["field"] for d in error["details"]]


def test_malformed_json_is_400(client):
    response = client.post(
        "/api/feedback", content=b'{"sender_id": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_json"


def test_what_has_no_answer_is_refused_in_chinese(client, stores):
    conversation_of(stores, "h5-asking", unanswered("补贴什么时候发"))
    conversation_of(stores, "h5-two", answered("什么算虚假培训"), unanswered("那怎么举报"))

    def refusal(body):
        response = client.post("/api/feedback", json={"helpful": False, **body})
        return response.status_code, response.json()["error"]["code"], response.json()["error"]["message"]

    assert refusal({"sender_id": "h5-nobody"}) == (
        404,
        "unknown_conversation",
        "没有找到这个会话，无法记录评价。",
    )
    assert refusal({"sender_id": "h5-asking"})[:2] == (409, "no_answer")
    assert refusal({"sender_id": "h5-two"}) == (
        409,
        "no_answer",
        "助手还没有回答这个会话里的问题，暂时无法评价。",
    )
    assert refusal({"sender_id": "h5-two", "turn": 2}) == (
        409,
        "turn_not_answered",
        "助手没有回答第 2 轮的消息，无法评价。",
    )
    assert refusal({"sender_id": "h5-two", "turn": 3}) == (404, "unknown_turn", "这个会话里没有第 3 轮对话。")
    assert stored(stores) == []


def test_verdict_is_stored_on_the_turn_and_a_second_one_replaces_it(client, stores):
    conversation_of(
        stores, "h5-visitor", answered("叉车证能补多少"), answered("什么算虚假培训"), channel="miniprogram"
    )
    helpful = client.post("/api/feedback", json={"sender_id": "h5-visitor", "helpful": True, "turn": 1})
    assert helpful.status_code == 200
    assert helpful.json() == {"sender_id": "h5-visitor", "turn": 1, "helpful": True, "reason": None}

    latest = client.post("/api/feedback", json={"sender_id": "h5-visitor", "helpful": False, "reason": "  "})
    assert latest.json()["turn"] == 2 and latest.json()["reason"] is None
    reason = "没说清楚，请打我电话13912345678"
    again = client.post(
        "/api/feedback", json={"sender_id": "h5-visitor", "helpful": False, "turn": 2, "reason": reason}
    )
    assert again.json()["reason"] == "没说清楚，请打我电话[手机号]"

    assert stored(stores) == [
        {"sender_id": "h5-visitor", "turn": 1, "helpful": True, "reason": None, "channel": "miniprogram"},
        {
            "sender_id": "h5-visitor",
            "turn": 2,
            "helpful": False,
            "reason": "没说清楚，请打我电话[手机号]",
            "channel": "miniprogram",
        },
    ]
    # What the review console reads: the verdict on its turn, and the negative-feedback filter.
    sync(stores.tracker_url, stores.database_url)
    turns = conversation("h5-visitor", stores.database_url)
    assert [[f["helpful"] for f in t["feedback"]] for t in turns] == [[True], [False]]
    negative = find_turns(TurnFilter(negative_feedback=True), database_url=stores.database_url).rows
    assert [(r["sender_id"], r["turn"], r["text"]) for r in negative] == [("h5-visitor", 2, "什么算虚假培训")]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("没帮助", TypedVerdict(False, None)),
        (" 没有帮助。", TypedVerdict(False, None)),
        ("没用，我问的是叉车证", TypedVerdict(False, "我问的是叉车证")),
        ("没帮助：没说怎么申请！", TypedVerdict(False, "没说怎么申请")),
        ("有帮助", TypedVerdict(True, None)),
        ("有用！谢谢", TypedVerdict(True, "谢谢")),
        ("有用吗", None),
        ("没有用过补贴", None),
        ("有帮助学员找工作的政策吗", None),
        ("帮助", None),
        ("", None),
    ],
)
def test_typed_verdicts(text, verdict):
    assert typed_verdict(text) == verdict


@pytest.fixture
def fake():
    with FakeWeChatApi().running() as server:
        yield server


def test_wechat_reply_records_feedback_on_the_latest_answer_instead_of_a_turn(tmp_path, stores, fake):
    openid, newcomer = new_openid(), new_openid()
    conversation_of(
        stores, f"wechat:{openid}", answered("失业金怎么领", "utter_out_of_scope"), channel="miniprogram"
    )
    rasa = StubRasa(replies=[{"text": "您好"}])
    urls = {"tracker_store_url": stores.tracker_url, "database_url": stores.database_url}
    with channel_client(tmp_path, fake, rasa, **urls) as gateway:
        assert_success(push_plain(gateway, text_message(openid, "没帮助，我想知道去哪里领")))
        assert_success(push_plain(gateway, text_message(newcomer, "没帮助")))

    assert [m["text"]["content"] for m in fake.wait_for_messages(openid)] == [
        THANKS[False].format(hotline=HOTLINE)
    ]
    assert stored(stores) == [
        {
            "sender_id": f"wechat:{openid}",
            "turn": 1,
            "helpful": False,
            "reason": "我想知道去哪里领",
            "channel": "miniprogram",
        }
    ]
    # Nothing to give feedback on yet: the newcomer's message is an ordinary turn.
    assert rasa.turns == [(f"wechat:{newcomer}", "没帮助")]
    assert [m["text"]["content"] for m in fake.wait_for_messages(newcomer)] == ["您好"]
