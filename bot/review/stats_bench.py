"""`python -m bot review bench-stats`: the office's numbers and the retention purge at 100 000
conversations.

Works on a copy of the console benchmark's seeded tracker store (var/bench/review/, seeded here when
missing, with the same generator), so that the purge can really run: folds it into a fresh review table,
marks 2 % of the answered turns not helpful and 3 % helpful, then times the numbers for 7, 30 and 90 days
(the embedder already loaded, as in the gateway), GET /api/admin/stats and its CSV through the app,
`python -m bot review stats` as a command (a new process: Python, the embedder, the sync check), the
purge's dry run and the purge itself (delete, 60 days). The copy is removed afterwards."""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import time
from datetime import timedelta

import httpx
import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.gateway.app import create_app
from bot.review.bench import _every, _seeded, _time
from bot.review.feedback import feedback_engine, review_feedback
from bot.review.purge import plan_purge, purge
from bot.review.stats import Period, compute_stats
from bot.review.tracker_events import events
from bot.review.turns import review_conversations, review_engine, review_turns, sync, tracker_engine
from bot.settings import ROOT, get_settings
from bot.stack import isolated_settings
from retrieval.embedder import get_embedder

SHARES = {False: 0.02, True: 0.03}  # verdicts given, as shares of the answered turns
PURGE_DAYS = 60
TOKEN = {"Authorization": "Bearer dev-admin-token"}


def run(conversations: int, directory: str, repeats: int = 5) -> int:
    seeded = (ROOT / directory).resolve()
    seeded.mkdir(parents=True, exist_ok=True)
    _seeded(seeded, f"sqlite:///{seeded / 'trackers.db'}", conversations)
    work = seeded.parent / "stats"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    shutil.copy(seeded / "trackers.db", work / "trackers.db")
    tracker_url, database_url = f"sqlite:///{work / 'trackers.db'}", f"sqlite:///{work / 'assistant.db'}"

    print("整理（首次，全部事件）…", flush=True)
    started = time.monotonic()
    turns = sync(tracker_url, database_url, progress=_every(500_000))
    first_sync = time.monotonic() - started
    with review_engine(database_url).connect() as connection:
        folded = connection.scalar(sa.select(sa.func.count()).select_from(review_conversations))
    verdicts = _verdicts(database_url)
    started = time.monotonic()
    encode = get_embedder(get_settings().embedding_model).encode
    model_load = time.monotonic() - started

    timings: dict[str, list[float]] = {}
    for days in (7, 30, 90):
        period = Period.last_days(days)
        timings[f"统计 {days} 天（函数）"] = _time(
            lambda p=period: compute_stats(p, database_url, encode), repeats
        )
    settings = isolated_settings(work, tracker_store_url=tracker_url, database_url=database_url)
    client = TestClient(create_app(settings), headers=TOKEN)
    timings["GET /api/admin/stats（30 天）"] = _time(lambda: _ok(client.get("/api/admin/stats")), repeats)
    timings["GET /api/admin/stats/csv（30 天）"] = _time(
        lambda: _ok(client.get("/api/admin/stats/csv")), repeats
    )
    command = [
        sys.executable,
        "-m",
        "bot",
        "review",
        "stats",
        "--tracker-db",
        tracker_url,
        "--db",
        database_url,
    ]
    timings["python -m bot review stats（新进程）"] = _time(
        lambda: subprocess.run(command, cwd=ROOT, check=True, capture_output=True), max(1, repeats // 2)
    )
    timings[f"purge --dry-run（{PURGE_DAYS} 天）"] = _time(
        lambda: plan_purge(PURGE_DAYS, tracker_url, database_url), repeats
    )
    plan = plan_purge(PURGE_DAYS, tracker_url, database_url)
    started = time.monotonic()
    purge(plan, tracker_url, database_url)
    purged = time.monotonic() - started
    with tracker_engine(tracker_url).connect() as connection:
        left = connection.scalar(sa.select(sa.func.count()).select_from(events))
    tracker_engine(tracker_url).dispose()
    review_engine(database_url).dispose()
    shutil.rmtree(work)  # the copy (about as large as the seeded store)

    print(f"\n{folded:,} 个对话，{turns:,} 轮，{verdicts:,} 条评价；每项 {repeats} 次（毫秒）")
    print(f"{'p50':>9}{'最慢':>9}  项目")
    for name, values in timings.items():
        print(f"{_ms(statistics.median(values)):>9}{_ms(max(values)):>9}  {name}")
    print(f"首次整理 {first_sync:.0f} 秒；嵌入模型加载 {model_load:.1f} 秒")
    print(
        f"purge（删除，{PURGE_DAYS} 天）：{len(plan.senders):,} 个会话、{plan.events:,} 条事件、"
        f"{plan.turns:,} 轮，用时 {purged:.0f} 秒；会话存储剩 {left:,} 条事件"
    )
    return 0


def _verdicts(database_url: str) -> int:
    t = review_turns.c
    with review_engine(database_url).connect() as connection:
        answered = connection.execute(
            sa.select(t.sender_id, t.turn, t.at).where(t.outcome == "answered")
        ).all()
    rng = random.Random(19)
    chosen = rng.sample(answered, int(len(answered) * sum(SHARES.values())))
    cut = int(len(answered) * SHARES[False])
    rows = [
        {
            "sender_id": sender,
            "turn": turn,
            "helpful": n >= cut,
            "reason": None if n >= cut else "没说清楚",
            "channel": "h5",
            "at": at + timedelta(minutes=1),
        }
        for n, (sender, turn, at) in enumerate(chosen)
    ]
    with feedback_engine(database_url).begin() as connection:
        connection.execute(sa.insert(review_feedback), rows)
    return len(rows)


def _ok(response: httpx.Response) -> httpx.Response:
    response.raise_for_status()
    return response


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"
