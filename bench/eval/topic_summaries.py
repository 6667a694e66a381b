"""Topic summaries as a user sees them: are their sentences about the topic?

    .venv/bin/python -m bench.eval topic-summaries

The 100 CNN/DailyMail dev stories (no date) and the first 300 Reuters-21578 records of 100 words or more (dated
in metadata.csv) become one archive folder, ingested as `newsdesk ingest` would. The topics are drawn from that
archive by a fixed rule, never picked by hand:
- actors: the 4 most mentioned people, places and organisations (publications aside, and names that do not
  start with a capital, which are the analysis's slips), each asked by its name;
- thin: of each of those kinds, the first 2 (by name) that the archive mentions only once, of those whose name
  is two or more capitalised words;
- phrases: the 6 two-word noun phrases of lowercase words (spaCy's noun chunks, no stop word) that the most
  articles' leads have.
For each, `summary TOPIC` (5 sentences) is asked of Newsdesk's topic summary and of the naive method it
replaced, in the same run: the best sentences (3 an article) of the articles the search finds, whatever they
are about. A sentence is on topic when it mentions the topic: a phrase's words in a row (a plural "s" aside,
in any case), or any name (alias) of the actor the topic is, as written. The figures: the share of the
answers' sentences on topic, the sentences shown, the answers whose sentences on topic all come first, and the
answers that say the archive has little on the topic.
"""

from __future__ import annotations

import asyncio
import csv
import re
import tempfile
from collections import Counter
from pathlib import Path

from bench.eval.common import EVAL_DIR, require

ASKED = 5
REUTERS = 300
MIN_WORDS = 100
PER_KIND, THIN_PER_KIND, PHRASES = 4, 2, 6
LEAD_CHARS = 600
KINDS = ("person", "place", "organization")
_LOWER_WORD = re.compile(r"\b[a-z][a-z-]{2,}\b")
_NAME = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+)+")  # two or more capitalised words


def write_archive(folder: Path) -> list[str]:
    """The stories and records as article files plus metadata.csv; returns their texts."""
    from bench.eval.summaries import load
    from bench.reuters import load_records

    stories = [article for article, _ in load()]
    records = [r for r in load_records(require(EVAL_DIR / "reuters21578")) if len(r.body.split()) >= MIN_WORDS]
    records = sorted(records, key=lambda r: r.newid)[:REUTERS]
    folder.mkdir(parents=True)
    rows = []
    for i, text in enumerate(stories):
        (folder / f"cnndm-{i:03}.txt").write_text(text, encoding="utf-8")
        rows.append([f"cnndm-{i:03}.txt", "", ""])
    for rec in records:
        (folder / f"reuters-{rec.newid:05}.txt").write_text(rec.text(), encoding="utf-8")
        rows.append([f"reuters-{rec.newid:05}.txt", rec.date or "", "Reuters"])
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as out:
        csv.writer(out).writerows([["file", "published", "source"], *rows])
    return stories + [rec.text() for rec in records]


def phrases(texts: list[str]) -> list[str]:
    """The two-word noun phrases of lowercase content words (spaCy's noun chunks, determiners and numbers aside)
    that the most texts have in their lead (first LEAD_CHARS characters), at least 3."""
    from bot.nlp import pipeline
    from bot.nlp.summary import STOP_WORDS

    counts: Counter = Counter()
    for doc in pipeline.pipe(text[:LEAD_CHARS] for text in texts):
        found = set()
        for chunk in doc.noun_chunks:
            words = [t.text for t in chunk if t.pos_ not in ("DET", "NUM", "PRON", "PUNCT")]
            if len(words) == 2 and all(_LOWER_WORD.fullmatch(w) and w not in STOP_WORDS for w in words):
                found.add(" ".join(words))
        counts.update(found)
    return [p for p, n in counts.most_common(PHRASES) if n >= 3]


async def pick_topics(archive, texts: list[str]) -> dict[str, list[tuple[str, tuple[list[str], bool]]]]:
    """The topics by group, each with the names that mention it and whether their case counts (a phrase: itself,
    in any case; an actor: its aliases, as written)."""
    found = await archive.top_actors(100_000)
    top = [a for a in found if not a.publication and a.kind in KINDS and a.name[:1].isupper()]
    groups: dict[str, list] = {"people": [], "places": [], "organisations": [], "thin (one mention)": []}
    for kind, group in zip(KINDS, ("people", "places", "organisations"), strict=True):
        groups[group] = [a for a in top if a.kind == kind][:PER_KIND]
        once = [a for a in top if a.kind == kind and a.mentions == 1 and _NAME.fullmatch(a.name)]
        groups["thin (one mention)"] += sorted(once, key=lambda a: a.name)[:THIN_PER_KIND]
    topics = {
        group: [(a.name, ((await archive.actor_profile(a.id, limit=1)).aliases, False)) for a in actors]
        for group, actors in groups.items()
    }
    topics["phrases"] = [(p, ([p], True)) for p in phrases(texts)]
    return topics


def on_topic(sentence: str, names: list[str], ignore_case: bool) -> bool:
    """A name in the sentence: its words in a row, as whole words, each with or without a plural "s"."""
    for name in names:
        words = r"\s+".join(re.escape(w.removesuffix("s")) + "s?" for w in name.split())
        if re.search(rf"(?<!\w){words}(?!\w)", sentence, re.IGNORECASE if ignore_case else 0):
            return True
    return False


async def naive(archive, topic: str) -> list[str]:
    """The method Newsdesk replaced: the best sentences of the articles a search finds, whatever they say."""
    from bot.nlp.summary import across

    candidates = []
    for hit in (await archive.search(topic, 10)).hits:
        scored = await archive.article_sentences(hit.article_id)
        candidates += [(text, score, hit.article_id) for text, score in sorted(scored, key=lambda x: -x[1])[:3]]
    return [text for text, _ in across(candidates, ASKED)]


class Tally:
    def __init__(self) -> None:
        self.topics = self.shown = self.about = self.first = self.little = 0

    def add(self, sentences: list[str], names: tuple[list[str], bool], little: bool) -> None:
        marks = [on_topic(s, *names) for s in sentences]
        self.topics += 1
        self.shown += len(sentences)
        self.about += sum(marks)
        self.first += marks == sorted(marks, reverse=True)  # no sentence on topic after one that is not
        self.little += little

    def row(self) -> str:
        share = 100 * self.about / self.shown if self.shown else 0.0
        return (
            f"{share:5.1f}% on topic ({self.about}/{self.shown}), {self.shown / max(1, self.topics):.1f} sentences "
            f"an answer, on topic first in {self.first}/{self.topics}, says little in {self.little}/{self.topics}"
        )


async def measure() -> None:
    from bot import services
    from bot.archive.store import Archive
    from bot.ingest import ingest_folder

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "archive"
        texts = write_archive(folder)
        async with await Archive.open(Path(tmp) / "newsdesk.db") as archive:
            report = await ingest_folder(archive, folder, max_bytes=1_000_000)
            print(f"archive: {report.counts.get('added', 0)} articles (CNN/DailyMail dev and Reuters-21578)")
            topics = await pick_topics(archive, texts)
            totals = {"naive": Tally(), "Newsdesk": Tally()}
            for group, items in topics.items():
                tallies = {"naive": Tally(), "Newsdesk": Tally()}
                for topic, names in items:
                    answer = await services.topic_summary(archive, topic, ASKED)
                    for method, sentences, little in (
                        ("naive", await naive(archive, topic), False),
                        ("Newsdesk", [line.text for line in answer], answer.little),
                    ):
                        tallies[method].add(sentences, names, little)
                        totals[method].add(sentences, names, little)
                print(f"{group} ({len(items)}): {', '.join(t for t, _ in items)}")
                print(f"  naive: best sentences of the matching articles  {tallies['naive'].row()}")
                print(f"  Newsdesk topic summary                          {tallies['Newsdesk'].row()}")
            print("all topics")
            print(f"  naive: best sentences of the matching articles  {totals['naive'].row()}")
            print(f"  Newsdesk topic summary                          {totals['Newsdesk'].row()}")


def main() -> None:
    require(EVAL_DIR / "cnndm" / "dev.jsonl")
    require(EVAL_DIR / "reuters21578")
    asyncio.run(measure())


if __name__ == "__main__":
    main()
