"""Make a bigger archive for the benchmarks: a copy of an ingested database with every article repeated.

    PYTHONPATH=. .venv/bin/python -m bench.scale SOURCE.db TARGET.db --copies 9

Each copy has new ids and its dates shifted by one more year, and carries its sentences, mentions, roles, quotes
and events (see bot/archive/replicate.py). 21,351 Reuters articles with 9 copies make 213,510.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import time
from pathlib import Path

from bot.archive import Archive
from bot.archive.replicate import replicate


async def checkpoint(db: Path) -> None:
    async with await Archive.open(db):
        pass  # opening migrates; closing checkpoints the WAL into the file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--copies", type=int, default=9)
    args = parser.parse_args()
    asyncio.run(checkpoint(args.source))
    shutil.copy(args.source, args.target)
    started = time.perf_counter()
    total = replicate(args.target, args.copies)
    asyncio.run(checkpoint(args.target))
    size = args.target.stat().st_size
    print(f"{args.target}: {total:,} articles, {size / 1e6:.0f} MB ({size / total * 1000 / 1e6:.2f} MB per 1,000 "
          f"articles), made in {time.perf_counter() - started:.0f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
