"""Latency of POST /api/assist/suggest: `python -m bot.assist.bench [--url URL --token TOKEN]`.

Without --url it starts the whole stack (action server, Rasa, gateway) on free ports, as the tests do,
and stops it afterwards. Requests are sent one at a time, as one agent types.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import cycle, islice
from pathlib import Path

import httpx

from bot.answers.chat_client import post_waiting

DEV_TOKEN = "dev-assist-token"
QUESTIONS = (
    "彭阳的农民工考了叉车证能补多少",
    "我是本地户口，以前没领过",
    "电工证补贴多少钱",
    "高校毕业生考焊工证有补贴吗",
    "以工代训是什么意思",
    "企业新型学徒制怎么申请",
    "贵州人在外省考的证回来能补吗",
    "彭阳附近有没有育婴员培训",
    "长沙有电焊培训班吗",
    "培训机构虚报人数骗补贴会怎么处理",
    "退役军人参加技能培训有什么补助",
    "补贴多久能到账",
    "中级工证书补贴标准",
    "失业人员培训期间有生活费补贴吗",
    "叉车司机证领过两次还能再补吗",
    "湖南的职业技能等级证书补多少",
    "我想学厨师，彭阳县哪里有课",
    "专项职业能力证书能补贴吗",
    "补贴钱发给个人还是企业",
    "医保怎么报销",
)
WARMUP = 10


@contextmanager
def started_stack() -> Iterator[str]:
    """The assistant on free ports with throwaway data; yields the gateway's URL."""
    from bot import rasa_model
    from bot.stack import Stack, isolated_settings

    with tempfile.TemporaryDirectory(prefix="assist-bench-") as tmp:
        settings = isolated_settings(Path(tmp))
        with Stack(settings, rasa_model.train(force=False)):
            yield settings.public_base_url


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(url: str, token: str, requests: int) -> list[float]:
    timings = []
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        for i, text in enumerate(islice(cycle(QUESTIONS), WARMUP + requests)):
            response = post_waiting(client, "/api/assist/suggest", {"text": text})
            if i >= WARMUP:
                timings.append(response.elapsed.total_seconds() * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running gateway; default: start the stack on free ports")
    parser.add_argument("--token", default=DEV_TOKEN, help="agent token (default: the development token)")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    if args.url:
        timings = measure(args.url, args.token, args.requests)
    else:
        with started_stack() as url:
            timings = measure(url, args.token, args.requests)
    print(
        f"POST /api/assist/suggest: {len(timings)} requests, {len(QUESTIONS)} questions, sequential\n"
        f"p50 {statistics.median(timings):.1f} ms · p95 {percentile(timings, 0.95):.1f} ms · "
        f"max {max(timings):.1f} ms"
    )


if __name__ == "__main__":
    main()
