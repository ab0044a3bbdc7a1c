"""POST /api/retrieve: the policy passages that answer a question, best first."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field, field_validator

from bot.answers.scope import in_force
from bot.gateway.schemas import MAX_MESSAGE_LENGTH, clean_text
from retrieval.search import get_retriever

router = APIRouter(prefix="/api", tags=["policies"])


class RetrieveRequest(BaseModel):
    query: str = Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)
    top_k: int = Field(5, ge=1, le=20)
    region: str | None = Field(None, max_length=40, description="提问人所在地，如 彭阳县、贵州；本地条款优先")

    _clean_query = field_validator("query")(clean_text)


@router.post("/retrieve")
async def retrieve(body: RetrieveRequest) -> dict[str, Any]:
    """`answerable` is false when no passage is close enough to answer: say so rather than guess.
    Passages of documents in force come first; each says whether its document is in force today and its
    year, so that no caller presents a lapsed rule as current."""
    retriever = get_retriever()
    result = await run_in_threadpool(lambda: retriever.search(body.query, body.top_k, body.region))
    today = date.today()
    current = {p.doc_id: in_force(retriever.documents[p.doc_id], today) for p in result.passages}
    return {
        "answerable": result.answerable,
        "passages": [
            passage.citation()
            | {
                "passage_id": passage.passage_id,
                "doc_number": passage.doc_number,
                "summary": passage.summary,
                "in_force": current[passage.doc_id],
                "year": retriever.documents[passage.doc_id].year or None,
            }
            for passage in sorted(result.passages, key=lambda p: not current[p.doc_id])
        ],
    }
