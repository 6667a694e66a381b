"""One document's analysis, and its form in the analysis contract (../shared/docs/analysis-contract.md)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc

from bot.articles import Article
from bot.nlp.actors import Actor, Hints, find_actors
from bot.nlp.entities import Mention, clean_entities
from bot.nlp.events import find_events, headline_event, is_central
from bot.nlp.quotes import Quote, find_quotes
from bot.nlp.records import ActorRecord, ArticleAnalysis, DescriptionRecord, MentionRecord, QuoteRecord
from bot.nlp.summary import importance, summarize
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


def sentence_texts(analysis: Analysis, body: str | None = None) -> list[tuple[int, str]]:
    """(index, text) of the doc's sentences that are the article's own: not its headline, byline or furniture
    (those that do not appear in `body`, the clean body, when it is given)."""
    flat_body = " ".join(body.split()) if body is not None else None
    found = []
    cursor = 0  # the body's sentences come in order: each is looked for after the last one found, then anywhere
    for i, sentence in enumerate(analysis.doc.sents):
        text = analysis.text[sentence.start_char : sentence.end_char].strip()
        if not text:
            continue
        if flat_body is None:
            found.append((i, text))
            continue
        flat = " ".join(text.split())
        at = flat_body.find(flat, cursor)
        if at >= 0:
            cursor = at + len(flat)
        if at >= 0 or flat in flat_body:
            found.append((i, text))
    return found


def summary(analysis: Analysis, n: int, body: str | None = None) -> list[str]:
    sentences = sentence_texts(analysis, body)
    return [sentences[i][1] for i in summarize([t for _, t in sentences], n)] if n > 0 else []


def contract_record(doc_id: object, analysis: Analysis, summary_sentences: int = 3, body: str | None = None) -> dict:
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
        if a.kind in ("person", "organization", "place", "group")  # the contract's kinds, not product/event/index
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
    # The contract's quotes are the direct quotations; the fragments a writer's sentence runs into come beside them.
    partial = [quote for quote, q in zip(quotes, analysis.quotes, strict=True) if q.partial]
    quotes = [quote for quote, q in zip(quotes, analysis.quotes, strict=True) if not q.partial]
    timexes = [
        {"start": t.start, "end": t.end, "text": t.text, "type": t.type, "value": t.value} for t in analysis.timexes
    ]
    return {
        "id": doc_id,
        "entities": entities,
        "actors": actors,
        "quotes": quotes,
        "partial_quotes": partial,
        "timexes": timexes,
        "summary": summary(analysis, summary_sentences, body),
    }


def hints_for(article: Article) -> Hints:
    people = frozenset(n.strip() for n in re.split(r",|\band\b|&", article.author or "") if n.strip())
    return Hints(publications=frozenset({article.source} if article.source else ()), people=people)


def _carried_subjects(doc: Doc, actors: list[Actor]) -> dict[int, int]:  # the pronoun's token: its person
    """The person a sentence's "he" or "she" subject stands for: the subject of the sentence before when that was
    a person (named, or itself such a pronoun), else the one person the sentence before names ("Apple said Jobs
    would take leave. He fought cancer in 2004."). Only across adjacent sentences, and never with two people in
    view: past that, a pronoun is left unresolved."""
    person_at = {
        t: i for i, a in enumerate(actors) if a.kind == "person" for m in a.mentions for t in range(m.start, m.end)
    }
    carried, previous = {}, None
    for sentence in doc.sents:
        subject = next((c for c in sentence.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.lower_ in ("he", "she") and previous is not None:
            carried[subject.i] = previous
            continue
        named = next((person_at[t.i] for t in subject.subtree if t.i in person_at), None) if subject else None
        people = {person_at[t.i] for t in sentence if t.i in person_at}
        previous = named if named is not None else (people.pop() if len(people) == 1 else None)
    return carried


def to_records(analysis: Analysis, published: date | None = None, headline: str | None = None) -> ArticleAnalysis:
    """The records the archive stores; `headline`, when the article has one of its own, is an event too."""
    doc, text = analysis.doc, analysis.text
    spans = [(s.start_char, s.end_char) for s in doc.sents]
    scores = importance([text[s:e] for s, e in spans])
    sentences = tuple((s, e, score) for (s, e), score in zip(spans, scores, strict=True))
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
            q.partial,
        )
        for q in analysis.quotes
    )
    actor_at: dict[int, int] = {}  # token: the actor it names
    central: dict[int, set[int]] = {}  # sentence: the actors it is about
    for index, (actor, record) in enumerate(zip(analysis.actors, actors, strict=True)):
        if actor.publication:  # "told Al-Monitor" does not make Al-Monitor part of what happened
            continue
        for m, stored in zip(actor.mentions, record.mentions, strict=True):
            actor_at.update(dict.fromkeys(range(m.start, m.end), index))
            if is_central(doc[m.start : m.end].root):
                central.setdefault(stored.sentence, set()).add(index)
    for token, index in _carried_subjects(doc, analysis.actors).items():
        actor_at[token] = index
        central.setdefault(sentence_of_token[token], set()).add(index)  # the subject "he" stands for
    found, headline_day = find_events(doc, analysis.timexes, actor_at, published)
    events = [
        dataclasses.replace(e, central=tuple(sorted(central.get(e.sentence, set()) & set(e.actors)))) for e in found
    ]
    named = [(i, (a.name, *a.aliases)) for i, a in enumerate(actors) if not a.publication]
    if headline and (event := headline_event(headline, headline_day, named)) is not None:
        events.append(event)
    return ArticleAnalysis(sentences, tuple(actors), quotes, tuple(events))
