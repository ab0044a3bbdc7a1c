import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.courses import ANY_TRADE, ActionFindCourses, ValidateCourseForm


@pytest.mark.parametrize(("text", "expected"), [("彭阳", "彭阳县"), ("长沙岳麓区", "岳麓区"), ("火星", None)])
async def test_place_resolved_by_the_gazetteer(tracker, text, expected):
    dispatcher = CollectingDispatcher()
    result = await ValidateCourseForm().validate_region(text, dispatcher, tracker(text=text), {})
    assert result == ({"region": expected, "location": None} if expected else {"region": None})
    assert [m["response"] for m in dispatcher.messages] == ([] if expected else ["utter_invalid_region"])


@pytest.mark.parametrize(
    ("named", "expected"),
    [(["深圳", "宝安"], "宝安区"), (["深圳", "南充"], "深圳市")],  # unrelated places: the first one named
)
async def test_places_named_together_narrow_down(tracker, named, expected):
    text = "".join(named) + "哪里能学电工"
    entities = [{"entity": "region", "value": name} for name in named]
    t = tracker(text=text, entities=entities)
    # Rasa fills the slot with the last place named
    result = await ValidateCourseForm().validate_region(named[-1], CollectingDispatcher(), t, {})
    assert result == {"region": expected, "location": None}


@pytest.mark.parametrize(("text", "expected"), [("电焊", "电焊"), ("都行", ANY_TRADE), ("宇航员", None)])
async def test_trade_checked_against_the_vocabulary(tracker, text, expected):
    result = await ValidateCourseForm().validate_occupation(
        text, CollectingDispatcher(), tracker(text=text), {}
    )
    assert result == {"occupation": expected}


@pytest.mark.parametrize(
    ("text", "named", "expected"),
    [("我有叉车证，想学电焊", ["叉车证", "电焊"], "电焊"), ("我有叉车证", ["叉车证"], None)],
)
async def test_the_trade_wanted_not_the_certificate_held(tracker, text, named, expected):
    entities = [{"entity": "occupation", "value": v, "start": text.index(v), "end": text.index(v) + len(v)}
                for v in named]  # fmt: skip
    dispatcher = CollectingDispatcher()
    t = tracker({"requested_slot": "occupation"}, text=text, entities=entities)
    assert await ValidateCourseForm().validate_occupation(named[-1], dispatcher, t, {}) == {
        "occupation": expected
    }
    assert [m["response"] for m in dispatcher.messages] == ([] if expected else ["utter_invalid_occupation"])


async def test_nearest_three_with_cards(tracker, finder):
    dispatcher = CollectingDispatcher()
    events = await ActionFindCourses(finder).run(
        dispatcher, tracker({"region": "彭阳县", "occupation": "电焊"}), {}
    )
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_courses_found"
    # "more?" only when a full page was shown (two welders' courses are within reach of 彭阳县)
    assert responses[-1] == (
        "utter_courses_more"
        if len(dispatcher.messages[0]["custom"]["courses"]) == 3
        else "utter_courses_other"
    )
    cards = dispatcher.messages[0]["custom"]["courses"]
    assert cards and all(card["occupation"] == "焊工" for card in cards)
    assert [c["distance_km"] for c in cards] == sorted(c["distance_km"] for c in cards)
    assert len(responses) == len(cards) + 2
    assert events == [SlotSet("topic", "course"), SlotSet("courses_shown", len(cards))]


async def test_any_trade_searches_without_filter(tracker, finder):
    dispatcher = CollectingDispatcher()
    await ActionFindCourses(finder).run(
        dispatcher, tracker({"region": "彭阳县", "occupation": ANY_TRADE}), {}
    )
    assert len(dispatcher.messages[0]["custom"]["courses"]) == 3


async def test_nothing_within_reach_points_to_the_nearest_farther_course(tracker, finder):
    dispatcher = CollectingDispatcher()
    await ActionFindCourses(finder).run(dispatcher, tracker({"region": "拉萨市", "occupation": "焊工"}), {})
    assert dispatcher.messages[0]["response"] == "utter_courses_none_nearby_but_farther"


async def test_only_the_place_is_asked_and_a_trade_told_is_validated(tracker):
    async def required(t):
        return await ValidateCourseForm().required_slots(
            ["region", "occupation"], CollectingDispatcher(), t, {}
        )

    assert await required(tracker(text="附近有什么培训班", intent="find_course")) == ["region"]
    told = tracker({"occupation": "电焊"}, text="想学电焊", intent="find_course")
    told.events.append({"event": "slot", "name": "occupation", "value": "电焊"})
    assert await required(told) == ["region", "occupation"]


async def test_shared_location_stands_for_the_place(tracker, finder):
    t = tracker({"occupation": "电焊"})
    t.latest_message["metadata"] = {"location": {"lat": 35.86, "lng": 106.63}}
    assert (
        await ValidateCourseForm().required_slots(["region", "occupation"], CollectingDispatcher(), t, {})
        == []
    )
    dispatcher = CollectingDispatcher()
    domain = {"responses": {"utter_your_location": [{"text": "您所在位置"}]}}
    await ActionFindCourses(finder).run(dispatcher, t, domain)
    assert dispatcher.messages[0]["place"] == "您所在位置"
    assert dispatcher.messages[0]["custom"]["courses"][0]["distance_km"] < 5


async def test_more_continues_the_same_search(tracker, finder):
    slots = {"region": "彭阳县", "occupation": ANY_TRADE, "topic": "course", "courses_shown": 3}
    first, more = CollectingDispatcher(), CollectingDispatcher()
    await ActionFindCourses(finder).run(first, tracker({**slots, "topic": None}), {})
    events = await ActionFindCourses(finder).run(more, tracker(slots, text="好的", intent="affirm"), {})
    assert more.messages[0]["response"] == "utter_courses_found_more"
    shown_first = [c["course"] for c in first.messages[0]["custom"]["courses"]]
    shown_next = [c["course"] for c in more.messages[0]["custom"]["courses"]]
    assert shown_next and not set(shown_first) & set(shown_next)
    assert (
        more.messages[0]["custom"]["courses"][0]["distance_km"]
        >= first.messages[0]["custom"]["courses"][-1]["distance_km"]
    )
    assert events[-1] == SlotSet("courses_shown", 3 + len(shown_next))


async def test_no_more_courses(tracker, finder):
    slots = {"region": "彭阳县", "occupation": "焊工", "topic": "course", "courses_shown": 50}
    dispatcher = CollectingDispatcher()
    await ActionFindCourses(finder).run(dispatcher, tracker(slots, text="好的", intent="affirm"), {})
    assert [m["response"] for m in dispatcher.messages] == ["utter_courses_no_more"]
