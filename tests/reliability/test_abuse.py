"""Abuse limits: per-sender and per-IP rate limits with a polite 429, a body size limit, CORS only for
configured origins, agent tokens and WeChat signatures required. Rasa is down: a request that gets
through the limits reaches the route and answers 503."""

import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.gateway.middleware.buckets import TokenBuckets
from bot.settings import Settings
from bot.stack import free_port

ORIGIN = "https://h5.example.gov.cn"


def make_client(tmp_path, **overrides) -> TestClient:
    settings = {
        "rasa_url": f"http://127.0.0.1:{free_port()}",
        "action_server_url": f"http://127.0.0.1:{free_port()}",
        "data_dir": tmp_path,
        "database_url": f"sqlite:///{tmp_path / 'assistant.db'}",
    }
    return TestClient(create_app(Settings(**(settings | overrides))))


def chat(client: TestClient, sender: str, **kwargs):
    return client.post("/api/chat", json={"sender_id": sender, "message": "我能拿多少补贴"}, **kwargs)


def test_token_bucket_refills_over_a_minute():
    now = [0.0]
    buckets = TokenBuckets(per_minute=2, clock=lambda: now[0])
    assert buckets.take("a") == 0 and buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(30)
    assert buckets.take("b") == 0
    now[0] = 30.0
    assert buckets.take("a") == 0


def test_sender_limit_is_a_polite_429(tmp_path):
    with make_client(tmp_path, rate_limit_sender_per_minute=3, rate_limit_ip_per_minute=0) as client:
        assert [chat(client, "u1").status_code for _ in range(3)] == [503] * 3
        limited = chat(client, "u1")
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "rate_limited"
        assert "稍等" in limited.json()["error"]["message"] and "12333" in limited.json()["error"]["message"]
        assert int(limited.headers["Retry-After"]) >= 1
        assert chat(client, "u2").status_code == 503  # another conversation is not affected


def test_ip_limit_covers_every_api_but_health(tmp_path):
    with make_client(tmp_path, rate_limit_ip_per_minute=4, rate_limit_sender_per_minute=0) as client:
        statuses = [chat(client, f"u{i}").status_code for i in range(3)]
        statuses.append(client.get("/api/courses/nearest", params={"place": "彭阳"}).status_code)
        assert statuses == [503, 503, 503, 200]
        assert client.post("/api/subsidy/estimate", json={}).status_code == 429
        assert client.get("/health").status_code == 503  # not limited: Rasa is down


def test_oversized_body_is_413(tmp_path):
    with make_client(tmp_path, max_request_bytes=1024) as client:
        response = client.post("/api/chat", json={"sender_id": "u1", "message": "长" * 2000})
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "payload_too_large"


def test_chunked_body_without_length_is_held_to_the_limit(tmp_path):
    chunks = iter([b'{"query": "', "长".encode() * 400, b'"}'])  # no Content-Length: sent chunked
    with make_client(tmp_path, max_request_bytes=1024) as client:
        response = client.post("/api/retrieve", content=chunks, headers={"content-type": "application/json"})
        assert response.status_code == 413


def test_cors_only_for_configured_origins(tmp_path):
    with make_client(tmp_path) as client:
        response = client.get("/api/courses/nearest?place=彭阳", headers={"Origin": ORIGIN})
        assert "access-control-allow-origin" not in response.headers
    with make_client(tmp_path, cors_allow_origins=ORIGIN) as client:
        allowed = client.options(
            "/api/chat", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"}
        )
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        other = client.options(
            "/api/chat", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
        )
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers


def test_agent_token_and_wechat_signature_required(tmp_path):
    with make_client(tmp_path) as client:
        for headers in ({}, {"Authorization": "Bearer wrong-token"}):
            response = client.post("/api/assist/suggest", json={"text": "补贴"}, headers=headers)
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "unauthorized"
            assert response.headers["WWW-Authenticate"] == "Bearer"
        assert client.get("/api/assist/conversation/u1").status_code == 401
        forged = client.post(
            "/wechat/miniprogram?signature=forged&timestamp=1&nonce=2", json={"MsgType": "text"}
        )
        assert forged.status_code == 403 and forged.json()["error"]["code"] == "forbidden"
