"""How Rasa's messages and tracker are folded into the /api/chat response."""

from bot.gateway.routes.chat import chat_response

TRACKER = {
    "latest_message": {
        "intent": {"name": "ask_policy", "confidence": 0.93},
        "entities": [
            {
                "entity": "region",
                "value": "贵州省",
                "start": 0,
                "end": 2,
                "extractor": "DIETClassifier",
                "processors": ["EntitySynonymMapper"],
            }
        ],
    },
    "slots": {"region": "贵州省", "session_started_metadata": {"channel": "api"}, "requested_slot": None},
}


def test_text_buttons_and_state():
    response = chat_response(
        [{"recipient_id": "u1", "text": "您好", "buttons": [{"title": "补贴", "payload": "/ask_subsidy"}]}],
        TRACKER,
    )
    body = response.model_dump()
    assert body["messages"] == [{"text": "您好", "buttons": [{"title": "补贴", "payload": "/ask_subsidy"}]}]
    assert body["intent"] == {"name": "ask_policy", "confidence": 0.93}
    assert body["entities"] == [
        {"entity": "region", "value": "贵州省", "start": 0, "end": 2, "extractor": "DIETClassifier"}
    ]
    assert body["slots"] == {"region": "贵州省"}
    assert body["citations"] == [] and body["handoff"] is False


def test_handoff_and_citations_lifted_out_of_custom_payloads():
    citation = {
        "doc_id": "guizhou-2025-3",
        "passage_id": "guizhou-2025-3:3.2",
        "title": "实施意见",
        "section": "三、（二）",
        "text": "……",
        "score": 0.8,
    }
    response = chat_response(
        [
            {"recipient_id": "u1", "text": "正在为您转接人工客服"},
            {"recipient_id": "u1", "custom": {"handoff": True}},
            {"recipient_id": "u1", "custom": {"citations": [citation], "course_cards": [{"course": "焊工"}]}},
        ],
        TRACKER,
    )
    body = response.model_dump()
    assert body["handoff"] is True
    assert body["citations"] == [citation]
    assert body["messages"] == [
        {"text": "正在为您转接人工客服"},
        {"custom": {"course_cards": [{"course": "焊工"}]}},
    ]


def test_empty_tracker():
    body = chat_response([], {}).model_dump()
    assert body["messages"] == [] and body["intent"] == {"name": None, "confidence": None}
    assert body["entities"] == [] and body["slots"] == {}
