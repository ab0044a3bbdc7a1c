"""Async client for the Rasa server's REST channel and HTTP API, over one or several Rasa replicas.

Replicas share the tracker store and the lock store, so any of them can take any turn: requests go
round-robin. A request that could not even connect goes to the next replica (it never reached Rasa,
so nothing is done twice); a GET, which changes nothing, also moves on after any transport error or
a server error. A POST that reached a replica and then failed is not repeated."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import httpx


class RasaUnavailable(RuntimeError):
    """Rasa did not answer, or answered with an error or something that is not JSON."""


NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout)


class RasaClient:
    def __init__(self, base_urls: str | Sequence[str], timeout: float):
        urls = [base_urls] if isinstance(base_urls, str) else list(base_urls)
        self._replicas = [httpx.AsyncClient(base_url=url, timeout=timeout) for url in urls]
        self._turn = itertools.count()

    async def close(self) -> None:
        for http in self._replicas:
            await http.aclose()

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        first = next(self._turn)
        failure = ""
        for attempt in range(len(self._replicas)):
            http = self._replicas[(first + attempt) % len(self._replicas)]
            try:
                response = await http.request(method, path, **kwargs)
            except NOT_SENT as error:
                failure = f"{http.base_url}: {error!r}"
                continue
            except httpx.HTTPError as error:
                failure = f"{http.base_url}: {error!r}"
                if method == "GET":
                    continue
                raise RasaUnavailable(failure) from error
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

    async def send_message(
        self, sender_id: str, message: str, metadata: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """One user turn through the REST channel; returns the bot's messages for that turn."""
        body = {"sender": sender_id, "message": message, "metadata": metadata}
        return await self._request("POST", "/webhooks/rest/webhook", json=body)

    async def tracker(self, sender_id: str) -> dict[str, Any]:
        """The conversation's current state (slots, latest message) without its event history."""
        return await self._request(
            "GET", f"/conversations/{quote(sender_id, safe='')}/tracker", params={"include_events": "NONE"}
        )

    async def tracker_with_events(self, sender_id: str) -> dict[str, Any]:
        """The conversation's state with its events since the last restart (for transcripts)."""
        return await self._request(
            "GET",
            f"/conversations/{quote(sender_id, safe='')}/tracker",
            params={"include_events": "AFTER_RESTART"},
        )

    async def parse(self, text: str) -> dict[str, Any]:
        return await self._request("POST", "/model/parse", json={"text": text})

    async def status(self) -> dict[str, Any]:
        return await self._request("GET", "/status")
