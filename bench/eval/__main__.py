"""`python -m bench.eval [TASK …]`: print quality figures on the development data (all tasks by default)."""

from __future__ import annotations

import sys
import time

from bench.eval import (
    conll,
    neardups,
    polnear,
    sentences,
    stories,
    summaries,
    tempeval,
    timelines,
    topic_summaries,
    wikigold,
)
from bench.eval.common import Missing

TASKS = {
    "sentences": sentences.main,
    "conll": conll.main,
    "wikigold": wikigold.main,
    "quotes": polnear.main,
    "timex": tempeval.main,
    "summaries": summaries.main,
    "timelines": timelines.main,
    "topic-summaries": topic_summaries.main,
    "neardups": neardups.main,
    "stories": stories.main,
}


def main(argv: list[str]) -> int:
    names = argv or list(TASKS)
    unknown = [n for n in names if n not in TASKS]
    if unknown:
        print(f"unknown task(s): {', '.join(unknown)}; choose from {', '.join(TASKS)}")
        return 2
    for name in names:
        started = time.perf_counter()
        try:
            TASKS[name]()
        except Missing as exc:
            print(exc)
        print(f"({name}: {time.perf_counter() - started:.1f} s)\n")
    return 0


raise SystemExit(main(sys.argv[1:]))
