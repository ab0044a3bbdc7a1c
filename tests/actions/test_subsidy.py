import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import DONT_KNOW, PROFILE_FIELDS
from actions.subsidy import (
    ASK_AGAIN_RESPONSES,
    NAMED_SLOT,
    ActionAskSubsidyCertificate,
    ActionEstimateSubsidy,
    ValidateSubsidyForm,
)

PENGYANG_WORKER = {"region": "彭阳县", "person_type": "农民工", "hukou_local": "是", "certificate": "叉车证"}
ONE_BREATH = "我是彭阳的农民工，本地户口，考了叉车证，之前没领过，能补多少，附近哪有电工培训"


def spans(text: str, *named: tuple[str, str]) -> list[dict]:
    """Entities as the NLU gives them, with their place in the text."""
    return [{"entity": kind, "value": value, "start": text.index(value), "end": text.index(value) + len(value)}
            for kind, value in named]  # fmt: skip


async def test_required_slots_are_what_the_calculator_misses(tracker):
    form = ValidateSubsidyForm()
    missing = await form.required_slots([], CollectingDispatcher(), tracker({"region": "彭阳县"}), {})
    # Who may claim (the five groups with 彭阳户籍, or 企业职工) and the claim count are plain conditions:
    # stated with the amount, not asked.
    assert missing == ["certificate"]


async def test_conditions_the_message_states_are_read(tracker):
    told = tracker({**PENGYANG_WORKER, "hukou_local": None}, text="本地户口，没领过")
    missing = await ValidateSubsidyForm().required_slots([], CollectingDispatcher(), told, {})
    assert missing == ["hukou_local", "times_claimed"]


async def test_fields_answered_dont_know_are_not_asked_again(tracker):
    slots = {"region": "彭阳县", "person_type": "农民工", "hukou_local": DONT_KNOW}
    missing = await ValidateSubsidyForm().required_slots([], CollectingDispatcher(), tracker(slots), {})
    assert "hukou_local" not in missing and missing[0] == "certificate"


async def test_complete_profile_needs_nothing(tracker):
    slots = {**PENGYANG_WORKER, "times_claimed": "没有"}
    assert await ValidateSubsidyForm().required_slots([], CollectingDispatcher(), tracker(slots), {}) == []


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("region", "彭阳", "彭阳县"),
        ("region", "我在宁夏固原彭阳县", "彭阳县"),
        ("region", "宝安", "深圳市"),  # a district of a city the calculator knows
        ("region", "西吉县", "西吉县"),  # a place it has no documents for keeps its name
        ("person_type", "大学生", "大学生"),
        ("certificate", "叉车证", "叉车证"),
        ("times_claimed", "领过一次", "领过一次"),
        ("hukou_local", "不清楚", DONT_KNOW),
    ],
)
async def test_answers_the_calculator_understands_are_kept(tracker, field, text, expected):
    dispatcher = CollectingDispatcher()
    t = tracker({"region": "彭阳县", "requested_slot": field}, text=text)
    result = await getattr(ValidateSubsidyForm(), f"validate_{field}")(text, dispatcher, t, {})
    assert result == {field: expected} | ({NAMED_SLOT: None} if field == "certificate" else {})
    assert dispatcher.messages == []


async def test_a_certificate_of_several_catalogue_rows_is_asked_with_them_as_choices(tracker):
    """ "焊工证" is 焊接与热切割作业 or 特种设备焊接作业: the slot stays empty, so that the form asks which,
    offering both to tap; the one chosen is kept."""
    text = "彭阳户籍农民工，拿到了焊工证，能补多少"
    t = tracker({"region": "彭阳县"}, text=text, entities=spans(text, ("certificate", "焊工证")))
    dispatcher = CollectingDispatcher()
    told = await ValidateSubsidyForm().validate_certificate("焊工证", dispatcher, t, {})
    assert told == {"certificate": None, NAMED_SLOT: "焊工证"} and dispatcher.messages == []

    await ActionAskSubsidyCertificate().run(dispatcher, tracker({"region": "彭阳县", **told}), {})
    [question] = dispatcher.messages
    assert question["response"] == "utter_ask_certificate_choice" and question["certificate"] == "焊工证"
    assert [b["payload"] for b in question["buttons"]] == ["焊接与热切割作业", "特种设备焊接作业"]

    chosen = tracker({"region": "彭阳县", **told, "requested_slot": "certificate"}, text="焊接与热切割作业")
    assert await ValidateSubsidyForm().validate_certificate("焊接与热切割作业", dispatcher, chosen, {}) == {
        "certificate": "焊接与热切割作业",
        NAMED_SLOT: None,
    }


async def test_the_plain_certificate_question_when_no_name_was_told(tracker):
    dispatcher = CollectingDispatcher()
    await ActionAskSubsidyCertificate().run(dispatcher, tracker({"region": "彭阳县"}), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_certificate"]
    assert not dispatcher.messages[0]["buttons"]


async def test_entity_value_preferred_over_the_whole_sentence(tracker):
    text = "我是农民工"
    t = tracker(
        {"requested_slot": "person_type"}, text=text, entities=[{"entity": "person_type", "value": "农民工"}]
    )
    assert await ValidateSubsidyForm().validate_person_type(text, CollectingDispatcher(), t, {}) == {
        "person_type": "农民工"
    }


async def test_another_fields_value_is_not_taken_for_the_one_asked(tracker):
    """Asked for the certificate, "农民工" is the person type (filled by its own mapping), not a certificate;
    the certificate is asked again, silently."""
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "person_type", "value": "农民工", "start": 0, "end": 3}]
    t = tracker({"requested_slot": "certificate"}, text="农民工", entities=entities)
    assert await ValidateSubsidyForm().validate_certificate("农民工", dispatcher, t, {}) == {
        "certificate": None
    }
    assert dispatcher.messages == []


async def test_unintelligible_answer_is_asked_again(tracker):
    dispatcher = CollectingDispatcher()
    t = tracker({"requested_slot": "person_type"}, text="外星人")
    assert await ValidateSubsidyForm().validate_person_type("外星人", dispatcher, t, {}) == {
        "person_type": None
    }
    assert [m["response"] for m in dispatcher.messages] == ["utter_invalid_person_type"]


def test_every_profile_field_has_a_response_to_ask_again():
    assert set(ASK_AGAIN_RESPONSES) == set(PROFILE_FIELDS)


async def test_estimate_with_its_clause(tracker):
    dispatcher = CollectingDispatcher()
    events = await ActionEstimateSubsidy().run(
        dispatcher, tracker({**PENGYANG_WORKER, "times_claimed": "0"}), {}
    )
    assert events == [SlotSet("topic", "subsidy")]
    [message] = dispatcher.messages
    assert message["response"] == "utter_subsidy_estimate"
    assert "1400元" in message["explanation"]
    assert message["custom"]["subsidy"]["total_yuan"] == 1400
    assert {"doc_id": "pengyang-2026", "section": "附件1 第22行"}.items() <= message["custom"]["citations"][
        0
    ].items()


async def test_third_claim_is_not_eligible(tracker):
    dispatcher = CollectingDispatcher()
    await ActionEstimateSubsidy().run(dispatcher, tracker({**PENGYANG_WORKER, "times_claimed": "两次"}), {})
    subsidy = dispatcher.messages[0]["custom"]["subsidy"]
    assert subsidy["eligible"] is False and subsidy["total_yuan"] is None


async def test_a_field_is_judged_on_its_own_value(tracker):
    """ "农民工" said while the form asked for training days fills person_type, not training_days."""
    t = tracker(
        {"requested_slot": "training_days", "training_days": "农民工", "program": "以工代训"},
        text="农民工",
        entities=[{"entity": "person_type", "value": "农民工"}],
    )
    form = ValidateSubsidyForm()
    dispatcher = CollectingDispatcher()
    assert await form.validate_person_type("农民工", dispatcher, t, {}) == {"person_type": "农民工"}
    assert await form.validate_training_days("农民工", dispatcher, t, {}) == {"training_days": None}
    assert dispatcher.messages == []  # the message was about another field: no complaint


async def test_a_question_about_another_benefit_asks_nothing_and_names_it(tracker):
    from bot.answers.benefits import not_a_training_subsidy

    question = tracker(text="失业金一个月能领多少钱", intent="ask_subsidy")
    assert await ValidateSubsidyForm().required_slots([], CollectingDispatcher(), question, {}) == []
    dispatcher = CollectingDispatcher()
    events = await ActionEstimateSubsidy(other_benefit=not_a_training_subsidy).run(dispatcher, question, {})
    [reply] = dispatcher.messages
    assert reply["response"] == "utter_neighbour_benefit" and reply["benefit"] == "失业保险金"
    assert reply["custom"]["citations"] == [] and events == [SlotSet("topic", None)]


@pytest.mark.parametrize(
    ("text", "stated"),
    [("我是彭阳户籍的农民工，考了叉车证，能补多少钱？", {"hukou_local": "是"}),
     ("外地户口的，之前领过一次", {"hukou_local": "否", "times_claimed": "1"}),
     ("本地户口，没领过", {"hukou_local": "是", "times_claimed": "0"}),
     ("叉车证能补多少", {})],
)  # fmt: skip
async def test_what_a_message_states_unasked_fills_the_form(tracker, text, stated):
    form, t = (
        ValidateSubsidyForm(),
        tracker({"requested_slot": "certificate"}, text=text, intent="ask_subsidy"),
    )
    extracted = {
        **await form.extract_hukou_local(CollectingDispatcher(), t, {}),
        **await form.extract_times_claimed(CollectingDispatcher(), t, {}),
    }
    assert extracted == stated


async def test_the_answer_to_its_own_question_is_left_to_the_slot_mapping(tracker):
    t = tracker({"requested_slot": "hukou_local"}, text="本地户口")
    assert await ValidateSubsidyForm().extract_hukou_local(CollectingDispatcher(), t, {}) == {}


async def test_the_region_question_after_a_question_gives_the_national_rule_first(tracker):
    from actions.subsidy import ActionAskSubsidyRegion

    dispatcher = CollectingDispatcher()
    question = tracker(text="技能提升补贴一般能补多少", intent="ask_subsidy")
    await ActionAskSubsidyRegion().run(dispatcher, question, {})
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] in {"utter_policy_answer", "utter_policy_answer_quote_only"}
    assert dispatcher.messages[0]["custom"]["citations"][0]["doc_id"] == "nat-2017-40"
    assert (
        responses[-2:] == ["utter_policy_national_note", "utter_ask_region"]
        or responses[-1] == "utter_ask_region"
    )


async def test_the_region_question_alone_when_no_national_rule_answers(tracker):
    from actions.subsidy import ActionAskSubsidyRegion

    dispatcher = CollectingDispatcher()
    await ActionAskSubsidyRegion().run(
        dispatcher, tracker(text="以工代训每人补多少", intent="ask_subsidy"), {}
    )
    assert [m["response"] for m in dispatcher.messages] == ["utter_ask_region"]
    # The places the calculator has rules for, to tap; any other is typed.
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert "彭阳县" in titles and "天津市" in titles
    assert all(b["payload"] == b["title"] for b in dispatcher.messages[0]["buttons"])


async def test_the_national_rule_where_local_ones_say_more_then_the_region_question_once(tracker):
    """彭阳's catalogue names 消防设施操作员; the national rule on any certificate is given first, without
    the policy answer's own offer of places: the form's question asks where the asker is."""
    from actions.subsidy import ActionAskSubsidyRegion

    dispatcher = CollectingDispatcher()
    question = tracker(text="消防设施操作员证能补多少钱", intent="ask_subsidy")
    await ActionAskSubsidyRegion().run(dispatcher, question, {})
    responses = [m["response"] for m in dispatcher.messages]
    assert dispatcher.messages[0]["custom"]["citations"][0]["doc_id"] == "nat-2017-40"
    assert "utter_policy_national_note" in responses
    assert "utter_policy_local_offer" not in responses
    assert responses[-1] == "utter_ask_region" and responses.count("utter_ask_region") == 1


@pytest.mark.parametrize(
    "text",
    [ONE_BREATH, "我是彭阳的农民工，想学电工，之前考了叉车证，能补多少"],  # whichever is named first
)
async def test_the_certificate_is_the_one_held_not_the_course_wanted(tracker, text):
    """The NLU tags both 叉车证 and 电工 as certificates; the form keeps the one the caller holds."""
    entities = spans(text, ("certificate", "叉车证"), ("certificate", "电工"))
    t = tracker({"region": "彭阳县"}, text=text, entities=entities, intent="ask_subsidy")
    result = await ValidateSubsidyForm().validate_certificate("电工", CollectingDispatcher(), t, {})
    assert result == {"certificate": "叉车证", NAMED_SLOT: None}


async def test_the_amount_then_the_cards_of_the_course_wanted(tracker, finder):
    entities = spans(ONE_BREATH, ("region", "彭阳"), ("person_type", "农民工"), ("certificate", "叉车证"),
                     ("certificate", "电工"))  # fmt: skip
    t = tracker(
        {**PENGYANG_WORKER, "times_claimed": "0"}, text=ONE_BREATH, entities=entities, intent="ask_subsidy"
    )
    dispatcher = CollectingDispatcher()
    events = await ActionEstimateSubsidy(other_benefit=lambda text: None, finder=finder).run(
        dispatcher, t, {}
    )
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[:2] == ["utter_subsidy_estimate", "utter_courses_found"]
    assert "1400元" in dispatcher.messages[0]["explanation"]
    cards = dispatcher.messages[1]["custom"]["courses"]
    assert cards and {card["occupation"] for card in cards} == {"电工"}
    assert responses[2:] == [
        "utter_course_subsidized" if card["subsidized"] else "utter_course_unsubsidized" for card in cards
    ] + ["utter_courses_other"]  # no "more?": the conversation stays on the subsidy
    assert events == [SlotSet("topic", "subsidy")]


async def test_a_value_read_from_the_message_is_kept_beside_other_fields(tracker):
    text = "我是彭阳的农民工，本地户口"
    entities = spans(text, ("region", "彭阳"), ("person_type", "农民工"))
    t = tracker({"requested_slot": "hukou_local"}, text=text, entities=entities)
    assert await ValidateSubsidyForm().validate_hukou_local("是", CollectingDispatcher(), t, {}) == {
        "hukou_local": "是"
    }


async def test_the_certificate_choice_comes_after_the_cards_of_the_course_wanted(tracker, finder):
    """ "……拿到了焊工证……能补多少，附近有叉车培训吗": the courses are answered now; the amount waits for
    which 焊工证."""
    text = "彭阳户籍农民工，拿到了焊工证，能补多少，附近有叉车培训吗"
    entities = spans(text, ("region", "彭阳"), ("certificate", "焊工证"), ("certificate", "叉车"))
    t = tracker(
        {"region": "彭阳县", NAMED_SLOT: "焊工证"}, text=text, entities=entities, intent="ask_subsidy"
    )
    dispatcher = CollectingDispatcher()
    assert await ActionAskSubsidyCertificate(finder).run(dispatcher, t, {}) == []
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_courses_found" and responses[-1] == "utter_ask_certificate_choice"
    assert {card["occupation"] for card in dispatcher.messages[0]["custom"]["courses"]} == {"叉车司机"}


async def test_a_certificate_left_empty_this_turn_is_asked_after_the_place(tracker):
    """ "高级电工证国家有补贴吗": 电工证 is several rows, so validation leaves it empty; the place is still
    asked first (its question gives the national rule), the certificate after it."""
    t = tracker({"certificate": "电工证"}, text="高级电工证国家有补贴吗", intent="ask_subsidy")
    t.events.append({"event": "slot", "name": "certificate", "value": "电工证"})
    form = ValidateSubsidyForm(other_benefit=lambda text: None)
    required = await form.required_slots([], CollectingDispatcher(), t, {})
    assert required[0] == "region" and "certificate" in required


async def test_a_value_not_understood_unasked_asks_nothing(tracker):
    """ "赣州低压电工补贴新政多少": the NLU took 新政 for a programme. Validation empties it; the form then
    asks for nothing the calculator does not want (here: nothing, as 赣州 gets the national rule)."""
    text = "赣州低压电工补贴新政多少"
    named = spans(text, ("region", "赣州"), ("program", "新政"))
    t = tracker({"region": "赣州", "program": "新政"}, text=text, entities=named, intent="ask_subsidy")
    t.events += [
        {"event": "slot", "name": "region", "value": "赣州"},
        {"event": "slot", "name": "program", "value": "新政"},
    ]
    form = ValidateSubsidyForm(other_benefit=lambda text: None)
    assert "program" in await form.required_slots([], CollectingDispatcher(), t, {})  # validated
    assert (await form.validate_program("新政", CollectingDispatcher(), t, {})) == {"program": None}
    t.slots["program"] = None
    assert "program" not in await form.required_slots([], CollectingDispatcher(), t, {})


async def test_the_place_rule_that_answers_then_who_the_asker_is(tracker):
    """天津's amount depends on who the asker is: the form's question for it comes after 天津's rule that
    answers the opening question (第九条, 培训费补贴 by the catalogue), as the assist pane gives it. An answer
    to the form's question gets the question alone."""
    from actions.subsidy import ActionAskSubsidyPersonType

    opening = tracker({"region": "天津市"}, text="天津育婴师补贴能拿多少钱", intent="ask_subsidy")
    dispatcher = CollectingDispatcher()
    await ActionAskSubsidyPersonType().run(dispatcher, opening, {})
    assert dispatcher.messages[0]["custom"]["citations"][0]["passage_id"] == "tj-2022-20:art9"
    assert [m["response"] for m in dispatcher.messages][-1] == "utter_ask_person_type"
    again = CollectingDispatcher()
    await ActionAskSubsidyPersonType().run(again, tracker({"region": "天津市"}, text="天津"), {})
    assert [m["response"] for m in again.messages] == ["utter_ask_person_type"]
