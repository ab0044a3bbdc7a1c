"""Async client for the Rasa server's REST channel and HTTP API."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx


class RasaUnavailable(RuntimeError):
    """Rasa did not answer, or answered with a server error."""


class RasaClient:
    def __init__(self, base_url: str, timeout: float):
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._http.request(method, path, **kwargs)
        except httpx.HTTPError as error:
            raise RasaUnavailable(str(error)) from error
        if response.status_code >= 500:
            raise RasaUnavailable(f"{path}: HTTP {response.status_code}")
        response.raise_for_status()
        return response.json()

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
