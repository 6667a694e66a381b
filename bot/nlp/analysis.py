"""One document's analysis, and its form in the analysis contract (../shared/docs/analysis-contract.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from bot.articles import Article
from bot.nlp.actors import Actor, Hints, find_actors
from bot.nlp.entities import Mention, clean_entities
from bot.nlp.quotes import Quote, find_quotes
from bot.nlp.records import ActorRecord, ArticleAnalysis, DescriptionRecord, MentionRecord, QuoteRecord
from bot.nlp.timex import Timex, find_timexes


@dataclass
class Analysis:
    text: str  # the input, exactly: `doc.text` may differ from it in letter case (see pipeline.pipe)
    doc: Doc
    entities: list[Mention]
    actors: list[Actor]
    quotes: list[Quote]
    timexes: list[Timex]


def analyze_doc(text: str, doc: Doc, hints: Hints | None = None, published: date | None = None) -> Analysis:
    assert len(text) == len(doc.text), "the doc must be of this very text"
    entities = clean_entities(doc)
    actors = find_actors(doc, entities, hints or Hints())
    return Analysis(text, doc, entities, actors, find_quotes(doc, text, actors), find_timexes(doc, text, published))


def char_span(doc: Doc, mention: Mention) -> tuple[int, int]:
    span = mention.span(doc)
    return span.start_char, span.end_char


def contract_record(doc_id: object, analysis: Analysis) -> dict:
    doc = analysis.doc
    entities = []
    for m in analysis.entities:
        start, end = char_span(doc, m)
        entities.append({"start": start, "end": end, "text": analysis.text[start:end], "label": m.label})
    actors = [
        {
            "name": a.name,
            "kind": a.kind,
            "mentions": [list(char_span(doc, m)) for m in a.mentions],
            "aliases": a.aliases,
            "descriptions": [d.text for d in a.descriptions],
            "publication": a.publication,
        }
        for a in analysis.actors
    ]
    quotes = [
        {
            "start": q.start,
            "end": q.end,
            "text": analysis.text[q.start : q.end],
            "speaker": q.speaker,
            "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end,
            "cue": q.cue,
        }
        for q in analysis.quotes
    ]
    timexes = [
        {"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value} for t in analysis.timexes
    ]
    return {
        "id": doc_id,
        "entities": entities,
        "actors": actors,
        "quotes": quotes,
        "timexes": timexes,
        "summary": [],
    }


def hints_for(article: Article) -> Hints:
    people = frozenset(n.strip() for n in re.split(r",|\band\b|&", article.author or "") if n.strip())
    return Hints(publications=frozenset({article.source} if article.source else ()), people=people)


def to_records(analysis: Analysis) -> ArticleAnalysis:
    doc, text = analysis.doc, analysis.text
    sentences = tuple((s.start_char, s.end_char) for s in doc.sents)
    sentence_of_token = {}
    for i, s in enumerate(doc.sents):
        for t in range(s.start, s.end):
            sentence_of_token[t] = i

    def sentence_at(char: int) -> int:
        return sentence_of_token[doc.char_span(char, char + 1, alignment_mode="expand").start]

    actors = []
    for a in analysis.actors:
        mentions = tuple(
            MentionRecord(sentence_of_token[m.start], *char_span(doc, m), text[slice(*char_span(doc, m))], m.label)
            for m in a.mentions
        )
        descriptions = tuple(DescriptionRecord(d.text, sentence_at(d.start), d.start, d.end) for d in a.descriptions)
        actors.append(ActorRecord(a.name, a.kind, a.key, a.publication, tuple(a.aliases), mentions, descriptions))
    position = {id(a): i for i, a in enumerate(analysis.actors)}
    quotes = tuple(
        QuoteRecord(
            q.start,
            q.end,
            q.content(text),
            q.sentence,
            position.get(id(q.actor)) if q.actor else None,
            q.speaker,
            q.speaker_start,
            q.speaker_end,
            q.cue,
        )
        for q in analysis.quotes
    )
    return ArticleAnalysis(sentences, tuple(actors), quotes)
