"""Which sentences matter: extractive summaries of one article, and of several without repeating a fact.

A sentence's importance is how central its words are to the article (cosine of its tf-idf vector with the
article's), weighed by where it stands: news copy puts the point first, so the lede counts most. Sentences of a
few words (datelines, captions, "He declined to comment.") count little.

Across articles, sentences are taken best first, skipping any too like one already taken (the same fact told
by two articles is told once), each with the article it came from.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

# English function words (kept here rather than taken from spaCy, so that the bot's own process, which ranks
# sentences for topic summaries, never imports the language pipeline).
STOP_WORDS = set(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "said",
        "says",
        "say",
        "told",
        "tell",
        "mr",
        "mrs",
        "ms",
        "one",
        "two",
        "would",
        "could",
        "may",
        "might",
        "must",
        "shall",
        "its",
        "it's",
        "he's",
        "she's",
        "they're",
        "we're",
        "i'm",
        "don't",
    ]
)
POSITION_DECAY = 1.0  # weight of the i-th sentence: 1 / (1 + i)^POSITION_DECAY
CENTRALITY_FLOOR = 0.5  # so that a lede of few shared words still counts
MIN_WORDS = 6
SHORT_WEIGHT = 0.2
REDUNDANT = 0.5  # cosine above which a sentence repeats one already chosen

_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def words(sentence: str) -> list[str]:
    return [w for w in (m.group().lower().strip("'’") for m in _WORD.finditer(sentence)) if w and w not in STOP_WORDS]


def vectors(sentences: Sequence[str]) -> list[dict[str, float]]:
    """tf-idf vectors, the sentences themselves serving as the documents for idf."""
    bags = [Counter(words(s)) for s in sentences]
    df = Counter(w for bag in bags for w in bag)
    n = len(sentences)
    return [{w: tf * (math.log((1 + n) / (1 + df[w])) + 1) for w, tf in bag.items()} for bag in bags]


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(w, 0.0) for w, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def importance(sentences: Sequence[str]) -> list[float]:
    """A score per sentence, higher for the ones a summary should keep."""
    vecs = vectors(sentences)
    centroid: Counter = Counter()
    for vec in vecs:
        centroid.update(vec)
    scores = []
    for i, (sentence, vec) in enumerate(zip(sentences, vecs, strict=True)):
        score = (CENTRALITY_FLOOR + cosine(vec, centroid)) / (1 + i) ** POSITION_DECAY
        if len(sentence.split()) < MIN_WORDS:
            score *= SHORT_WEIGHT
        scores.append(round(score, 6))
    return scores


def summarize(sentences: Sequence[str], n: int = 3, scores: Sequence[float] | None = None) -> list[int]:
    """The indices of the n most important sentences, in reading order, none repeating another."""
    scores = list(scores) if scores is not None else importance(sentences)
    vecs = vectors(sentences)
    chosen: list[int] = []
    for i in sorted(range(len(sentences)), key=lambda i: -scores[i]):
        if len(chosen) >= n:
            break
        if all(cosine(vecs[i], vecs[j]) <= REDUNDANT for j in chosen):
            chosen.append(i)
    return sorted(chosen)


def across(candidates: Sequence[tuple[str, float, object]], n: int) -> list[tuple[str, object]]:
    """From (sentence, score, source) of several articles, the n best that do not repeat one another."""
    ranked = sorted(candidates, key=lambda c: -c[1])
    vecs = vectors([c[0] for c in ranked])
    chosen: list[int] = []
    for i in range(len(ranked)):
        if len(chosen) >= n:
            break
        if all(cosine(vecs[i], vecs[j]) <= REDUNDANT for j in chosen):
            chosen.append(i)
    return [(ranked[i][0], ranked[i][2]) for i in chosen]
