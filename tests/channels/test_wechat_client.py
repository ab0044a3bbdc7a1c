"""The WeChat API client against the local fake: token cached, renewed when rejected; sends WeChat
certainly did not accept retried with backoff, and nothing else retried, so nothing arrives twice."""

import logging

import httpx
import pytest

from bot.stack import free_port
from bot.wechat.client import RETRY_DELAYS_SECONDS, WeChatApi, WeChatApiError
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


class Waits:
    """Records the backoff instead of sleeping it."""

    def __init__(self):
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.mark.parametrize("failure", [{"errcode": -1}, {"status": 503}], ids=["system-busy", "http-503"])
async def test_send_not_accepted_twice_is_retried_with_backoff_and_delivered_once(fake, failure):
    waits = Waits()
    api = WeChatApi(fake.url, fake.appid, fake.secret, sleep=waits)
    fake.fail_next_sends(2, **failure)
    try:
        await api.send_custom_message(text("o5", "一"))
    finally:
        await api.close()
    assert [m["text"]["content"] for m in fake.messages_to("o5")] == ["一"]
    assert fake.send_attempts == 3
    assert waits.seconds == list(RETRY_DELAYS_SECONDS[:2]) == [0.5, 1.0]


async def test_system_busy_every_time_gives_up_after_bounded_attempts(fake):
    waits = Waits()
    api = WeChatApi(fake.url, fake.appid, fake.secret, sleep=waits)
    fake.fail_next_sends(10)
    try:
        with pytest.raises(WeChatApiError) as error:
            await api.send_custom_message(text("o6", "一"))
    finally:
        await api.close()
    assert error.value.errcode == -1
    assert fake.send_attempts == len(RETRY_DELAYS_SECONDS) + 1
    assert waits.seconds == [0.5, 1.0, 2.0]
    assert fake.messages_to("o6") == []


async def test_read_timeout_is_not_retried_and_is_logged(fake, caplog):
    waits = Waits()
    api = WeChatApi(fake.url, fake.appid, fake.secret, timeout=0.5, sleep=waits)
    await api.access_token()
    fake.answer_next_sends_late(1, seconds=1.5)  # WeChat delivers it, but answers too late
    try:
        with caplog.at_level(logging.ERROR, logger="bot.wechat.client"), pytest.raises(httpx.ReadTimeout):
            await api.send_custom_message(text("o7", "一"))
    finally:
        await api.close()
    assert fake.send_attempts == 1 and waits.seconds == []
    assert len(fake.messages_to("o7")) == 1  # delivered once, and only once
    assert "outcome unknown" in caplog.text and "not retried" in caplog.text


async def test_permanent_error_is_not_retried(fake):
    waits = Waits()
    api = WeChatApi(fake.url, fake.appid, fake.secret, sleep=waits)
    fake.fail_next_sends(1, errcode=45015)  # the user has not written within 48 hours
    try:
        with pytest.raises(WeChatApiError) as error:
            await api.send_custom_message(text("o8", "一"))
    finally:
        await api.close()
    assert error.value.errcode == 45015
    assert fake.send_attempts == 1 and waits.seconds == []
    assert fake.messages_to("o8") == []


async def test_refused_connection_is_retried_then_reported():
    waits = Waits()
    api = WeChatApi(f"http://127.0.0.1:{free_port()}", "wx", "secret", sleep=waits)  # nothing listens
    try:
        with pytest.raises(WeChatApiError) as error:
            await api.send_custom_message(text("o9", "一"))
    finally:
        await api.close()
    assert "ConnectError" in str(error.value)
    assert waits.seconds == [0.5, 1.0, 2.0]


async def test_token_refresh_and_system_busy_together_deliver_once(fake):
    api = WeChatApi(fake.url, fake.appid, fake.secret, retry_delays=(0, 0, 0))
    try:
        await api.send_custom_message(text("o10", "一"))
        fake.expire_tokens()
        fake.fail_next_sends(1)
        await api.send_custom_message(text("o10", "二"))
    finally:
        await api.close()
    assert [m["text"]["content"] for m in fake.messages_to("o10")] == ["一", "二"]
    assert fake.rejected == [42001, -1]
