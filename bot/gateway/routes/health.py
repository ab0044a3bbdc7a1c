"""GET /health: 200 when the gateway and the services it depends on answer."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


async def _rasa_status(request: Request) -> str:
    """ "ok" when every Rasa process or replica has its model loaded; otherwise the worst state."""
    statuses = await request.app.state.rasa.replica_statuses()
    return next((state for state in ("unavailable", "no_model") if state in statuses), "ok")


async def _action_server_status(request: Request) -> str:
    url = f"{request.app.state.settings.action_server_url}/health"
    try:
        async with httpx.AsyncClient(timeout=3) as http:
            response = await http.get(url)
    except httpx.HTTPError:
        return "unavailable"
    return "ok" if response.status_code == 200 else "unavailable"


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    rasa, actions = await asyncio.gather(_rasa_status(request), _action_server_status(request))
    services = {"gateway": "ok", "rasa": rasa, "actions": actions}
    healthy = all(state == "ok" for state in services.values())
    return JSONResponse(
        {"status": "ok" if healthy else "degraded", "services": services}, status_code=200 if healthy else 503
    )
