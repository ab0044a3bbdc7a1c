"""The real index (real corpus, real embedding model) is built once per session into a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ROOT, Settings
from retrieval.corpus import Corpus, load_corpus
from retrieval.index import build
from retrieval.search import Retriever, create_retriever

KNOWLEDGE_DIR = ROOT / "knowledge"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    settings = Settings(knowledge_dir=KNOWLEDGE_DIR, index_dir=tmp_path_factory.mktemp("index") / "index")
    build(settings, progress=lambda _: None)
    return settings


@pytest.fixture(scope="session")
def retriever(real_settings: Settings) -> Retriever:
    return create_retriever(real_settings, rebuild_if_needed=False)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of knowledge/ (policies and glossary) for tests that change the corpus."""
    target = tmp_path / "knowledge"
    (target / "policies").mkdir(parents=True)
    for path in (KNOWLEDGE_DIR / "policies").glob("*.md"):
        (target / "policies" / path.name).write_bytes(path.read_bytes())
    (target / "glossary.yml").write_bytes((KNOWLEDGE_DIR / "glossary.yml").read_bytes())
    return target
