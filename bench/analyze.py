"""Benchmark: documents per second of `newsdesk analyze` on Reuters-21578 records, beside spaCy alone.

    .venv/bin/python -m bench.analyze [--records N]

Both run in one process on one core: the gap between them is what the rules of the pipeline cost.
"""

from __future__ import annotations

import argparse
import io
import json
import time

import spacy

from bench.reuters import DEFAULT_DIR, load_records
from bot import analyze
from bot.nlp.pipeline import DEFAULT_MODEL


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    if not DEFAULT_DIR.is_dir():
        print(f"skipped: {DEFAULT_DIR} is not here (the Reuters-21578 development data)")
        return 0
    texts = [r.text() for r in load_records()[: args.records] if r.text().strip()]
    words = sum(len(t.split()) for t in texts)
    lines = [json.dumps({"id": i, "text": t, "published": None}) for i, t in enumerate(texts)]
    analyze.run(lines[:10], io.StringIO())  # load the model outside the timings

    started = time.perf_counter()
    for _ in spacy.load(DEFAULT_MODEL).pipe(texts, batch_size=64):
        pass
    raw = time.perf_counter() - started

    started = time.perf_counter()
    analyze.run(lines, io.StringIO())
    ours = time.perf_counter() - started
    print(f"{len(texts):,} Reuters-21578 documents, {words:,} words, one core")
    print(f"spaCy nlp.pipe alone: {len(texts) / raw:,.0f} docs/s, {words / raw:,.0f} words/s")
    share = raw / ours
    print(f"newsdesk analyze:     {len(texts) / ours:,.0f} docs/s, {words / ours:,.0f} words/s ({share:.0%} of spaCy)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
