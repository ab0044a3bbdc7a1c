from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionClarifyIntent

DOMAIN = {
    "responses": {
        "utter_intent_ask_subsidy": [{"text": "问补贴金额"}],
        "utter_intent_find_course": [{"text": "找培训课程"}],
        "utter_intent_ask_policy": [{"text": "问政策规定"}],
        "utter_intent_ask_compliance": [{"text": "问合规要求"}],
        "utter_intent_human_handoff": [{"text": "转人工客服"}],
        "utter_intent_none": [{"text": "都不是"}],
    }
}


def fallback_tracker(ranking: list[tuple[str, float]]) -> Tracker:
    return Tracker(
        sender_id="u1",
        slots={},
        latest_message={
            "text": "补贴课程那个",
            "intent": {"name": "nlu_fallback", "confidence": 0.55},
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.55}]
            + [{"name": n, "confidence": c} for n, c in ranking],
            "entities": [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


async def run(ranking):
    dispatcher = CollectingDispatcher()
    assert await ActionClarifyIntent().run(dispatcher, fallback_tracker(ranking), DOMAIN) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_clarify"
    return [(b["title"], b["payload"]) for b in message["buttons"]]


async def test_offers_the_likely_intents_then_none_of_these():
    buttons = await run([("ask_policy", 0.4), ("greet", 0.3), ("ask_subsidy", 0.2), ("find_course", 0.05)])
    assert buttons == [
        ("问政策规定", "/ask_policy"),
        ("问补贴金额", "/ask_subsidy"),
        ("找培训课程", "/find_course"),
        ("都不是", "/nlu_fallback"),
    ]


async def test_offers_the_main_topics_when_no_likely_intent_has_a_button():
    buttons = await run([("out_of_scope", 0.5), ("greet", 0.4), ("thank", 0.1)])
    assert [payload for _, payload in buttons] == [
        "/ask_subsidy",
        "/find_course",
        "/ask_policy",
        "/nlu_fallback",
    ]
