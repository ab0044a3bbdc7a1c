"""The FastAPI application: `uvicorn bot.gateway.app:create_app --factory`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from bot.courses.importer import load_sample_if_empty
from bot.gateway.channels import entry, wechat
from bot.gateway.errors import install_error_handlers
from bot.gateway.middleware.limits import LimitsMiddleware
from bot.gateway.pages import chat as chat_page
from bot.gateway.pages import review as review_page
from bot.gateway.pages.chat import STATIC_DIR
from bot.gateway.rasa_client import RasaClient
from bot.gateway.routes import (
    admin_knowledge,
    admin_review,
    admin_stats,
    assist,
    chat,
    courses,
    feedback,
    health,
    retrieve,
    subsidy,
)
from bot.knowledge.errors import IntakeError
from bot.privacy import install_log_masking
from bot.settings import Settings, get_settings, rasa_urls
from retrieval.search import get_retriever


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        load_sample_if_empty()  # embedded default: the sample catalogue on first run
        # Load the embedding model and index off the event loop now, not in the first user's request.
        warm_up = asyncio.get_running_loop().run_in_executor(None, get_retriever)
        warm_up.add_done_callback(_log_warm_up_failure)
        app.state.rasa = RasaClient(rasa_urls(settings), settings.rasa_timeout_seconds)
        try:
            yield
        finally:
            await app.state.rasa.close()

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # httpx logs every request to Rasa at INFO: a second line per turn next to uvicorn's access log.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    install_log_masking()
    app = FastAPI(
        title="职业技能培训助手",
        description="职业技能培训对话助手的网关：对话、NLU 解析与政策服务接口。",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(chat.router)
    app.include_router(feedback.router)
    app.include_router(retrieve.router)
    app.include_router(subsidy.router)
    app.include_router(courses.router)
    app.include_router(entry.router)
    app.include_router(wechat.router)
    app.include_router(chat_page.router)
    app.include_router(assist.router)
    app.include_router(admin_knowledge.router)
    app.include_router(admin_review.router)
    app.include_router(review_page.router)
    app.include_router(admin_stats.router)
    app.add_exception_handler(IntakeError, admin_knowledge.intake_error)  # type: ignore[arg-type]
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    install_middleware(app, settings)
    return app


def _log_warm_up_failure(future: asyncio.Future) -> None:
    if not future.cancelled() and future.exception():
        logging.getLogger(__name__).error("policy retriever failed to load: %s", future.exception())


def install_middleware(app: FastAPI, settings: Settings) -> None:
    app.add_middleware(
        LimitsMiddleware,
        max_body_bytes=settings.max_request_bytes,
        max_upload_bytes=settings.max_upload_request_bytes,
        ip_per_minute=settings.rate_limit_ip_per_minute,
        sender_per_minute=settings.rate_limit_sender_per_minute,
    )
    origins = [o.strip() for o in settings.cors_allow_origins.split(",") if o.strip()]
    if origins:  # outermost, so that limit errors carry the CORS headers too
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization"],
        )
