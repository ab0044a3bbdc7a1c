"""GET /admin/knowledge: the knowledge operator's page (add, list, retire and hit-test policy documents)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from bot.gateway.pages.chat import STATIC_DIR

router = APIRouter(tags=["pages"])


@router.get("/admin/knowledge", include_in_schema=False)
async def knowledge_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "admin" / "index.html", headers={"Cache-Control": "no-cache"})
