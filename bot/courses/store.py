"""Catalogue store: SQLite by default, any SQLAlchemy URL (PostgreSQL) by setting."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, delete, func, insert, make_url, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.courses.index import CourseIndex
from bot.courses.models import Base, CatalogueRevision, Course, CourseRecord
from bot.settings import get_settings

SQLITE_BUSY_TIMEOUT_SECONDS = 30
WRITE_CHUNK_ROWS = 10_000


@lru_cache
def get_engine(url: str) -> Engine:
    parsed = make_url(url)
    connect_args = {}
    if parsed.get_backend_name() == "sqlite":
        connect_args["timeout"] = SQLITE_BUSY_TIMEOUT_SECONDS
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return create_engine(url, connect_args=connect_args)


class Catalogue:
    """The course table plus a per-process search index rebuilt when the revision moves."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._lock = threading.Lock()
        self._schema_ready = False
        self._index: CourseIndex | None = None

    @classmethod
    def from_url(cls, url: str) -> Catalogue:
        return cls(get_engine(url))

    def count(self) -> int:
        with Session(self._ready()) as session:
            return session.scalar(select(func.count()).select_from(Course)) or 0

    def revision(self) -> int:
        with Session(self._ready()) as session:
            return session.scalar(select(CatalogueRevision.revision)) or 0

    def write(
        self,
        records: Sequence[CourseRecord],
        *,
        replace: bool = False,
        only_if_empty: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write all records in one transaction; returns the number written."""
        with Session(self._ready()) as session:
            # Bumping the revision first takes SQLite's write lock (PostgreSQL: the row lock), so a
            # second process loading the sample at the same moment waits, then sees a full table.
            session.execute(update(CatalogueRevision).values(revision=CatalogueRevision.revision + 1))
            if only_if_empty and session.scalar(select(func.count()).select_from(Course)):
                session.rollback()
                return 0
            if replace:
                session.execute(delete(Course))
            for start in range(0, len(records), WRITE_CHUNK_ROWS):
                chunk = records[start : start + WRITE_CHUNK_ROWS]
                session.execute(insert(Course), [asdict(record) for record in chunk])
                if progress:
                    progress(start + len(chunk))
            session.commit()
        return len(records)

    def fetch(self, ids: Sequence[int]) -> dict[int, Course]:
        with Session(self._ready()) as session:
            return {course.id: course for course in session.scalars(select(Course).where(Course.id.in_(ids)))}

    def index(self) -> CourseIndex:
        revision = self.revision()
        with self._lock:
            if self._index is None or self._index.revision != revision:
                self._index = self._load_index(revision)
            return self._index

    def _load_index(self, revision: int) -> CourseIndex:
        columns = (Course.id, Course.lat, Course.lng, Course.occupation, Course.start_date, Course.end_date)
        with Session(self.engine) as session:
            rows = session.execute(select(*columns).order_by(Course.id)).tuples().all()
        return CourseIndex.build(revision, rows)

    def _ready(self) -> Engine:
        """Create the tables on first use rather than at import."""
        if not self._schema_ready:
            with self._lock:
                if not self._schema_ready:
                    Base.metadata.create_all(self.engine)
                    try:
                        with Session(self.engine) as session, session.begin():
                            if session.get(CatalogueRevision, 1) is None:
                                session.add(CatalogueRevision(id=1, revision=0))
                    except IntegrityError:  # another process created it first
                        pass
                    self._schema_ready = True
        return self.engine


@lru_cache
def get_catalogue() -> Catalogue:
    return Catalogue.from_url(get_settings().database_url)
