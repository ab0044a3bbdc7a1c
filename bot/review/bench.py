"""`make bench-review` (`python -m bot review bench`): the review console at 100 000 conversations.

Seeds a tracker store once (kept under var/bench/review/ for the next run), folds it into a fresh
review table (the first sync's time), gives 2 % of the answered turns a negative verdict, then times
each console query — the list, each filter, a page deep in the list, a conversation — `repeats` times,
and prints the p50 and p95; then the list route through the app (token check, the sync each list
request makes, JSON). Also times a sync with nothing new and one after 1 000 new conversations."""

from __future__ import annotations

import json
import logging
import os
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.review.feedback import feedback_engine, review_feedback
from bot.review.seed import seed
from bot.review.tracker_events import events
from bot.review.turns import TurnFilter, conversation, find_turns, review_engine, review_turns, sync
from bot.settings import ROOT, Settings

NEGATIVE_SHARE = 0.02
TOKEN = {"Authorization": "Bearer dev-admin-token"}
PAGE = 50
DEEP_PAGES = 20


def run(conversations: int, directory: str, repeats: int = 40) -> int:
    folder = (ROOT / directory).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    tracker_url = f"sqlite:///{folder / 'trackers.db'}"
    database_url = f"sqlite:///{folder / 'assistant.db'}"
    _seeded(folder, tracker_url, conversations)
    (folder / "assistant.db").unlink(missing_ok=True)

    print("整理（首次，全部事件）…", flush=True)
    started = time.monotonic()
    turns = sync(tracker_url, database_url, progress=_every(250_000))
    first_sync = time.monotonic() - started
    print(f"首次整理：{turns:,} 轮，{first_sync:.0f} 秒", flush=True)
    _negative_feedback(database_url)

    timings: dict[str, list[float]] = {}
    timings["无新事件时的整理"] = _time(lambda: sync(tracker_url, database_url), repeats)
    week = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=7)
    filters = {
        "列表（无筛选）": TurnFilter(),
        "拒答": TurnFilter(outcome="declined"),
        "兜底": TurnFilter(outcome="fallback"),
        "澄清": TurnFilter(outcome="clarify"),
        "转人工": TurnFilter(outcome="handoff"),
        "低置信度 < 0.6": TurnFilter(max_confidence=0.6),
        "渠道 h5": TurnFilter(channel="h5"),
        "活动 一人一技": TurnFilter(campaign="一人一技"),
        "地点 彭阳县": TurnFilter(place="彭阳县"),
        "最近 7 天": TurnFilter(since=week),
        "差评": TurnFilter(negative_feedback=True),
        "拒答 + 活动 + 最近 7 天": TurnFilter(outcome="declined", campaign="2027春季招生", since=week),
    }
    for name, chosen in filters.items():
        timings[name] = _time(lambda f=chosen: find_turns(f, limit=PAGE, database_url=database_url), repeats)
    cursor = _cursor_at_page(TurnFilter(outcome="declined"), DEEP_PAGES, database_url)
    timings[f"拒答第 {DEEP_PAGES + 1} 页"] = _time(
        lambda: find_turns(
            TurnFilter(outcome="declined"), limit=PAGE, cursor=cursor, database_url=database_url
        ),
        repeats,
    )
    client = TestClient(create_app(Settings(tracker_store_url=tracker_url, database_url=database_url)))
    logging.disable(logging.INFO)  # the app logs each request at INFO: not part of the figures
    for name, query in (("列表", ""), ("拒答", "?outcome=declined"), ("差评", "?negative_feedback=true")):
        timings[f"GET /api/admin/review/turns {name}"] = _time(
            lambda q=query: _ok(client.get(f"/api/admin/review/turns{q}", headers=TOKEN)), repeats
        )
    senders = iter(_some_senders(database_url, repeats + 1))
    timings["打开一个对话"] = _time(lambda: conversation(next(senders), database_url), repeats)

    new_conversations, incremental = _incremental(tracker_url, database_url)

    print(f"\n{conversations:,} 个对话，{turns:,} 轮；每项 {repeats} 次（毫秒）")
    print(f"{'查询':<24}{'p50':>8}{'p95':>8}")
    for name, values in timings.items():
        print(f"{name:<24}{_ms(statistics.median(values)):>8}{_ms(_p95(values)):>8}")
    print(
        f"首次整理 {first_sync:.0f} 秒；新增 1000 个对话（写入 {new_conversations:.1f} 秒）后整理 {incremental:.2f} 秒"
    )
    return 0


def _seeded(folder: Path, tracker_url: str, conversations: int) -> None:
    """Seeds the store unless the marker says it holds `conversations` already. Written under a name of
    its own and moved into place when complete: a second benchmark seeding at the same moment (the
    stats benchmark shares this store) never writes into a file this one has open."""
    marker = folder / "seeded.json"
    store = Path(sa.make_url(tracker_url).database or "")
    if marker.exists() and json.loads(marker.read_text()).get("conversations") == conversations:
        print(f"沿用已生成的会话存储：{store}", flush=True)
        return
    partial = store.with_name(f"{store.name}.{os.getpid()}.partial")
    started = time.monotonic()
    written = seed(f"sqlite:///{partial}", conversations, progress=_every(10_000))
    os.replace(partial, store)
    marker.write_text(json.dumps({"conversations": conversations, "events": written}))
    print(
        f"生成 {conversations:,} 个对话、{written:,} 条事件：{time.monotonic() - started:.0f} 秒", flush=True
    )


def _incremental(tracker_url: str, database_url: str) -> tuple[float, float]:
    """Seconds to write 1 000 new conversations and to fold them; they are removed again afterwards,
    so the seeded store stays as the marker says (the stats benchmark copies it)."""
    engine = sa.create_engine(tracker_url)
    with engine.connect() as connection:
        before = connection.scalar(sa.select(sa.func.max(events.c.id)))
    started = time.monotonic()
    seed(tracker_url, 1000, days=1, rng_seed=int(time.time()))
    written = time.monotonic() - started
    started = time.monotonic()
    sync(tracker_url, database_url)
    folded = time.monotonic() - started
    with engine.begin() as connection:
        connection.execute(sa.delete(events).where(events.c.id > before))
    engine.dispose()
    return written, folded


def _negative_feedback(database_url: str) -> None:
    engine = review_engine(database_url)
    t = review_turns.c
    with engine.connect() as connection:
        answered = connection.execute(
            sa.select(t.sender_id, t.turn, t.at).where(t.outcome == "answered")
        ).all()
    rng = random.Random(19)
    chosen = rng.sample(answered, int(len(answered) * NEGATIVE_SHARE))
    rows = [
        {"sender_id": s, "turn": n, "helpful": False, "reason": "没说清楚", "channel": "h5", "at": at}
        for s, n, at in chosen
    ]
    with feedback_engine(database_url).begin() as connection:
        connection.execute(sa.insert(review_feedback), rows)


def _ok(response: httpx.Response) -> None:
    response.raise_for_status()


def _cursor_at_page(filters: TurnFilter, pages: int, database_url: str) -> str | None:
    cursor = None
    for _ in range(pages):
        cursor = find_turns(filters, limit=PAGE, cursor=cursor, database_url=database_url).next_cursor
    return cursor


def _some_senders(database_url: str, count: int) -> list[str]:
    engine = review_engine(database_url)
    c = review_turns.c
    with engine.connect() as connection:
        senders = connection.execute(sa.select(c.sender_id).where(c.turn == 1).limit(20_000)).scalars().all()
    return random.Random(7).sample(list(senders), min(count, len(senders)))


def _time(call: Callable[[], object], repeats: int) -> list[float]:
    call()  # warm the caches, as a console in use has them
    values = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        values.append(time.perf_counter() - started)
    return values


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def _every(step: int) -> Callable[[int, int], None]:
    shown = [0]

    def show(done: int, total: int) -> None:
        if done - shown[0] >= step or done == total:
            shown[0] = done
            print(f"  {done:,} / {total:,}", flush=True)

    return show
