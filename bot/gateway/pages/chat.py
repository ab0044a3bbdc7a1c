"""GET /chat: the H5 chat page that posters' QR codes open."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(tags=["pages"])


@router.get("/chat", include_in_schema=False)
async def chat_page() -> FileResponse:
    # no-cache: the page is tiny, and a poster printed today must open today's page
    return FileResponse(STATIC_DIR / "chat" / "index.html", headers={"Cache-Control": "no-cache"})
