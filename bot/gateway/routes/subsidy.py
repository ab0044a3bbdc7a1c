"""POST /api/subsidy/estimate: the subsidy calculator, with the clause behind every yuan."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from bot.gateway.schemas import EstimateResponse
from bot.subsidy import SubsidyProfile, estimate

router = APIRouter(prefix="/api/subsidy", tags=["subsidy"])


@router.post("/estimate", response_model=EstimateResponse)
def estimate_subsidy(profile: SubsidyProfile) -> dict[str, Any]:
    """Every field is optional; Chinese values with common synonyms are accepted (叉车证, 农民工, 彭阳 …)."""
    return estimate(profile).to_dict()
