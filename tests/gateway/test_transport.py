"""A connection that breaks while being set up (anyio's AttributeError when the peer process is killed
at that moment) is a connection failure: the turn goes to the other Rasa process, /health says
"unavailable" — never a 500."""

import asyncio

import httpx
import pytest

from bot.gateway.rasa_client import RasaClient
from bot.gateway.transport import ServiceTransport

URLS = ["http://rasa-1:5005", "http://rasa-2:5006"]
ANSWER = {"messages": [{"text": "您好"}], "slots": {}, "latest_message": {}}


def broken_on(host: str):
    """httpx's transport, with `host`'s connections breaking as anyio breaks them."""

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.host == host:
            raise AttributeError("'NoneType' object has no attribute 'getpeername'")
        return httpx.Response(200, json=ANSWER, request=request)

    return handle


def test_a_connection_broken_while_set_up_is_a_connect_error(monkeypatch):
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", broken_on("rasa-1"))

    async def get() -> None:
        async with httpx.AsyncClient(transport=ServiceTransport()) as http:
            await http.get("http://rasa-1:5005/status")

    with pytest.raises(httpx.ConnectError, match="getpeername"):
        asyncio.run(get())


def test_the_turn_goes_to_the_other_rasa_process(monkeypatch):
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", broken_on("rasa-1"))

    async def turn() -> dict:
        rasa = RasaClient(URLS, timeout=5)
        try:
            return await rasa.turn("a", "你好", {})
        finally:
            await rasa.close()

    assert asyncio.run(turn()) == ANSWER
