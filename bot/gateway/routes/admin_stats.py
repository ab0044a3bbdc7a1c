"""The office's numbers: GET /api/admin/stats (JSON) and /api/admin/stats/csv (the same as a CSV file)
for a period of days, and the page /admin/stats that shows them with a chart. The operator token of
/admin/knowledge (require_operator) guards the API; the page signs in with it.

Before the numbers are read, the review table folds what the tracker store gained, as much as the
console folds per request; `behind` says how many events are still to come (python -m bot review sync
folds them all)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response

from bot.gateway.errors import error_response
from bot.gateway.pages.chat import STATIC_DIR
from bot.gateway.routes.admin_knowledge import require_operator
from bot.gateway.routes.admin_review import SYNC_PER_REQUEST
from bot.review.stats import DEFAULT_DAYS, MAX_DAYS, Period, Stats, compute_stats, stats_csv, stats_json
from bot.review.turns import backlog, sync
from bot.settings import Settings
from retrieval.embedder import get_embedder

api = APIRouter(prefix="/api/admin/stats", tags=["admin"], dependencies=[Depends(require_operator)])
pages = APIRouter(tags=["pages"])

Since = Annotated[date | None, Query(description="第一天（北京时间，含），默认为结束日期前 29 天")]
Until = Annotated[date | None, Query(description="最后一天（含），默认今天")]


class BadPeriod(ValueError):
    pass


def _period(since: date | None, until: date | None) -> Period:
    default = Period.last_days(DEFAULT_DAYS, until)
    period = Period(since or default.since, until or default.until)
    if period.since > period.until:
        raise BadPeriod("开始日期不能晚于结束日期。")
    if (period.until - period.since) >= timedelta(days=MAX_DAYS):
        raise BadPeriod(f"统计区间最长 {MAX_DAYS} 天，请缩短后再试。")
    return period


def _stats(settings: Settings, period: Period) -> tuple[Stats, int]:
    """The numbers, after folding what the tracker store gained (bounded, as the console does), and
    how many events are still to be folded."""
    sync(settings.tracker_store_url, settings.database_url, max_events=SYNC_PER_REQUEST)
    encode = get_embedder(settings.embedding_model).encode
    stats = compute_stats(period, settings.database_url, encode)
    return stats, backlog(settings.tracker_store_url, settings.database_url)


async def _numbers(
    request: Request, since: date | None, until: date | None
) -> tuple[Stats, int] | JSONResponse:
    try:
        period = _period(since, until)
    except BadPeriod as error:
        return error_response(422, "bad_period", message=str(error))
    return await run_in_threadpool(_stats, request.app.state.settings, period)


@api.get("", response_model=None)
async def stats(request: Request, since: Since = None, until: Until = None) -> Response | dict[str, Any]:
    """Conversations and messages per day, channel, campaign and place; outcome shares; the most
    asked unanswered questions, grouped; feedback."""
    numbers = await _numbers(request, since, until)
    if isinstance(numbers, Response):
        return numbers
    stats, behind = numbers
    return stats_json(stats) | {"behind": behind}


@api.get("/csv")
async def stats_as_csv(request: Request, since: Since = None, until: Until = None) -> Response:
    """The same numbers as one CSV table (UTF-8 with BOM, for Excel)."""
    numbers = await _numbers(request, since, until)
    if isinstance(numbers, Response):
        return numbers
    stats, _ = numbers
    name = f"stats-{stats.period.since}-{stats.period.until}.csv"
    return Response(
        stats_csv(stats),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@pages.get("/admin/stats", include_in_schema=False)
async def stats_page() -> FileResponse:
    return FileResponse(STATIC_DIR / "admin" / "stats.html", headers={"Cache-Control": "no-cache"})


# The page (no token: it signs in) and the API, as one router for the app.
router = APIRouter()
router.include_router(api)
router.include_router(pages)
