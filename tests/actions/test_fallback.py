import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionClarifyIntent
from bot.answers.decision import Decision, Reply
from bot.answers.policy import PENDING_SLOT, Question

NOT_COVERED = Decision("not_covered", [Reply("utter_policy_not_covered")])
ANSWER = Decision(
    "answer", [Reply("utter_policy_answer_quote_only", {"quote": "……"})], [{"passage_id": "d:1"}]
)
NEIGHBOUR = Decision("neighbour", [Reply("utter_neighbour_benefit", {"benefit": "失业保险金"})])

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


def fallback_tracker(
    ranking: list[tuple[str, float]],
    text: str = "补贴课程那个",
    slots: dict | None = None,
    entities: list | None = None,
) -> Tracker:
    return Tracker(
        sender_id="u1",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": "nlu_fallback", "confidence": 0.55},
            "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.55}]
            + [{"name": n, "confidence": c} for n, c in ranking],
            "entities": entities or [],
        },
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


async def run(ranking):
    dispatcher = CollectingDispatcher()
    action = ActionClarifyIntent(decide=lambda question: NOT_COVERED, other_benefit=lambda text: None)
    assert await action.run(dispatcher, fallback_tracker(ranking), DOMAIN) == []
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


async def test_an_unclear_message_about_another_benefit_names_it():
    asked: list[str] = []
    action = ActionClarifyIntent(
        decide=lambda question: ANSWER, other_benefit=lambda text: asked.append(text) or NEIGHBOUR
    )
    dispatcher = CollectingDispatcher()
    events = await action.run(
        dispatcher, fallback_tracker([("ask_policy", 0.4)], "失业补助金发放时间"), DOMAIN
    )
    assert asked == ["失业补助金发放时间"] and events == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_neighbour_benefit"]
    assert dispatcher.messages[0]["custom"] == {"citations": [], "answer": "neighbour"}


async def test_no_clause_is_cited_on_an_unclear_message_asking_of_no_training_benefit():
    action = ActionClarifyIntent(decide=lambda question: ANSWER, other_benefit=lambda text: None)
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, fallback_tracker([("ask_policy", 0.4)], "2023年国家职业资格目录"), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_clarify"]


async def test_an_unclear_message_asking_of_a_training_benefit_gets_the_policy_answer():
    asked: list[Question] = []
    action = ActionClarifyIntent(
        decide=lambda question: asked.append(question) or ANSWER, other_benefit=lambda text: None
    )
    dispatcher = CollectingDispatcher()
    tracker = fallback_tracker(
        [("ask_policy", 0.4)],
        "补贴宁德摄影师证",
        entities=[{"entity": "region", "value": "宁德", "start": 2, "end": 4}],
    )
    events = await action.run(dispatcher, tracker, DOMAIN)
    [question] = asked
    assert question.text == "补贴宁德摄影师证" and question.place.name == "宁德市"
    assert [m["response"] for m in dispatcher.messages] == ["utter_policy_answer_quote_only"]
    assert events == [SlotSet("topic", "policy"), SlotSet(PENDING_SLOT, None)]


async def test_an_unclear_question_whose_answer_depends_on_the_place_asks_it():
    ask_place = Decision(
        "ask_place",
        [Reply("utter_policy_ask_place", {"places": "天津市"})],
        slots={PENDING_SLOT: "补贴摄影师证"},
    )
    action = ActionClarifyIntent(decide=lambda question: ask_place, other_benefit=lambda text: None)
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, fallback_tracker([("ask_policy", 0.4)], "补贴摄影师证"), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_policy_ask_place"]
    assert events == [SlotSet("topic", "policy_place"), SlotSet(PENDING_SLOT, "补贴摄影师证")]


def after(*replies: str) -> list[dict]:
    """The events of a conversation whose assistant said the replies, then the user's latest message."""
    said = [{"event": "bot", "text": "…", "metadata": {"utter_action": r}} for r in replies]
    return [
        {"event": "user", "text": "……"},
        {"event": "action", "name": "action_clarify_intent"},
        *said,
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "……"},
    ]


async def test_a_second_unclear_message_right_after_a_clarification_is_handed_to_a_person():
    action = ActionClarifyIntent(decide=lambda question: ANSWER, other_benefit=lambda text: None)
    tracker = fallback_tracker([("ask_policy", 0.4)], "zxcv bnm")
    tracker.events = after("utter_clarify")
    dispatcher = CollectingDispatcher()
    assert await action.run(dispatcher, tracker, DOMAIN) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_fallback_handoff"]


async def test_none_of_these_after_a_clarification_is_handed_to_a_person():
    action = ActionClarifyIntent(decide=lambda question: ANSWER, other_benefit=lambda text: NEIGHBOUR)
    tracker = fallback_tracker([("ask_policy", 0.4)], "/nlu_fallback")
    tracker.events = after("utter_clarify")
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_fallback_handoff"]


async def test_an_unclear_message_after_an_answer_is_clarified_not_handed_over():
    action = ActionClarifyIntent(decide=lambda question: ANSWER, other_benefit=lambda text: None)
    tracker = fallback_tracker([("ask_policy", 0.4)], "zxcv bnm")
    tracker.events = after("utter_policy_partial", "utter_policy_local_offer")
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_clarify"]


async def test_none_of_these_is_not_taken_for_a_question():
    action = ActionClarifyIntent(decide=lambda question: ANSWER, other_benefit=lambda text: NEIGHBOUR)
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, fallback_tracker([("ask_policy", 0.4)], "/nlu_fallback"), DOMAIN)
    assert [m["response"] for m in dispatcher.messages] == ["utter_clarify"]


@pytest.mark.parametrize(
    ("typed", "place", "replies"),
    [
        ("天津", "天津市", ()),  # after the place question
        # After an unclear message answered with the national rule, which waits for a place: not handed
        # over as a second unclear message would be after a clarification.
        ("南京", "南京市", ("utter_policy_answer_quote_only", "utter_policy_local_offer")),
    ],
)
async def test_a_place_the_nlu_cannot_read_answers_the_waiting_question(typed, place, replies):
    asked: list[Question] = []
    action = ActionClarifyIntent(
        decide=lambda question: asked.append(question) or NOT_COVERED, other_benefit=lambda text: None
    )
    tracker = fallback_tracker(
        [("inform", 0.3)],
        typed,
        slots={PENDING_SLOT: "培训机构虚假培训会怎么处理", "topic": "policy_place"},
        entities=[{"entity": "region", "value": typed, "start": 0, "end": len(typed)}],
    )
    tracker.events = after(*replies)
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker, DOMAIN)
    [question] = asked
    assert question.text == "培训机构虚假培训会怎么处理" and question.asked_place
    assert question.place is not None and question.place.name == place
    assert [m["response"] for m in dispatcher.messages] == ["utter_policy_not_covered"]
