"""Intake tests work on a temporary copy of knowledge/; an index, where one is needed, is built with a
tiny deterministic embedder instead of the model."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

import retrieval.index as index_module
import retrieval.search as search_module
from bot.knowledge.cli import main
from bot.settings import ROOT, Settings, get_settings
from retrieval.index import ensure_built
from retrieval.search import get_retriever

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
    """knowledge/ with the five seed documents only (policies, glossary, topics, plain summaries, rule
    sources)."""
    target = tmp_path / "knowledge"
    (target / "policies").mkdir(parents=True)
    for doc_id in SEED_DOCUMENTS:
        shutil.copy(KNOWLEDGE_DIR / "policies" / f"{doc_id}.md", target / "policies")
    shutil.copy(KNOWLEDGE_DIR / "glossary.yml", target)
    shutil.copy(KNOWLEDGE_DIR / "topics.yml", target)
    (target / "plain").mkdir()
    for doc_id in SEED_DOCUMENTS:
        shutil.copy(KNOWLEDGE_DIR / "plain" / f"{doc_id}.yml", target / "plain")
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
            args if index or args[0] in ("list", "show", "check", "summaries") else [*args, "--no-index"],
            settings,
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


class HashEmbedder:
    """Stands in for the embedding model: a text's vector is its SHA-256, so ranks are stable but not
    semantic (BM25 carries the meaning in these tests). Records the texts it embeds."""

    model_path = "hash"
    dimension = 8

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: list[str], **_: object) -> np.ndarray:
        self.encoded += texts
        vectors = np.array(
            [np.frombuffer(hashlib.sha256(t.encode()).digest()[:8], dtype=np.uint8) for t in texts],
            dtype=np.float32,
        ).reshape(-1, self.dimension)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def embedder(monkeypatch: pytest.MonkeyPatch) -> HashEmbedder:
    fake = HashEmbedder()
    monkeypatch.setattr(index_module, "get_embedder", lambda model: fake)
    monkeypatch.setattr(index_module, "resolve_model_path", lambda model: "hash")
    monkeypatch.setattr(search_module, "get_embedder", lambda model: fake)
    return fake


@pytest.fixture
def live(knowledge_copy: Path, tmp_path: Path, embedder: HashEmbedder, monkeypatch) -> Iterator[Settings]:  # noqa: ANN001
    """The process's settings point at the copy of the base, with an index built; get_retriever starts
    afresh (and follows the index on disk, as in a running gateway or action server). The answer layer
    also reads the subsidy rules and the course vocabulary from there."""
    for name in ("subsidy_rules", "courses"):
        shutil.copytree(KNOWLEDGE_DIR / name, knowledge_copy / name, dirs_exist_ok=True)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(knowledge_copy))
    monkeypatch.setenv("INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("EMBEDDING_MODEL", "hash-test")
    get_settings.cache_clear()
    get_retriever.cache_clear()
    ensure_built(get_settings(), progress=lambda _: None)
    yield get_settings()
    get_settings.cache_clear()
    get_retriever.cache_clear()
