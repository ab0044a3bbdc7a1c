"""PostgreSQL and Redis from the Debian packages, each started in a temporary directory on a free
loopback port and stopped afterwards. Missing binaries fail loudly: `make setup` installs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.stack import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REDIS_SERVER = "redis-server"


def require_binaries() -> None:
    missing = [str(p) for p in (PG_BIN / "initdb", PG_BIN / "pg_ctl") if not p.exists()]
    if shutil.which(REDIS_SERVER) is None:
        missing.append(REDIS_SERVER)
    if missing:
        pytest.fail(
            f"Debian packages postgresql and redis-server are needed (missing: {', '.join(missing)}); "
            "run `make setup`",
            pytrace=False,
        )


def _as_postgres_user(argv: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; the Debian package creates the postgres user.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{result.stdout}{result.stderr}")


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway cluster; yields the URL of its `postgres` database for user `rasa`."""
    # Directly under /tmp: pytest's tmp_path is private to root, and the server runs as postgres.
    workdir = Path(tempfile.mkdtemp(prefix="reliability-pg-"))
    if os.geteuid() == 0:
        shutil.chown(workdir, "postgres")
    data, log = workdir / "data", workdir / "postgres.log"
    port = free_port()
    _run(
        _as_postgres_user(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                "rasa",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-locale",
            ]
        )
    )
    options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
    _run(
        _as_postgres_user(
            [str(PG_BIN / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"]
        )
    )
    try:
        yield f"postgresql://rasa@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def redis(workdir: Path) -> Iterator[int]:
    """A Redis server without persistence; yields its port."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"redis-server on port {port} did not start")
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
