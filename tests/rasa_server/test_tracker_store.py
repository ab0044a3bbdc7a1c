"""The tracker store appends exactly the new events of each save, with or without the count query it
skips for trackers it read itself. Runs in the Rasa environment (.venv-rasa) on a temporary SQLite file."""

from tests.rasa_python import run_in_rasa

RUN = """
import asyncio, json, sys
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa_server.tracker_store import TurnSQLTrackerStore

domain = Domain.from_yaml('slots:\\n  region:\\n    type: text\\n    mappings: []\\n')


async def main(path):
    store = TurnSQLTrackerStore(domain, dialect="sqlite", db=path)
    tracker = store.init_tracker("a")
    tracker.update_with_events([ActionExecuted("action_session_start"), SessionStarted(), UserUttered("你好")], domain)
    await store.save(tracker)  # a tracker the store did not read: counted
    turns = []
    for region in ("彭阳县", "西吉县"):
        tracker = await store.retrieve("a")
        tracker.update(SlotSet("region", region))
        tracker.update(UserUttered(region))
        await store.save(tracker)
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)  # saved twice in a turn: only the last event is new
        turns.append(len(tracker.events))
    read_back = await store.retrieve("a")
    with store.session_scope() as session:
        rows = session.query(store.SQLEvent).filter(store.SQLEvent.sender_id == "a").count()
    print(json.dumps({
        "rows": rows,
        "events": [e.as_dict()["event"] for e in read_back.events],
        "region": read_back.get_slot("region"),
        "turns": turns,
    }))

asyncio.run(main(sys.argv[1]))
"""


def test_each_event_is_stored_once_in_order(tmp_path):
    result = run_in_rasa(RUN, str(tmp_path / "trackers.db"))
    # action_session_start, session start, 你好; then per turn: slot, user message, action_listen
    assert result["rows"] == 3 + 2 * 3
    # Rasa reads a conversation back from its latest session start on
    assert result["events"] == ["session_started", "user"] + ["slot", "user", "action"] * 2
    assert result["region"] == "西吉县"
    assert result["turns"] == [5, 8]
