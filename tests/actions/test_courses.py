from datetime import date
from functools import partial

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.courses import ANY_TRADE, ActionFindCourses, ValidateCourseForm
from bot.courses.finder import find_nearest
from bot.courses.importer import load_sample_if_empty
from bot.courses.store import Catalogue


@pytest.fixture(scope="module")
def finder(tmp_path_factory):
    catalogue = Catalogue.from_url(f"sqlite:///{tmp_path_factory.mktemp('courses') / 'c.db'}")
    load_sample_if_empty(catalogue)
    return partial(find_nearest, catalogue=catalogue, today=date(2026, 11, 22))


@pytest.mark.parametrize(("text", "expected"), [("彭阳", "彭阳县"), ("长沙岳麓区", "岳麓区"), ("火星", None)])
async def test_place_resolved_by_the_gazetteer(tracker, text, expected):
    dispatcher = CollectingDispatcher()
    result = await ValidateCourseForm().validate_region(text, dispatcher, tracker(text=text), {})
    assert result == {"region": expected}
    assert [m["response"] for m in dispatcher.messages] == ([] if expected else ["utter_invalid_region"])


@pytest.mark.parametrize(("text", "expected"), [("电焊", "电焊"), ("都行", ANY_TRADE), ("宇航员", None)])
async def test_trade_checked_against_the_vocabulary(tracker, text, expected):
    result = await ValidateCourseForm().validate_occupation(
        text, CollectingDispatcher(), tracker(text=text), {}
    )
    assert result == {"occupation": expected}


async def test_nearest_three_with_cards(tracker, finder):
    dispatcher = CollectingDispatcher()
    events = await ActionFindCourses(finder).run(
        dispatcher, tracker({"region": "彭阳县", "occupation": "电焊"}), {}
    )
    assert events == [SlotSet("topic", "course"), SlotSet("location", None)]
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_courses_found" and responses[-1] == "utter_courses_more"
    cards = dispatcher.messages[0]["custom"]["courses"]
    assert cards and all(card["occupation"] == "焊工" for card in cards)
    assert [c["distance_km"] for c in cards] == sorted(c["distance_km"] for c in cards)
    assert len(responses) == len(cards) + 2


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


async def test_shared_location_stands_for_the_place(tracker, finder):
    t = tracker({"occupation": "电焊"})
    t.latest_message["metadata"] = {"location": {"lat": 35.86, "lng": 106.63}}
    assert await ValidateCourseForm().required_slots(
        ["region", "occupation"], CollectingDispatcher(), t, {}
    ) == ["occupation"]
    dispatcher = CollectingDispatcher()
    domain = {"responses": {"utter_your_location": [{"text": "您所在位置"}]}}
    await ActionFindCourses(finder).run(dispatcher, t, domain)
    assert dispatcher.messages[0]["place"] == "您所在位置"
    assert dispatcher.messages[0]["custom"]["courses"][0]["distance_km"] < 5
