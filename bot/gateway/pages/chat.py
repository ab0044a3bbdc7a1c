"""GET /chat: the H5 chat page that posters' QR codes open."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(tags=["pages"])


@router.get("/chat", include_in_schema=False)
async def chat_page(request: Request) -> HTMLResponse:
    """The page with the configured hotline in it (its offline message names it)."""
    page = (STATIC_DIR / "chat" / "index.html").read_text(encoding="utf-8")
    page = page.replace("{{hotline}}", html.escape(request.app.state.settings.hotline))
    # no-cache: the page is tiny, and a poster printed today must open today's page
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})
