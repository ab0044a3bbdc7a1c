"""`make run` keeps serving when one of its processes dies. The real supervisor (`python -m bot run` on
free ports) serves 10 subsidy conversations at once, again and again with new senders; one Rasa
process, then the action server, then the gateway is killed with SIGKILL under that load. Each must be
back within 60 s while the others keep running, /health must go degraded and back to ok, at least 95 %
of turns must succeed while the Rasa process is down, and every conversation must reach its amount
with its slots. Run with -s for the figures per kind of child (recorded in docs/RELIABILITY.md)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import pytest

from bot import rasa_model
from bot.settings import ROOT, Settings
from bot.stack import isolated_settings, state_path

pytestmark = pytest.mark.e2e

# The subsidy form to its amount, as in tests/e2e/test_subsidy_dialogue.py
TURNS = ["我能拿多少补贴", "彭阳县", "农民工", "叉车证", "本地户口，没领过"]
SLOTS = {"region": "彭阳县", "person_type": "农民工", "hukou_local": "是", "times_claimed": "0"}
AMOUNT = "合计1400元"
HOTLINE = "12333"
APOLOGY = f"抱歉，我暂时没能回答您的问题。请稍后再试，或拨打 {HOTLINE}"
USERS = 10
# A user waits 1–2 s between turns (about 5 turns/s in all, a third of what the machine serves, leaving a
# core to the restart), and as long before sending a failed turn again: spread, so users do not fall into step.
PAUSE_SECONDS = (1.0, 2.0)
TURN_DEADLINE_SECONDS = 120  # a turn still failing after this counts as a stuck conversation
BACK_WITHIN_SECONDS = 60
WAIT_SECONDS = 180  # how long the scenario waits for a child, so that a slow one is measured, not cut off
VICTIMS = ("rasa-1", "actions", "gateway")  # rasa-1 takes most turns: the gateway picks the first on a tie
PYTHON = str(ROOT / ".venv" / "bin" / "python")


@dataclass
class Turn:
    started: float
    # The HTTP status; without one, "refused" (not sent) or "dropped" (sent, then the connection closed:
    # the turn may have been processed, and sending it again may repeat it)
    status: int | str = "in flight"
    apology: bool = False

    @property
    def answered(self) -> bool:
        return self.status == 200 and not self.apology


@dataclass
class Conversation:
    sender: str
    turns: list[Turn] = field(default_factory=list)
    answer: dict | None = None  # the latest answer
    done: bool = False  # every turn answered


class Users:
    """USERS people, each going through the subsidy conversation to its amount, again and again with
    new sender ids until stopped; a turn that fails or gets the apology is sent again, as a person would."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.conversations: list[Conversation] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._user, args=(n,), daemon=True) for n in range(USERS)]

    def __enter__(self) -> Users:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=TURN_DEADLINE_SECONDS)

    def _user(self, n: int) -> None:
        pauses = random.Random(n)
        with httpx.Client(base_url=self.base_url, timeout=60) as http:
            for round_ in range(1000):
                if self.stopping.is_set():
                    return
                conversation = Conversation(f"restart-{n}-{round_}")
                self.conversations.append(conversation)
                for message in TURNS:
                    conversation.answer = self._say(http, conversation, message, pauses)
                    if conversation.answer is None:
                        return
                conversation.done = True

    def _say(
        self, http: httpx.Client, conversation: Conversation, message: str, pauses: random.Random
    ) -> dict | None:
        deadline = time.monotonic() + TURN_DEADLINE_SECONDS
        while time.monotonic() < deadline:
            turn = Turn(time.monotonic())
            conversation.turns.append(turn)  # now: a turn in flight during an outage is part of it
            try:
                response = http.post("/api/chat", json={"sender_id": conversation.sender, "message": message})
                turn.status = response.status_code
            except httpx.ConnectError:
                turn.status = "refused"
            except httpx.TransportError:
                turn.status = "dropped"
            answer = response.json() if turn.status == 200 else None
            turn.apology = answer is not None and APOLOGY in str(answer["messages"])
            time.sleep(pauses.uniform(*PAUSE_SECONDS))
            if turn.answered:
                return answer
        return None

    def turns(self, start: float, end: float) -> list[Turn]:
        return [t for c in self.conversations for t in c.turns if start <= t.started <= end]

    def under_way(self, start: float, end: float) -> list[Conversation]:
        return [c for c in self.conversations if any(start <= t.started <= end for t in c.turns)]

    def finished(self) -> list[Conversation]:
        return [c for c in self.conversations if c.done]


def health_seen(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if "status" not in body:  # an error, not a health report
        return f"HTTP {response.status_code}"
    return ":".join([body["status"], ",".join(body["degraded"])]) if body["degraded"] else body["status"]


class Watch:
    """Polls /health and the supervisor's state file four times a second."""

    def __init__(self, settings: Settings):
        self.url = f"http://127.0.0.1:{settings.gateway_port}/health"
        self.state_file = state_path(settings)
        # time, "ok" / "degraded:<parts>" / "down" / "unreachable" / "HTTP <status>" (an error instead)
        self.health: list[tuple[float, str]] = []
        self.processes: dict[str, dict] = {}
        self.done = threading.Event()
        threading.Thread(target=self._poll, daemon=True).start()

    def _poll(self) -> None:
        while not self.done.wait(0.25):
            try:
                seen = health_seen(httpx.get(self.url, timeout=5))
            except httpx.HTTPError:
                seen = "unreachable"
            self.health.append((time.monotonic(), seen))
            try:
                state = json.loads(self.state_file.read_text(encoding="utf-8"))
                self.processes = {p["name"]: p for p in state["processes"]}
            except (OSError, ValueError):
                pass

    @staticmethod
    def until(what: str, condition, seconds: float) -> float:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"not {what} within {seconds} s")
            time.sleep(0.1)
        return time.monotonic()

    def pids(self) -> dict[str, int]:
        return {name: process["pid"] for name, process in self.processes.items()}

    def restarted(self, name: str) -> bool:
        process = self.processes.get(name, {})
        return process.get("state") == "running" and process.get("restarts") == 1

    def ok_since(self, since: float) -> bool:
        return any(t > since and seen == "ok" for t, seen in self.health)

    def seen(self, start: float, end: float) -> list[str]:
        return sorted({seen for t, seen in self.health if start <= t <= end})


def reached_amount(conversation: Conversation) -> bool:
    if not conversation.done:
        return False
    text = "".join(m.get("text") or "" for m in conversation.answer["messages"])
    return AMOUNT in text and conversation.answer["slots"].items() >= SLOTS.items()


def answer_lost(conversation: Conversation) -> bool:
    """A turn was in the gateway when it was killed: sent again, it may have been processed twice."""
    return any(t.status == "dropped" for t in conversation.turns)


@dataclass
class Outage:
    """What happened between killing one child and its being back."""

    killed_at: float
    back_after: float  # seconds until the supervisor had it running again
    ok_after: float  # seconds until /health said ok again
    turns: list[Turn]
    conversations: list[Conversation]  # those with a turn in the outage
    health: list[str]
    others_kept: bool  # no other child was restarted

    def figures(self) -> dict:
        return {
            "turns": len(self.turns),
            "answered": sum(t.answered for t in self.turns),
            "apologies": sum(t.apology for t in self.turns),
            "failed": Counter(str(t.status) for t in self.turns if not t.answered and not t.apology),
            "conversations": len(self.conversations),
            "reached_amount": sum(map(reached_amount, self.conversations)),
            "answer_lost": sum(map(answer_lost, self.conversations)),
            "back_s": round(self.back_after, 1),
            "health_ok_s": round(self.ok_after, 1),
            "health": self.health,
        }


@dataclass
class Run:
    outages: dict[str, Outage]
    users: Users
    said: str  # the supervisor's output
    status: subprocess.CompletedProcess
    exit_code: int
    state_file_left: bool
    health: list[str]  # every answer /health gave in the whole run


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    """Runs the whole scenario once: start, load, kill each kind of child in turn, stop."""
    rasa_model.train(force=False)  # here, if needed at all, so that `bot run` finds the model
    data_dir = tmp_path_factory.mktemp("restarts")
    settings = isolated_settings(
        data_dir, hotline=HOTLINE, rate_limit_ip_per_minute=0, rate_limit_sender_per_minute=0
    )
    env = {**os.environ, **{name.upper(): str(value) for name, value in settings.model_dump().items()}}
    output = data_dir / "make-run.out"
    with output.open("wb") as out:
        supervisor = subprocess.Popen([PYTHON, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=out, stderr=out)
    watch = Watch(settings)

    def started() -> bool:
        return "助手已启动" in output.read_text(encoding="utf-8")

    try:
        Watch.until("started", lambda: started() or supervisor.poll() is not None, 300)
        assert started(), output.read_text(encoding="utf-8")
        outages = {}
        with Users(f"http://127.0.0.1:{settings.gateway_port}") as users:
            watch.until("serving", lambda: len(users.finished()) >= USERS, 120)
            for name in VICTIMS:
                watch.until("ok", lambda: watch.ok_since(time.monotonic() - 1), WAIT_SECONDS)
                before = watch.pids()
                os.kill(before[name], signal.SIGKILL)
                killed_at = time.monotonic()
                back = watch.until(f"{name} back", lambda n=name: watch.restarted(n), WAIT_SECONDS)
                ok = watch.until("/health ok", lambda t=killed_at: watch.ok_since(t), WAIT_SECONDS)
                after = watch.pids()
                under_way = users.under_way(killed_at, back)
                outages[name] = Outage(
                    killed_at,
                    back - killed_at,
                    ok - killed_at,
                    users.turns(killed_at, back),
                    under_way,
                    watch.seen(killed_at, ok),
                    after[name] != before.pop(name) and before.items() <= after.items(),
                )
                # The next outage starts when the conversations caught in this one are over.
                watch.until("conversations over", lambda c=under_way: all(x.done for x in c), WAIT_SECONDS)
            time.sleep(5)  # a few more turns through the restarted gateway
        status = subprocess.run(
            [PYTHON, "-m", "bot", "status"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
        )
        supervisor.send_signal(signal.SIGTERM)
        exit_code = supervisor.wait(timeout=60)
        print(json.dumps({name: o.figures() for name, o in outages.items()}, ensure_ascii=False))
        print(status.stdout)
        return Run(
            outages,
            users,
            output.read_text(encoding="utf-8"),
            status,
            exit_code,
            state_path(settings).exists(),
            watch.seen(0, time.monotonic()),
        )
    finally:
        watch.done.set()
        if supervisor.poll() is None:
            supervisor.send_signal(signal.SIGTERM)
            supervisor.wait(timeout=60)


def test_a_rasa_process_dies_and_its_turns_go_to_the_other(run):
    rasa = run.outages["rasa-1"]
    assert rasa.back_after < BACK_WITHIN_SECONDS and rasa.others_kept
    assert len(rasa.turns) >= 50
    assert sum(t.answered for t in rasa.turns) >= 0.95 * len(rasa.turns)
    # The gateway answered every turn; the only failures are turns that were in the killed process.
    assert {t.status for t in rasa.turns} <= {200, 503}
    assert "degraded:rasa" in rasa.health and rasa.ok_after < BACK_WITHIN_SECONDS


def test_the_action_server_dies_and_turns_get_the_apology(run):
    actions = run.outages["actions"]
    assert actions.back_after < BACK_WITHIN_SECONDS and actions.others_kept
    assert {t.status for t in actions.turns} == {200}  # the answer or the apology with the hotline
    assert "degraded:actions" in actions.health and actions.ok_after < BACK_WITHIN_SECONDS


def test_the_gateway_dies_and_is_back(run):
    gateway = run.outages["gateway"]
    assert gateway.back_after < BACK_WITHIN_SECONDS and gateway.others_kept
    assert {t.status for t in gateway.turns} <= {200, "refused", "dropped"}  # never a 5xx
    assert "unreachable" in gateway.health and gateway.ok_after < BACK_WITHIN_SECONDS


def test_health_always_answers_with_its_report(run):
    assert [seen for seen in run.health if seen.startswith("HTTP")] == []


def test_every_conversation_reaches_its_amount_with_its_slots(run):
    conversations = [
        c
        for c in run.users.conversations
        if c not in run.outages["actions"].conversations and not answer_lost(c)
    ]
    assert len(run.users.finished()) >= 3 * USERS
    assert [c.sender for c in conversations if not c.done] == []  # none stuck
    assert [c.sender for c in conversations if not reached_amount(c)] == []


@pytest.mark.xfail(
    reason="Rasa 3.6 drops the events of an action that could not reach the action server and goes on "
    "predicting, so the turn is answered as if the action had not run: a first turn gets the fallback, "
    "not the apology; a form turn loses the slots it gave (docs/RELIABILITY.md)"
)
def test_conversations_under_way_while_the_action_server_restarts_reach_their_amount(run):
    conversations = run.outages["actions"].conversations
    assert conversations and all(map(reached_amount, conversations))


def test_the_supervisor_says_what_happened_and_stops_cleanly(run):
    for name in VICTIMS:
        assert f"{name} 意外退出（信号 SIGKILL），1 秒后重启。" in run.said
        assert f"{name} 已恢复" in run.said
    assert run.status.returncode == 0 and run.status.stdout.rstrip().endswith("助手状态：正常")
    restarts = {line.split()[0]: line.split()[4] for line in run.status.stdout.splitlines()[1:5]}
    assert restarts == {"actions": "1", "rasa-1": "1", "rasa-2": "0", "gateway": "1"}
    assert run.exit_code == 0 and run.said.rstrip().endswith("已停止。")
    assert not run.state_file_left
