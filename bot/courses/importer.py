"""CSV import: validate every row, then write all of them in one transaction or none at all."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from bot.courses.messages import FIELD_LABELS, IMPORT_MESSAGES
from bot.courses.models import CourseRecord
from bot.courses.occupations import get_vocabulary
from bot.courses.store import Catalogue, get_catalogue
from bot.gazetteer import Place, place_by_adcode, resolve_place
from bot.settings import get_settings

COLUMNS = (
    "institution",
    "course",
    "occupation",
    "address",
    "adcode",
    "lat",
    "lng",
    "start_date",
    "end_date",
    "subsidized",
    "phone",
)
# A course without a phone number gives the trainee no way to enrol: the phone is required too.
REQUIRED = ("institution", "course", "occupation", "address", "start_date", "end_date", "subsidized", "phone")
PROGRESS_EVERY_ROWS = 10_000
REPORTED_ISSUES = 50

_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_PHONE = re.compile(
    r"^(?:(?:\+?86-?)?1[3-9]\d{9}"  # mobile
    r"|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?"  # landline with area code, optional extension
    r"|[48]00-?\d{3}-?\d{4})$"
)
_BOOLEANS = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False}
# Generous box around China, mainly to catch swapped latitude and longitude.
_CHINA_LAT = (3.0, 54.0)
_CHINA_LNG = (73.0, 136.0)


@dataclass(frozen=True)
class ImportIssue:
    line: int | None
    code: str
    values: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return IMPORT_MESSAGES[self.code].format(line=self.line, **self.values)


class CatalogueImportError(Exception):
    def __init__(self, issues: list[ImportIssue]):
        self.issues = issues
        super().__init__("\n".join(issue.text for issue in issues[:REPORTED_ISSUES]))

    def report_lines(self) -> list[str]:
        lines = [issue.text for issue in self.issues[:REPORTED_ISSUES]]
        hidden = len(self.issues) - REPORTED_ISSUES
        if hidden > 0:
            lines.append(IMPORT_MESSAGES["more_errors"].format(count=hidden))
        return lines


class _RowIssue(Exception):
    def __init__(self, code: str, **values: str):
        self.code = code
        self.values = values


def parse_catalogue(data: bytes, progress: Callable[[int], None] | None = None) -> list[CourseRecord]:
    """Validated records from CSV bytes; raises CatalogueImportError listing every bad row."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise CatalogueImportError([ImportIssue(None, "empty_file")])
    header = [name.strip() for name in header]
    if sorted(header) != sorted(COLUMNS):
        values = {"expected": ",".join(COLUMNS), "actual": ",".join(header)}
        raise CatalogueImportError([ImportIssue(1, "bad_header", values)])

    records: list[CourseRecord] = []
    issues: list[ImportIssue] = []
    last_line = reader.line_num
    for cells in reader:
        line, last_line = last_line + 1, reader.line_num  # a quoted field may span lines
        if not any(cell.strip() for cell in cells):
            continue
        try:
            if len(cells) != len(header):
                raise _RowIssue("column_count", expected=str(len(header)), actual=str(len(cells)))
            records.append(_record(dict(zip(header, (cell.strip() for cell in cells), strict=True))))
        except _RowIssue as issue:
            issues.append(ImportIssue(line, issue.code, issue.values))
        rows_seen = len(records) + len(issues)
        if progress and rows_seen % PROGRESS_EVERY_ROWS == 0:
            progress(rows_seen)
    if issues:
        raise CatalogueImportError(issues)
    if not records:
        raise CatalogueImportError([ImportIssue(None, "no_rows")])
    return records


def import_catalogue(
    path: Path,
    *,
    replace: bool = False,
    catalogue: Catalogue | None = None,
    on_checked: Callable[[int], None] | None = None,
    on_written: Callable[[int], None] | None = None,
) -> int:
    """Import a CSV file; returns the number of courses written."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogueImportError([ImportIssue(None, "file_not_found", {"path": str(path)})]) from None
    records = parse_catalogue(data, progress=on_checked)
    return (catalogue or get_catalogue()).write(records, replace=replace, progress=on_written)


def sample_catalogue_path() -> Path:
    return get_settings().knowledge_dir / "courses" / "sample_courses.csv"


# The sample catalogue's dates are written as of this day. Loaded later, they move forward by whole
# weeks to the day of loading, so that the sample always shows courses under way and about to start
# (its courses are fictional; an imported catalogue is never moved).
SAMPLE_WRITTEN_ON = date(2026, 11, 22)


def load_sample_if_empty(catalogue: Catalogue | None = None, today: date | None = None) -> int:
    """Load the sample catalogue into an empty store (first run); returns the number written."""
    catalogue = catalogue or get_catalogue()
    if catalogue.count():
        return 0
    weeks = max(0, ((today or date.today()) - SAMPLE_WRITTEN_ON).days // 7)
    records = [
        replace(
            r, start_date=r.start_date + timedelta(weeks=weeks), end_date=r.end_date + timedelta(weeks=weeks)
        )
        for r in parse_catalogue(sample_catalogue_path().read_bytes())
    ]
    return catalogue.write(records, only_if_empty=True)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")  # Excel writes a BOM
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CatalogueImportError([ImportIssue(line, "not_utf8")]) from None


def _record(row: dict[str, str]) -> CourseRecord:
    for name in REQUIRED:
        if not row[name]:
            raise _RowIssue("required", field=FIELD_LABELS[name])
    start, end = _date(row, "start_date"), _date(row, "end_date")
    if end < start:
        raise _RowIssue("end_before_start", start=start.isoformat(), end=end.isoformat())
    place = _place(row)
    lat, lng = _coordinates(row, place)
    return CourseRecord(
        institution=row["institution"],
        course=row["course"],
        occupation=get_vocabulary().canonical_for_import(row["occupation"]),
        address=row["address"],
        adcode=place.adcode,
        lat=lat,
        lng=lng,
        start_date=start,
        end_date=end,
        subsidized=_boolean(row["subsidized"]),
        phone=_phone(row["phone"]),
    )


def _date(row: dict[str, str], name: str) -> date:
    value = row[name]
    match = _DATE.match(value)
    try:
        if match:
            return date(*(int(part) for part in match.groups()))
    except ValueError:
        pass
    raise _RowIssue("bad_date", field=FIELD_LABELS[name], value=value)


def _place(row: dict[str, str]) -> Place:
    """The course's administrative area: from the adcode when given, else from the address."""
    if row["adcode"]:
        place = place_by_adcode(row["adcode"])
        if place is None:
            raise _RowIssue("bad_adcode", value=row["adcode"])
        return place
    place = resolve_place(row["address"])
    if place is None:
        raise _RowIssue("unresolvable_place", value=row["address"])
    return place


def _coordinates(row: dict[str, str], place: Place) -> tuple[float, float]:
    if not row["lat"] and not row["lng"]:
        return place.lat, place.lng
    if not row["lat"] or not row["lng"]:
        raise _RowIssue("half_coordinates")
    lat, lng = _number(row, "lat"), _number(row, "lng")
    if not (_CHINA_LAT[0] <= lat <= _CHINA_LAT[1] and _CHINA_LNG[0] <= lng <= _CHINA_LNG[1]):
        raise _RowIssue("outside_china", lat=row["lat"], lng=row["lng"])
    return lat, lng


def _number(row: dict[str, str], name: str) -> float:
    try:
        value = float(row[name])
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise _RowIssue("bad_coordinate", field=FIELD_LABELS[name], value=row[name])
    return value


def _boolean(value: str) -> bool:
    try:
        return _BOOLEANS[value.lower()]
    except KeyError:
        raise _RowIssue("bad_bool", value=value) from None


def _phone(value: str) -> str:
    compact = re.sub(r"\s+", "", value)
    if not _PHONE.match(compact):
        raise _RowIssue("bad_phone", value=value)
    return compact
