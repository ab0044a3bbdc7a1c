"""The evaluations' and benchmarks' client waits out the gateway's rate limit, and gives up on other errors."""

import httpx
import pytest

from bot.answers.chat_client import MAX_WAITS, post_chat, post_waiting


def client(*statuses: int) -> tuple[httpx.Client, list[int]]:
    """A gateway answering each message with the next status (429 with Retry-After 0); records the calls."""
    calls, script = [], iter(statuses)

    def handle(request: httpx.Request) -> httpx.Response:
        status = next(script)
        calls.append(status)
        headers = {"Retry-After": "0"} if status == 429 else {}
        return httpx.Response(status, json={"messages": [{"text": "好的"}]}, headers=headers)

    return httpx.Client(transport=httpx.MockTransport(handle), base_url="http://gateway"), calls


def test_a_limited_message_is_sent_again_after_the_wait():
    http, calls = client(429, 429, 200)
    assert post_chat(http, {"sender_id": "s", "message": "你好"}) == {"messages": [{"text": "好的"}]}
    assert calls == [429, 429, 200]


def test_other_errors_and_endless_limits_raise():
    http, calls = client(500)
    with pytest.raises(httpx.HTTPStatusError):
        post_chat(http, {"sender_id": "s", "message": "你好"})
    http, calls = client(*[429] * MAX_WAITS)
    with pytest.raises(httpx.HTTPStatusError):
        post_chat(http, {"sender_id": "s", "message": "你好"})
    assert len(calls) == MAX_WAITS


def test_the_assist_bench_waits_out_the_limit_too():
    http, calls = client(429, 200)
    response = post_waiting(http, "/api/assist/suggest", {"text": "电工证补贴多少钱"})
    assert response.status_code == 200 and calls == [429, 200]
