"""GET /health, for load balancers and operators: "ok" (200) when every part answers; "degraded" (200)
when chats are still answered but a part is down — a Rasa process (the others take its turns) or the
action server (turns get the apology with the hotline) — named in "degraded"; "down" (503) when no
Rasa process answers, so no chat can be."""

from __future__ import annotations

import asyncio

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bot.gateway.transport import ServiceTransport
from bot.settings import rasa_urls

router = APIRouter(tags=["health"])


def _rasa_status(statuses: list[str]) -> str:
    """ "ok" when every Rasa process or replica has its model loaded, "degraded" when some have;
    otherwise the worst state ("unavailable", then "no_model")."""
    if all(state == "ok" for state in statuses):
        return "ok"
    if "ok" in statuses:
        return "degraded"
    return "unavailable" if "unavailable" in statuses else "no_model"


async def _action_server_status(request: Request) -> str:
    url = f"{request.app.state.settings.action_server_url}/health"
    try:
        async with httpx.AsyncClient(timeout=3, transport=ServiceTransport()) as http:
            response = await http.get(url)
    except httpx.HTTPError:
        return "unavailable"
    return "ok" if response.status_code == 200 else "unavailable"


@router.get("/health")
async def health(request: Request) -> JSONResponse:
    replicas, actions = await asyncio.gather(
        request.app.state.rasa.replica_statuses(), _action_server_status(request)
    )
    services = {"gateway": "ok", "rasa": _rasa_status(replicas), "actions": actions}
    degraded = [name for name, state in services.items() if state != "ok"]
    status = "down" if "ok" not in replicas else "degraded" if degraded else "ok"
    body = {
        "status": status,
        "services": services,
        "degraded": degraded,
        "rasa_processes": dict(zip(rasa_urls(request.app.state.settings), replicas, strict=True)),
    }
    return JSONResponse(body, status_code=503 if status == "down" else 200)
