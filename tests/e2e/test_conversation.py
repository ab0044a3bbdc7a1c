"""A short Chinese conversation through the running gateway, Rasa and action server."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bot.settings import local_rasa_urls
from tests.conftest import HOTLINE

pytestmark = pytest.mark.e2e


def say(gateway, sender: str, message: str, **metadata) -> dict:
    response = gateway.post("/api/chat", json={"sender_id": sender, "message": message, "metadata": metadata})
    assert response.status_code == 200, response.text
    return response.json()


def test_health_reports_all_services_up(gateway):
    response = gateway.get("/health")
    assert response.status_code == 200
    assert response.json()["services"] == {"gateway": "ok", "rasa": "ok", "actions": "ok"}


def test_greeting_conversation_to_handoff(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turn = say(
        gateway, sender, "你好", channel="h5", region="彭阳县", role="trainee", campaign="2027春季招生"
    )
    assert turn["intent"]["name"] == "greet"
    assert turn["messages"] and "您好" in turn["messages"][0]["text"]
    assert "彭阳县" in turn["messages"][0]["text"]  # the poster's region shapes the greeting
    # action_session_start kept the entry context from the first message's metadata
    assert turn["slots"]["region"] == "彭阳县"
    assert turn["slots"]["role"] == "trainee"
    assert turn["slots"]["source_channel"] == "h5"
    assert turn["slots"]["campaign"] == "2027春季招生"
    assert turn["handoff"] is False

    turn = say(gateway, sender, "你是机器人吗")
    assert turn["intent"]["name"] == "bot_challenge"
    assert "助手" in turn["messages"][0]["text"]
    assert turn["slots"]["region"] == "彭阳县"  # remembered across turns

    turn = say(gateway, sender, "我要转人工")
    assert turn["intent"]["name"] == "human_handoff"
    assert turn["handoff"] is True
    assert HOTLINE in turn["messages"][0]["text"]

    turn = say(gateway, sender, "谢谢")
    assert turn["intent"]["name"] == "thank" and turn["handoff"] is False
    turn = say(gateway, sender, "再见")
    assert turn["intent"]["name"] == "goodbye"


def test_institution_poster_opens_in_compliance_mode(gateway):
    turn = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", "您好", channel="h5", role="institution")
    assert turn["intent"]["name"] == "greet"
    assert "合规" in turn["messages"][0]["text"]


def test_out_of_scope_is_declined(gateway):
    turn = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", "今天天气怎么样")
    assert turn["intent"]["name"] == "out_of_scope"
    assert "抱歉" in turn["messages"][0]["text"] or "不好意思" in turn["messages"][0]["text"]


def test_nlu_parse(gateway):
    response = gateway.post("/api/nlu/parse", json={"text": "你好"})
    assert response.status_code == 200
    body = response.json()
    assert body["intent"]["name"] == "greet" and 0 < body["intent"]["confidence"] <= 1
    assert body["entities"] == []


def test_concurrent_conversations_on_the_two_rasa_processes_lose_nothing(assistant, gateway):
    """The embedded default: two Rasa processes sharing the SQLite tracker store, in-memory locks.
    Conversations held at the same time are spread over both; every turn and slot is kept."""
    urls = local_rasa_urls(assistant)
    assert len(urls) == 2
    script = ["我能拿多少补贴", "彭阳县", "农民工", "叉车证", "本地户口，没领过"]  # 农民工 told unasked
    senders = [f"e2e-pair-{n}-{uuid.uuid4().hex[:6]}" for n in range(4)]
    with ThreadPoolExecutor(len(senders)) as pool:
        for message in script:
            finals = list(pool.map(say, [gateway] * len(senders), senders, [message] * len(senders)))
    for sender, final in zip(senders, finals, strict=True):
        assert "1400元" in "".join(m.get("text") or "" for m in final["messages"])
        trackers = [
            httpx.get(f"{url}/conversations/{sender}/tracker", params={"include_events": "ALL"}).json()
            for url in urls
        ]
        assert trackers[0]["slots"] == trackers[1]["slots"]  # one store, whichever process is asked
        assert [e["text"] for e in trackers[0]["events"] if e["event"] == "user"] == script
