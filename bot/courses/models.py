"""Catalogue tables, and the validated record an import writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution: Mapped[str] = mapped_column(Text)
    course: Mapped[str] = mapped_column(Text)
    occupation: Mapped[str] = mapped_column(Text)  # canonical, see knowledge/courses/occupations.yml
    address: Mapped[str] = mapped_column(Text)
    adcode: Mapped[str] = mapped_column(Text)
    lat: Mapped[float]
    lng: Mapped[float]
    start_date: Mapped[date]
    end_date: Mapped[date]
    subsidized: Mapped[bool]
    phone: Mapped[str | None] = mapped_column(Text)


class CatalogueRevision(Base):
    """One row, bumped by every write, so each process knows when its search index is stale."""

    __tablename__ = "course_catalogue_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int]


@dataclass(frozen=True)
class CourseRecord:
    institution: str
    course: str
    occupation: str
    address: str
    adcode: str
    lat: float
    lng: float
    start_date: date
    end_date: date
    subsidized: bool
    phone: str | None
