"""The answer layer sits below its channels: the rasa-sdk actions and the assist pane import bot/answers,
never the other way round, and nothing the answer layer builds on imports a channel (docs/STRUCTURE.md).
Every import counts, also one inside a function."""

import ast
from pathlib import Path

import pytest

from bot.settings import ROOT

CHANNELS = ("actions", "bot.assist", "bot.gateway", "rasa_sdk", "rasa")
ANSWERS = "bot/answers"
BELOW = ("retrieval", "bot/subsidy", "bot/courses", "bot/gazetteer.py", "bot/textnorm.py", "bot/settings.py")


def modules_imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def python_files(*places: str) -> list[Path]:
    found = []
    for place in places:
        path = ROOT / place
        found += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return found


def channel_imports(path: Path) -> list[str]:
    return sorted(
        name
        for name in modules_imported(path)
        if any(name == c or name.startswith(c + ".") for c in CHANNELS)
    )


@pytest.mark.parametrize("path", python_files(ANSWERS, *BELOW), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_channel_is_imported_from_the_answer_layer_or_below(path):
    assert channel_imports(path) == []


def test_the_channels_decide_through_the_answer_layer():
    """The chat's course and subsidy actions and the pane's reply take their decisions from bot/answers."""
    for adapter in ("actions/courses.py", "actions/subsidy.py", "bot/assist/reply.py"):
        imported = modules_imported(ROOT / adapter)
        assert {"bot.answers.courses", "bot.answers.subsidy"} & imported, adapter


def test_the_check_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from actions.courses import shared_location\n", encoding="utf-8")
    assert channel_imports(module) == ["actions.courses"]
