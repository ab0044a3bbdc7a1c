"""The gateway's failover between Rasa processes: a turn that could not reach one goes to another, and
the unreachable one is tried last for a while; a turn that may have been processed is not repeated."""

import httpx
import pytest

import bot.gateway.rasa_client
from bot.gateway.rasa_client import RasaClient, RasaUnavailable

URLS = ["http://rasa-1:5005", "http://rasa-2:5006"]
ANSWER = {"messages": [{"text": "您好"}], "slots": {}, "latest_message": {}}


class Replicas:
    """Answers turns as Rasa would; `fail` maps a host to the error its requests raise."""

    def __init__(self, **fail: type[httpx.TransportError]):
        self.fail = fail
        self.calls: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        self.calls.append(host)
        if host in self.fail:
            raise self.fail[host]("failed", request=request)
        return httpx.Response(200, json=ANSWER)

    def client(self) -> RasaClient:
        return RasaClient(URLS, timeout=5, transport=httpx.MockTransport(self.handle))


@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
async def test_a_turn_that_did_not_reach_a_process_goes_to_another(error):
    replicas = Replicas(**{"rasa-1": error})
    assert (await replicas.client().turn("a", "你好", {}))["messages"] == ANSWER["messages"]
    assert replicas.calls == ["rasa-1", "rasa-2"]


@pytest.mark.parametrize("error", [httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError])
async def test_a_turn_that_may_have_been_processed_is_not_repeated(error):
    replicas = Replicas(**{"rasa-1": error})
    with pytest.raises(RasaUnavailable):
        await replicas.client().turn("a", "你好", {})
    assert replicas.calls == ["rasa-1"]


async def test_an_unreachable_process_is_tried_last_until_the_pause_is_over(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(bot.gateway.rasa_client.time, "monotonic", lambda: now[0])
    replicas = Replicas(**{"rasa-1": httpx.ConnectError})
    rasa = replicas.client()
    for sender in ("a", "b", "c"):
        await rasa.turn(sender, "你好", {})
    assert replicas.calls == ["rasa-1", "rasa-2", "rasa-2", "rasa-2"]

    del replicas.fail["rasa-1"]  # restarted
    now[0] += bot.gateway.rasa_client.UNREACHABLE_SECONDS
    await rasa.turn("d", "你好", {})
    assert replicas.calls[-1] == "rasa-1"


async def test_when_every_process_was_unreachable_all_are_tried_again():
    replicas = Replicas(**{"rasa-1": httpx.ConnectError, "rasa-2": httpx.ConnectError})
    rasa = replicas.client()
    with pytest.raises(RasaUnavailable):
        await rasa.turn("a", "你好", {})
    replicas.fail.clear()
    await rasa.turn("a", "你好", {})
    assert replicas.calls == ["rasa-1", "rasa-2", "rasa-1"]
