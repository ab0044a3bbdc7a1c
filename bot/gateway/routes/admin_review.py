"""The review console's API under /api/admin/review: real users' messages and how the assistant did,
with filters; a conversation turn by turn; relabelling a message and marking an answer.

Turns are named by their review-table id (`turn_id`), never by the sender id: links and requests carry
no identity. Sender ids, texts and slots reach the page masked (bot.privacy.mask). Each list request
first folds what the tracker store gained since the last one (bounded, so a first visit to a large
store answers quickly and says it is still catching up; `python -m bot review sync` does it all).
Operator token as /admin/knowledge (`require_operator`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from bot.gateway.errors import error_response
from bot.gateway.routes.admin_knowledge import require_operator
from bot.privacy import mask
from bot.review import labels, turns
from bot.review.outcome import OUTCOME_LABELS, OUTCOMES

# Events folded per list request before answering.
SYNC_PER_REQUEST = 20_000
QUOTE_CHARS = 400

router = APIRouter(prefix="/api/admin/review", tags=["admin"], dependencies=[Depends(require_operator)])

EXPECT_LABELS = {
    "answer": "应当回答",
    "partial": "应当部分回答（文件没说的要说明）",
    "ask_place": "应当先问所在地",
    "not_covered": "应当说明政策文件里没有",
    "neighbour": "应当说明这不是培训补贴",
}
TurnId = Annotated[int, Path(ge=1, description="复核表里这一轮的编号")]


def _urls(request: Request) -> tuple[str, str]:
    settings = request.app.state.settings
    return settings.tracker_store_url, settings.database_url


def _utc(value: datetime | None) -> datetime | None:
    """A time with its zone as naive UTC (the table's form); a time without one is taken as UTC."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _iso(value: datetime | None) -> str | None:
    return value.replace(tzinfo=UTC).isoformat() if value else None


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "sender": mask(row["sender_id"]),
        "turn": row["turn"],
        "at": _iso(row["at"]),
        "channel": row["channel"],
        "campaign": row["campaign"],
        "place": row["place"],
        "text": row["text"],
        "intent": row["intent"],
        "confidence": row["confidence"],
        "outcome": row["outcome"],
        "outcome_label": OUTCOME_LABELS[row["outcome"]],
        "bot_text": row["bot_text"],
    }


def _citation(c: dict[str, Any]) -> dict[str, Any]:
    text = str(c.get("text") or "")
    return {
        "doc_id": c.get("doc_id"),
        "passage_id": c.get("passage_id"),
        "title": c.get("title"),
        "section": c.get("section"),
        "text": text if len(text) <= QUOTE_CHARS else text[:QUOTE_CHARS] + "……",
    }


def _label(label: dict[str, Any] | None) -> dict[str, Any] | None:
    if label is None:
        return None
    keep = ("intent", "entities", "verdict", "expect", "clauses", "note")
    return {**{k: label[k] for k in keep}, "labelled_at": _iso(label["labelled_at"])}


def _detail(row: dict[str, Any], label: dict[str, Any] | None) -> dict[str, Any]:
    return {
        **_summary(row),
        "entities": row["entities"],
        "slots": row["slots"],
        "actions": row["actions"],
        "responses": row["responses"],
        "citations": [_citation(c) for c in row["citations"]],
        "answer_kind": row["answer_kind"],
        "handoff": row["handoff"],
        "feedback": [{**f, "at": _iso(f["at"])} for f in row["feedback"]],
        "label": _label(label),
    }


def _turn_row(database_url: str, turn_id: int) -> dict[str, Any] | None:
    engine = turns.review_engine(database_url)
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(turns.review_turns).where(turns.review_turns.c.id == turn_id)
        ).first()
    return dict(row._mapping) if row else None


def _not_found() -> JSONResponse:
    return error_response(404, "not_found", message="找不到这一轮对话，可能已按保存期限删除。")


@router.get("/vocabulary")
async def vocabulary(request: Request) -> dict[str, Any]:
    """What the filters and the relabelling offer: outcomes, the domain's intents and entities, and
    the channels, campaigns and places seen."""
    tracker_url, database_url = _urls(request)
    intents, entities = labels.domain_vocabulary()

    def seen() -> dict[str, list[str]]:
        turns.sync(tracker_url, database_url, max_events=SYNC_PER_REQUEST)
        engine = turns.review_engine(database_url)
        c = turns.review_conversations.c
        with engine.connect() as connection:
            return {
                name: sorted(v for v in connection.execute(sa.select(c[column]).distinct()).scalars() if v)
                for name, column in (("channels", "channel"), ("campaigns", "campaign"), ("places", "place"))
            }

    return {
        "outcomes": [{"value": o, "label": OUTCOME_LABELS[o]} for o in OUTCOMES],
        "expects": [{"value": k, "label": v} for k, v in EXPECT_LABELS.items()],
        "intents": list(intents),
        "entities": list(entities),
        **await run_in_threadpool(seen),
    }


@router.get("/turns")
async def list_turns(
    request: Request,
    outcome: Annotated[Literal[OUTCOMES] | None, Query(description="结果")] = None,  # type: ignore[valid-type]
    max_confidence: Annotated[float | None, Query(gt=0, le=1, description="意图置信度低于它")] = None,
    channel: Annotated[str | None, Query(max_length=64)] = None,
    campaign: Annotated[str | None, Query(max_length=64)] = None,
    place: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[datetime | None, Query(description="起始时间（含），ISO 8601")] = None,
    until: Annotated[datetime | None, Query(description="截止时间（不含），ISO 8601")] = None,
    negative_feedback: Annotated[bool, Query(description="只看用户说“没帮助”的")] = False,
    sender_id: Annotated[str | None, Query(max_length=255, description="只看这个会话")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200, description="上一页返回的 next_cursor")] = None,
) -> Any:
    tracker_url, database_url = _urls(request)
    filters = turns.TurnFilter(
        outcome=outcome,
        max_confidence=max_confidence,
        channel=channel or None,
        campaign=campaign or None,
        place=place or None,
        since=_utc(since),
        until=_utc(until),
        negative_feedback=negative_feedback,
        sender_id=sender_id or None,
    )

    def work() -> tuple[turns.TurnPage, int]:
        turns.sync(tracker_url, database_url, max_events=SYNC_PER_REQUEST)
        page = turns.find_turns(filters, limit=limit, cursor=cursor, database_url=database_url)
        return page, turns.backlog(tracker_url, database_url)

    try:
        page, behind = await run_in_threadpool(work)
    except turns.BadCursor:
        return error_response(400, "bad_cursor", message="翻页参数无效，请从第一页重新查看。")
    return {"turns": [_summary(row) for row in page.rows], "next_cursor": page.next_cursor, "behind": behind}


@router.get("/conversations/{turn_id}")
async def conversation(turn_id: TurnId, request: Request) -> Any:
    """The whole conversation the turn belongs to, turn by turn, with feedback and labels."""
    _, database_url = _urls(request)

    def work() -> dict[str, Any] | None:
        row = _turn_row(database_url, turn_id)
        if row is None:
            return None
        sender = row["sender_id"]
        by_turn = labels.labels_for(sender, database_url)
        rows = turns.conversation(sender, database_url)
        return {
            "sender": mask(sender),
            "selected": turn_id,
            "turns": [_detail(r, by_turn.get(r["turn"])) for r in rows],
        }

    found = await run_in_threadpool(work)
    return found if found is not None else _not_found()


class Span(BaseModel):
    entity: str = Field(max_length=64)
    start: int = Field(ge=0)
    end: int = Field(ge=1)


class Relabel(BaseModel):
    intent: str = Field(max_length=64, description="domain.yml 里的意图")
    entities: list[Span] = Field(
        default_factory=list, max_length=20, description="实体在（遮盖后）原文中的位置"
    )


class Verdict(BaseModel):
    verdict: Literal["right", "wrong"]
    expect: Literal[tuple(EXPECT_LABELS)] | None = None  # type: ignore[valid-type]
    clauses: list[str] = Field(default_factory=list, max_length=20)
    note: str = Field("", max_length=labels.MAX_NOTE)


async def _decide(request: Request, turn_id: int, decide: Any) -> Any:
    _, database_url = _urls(request)

    def work() -> dict[str, Any] | None:
        row = _turn_row(database_url, turn_id)
        return None if row is None else decide(row, database_url)

    try:
        stored = await run_in_threadpool(work)
    except labels.LabelError as error:
        return error_response(422, error.code, message=error.message)
    return {"label": _label(stored)} if stored is not None else _not_found()


@router.post("/turns/{turn_id}/label")
async def relabel(turn_id: TurnId, body: Relabel, request: Request) -> Any:
    spans = [span.model_dump() for span in body.entities]
    return await _decide(
        request,
        turn_id,
        lambda row, url: labels.relabel(row["sender_id"], row["turn"], body.intent, spans, url),
    )


@router.post("/turns/{turn_id}/verdict")
async def mark(turn_id: TurnId, body: Verdict, request: Request) -> Any:
    return await _decide(
        request,
        turn_id,
        lambda row, url: labels.mark_answer(
            row["sender_id"],
            row["turn"],
            body.verdict,
            expect=body.expect,
            clauses=body.clauses,
            note=body.note,
            database_url=url,
        ),
    )
