"""/api/admin/knowledge: the operator page's API, on a copy of the base (the page itself is tested in
Chromium in tests/pages/test_admin_knowledge_page.py)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.settings import Settings
from tests.knowledge.conftest import SOURCES, tree_digest

TOKEN = {"Authorization": "Bearer dev-admin-token"}  # its digest is the default of admin_token_hashes
TIANJIN = {"issuer": "天津市人力资源和社会保障局"}


@pytest.fixture
def client(live: Settings) -> TestClient:
    """Without the app's lifespan (no Rasa client, no sample catalogue): these routes need neither."""
    return TestClient(create_app(live), headers=TOKEN)


def upload(name: str, content: bytes | None = None, **fields: Any) -> dict[str, Any]:
    data = (SOURCES / name).read_bytes() if content is None else content
    return {"filename": name, "content": base64.b64encode(data).decode(), "fields": fields}


def error(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer dev-assist-token"}, {"Authorization": "x"}]
)
def test_every_route_needs_an_operator_token(client: TestClient, headers: dict[str, str]) -> None:
    client.headers.clear()
    for method, path in [("GET", ""), ("POST", "/preview"), ("POST", "/hit-test"), ("DELETE", "/tj-2022-20")]:
        response = client.request(method, f"/api/admin/knowledge{path}", headers=headers, json={})
        assert error(response) == (401, "unauthorized") and "令牌" in response.json()["error"]["message"]


def test_preview_shows_what_would_be_written_and_writes_nothing(client: TestClient, live: Settings) -> None:
    before = tree_digest(live.knowledge_dir)
    missing = client.post("/api/admin/knowledge/preview", json=upload("tj-2022-20.txt"))
    assert error(missing) == (422, "missing_fields")
    assert missing.json()["error"]["details"] == {"fields": [{"key": "issuer", "label": "发文机关"}]}
    assert "发文机关" in missing.json()["error"]["message"]

    draft = client.post("/api/admin/knowledge/preview", json=upload("tj-2022-20.txt", **TIANJIN)).json()
    fields = {f["key"]: (f["value"], f["source"]) for f in draft["fields"]}
    assert draft["doc_id"] == "tj-2022-20" and draft["region_chain"] == ["天津市"]
    assert fields["doc_number"] == ("津人社局发〔2022〕20号", "原文")
    assert fields["issuer"] == ("天津市人力资源和社会保障局", "选项")
    assert fields["in_force_until"] == ("2027-07-31", "原文")
    assert len(draft["passages"]) == 34 and draft["passages"][21]["section"] == "第二十二条"
    assert tree_digest(live.knowledge_dir) == before


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (upload("table.xlsx", b"PK\x03\x04"), (422, "unknown_format")),
        (upload("empty.txt", b" \n"), (422, "empty")),
        ({"filename": "a.txt", "content": "不是base64"}, (422, "bad_content")),
        (upload("../a.txt", b"x"), (422, "bad_filename")),
        (upload("tj-2022-20.txt", issuer="天津市人力资源和社会保障局", date="2022-13-01"), (422, "bad_date")),
        (
            upload("tj-2022-20.txt", issuer="天津市人力资源和社会保障局", replaced_by="nowhere-1"),
            (422, "unknown_doc"),
        ),
        ({"filename": "a.txt"}, (422, "invalid_request")),
    ],
)
def test_bad_uploads_are_refused(client: TestClient, body: dict[str, Any], expected: tuple[int, str]) -> None:
    response = client.post("/api/admin/knowledge/preview", json=body)
    assert error(response) == expected and response.json()["error"]["message"]


def test_add_hit_test_retire_and_remove(client: TestClient, live: Settings) -> None:
    saved = client.post("/api/admin/knowledge", json=upload("tj-2022-20.txt", **TIANJIN))
    assert saved.status_code == 201
    assert (
        saved.json()["document"] | {"status": "in_force", "region": "天津市", "passages": 34}
        == saved.json()["document"]
    )
    assert saved.json()["index"] == {"documents": 6, "passages": 161 + 34}
    assert (live.knowledge_dir / "policies" / "tj-2022-20.md").exists()
    listed = client.get("/api/admin/knowledge").json()
    assert "tj-2022-20" in {d["doc_id"] for d in listed["documents"]} and listed["max_upload_bytes"] > 40_000

    # The process answers from the new base as soon as the save returns.
    hit = client.post(
        "/api/admin/knowledge/hit-test", json={"question": "名师带徒 师傅 每满12个月", "place": "天津"}
    )
    assert hit.status_code == 200 and hit.json()["place"] == "天津市"
    assert hit.json()["passages"][0]["passage_id"] == "tj-2022-20:art22"
    assert hit.json()["answer"]["text"] and hit.json()["answer"]["kind"]

    assert error(client.post("/api/admin/knowledge", json=upload("tj-2022-20.txt", **TIANJIN))) == (
        409,
        "duplicate_id",
    )

    retired = client.post("/api/admin/knowledge/tj-2022-20/lifecycle", json={"in_force_until": "2025-12-31"})
    assert retired.json()["document"]["status_label"] == "已失效"
    assert error(client.post("/api/admin/knowledge/tj-2022-20/lifecycle", json={})) == (422, "set_nothing")
    assert error(client.post("/api/admin/knowledge/nowhere-1/lifecycle", json={"in_force_until": None})) == (
        404,
        "not_found",
    )
    cleared = client.post("/api/admin/knowledge/tj-2022-20/lifecycle", json={"in_force_until": None})
    assert cleared.json()["document"]["in_force_until"] is None

    caveat = "其中的补贴标准已有新规定，以人社部门公布的为准。"
    noted = client.post("/api/admin/knowledge/tj-2022-20/lifecycle", json={"caveat": caveat})
    assert noted.json()["document"]["caveat"] == caveat
    hit = client.post(
        "/api/admin/knowledge/hit-test", json={"question": "天津新型学徒制补贴多少钱", "place": "天津"}
    )
    assert caveat in hit.json()["answer"]["text"]
    too_long = client.post("/api/admin/knowledge/tj-2022-20/lifecycle", json={"caveat": "长" * 201})
    assert error(too_long) == (422, "bad_caveat")
    unnoted = client.post("/api/admin/knowledge/tj-2022-20/lifecycle", json={"caveat": None})
    assert unnoted.json()["document"]["caveat"] is None

    refused = client.delete("/api/admin/knowledge/tj-2022-20")
    assert error(refused) == (409, "still_referenced") and "补贴规则" in refused.json()["error"]["message"]
    assert client.post("/api/admin/knowledge", json=upload("nat-2023-181.txt")).status_code == 201
    assert client.delete("/api/admin/knowledge/nat-2023-181").json()["removed"] == "nat-2023-181"
    assert "nat-2023-181" not in {d["doc_id"] for d in client.get("/api/admin/knowledge").json()["documents"]}


def test_hit_test_refuses_an_unknown_place(client: TestClient) -> None:
    response = client.post("/api/admin/knowledge/hit-test", json={"question": "补贴多少", "place": "火星"})
    assert error(response) == (422, "bad_region") and "火星" in response.json()["error"]["message"]


def test_the_page_is_served(client: TestClient) -> None:
    page = client.get("/admin/knowledge")
    assert page.status_code == 200 and "政策文件管理" in page.text and "/static/admin/admin.js" in page.text
    assert client.get("/static/admin/admin.js").status_code == 200


def test_uploads_may_be_larger_than_messages(client: TestClient) -> None:
    """A document of a few hundred KB (here the notice followed by blank pages) is previewed, while a
    chat message of that size is still refused."""
    big = (SOURCES / "tj-2022-20.txt").read_bytes() + b"\n" * 300_000
    draft = client.post("/api/admin/knowledge/preview", json=upload("tj-2022-20.txt", big, **TIANJIN))
    assert draft.status_code == 200 and draft.json()["doc_id"] == "tj-2022-20"
    assert client.get("/api/admin/knowledge").json()["max_upload_bytes"] > 10_000_000
    message = client.post("/api/chat", json={"sender_id": "u1", "message": "长" * 100_000})
    assert error(message) == (413, "payload_too_large")
