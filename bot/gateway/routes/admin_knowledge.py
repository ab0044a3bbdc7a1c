"""The knowledge operator's API under /api/admin/knowledge: preview and add a policy document, list the
base, retire or remove a document, and test what the assistant answers to a question.

The same intake as `python -m bot knowledge` (bot/knowledge): what a route writes is what the command
would write. After a change the index is rebuilt and this process's retriever reloaded before the
response, so the hit test already answers from the new base (the action server follows within seconds).
Every route needs an operator token (`Authorization: Bearer …`) whose SHA-256 digest is in the setting
admin_token_hashes; it is checked like the assist pane's agent tokens.
"""

from __future__ import annotations

import base64
import binascii
import logging
import tempfile
import threading
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, field_validator
from starlette.exceptions import HTTPException

from bot.answers.policy import Question, decide_policy
from bot.answers.scope import asker_place
from bot.assist.responses import load_responses
from bot.gateway.errors import error_response
from bot.gateway.pages import admin as admin_page
from bot.gateway.routes.assist import agent_token_valid
from bot.gateway.schemas import MAX_MESSAGE_LENGTH, clean_text
from bot.knowledge import base
from bot.knowledge.errors import IntakeError
from bot.knowledge.intake import Options, prepare
from bot.knowledge.messages import FIELDS, SOURCES, STATUS
from bot.settings import Settings
from retrieval.corpus import Document, Passage, chunk_document, load_summaries
from retrieval.index import ensure_built
from retrieval.search import get_retriever, refresh_retriever

log = logging.getLogger(__name__)

UNAUTHORIZED = "管理令牌无效或缺失，请重新登录。"
# Intake refusals that are conflicts with the base as it is; every other one is bad input (422).
CONFLICTS = {"duplicate_id", "duplicate_doc_number", "duplicate_title", "duplicate_body", "still_referenced"}
EDITABLE = (
    "doc_id",
    "title",
    "short_title",
    "issuer",
    "doc_number",
    "date",
    "region",
    *base.LIFECYCLE_FIELDS,
)
PREVIEW_PASSAGE_CHARS = 120
HIT_TEST_PASSAGES = 5
# One change of the base at a time in this process: its duplicate checks see the previous one's result.
_CHANGES = threading.Lock()

_bearer = HTTPBearer(auto_error=False)


def require_operator(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    token = credentials.credentials.strip() if credentials else ""
    if not agent_token_valid(token, request.app.state.settings.admin_token_hashes):
        raise HTTPException(401, detail=UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})


api = APIRouter(prefix="/api/admin/knowledge", tags=["admin"], dependencies=[Depends(require_operator)])


class Fields(BaseModel):
    """What the operator gives or corrects, as the options of `knowledge add`; absent: as detected."""

    doc_id: str | None = Field(None, max_length=80)
    title: str | None = Field(None, max_length=300)
    short_title: str | None = Field(None, max_length=200)
    issuer: str | None = Field(None, max_length=200)
    doc_number: str | None = Field(None, max_length=80)
    date: str | None = Field(None, max_length=20)
    region: str | None = Field(None, max_length=40)
    in_force_from: str | None = Field(None, max_length=20)
    in_force_until: str | None = Field(None, max_length=20)
    replaced_by: str | None = Field(None, max_length=80)
    notes: list[str] = Field(default_factory=list, max_length=10, description="录入时补充的说明")

    @field_validator(*EDITABLE)
    @classmethod
    def _strip(cls, value: str | None) -> str | None:
        return value.strip() if value is not None else None

    def options(self) -> Options:
        return Options(
            **{key: getattr(self, key) for key in EDITABLE},
            notes=[note.strip() for note in self.notes if note.strip()],
        )


class Upload(BaseModel):
    filename: str = Field(min_length=1, max_length=200, description="原文件名，含扩展名")
    content: str = Field(min_length=1, description="文件内容，base64 编码")
    fields: Fields = Field(default_factory=Fields)


class Lifecycle(BaseModel):
    """Only the fields sent change; null clears one (unknown, no caveat)."""

    in_force_from: str | None = Field(None, max_length=20)
    in_force_until: str | None = Field(None, max_length=20)
    replaced_by: str | None = Field(None, max_length=80)
    caveat: str | None = Field(None, max_length=1000, description="据此回答时附上的提醒（不超过200字）")


class HitTest(BaseModel):
    question: str = Field(min_length=1, max_length=MAX_MESSAGE_LENGTH)
    place: str | None = Field(None, max_length=40, description="提问人所在地（可选）")

    _clean_question = field_validator("question")(clean_text)


def intake_error(request: Request, error: IntakeError) -> JSONResponse:
    """Exception handler for the intake's refusals: 409 for conflicts with the base, else 422."""
    status = 409 if error.key in CONFLICTS else 422
    if isinstance(error, base.CheckFailed):
        details = [{"file": p.file, "problem": p.key, "detail": p.detail} for p in error.problems]
        return error_response(status, error.key, details, error.message())
    if error.key == "not_found":  # the page asks for the fields, not for command-line options
        fields = [{"key": key, "label": FIELDS[key]} for key in error.params["fields"]]
        names = "、".join(f["label"] for f in fields)
        missing = IntakeError("missing_fields", file=error.params["file"], names=names)
        return error_response(status, missing.key, {"fields": fields}, missing.message())
    return error_response(status, error.key, message=error.message())


def _settings(request: Request) -> Settings:
    return request.app.state.settings


def _document_row(document: Document, summaries: dict[str, str]) -> dict[str, Any]:
    passages = chunk_document(document)
    status = base.lifecycle_status(document)
    return {
        "doc_id": document.doc_id,
        "title": document.title,
        "short_title": document.short_title,
        "issuer": document.issuer,
        "doc_number": document.doc_number,
        "region": document.region,
        "date": document.date,
        "in_force_from": document.in_force_from or None,
        "in_force_until": document.in_force_until or None,
        "replaced_by": document.replaced_by,
        "caveat": document.caveat or None,
        "status": status,
        "status_label": STATUS[status].format(replaced_by=document.replaced_by),
        "passages": len(passages),
        "summaries": sum(p.passage_id in summaries for p in passages),
    }


def _passage_preview(passage: Passage) -> dict[str, Any]:
    text = passage.text.replace("\n", " ")
    if len(text) > PREVIEW_PASSAGE_CHARS:
        text = text[:PREVIEW_PASSAGE_CHARS] + "…"
    return {"passage_id": passage.passage_id, "section": passage.section, "kind": passage.kind, "text": text}


def _prepare(body: Upload, knowledge_dir: FilePath) -> Any:
    name = FilePath(body.filename).name
    if name != body.filename or name in (".", "..") or "\\" in name:
        raise IntakeError("bad_filename", name=body.filename)
    try:
        content = base64.b64decode(body.content, validate=True)
    except (binascii.Error, ValueError):
        raise IntakeError("bad_content") from None
    with tempfile.TemporaryDirectory(prefix="upload-") as directory:
        path = FilePath(directory) / name
        path.write_bytes(content)
        return prepare(path, body.fields.options(), base.load_base(knowledge_dir))


def _reindex(settings: Settings) -> dict[str, int]:
    manifest = ensure_built(settings, progress=log.info)
    refresh_retriever()
    return {"documents": len(manifest["documents"]), "passages": manifest["passages"]}


def _existing(settings: Settings, doc_id: str) -> Document:
    document = base.load_base(settings.knowledge_dir).get(doc_id)
    if document is None:
        raise HTTPException(404, detail=IntakeError("unknown_doc", doc_id=doc_id).message())
    return document


DOC_ID_PATH = Path(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$", description="文件编号")


@api.get("")
def list_documents(request: Request) -> dict[str, Any]:
    """Every document with its place, dates and status (in force, not yet, expired, replaced)."""
    settings = _settings(request)
    summaries = load_summaries(settings.knowledge_dir)
    documents = sorted(
        base.load_base(settings.knowledge_dir).values(), key=lambda d: (d.region_adcode, d.doc_id)
    )
    # base64 takes 4 bytes for 3, and the JSON around it a little more
    max_upload = max(0, (settings.max_upload_request_bytes - 4096) * 3 // 4)
    return {"documents": [_document_row(d, summaries) for d in documents], "max_upload_bytes": max_upload}


@api.post("/preview")
def preview(body: Upload, request: Request) -> dict[str, Any]:
    """What `knowledge add` would write: the fields (and where each came from) and the passages."""
    draft = _prepare(body, _settings(request).knowledge_dir)
    fields = [
        {"key": key, "label": FIELDS[key], "value": draft.meta[key], "source": SOURCES[draft.source(key)]}
        for key in EDITABLE
    ]
    return {
        "doc_id": draft.doc_id,
        "fields": fields,
        "region_chain": draft.meta["region_chain_names"],
        "notes": draft.meta["notes"],
        "status_label": STATUS[base.lifecycle_status(draft.document())].format(
            replaced_by=draft.meta["replaced_by"]
        ),
        "passages": [_passage_preview(p) for p in draft.passages],
        "hints": [
            {"doc_id": old, "in_force_until": until, "replaced_by": new} for old, until, new in draft.hints
        ],
    }


@api.post("", status_code=201)
def add_document(body: Upload, request: Request) -> dict[str, Any]:
    """Write the document (after the base's checks), rebuild the index and reload the retriever."""
    settings = _settings(request)
    with _CHANGES:
        draft = _prepare(body, settings.knowledge_dir)
        base.add_documents(settings.knowledge_dir, [draft])
        index = _reindex(settings)
    document = base.load_base(settings.knowledge_dir)[draft.doc_id]
    return {"document": _document_row(document, load_summaries(settings.knowledge_dir)), "index": index}


@api.post("/{doc_id}/lifecycle")
def set_lifecycle(request: Request, body: Lifecycle, doc_id: str = DOC_ID_PATH) -> dict[str, Any]:
    """Retire a document (in force until a day, and/or replaced by another document), or set the caveat
    shown with every answer from it."""
    settings = _settings(request)
    changes = {key: getattr(body, key) for key in base.SETTABLE_FIELDS if key in body.model_fields_set}
    if not changes:
        raise IntakeError("set_nothing")
    with _CHANGES:
        _existing(settings, doc_id)
        base.set_lifecycle(settings.knowledge_dir, doc_id, changes)
        index = _reindex(settings)
    document = _existing(settings, doc_id)
    return {"document": _document_row(document, load_summaries(settings.knowledge_dir)), "index": index}


@api.delete("/{doc_id}")
def remove_document(request: Request, doc_id: str = DOC_ID_PATH) -> dict[str, Any]:
    """Remove a document nothing else names (plain summaries, glossary, subsidy rules, evaluation set)."""
    settings = _settings(request)
    with _CHANGES:
        _existing(settings, doc_id)
        base.remove_document(settings.knowledge_dir, doc_id)
        index = _reindex(settings)
    return {"removed": doc_id, "index": index}


@api.post("/hit-test")
def hit_test(body: HitTest) -> dict[str, Any]:
    """The passages retrieval finds for the question (within the place's documents) and the answer the
    assistant would give, from the answer layer every channel uses."""
    place = asker_place(body.place)
    if body.place and place is None:
        raise IntakeError("bad_region", value=body.place)
    retriever = get_retriever()
    decision = decide_policy(Question(body.question, place), base=retriever)
    result = retriever.search(body.question, HIT_TEST_PASSAGES, region=place.name if place else None)
    documents = retriever.documents
    return {
        "place": place.name if place else None,
        "answer": {
            "kind": decision.kind,
            "text": decision.text(load_responses()),
            "citations": decision.citations,
        },
        "answerable": result.answerable,
        "passages": [
            p.citation()
            | {
                "doc_number": p.doc_number,
                "region": p.region,
                "status_label": STATUS[base.lifecycle_status(documents[p.doc_id])].format(
                    replaced_by=documents[p.doc_id].replaced_by
                ),
            }
            for p in result.passages
        ],
    }


# The page (no token: it signs in) and the API, as one router for the app.
router = APIRouter()
router.include_router(api)
router.include_router(admin_page.router)
