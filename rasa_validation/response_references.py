"""The response names the custom actions use, read from the source text of actions/*.py (importing the
actions needs rasa-sdk and the `bot` package, which the Rasa environment lacks): every string literal
that is a whole response name. A name built at run time (`f"utter_invalid_{field}"`) is invisible here,
so the actions spell such names out (ASK_AGAIN_RESPONSES in actions/subsidy.py, TITLE_RESPONSES in
actions/fallback.py); a response they send without naming it is reported unused."""

from __future__ import annotations

import ast
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

# A whole name ends in a letter or digit; "utter_ask_" is a prefix (names are matched by it), not a name.
RESPONSE_NAME = re.compile(r"utter_[a-z0-9_]*[a-z0-9]")
# Rasa's own keys spelled like a response: a bot event's metadata names its response under utter_action.
RASA_KEYS = frozenset({"utter_action"})


@dataclass(frozen=True)
class ResponseReference:
    name: str
    path: Path
    line: int


def _literals(tree: ast.AST) -> list[ast.Constant]:
    """String constants, except the literal parts of f-strings (f"utter_invalid_{field}" is no name)."""
    fstring_parts = {
        id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values
    }
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in fstring_parts
    ]


def response_references(source_dir: Path) -> list[ResponseReference]:
    """Every response name in `source_dir/*.py`, by file and line."""
    references = []
    for path in sorted(source_dir.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found = [
            ResponseReference(node.value, path, node.lineno)
            for node in _literals(tree)
            if RESPONSE_NAME.fullmatch(node.value) and node.value not in RASA_KEYS
        ]
        references += sorted(found, key=lambda reference: reference.line)
    return references


def undefined_responses(
    references: list[ResponseReference], defined: Collection[str]
) -> list[ResponseReference]:
    """The references to a response the domain does not define (a typo, or a response removed)."""
    return [reference for reference in references if reference.name not in defined]
