"""The WeChat channel on its own, with a stand-in for Rasa and the fake WeChat API: a turn Rasa answers
with nothing (what Rasa does when the action server is down) gets /api/chat's apology, WeChat being
busy does not lose or duplicate the reply, and each user is held to the per-sender rate limit."""

import logging
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.gateway.channels import wechat
from bot.gateway.errors import NO_REPLY
from bot.stack import isolated_settings
from tests.channels.fake_wechat_api import SAMPLE_AES_KEY, SAMPLE_APPID, SAMPLE_TOKEN, FakeWeChatApi
from tests.channels.test_wechat_push import assert_success, new_openid, push_plain, text_message

HOTLINE = "0954-7654321"


class StubRasa:
    """Answers every turn with `replies`; without the conversation's state when `state_lost`
    (what Rasa's gateway channel answers when the tracker cannot be read after the turn)."""

    def __init__(self, replies: list[dict[str, Any]], state_lost: bool = False):
        self.replies = replies
        self.state_lost = state_lost
        self.turns: list[tuple[str, str]] = []

    async def turn(self, sender_id: str, text: str, metadata: dict[str, Any]) -> dict[str, Any]:
        self.turns.append((sender_id, text))
        if self.state_lost:
            return {"messages": self.replies, "slots": {}, "latest_message": {}}
        latest = {"intent": {"name": "greet", "confidence": 1.0}}
        return {"messages": self.replies, "slots": {}, "latest_message": latest}


@pytest.fixture
def fake():
    with FakeWeChatApi().running() as server:
        yield server


def channel_client(tmp_path, fake: FakeWeChatApi, rasa: StubRasa, **overrides: Any) -> TestClient:
    app = FastAPI()
    app.state.settings = isolated_settings(
        tmp_path,
        hotline=HOTLINE,
        wechat_token=SAMPLE_TOKEN,
        wechat_encoding_aes_key=SAMPLE_AES_KEY,
        wechat_appid=SAMPLE_APPID,
        wechat_appsecret=fake.secret,
        wechat_api_base=fake.url,
        **overrides,
    )
    app.state.rasa = rasa
    app.include_router(wechat.router)
    return TestClient(app)  # background tasks finish before a request returns


def test_no_reply_from_rasa_is_answered_with_the_chat_apology(tmp_path, fake):
    openid = new_openid()
    with channel_client(tmp_path, fake, StubRasa(replies=[])) as gateway:
        assert_success(push_plain(gateway, text_message(openid, "我能拿多少补贴")))
    (reply,) = fake.wait_for_messages(openid)
    assert reply["text"]["content"] == NO_REPLY.format(hotline=HOTLINE)
    assert "抱歉" in reply["text"]["content"] and HOTLINE in reply["text"]["content"]


def test_reply_is_sent_when_the_state_is_missing_after_the_turn(tmp_path, fake):
    openid = new_openid()
    rasa = StubRasa(replies=[{"text": "您好"}], state_lost=True)
    with channel_client(tmp_path, fake, rasa) as gateway:
        assert_success(push_plain(gateway, text_message(openid, "你好")))
    assert [m["text"]["content"] for m in fake.wait_for_messages(openid)] == ["您好"]


def test_wechat_busy_twice_still_delivers_the_reply_exactly_once(tmp_path, fake):
    openid = new_openid()
    with channel_client(tmp_path, fake, StubRasa(replies=[{"text": "您好"}])) as gateway:
        fake.fail_next_sends(2, errcode=-1)
        assert_success(push_plain(gateway, text_message(openid, "你好")))
    assert [m["text"]["content"] for m in fake.wait_for_messages(openid)] == ["您好"]
    assert fake.rejected.count(-1) == 2


def test_each_user_is_held_to_the_per_sender_limit(tmp_path, fake, caplog):
    flooder, other = new_openid(), new_openid()
    rasa = StubRasa(replies=[{"text": "您好"}])
    with (
        channel_client(tmp_path, fake, rasa, rate_limit_sender_per_minute=3) as gateway,
        caplog.at_level(logging.WARNING, logger=wechat.__name__),
    ):
        for n in range(5):
            assert_success(push_plain(gateway, text_message(flooder, f"第{n}条")))
        assert_success(push_plain(gateway, text_message(other, "你好")))
    assert [text for sender, text in rasa.turns if sender == f"wechat:{flooder}"] == [
        "第0条",
        "第1条",
        "第2条",
    ]
    assert len(fake.messages_to(flooder)) == 3
    assert len(fake.messages_to(other)) == 1
    assert caplog.text.count("over the per-user rate limit") == 2


def test_forged_signature_does_not_spend_the_users_allowance(tmp_path, fake):
    openid = new_openid()
    rasa = StubRasa(replies=[{"text": "您好"}])
    with channel_client(tmp_path, fake, rasa, rate_limit_sender_per_minute=1) as gateway:
        forged = push_plain(gateway, text_message(openid, "伪造"), sig="0" * 40)
        assert forged.status_code == 403
        assert_success(push_plain(gateway, text_message(openid, "你好")))
    assert rasa.turns == [(f"wechat:{openid}", "你好")]
