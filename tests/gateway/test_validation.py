"""Bad input gets a clear JSON error, never a 500; a Rasa that does not answer gives 503."""

import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.settings import Settings
from bot.stack import free_port


@pytest.fixture(scope="module")
def client():
    # Nothing listens on these ports: requests that pass validation find Rasa down.
    settings = Settings(
        rasa_url=f"http://127.0.0.1:{free_port()}", action_server_url=f"http://127.0.0.1:{free_port()}"
    )
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"message": "你好"}, "sender_id"),
        ({"sender_id": "u1"}, "message"),
        ({"sender_id": "有空格 的id", "message": "你好"}, "sender_id"),
        ({"sender_id": "u" * 65, "message": "你好"}, "sender_id"),
        ({"sender_id": "u1", "message": ""}, "message"),
        ({"sender_id": "u1", "message": " \x00\x07 "}, "message"),
        ({"sender_id": "u1", "message": "长" * 501}, "message"),
        ({"sender_id": "u1", "message": 42}, "message"),
        ({"sender_id": "u1", "message": "你好", "metadata": "h5"}, "metadata"),
        ({"sender_id": "u1", "message": "你好", "metadata": {str(i): i for i in range(21)}}, "metadata"),
    ],
)
def test_chat_rejects_invalid_body(client, body, field):
    response = client.post("/api/chat", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and error["message"]
    assert field in [d["field"] for d in error["details"]]


@pytest.mark.parametrize("path", ["/api/chat", "/api/nlu/parse"])
def test_malformed_json_is_400(client, path):
    response = client.post(
        path, content=b'{"sender_id": "u1", ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_parse_rejects_empty_text(client):
    response = client.post("/api/nlu/parse", json={"text": "\t"})
    assert response.status_code == 422


def test_rasa_down_is_503_with_a_chinese_message(client):
    response = client.post("/api/chat", json={"sender_id": "u1", "message": "你好"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "rasa_unavailable"
    assert "12333" in response.json()["error"]["message"]


def test_health_reports_each_service(client):
    response = client.get("/health")
    assert response.status_code == 503
    assert response.json()["services"] == {"gateway": "ok", "rasa": "unavailable", "actions": "unavailable"}


def test_unknown_route_is_json_404(client):
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert "error" in response.json()


def test_error_messages_name_the_configured_hotline(monkeypatch):
    from bot.gateway.errors import error_response
    from bot.settings import get_settings

    monkeypatch.setenv("HOTLINE", "0954-7012333")
    get_settings.cache_clear()
    try:
        body = error_response(503, "rasa_unavailable").body.decode()
    finally:
        get_settings.cache_clear()
    assert "0954-7012333" in body
