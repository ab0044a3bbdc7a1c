"""Every error the gateway returns has one JSON shape: {"error": {"code", "message", "details"?}}."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from bot.courses.errors import CourseSearchError
from bot.gateway.rasa_client import RasaUnavailable
from bot.settings import get_settings
from bot.subsidy import ProfileError
from retrieval.index import RetrievalIndexError

log = logging.getLogger(__name__)

# {hotline}: the HOTLINE setting.
MESSAGES = {
    "invalid_json": "请求体不是有效的 JSON。",
    "invalid_request": "请求参数有误，请检查后重试。",
    "rasa_unavailable": "对话服务暂时不可用，请稍后再试，或拨打 {hotline} 人社服务热线。",
    "internal_error": "服务出现异常，请稍后再试，或拨打 {hotline} 人社服务热线。",
    "rate_limited": "您的消息发得有点快，请稍等片刻再发送。如需帮助，也可拨打 {hotline} 人社服务热线。",
    "payload_too_large": "请求内容过长，请精简后重试。",
    "index_unavailable": "政策检索服务暂时不可用，请稍后再试，或拨打 {hotline} 人社服务热线。",
}
# A chat turn that produced no reply (Rasa answers nothing when an action fails, e.g. the action
# server is down): the user still gets an answer, with the configured hotline.
NO_REPLY = "抱歉，我暂时没能回答您的问题。请稍后再试，或拨打 {hotline} 人社服务热线咨询。"


def no_reply_messages(hotline: str) -> list[dict[str, Any]]:
    """The bot messages of a turn Rasa answered with nothing (e.g. the action server is down)."""
    return [{"text": NO_REPLY.format(hotline=hotline)}]


# HTTP errors raised by routes (with their own message) get a code named after their status.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}


def error_response(status: int, code: str, details: Any = None, message: str | None = None) -> JSONResponse:
    body: dict[str, Any] = {
        "code": code,
        "message": message or MESSAGES[code].format(hotline=get_settings().hotline),
    }
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status)


async def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    problems = [
        {"field": ".".join(str(part) for part in e["loc"][1:]) or "body", "problem": e["msg"]}
        for e in error.errors()
    ]
    if any(e["type"] == "json_invalid" for e in error.errors()):
        return error_response(400, "invalid_json", problems)
    return error_response(422, "invalid_request", problems)


async def _http_error(request: Request, error: HTTPException) -> JSONResponse:
    response = error_response(
        error.status_code, HTTP_CODES.get(error.status_code, "http_error"), message=str(error.detail)
    )
    response.headers.update(error.headers or {})
    return response


async def _rasa_unavailable(request: Request, error: RasaUnavailable) -> JSONResponse:
    log.warning("Rasa unavailable: %s", error)
    return error_response(503, "rasa_unavailable")


async def _index_unavailable(request: Request, error: RetrievalIndexError) -> JSONResponse:
    log.error("retrieval index unavailable: %s", error)
    return error_response(503, "index_unavailable")


async def _profile_error(request: Request, error: ProfileError) -> JSONResponse:
    return error_response(
        422, "invalid_profile", [{"field": error.field, "problem": error.message}], error.message
    )


async def _course_search_error(request: Request, error: CourseSearchError) -> JSONResponse:
    return error_response(422, error.code, message=str(error))


async def _unexpected(request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error on %s", request.url.path)
    return error_response(500, "internal_error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RasaUnavailable, _rasa_unavailable)
    app.add_exception_handler(RetrievalIndexError, _index_unavailable)
    app.add_exception_handler(ProfileError, _profile_error)
    app.add_exception_handler(CourseSearchError, _course_search_error)
    app.add_exception_handler(Exception, _unexpected)
