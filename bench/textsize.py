"""Benchmark: time and memory of the full analysis of one article against its size, for hostile kinds of text.

    .venv/bin/python -m bench.textsize [--kinds prose,quotes,...] [--sizes 10000,100000,990000] [--timeout S]

Each kind of text (ordinary prose made of varied sentences, prose full of quotes, a run of `"`, paragraph after
paragraph of "Tags:", runs of initials "A. B. C." after a headline or opening the article, one long line of prose
without a break) is made at each size and analysed as ingest
does it (parse_article, pipeline.pipe, analyze_doc, to_records) in a fresh process, which loads the model first.
Printed per size: the seconds of the analysis (model loading aside), the process's peak RSS and the time ratio
of each size to the one before (x10 in size, about x10 in time: linear). A run over the time limit or the memory
limit is stopped and shown as such. The sizes are characters of the file's text. The whole text is analysed, past
pipeline.MAX_ANALYSIS_CHARS (where ingest analyses only the first part), so that the analysis's own growth shows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

KINDS = ["prose", "quotes", "quote-run", "tags", "initials", "initials-lede", "long-line"]
SIZES = [10_000, 100_000, 990_000]
POLL = 0.1

_NAMES = [
    ("Maria Lopez", "Lopez", "the mayor of Springfield"),
    ("Brett McGurk", "McGurk", "the US special envoy"),
    ("Haider al-Abadi", "al-Abadi", "the Iraqi prime minister"),
    ("Angela Merkel", "Merkel", "the German chancellor"),
    ("John Smith", "Smith", "a spokesman for the Ministry of Health"),
    ("Aiko Tanaka", "Tanaka", "the chief executive of Tanaka Motors"),
]
_PLACES = ["Baghdad", "Berlin", "Springfield", "Tokyo", "Kirkuk", "Geneva", "Madrid", "Nairobi"]
_ORGS = ["the United Nations", "the World Bank", "the Patriotic Union of Kurdistan (PUK)", "Reuters", "the Red Cross"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "last week", "on Sept. 25", "in 2016", "on Friday morning"]


def _sentences(i: int, quotes: bool) -> list[str]:
    name, surname, role = _NAMES[i % len(_NAMES)]
    place, org, day = _PLACES[i % len(_PLACES)], _ORGS[i % len(_ORGS)], _DAYS[i % len(_DAYS)]
    n = 17 + (i * 37) % 900
    if quotes:
        return [
            f"“We will not accept {n} more days of this,” said {name}, {role}, in {place} {day}.",
            f"{surname} added: “The talks with {org} have gone on long enough, and we know it.”",
            f"“It is not over,” {surname} told reporters. “We are still waiting for an answer from {org}.”",
            f"He said the plan was “dead on arrival,” according to {name}'s office.",
        ]
    return [
        f"{name}, {role}, met officials from {org} in {place} {day} to discuss {n} new projects.",
        f"The meeting in {place} was the {n}th of its kind, and {surname} said more would follow.",
        f"Officials of {org} gave no date for the next round, but {surname} expected one within weeks.",
        f"Critics in {place} say the {n} projects cost too much and do too little for the region.",
    ]


def make_text(kind: str, size: int) -> str:
    """About `size` characters of the kind, as the full text of an article file (a headline, a blank line)."""
    head = "Officials meet again over the projects\n\n"
    parts: list[str] = []
    length = len(head)
    i = 0
    if kind in ("prose", "quotes", "long-line"):
        sep = " " if kind == "long-line" else "\n\n"
        while length < size:
            paragraph = " ".join(_sentences(i, quotes=kind == "quotes"))
            parts.append(paragraph)
            length += len(paragraph) + len(sep)
            i += 1
        body = sep.join(parts)
    elif kind == "quote-run":
        body = "He said it all.\n\n" + '"' * (size - len(head) - 17)
    elif kind == "tags":  # paragraph after paragraph of "Tags: …", then one more of the story
        last = "\n\nThis is the last paragraph of the story, and it has more words than a tag line has."
        length += len(last)
        while length < size:
            tag = f"Tags: {_PLACES[i % len(_PLACES)]} {i}"
            parts.append(tag)
            length += len(tag) + 2
            i += 1
        body = "Maria Lopez met officials in Baghdad on Monday.\n\n" + "\n\n".join(parts) + last
    elif kind in ("initials", "initials-lede"):  # "-lede": no headline, so the initials open the article
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        while length < size:
            parts.append(f"{letters[i % 26]}.")
            length += 3
            i += 1
        if kind == "initials-lede":
            return " ".join(parts)[:size]
        body = "Maria Lopez met officials in Baghdad on Monday.\n\n" + " ".join(parts)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    return (head + body)[:size]


def child(kind: str, size: int) -> None:
    """Run in the fresh process: analyse one text as ingest does, print the figures as JSON."""
    import resource

    from bot.articles import parse_article
    from bot.nlp import pipeline
    from bot.nlp.analysis import analyze_doc, hints_for, to_records

    pipeline.load(pipeline.DEFAULT_MODEL)
    next(pipeline.pipe(["A warm-up sentence, said John Smith."]))
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    text = make_text(kind, size)
    started = time.perf_counter()
    article = parse_article(text)
    parsed = time.perf_counter() - started
    doc = next(pipeline.pipe([article.body]))
    records = to_records(analyze_doc(article.body, doc, hints_for(article), None), None)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures = {
        "chars": len(text),
        "body": len(article.body),
        "parse": parsed,
        "seconds": seconds,
        "loaded_kb": loaded,
        "peak_kb": peak,
        "sentences": len(records.sentences) if records else None,
        "actors": len(records.actors) if records else None,
        "quotes": len(records.quotes) if records else None,
    }
    print(json.dumps(figures))


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(kind: str, size: int, timeout: float, max_mb: int) -> dict:
    cmd = [sys.executable, "-m", "bench.textsize", "--child", kind, str(size)]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, stopped = 0, None
    while proc.poll() is None:
        peak = max(peak, _rss_kb(proc.pid))
        elapsed = time.perf_counter() - started
        if elapsed > timeout:
            stopped = f">{timeout:.0f} s"
        elif peak > max_mb * 1024:
            stopped = f">{max_mb} MB"
        if stopped:
            proc.kill()
            proc.wait()
            return {"stopped": stopped, "seconds": elapsed, "peak_kb": peak}
        time.sleep(POLL)
    out, err = proc.communicate()
    if proc.returncode != 0:
        return {"stopped": f"failed ({err.strip().splitlines()[-1] if err.strip() else proc.returncode})"}
    return json.loads(out.strip().splitlines()[-1])


def label(size: int) -> str:
    return f"{size / 1e6:.0f}MB" if size >= 900_000 else f"{size / 1e3:.0f}KB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, of {', '.join(KINDS)}")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated characters")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before a run is stopped")
    parser.add_argument("--max-mb", type=int, default=3000, help="peak RSS before a run is stopped")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return 0
    kinds = args.kinds.split(",")
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"full analysis of one article (parse_article, pipe, analyze_doc, to_records), one core, pid {os.getpid()}")
    print(f"{'kind':<13} {'size':>6} {'seconds':>9} {'peak RSS':>9} {'model':>7} {'x time':>7}  notes")
    for kind in kinds:
        previous = None
        for size in sizes:
            if previous is not None and "stopped" in previous:
                print(f"{kind:<13} {label(size):>6} {'skipped':>9}  (the smaller size was stopped)")
                continue
            r = measure(kind, size, args.timeout, args.max_mb)
            peak = f"{r.get('peak_kb', 0) / 1024:,.0f} MB"
            model = f"{r['loaded_kb'] / 1024:,.0f}" if "loaded_kb" in r else ""
            if "stopped" in r:
                print(f"{kind:<13} {label(size):>6} {'stopped':>9} {peak:>9} {model:>7} {'':>7}  {r['stopped']}")
            else:
                ratio = f"x{r['seconds'] / previous['seconds']:.1f}" if previous and previous["seconds"] else ""
                notes = f"body {r['body']:,} chars, parse {r['parse']:.2f} s"
                if r["sentences"] is not None:
                    notes += f", {r['sentences']:,} sentences, {r['actors']:,} actors, {r['quotes']:,} quotes"
                else:
                    notes += ", not analysed (too long)"
                print(f"{kind:<13} {label(size):>6} {r['seconds']:>8.2f}s {peak:>9} {model:>7} {ratio:>7}  {notes}")
            sys.stdout.flush()
            previous = r
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
