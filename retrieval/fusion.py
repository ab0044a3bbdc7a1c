"""Reciprocal rank fusion of several rankings, with optional per-item score multipliers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RRF_K = 60  # the constant from Cormack et al. (2009); larger flattens the weight of top ranks


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[int]],
    weights: Sequence[float] | None = None,
    k: int = RRF_K,
) -> dict[int, float]:
    """score(item) = Σ weight / (k + rank), rank starting at 1; items absent from a ranking get nothing from it."""
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused


def apply_boosts(scores: Mapping[int, float], boosts: Mapping[int, float]) -> dict[int, float]:
    """Multiply each score by (1 + boost); a boost reorders, it never removes an item."""
    return {item: score * (1.0 + boosts.get(item, 0.0)) for item, score in scores.items()}


def top_items(scores: Mapping[int, float], n: int) -> list[int]:
    return sorted(scores, key=lambda item: (-scores[item], item))[:n]
