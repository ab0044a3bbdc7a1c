"""Two Rasa processes sharing a PostgreSQL tracker store and a Redis lock store behind the gateway:
two conversations are under way, the process that has served their turns so far (the first: turns
sent one at a time go to the first free process) is killed in the middle, their next turns go to
the other one, and no turn or slot is lost."""

import os
import signal

import httpx
import pytest

from bot import rasa_model
from bot.settings import local_rasa_urls
from bot.stack import Stack, isolated_settings
from tests.reliability.stores import postgres, redis, require_binaries

pytestmark = pytest.mark.e2e

TURNS = ["我能拿多少补贴", "彭阳县", "农民工", "叉车证", "本地户口，没领过"]
KILL_AFTER = 3  # turns; the form has region and person_type by then
SENDERS = ["replica-a", "replica-b"]


@pytest.fixture(scope="module")
def replicated(tmp_path_factory):
    require_binaries()
    workdir = tmp_path_factory.mktemp("replicas")
    with postgres() as tracker_url, redis(workdir / "redis") as redis_port:
        settings = isolated_settings(
            workdir,
            rasa_processes=2,
            tracker_store_url=tracker_url,
            lock_store_type="redis",
            lock_store_port=redis_port,
            rate_limit_sender_per_minute=0,
        )
        with Stack(settings, rasa_model.train(force=False)) as stack:
            yield stack, local_rasa_urls(settings)


def tracker(rasa_url: str, sender: str) -> dict:
    response = httpx.get(
        f"{rasa_url}/conversations/{sender}/tracker", params={"include_events": "ALL"}, timeout=30
    )
    response.raise_for_status()
    return response.json()


def test_no_turn_or_slot_lost_when_a_replica_dies(replicated):
    stack, urls = replicated
    gateway = httpx.Client(base_url=f"http://127.0.0.1:{stack.settings.gateway_port}", timeout=60)
    answers: dict[str, list[dict]] = {sender: [] for sender in SENDERS}

    def turn(index: int) -> None:
        for sender in SENDERS:
            response = gateway.post("/api/chat", json={"sender_id": sender, "message": TURNS[index]})
            assert response.status_code == 200, response.text
            answers[sender].append(response.json())

    for index in range(KILL_AFTER):
        turn(index)
    for sender in SENDERS:  # one conversation, whichever replica is asked
        assert tracker(urls[0], sender)["slots"] == tracker(urls[1], sender)["slots"]
        assert tracker(urls[0], sender)["slots"]["person_type"] == "农民工"

    victim = next(s for s in stack.services if s.name == "rasa-1")
    os.killpg(victim.process.pid, signal.SIGKILL)
    victim.process.wait(timeout=10)

    for index in range(KILL_AFTER, len(TURNS)):
        turn(index)
    for sender in SENDERS:
        final = answers[sender][-1]
        assert final["slots"]["region"] == "彭阳县" and final["slots"]["person_type"] == "农民工"
        assert "1400元" in "".join(m.get("text") or "" for m in final["messages"])
        said = [e["text"] for e in tracker(urls[1], sender)["events"] if e["event"] == "user"]
        assert said == TURNS
    gateway.close()
