"""GET /health tells a load balancer what it can use: "ok" (200), "degraded" with the part that is down
(200: chats are still answered), "down" (503: no Rasa process answers)."""

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.settings import Settings
from bot.stack import free_port


class Answers(http.server.BaseHTTPRequestHandler):
    """A Rasa process (/status with its model) and an action server (/health) that are up."""

    def do_GET(self) -> None:
        body = json.dumps({"model_file": "model.tar.gz", "status": "ok"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def up(count: int) -> Iterator[list[str]]:
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answers) for _ in range(count)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield [f"http://127.0.0.1:{server.server_address[1]}" for server in servers]
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def down() -> str:
    return f"http://127.0.0.1:{free_port()}"


@pytest.mark.parametrize(
    ("rasa_up", "actions_up", "code", "status", "degraded", "rasa"),
    [
        ((True, True), True, 200, "ok", [], "ok"),
        ((True, False), True, 200, "degraded", ["rasa"], "degraded"),
        ((True, True), False, 200, "degraded", ["actions"], "ok"),
        ((False, True), False, 200, "degraded", ["rasa", "actions"], "degraded"),
        ((False, False), True, 503, "down", ["rasa"], "unavailable"),
    ],
)
def test_health(tmp_path, rasa_up, actions_up, code, status, degraded, rasa):
    with up(3) as (rasa_1, rasa_2, actions):
        rasa_urls = [rasa_1 if rasa_up[0] else down(), rasa_2 if rasa_up[1] else down()]
        settings = Settings(
            rasa_replica_urls=",".join(rasa_urls),
            action_server_url=actions if actions_up else down(),
            data_dir=tmp_path,
            database_url=f"sqlite:///{tmp_path / 'assistant.db'}",
        )
        with TestClient(create_app(settings)) as client:
            response = client.get("/health")
    assert response.status_code == code
    body = response.json()
    assert body["status"] == status and body["degraded"] == degraded
    assert body["services"] == {
        "gateway": "ok",
        "rasa": rasa,
        "actions": "ok" if actions_up else "unavailable",
    }
    assert body["rasa_processes"] == {
        url: "ok" if is_up else "unavailable" for url, is_up in zip(rasa_urls, rasa_up, strict=True)
    }
