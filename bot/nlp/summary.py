"""Which sentences matter: extractive summaries of one article, and of several without repeating a fact.

A sentence's importance is how central its words are to the article (cosine of its tf-idf vector with the
article's), weighed by where it stands and by its form. News copy puts the point first: the lede counts most,
the three sentences after it alike (on news with reference summaries they hold as much of the summary as each
other), later ones less and less. Sentences of a few words ("He declined to comment.") count little, very long
ones less for their length; page furniture run into the text (captions, credits, "Scroll down for video") and
sentences that open with a quotation or ask a question count less.

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
LEDE_WEIGHT = 1.5  # the lede counts most, then the next LEAD sentences alike, then 1 / (1 + i - LEAD)
LEAD = 3  # on news with reference summaries, sentences 2-4 hold as much of the summary as each other
CENTRALITY_FLOOR = 0.5  # so that a lede of few shared words still counts
MIN_WORDS = 6
SHORT_WEIGHT = 0.2
LONG_WORDS = 40  # past this a sentence counts LONG_WORDS / its words: centrality favours length for its own sake
FURNITURE_WEIGHT = 0.3
QUOTE_WEIGHT = 0.5  # a sentence that opens with a quotation or asks a question: colour, not the gist
REDUNDANT = 0.5  # cosine above which a sentence repeats one already chosen

_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Page furniture that a flattened web page runs into the text: calls to act, credits, picture placements.
_FURNITURE = re.compile(
    r"""\b(?:scroll\s+down|click\s+here|read\s+more|watch\s+(?:the\s+)?video|see\s+(?:the\s+)?gallery)\b
    | \((?:pictured|above|below|left|right|cent(?:re|er)|middle|top|bottom|inset|file|circled)\b[^)]{0,40}\)
    | ,\s+(?:pictured|left|right|cent(?:re|er)|above|below|circled),
    | \b(?:photo(?:graph)?s?|images?|pictures?|credit|video)\s*: | \bphoto(?:graph)?\s+by\b
    | \bgetty\s+images\b | \b(?:AP|AFP|EPA|Reuters)\s+photo\b | (?<!\w)©""",
    re.IGNORECASE | re.VERBOSE,
)
# A caption's label: up to three words, the first capitalised, and a colon opening the sentence ("Top spot: Iconic
# brand ...", "EXCLUSIVE: ..."), but not a speaker ("Mr Smith said: ...").
_LABEL = re.compile(r"^[‘'\"]?[A-Z][\w'’-]*(?:\s+[\w'’-]+){0,2}[‘'’\"]?:\s+[‘'\"]?[A-Z]")
_SPEECH = re.compile(r"\b(?:said|says|added|told|asked|wrote|writes|explained|stated|insisted|warned|replied)\b")
# Two sentences run together without a stop, as a caption that lost its full stop: a lowercase word, then a
# capitalised word that opens a clause, then a lowercase one ("... in woodland In many of the pictures ...");
# "told The Times" is a name, not a run-on.
_RUN_ON = re.compile(
    r"\b[a-z][\w'’-]*\s+(?:The|In|On|At|He|She|It|They|His|Her|Their|This|These|But|As|After|When)\s+[a-z]"
)
_OPENS_QUOTE = re.compile(r"^\W{0,3}[\"“‘']")


def words(sentence: str) -> list[str]:
    return [w for w in (m.group().lower().strip("'’") for m in _WORD.finditer(sentence)) if w and w not in STOP_WORDS]


def furniture(sentence: str) -> bool:
    """Whether a sentence is, or has run into it, a caption, a credit or a call to act rather than the story."""
    label = _LABEL.match(sentence)
    return bool(
        _FURNITURE.search(sentence) or _RUN_ON.search(sentence) or (label and not _SPEECH.search(label.group()))
    )


def position_weight(i: int) -> float:
    return LEDE_WEIGHT if i == 0 else 1 / (1 + max(0, i - LEAD))


def form_weight(sentence: str) -> float:
    """What a sentence's form says of its worth in a summary, whatever it is about."""
    count = len(sentence.split())
    weight = SHORT_WEIGHT if count < MIN_WORDS else min(1.0, LONG_WORDS / count)
    if furniture(sentence):
        weight *= FURNITURE_WEIGHT
    if _OPENS_QUOTE.match(sentence) or sentence.rstrip("'\"’” ").endswith("?"):
        weight *= QUOTE_WEIGHT
    return weight


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
    return [
        round((CENTRALITY_FLOOR + cosine(vec, centroid)) * position_weight(i) * form_weight(sentence), 6)
        for i, (sentence, vec) in enumerate(zip(sentences, vecs, strict=True))
    ]


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


def across(
    candidates: Sequence[tuple[str, float, object]], n: int, taken: Sequence[str] = ()
) -> list[tuple[str, object]]:
    """From (sentence, score, source) of several articles, the n best that do not repeat one another, nor any
    sentence already `taken`."""
    ranked = sorted(candidates, key=lambda c: -c[1])
    vecs = vectors([c[0] for c in ranked] + list(taken))
    chosen = list(range(len(ranked), len(vecs)))
    for i in range(len(ranked)):
        if len(chosen) - len(taken) >= n:
            break
        if all(cosine(vecs[i], vecs[j]) <= REDUNDANT for j in chosen):
            chosen.append(i)
    return [(ranked[i][0], ranked[i][2]) for i in chosen[len(taken) :]]
