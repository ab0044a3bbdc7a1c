"""GET /admin/review: the review console (real conversations, filters, relabelling), for operators."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from bot.gateway.pages.chat import STATIC_DIR

router = APIRouter(tags=["pages"])


@router.get("/admin/review", include_in_schema=False)
async def review_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "review" / "index.html", headers={"Cache-Control": "no-cache"})
