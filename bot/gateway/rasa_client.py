"""Async client for the Rasa server's gateway channel and HTTP API, over one or several Rasa
processes or replicas, which all share the tracker store.

Turns go to the replica with the fewest turns in flight (the first one on a tie), except that a
conversation with a turn still in flight sends its next turn to the same replica: two turns of one
conversation never run in two processes at once, which is what the embedded default's in-memory lock
store needs (it only holds within one process). Other requests go round-robin.

A request that could not even connect goes to the next replica (it never reached Rasa, so nothing is
done twice), and that replica is tried after the others for a few seconds, so that turns do not keep
waiting on a process that is down or restarting; a GET, which changes nothing, also moves on after any
transport error or a server error. A POST that reached Rasa and then failed (a timeout, a dropped
connection) is not repeated: it may have been processed."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import httpx

from bot.gateway.transport import ServiceTransport
from bot.textnorm import normalize_text


class RasaUnavailable(RuntimeError):
    """Rasa did not answer, or answered with an error or something that is not JSON."""


# Failures before the request left the gateway: safe to send to another replica.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
# How long a replica that could not be reached is tried after the others.
UNREACHABLE_SECONDS = 5.0


class RasaClient:
    def __init__(
        self,
        base_urls: str | Sequence[str],
        timeout: float,
        transport: httpx.AsyncBaseTransport | None = None,
    ):
        urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        self._replicas = [
            httpx.AsyncClient(base_url=url, timeout=timeout, transport=transport or ServiceTransport())
            for url in urls
        ]
        self._round_robin = itertools.count()
        self._turns_in_flight = [0] * len(self._replicas)
        self._unreachable_until = [0.0] * len(self._replicas)
        # sender id -> [replica index, turns in flight], while the conversation has a turn in flight
        self._pinned: dict[str, list[int]] = {}

    async def close(self) -> None:
        for http in self._replicas:
            await http.aclose()

    def _round_robin_order(self) -> list[int]:
        first = next(self._round_robin)
        return [(first + n) % len(self._replicas) for n in range(len(self._replicas))]

    def _turn_order(self, sender_id: str) -> list[int]:
        by_load = sorted(range(len(self._replicas)), key=lambda n: self._turns_in_flight[n])
        pinned = self._pinned.get(sender_id)
        return by_load if pinned is None else [pinned[0], *(n for n in by_load if n != pinned[0])]

    @contextmanager
    def _in_flight(self, sender_id: str, replica: int) -> Iterator[None]:
        pin = self._pinned.setdefault(sender_id, [replica, 0])
        pin[0] = replica
        pin[1] += 1
        self._turns_in_flight[replica] += 1
        try:
            yield
        finally:
            self._turns_in_flight[replica] -= 1
            pin[1] -= 1
            if pin[1] == 0:
                del self._pinned[sender_id]

    async def _request(
        self, method: str, path: str, order: list[int], sender_id: str | None = None, **kwargs: Any
    ) -> Any:
        """Tries the replicas in `order`, those unreachable lately last; a turn (`sender_id`) is counted
        in flight where it is sent."""
        now = time.monotonic()
        failure = ""
        for replica in sorted(order, key=lambda n: self._unreachable_until[n] > now):
            http = self._replicas[replica]
            try:
                if sender_id is None:
                    response = await http.request(method, path, **kwargs)
                else:
                    with self._in_flight(sender_id, replica):
                        response = await http.request(method, path, **kwargs)
            except NOT_SENT as error:
                failure = f"{http.base_url}: {error!r}"
                self._unreachable_until[replica] = time.monotonic() + UNREACHABLE_SECONDS
                continue
            except httpx.HTTPError as error:
                failure = f"{http.base_url}: {error!r}"
                if method == "GET":
                    continue
                raise RasaUnavailable(failure) from error
            self._unreachable_until[replica] = 0.0
            if response.status_code >= 500:
                failure = f"{http.base_url}{path}: HTTP {response.status_code}"
                if method == "GET":
                    continue
                raise RasaUnavailable(failure)
            if not response.is_success:  # e.g. 409 while no model is loaded
                raise RasaUnavailable(f"{http.base_url}{path}: HTTP {response.status_code}")
            try:
                return response.json()
            except ValueError as error:
                raise RasaUnavailable(f"{http.base_url}{path}: not JSON") from error
        raise RasaUnavailable(failure)

    async def turn(self, sender_id: str, message: str, metadata: dict[str, Any]) -> dict[str, Any]:
        """One user turn through the project's gateway channel (rasa_server/gateway_channel.py):
        {"messages": the bot's messages, "slots", "latest_message": the message as understood}.
        Every channel's text goes through here, so NLU always sees it normalised."""
        body = {"sender": sender_id, "message": normalize_text(message), "metadata": metadata}
        answer = await self._request(
            "POST", "/webhooks/gateway/webhook", self._turn_order(sender_id), sender_id, json=body
        )
        if not isinstance(answer, dict) or not isinstance(answer.get("messages"), list):
            raise RasaUnavailable("gateway channel: the answer has no message list")
        return answer

    async def tracker_with_events(self, sender_id: str) -> dict[str, Any]:
        """The conversation's state with its events since the last restart (for transcripts)."""
        return await self._request(
            "GET",
            f"/conversations/{quote(sender_id, safe='')}/tracker",
            self._round_robin_order(),
            params={"include_events": "AFTER_RESTART"},
        )

    async def parse(self, text: str) -> dict[str, Any]:
        body = {"text": normalize_text(text)}
        return await self._request("POST", "/model/parse", self._round_robin_order(), json=body)

    async def replica_statuses(self) -> list[str]:
        """For each replica: "ok" (model loaded), "no_model" or "unavailable"."""

        async def one(http: httpx.AsyncClient) -> str:
            try:
                response = await http.get("/status")
                loaded = response.is_success and bool(response.json().get("model_file"))
            except (httpx.HTTPError, ValueError, AttributeError):
                return "unavailable"
            return "ok" if loaded else "no_model" if response.is_success else "unavailable"

        return list(await asyncio.gather(*(one(http) for http in self._replicas)))
