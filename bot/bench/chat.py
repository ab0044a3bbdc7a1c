"""Loopback load on POST /api/chat: `python -m bot.bench.chat [--url URL] [--levels 10,50] [--turns 300]`
prints p50/p95 latency, throughput and errors per concurrency level; `--soak SECONDS` then runs
10 conversations for that long and samples the resident memory of every stack process.

By default each conversation sends its next message as soon as the reply arrives (no pause: the
hardest load N conversations can make); `--think SECONDS` pauses about that long (0.5–1.5×) before
each message, as a person reading the reply and typing.

Without --url it starts the stack (action server, Rasa, gateway) on free ports with throwaway data and
rate limits off (every conversation comes from one loopback address), and stops it afterwards."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.bench.memory import resident_mb

# One conversation: the subsidy form to its answer, a course search, small talk. Senders are fresh
# when a conversation ends, so trackers stay as long as in real use.
SCRIPT = (
    "你好",
    "我能拿多少补贴",
    "彭阳县",
    "农民工",
    "叉车证",
    "本地户口，没领过",
    "彭阳附近有电焊培训吗",
    "谢谢",
)
WARMUP_TURNS = 20
SAMPLE_EVERY_SECONDS = 30


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def summary(self, label: str) -> str:
        done = len(self.latencies_ms)
        errors = sum(self.errors.values())
        if not done:
            return f"{label}: no turn answered; errors {self.errors}"
        return (
            f"{label}: {done + errors} turns, errors {errors}{f' {self.errors}' if errors else ''}, "
            f"p50 {percentile(self.latencies_ms, 0.5):.0f} ms, p95 {percentile(self.latencies_ms, 0.95):.0f} ms, "
            f"max {max(self.latencies_ms):.0f} ms, {done / self.seconds:.1f} turns/s"
        )


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def conversation(
    client: httpx.AsyncClient, result: Result, budget: Iterator[int], deadline: float | None, think: float
) -> None:
    """Runs scripted conversations, one turn at a time, until the shared budget or the deadline ends."""
    sender = f"bench-{uuid.uuid4().hex[:12]}"
    for step in itertools.cycle(range(len(SCRIPT))):
        if think:
            await asyncio.sleep(random.uniform(0.5, 1.5) * think)
        if next(budget, None) is None or (deadline and time.monotonic() > deadline):
            return
        if step == 0:
            sender = f"bench-{uuid.uuid4().hex[:12]}"
        started = time.perf_counter()
        try:
            response = await client.post("/api/chat", json={"sender_id": sender, "message": SCRIPT[step]})
        except httpx.HTTPError as error:
            result.error(type(error).__name__)
            continue
        if response.status_code != 200 or not response.json()["messages"]:
            result.error(f"HTTP {response.status_code}")
            continue
        result.latencies_ms.append((time.perf_counter() - started) * 1000)


async def load(
    url: str, concurrency: int, turns: int | None, seconds: float | None = None, think: float = 0
) -> Result:
    result = Result()
    budget = iter(range(turns)) if turns else itertools.count()
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as client:
        started = time.monotonic()
        deadline = started + seconds if seconds else None
        await asyncio.gather(
            *(conversation(client, result, budget, deadline, think) for _ in range(concurrency))
        )
        result.seconds = time.monotonic() - started
    return result


async def soak(url: str, seconds: float, pids: dict[str, int]) -> None:
    task = asyncio.create_task(load(url, 10, None, seconds))
    samples: list[dict[str, float]] = []
    while not task.done():
        samples.append({name: resident_mb(pid) for name, pid in pids.items()})
        print("  RSS " + ", ".join(f"{n} {mb:.0f} MB" for n, mb in samples[-1].items()), flush=True)
        await asyncio.wait([task], timeout=SAMPLE_EVERY_SECONDS)
    samples.append({name: resident_mb(pid) for name, pid in pids.items()})
    print((await task).summary(f"soak {seconds:.0f} s, 10 concurrent"))
    # The first sample is taken after the warm-up load, so model loading is not counted as growth.
    for name in pids:
        first, last = samples[0][name], samples[-1][name]
        print(f"  {name}: RSS {first:.0f} → {last:.0f} MB ({(last - first) / first * 100:+.1f} %)")


@contextmanager
def started_stack(model: Path | None = None) -> Iterator[tuple[str, dict[str, int]]]:
    """The assistant on free ports with throwaway data, with the given Rasa model or the one of the
    current training data; yields the gateway's URL and the process ids."""
    from bot import rasa_model
    from bot.stack import Stack, isolated_settings

    with tempfile.TemporaryDirectory(prefix="chat-bench-") as tmp:
        settings = isolated_settings(Path(tmp), rate_limit_ip_per_minute=0, rate_limit_sender_per_minute=0)
        with Stack(settings, model or rasa_model.train(force=False)) as stack:
            pids = {s.name: s.process.pid for s in stack.services if s.process}
            yield settings.public_base_url, pids


async def bench(
    url: str, levels: list[int], turns: int, think: float, soak_seconds: float, pids: dict[str, int]
) -> None:
    await load(url, 5, WARMUP_TURNS)
    paced = f", pause ≈{think:g} s" if think else ""
    for concurrency in levels:
        result = await load(url, concurrency, turns, think=think)
        print(result.summary(f"{concurrency:>3} concurrent{paced}"), flush=True)
    if soak_seconds:
        await soak(url, soak_seconds, pids)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running gateway (rate limits off); default: start the stack")
    parser.add_argument("--levels", default="10,50", help="concurrent conversations, comma-separated")
    parser.add_argument("--turns", type=int, default=300, help="turns per level")
    parser.add_argument(
        "--think", type=float, default=0, help="pause before each message, seconds (default 0)"
    )
    parser.add_argument("--soak", type=float, default=0, help="then soak this many seconds at 10 concurrent")
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    if args.url:
        asyncio.run(bench(args.url, levels, args.turns, args.think, args.soak, {}))
        return
    with started_stack() as (url, pids):
        asyncio.run(bench(url, levels, args.turns, args.think, args.soak, pids))


if __name__ == "__main__":
    main()
