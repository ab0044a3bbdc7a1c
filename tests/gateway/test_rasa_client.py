"""Routing of the gateway's Rasa client: turns go to the least busy replica, two turns of one
conversation are never in two replicas at once, an unreachable replica is skipped, and requests
without a conversation go round-robin."""

import asyncio
import json

import httpx
import pytest

from bot.gateway.rasa_client import RasaClient, RasaUnavailable

URLS = ["http://rasa-1:5005", "http://rasa-2:5006", "http://rasa-3:5007"]


class Replicas:
    """Answers as Rasa would, recording (replica, sender) per request; replicas in `down` refuse
    connections; while `hold` is set, turns wait until it is released."""

    def __init__(self, down: frozenset[str] = frozenset()):
        self.down = down
        self.calls: list[tuple[str, str]] = []
        self.hold: asyncio.Event | None = None

    async def handle(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if host in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        body = json.loads(request.content or b"{}")
        self.calls.append((host, body.get("sender", "")))
        if self.hold is not None:
            await self.hold.wait()
        if request.url.path == "/webhooks/gateway/webhook":
            return httpx.Response(
                200, json={"messages": [{"text": "您好"}], "slots": {}, "latest_message": {}}
            )
        return httpx.Response(200, json={"model_file": "m.tar.gz", "intent": {}})

    def hosts(self) -> list[str]:
        return [host for host, _ in self.calls]


def client(replicas: Replicas) -> RasaClient:
    return RasaClient(URLS, timeout=5, transport=httpx.MockTransport(replicas.handle))


async def held_turns(replicas: Replicas, senders: list[str]) -> None:
    """Sends one turn per sender while every earlier one is still in flight."""
    rasa = client(replicas)
    replicas.hold = asyncio.Event()
    turns = []
    for sender in senders:
        turns.append(asyncio.create_task(rasa.turn(sender, "你好", {})))
        await asyncio.sleep(0.01)  # the turn has reached its replica
    replicas.hold.set()
    await asyncio.gather(*turns)


async def test_one_turn_at_a_time_goes_to_the_first_replica():
    replicas = Replicas()
    rasa = client(replicas)
    for sender in ("a", "b", "c", "a"):
        await rasa.turn(sender, "你好", {})
    assert replicas.hosts() == ["rasa-1"] * 4


async def test_turns_in_flight_are_spread_over_the_replicas():
    replicas = Replicas()
    await held_turns(replicas, ["a", "b", "c", "d", "e", "f"])
    assert replicas.hosts() == ["rasa-1", "rasa-2", "rasa-3"] * 2


async def test_a_conversation_with_a_turn_in_flight_stays_on_its_replica():
    replicas = Replicas()
    await held_turns(replicas, ["a", "b", "a", "a", "c"])
    placed = {sender: {host for host, s in replicas.calls if s == sender} for sender in "abc"}
    assert placed == {"a": {"rasa-1"}, "b": {"rasa-2"}, "c": {"rasa-3"}}


async def test_an_unreachable_replica_is_skipped():
    replicas = Replicas(down=frozenset({"rasa-1"}))
    answer = await client(replicas).turn("a", "你好", {})
    assert answer["messages"] == [{"text": "您好"}]
    assert replicas.hosts() == ["rasa-2"]


async def test_no_replica_reachable_is_rasa_unavailable():
    with pytest.raises(RasaUnavailable):
        await client(Replicas(down=frozenset({"rasa-1", "rasa-2", "rasa-3"}))).turn("a", "你好", {})


async def test_requests_without_a_conversation_go_round_robin():
    replicas = Replicas()
    rasa = client(replicas)
    for _ in range(6):
        await rasa.parse("你好")
    assert replicas.hosts() == ["rasa-1", "rasa-2", "rasa-3"] * 2


async def test_an_answer_without_a_message_list_is_rasa_unavailable():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=[]))
    with pytest.raises(RasaUnavailable):
        await RasaClient(URLS[:1], timeout=5, transport=transport).turn("a", "你好", {})


async def test_every_replica_reports_its_own_status():
    rasa = client(Replicas(down=frozenset({"rasa-2"})))
    assert await rasa.replica_statuses() == ["ok", "unavailable", "ok"]
