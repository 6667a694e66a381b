"""Benchmark: `newsdesk ingest` on the 21,578 Reuters-21578 records written out as article files.

    .venv/bin/python -m bench.ingest [--records N] [--keep FILE] [--no-raw]

Prints files and words per second for a first ingest, beside the same ingest with story placement switched off
(bench.ingest_without_stories: what grouping articles into stories costs) and spaCy's own `nlp.pipe` over the same
texts with the same model on every core (the ratio is what everything but the model costs), the time of a second
(no-op) run, and the database size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.results import record
from bench.reuters import DEFAULT_DIR, load_records, write_archive

WORKERS = os.cpu_count() or 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_DIR, help="the reuters21578 folder")
    parser.add_argument("--records", type=int, default=0, help="use only the first N records (0: all)")
    parser.add_argument("--keep", type=Path, help="keep the database at this path (for bench.commands)")
    parser.add_argument("--no-raw", action="store_true", help="skip the raw nlp.pipe measurement")
    args = parser.parse_args()
    if not args.source.is_dir():
        print(f"skipped: {args.source} is not here (the Reuters-21578 development data)")
        return 0
    records = load_records(args.source)
    if args.records:
        records = records[: args.records]
    with tempfile.TemporaryDirectory() as tmp:
        folder, db = Path(tmp) / "reuters", Path(tmp) / "newsdesk.db"
        words = write_archive(records, folder)
        first, out = run_ingest(folder, db)
        second, _ = run_ingest(folder, db)
        size = sum(p.stat().st_size for p in Path(tmp).glob("newsdesk.db*"))
        if args.keep:
            shutil.copy(db, args.keep)
        plain, _ = run_ingest(folder, Path(tmp) / "plain.db", module="bench.ingest_without_stories")
        raw = None if args.no_raw else raw_pipe([rec.text() for rec in records])
    print(out.strip().splitlines()[1])
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"records: {len(records):,} files, {words:,} words")
    print(f"first ingest: {first:.1f} s = {len(records) / first:,.0f} files/s, {words / first:,.0f} words/s")
    print(f"first ingest without stories: {plain:.1f} s; with them it reaches {plain / first:.0%} of its speed")
    if raw:
        print(
            f"raw nlp.pipe, same texts, same model, {WORKERS} processes: {raw:.1f} s = {len(records) / raw:,.0f} "
            f"docs/s, {words / raw:,.0f} words/s; ingest reaches {raw / first:.0%} of it"
        )
    print(f"second ingest (nothing changed): {second:.2f} s")
    print(f"database: {size / 1e6:.1f} MB ({size / len(records) * 1000 / 1e6:.2f} MB per 1,000 articles)")
    rows = [
        ("records", f"{len(records):,} files, {words:,} words"),
        (
            "first ingest, full pipeline",
            f"{first:.0f} s: {len(records) / first:,.0f} files/s, {words / first:,.0f} words/s",
        ),
        (
            "the same without story placement (target: with it ≥ 90% of this speed)",
            f"{plain:.0f} s: with stories {plain / first:.0%}",
        ),
    ]
    if raw:
        rows += [
            (
                f"spaCy nlp.pipe alone, same texts, {WORKERS} processes",
                f"{raw:.0f} s: {len(records) / raw:,.0f} docs/s",
            ),
            ("ingest as a share of nlp.pipe (target ≥ 80%)", f"{raw / first:.0%}"),
        ]
    rows += [
        ("second ingest, nothing changed", f"{second:.1f} s"),
        ("database", f"{size / 1e6:.0f} MB, {size / len(records) * 1000 / 1e6:.2f} MB per 1,000 articles"),
    ]
    if not args.records:
        record("ingest", "Ingest of Reuters-21578", "bench.ingest", rows)
    return 0


def raw_pipe(texts: list[str]) -> float:
    """Seconds for spaCy alone to run the same model over the texts on every core (what ingest is measured against)."""
    import spacy

    from bot.config import DEFAULT_NLP_MODEL

    nlp = spacy.load(DEFAULT_NLP_MODEL)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64, n_process=WORKERS):
        pass
    return time.perf_counter() - started


def run_ingest(folder: Path, db: Path, module: str = "bot") -> tuple[float, str]:
    env = dict(os.environ, DATABASE_PATH=str(db), LOG_LEVEL="WARNING")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", module, "ingest", str(folder)], env=env, capture_output=True, text=True, check=True
    )
    return time.perf_counter() - started, result.stdout


if __name__ == "__main__":
    raise SystemExit(main())
