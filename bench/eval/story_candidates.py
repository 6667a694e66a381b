"""Candidate "same story" pairs from Reuters-21578 (../shared/eval/reuters21578), for hand labelling.

    .venv/bin/python -m bench.eval.story_candidates [--show] [--start N] [--count N]

How pairs are drawn (seeded, so every run prints the same pairs; independent of any clustering):
- articles: records with a title and a body of at least 40 words;
- candidates: two articles dated at most 5 days apart whose bodies' TF-IDF cosine (lowercased words, English stop
  words removed) is >= 0.12, or which share a capitalised name word (not sentence-initial, not a stop word) found
  in fewer than 40 articles; near-identical pairs (cosine >= 0.85) are left out;
- sample: about 300 pairs, stratified over the cosine bins below (equal numbers per bin, bins filled in turn),
  with no article in more than 2 sampled pairs.
It prints `newid_a newid_b cosine` per pair; --show adds both titles, dates and the first ~90 words of each body.
The labels are in bench/eval/data/story_pairs.tsv (ids and labels only; no corpus text is stored).
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter, defaultdict
from datetime import date

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from bench.eval.common import EVAL_DIR
from bench.reuters import load_records

SEED = 21578
MIN_WORDS = 40
MAX_DAYS = 5
MIN_COSINE = 0.12
MAX_COSINE = 0.85
RARE_NAME = 40  # a shared name counts when fewer than this many articles have it
BINS = [(0.0, 0.15), (0.15, 0.25), (0.25, 0.35), (0.35, 0.5), (0.5, 0.85)]
SAMPLE = 300
MAX_PER_ARTICLE = 2
SHOW_WORDS = 90

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


def names(body: str) -> set[str]:
    """Capitalised words that do not open a sentence and are not stop words."""
    found = set()
    for m in _WORD.finditer(body):
        word = m.group()
        before = body[: m.start()].rstrip()
        if (
            word[0].isupper()
            and len(word) > 2
            and before
            and before[-1] not in '.!?"'
            and word.lower() not in ENGLISH_STOP_WORDS
        ):
            found.add(word)
    return found


def candidates(recs):
    """{(i, j): cosine} over indexes into recs, i < j."""
    tfidf = TfidfVectorizer(lowercase=True, stop_words="english", token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z]+\b")
    matrix = tfidf.fit_transform(r.body for r in recs)  # rows are L2-normalised
    days = [date.fromisoformat(r.date).toordinal() for r in recs]
    by_day = defaultdict(list)
    for i, d in enumerate(days):
        by_day[d].append(i)

    def cosine(i, j):
        return float(matrix[i].multiply(matrix[j]).sum())

    pairs = {}
    for d, rows in by_day.items():  # rows of one day against columns of that day and the next MAX_DAYS days
        cols = [j for k in range(MAX_DAYS + 1) for j in by_day.get(d + k, [])]
        block = (matrix[rows] @ matrix[cols].T).tocoo()
        for r, c, v in zip(block.row, block.col, block.data, strict=True):
            i, j = rows[r], cols[c]
            if v >= MIN_COSINE and (days[j] > d or j > i):
                pairs[min(i, j), max(i, j)] = float(v)

    holders = defaultdict(list)
    for i, r in enumerate(recs):
        for name in names(r.body):
            holders[name].append(i)
    for members in holders.values():
        if len(members) < RARE_NAME:
            for a in members:
                for b in members:
                    if a < b and abs(days[a] - days[b]) <= MAX_DAYS and (a, b) not in pairs:
                        pairs[a, b] = cosine(a, b)
    return {p: v for p, v in pairs.items() if v < MAX_COSINE}


def sample(pairs, recs):
    rng = random.Random(SEED)
    pools = []
    for lo, hi in BINS:
        pool = sorted(p for p, v in pairs.items() if lo <= v < hi)
        rng.shuffle(pool)
        pools.append(pool)
    used, chosen, target = Counter(), [[] for _ in BINS], SAMPLE // len(BINS)
    while any(len(c) < target and pool for c, pool in zip(chosen, pools, strict=True)):
        for c, pool in zip(chosen, pools, strict=True):  # bins in turn, so no bin eats the articles of another
            while len(c) < target and pool:
                i, j = pool.pop()
                if used[i] < MAX_PER_ARTICLE and used[j] < MAX_PER_ARTICLE:
                    used[i] += 1
                    used[j] += 1
                    c.append((i, j))
                    break
    out = [(recs[i], recs[j], pairs[i, j]) for c in chosen for i, j in c]
    return sorted(out, key=lambda t: (t[0].newid, t[1].newid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print titles, dates and the start of each body")
    parser.add_argument("--start", type=int, default=0, help="first pair to print (0-based)")
    parser.add_argument("--count", type=int, default=None, help="number of pairs to print")
    args = parser.parse_args()

    recs = [
        r for r in load_records(EVAL_DIR / "reuters21578") if r.title and r.date and len(r.body.split()) >= MIN_WORDS
    ]
    chosen = sample(candidates(recs), recs)
    end = None if args.count is None else args.start + args.count
    for n, (a, b, v) in enumerate(chosen[args.start : end], start=args.start):
        print(f"{a.newid}\t{b.newid}\t{v:.3f}")
        if args.show:
            for r in (a, b):
                print(f"  [{r.newid}] {r.date} {r.title}")
                print("   ", " ".join(r.body.split()[:SHOW_WORDS]))
            print(f"  (pair {n})\n")


if __name__ == "__main__":
    main()
