"""Nearest courses to a place or a point, optionally for one occupation, not yet finished."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date

from bot.courses.errors import (
    InvalidCoordinatesError,
    InvalidLimitError,
    MissingOriginError,
    UnknownOccupationError,
    UnknownPlaceError,
)
from bot.courses.models import Course
from bot.courses.occupations import get_vocabulary
from bot.courses.store import Catalogue, get_catalogue
from bot.gazetteer import Place, resolve_place
from bot.settings import get_settings

MAX_LIMIT = 50


@dataclass(frozen=True)
class CourseHit:
    institution: str
    course: str
    occupation: str
    address: str
    distance_km: float  # one decimal
    start_date: str  # ISO
    end_date: str
    subsidized: bool
    phone: str | None

    @classmethod
    def of(cls, course: Course, distance_km: float) -> CourseHit:
        return cls(
            institution=course.institution,
            course=course.course,
            occupation=course.occupation,
            address=course.address,
            distance_km=round(distance_km, 1),
            start_date=course.start_date.isoformat(),
            end_date=course.end_date.isoformat(),
            subsidized=course.subsidized,
            phone=course.phone,
        )

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class NearestResult:
    courses: list[CourseHit]
    origin: Place | None  # None for a coordinate query
    occupation: str | None  # first canonical occupation of the filter
    occupations: tuple[str, ...] = ()  # every occupation the filter accepts (月嫂 → 育婴员, 母婴护理员)
    max_distance_km: float = 0.0
    # Filled only when `courses` is empty, for a helpful reply:
    nearest_beyond_reach: CourseHit | None = None  # closest matching course at any distance
    nearby_other_occupations: list[CourseHit] = field(default_factory=list)  # within reach, any occupation

    def to_dict(self) -> dict[str, object]:
        """The body of GET /api/courses/nearest."""
        return {"courses": [hit.to_dict() for hit in self.courses]}


def find_nearest(
    lat: float | str | None = None,
    lng: float | str | None = None,
    place: str | None = None,
    occupation: str | None = None,
    limit: int = 3,
    today: date | None = None,
    *,
    max_distance_km: float | None = None,
    catalogue: Catalogue | None = None,
) -> NearestResult:
    """Courses within `max_distance_km` (default: setting course_search_radius_km), nearest first.

    Coordinates win over `place` when both are given. Raises a CourseSearchError (ValueError) for a
    missing or unknown origin, bad coordinates, an unknown occupation or a bad limit.
    """
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise InvalidLimitError(limit=limit, maximum=MAX_LIMIT)
    catalogue = catalogue or get_catalogue()
    today = today or date.today()
    reach = get_settings().course_search_radius_km if max_distance_km is None else max_distance_km
    origin_lat, origin_lng, origin = _origin(lat, lng, place)
    index = catalogue.index()

    occupations: tuple[str, ...] = ()
    if occupation and occupation.strip():
        occupations = get_vocabulary().resolve(occupation, index.occupations)
        if not occupations:
            raise UnknownOccupationError(occupation=occupation)

    def search(filter_: tuple[str, ...], count: int, within: float | None) -> list[tuple[int, float]]:
        return index.nearest(
            origin_lat, origin_lng, today=today, occupations=filter_, limit=count, max_distance_km=within
        )

    found = search(occupations, limit, reach)
    beyond = search(occupations, 1, None) if not found else []
    others = search((), limit, reach) if not found and occupations else []
    courses = catalogue.fetch([course_id for course_id, _ in found + beyond + others])

    def hits(pairs: list[tuple[int, float]]) -> list[CourseHit]:
        # An id can be gone when an import --replace committed between the index read and the fetch.
        return [CourseHit.of(courses[cid], distance) for cid, distance in pairs if cid in courses]

    return NearestResult(
        courses=hits(found),
        origin=origin,
        occupation=occupations[0] if occupations else None,
        occupations=occupations,
        max_distance_km=reach,
        nearest_beyond_reach=next(iter(hits(beyond)), None),
        nearby_other_occupations=hits(others),
    )


def _origin(
    lat: float | str | None, lng: float | str | None, place: str | None
) -> tuple[float, float, Place | None]:
    if lat is not None or lng is not None:
        return (*_coordinates(lat, lng), None)
    if not place or not place.strip():
        raise MissingOriginError()
    resolved = resolve_place(place)
    if resolved is None:
        raise UnknownPlaceError(place=place)
    return resolved.lat, resolved.lng, resolved


def _coordinates(lat: float | str | None, lng: float | str | None) -> tuple[float, float]:
    try:
        lat_value, lng_value = float(lat), float(lng)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidCoordinatesError(lat=lat, lng=lng) from None
    if not (math.isfinite(lat_value) and math.isfinite(lng_value)):
        raise InvalidCoordinatesError(lat=lat, lng=lng)
    if not (-90 <= lat_value <= 90 and -180 <= lng_value <= 180):
        raise InvalidCoordinatesError(lat=lat, lng=lng)
    return lat_value, lng_value
