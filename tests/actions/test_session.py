from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart

HOTLINE = "0954-12333"


def tracker_with(slots: dict[str, Any]) -> Tracker:
    return Tracker(
        sender_id="u1",
        slots=slots,
        latest_message={},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name=None,
    )


async def run(slots: dict[str, Any], carry_over: bool = True) -> list[dict[str, Any]]:
    domain = {"session_config": {"carry_over_slots_to_new_session": carry_over}}
    return await ActionSessionStart(hotline=HOTLINE).run(CollectingDispatcher(), tracker_with(slots), domain)


async def test_entry_metadata_becomes_slots():
    metadata = {"channel": "h5", "region": "彭阳县", "role": "institution", "campaign": "2027春季招生"}
    events = await run({"session_started_metadata": metadata})
    assert events == [
        SessionStarted(),
        SlotSet("source_channel", "h5"),
        SlotSet("role", "institution"),
        SlotSet("region", "彭阳县"),
        SlotSet("campaign", "2027春季招生"),
        SlotSet("hotline", HOTLINE),
        ActionExecuted("action_listen"),
    ]


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        "h5",
        {"channel": "fax", "role": "boss"},
        {"region": "", "campaign": "   "},
        {"region": "彭" * 41},
        {"region": 640425},
    ],
)
async def test_malformed_metadata_sets_nothing(metadata: Any):
    assert await run({"session_started_metadata": metadata}) == [
        SessionStarted(),
        SlotSet("hotline", HOTLINE),
        ActionExecuted("action_listen"),
    ]


async def test_previous_slots_carried_over_and_new_entry_wins():
    slots = {
        "region": "长沙市",
        "role": "trainee",
        "campaign": None,
        "session_started_metadata": {"region": "彭阳县"},
    }
    events = await run(slots)
    assert events == [
        SessionStarted(),
        SlotSet("region", "长沙市"),
        SlotSet("role", "trainee"),
        SlotSet("region", "彭阳县"),
        SlotSet("hotline", HOTLINE),
        ActionExecuted("action_listen"),
    ]


async def test_the_configured_hotline_replaces_a_carried_over_one():
    events = await run({"hotline": "12333", "session_started_metadata": {}})
    assert events[-2:] == [SlotSet("hotline", HOTLINE), ActionExecuted("action_listen")]
    assert SlotSet("hotline", "12333") in events  # carried over first, then replaced


async def test_no_carry_over_when_domain_says_so():
    events = await run({"region": "长沙市", "session_started_metadata": {}}, carry_over=False)
    assert events == [SessionStarted(), SlotSet("hotline", HOTLINE), ActionExecuted("action_listen")]
