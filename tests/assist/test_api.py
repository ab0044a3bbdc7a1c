"""POST /api/assist/suggest and GET /api/assist/conversation refuse callers without an agent token (401)
and bad input (422), before Rasa is asked anything."""

import hashlib

import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.routes.assist import agent_token_valid
from bot.settings import Settings

TOKEN = "agent-007"
DIGESTS = f"{'0' * 64}, {hashlib.sha256(TOKEN.encode()).hexdigest()}"


@pytest.fixture
def client(tmp_path):
    # No lifespan: these requests are answered before the Rasa client would be used.
    settings = Settings(
        assist_token_hashes=DIGESTS, data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/a.db"
    )
    return TestClient(create_app(settings))


def test_tokens_are_checked_against_their_digests():
    assert agent_token_valid(TOKEN, DIGESTS)
    assert not agent_token_valid("agent-008", DIGESTS)
    assert not agent_token_valid("", DIGESTS)
    assert not agent_token_valid(TOKEN, "")


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}]
)
def test_suggest_without_a_valid_token_is_401(client, headers):
    response = client.post("/api/assist/suggest", json={"text": "叉车证能补多少"}, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["message"]
    assert client.get("/api/assist/conversation/abc", headers=headers).status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": "   "},
        {"text": "x" * 501},
        {"text": "叉车证", "profile": {"salary": 3000}},
        {"text": "叉车证", "sender_id": "有空格 的 id"},
        {"text": "叉车证", "after": "amount"},
        {"text": "多久到账", "previous": "   "},
        {"text": "多久到账", "previous": "x" * 501},
    ],
)
def test_bad_input_is_422(client, body):
    response = client.post("/api/assist/suggest", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_bad_sender_id_is_422(client):
    response = client.get("/api/assist/conversation/a%20b", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422


def test_page_needs_no_token(client):
    response = client.get("/assist")
    assert response.status_code == 200 and "坐席助手" in response.text


def test_a_joined_conversation_continues_the_question_before_a_policy_answer():
    from bot.gateway.routes.assist import continued

    asked, place, follow_up = (
        {"event": "user", "text": t} for t in ("以工代训怎么申请", "我在彭阳", "多久到账")
    )
    answered = {"event": "slot", "name": "topic", "value": "policy"}
    events = [asked, {"event": "slot", "name": "topic", "value": "policy_place"}, place, answered, follow_up]
    assert continued(events, follow_up) == ["以工代训怎么申请", "我在彭阳"]
    assert continued(events, place) == []  # the place question was waiting: no follow-up
