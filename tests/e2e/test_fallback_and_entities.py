"""The spaCy entity layer and the two-stage fallback, through the running gateway, Rasa and actions."""

import uuid

import pytest

from bot.settings import ROOT
from tests.conftest import HOTLINE
from tests.e2e.test_conversation import say

pytestmark = pytest.mark.e2e


def test_a_place_never_seen_in_training_is_an_entity(gateway):
    assert "盐池" not in "".join(p.read_text(encoding="utf-8") for p in (ROOT / "nlu_data").rglob("*.yml"))
    response = gateway.post("/api/nlu/parse", json={"text": "盐池县有没有叉车培训"})
    assert response.status_code == 200
    # DIET may now find the county itself (it learns the shape of county names); either way the slot
    # gets the whole name. The glossary layer alone is tested in tests/rasa_addons.
    entities = response.json()["entities"]
    assert [(e["entity"], e["value"]) for e in entities if e["entity"] == "region"] == [("region", "盐池县")]


def test_unclear_message_is_clarified_then_the_chosen_topic_starts(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turn = say(gateway, sender, "asdkjh qwe")
    assert turn["intent"]["name"] == "nlu_fallback"
    # One question with its buttons; beside it only the answer layer's payload (its kind, no citation).
    [message] = [m for m in turn["messages"] if m.get("text")]
    assert [m["custom"] for m in turn["messages"] if not m.get("text")] == [{"answer": "clarify"}]
    assert turn["citations"] == []
    payloads = [b["payload"] for b in message["buttons"]]
    assert 2 <= len(payloads) <= 4 and payloads[-1] == "/nlu_fallback"
    assert all(b["title"] and not b["title"].startswith("utter_") for b in message["buttons"])
    assert turn["handoff"] is False

    turn = say(gateway, sender, "/ask_subsidy")
    assert turn["intent"]["name"] == "ask_subsidy"
    assert turn["handoff"] is False
    assert (
        "县区" in turn["messages"][-1]["text"] or "哪里" in turn["messages"][-1]["text"]
    )  # utter_ask_region


def test_second_failure_offers_a_person(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turn = say(gateway, sender, "asdkjh qwe")
    assert turn["messages"][0]["buttons"] and turn["handoff"] is False
    turn = say(gateway, sender, "zxcv bnm")
    assert turn["intent"]["name"] == "nlu_fallback"
    assert turn["handoff"] is True
    assert HOTLINE in turn["messages"][0]["text"]


def test_none_of_these_offers_a_person(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turn = say(gateway, sender, "asdkjh qwe")
    none_of_these = turn["messages"][0]["buttons"][-1]
    assert none_of_these["title"] == "都不是"
    turn = say(gateway, sender, none_of_these["payload"])
    assert turn["handoff"] is True and HOTLINE in turn["messages"][0]["text"]
