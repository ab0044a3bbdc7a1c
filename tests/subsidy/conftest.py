from pathlib import Path

import pytest

from bot.subsidy import RuleBook, load_rulebook


@pytest.fixture(scope="session")
def knowledge_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture(scope="session")
def book(knowledge_dir: Path) -> RuleBook:
    return load_rulebook(knowledge_dir / "subsidy_rules")
