"""Intake tests work on a temporary copy of knowledge/ and never build the embedding index."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.knowledge.cli import main
from bot.settings import ROOT, Settings

KNOWLEDGE_DIR = ROOT / "knowledge"
SOURCES = Path(__file__).parent / "sources"
SEED_DOCUMENTS = (
    "guangdong-2025-skills",
    "guizhou-2025-3",
    "hunan-2023-15",
    "hunan-2026-17",
    "pengyang-2026",
)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """knowledge/ with the five seed documents only (policies, glossary, plain summaries, rule sources)."""
    target = tmp_path / "knowledge"
    (target / "policies").mkdir(parents=True)
    for doc_id in SEED_DOCUMENTS:
        shutil.copy(KNOWLEDGE_DIR / "policies" / f"{doc_id}.md", target / "policies")
    shutil.copy(KNOWLEDGE_DIR / "glossary.yml", target)
    shutil.copytree(KNOWLEDGE_DIR / "plain", target / "plain")
    (target / "subsidy_rules").mkdir()
    shutil.copy(KNOWLEDGE_DIR / "subsidy_rules" / "sources.yml", target / "subsidy_rules")
    return target


@pytest.fixture
def settings(knowledge_copy: Path, tmp_path: Path) -> Settings:
    return Settings(knowledge_dir=knowledge_copy, index_dir=tmp_path / "index")


@pytest.fixture
def run(settings: Settings, capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """`python -m bot knowledge …` on the copy, without the index rebuild: (exit code, stdout, stderr)."""

    def run_cli(*argv: str | Path, index: bool = False) -> tuple[int, str, str]:
        args = [str(a) for a in argv]
        code = main(
            args if index or args[0] in ("list", "show", "check") else [*args, "--no-index"], settings
        )
        out, err = capsys.readouterr()
        return code, out, err

    return run_cli


def tree_digest(directory: Path) -> str:
    """Names and contents of every file under directory: equal digests mean nothing changed."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
