"""Posting to the gateway (/api/chat, /api/assist/suggest) for the end-to-end evaluations and benchmarks,
waiting out its rate limit: questions asked back to back from one address are more than a person types,
and the gateway answers 429 with Retry-After (bot/gateway/middleware/limits.py) rather than queueing."""

from __future__ import annotations

import sys
import time
from typing import Any

import httpx

MAX_WAITS = 10  # 429s in a row for one message before giving up
LONGEST_WAIT = 60.0  # seconds, whatever Retry-After says


def post_waiting(client: httpx.Client, path: str, body: dict[str, Any]) -> httpx.Response:
    """The gateway's successful response to one POST; raises on any other error, or when still limited
    after MAX_WAITS waits. Its `elapsed` is the answered request's alone, without the waits."""
    for _ in range(MAX_WAITS):
        response = client.post(path, json=body)
        if response.status_code != httpx.codes.TOO_MANY_REQUESTS:
            return response.raise_for_status()
        wait = min(float(response.headers.get("Retry-After") or 1), LONGEST_WAIT)
        print(f"  网关限流，{wait:.0f} 秒后重试", file=sys.stderr, flush=True)
        time.sleep(wait)
    return response.raise_for_status()


def post_chat(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """The gateway's answer to one chat message."""
    return post_waiting(client, "/api/chat", body).json()
