"""Stories: which earlier story a new article continues, if any. Pure functions; the writer keeps the state.

An online clustering, after Miranda et al. (2018), "Multilingual Clustering of Streaming News": each article is a
tf-idf vector of its headline and lede (the words that say what happened), a story is the sum of its articles'
vectors, and a new article joins the most similar story seen within a few days of it, when the words are close
enough, or close and about the same actors; else it starts a story of its own. Precision first: two stories
merged are worse than one story shown twice, so the thresholds ask much (bench/eval/stories.py measures them).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from bot.nlp.summary import words

# A figure whole: "3.467", "1,250", a price in fractions "6-1/8" (not three figures 6, 1 and 8).
_FIGURE = re.compile(r"\d+/\d+|\d[\d.,]*\d(?:-\d+/\d+)?|\d(?:-\d+/\d+)?")

LEDE_WORDS = 120  # of the body, after the headline: what happened is told first
TITLE_WEIGHT = 2  # a headline word counts as much as two lede words
VECTOR_TERMS = 40  # an article's vector keeps its strongest words
CENTROID_TERMS = 60  # and a story's
INDEX_TERMS = 6  # words of each article by which its story can be found again
WINDOW_DAYS = 3  # an article joins a story whose days come within this many of its own
# The bars an article must pass to join a story, in the similarity of what happened (names left out) and the
# share of its people and organisations (each weighed by its rarity) the story has: close words and most of the
# same actors, or words somewhat close and nearly all of them; an article that names nobody, only on very close
# words. Two companies' reports on one template share words and no actors; one company's two announcements
# share actors and few words.
SAME_WORDS = 0.5
MOST_ACTORS = 0.5
SAME_WITH_ACTORS = 0.3
ALL_ACTORS = 0.8
SAME_WORDS_ALONE = 0.65
# A recurring report (the day's money-market operations, a price table) has the same words every time and other
# figures: an article whose figures the story mostly lacks is another day's report, not news of the same story.
MIN_FIGURES = 2
SAME_FIGURES = 0.34
OTHER_DAY_FIGURES = 1
OTHER_DAY_SAME_FIGURES = 0.5
MAX_SPAN_DAYS = 14  # nor does a story run on for ever, one day's article chained to the next


def terms(title: str, body: str, names: set[str] = frozenset()) -> Counter:
    """Word counts of the headline (weighted) and of the start of the body: what happened, not who (the words of
    the article's actors' names, `names`, are left to the actor feature), with its figures, which tell one
    day's or one company's templated story ("net profit ... vs ...") from another's."""
    lede = " ".join(body.split()[:LEDE_WORDS])
    counts = Counter(w for w in words(lede) if w not in names)
    counts.update("#" + n for n in _FIGURE.findall(lede))
    for word in words(title):
        if word not in names:
            counts[word] += TITLE_WEIGHT
    return counts


def name_words(mentions: list[str]) -> set[str]:
    """The words of the names an article mentions, as `terms` leaves them out."""
    return {w for text in mentions for w in words(text)}


def idf(df: int, total: int) -> float:
    """A word's rarity among `total` articles, smoothed so a small archive weighs every word alike."""
    return math.log((1 + total) / (1 + df)) + 1


def vector(counts: Counter, df: dict[str, int], total: int) -> dict[str, float]:
    """The unit tf-idf vector of the strongest VECTOR_TERMS words (log tf: a repeated word is not the story)."""
    weights = {w: (1 + math.log(n)) * idf(df.get(w, 0), total) for w, n in counts.items()}
    top = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:VECTOR_TERMS])
    return _unit(top)


def _unit(vec: dict[str, float]) -> dict[str, float]:
    length = norm(vec)
    return {w: round(v / length, 5) for w, v in vec.items()} if length else {}


def norm(vec: dict[str, float]) -> float:
    return math.sqrt(sum(v * v for v in vec.values()))


def cosine(vec: dict[str, float], centroid: dict[str, float], centroid_norm: float | None = None) -> float:
    """Cosine of a unit vector with a centroid (any length; its norm may be given, as stored)."""
    if not vec or not centroid:
        return 0.0
    length = norm(centroid) if centroid_norm is None else centroid_norm
    return sum(v * centroid.get(w, 0.0) for w, v in vec.items()) / length if length else 0.0


def merge(centroid: dict[str, float], vec: dict[str, float]) -> dict[str, float]:
    """The story's centroid with one more article, its weakest words dropped past CENTROID_TERMS."""
    total = Counter(centroid)
    total.update(vec)
    return {w: round(v, 5) for w, v in sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS]}


def index_terms(vec: dict[str, float]) -> list[str]:
    """The article's strongest words, figures aside (a figure is a poor way to find a story: "1987", "10")."""
    return sorted((w for w in vec if not w.startswith("#")), key=lambda w: (-vec[w], w))[:INDEX_TERMS]


def actor_share(article_actors: dict[int, float], story_actors: set[int]) -> float:
    """The share of the article's actor weight (each actor weighs by its rarity) that the story shares."""
    total = sum(article_actors.values())
    if not total:
        return 0.0
    return sum(w for a, w in article_actors.items() if a in story_actors) / total


def actor_weight(articles_with_actor: int, total: int) -> float:
    """An actor named in few articles says more of a story than one named everywhere (the U.S., Reuters)."""
    return math.log(1 + (1 + total) / max(1, articles_with_actor))  # > 0: in a small archive every actor counts


@dataclass(frozen=True)
class Candidate:
    story_id: int
    centroid: dict[str, float]
    centroid_norm: float
    first_seen: str
    last_seen: str
    actors: set[int]


def within(day: str, first_seen: str, last_seen: str, days: int = WINDOW_DAYS) -> bool:
    """Whether an article of `day` is near enough the story's days, and would not stretch it past MAX_SPAN_DAYS."""
    d, first, last = (date.fromisoformat(x[:10]) for x in (day, first_seen, last_seen))
    near = (first - d).days <= days and (d - last).days <= days
    return near and (max(d, last) - min(d, first)).days <= MAX_SPAN_DAYS


def figure_share(vec: dict[str, float], centroid: dict[str, float], least: int = MIN_FIGURES) -> float | None:
    """The share of the article's figure weight found in the story (None: too few figures to tell)."""
    figures = {w: v for w, v in vec.items() if w.startswith("#")}
    if len(figures) < least:
        return None
    return sum(v for w, v in figures.items() if w in centroid) / sum(figures.values())


def score(vec: dict[str, float], actors: dict[int, float], candidate: Candidate, day: str | None = None) -> float:
    """How surely the article continues the story: its similarity, when the two pass one of the bars, else 0."""
    other_day = day is not None and not (candidate.first_seen[:10] <= day[:10] <= candidate.last_seen[:10])
    if other_day:  # another day's report: any figure of its own the story lacks tells it apart
        figures = figure_share(vec, candidate.centroid, OTHER_DAY_FIGURES)
        if figures is not None and figures < OTHER_DAY_SAME_FIGURES:
            return 0.0
    figures = figure_share(vec, candidate.centroid)
    if figures is not None and figures < SAME_FIGURES:
        return 0.0
    similarity = cosine(vec, candidate.centroid, candidate.centroid_norm)
    if not sum(actors.values()):
        return similarity if similarity >= SAME_WORDS_ALONE else 0.0
    share = actor_share(actors, candidate.actors)
    if (similarity >= SAME_WORDS and share >= MOST_ACTORS) or (similarity >= SAME_WITH_ACTORS and share >= ALL_ACTORS):
        return similarity
    return 0.0


def best_story(
    vec: dict[str, float], actors: dict[int, float], day: str, candidates: list[Candidate]
) -> tuple[int, float] | None:
    """The story the article joins (id, similarity), or None: it starts one."""
    best = None
    for candidate in candidates:
        if not within(day, candidate.first_seen, candidate.last_seen):
            continue
        s = score(vec, actors, candidate, day)
        if s > 0 and (best is None or s > best[1] or (s == best[1] and candidate.story_id < best[0])):
            best = (candidate.story_id, s)
    return best
