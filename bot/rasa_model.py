"""Rasa model lifecycle: a model is named after the content hash of what it was trained from,
so `make run` retrains only when config.yml, domain.yml, nlu_data/, the jieba dictionary, the entity
patterns or the custom components changed."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from bot.settings import ROOT

# var/entities holds the EntityRuler patterns rasa_addons/glossary_entities.py reads (bot lexicon).
TRAINING_INPUTS = ("config.yml", "domain.yml", "nlu_data", "var/jieba", "var/entities", "rasa_addons")
MODELS_DIR = ROOT / "models"
# Where every Rasa command finds the project's pipeline, domain and training data.
PROJECT_ARGS = ("--config", "config.yml", "--domain", "domain.yml", "--data", "nlu_data")
RASA_BIN = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_PYTHON = RASA_BIN.with_name("python")


def _is_cache(path: Path) -> bool:
    """Bytecode Python writes next to rasa_addons/ when Rasa imports it: not an input."""
    return "__pycache__" in path.parts or path.suffix == ".pyc"


def training_fingerprint(root: Path = ROOT) -> str:
    """SHA-256 over the relative paths and bytes of every training input, in a stable order."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = (
            sorted(p for p in path.rglob("*") if p.is_file() and not _is_cache(p))
            if path.is_dir()
            else [path]
        )
        for file in files:
            if file.exists():
                digest.update(str(file.relative_to(root)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def model_path(fingerprint: str, models_dir: Path = MODELS_DIR) -> Path:
    return models_dir / f"model-{fingerprint}.tar.gz"


def current_model() -> Path | None:
    """The model trained from the current inputs, or None when it must be (re)trained."""
    path = model_path(training_fingerprint())
    return path if path.exists() else None


def rasa_env() -> dict[str, str]:
    """Environment for every Rasa subprocess: no telemetry, quiet TensorFlow, project importable."""
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        PYTHONPATH=str(ROOT),
    )
    return env


def train(force: bool = True) -> Path:
    """Train a model from the current inputs unless one already exists (or `force`)."""
    fingerprint = training_fingerprint()
    target = model_path(fingerprint)
    if target.exists() and not force:
        print(f"模型已是最新：{target.relative_to(ROOT)}")
        return target
    MODELS_DIR.mkdir(exist_ok=True)
    (ROOT / "var" / "jieba").mkdir(parents=True, exist_ok=True)
    print(f"训练 Rasa 模型 → {target.relative_to(ROOT)}", flush=True)
    subprocess.run(
        [
            str(RASA_BIN),
            "train",
            *PROJECT_ARGS,
            "--out",
            str(MODELS_DIR),
            "--fixed-model-name",
            target.name.removesuffix(".tar.gz"),
            # Rasa's training cache keys a component on its config and training data, not on the files
            # it reads: a changed jieba dictionary alone would come back from the cache, stale. This
            # runs only when the project's own fingerprint (which covers those files) has changed.
            "--force",
        ],
        cwd=ROOT,
        env=rasa_env(),
        check=True,
    )
    for stale in MODELS_DIR.glob("model-*.tar.gz"):
        if stale != target:
            stale.unlink()
    return target
