"""Timelines as a user sees them, on SemEval-2015 Task 4 trial data (../shared/eval/semeval2015_trial).

    .venv/bin/python -m bench.eval timelines

The 30 Wikinews articles become an archive folder (headline, blank line, text; each publication date, the
document's creation time, in metadata.csv), ingested as `newsdesk ingest` would. For each of the 6 gold entity
timelines (each line `ordinal, date, doc-sentence-event …`) the harness asks what a user asks, `timeline --actor NAME`
and `timeline NAME` (a topic), with the timeline's own name as typed, and scores the events the answer shows, on
its first page (as Discord pages it) and whole:
- Date F1: the answer's distinct dates against the gold dates (a day matches a day, a month a month, a year a
  year; gold dates that are all X are left out), per timeline, then the mean over timelines;
- anchoring: of all gold dated sentences (a sentence with one of its gold dates), the share the answer has with
  that date;
- sentence precision: of all the answer's sentences, the share that are in the gold timeline (any date).
Beside them, in the same run, two naive methods over the same text: every sentence naming the entity (every word
of the name in it), dated by its article's publication date, or by the first spaCy DATE entity in it that
dateparser reads (relative to the publication date), else the publication date. (dateparser comes with
`make eval`; without it that row is skipped.)

An answer's sentences are matched to the gold sentences by their words: the text the archive stores for an event's
source is looked up among the gold sentences of that article (contained in one, or containing it).
"""

from __future__ import annotations

import asyncio
import csv
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from bench.eval.common import EVAL_DIR, require

DATA = EVAL_DIR / "semeval2015_trial"
_SENTENCE = re.compile(r'<s id="(\d+)">(.*?)</s>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_DCT = re.compile(r'<DCT><TIMEX3[^>]*value="([^"]+)"')
_TITLE = re.compile(r"<EXTRAINFO>(.*?)</EXTRAINFO>", re.DOTALL)
_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'re", "'ve", "'d", "'ll", "'m", "n't", "'"}
_NO_SPACE_AFTER = {"(", "[", "{", "$"}


@dataclass
class Document:
    doc_id: str
    title: str
    published: str
    sentences: dict[int, str]  # gold sentence number: its text


@dataclass
class Timeline:
    name: str
    dated: set[tuple[str, int, str]]  # (doc, sentence, date) with a date that is not all X
    sentences: set[tuple[str, int]]  # every sentence of the timeline, dated or not

    @property
    def dates(self) -> set[str]:
        return {d for _, _, d in self.dated}


@dataclass
class Score:
    f1s: list[float] = field(default_factory=list)
    anchored: int = 0
    gold: int = 0
    relevant: int = 0
    shown: int = 0
    events: int = 0

    def add(self, timeline: Timeline, answer: set[tuple[str, int, str]], events: int) -> None:
        dates = {d for _, _, d in answer}
        hits = len(dates & timeline.dates)
        p = hits / len(dates) if dates else 0.0
        r = hits / len(timeline.dates) if timeline.dates else 0.0
        self.f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        self.anchored += len(timeline.dated & answer)
        self.gold += len(timeline.dated)
        sentences = {(doc, s) for doc, s, _ in answer}
        self.relevant += len(sentences & timeline.sentences)
        self.shown += len(sentences)
        self.events += events

    def row(self, label: str) -> str:
        f1 = 100 * sum(self.f1s) / len(self.f1s) if self.f1s else 0.0
        anchoring = 100 * self.anchored / self.gold if self.gold else 0.0
        precision = 100 * self.relevant / self.shown if self.shown else 0.0
        return (
            f"{label:<58} Date F1 {f1:5.1f}   anchoring {anchoring:5.1f}% ({self.anchored}/{self.gold})   "
            f"sentence precision {precision:5.1f}% ({self.relevant}/{self.shown}), {self.events} events"
        )


def detokenize(tokens: str) -> str:
    """The corpus's tokens as running text: "Apple 's iPod ( 2001 ) , " → "Apple's iPod (2001), "."""
    out, quote_open = "", False
    for token in tokens.split():
        if token == '"':
            out += (" " if out else "") + token if not quote_open else token
            quote_open = not quote_open
            continue
        glue = (
            not out
            or token in _NO_SPACE_BEFORE
            or out[-1] in "([{$"
            or (out.endswith('"') and quote_open and out[-2:-1] in ("", " "))
            or token == "-"
            or out.endswith("-")
            and out[-2:-1].isalnum()
        )
        out += token if glue else " " + token
    return out.replace(" - ", "-")


def load_documents() -> list[Document]:
    folder = require(DATA / "Corpus-trial-data_task4_TimeML")
    docs = []
    for path in sorted(folder.glob("*.tml")):
        xml = path.read_text(encoding="utf-8")
        doc_id = re.match(r"\d+", path.name).group(0)
        sentences = {int(n): detokenize(_TAG.sub("", s)) for n, s in _SENTENCE.findall(xml)}
        title = detokenize(_TITLE.search(xml).group(1)) if _TITLE.search(xml) else sentences.get(2, doc_id)
        docs.append(Document(doc_id, title, _DCT.search(xml).group(1), sentences))
    return docs


def gold_date(value: str) -> str | None:
    """A gold date as the answer writes it: 2007-09-XX is the month 2007-09, 2010-XX-XX the year; all X: none."""
    parts = [p for p in value.split("-") if p and "X" not in p]
    if not parts or "X" in value.split("-")[0]:
        return None
    return "-".join(parts)


def load_timelines() -> list[Timeline]:
    timelines = []
    for path in sorted(require(DATA / "TimeLines_trial_data_task4_v1.2").glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        dated, sentences = set(), set()
        for line in lines[1:]:
            _, value, *events = line.split("\t")
            for event in events:
                doc, sentence, _ = event.split("-", 2)
                sentences.add((doc, int(sentence)))
                if (day := gold_date(value)) is not None:
                    dated.add((doc, int(sentence), day))
        timelines.append(Timeline(lines[0].strip(), dated, sentences))
    return timelines


def write_archive(docs: list[Document], folder: Path) -> None:
    """Each article as a file: headline, blank line, dateline, blank line, its sentences as one paragraph."""
    folder.mkdir(parents=True)
    for doc in docs:
        numbers = sorted(doc.sentences)
        body = doc.sentences[numbers[0]] + "\n\n" + " ".join(doc.sentences[n] for n in numbers[1:])
        (folder / f"{doc.doc_id}.txt").write_text(f"{doc.title}\n\n{body}\n", encoding="utf-8")
    with open(folder / "metadata.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["file", "published", "title"])
        writer.writerows([f"{doc.doc_id}.txt", doc.published, doc.title] for doc in docs)


def _flat(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def gold_sentences(doc: Document, text: str) -> list[int]:
    """The gold sentences a stored sentence is: it lies in one of them, or they lie in it."""
    flat = _flat(text)
    if not flat:
        return []
    found = []
    for number, sentence in doc.sentences.items():
        gold = _flat(sentence)
        if gold and (flat in gold or gold in flat):
            found.append(number)
    return found


def answer_date(granularity: str, value: str, first: str) -> str:
    if granularity == "day":
        return first
    if granularity == "month":
        return first[:7]
    if granularity == "year":
        return first[:4]
    return value  # a week, a quarter or a decade: a date no gold line has


def naming(doc: Document, name: str) -> list[int]:
    words = set(_flat(name).split())
    return [n for n, s in doc.sentences.items() if words <= set(_flat(s).split())]


def naive(docs: list[Document], name: str, dater) -> set[tuple[str, int, str]]:
    return {(doc.doc_id, n, dater(doc, doc.sentences[n])) for doc in docs for n in naming(doc, name)}


def spacy_dater():
    """Date a sentence by its first spaCy DATE entity that dateparser reads, else by its publication date."""
    try:
        from dateparser.date import DateDataParser
    except ImportError:
        return None
    from bot.nlp import pipeline

    nlp = pipeline.load()
    widths = {"day": 10, "week": 10, "month": 7, "year": 4}
    parsers = {}

    def dater(doc: Document, sentence: str) -> str:
        if doc.published not in parsers:
            settings = {"RELATIVE_BASE": _datetime(doc.published), "PREFER_DATES_FROM": "past"}
            parsers[doc.published] = DateDataParser(languages=["en"], settings=settings)
        for ent in nlp(sentence).ents:
            if ent.label_ != "DATE":
                continue
            data = parsers[doc.published].get_date_data(ent.text)
            if data.date_obj is not None:
                return data.date_obj.date().isoformat()[: widths.get(data.period, 10)]
        return doc.published

    return dater


def _datetime(day: str):
    from datetime import datetime

    return datetime.fromisoformat(day)


async def shipped(docs: list[Document], timelines: list[Timeline]) -> dict[str, Score]:
    from bot import services
    from bot.archive.store import Archive
    from bot.ingest import ingest_folder
    from bot.render.answers import timeline_answer
    from bot.render.pages import paginate

    by_title = {doc.title: doc for doc in docs}
    scores = {key: Score() for key in ("actor, first page", "actor, whole", "topic, first page", "topic, whole")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "archive"
        write_archive(docs, folder)
        async with await Archive.open(Path(tmp) / "newsdesk.db") as archive:
            report = await ingest_folder(archive, folder, max_bytes=1_000_000)
            assert report.counts.get("added") == len(docs), report.counts
            for timeline in timelines:
                for kind, args in (("actor", {"actor": timeline.name}), ("topic", {"topic": timeline.name})):
                    events = (await services.timeline(archive, **args)).events
                    passages = await archive.event_passages([e.id for e in events])
                    answer_card = timeline_answer(events, timeline.name)
                    first_page = _on_page(answer_card, paginate(answer_card)[0], events) if events else []
                    for part, shown in (("first page", first_page), ("whole", events)):
                        answer = set()
                        for event in shown:
                            day = answer_date(event.granularity, event.value, event.first)
                            for article, text in passages.get(event.id, []):
                                doc = by_title[article.title]
                                answer |= {(doc.doc_id, n, day) for n in gold_sentences(doc, text)}
                        scores[f"{kind}, {part}"].add(timeline, answer, len(shown))
    return scores


def _on_page(answer, card, events) -> list:
    """The events whose lines the card shows: the answer's entries, one per event, packed into its fields."""
    from bot.render import limits

    entries, count = answer.sections[0].entries, 0
    for _, value in card.fields:
        packed = ""
        while count < len(entries):
            more = (packed + "\n" if packed else "") + limits.clip(entries[count], limits.FIELD_VALUE)
            if not value.startswith(more):
                break
            packed, count = more, count + 1
    return events[:count]


def main() -> None:
    docs, timelines = load_documents(), load_timelines()
    print(
        f"SemEval-2015 Task 4 trial: {len(docs)} articles, {len(timelines)} entity timelines, "
        f"{sum(len(t.dated) for t in timelines)} gold dated sentences"
    )
    scores = asyncio.run(shipped(docs, timelines))
    for label, score in scores.items():
        print(score.row(f"Newsdesk timeline, {label}"))
    baselines = {"naive: sentences naming it, dated by publication": lambda doc, _: doc.published}
    dater = spacy_dater()
    if dater is None:
        print("(dateparser is not installed: `make eval` installs it for the second naive method)")
    else:
        baselines["naive: the same, dated by spaCy DATE + dateparser"] = dater
    for label, date_of in baselines.items():
        score = Score()
        for timeline in timelines:
            answer = naive(docs, timeline.name, date_of)
            score.add(timeline, answer, len(answer))
        print(score.row(label))


if __name__ == "__main__":
    main()
