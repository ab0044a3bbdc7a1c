"""Nearest-search latency on a synthetic 100 000-course catalogue: `python -m bot.courses.bench`.

Builds the catalogue through the real CSV import in a temporary SQLite database, then times
`find_nearest` end to end (revision check, filters, haversine scan, row fetch) for place and
coordinate queries, with and without an occupation filter, and for the worst case: nothing
within reach, where the fallback scans the whole catalogue.
"""

from __future__ import annotations

import argparse
import csv
import io
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bot.courses.finder import find_nearest
from bot.courses.importer import COLUMNS, parse_catalogue
from bot.courses.occupations import get_vocabulary
from bot.courses.store import Catalogue
from bot.gazetteer import Place, all_place_names, resolve_place

TODAY = date(2026, 11, 22)


def synthetic_csv(rows: int, places: list[Place], rng: random.Random) -> bytes:
    """Courses at random counties; a third with their own coordinates, a third by adcode only,
    a third by address only, so the import exercises every gazetteer path."""
    occupations = get_vocabulary().canonical
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for n in range(rows):
        place = rng.choice(places)
        start = date(2025, 9, 1) + timedelta(days=rng.randrange(760))
        end = start + timedelta(days=rng.randrange(14, 90))
        lat = lng = adcode = ""
        if n % 3 == 0:
            lat, lng = (
                f"{place.lat + rng.uniform(-0.05, 0.05):.6f}",
                f"{place.lng + rng.uniform(-0.05, 0.05):.6f}",
            )
        if n % 3 != 2:
            adcode = place.adcode
        writer.writerow(
            [
                f"（示例）合成机构{n % 5000}",
                f"合成课程{n}",
                rng.choice(occupations),
                f"{place.full_name}合成路{n}号",
                adcode,
                lat,
                lng,
                start.isoformat(),
                end.isoformat(),
                rng.choice("是否"),
                f"0{rng.randrange(100, 999)}-0000{n % 10000:04d}",
            ]
        )
    return out.getvalue().encode("utf-8")


def percentiles_ms(samples: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, max(samples) * 1000


def timed(query: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        query()
        samples.append(time.perf_counter() - started)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.courses.bench")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300, help="per query kind")
    parser.add_argument("--seed", type=int, default=20261122)
    arguments = parser.parse_args(argv)
    rng = random.Random(arguments.seed)

    named = [(name, resolve_place(name)) for name in all_place_names()]
    places = [place for _, place in named if place is not None]
    counties = [place for place in places if place.level == "county"]
    place_names = [name for name, place in named if place is not None]
    terms = get_vocabulary().terms()

    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as directory:
        catalogue = Catalogue.from_url(f"sqlite:///{Path(directory) / 'bench.db'}")
        data = synthetic_csv(arguments.rows, counties, rng)
        started = time.perf_counter()
        records = parse_catalogue(data)
        checked = time.perf_counter()
        catalogue.write(records)
        written = time.perf_counter()
        catalogue.index()
        indexed = time.perf_counter()
        print(
            f"import {arguments.rows} rows: validate {checked - started:.1f} s, "
            f"write {written - checked:.1f} s; index build {(indexed - written) * 1000:.0f} ms"
        )

        def by_place(occupation: bool) -> Callable[[], object]:
            return lambda: find_nearest(
                place=rng.choice(place_names),
                occupation=rng.choice(terms) if occupation else None,
                today=TODAY,
                catalogue=catalogue,
            )

        def by_point(occupation: bool) -> Callable[[], object]:
            def query() -> object:
                county = rng.choice(counties)
                return find_nearest(
                    lat=county.lat + rng.uniform(-0.2, 0.2),
                    lng=county.lng + rng.uniform(-0.2, 0.2),
                    occupation=rng.choice(terms) if occupation else None,
                    today=TODAY,
                    catalogue=catalogue,
                )

            return query

        def out_of_reach() -> object:
            # Open sea east of Luzon: empty within reach, so the fallback scans the whole catalogue.
            return find_nearest(
                lat=rng.uniform(14, 16),
                lng=rng.uniform(126, 128),
                occupation=rng.choice(terms),
                today=TODAY,
                catalogue=catalogue,
            )

        kinds = {
            "place": by_place(False),
            "place + occupation": by_place(True),
            "coordinates": by_point(False),
            "coordinates + occupation": by_point(True),
            "nothing within reach": out_of_reach,
        }
        print(f"{'query':<26}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}")
        for label, query in kinds.items():
            timed(query, 10)  # warm-up
            p50, p95, worst = percentiles_ms(timed(query, arguments.queries))
            print(f"{label:<26}{p50:>8.2f}{p95:>8.2f}{worst:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
