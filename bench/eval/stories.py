"""Stories (bot/nlp/stories.py, placed by bot/archive/writer.py) on Reuters-21578, against hand-labelled pairs.

    .venv/bin/python -m bench.eval stories             # ingests Reuters-21578 first (about 5 minutes)
    NEWSDESK_STORIES_DB=FILE .venv/bin/python -m bench.eval stories     # a kept `bench.ingest --keep FILE`
    .venv/bin/python -m bench.eval.stories --sample 10 # ten stories picked at random, to read
    .venv/bin/python -m bench.eval.stories --predicted # pairs to label: drawn from each method's "same" pairs
    .venv/bin/python -m bench.eval.stories --show FILE [--start N --count K]  # those pairs' texts, to read

The stories are placed again from scratch on a copy of the archive, through the writer's own code (the path an
archive stored before stories takes), so a change to the clustering is measured without ingesting again.

Two sets of pairs, labelled by reading both articles (ids and labels only are stored, in bench/eval/data):
- story_pairs.tsv: pairs drawn at random from a broad candidate pool (bench/eval/story_candidates.py): mostly
  different stories on a shared topic and date, the hard negatives;
- story_pairs_predicted.tsv: pairs drawn at random from what each method calls one story, labelled blind (the
  labeller did not see which method drew a pair), so that each method's precision is measured on its own pairs.
Precision: labelled pairs a method calls one story that are one story, over its labelled "same" pairs. Recall is
pooled (as in TREC): of all labelled same-story pairs, the share a method finds. Pairs of syndicated copies are
left out of both: copies are measured by `neardups`, and here they would flatter every method.
Naive methods in the same run, each a pair decision within the same window of days: the same headline (tf-idf
cosine of the headlines >= 0.5) and the same text (tf-idf cosine of the bodies >= 0.5).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.eval.common import EVAL_DIR, require
from bench.reuters import load_records, write_archive

DATA = EVAL_DIR / "reuters21578"
LABELS = Path(__file__).resolve().parent / "data"
SEED = 1987
WINDOW_DAYS = 3
NAIVE_COSINE = 0.5
PREDICTED_PER_METHOD = 60


def main() -> None:
    require(DATA)
    records = {r.newid: r for r in load_records(DATA)}
    with tempfile.TemporaryDirectory() as tmp:
        db = _archive(Path(tmp), records)
        started = time.perf_counter()
        stories = asyncio.run(_place_again(db))
        seconds = time.perf_counter() - started
        copies = _copies(db)
    print(f"Stories on Reuters-21578: {len(records):,} records, placed again in {seconds:.1f} s")
    _sizes(stories)
    methods = {"stories": _system_pairs(stories), **_naive_pairs(records)}
    labels = _labels()
    if not labels:
        print("no labelled pairs in bench/eval/data")
        return
    pooled = {p for p, same in labels.items() if same and p not in copies}
    print(f"labelled pairs: {len(labels):,}; same story: {len(pooled):,} (copies left out)")
    print(f"{'method':<16} {'labelled same':>14} {'precision':>10} {'pooled recall':>14}")
    for name, pairs in methods.items():
        said = [p for p in labels if p in pairs and p not in copies]
        right = sum(labels[p] for p in said)
        found = sum(1 for p in pooled if p in pairs)
        precision = f"{100 * right / len(said):.1f}%" if said else "-"
        recall = f"{100 * found / len(pooled):.1f}%" if pooled else "-"
        print(f"{name:<16} {f'{right}/{len(said)}':>14} {precision:>10} {f'{found}/{len(pooled)}':>9} {recall:>5}")


def _archive(tmp: Path, records: dict) -> Path:
    """A copy of the kept archive (NEWSDESK_STORIES_DB), or a fresh ingest of the records."""
    db = tmp / "newsdesk.db"
    kept = os.environ.get("NEWSDESK_STORIES_DB")
    if kept:
        shutil.copy(kept, db)
        return db
    from bench.ingest import run_ingest

    write_archive(list(records.values()), tmp / "reuters")
    run_ingest(tmp / "reuters", db)
    return db


async def _place_again(db: Path) -> dict[int, int]:
    """Every article's story (by NEWID), placed again from nothing by the writer."""
    from bot.archive import Archive

    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE articles SET story_id = NULL")
        for table in ("story_actors", "story_keys", "story_word_counts", "stories"):
            con.execute(f"DELETE FROM {table}")  # noqa: S608 (our own table names)
    con.close()
    async with await Archive.open(db) as archive:
        await archive.place_stories()
        rows = await archive._rows("SELECT f.path, a.story_id FROM files f JOIN articles a ON a.id = f.article_id")
    return {int(Path(path).stem): story for path, story in rows}


def _copies(db: Path) -> set[tuple[int, int]]:
    """Pairs of NEWIDs that are syndicated copies of one article (or of each other), or the same text."""
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT f.path, coalesce(a.copy_of, a.id) FROM files f JOIN articles a ON a.id = f.article_id"
    ).fetchall()
    con.close()
    groups = defaultdict(list)
    for path, original in rows:
        groups[original].append(int(Path(path).stem))
    return {(a, b) for ids in groups.values() for a in ids for b in ids if a < b}


def _system_pairs(stories: dict[int, int]) -> set[tuple[int, int]]:
    members = defaultdict(list)
    for newid, story in stories.items():
        if story is not None:
            members[story].append(newid)
    return {(a, b) for ids in members.values() for a in ids for b in ids if a < b}


def _naive_pairs(records: dict) -> dict[str, set[tuple[int, int]]]:
    """Pairs within the window whose headlines, or bodies, have a tf-idf cosine of NAIVE_COSINE or more."""
    from datetime import date

    from sklearn.feature_extraction.text import TfidfVectorizer

    dated = [r for r in records.values() if r.date and r.body.strip()]
    dated.sort(key=lambda r: r.date)
    days = [date.fromisoformat(r.date[:10]).toordinal() for r in dated]
    found = {}
    for name, field in (("same headline", "title"), ("same text", "body")):
        matrix = TfidfVectorizer(stop_words="english").fit_transform([getattr(r, field) or "" for r in dated])
        pairs = set()
        start = 0
        for i in range(len(dated)):
            while days[i] - days[start] > WINDOW_DAYS:
                start += 1
            if start < i:
                sims = (matrix[start:i] @ matrix[i].T).toarray().ravel()
                for j in (sims >= NAIVE_COSINE).nonzero()[0]:
                    a, b = sorted((dated[start + j].newid, dated[i].newid))
                    pairs.add((a, b))
        found[name] = pairs
    return found


def _labels() -> dict[tuple[int, int], bool]:
    labels = {}
    for name in ("story_pairs.tsv", "story_pairs_predicted.tsv"):
        path = LABELS / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("#") or len(parts) < 3 or not parts[0].isdigit() or parts[2] not in ("0", "1"):
                continue
            a, b = sorted((int(parts[0]), int(parts[1])))
            labels[(a, b)] = parts[2] == "1"
    return labels


def _sizes(stories: dict[int, int]) -> None:
    sizes = defaultdict(int)
    for story in stories.values():
        sizes[story] += 1
    counts = sorted(sizes.values(), reverse=True)
    several = [n for n in counts if n > 1]
    print(
        f"stories: {len(counts):,}; of more than one article: {len(several):,} holding {sum(several):,} articles; "
        f"the largest: {', '.join(map(str, counts[:8]))}"
    )


def _sample(count: int) -> None:
    """Stories of more than one article (copies aside), picked at random, with their articles' dates and
    headlines; a copy is marked (copies are one article in every list)."""
    records = {r.newid: r for r in load_records(require(DATA))}
    with tempfile.TemporaryDirectory() as tmp:
        db = _archive(Path(tmp), records)
        stories = asyncio.run(_place_again(db))
        copies = {b for _, b in _copies(db)}
    members = defaultdict(list)
    for newid, story in stories.items():
        members[story].append(newid)
    several = sorted(ids for ids in members.values() if len([n for n in ids if n not in copies]) > 1)
    for ids in random.Random(SEED).sample(several, min(count, len(several))):
        print(f"-- {len(ids)} articles")
        for newid in sorted(ids, key=lambda n: (records[n].date or "", n)):
            mark = " (a copy)" if newid in copies else ""
            print(f"   {newid:>5} {records[newid].date or '?':<10} {records[newid].title}{mark}")


def _predicted() -> None:
    """Pairs drawn at random from each method's "same story" pairs (copies left out), shuffled together, for blind
    labelling: `newid_a newid_b` per line."""
    records = {r.newid: r for r in load_records(require(DATA))}
    with tempfile.TemporaryDirectory() as tmp:
        db = _archive(Path(tmp), records)
        stories = asyncio.run(_place_again(db))
        copies = _copies(db)
    methods = {"stories": _system_pairs(stories), **_naive_pairs(records)}
    rng = random.Random(SEED)
    known = set(_labels())
    drawn = set()
    for pairs in methods.values():
        pool = sorted(p for p in pairs if p not in copies and p not in known)
        drawn.update(rng.sample(pool, min(PREDICTED_PER_METHOD, len(pool))))
    drawn = sorted(drawn)
    rng.shuffle(drawn)
    for a, b in drawn:
        print(f"{a}\t{b}")


def _show(path: Path, start: int, count: int | None, words: int = 150) -> None:
    """The pairs of a file (`newid_a newid_b` per line), each article's date, headline and first words."""
    records = {r.newid: r for r in load_records(require(DATA))}
    pairs = [line.split("\t")[:2] for line in path.read_text(encoding="utf-8").splitlines() if line[:1].isdigit()]
    end = None if count is None else start + count
    for n, (a, b) in enumerate(pairs[start:end], start=start):
        print(f"(pair {n}) {a}\t{b}")
        for newid in (int(a), int(b)):
            r = records[newid]
            print(f"  [{newid}] {r.date} {r.title}")
            print("   ", " ".join(r.body.split()[:words]))
        print()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, help="print this many stories picked at random")
    parser.add_argument("--predicted", action="store_true", help="print pairs to label, drawn from each method")
    parser.add_argument("--show", type=Path, help="print the texts of the pairs in this file")
    parser.add_argument("--start", type=int, default=0, help="with --show: the first pair (0-based)")
    parser.add_argument("--count", type=int, help="with --show: how many pairs")
    args = parser.parse_args()
    if args.show:
        _show(args.show, args.start, args.count)
    elif args.sample:
        _sample(args.sample)
    elif args.predicted:
        _predicted()
    else:
        main()
