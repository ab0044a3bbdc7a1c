import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.greet import ActionGreet


@pytest.mark.parametrize(
    ("slots", "response"),
    [
        ({}, "utter_greet"),
        ({"region": "彭阳县"}, "utter_greet_region"),
        ({"region": "彭阳县", "role": "trainee"}, "utter_greet_region"),
        ({"region": "彭阳县", "role": "institution"}, "utter_greet"),
        ({"role": "agent"}, "utter_greet"),
    ],
)
async def test_greeting_follows_the_entry_context(tracker, slots, response):
    dispatcher = CollectingDispatcher()
    assert await ActionGreet().run(dispatcher, tracker(slots), {}) == []
    assert [m["response"] for m in dispatcher.messages] == [response]
