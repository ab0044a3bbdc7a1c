"""GET /assist: the agent assist pane for a CRM side panel."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from bot.gateway.pages.chat import STATIC_DIR

router = APIRouter(tags=["pages"])


@router.get("/assist", include_in_schema=False)
async def assist_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "assist" / "index.html", headers={"Cache-Control": "no-cache"})
