from typing import Any

import pytest
from rasa_sdk import Tracker


@pytest.fixture
def tracker():
    def build(
        slots: dict[str, Any] | None = None,
        text: str = "",
        entities: list[dict] | None = None,
        intent: str = "inform",
    ) -> Tracker:
        return Tracker(
            sender_id="u1",
            slots=slots or {},
            latest_message={
                "text": text,
                "intent": {"name": intent, "confidence": 0.9},
                "intent_ranking": [{"name": intent, "confidence": 0.9}],
                "entities": entities or [],
            },
            events=[],
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name=None,
        )

    return build
