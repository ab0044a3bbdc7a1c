"""How soon the running assistant answers from a document after `python -m bot knowledge add` returns:
`python -m bot.knowledge.reload_bench [--runs 3] [--model models/model-….tar.gz]`.

Starts the stack (action server, Rasa, gateway) on free ports with a copy of knowledge/ without
tj-2022-20, then per run adds tj-2022-20 with the real command in a subprocess and, from the moment it
returns, asks every 0.1 s — the gateway (POST /api/retrieve) and, through Rasa, the action server
(POST /api/chat) — a question only that document answers, until each answers from it. It reports that
time, and the time since the new index was swapped in (the manifest's mtime), which the command's own
exit follows. Then it deletes the file and re-indexes (`python -m bot index ensure`; `knowledge remove`
refuses, the calculator's rules name the document) and times the same until neither answers from it.
The processes keep running throughout: nothing is restarted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from bot.settings import ROOT, Settings

DOC_ID = "tj-2022-20"
SOURCE = ROOT / "tests" / "knowledge" / "sources" / f"{DOC_ID}.txt"
ADD = ["knowledge", "add", str(SOURCE), "--issuer", "天津市人力资源和社会保障局", "--yes"]
QUESTION = "天津名师带徒每名师傅同期最多带几名学徒"
PLACE = "天津"
POLL_SECONDS = 0.1
GIVE_UP_SECONDS = 120


def _bot(settings: Settings, *argv: str) -> float:
    """Runs `python -m bot …` against the copy; the seconds it took."""
    env = {
        **os.environ,
        "KNOWLEDGE_DIR": str(settings.knowledge_dir),
        "INDEX_DIR": str(settings.index_dir),
        "EMBEDDING_MODEL": settings.embedding_model,
    }
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", *argv], cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def _from_document(client: httpx.Client) -> dict[str, Callable[[], bool]]:
    """Per process, whether its answer now comes from the document."""

    def gateway() -> bool:
        body = client.post("/api/retrieve", json={"query": QUESTION, "region": PLACE, "top_k": 1}).json()
        return bool(body["passages"]) and body["passages"][0]["doc_id"] == DOC_ID

    def actions() -> bool:
        turn = {
            "sender_id": f"reload-{uuid.uuid4().hex[:12]}",
            "message": QUESTION,
            "metadata": {"region": PLACE},
        }
        body = client.post("/api/chat", json=turn).json()
        return any(c["doc_id"] == DOC_ID for c in body.get("citations", []))

    return {"gateway": gateway, "actions": actions}


def _time_until(checks: dict[str, Callable[[], bool]], wanted: bool) -> dict[str, float]:
    """Wall-clock time at which each check first gives `wanted`, polled in parallel from now."""
    started = time.time()
    answered: dict[str, float] = {}

    def poll(name: str, check: Callable[[], bool]) -> None:
        while time.time() - started < GIVE_UP_SECONDS:
            if check() is wanted:
                answered[name] = time.time()
                return
            time.sleep(POLL_SECONDS)
        answered[name] = float("nan")

    threads = [threading.Thread(target=poll, args=item) for item in checks.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answered


def _report(what: str, command: float, returned: float, swapped: float, answered: dict[str, float]) -> str:
    times = "; ".join(
        f"{name} {at - returned:.2f} s after it returned, {at - swapped:.2f} s after the index swap"
        for name, at in answered.items()
    )
    return f"{what} ({command:.1f} s): {times}"


def _knowledge_copy(target: Path) -> Path:
    shutil.copytree(ROOT / "knowledge", target)
    (target / "policies" / f"{DOC_ID}.md").unlink()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--model", type=Path, help="Rasa model; default: the one of the current training data"
    )
    args = parser.parse_args()

    from bot import rasa_model
    from bot.stack import Stack, isolated_settings
    from retrieval.index import ensure_built

    with tempfile.TemporaryDirectory(prefix="reload-bench-") as tmp:
        root = Path(tmp)
        settings = isolated_settings(
            root,
            knowledge_dir=_knowledge_copy(root / "knowledge"),
            index_dir=root / "index",
            rate_limit_ip_per_minute=0,
            rate_limit_sender_per_minute=0,
        )
        if (ROOT / "var" / "index").is_dir():  # its embeddings are reused: only changed texts are embedded
            shutil.copytree(ROOT / "var" / "index", settings.index_dir)
        ensure_built(settings, progress=lambda line: print(f"  {line}", flush=True))
        with (
            Stack(settings, args.model or rasa_model.train(force=False)),
            httpx.Client(base_url=settings.public_base_url, timeout=60) as client,
        ):
            checks = _from_document(client)
            assert not any(check() for check in checks.values()), (
                "answered from the document before adding it"
            )
            manifest = settings.index_dir / "manifest.json"
            for run in range(1, args.runs + 1):
                command = _bot(settings, *ADD)
                returned = time.time()
                added = _time_until(checks, True)
                print(
                    f"run {run}: "
                    + _report("knowledge add", command, returned, manifest.stat().st_mtime, added)
                )
                (settings.knowledge_dir / "policies" / f"{DOC_ID}.md").unlink()
                command = _bot(settings, "index", "ensure")
                returned = time.time()
                removed = _time_until(checks, False)
                print(
                    f"run {run}: "
                    + _report("deleted, index ensure", command, returned, manifest.stat().st_mtime, removed),
                    flush=True,
                )


if __name__ == "__main__":
    main()
