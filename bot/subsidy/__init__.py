"""Subsidy calculator: rules from `knowledge/subsidy_rules/`, answers with the clause behind every yuan.

A plain service (no Rasa imports) used by the action server and the gateway.
"""

from bot.subsidy.assess import Item
from bot.subsidy.engine import (
    Estimate,
    ambiguous_certificates,
    estimate,
    field_values,
    known_certificates,
    question_order,
)
from bot.subsidy.normalize import ProfileError, SubsidyProfile
from bot.subsidy.rules import Basis, RuleBook, RuleDataError, get_rulebook, load_rulebook

__all__ = [
    "Basis",
    "Estimate",
    "Item",
    "ProfileError",
    "RuleBook",
    "RuleDataError",
    "SubsidyProfile",
    "ambiguous_certificates",
    "estimate",
    "field_values",
    "get_rulebook",
    "known_certificates",
    "load_rulebook",
    "question_order",
]
