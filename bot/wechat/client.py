"""The WeChat server API the assistant calls: an access token cached until shortly before it expires,
renewed when WeChat reports it invalid or expired, and customer-service messages sent with it.

A send is retried, with exponential backoff and a bounded number of attempts, only when WeChat
certainly did not accept the message: the connection could not be made (refused, or timed out while
connecting — nothing was sent), WeChat answered HTTP 5xx, or errcode -1 (system busy). Anything else
whose outcome is unknown — a read timeout, a connection dropped after the request went out — is never
retried, so a user never receives a message twice; it is logged and reported to the caller."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx

log = logging.getLogger(__name__)

# WeChat's codes for an invalid or expired access token (another process may have renewed it).
TOKEN_REJECTED = {40001, 40014, 42001}
# Renew this long before the announced expiry, so a token never dies in flight.
EXPIRY_MARGIN_SECONDS = 300
# WeChat's "system busy, try again later": the request was not carried out.
SYSTEM_BUSY = -1
# Waits before the 2nd, 3rd and 4th attempt of a send WeChat certainly did not accept.
RETRY_DELAYS_SECONDS = (0.5, 1.0, 2.0)
# Failures before any byte of the request left: safe to send again.
NOT_SENT_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class WeChatApiError(RuntimeError):
    def __init__(self, path: str, body: dict[str, Any]):
        super().__init__(f"{path}: errcode {body.get('errcode')} {body.get('errmsg')}")
        self.errcode = body.get("errcode")


class _NotAccepted(Exception):
    """An attempt WeChat certainly did not accept (not sent, 5xx, system busy): safe to repeat."""

    def __init__(self, reason: str, errcode: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.errcode = errcode


class WeChatApi:
    def __init__(
        self,
        base_url: str,
        appid: str,
        secret: str,
        timeout: float = 10.0,
        retry_delays: Sequence[float] = RETRY_DELAYS_SECONDS,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ):
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout)
        self._retry_delays = tuple(retry_delays)
        self._sleep = sleep
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
        try:
            response = await self._http.post(path, params={"access_token": token}, json=payload)
        except NOT_SENT_ERRORS as error:
            raise _NotAccepted(f"{type(error).__name__} before sending: {error}") from error
        if response.status_code >= 500:
            raise _NotAccepted(f"HTTP {response.status_code}")
        response.raise_for_status()
        body = response.json()
        if body.get("errcode") == SYSTEM_BUSY:
            raise _NotAccepted(f"errcode -1 {body.get('errmsg', 'system busy')}", SYSTEM_BUSY)
        return body

    async def _post_once(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """POST with the cached token; once more with a fresh one if WeChat rejects it."""
        try:
            token = await self.access_token()
        except NOT_SENT_ERRORS as error:
            raise _NotAccepted(f"{type(error).__name__} fetching the access token: {error}") from error
        body = await self._post_with_token(path, payload, token)
        if body.get("errcode") in TOKEN_REJECTED:
            log.info("access token rejected (errcode %s), renewing", body.get("errcode"))
            self._forget_token(token)
            body = await self._post_with_token(path, payload, await self.access_token())
        if body.get("errcode", 0) != 0:
            raise WeChatApiError(path, body)
        return body

    async def _post(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        """`_post_once`, repeated after a backoff while WeChat certainly did not accept the request.
        A failure with an unknown outcome (read timeout, connection lost after sending) is raised at
        once: repeating it could deliver the message twice."""
        attempts = len(self._retry_delays) + 1
        for attempt in range(1, attempts + 1):
            try:
                return await self._post_once(path, payload)
            except _NotAccepted as failure:
                if attempt == attempts:
                    log.error("%s not accepted after %d attempts: %s", path, attempts, failure.reason)
                    raise WeChatApiError(
                        path, {"errcode": failure.errcode, "errmsg": failure.reason}
                    ) from None
                delay = self._retry_delays[attempt - 1]
                log.warning(
                    "%s not accepted (%s); attempt %d of %d in %.1f s",
                    path,
                    failure.reason,
                    attempt + 1,
                    attempts,
                    delay,
                )
                await self._sleep(delay)
            except httpx.TransportError as error:
                log.error(
                    "%s outcome unknown (%s: %s); not retried, so nothing is delivered twice",
                    path,
                    type(error).__name__,
                    error,
                )
                raise
        raise AssertionError("unreachable")

    async def send_custom_message(self, message: dict[str, Any]) -> None:
        """A customer-service message: {"touser": openid, "msgtype": "text", "text": {"content": …}} etc."""
        await self._post("/cgi-bin/message/custom/send", message)
