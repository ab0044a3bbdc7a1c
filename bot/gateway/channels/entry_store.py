"""Which conversation came in through which poster: one row per (sender, campaign, region), in the
project database, for the per-campaign counts of GET /api/stats/entries."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import DateTime, Engine, String, UniqueConstraint, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from bot.courses.store import get_engine
from bot.privacy import mask

MAX_FIELD = 64


class Base(DeclarativeBase):
    pass


class Entry(Base):
    __tablename__ = "entries"
    __table_args__ = (UniqueConstraint("sender_id", "campaign", "region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[str] = mapped_column(String(MAX_FIELD))
    channel: Mapped[str] = mapped_column(String(MAX_FIELD), default="")
    region: Mapped[str] = mapped_column(String(MAX_FIELD), default="")
    role: Mapped[str] = mapped_column(String(MAX_FIELD), default="")
    campaign: Mapped[str] = mapped_column(String(MAX_FIELD), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=lambda: datetime.now(UTC))


@lru_cache
def _engine(url: str) -> Engine:
    engine = get_engine(url)
    Base.metadata.create_all(engine, checkfirst=True)
    return engine


def record_entry(url: str, sender_id: str, context: dict[str, str]) -> None:
    """Idempotent: a visitor reloading the page or re-entering the chat is one conversation.
    Personal numbers (a phone number as sender id, say) are masked before they are stored."""
    engine = _engine(url)
    values = {
        "sender_id": mask(sender_id)[:MAX_FIELD],
        **{key: mask(context.get(key, ""))[:MAX_FIELD] for key in ("channel", "region", "role", "campaign")},
        "created_at": datetime.now(UTC),
    }
    dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(engine.dialect.name)
    with Session(engine) as session, session.begin():
        if dialect is None:  # other databases: check, then insert
            exists = select(Entry.id).filter_by(
                sender_id=values["sender_id"], campaign=values["campaign"], region=values["region"]
            )
            if session.scalar(exists) is None:
                session.add(Entry(**values))
            return
        session.execute(dialect.insert(Entry).values(**values).on_conflict_do_nothing())


def entry_counts(url: str) -> list[dict[str, object]]:
    engine = _engine(url)
    query = (
        select(Entry.campaign, Entry.region, func.count().label("conversations"))
        .group_by(Entry.campaign, Entry.region)
        .order_by(Entry.campaign, Entry.region)
    )
    with Session(engine) as session:
        return [dict(row._mapping) for row in session.execute(query)]
