from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bot.courses.importer import COLUMNS
from bot.courses.models import CourseRecord
from bot.courses.store import Catalogue

GOOD_ROW = {
    "institution": "（示例）彭阳县职业技能培训中心",
    "course": "焊工初级班",
    "occupation": "焊工",
    "address": "宁夏固原市彭阳县白阳镇茹河路88号",
    "adcode": "640425",
    "lat": "35.85",
    "lng": "106.64",
    "start_date": "2026-12-01",
    "end_date": "2027-01-15",
    "subsidized": "是",
    "phone": "0954-00000001",
}

TODAY = date(2026, 11, 22)


@pytest.fixture
def row() -> Callable[..., dict[str, str]]:
    """A valid CSV row, with the given columns changed."""
    return lambda **changes: {**GOOD_ROW, **changes}


@pytest.fixture
def to_csv() -> Callable[..., bytes]:
    def encode(*rows: dict[str, str], header: tuple[str, ...] = COLUMNS) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for values in rows:
            writer.writerow([values.get(column, "") for column in header])
        return out.getvalue().encode("utf-8")

    return encode


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[bytes], Path]:
    def write(data: bytes) -> Path:
        path = tmp_path / "courses.csv"
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    return Catalogue.from_url(f"sqlite:///{tmp_path / 'courses.db'}")


@pytest.fixture
def record() -> Callable[..., CourseRecord]:
    """A catalogue record at 彭阳县's centre unless told otherwise."""

    def make(**changes: object) -> CourseRecord:
        values: dict[str, object] = {
            "institution": "（示例）机构",
            "course": "课程",
            "occupation": "焊工",
            "address": "宁夏固原市彭阳县",
            "adcode": "640425",
            "lat": 35.858815,
            "lng": 106.631809,
            "start_date": date(2026, 12, 1),
            "end_date": date(2027, 1, 15),
            "subsidized": True,
            "phone": "0954-00000001",
        }
        return CourseRecord(**{**values, **changes})  # type: ignore[arg-type]

    return make
