"""The WeChat server API the assistant calls: an access token cached until shortly before it expires,
renewed when WeChat reports it invalid or expired, and customer-service messages sent with it."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx

log = logging.getLogger(__name__)

# WeChat's codes for an invalid or expired access token (another process may have renewed it).
TOKEN_REJECTED = {40001, 40014, 42001}
# Renew this long before the announced expiry, so a token never dies in flight.
EXPIRY_MARGIN_SECONDS = 300


class WeChatApiError(RuntimeError):
    def __init__(self, path: str, body: dict[str, Any]):
        super().__init__(f"{path}: errcode {body.get('errcode')} {body.get('errmsg')}")
        self.errcode = body.get("errcode")


class WeChatApi:
    def __init__(self, base_url: str, appid: str, secret: str, timeout: float = 10.0):
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout)
        self._appid = appid
        self._secret = secret
        self._token: str | None = None
        self._token_expires_at = 0.0
        self._token_lock = asyncio.Lock()

    async def close(self) -> None:
        await self._http.aclose()

    async def access_token(self) -> str:
        async with self._token_lock:
            if self._token is None or time.monotonic() >= self._token_expires_at:
                response = await self._http.get(
                    "/cgi-bin/token",
                    params={"grant_type": "client_credential", "appid": self._appid, "secret": self._secret},
                )
                response.raise_for_status()
                body = response.json()
                if "access_token" not in body:
                    raise WeChatApiError("/cgi-bin/token", body)
                self._token = body["access_token"]
                self._token_expires_at = (
                    time.monotonic() + int(body.get("expires_in", 7200)) - EXPIRY_MARGIN_SECONDS
                )
            return self._token

    def _forget_token(self, token: str) -> None:
        if self._token == token:  # not one a concurrent caller has just renewed
            self._token = None

    async def _post_with_token(self, path: str, payload: dict[str, Any], token: str) -> dict[str, Any]:
        response = await self._http.post(path, params={"access_token": token}, json=payload)
        response.raise_for_status()
        return response.json()

    async def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST with the cached token; once more with a fresh one if WeChat rejects it."""
        token = await self.access_token()
        body = await self._post_with_token(path, payload, token)
        if body.get("errcode") in TOKEN_REJECTED:
            log.info("access token rejected (errcode %s), renewing", body.get("errcode"))
            self._forget_token(token)
            body = await self._post_with_token(path, payload, await self.access_token())
        if body.get("errcode", 0) != 0:
            raise WeChatApiError(path, body)
        return body

    async def send_custom_message(self, message: dict[str, Any]) -> None:
        """A customer-service message: {"touser": openid, "msgtype": "text", "text": {"content": …}} etc."""
        await self._post("/cgi-bin/message/custom/send", message)
