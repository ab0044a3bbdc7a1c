from __future__ import annotations

import math
from datetime import date

import pytest

from bot.courses.errors import (
    InvalidCoordinatesError,
    InvalidLimitError,
    MissingOriginError,
    UnknownOccupationError,
    UnknownPlaceError,
)
from bot.courses.finder import MAX_LIMIT, find_nearest
from bot.courses.importer import load_sample_if_empty
from bot.courses.store import Catalogue

TODAY = date(2026, 11, 22)
PENGYANG = (35.858815, 106.631809)  # county centre in the gazetteer
GUYUAN = (36.015855, 106.24261)
CHANGSHA = (28.22808, 112.938884)


@pytest.fixture
def courses(catalogue: Catalogue, record) -> Catalogue:
    """Ids 1-6: three welding courses around 固原, care and childcare courses, one in 长沙."""
    catalogue.write(
        [
            record(course="彭阳焊工"),
            record(course="固原焊工", lat=GUYUAN[0], lng=GUYUAN[1], address="固原市原州区", adcode="640402"),
            record(course="彭阳育婴", occupation="育婴员"),
            record(
                course="彭阳母婴",
                occupation="母婴护理员",
                start_date=date(2027, 3, 1),
                end_date=date(2027, 4, 1),
            ),
            record(course="长沙焊工", lat=CHANGSHA[0], lng=CHANGSHA[1], address="长沙市", adcode="430100"),
            record(course="彭阳养老", occupation="养老护理员"),
        ]
    )
    return catalogue


def names(result) -> list[str]:
    return [hit.course for hit in result.courses]


def test_place_query_orders_by_distance(courses: Catalogue) -> None:
    result = find_nearest(place="彭阳", occupation="焊工", limit=5, today=TODAY, catalogue=courses)
    assert names(result) == ["彭阳焊工", "固原焊工"]  # 长沙 is beyond the default reach
    assert result.origin is not None and result.origin.adcode == "640425"
    assert result.occupation == "焊工"
    assert result.courses[0].distance_km == 0.0
    assert result.courses[1].distance_km == 39.1


def test_coordinate_query(courses: Catalogue) -> None:
    result = find_nearest(lat=GUYUAN[0], lng=GUYUAN[1], occupation="电焊", today=TODAY, catalogue=courses)
    assert names(result) == ["固原焊工", "彭阳焊工"]
    assert result.origin is None


def test_coordinates_as_strings_and_coordinates_win_over_place(courses: Catalogue) -> None:
    result = find_nearest(
        lat=str(GUYUAN[0]),
        lng=str(GUYUAN[1]),
        place="长沙",
        occupation="焊工",
        today=TODAY,
        catalogue=courses,
    )
    assert names(result)[0] == "固原焊工"


@pytest.mark.parametrize(
    ("said", "occupations", "first"),
    [
        ("电焊", ("焊工",), "彭阳焊工"),
        ("我想学电焊", ("焊工",), "彭阳焊工"),
        ("月嫂", ("育婴员", "母婴护理员"), "彭阳育婴"),
        ("带娃", ("育婴员",), "彭阳育婴"),
        ("护工", ("养老护理员",), "彭阳养老"),
        ("养老护理员", ("养老护理员",), "彭阳养老"),
    ],
)
def test_occupation_synonyms(courses: Catalogue, said, occupations, first) -> None:
    result = find_nearest(place="彭阳", occupation=said, limit=MAX_LIMIT, today=TODAY, catalogue=courses)
    assert result.occupations == occupations
    assert result.occupation == occupations[0]
    assert names(result)[0] == first
    assert {hit.occupation for hit in result.courses} <= set(occupations)


@pytest.mark.parametrize(
    ("said", "canonical"),
    [
        ("挖机", "挖掘机驾驶员"),
        ("开挖掘机", "挖掘机驾驶员"),
        ("开叉车", "叉车司机"),
        ("叉车证", "叉车司机"),
        ("做饭", "中式烹调师"),
        ("厨师", "中式烹调师"),
        ("烹调师", "中式烹调师"),
    ],
)
def test_synonyms_without_courses_resolve_and_find_nothing(courses: Catalogue, said, canonical) -> None:
    result = find_nearest(place="彭阳", occupation=said, today=TODAY, catalogue=courses)
    assert (result.occupation, result.courses) == (canonical, [])


def test_occupation_known_only_to_the_catalogue(catalogue: Catalogue, record) -> None:
    catalogue.write([record(occupation="无人机驾驶员", course="无人机")])
    result = find_nearest(place="彭阳", occupation="无人机驾驶员", today=TODAY, catalogue=catalogue)
    assert names(result) == ["无人机"]


@pytest.mark.parametrize(
    ("end", "included"),
    [(date(2026, 11, 21), False), (date(2026, 11, 22), True), (date(2027, 1, 1), True)],
)
def test_finished_courses_are_excluded(catalogue: Catalogue, record, end, included) -> None:
    catalogue.write([record(start_date=date(2026, 10, 1), end_date=end)])
    result = find_nearest(place="彭阳", today=TODAY, catalogue=catalogue)
    assert bool(result.courses) is included


def test_today_defaults_to_the_current_date(catalogue: Catalogue, record) -> None:
    catalogue.write([record(start_date=date(2000, 1, 1), end_date=date(2000, 2, 1))])
    assert find_nearest(place="彭阳", catalogue=catalogue).courses == []


def test_ties_go_by_start_date_then_id(catalogue: Catalogue, record) -> None:
    catalogue.write(
        [
            record(course="B", start_date=date(2027, 1, 10), end_date=date(2027, 2, 1)),
            record(course="C", start_date=date(2027, 1, 10), end_date=date(2027, 2, 1)),
            record(course="A", start_date=date(2026, 12, 1), end_date=date(2027, 2, 1)),
            record(course="far", lat=PENGYANG[0] + 0.01),
        ]
    )
    for limit, expected in [(1, ["A"]), (2, ["A", "B"]), (4, ["A", "B", "C", "far"])]:
        result = find_nearest(place="彭阳", limit=limit, today=TODAY, catalogue=catalogue)
        assert names(result) == expected


@pytest.mark.parametrize(("limit", "count"), [(1, 1), (3, 3), (MAX_LIMIT, 5)])
def test_limit(courses: Catalogue, limit, count) -> None:
    result = find_nearest(place="彭阳", limit=limit, today=TODAY, catalogue=courses)
    assert len(result.courses) == count
    distances = [hit.distance_km for hit in result.courses]
    assert distances == sorted(distances)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({}, MissingOriginError),
        ({"place": "  "}, MissingOriginError),
        ({"place": "火星"}, UnknownPlaceError),
        ({"place": "鼓楼区"}, UnknownPlaceError),  # ambiguous
        ({"lat": 35.0}, InvalidCoordinatesError),
        ({"lat": 95.0, "lng": 106.0}, InvalidCoordinatesError),
        ({"lat": 35.0, "lng": 190.0}, InvalidCoordinatesError),
        ({"lat": "北纬", "lng": "106"}, InvalidCoordinatesError),
        ({"lat": math.nan, "lng": 106.0}, InvalidCoordinatesError),
        ({"place": "彭阳", "occupation": "宇航员"}, UnknownOccupationError),
        ({"place": "彭阳", "limit": 0}, InvalidLimitError),
        ({"place": "彭阳", "limit": MAX_LIMIT + 1}, InvalidLimitError),
        ({"place": "彭阳", "limit": "3"}, InvalidLimitError),
        ({"place": "彭阳", "limit": True}, InvalidLimitError),
    ],
)
def test_invalid_input_raises_a_value_error_with_a_message(courses: Catalogue, arguments, error) -> None:
    with pytest.raises(error) as raised:
        find_nearest(today=TODAY, catalogue=courses, **arguments)
    assert isinstance(raised.value, ValueError)
    assert str(raised.value)


def test_nothing_within_reach_explains_what_is_nearest(courses: Catalogue) -> None:
    result = find_nearest(
        lat=CHANGSHA[0], lng=CHANGSHA[1], occupation="育婴员", today=TODAY, catalogue=courses
    )
    assert result.courses == []
    assert result.nearest_beyond_reach is not None
    assert result.nearest_beyond_reach.course == "彭阳育婴"
    assert result.nearest_beyond_reach.distance_km > result.max_distance_km
    assert [hit.course for hit in result.nearby_other_occupations] == ["长沙焊工"]


def test_fallback_fields_stay_empty_when_courses_are_found(courses: Catalogue) -> None:
    result = find_nearest(place="彭阳", occupation="焊工", today=TODAY, catalogue=courses)
    assert (result.nearest_beyond_reach, result.nearby_other_occupations) == (None, [])


def test_max_distance(courses: Catalogue) -> None:
    result = find_nearest(
        place="彭阳", occupation="焊工", max_distance_km=2000, limit=5, today=TODAY, catalogue=courses
    )
    assert names(result) == ["彭阳焊工", "固原焊工", "长沙焊工"]


def test_to_dict_has_the_api_shape(courses: Catalogue) -> None:
    body = find_nearest(place="固原", occupation="电焊", limit=1, today=TODAY, catalogue=courses).to_dict()
    assert body == {
        "courses": [
            {
                "institution": "（示例）机构",
                "course": "固原焊工",
                "occupation": "焊工",
                "address": "固原市原州区",
                "distance_km": 0.0,
                "start_date": "2026-12-01",
                "end_date": "2027-01-15",
                "subsidized": True,
                "phone": "0954-00000001",
            }
        ]
    }


def test_search_sees_courses_written_after_the_index_was_built(courses: Catalogue, record) -> None:
    assert find_nearest(place="彭阳", occupation="叉车", today=TODAY, catalogue=courses).courses == []
    courses.write([record(course="叉车班", occupation="叉车司机")])
    assert names(find_nearest(place="彭阳", occupation="叉车", today=TODAY, catalogue=courses)) == ["叉车班"]


def test_sample_catalogue_answers_the_pengyang_welding_question(catalogue: Catalogue) -> None:
    load_sample_if_empty(catalogue, today=TODAY)
    result = find_nearest(place="彭阳", occupation="电焊", limit=3, today=TODAY, catalogue=catalogue)
    assert [hit.institution for hit in result.courses] == [
        "（示例）彭阳县职业技能培训中心",
        "（示例）固原市职业技术学校",
    ]
