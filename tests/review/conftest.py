"""A small tracker store per test, written with the seed generator's pieces (real Rasa event shapes),
and the project database beside it."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from bot.review.seed import Generator, Writer, store_rows

START = 1_796_000_000.0  # 2026-11-30 UTC


@dataclass
class Stores:
    tracker_url: str
    database_url: str
    generator: Generator
    clock: float = START

    def write(
        self, sender: str, *steps: Callable[[Writer], None], meta: dict[str, str] | None = None
    ) -> None:
        """A conversation from its session start through the given steps (Generator methods)."""
        writer = Writer(sender, self.clock, meta or {"channel": "h5"})
        self.generator.session_start(writer)
        for step in steps:
            step(writer)
        self.append(writer)

    def append(self, writer: Writer) -> None:
        store_rows(sa.create_engine(self.tracker_url), writer.rows)
        self.clock = max(self.clock, writer.clock) + 1
        writer.rows = []

    def user_events(self) -> int:
        with sa.create_engine(self.tracker_url).connect() as connection:
            return connection.scalar(sa.text("select count(*) from events where type_name = 'user'"))


@pytest.fixture
def stores(tmp_path) -> Stores:
    generator = Generator(random.Random(5), phone_share=0.0)
    return Stores(
        f"sqlite:///{tmp_path / 'trackers.db'}", f"sqlite:///{tmp_path / 'assistant.db'}", generator
    )
