"""Syndicated copies (bot/nlp/neardup.py) on variants of Reuters-21578 stories (../shared/eval/reuters21578).

    .venv/bin/python -m bench.eval neardups

How the data is built (seeded, so every run is the same; nothing is stored in the repository):
- sources: all stories of a few days picked at random (so many share a topic and a date: the hard negatives), of
  which up to 1,000 with a body of at least 40 words, plus up to 300 short templated ones (dividend notices,
  earnings tables under 40 words) that get no variants but are negatives for everything else;
- variants: for 500 of the long sources, 1-3 variants each, each with 1-3 seeded edits of these kinds: headline
  rewritten; byline or dateline added/changed; furniture added ("Reporting by ...", copyright, "Click here ...",
  "Related: ..."); a sentence or paragraph added (from an unrelated story, or boilerplate); a sentence cut; two
  paragraphs or sentences swapped; whitespace and line wrapping changed.
A document's text is what the bot compares: its body (dateline and body here); the headline is apart (the
"same title" baseline reads it). Gold "same story" pairs: any two documents from the same source, and from sources
that are already copies in the corpus (Reuters repeats stories under another headline: is_copy-positive pairs of
distinct records, listed for a look and scored both as gold and left out). Every other pair is a negative; the hard
ones (same TOPICS tag and date; templated earnings/dividend stories) are reported apart.
Predicted pairs come from the real pipeline: LSH candidates (an equal band key), confirmed by is_copy.
"""

from __future__ import annotations

import itertools
import random
import re
import textwrap
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from bench.eval.common import EVAL_DIR, PRF, require
from bench.reuters import load_records
from bot.nlp import neardup

DATA = EVAL_DIR / "reuters21578"
SEED = 21578
LONG_SOURCES = 1000
SHORT_SOURCES = 300
WITH_VARIANTS = 500
MIN_WORDS = 40

_WORD = re.compile(r"\w+")
_BLOCK = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.DOTALL)
_TOPICS = re.compile(r"<TOPICS>(.*?)</TOPICS>", re.DOTALL)
_D = re.compile(r"<D>(.*?)</D>")
_TEMPLATED = re.compile(r"\b(shr|qtly div|qtly dividend|oper shr|net|revs|div|pay|record)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"(])")
_PARAGRAPH = re.compile(r"\n\s+")

KINDS = ("headline", "byline", "furniture", "add", "cut", "swap", "whitespace")
NAMES = ["Jane Doe", "Peter Marsh", "Anna Lindqvist", "Tom Okafor", "Maria Santos", "David Cho", "Ruth Keller"]
CITIES = ["LONDON", "NEW YORK", "CHICAGO", "TOKYO", "WASHINGTON", "FRANKFURT", "SYDNEY", "TORONTO"]
AGENCIES = ["(Reuters)", "(AP)", "(AFP)", "(Dow Jones)", "(Staff)"]
BOILERPLATE = [
    "The company did not immediately return calls seeking comment.",
    "Analysts said the move had been widely expected in the market.",
    "Officials were not available for further comment late on the day.",
    "Further details were not disclosed in the statement issued on the day.",
]


@dataclass
class Doc:
    source: int  # newid of the Reuters record it comes from
    title: str
    body: str
    kinds: tuple[str, ...] = ()  # edits, for a variant
    templated: bool = False
    topics: frozenset[str] = field(default_factory=frozenset)
    date: str | None = None


def main() -> None:
    require(DATA)
    records = load_records(DATA)
    topics = _topics()
    rng = random.Random(SEED)
    sources, unrelated = _sources(records, rng)
    docs = [
        Doc(r.newid, r.title, r.dateline + r.body, (), _templated(r), topics.get(r.newid, frozenset()), r.date)
        for r in sources
    ]
    long_sources = [d for d in docs if len(_WORD.findall(d.body)) >= MIN_WORDS]
    for src in rng.sample(long_sources, min(WITH_VARIANTS, len(long_sources))):
        for _ in range(rng.choice((1, 1, 2, 3))):
            docs.append(_variant(src, rng, unrelated, docs))
    n_variants = sum(1 for d in docs if d.kinds)
    print(
        f"sources: {len(docs) - n_variants} Reuters stories ({len(long_sources)} of >= {MIN_WORDS} words, "
        f"{sum(d.templated for d in docs[: len(docs) - n_variants])} templated), variants: {n_variants} "
        f"of {WITH_VARIANTS} sources, documents: {len(docs)}, pairs: {len(docs) * (len(docs) - 1) // 2:,}"
    )

    started = time.perf_counter()
    sigs = [neardup.signature(d.body) for d in docs]
    per_doc = (time.perf_counter() - started) / len(docs)
    started = time.perf_counter()
    candidates = _candidates(sigs)
    predicted = {(i, j) for i, j in candidates if neardup.is_copy(docs[i].body, docs[j].body)}
    verify_time = time.perf_counter() - started
    print(
        f"signature: {1000 * per_doc:.2f} ms/document; LSH candidates + is_copy: {verify_time:.2f} s "
        f"({len(candidates):,} candidate pairs, {len(predicted):,} confirmed)"
    )

    # Reuters' own repeats: distinct source records the method calls copies (checked over all source pairs).
    src_index = [i for i, d in enumerate(docs) if not d.kinds]
    sets = {i: neardup.shingles(docs[i].body) for i in src_index}
    real = {
        (i, j)
        for i, j in itertools.combinations(src_index, 2)
        if _may_copy(sets[i], sets[j]) and neardup.is_copy(docs[i].body, docs[j].body)
    }
    group = _groups(docs, real)
    gold_all = {(i, j) for i, j in itertools.combinations(range(len(docs)), 2) if group[i] == group[j]}
    cross = {(i, j) for i, j in gold_all if docs[i].source != docs[j].source}  # pairs that rest on a real repeat
    gold_variants = gold_all - cross
    exact = sum(1 for i, j in real if _WORD.findall(docs[i].body.casefold()) == _WORD.findall(docs[j].body.casefold()))
    print(
        f"gold pairs: {len(gold_variants):,} from variants; Reuters' own repeats: {len(real)} source pairs "
        f"({exact} identical after normalising), {len(cross)} pairs with them and their variants"
    )
    for i, j in sorted(real)[:6]:
        print(
            f"  repeat {docs[i].source}/{docs[j].source} ({neardup.copy_score(docs[i].body, docs[j].body):.2f}): "
            f"{docs[i].title[:50]!r} | {docs[j].title[:50]!r}"
        )
    print(f"LSH recall of gold: {100 * len(candidates & gold_all) / len(gold_all):.1f}%")

    print("\nsame-story pairs over all pairs:")
    _report("  minhash + is_copy, repeats gold   ", gold_all, predicted)
    _report("  minhash + is_copy, repeats left out", gold_variants, predicted - cross)
    for name, key in (("exact normalised body", _norm_body), ("same title", lambda d: d.title.casefold().strip())):
        naive = _same_key(docs, key)
        _report(f"  naive: {name:<27}", gold_all, naive)

    negatives = _hard_negatives(docs, group)
    print("\nhard negatives (distinct stories), merged by mistake:")
    for name, pairs in negatives.items():
        merged = len(pairs & predicted)
        print(f"  {name}: {merged} of {len(pairs):,} pairs")

    print("\nrecall per edit kind (source-variant pairs whose variant has that edit):")
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_count: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    src_of = {d.source: i for i, d in enumerate(docs) if not d.kinds}
    for v, d in enumerate(docs):
        if d.kinds:
            found = _pair(src_of[d.source], v) in predicted
            for kind in d.kinds:
                by_kind[kind][0] += found
                by_kind[kind][1] += 1
            by_count[len(d.kinds)][0] += found
            by_count[len(d.kinds)][1] += 1
    for kind in KINDS:
        hit, total = by_kind[kind]
        print(f"  {kind:<11} {100 * hit / total:5.1f}% of {total}")
    for n, (hit, total) in sorted(by_count.items()):
        print(f"  {n} edit(s)   {100 * hit / total:5.1f}% of {total}")

    fps = sorted(predicted - gold_all)
    print(f"\nfalse positives: {len(fps)}")
    for i, j in fps[:10]:
        print(f"  {neardup.copy_score(docs[i].body, docs[j].body):.2f} {docs[i].title[:55]!r} | {docs[j].title[:55]!r}")
    fns = sorted(gold_variants - predicted)
    print(f"false negatives: {len(fns)} (edit kinds: {dict(Counter(k for p in fns for k in _kinds(docs, p)))})")
    for i, j in fns[:5]:
        print(f"  {neardup.copy_score(docs[i].body, docs[j].body):.2f} {docs[i].kinds or 'source'} | {docs[j].kinds}")


def _topics() -> dict[int, frozenset[str]]:
    topics = {}
    for sgm in sorted(DATA.glob("reut2-*.sgm")):
        for newid, block in _BLOCK.findall(sgm.read_bytes().decode("latin-1")):
            match = _TOPICS.search(block)
            topics[int(newid)] = frozenset(_D.findall(match.group(1))) if match else frozenset()
    return topics


def _templated(record) -> bool:
    return len(_TEMPLATED.findall(record.body)) >= 2 and len(_WORD.findall(record.body)) < 150


def _sources(records, rng: random.Random):
    """Every story of a few random days (up to the sample sizes) and a pool of stories from other days."""
    by_date = defaultdict(list)
    for r in records:
        if r.date and r.body.strip():
            by_date[r.date].append(r)
    dates = sorted(by_date)
    rng.shuffle(dates)
    long, short, unrelated = [], [], []
    for date in dates:
        day = by_date[date]
        if len(long) < LONG_SOURCES:
            long += [r for r in day if len(_WORD.findall(r.body)) >= MIN_WORDS][: LONG_SOURCES - len(long)]
            short += [r for r in day if len(_WORD.findall(r.body)) < MIN_WORDS and _templated(r)]
        else:
            unrelated += day
    return long + short[:SHORT_SOURCES], [r for r in unrelated if len(_WORD.findall(r.body)) >= MIN_WORDS]


def _variant(src: Doc, rng: random.Random, unrelated, docs: list[Doc]) -> Doc:
    kinds = tuple(sorted(rng.sample(KINDS, rng.choice((1, 1, 2, 2, 3)))))
    title, dateline, paragraphs = src.title, "", _paragraphs(src.body)
    match = re.match(r"\s*([A-Z][A-Za-z .,]*, \w+ \d+ - )", src.body)
    if match:  # the Reuters dateline, so a byline edit can replace it
        dateline = match.group(1)
        paragraphs = _paragraphs(src.body[match.end(1) :])
    if "headline" in kinds:
        words = title.split()
        title = rng.choice([" ".join(w.capitalize() for w in words), f"UPDATE 1-{title}", " ".join(words[:-1])])
        title = title if title != src.title else f"{title} (corrected)"
    if "cut" in kinds:
        sentences = [(p, s) for p, para in enumerate(paragraphs) for s in range(len(para))]
        if len(sentences) > 2:
            p, s = rng.choice(sentences)
            del paragraphs[p][s]
            paragraphs = [para for para in paragraphs if para]
    if "swap" in kinds:
        if len(paragraphs) >= 2:
            i = rng.randrange(len(paragraphs) - 1)
            paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
        elif len(paragraphs[0]) >= 2:
            i = rng.randrange(len(paragraphs[0]) - 1)
            paragraphs[0][i], paragraphs[0][i + 1] = paragraphs[0][i + 1], paragraphs[0][i]
    if "add" in kinds:
        other = _paragraphs(rng.choice(unrelated).body)
        added = rng.choice([rng.choice(other)[:2], [rng.choice(BOILERPLATE)]])
        paragraphs.insert(rng.randint(1, len(paragraphs)), list(added))
    if "byline" in kinds:  # another city or agency tag; the date stays (another date is another story)
        city = rng.choice(CITIES)
        date = re.search(r", (\w+ \d+) - ", dateline)
        date = date.group(1) if date else ""
        dateline = rng.choice(
            [
                f"By {rng.choice(NAMES)}, Staff Writer\n\n{dateline}",
                f"{city} {rng.choice(AGENCIES)} - ",
                f"By {rng.choice(NAMES)}\n{city}, {date} - " if date else f"By {rng.choice(NAMES)}\n{city} - ",
            ]
        )
    tail = []
    if "furniture" in kinds:
        other = rng.choice(docs).title
        tail = rng.sample(
            [
                f"Reporting by {rng.choice(NAMES)}; Editing by {rng.choice(NAMES)}",
                "Copyright 1987 The Newsdesk Wire. All rights reserved.",
                "Click here to subscribe to our daily newsletter.",
                f"Related: {other}",
            ],
            rng.randint(1, 2),
        )
    if "whitespace" in kinds:
        width = rng.randint(50, 100)
        body = "\n\n".join(textwrap.fill(" ".join(p), width) for p in paragraphs)
    else:
        body = "\n    ".join(" ".join(p) for p in paragraphs)
    body = dateline + body + "".join(f"\n\n{t}" for t in tail)
    return Doc(src.source, title, body, kinds, src.templated, src.topics, src.date)


def _paragraphs(body: str) -> list[list[str]]:
    paras = [" ".join(p.split()) for p in _PARAGRAPH.split(body.strip())]
    return [_SENTENCE.split(p) for p in paras if p] or [[""]]


def _candidates(sigs: list[bytes]) -> set[tuple[int, int]]:
    buckets = defaultdict(list)
    for i, sig in enumerate(sigs):
        for key in neardup.band_keys(sig):
            buckets[key].append(i)
    return {p for members in buckets.values() for p in itertools.combinations(members, 2)}


def _may_copy(a: set[int], b: set[int]) -> bool:
    """A quick bound: can is_copy pass? (Short texts need identity, which needs equal sets.)"""
    if not a or not b:
        return False
    if min(len(a), len(b)) < neardup.MIN_SHINGLES:
        return a == b
    common = len(a & b)
    return common / len(a | b) >= neardup.JACCARD or common / min(len(a), len(b)) >= neardup.CONTAINMENT


def _groups(docs: list[Doc], real: set[tuple[int, int]]) -> list[int]:
    """Each document's story: its source record, with Reuters' own repeats joined (union-find)."""
    parent = {d.source: d.source for d in docs}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in real:
        parent[find(docs[i].source)] = find(docs[j].source)
    return [find(d.source) for d in docs]


def _pair(i: int, j: int) -> tuple[int, int]:
    return (i, j) if i < j else (j, i)


def _kinds(docs: list[Doc], pair: tuple[int, int]) -> set[str]:
    return set(docs[pair[0]].kinds) | set(docs[pair[1]].kinds)


def _norm_body(doc: Doc) -> str:
    return " ".join(_WORD.findall(doc.body.casefold()))


def _same_key(docs: list[Doc], key) -> set[tuple[int, int]]:
    groups = defaultdict(list)
    for i, d in enumerate(docs):
        groups[key(d)].append(i)
    return {p for members in groups.values() for p in itertools.combinations(members, 2)}


def _hard_negatives(docs: list[Doc], group: list[int]) -> dict[str, set[tuple[int, int]]]:
    """Pairs of documents from different stories: same topic tag and date; both templated (any date)."""
    same_topic, templated = set(), set()
    by_key = defaultdict(list)
    for i, d in enumerate(docs):
        for topic in d.topics:
            by_key[(topic, d.date)].append(i)
    for members in by_key.values():
        same_topic |= {p for p in itertools.combinations(members, 2) if group[p[0]] != group[p[1]]}
    tmpl = [i for i, d in enumerate(docs) if d.templated]
    templated = {p for p in itertools.combinations(tmpl, 2) if group[p[0]] != group[p[1]]}
    return {"same topic and date": same_topic, "templated (earnings, dividends)": templated}


def _report(name: str, gold: set, predicted: set) -> None:
    score = PRF()
    score.add(gold, predicted)
    print(f"{name} {score.row()}  (tp {score.tp:,}, fp {score.fp:,}, fn {score.fn:,})")
