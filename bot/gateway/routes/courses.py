"""GET /api/courses/nearest: courses still open, nearest first, by coordinates or place name."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from bot.courses.finder import MAX_LIMIT, find_nearest

router = APIRouter(prefix="/api/courses", tags=["courses"])


@router.get("/nearest")
def nearest_courses(
    lat: float | None = Query(None, ge=-90, le=90, description="纬度（与 lng 一起使用）"),
    lng: float | None = Query(None, ge=-180, le=180, description="经度"),
    place: str | None = Query(None, max_length=60, description="地名或地址，如 彭阳、长沙市岳麓区"),
    occupation: str | None = Query(None, max_length=30, description="工种，如 电焊、叉车、月嫂"),
    limit: int = Query(3, ge=1, le=MAX_LIMIT),
) -> dict[str, Any]:
    return find_nearest(lat=lat, lng=lng, place=place, occupation=occupation, limit=limit).to_dict()
