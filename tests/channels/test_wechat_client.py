"""The WeChat API client against the local fake: token cached, renewed when rejected."""

import pytest

from bot.wechat.client import WeChatApi, WeChatApiError
from tests.channels.fake_wechat_api import FakeWeChatApi


@pytest.fixture
def fake():
    with FakeWeChatApi().running() as server:
        yield server


def text(openid: str, content: str) -> dict:
    return {"touser": openid, "msgtype": "text", "text": {"content": content}}


async def test_token_is_fetched_once_and_reused(fake):
    api = WeChatApi(fake.url, fake.appid, fake.secret)
    try:
        await api.send_custom_message(text("o1", "一"))
        await api.send_custom_message(text("o1", "二"))
    finally:
        await api.close()
    assert fake.token_requests == 1
    assert [m["text"]["content"] for m in fake.messages_to("o1")] == ["一", "二"]


async def test_expired_token_is_renewed_and_the_message_delivered(fake):
    api = WeChatApi(fake.url, fake.appid, fake.secret)
    try:
        await api.send_custom_message(text("o2", "一"))
        fake.expire_tokens()
        await api.send_custom_message(text("o2", "二"))
    finally:
        await api.close()
    assert fake.rejected == [42001]
    assert fake.token_requests == 2
    assert len(fake.messages_to("o2")) == 2


async def test_token_unknown_to_wechat_is_renewed(fake):
    api = WeChatApi(fake.url, fake.appid, fake.secret)
    try:
        await api.send_custom_message(text("o3", "一"))
        fake.tokens.clear()  # e.g. another process fetched a new token, invalidating ours
        await api.send_custom_message(text("o3", "二"))
    finally:
        await api.close()
    assert fake.rejected == [40001]
    assert len(fake.messages_to("o3")) == 2


async def test_wrong_secret_is_reported(fake):
    api = WeChatApi(fake.url, fake.appid, "wrong")
    try:
        with pytest.raises(WeChatApiError) as error:
            await api.send_custom_message(text("o4", "一"))
    finally:
        await api.close()
    assert error.value.errcode == 40125
    assert fake.messages_to("o4") == []
