"""Faults caused for real on a running stack: the action server dies (the chat still answers, with an
apology and the hotline), then every Rasa process dies (503 with a clear message)."""

import os
import signal

import httpx
import pytest

from bot import rasa_model
from bot.stack import Service, Stack, isolated_settings

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    settings = isolated_settings(tmp_path_factory.mktemp("faults"), hotline="12333")
    with Stack(settings, rasa_model.train(force=False)) as stack:
        yield stack


@pytest.fixture(scope="module")
def gateway(stack):
    with httpx.Client(base_url=f"http://127.0.0.1:{stack.settings.gateway_port}", timeout=60) as client:
        yield client


def kill(service: Service) -> None:
    assert service.process is not None
    os.killpg(service.process.pid, signal.SIGKILL)
    service.process.wait(timeout=10)


def chat(gateway: httpx.Client, sender: str, message: str) -> httpx.Response:
    return gateway.post("/api/chat", json={"sender_id": sender, "message": message})


def test_action_server_down_answers_with_an_apology(stack, gateway):
    before = chat(gateway, "fault-actions", "你好")
    assert before.status_code == 200 and before.json()["messages"]
    assert "12333" not in str(before.json()["messages"])

    kill(next(s for s in stack.services if s.name == "actions"))
    response = chat(gateway, "fault-actions", "我能拿多少补贴")
    assert response.status_code == 200
    texts = [m.get("text") or "" for m in response.json()["messages"]]
    assert len(texts) == 1 and "抱歉" in texts[0] and "12333" in texts[0]
    assert gateway.get("/health").json()["services"]["actions"] == "unavailable"


def test_rasa_down_is_503_with_a_clear_message(stack, gateway):
    for rasa in (s for s in stack.services if s.name.startswith("rasa-")):
        kill(rasa)
    response = chat(gateway, "fault-rasa", "你好")
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "rasa_unavailable" and "12333" in error["message"]
    health = gateway.get("/health")
    assert health.status_code == 503 and health.json()["services"]["rasa"] == "unavailable"
