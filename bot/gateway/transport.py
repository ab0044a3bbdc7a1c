"""The HTTP transport of the gateway's own calls to its services (Rasa processes, action server).

anyio 4 raises AttributeError ('NoneType' object has no attribute 'getpeername') instead of a
connection error when the peer's socket is closed while httpcore is still setting the connection up —
what a process killed at that moment does. The request was never sent, so it is a connection failure
like any other: callers then treat it as one (another replica, or "unavailable") instead of a 500."""

from __future__ import annotations

import httpx


class ServiceTransport(httpx.AsyncHTTPTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await super().handle_async_request(request)
        except AttributeError as error:
            raise httpx.ConnectError(
                f"connection closed while being set up: {error}", request=request
            ) from error
