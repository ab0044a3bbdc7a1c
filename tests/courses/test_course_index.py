from __future__ import annotations

import random
from datetime import date

import pytest

from bot.courses.index import CourseIndex

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def index() -> CourseIndex:
    rng = random.Random(7)
    rows = [
        (n, rng.uniform(18, 50), rng.uniform(75, 135), rng.choice("ab"), date(2026, 12, 1), date(2027, 1, 1))
        for n in range(1, 3001)
    ]
    return CourseIndex.build(1, rows)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("radius", [30.0, 150.0, 600.0])
def test_radius_search_matches_a_full_scan(index: CourseIndex, seed: int, radius: float) -> None:
    rng = random.Random(seed)
    lat, lng = rng.uniform(18, 50), rng.uniform(75, 135)
    full = index.nearest(lat, lng, today=TODAY, limit=len(index.ids))
    expected = [pair for pair in full if pair[1] <= radius][:10]
    assert index.nearest(lat, lng, today=TODAY, limit=10, max_distance_km=radius) == expected


def test_search_across_the_antimeridian() -> None:
    index = CourseIndex.build(1, [(1, 0.0, 179.9, "a", TODAY, TODAY), (2, 0.0, -179.9, "a", TODAY, TODAY)])
    assert [i for i, _ in index.nearest(0.0, 179.95, today=TODAY, limit=2, max_distance_km=50)] == [1, 2]


def test_empty_index() -> None:
    assert CourseIndex.build(0, []).nearest(35.0, 106.0, today=TODAY, limit=3) == []
