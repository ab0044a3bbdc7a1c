"""POST /api/entry: checks an entry link's signature and counts the conversation it opens;
GET /api/stats/entries: conversations per campaign and region.

The chat page and the mini-program send only the context this endpoint returned as `metadata`,
so a tampered link sets no region or role."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from bot.gateway.channels.entry_store import entry_counts, record_entry
from bot.gateway.schemas import SENDER_ID_PATTERN
from bot.qr.signing import verified_context

router = APIRouter(prefix="/api", tags=["entry"])


class EntryRequest(BaseModel):
    sender_id: str = Field(pattern=SENDER_ID_PATTERN)
    params: dict[str, str] = Field(description="入口链接的查询参数（channel、region、role、campaign、sig）")


class EntryResponse(BaseModel):
    valid: bool
    context: dict[str, str] | None = None


class EntryCount(BaseModel):
    campaign: str
    region: str
    conversations: int


class EntryStats(BaseModel):
    entries: list[EntryCount]


@router.post("/entry", response_model=EntryResponse)
async def entry(body: EntryRequest, request: Request) -> EntryResponse:
    settings = request.app.state.settings
    context = verified_context(body.params, settings.entry_signing_secret)
    if context is None:
        return EntryResponse(valid=False)
    await run_in_threadpool(record_entry, settings.database_url, body.sender_id, context)
    return EntryResponse(valid=True, context=context)


@router.get("/stats/entries", response_model=EntryStats)
async def entry_stats(request: Request) -> EntryStats:
    rows = await run_in_threadpool(entry_counts, request.app.state.settings.database_url)
    return EntryStats(entries=[EntryCount(**row) for row in rows])
