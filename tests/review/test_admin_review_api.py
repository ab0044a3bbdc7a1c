"""/api/admin/review: operator token, the list folding new conversations as it goes, filters, a
conversation by turn id, relabelling and marking, with Chinese JSON errors; sender ids masked."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.settings import Settings

TOKEN = {"Authorization": "Bearer dev-admin-token"}
PHONE_SENDER = "h5-13912345678"


@pytest.fixture
def api(stores) -> TestClient:
    g = stores.generator
    stores.write(
        PHONE_SENDER,
        g.policy,
        g.declined,
        meta={"channel": "h5", "campaign": "2027春季招生", "region": "彭阳县"},
    )
    stores.write("wechat:o1", g.unclear, g.chat, meta={"channel": "miniprogram"})
    settings = Settings(tracker_store_url=stores.tracker_url, database_url=stores.database_url)
    return TestClient(create_app(settings))  # no lifespan: these routes need neither Rasa nor the index


def turns(api: TestClient, **params) -> list[dict]:
    response = api.get("/api/admin/review/turns", params=params, headers=TOKEN)
    assert response.status_code == 200, response.text
    return response.json()["turns"]


def test_operator_token_is_required(api):
    for method, path in [("GET", "/turns"), ("GET", "/vocabulary"), ("POST", "/turns/1/label")]:
        response = api.request(method, f"/api/admin/review{path}", headers={"Authorization": "Bearer wrong"})
        assert response.status_code == 401
        assert response.json()["error"]["message"] == "管理令牌无效或缺失，请重新登录。"


def test_list_filters_and_masks(api):
    everything = turns(api)
    assert {t["sender"] for t in everything} == {"h5-[手机号]", "wechat:o1"}
    assert PHONE_SENDER not in api.get("/api/admin/review/turns", headers=TOKEN).text
    declined = turns(api, outcome="declined")
    assert [(t["outcome"], t["outcome_label"], t["campaign"]) for t in declined] == [
        ("declined", "拒答（没有依据）", "2027春季招生")
    ]
    assert all(t["channel"] == "miniprogram" for t in turns(api, channel="miniprogram"))
    assert all(t["confidence"] < 0.6 for t in turns(api, max_confidence=0.6))
    assert turns(api, place="彭阳县") and all(t["place"] == "彭阳县" for t in turns(api, place="彭阳县"))
    assert turns(api, until="2000-01-01T00:00:00+08:00") == []
    first_page = api.get("/api/admin/review/turns", params={"limit": 1}, headers=TOKEN).json()
    second = turns(api, limit=1, cursor=first_page["next_cursor"])
    assert second and second[0]["id"] != first_page["turns"][0]["id"]

    vocabulary = api.get("/api/admin/review/vocabulary", headers=TOKEN).json()
    assert "ask_subsidy" in vocabulary["intents"] and "certificate" in vocabulary["entities"]
    assert vocabulary["campaigns"] == ["2027春季招生"] and set(vocabulary["channels"]) == {
        "h5",
        "miniprogram",
    }


def test_bad_requests_are_explained_in_chinese(api):
    bad = [
        ("GET", "/turns?outcome=maybe", None, 422, "invalid_request"),
        ("GET", "/turns?cursor=garbage", None, 400, "bad_cursor"),
        ("GET", "/conversations/999999", None, 404, "not_found"),
        ("POST", "/turns/999999/label", {"intent": "greet"}, 404, "not_found"),
        ("POST", "/turns/1/verdict", {"verdict": "maybe"}, 422, "invalid_request"),
    ]
    turns(api)  # fold the conversations first
    for method, path, body, status, code in bad:
        response = api.request(method, f"/api/admin/review{path}", json=body, headers=TOKEN)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), path
        assert any("\u4e00" <= c <= "\u9fff" for c in response.json()["error"]["message"])


def test_open_relabel_and_mark(api):
    declined = turns(api, outcome="declined")[0]
    conversation = api.get(f"/api/admin/review/conversations/{declined['id']}", headers=TOKEN).json()
    assert conversation["sender"] == "h5-[手机号]" and conversation["selected"] == declined["id"]
    answer, refusal = conversation["turns"]
    assert answer["outcome"] == "answered" and answer["citations"][0]["passage_id"]
    assert answer["actions"] == ["action_answer_policy"] and answer["slots"]["topic"] == "policy"
    assert answer["feedback"] == [] and answer["label"] is None

    text = refusal["text"]
    relabelled = api.post(
        f"/api/admin/review/turns/{refusal['id']}/label",
        json={"intent": "ask_policy", "entities": [{"entity": "region", "start": 0, "end": 2}]},
        headers=TOKEN,
    )
    assert relabelled.status_code == 200
    assert relabelled.json()["label"]["entities"] == [
        {"entity": "region", "start": 0, "end": 2, "value": text[:2]}
    ]
    refused = api.post(
        f"/api/admin/review/turns/{refusal['id']}/label", json={"intent": "chitchat"}, headers=TOKEN
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (422, "unknown_intent")

    marked = api.post(
        f"/api/admin/review/turns/{answer['id']}/verdict",
        json={"verdict": "wrong", "expect": "not_covered"},
        headers=TOKEN,
    )
    assert marked.json()["label"]["verdict"] == "wrong"
    again = api.get(f"/api/admin/review/conversations/{declined['id']}", headers=TOKEN).json()
    assert again["turns"][1]["label"]["intent"] == "ask_policy"
    assert again["turns"][0]["label"]["expect"] == "not_covered"
