from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.policy_qa import ActionAnswerPolicy, question_from
from bot.answers.decision import Decision, Reply
from bot.answers.policy import PENDING_SLOT, Question, decide_out_of_scope, decide_thanks

CITATION = {
    "doc_id": "pengyang-2026",
    "passage_id": "pengyang-2026:2.4",
    "title": "t",
    "section": "二、（四）",
}


def answer(question: Question) -> Decision:
    replies = [
        Reply(
            "utter_policy_answer_quote_only", {"quote": "推行以工代训", "scope": "宁夏彭阳县", "year": "2026"}
        ),
        Reply("utter_glossary_term", {"term": "以工代训", "explain": "师傅带徒弟"}),
    ]
    return Decision("answer", replies, [CITATION])


def ask_place(question: Question) -> Decision:
    buttons = [{"title": "宁夏彭阳县", "payload": '/ask_policy{"region":"宁夏彭阳县"}'}]
    return Decision(
        "ask_place",
        [Reply("utter_policy_ask_place", {"places": "宁夏彭阳县"}, buttons)],
        slots={PENDING_SLOT: question.text},
    )


async def test_the_decision_is_sent_as_it_is(tracker):
    asked = []
    action = ActionAnswerPolicy(lambda q: asked.append(q) or answer(q))
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker({"region": "彭阳县"}, text="什么是以工代训"), {})
    assert [(q.text, q.place.name if q.place else None, q.asked_place) for q in asked] == [
        ("什么是以工代训", "彭阳县", False)
    ]
    first, term = dispatcher.messages
    assert first["response"] == "utter_policy_answer_quote_only" and first["scope"] == "宁夏彭阳县"
    assert first["custom"] == {"citations": [CITATION], "answer": "answer"}
    assert term["response"] == "utter_glossary_term" and not term.get("custom")
    assert events == [SlotSet("topic", "policy"), SlotSet(PENDING_SLOT, None)]


async def test_asking_the_place_keeps_the_question_waiting(tracker):
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerPolicy(ask_place).run(
        dispatcher, tracker(text="以工代训的补贴多久能到账", intent="ask_policy"), {}
    )
    assert dispatcher.messages[0]["buttons"][0]["title"] == "宁夏彭阳县"
    assert events == [SlotSet("topic", "policy_place"), SlotSet(PENDING_SLOT, "以工代训的补贴多久能到账")]


def test_a_place_button_answers_the_waiting_question(tracker):
    waiting = {PENDING_SLOT: "以工代训的补贴多久能到账", "region": "彭阳县"}
    payload = '/ask_policy{"region":"彭阳县"}'
    question = question_from(tracker(waiting, text=payload, intent="ask_policy"))
    assert question.text == "以工代训的补贴多久能到账" and question.asked_place
    assert question.place is not None and question.place.name == "彭阳县"


def test_a_place_typed_after_the_question_answers_it(tracker):
    waiting = {PENDING_SLOT: "虚假培训怎么处理"}
    entities = [{"entity": "region", "value": "长沙"}]
    question = question_from(tracker(waiting, text="我在长沙", entities=entities, intent="inform"))
    assert question.text == "虚假培训怎么处理" and question.place.name == "长沙市"


def test_a_new_question_replaces_the_waiting_one(tracker):
    waiting = {PENDING_SLOT: "以工代训的补贴多久能到账", "region": "湖南省"}
    question = question_from(tracker(waiting, text="湖南今年要培训多少人", intent="ask_policy"))
    assert question.text == "湖南今年要培训多少人" and not question.asked_place
    assert question.place.name == "湖南省"


async def test_out_of_scope_sends_the_answer_layers_reply(tracker):
    from actions.policy_qa import ActionAnswerOutOfScope

    dispatcher = CollectingDispatcher()
    events = await ActionAnswerOutOfScope().run(
        dispatcher, tracker(text="失业金在哪领", intent="out_of_scope"), {}
    )
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_neighbour_benefit" and reply["benefit"] == "失业保险金"
    assert reply["custom"] == {"citations": [], "answer": "neighbour"} and events == []


async def test_thanks_alone_get_the_thanks_reply_and_leave_the_topic(tracker):
    from actions.policy_qa import ActionAnswerThanks

    dispatcher = CollectingDispatcher()
    events = await ActionAnswerThanks().run(dispatcher, tracker(text="好的谢谢", intent="thank"), {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_thank" and events == []


async def test_thanks_closing_a_question_get_its_answer(tracker):
    from actions.policy_qa import ActionAnswerThanks

    answer = Decision("answer", [Reply("utter_policy_answer", {"quote": "……"})])
    dispatcher = CollectingDispatcher()
    message = tracker(text="中级人力资源补贴，谢谢", intent="thank")
    events = await ActionAnswerThanks(lambda q: decide_thanks(q, policy=lambda _: answer)).run(
        dispatcher, message, {}
    )
    assert dispatcher.messages[0]["response"] == "utter_policy_answer"
    assert {"event": "slot", "name": "topic", "value": "policy", "timestamp": None} in events


async def test_out_of_scope_on_a_training_subsidy_is_answered_as_policy_with_its_place(tracker):
    """The NLU put a certificate it never saw outside training: the policy answer comes, for the place
    the conversation knows, and the conversation's topic is policy."""
    from actions.policy_qa import ActionAnswerOutOfScope

    asked = []

    def decide(question):
        asked.append(question)
        return Decision("answer", [Reply("utter_policy_answer", {"quote": "……"})])

    dispatcher = CollectingDispatcher()
    message = tracker({"region": "天津市"}, text="全媒体运营师补贴怎么领取", intent="out_of_scope")
    events = await ActionAnswerOutOfScope(lambda q: decide_out_of_scope(q, policy=decide)).run(
        dispatcher, message, {}
    )
    assert [(q.text, q.place.name) for q in asked] == [("全媒体运营师补贴怎么领取", "天津市")]
    assert dispatcher.messages[0]["response"] == "utter_policy_answer"
    assert {"event": "slot", "name": "topic", "value": "policy", "timestamp": None} in events


def test_a_place_typed_alone_answers_the_waiting_question_whatever_the_intent(tracker):
    waiting = {PENDING_SLOT: "以工代训的补贴多久能到账"}
    entities = [{"entity": "region", "value": "宁夏"}, {"entity": "region", "value": "彭阳县"}]
    question = question_from(tracker(waiting, text="宁夏彭阳县", entities=entities, intent="ask_policy"))
    assert question.text == "以工代训的补贴多久能到账" and question.asked_place
    assert question.place.name == "彭阳县"  # the places named together narrow each other


async def test_information_answers_the_waiting_question_or_is_acknowledged(tracker):
    from actions.policy_qa import ActionInform

    asked: list[Question] = []
    action = ActionInform(lambda q: asked.append(q) or answer(q))
    waiting = {PENDING_SLOT: "虚假培训怎么处理", "topic": "policy_place"}
    entities = [{"entity": "region", "value": "彭阳县"}]
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker(waiting, text="彭阳县", entities=entities), {})
    assert [(q.text, q.place.name, q.asked_place) for q in asked] == [("虚假培训怎么处理", "彭阳县", True)]
    assert dispatcher.messages[0]["response"] == "utter_policy_answer_quote_only"
    assert events == [SlotSet("topic", "policy"), SlotSet(PENDING_SLOT, None)]

    dispatcher = CollectingDispatcher()
    assert await action.run(dispatcher, tracker(text="我是农民工"), {}) == []
    assert [m["response"] for m in dispatcher.messages] == ["utter_inform_ack"] and len(asked) == 1

    # Read as information, a message asking of a training benefit is answered as the question it is.
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker(text="补贴宁德摄影师证"), {})
    assert [q.text for q in asked[1:]] == ["补贴宁德摄影师证"]
    assert dispatcher.messages[0]["response"] == "utter_policy_answer_quote_only"
    assert events == [SlotSet("topic", "policy"), SlotSet(PENDING_SLOT, None)]

    # Read as information, a message asking something of what the documents speak of is a question too.
    dispatcher = CollectingDispatcher()
    await action.run(dispatcher, tracker(text="电工四级是什么等级"), {})
    assert [q.text for q in asked[2:]] == ["电工四级是什么等级"]

    # Information naming a benefit that is not a training subsidy: named and pointed elsewhere.
    dispatcher = CollectingDispatcher()
    assert await action.run(dispatcher, tracker(text="深圳的失业补助金"), {}) == []
    [message] = dispatcher.messages
    assert message["response"] == "utter_neighbour_benefit" and message["benefit"] == "失业保险金"


def test_a_follow_up_continues_the_question_the_last_policy_answer_answered(tracker):
    said = ["叉车证补贴怎么申请", "我在彭阳", "那要什么材料"]
    follow_up = tracker({"topic": "policy", "region": "彭阳县"}, text=said[-1], intent="ask_policy")
    follow_up.events = [{"event": "user", "text": text} for text in said]
    assert question_from(follow_up).text == "叉车证补贴，那要什么材料"
    after_courses = tracker({"topic": "course", "region": "彭阳县"}, text=said[-1], intent="ask_policy")
    after_courses.events = follow_up.events
    assert question_from(after_courses).text == "那要什么材料"  # the last answer was no policy answer


async def test_the_place_the_asker_comes_from_is_not_where_they_ask(tracker):
    """户口是广西的 says where the asker comes from: working in 东莞, they ask of 广东's rules, and the
    conversation's place (which Rasa filled with the last one named) is put right for the next question."""
    text = "我在东莞厂里上班，户口是广西的，想考电工证能补贴吗"
    entities = [{"entity": "region", "value": "东莞"}, {"entity": "region", "value": "广西"}]
    message = tracker({"region": "广西"}, text=text, entities=entities, intent="ask_policy")
    question = question_from(message)
    assert question.place is not None and question.place.name == "东莞市"
    events = await ActionAnswerPolicy(answer).run(CollectingDispatcher(), message, {})
    assert SlotSet("region", "东莞市") in events
    alone = tracker({"region": "东莞"}, text="我在东莞", entities=entities[:1], intent="ask_policy")
    events = await ActionAnswerPolicy(answer).run(CollectingDispatcher(), alone, {})
    assert not [e for e in events if e["name"] == "region"]
