"""In-memory search index: the catalogue's coordinates, dates and occupations as numpy columns.

Rows are sorted by latitude. A query within a radius binary-searches the latitude band of the
radius, trims it to the cap's exact longitude window, applies the date and occupation filters,
then computes exact haversine distances on what is left. Without a radius (the "nearest at any
distance" fallback) it scans every row. Design and measurements: docs/COURSES.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

EARTH_RADIUS_KM = 6371.0088
_EPSILON_RAD = 1e-9  # keep points sitting exactly on the box edge; the haversine test is exact


@dataclass(frozen=True, eq=False)
class CourseIndex:
    revision: int
    ids: np.ndarray  # int64
    lat: np.ndarray  # radians, ascending
    lng: np.ndarray  # radians
    cos_lat: np.ndarray
    start_day: np.ndarray  # date ordinals
    end_day: np.ndarray
    occupation_code: np.ndarray  # position in `occupations`
    occupations: tuple[str, ...]

    @classmethod
    def build(cls, revision: int, rows: Sequence[tuple[int, float, float, str, date, date]]) -> CourseIndex:
        occupations = tuple(sorted({row[3] for row in rows}))
        code_of = {name: code for code, name in enumerate(occupations)}
        lat = np.radians(np.array([row[1] for row in rows], dtype=np.float64))
        order = np.argsort(lat, kind="stable")
        lat = lat[order]
        return cls(
            revision=revision,
            ids=np.array([row[0] for row in rows], dtype=np.int64)[order],
            lat=lat,
            lng=np.radians(np.array([row[2] for row in rows], dtype=np.float64))[order],
            cos_lat=np.cos(lat),
            start_day=np.array([row[4].toordinal() for row in rows], dtype=np.int64)[order],
            end_day=np.array([row[5].toordinal() for row in rows], dtype=np.int64)[order],
            occupation_code=np.array([code_of[row[3]] for row in rows], dtype=np.int32)[order],
            occupations=occupations,
        )

    def nearest(
        self,
        lat: float,
        lng: float,
        *,
        today: date,
        occupations: Sequence[str] = (),
        limit: int,
        max_distance_km: float | None = None,
    ) -> list[tuple[int, float]]:
        """(course id, km) of the closest courses not finished by `today`, nearest first.

        Equal distances (courses placed at the same county centre) go by start date, then id.
        """
        origin_lat, origin_lng = math.radians(lat), math.radians(lng)
        if max_distance_km is None:
            positions = np.arange(len(self.ids))
        else:
            positions = self._box(origin_lat, origin_lng, max_distance_km / EARTH_RADIUS_KM)
        keep = self.end_day[positions] >= today.toordinal()
        if occupations:
            codes = [code for code, name in enumerate(self.occupations) if name in occupations]
            keep &= np.isin(self.occupation_code[positions], codes)
        positions = positions[keep]
        distances = self._distances_km(origin_lat, origin_lng, positions)
        if max_distance_km is not None:
            within = distances <= max_distance_km
            positions, distances = positions[within], distances[within]
        if len(positions) > limit:
            # Keep everything tied with the limit-th distance so the tie-break sees all of them.
            cutoff = np.partition(distances, limit - 1)[limit - 1]
            close = distances <= cutoff
            positions, distances = positions[close], distances[close]
        order = np.lexsort((self.ids[positions], self.start_day[positions], distances))[:limit]
        return [(int(self.ids[p]), float(d)) for p, d in zip(positions[order], distances[order], strict=True)]

    def _box(self, origin_lat: float, origin_lng: float, radius_rad: float) -> np.ndarray:
        """Positions inside the bounding box of the spherical cap around the origin."""
        low, high = np.searchsorted(
            self.lat, [origin_lat - radius_rad - _EPSILON_RAD, origin_lat + radius_rad + _EPSILON_RAD]
        )
        positions = np.arange(low, high)
        if abs(origin_lat) + radius_rad >= math.pi / 2:  # the cap covers a pole: every longitude
            return positions
        half_width = math.asin(min(1.0, math.sin(radius_rad) / math.cos(origin_lat))) + _EPSILON_RAD
        offset = np.abs((self.lng[low:high] - origin_lng + math.pi) % (2 * math.pi) - math.pi)
        return positions[offset <= half_width]

    def _distances_km(self, origin_lat: float, origin_lng: float, positions: np.ndarray) -> np.ndarray:
        half_dlat = (self.lat[positions] - origin_lat) / 2
        half_dlng = (self.lng[positions] - origin_lng) / 2
        a = np.sin(half_dlat) ** 2 + self.cos_lat[positions] * math.cos(origin_lat) * np.sin(half_dlng) ** 2
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
