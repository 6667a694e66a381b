"""Named-entity mentions: spaCy's, with the systematic errors of a small model corrected by general rules.

- a leading "the" and a trailing possessive are not part of a name ("the Patriotic Union of Kurdistan’s");
- titles, ranks and honorifics lead a person's name but are roles ("Maj. Gen.", "Ayatollah", "Army Col.");
  an "entity" that is nothing but such words ("Supreme", "Army Col") is dropped;
- a name broken after its particle ("al- Abadi") is one mention.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from bot.nlp.names import NAME_PARTICLE, NAME_PARTICLES, POSSESSIVES, TITLE_WORDS, is_personal_title

# Labels whose spans are names (and so lose a leading "the"); the rest (dates, numbers) are kept as found.
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
DETERMINERS = {"the", "a", "an"}
MAX_GIVEN_NAMES = 2
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# A line opening with a place in capitals, then perhaps a region, then a date or an agency code.
_DATELINE = re.compile(
    rf"(?m)^(?P<place>[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){{0,3}})(?: ?, ?[A-Z][A-Za-z .'-]{{1,30}}?)?"
    rf"(?: ?, ?{_MONTH} \d{{1,2}})? (?:\d{{4}}-\d{{2}}-\d{{2}}|\((?:AP|Reuters|AFP|UPI|dpa)\)|{_MONTH} \d{{1,2}})"
)


@dataclass
class Mention:
    start: int  # token offsets in the doc
    end: int
    label: str
    from_context: bool = False  # label set by the words around it, not by the model

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


def clean_entities(doc: Doc) -> list[Mention]:
    mentions = []
    for ent in doc.ents:
        mention = _clean(doc, ent)
        if mention is not None:
            mentions.append(mention)
    _extend_given_names(doc, mentions)
    mentions = _join_name_parts(doc, mentions)
    return _with_dateline_places(doc, mentions)


def _with_dateline_places(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A dateline's city is a place: "SEOUL 1996-08-31", "KHASAVYURT, Russia 1996-08-31", "BAGHDAD (AP) —"."""
    places = []
    # Mentions are in order and apart: those a span overlaps are found by bisection, not by a scan of them all.
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    dropped: set[int] = set()  # ids of the mentions a place replaced
    for match in _DATELINE.finditer(doc.text):
        span = doc.char_span(match.start("place"), match.end("place"))
        if span is None:
            continue
        k = bisect_right(starts, span.start)
        while k > 0 and ordered[k - 1].end > span.start:
            k -= 1  # back to the first mention that may reach into the span
        overlapping = []
        for m in ordered[k:]:
            if m.start >= span.end:
                break
            if span.start < m.end and id(m) not in dropped:
                overlapping.append(m)
        if all(m.label in ("GPE", "LOC", "FAC", "ORG", "PERSON", "NORP") for m in overlapping):
            dropped.update(id(m) for m in overlapping)
            places.append(Mention(span.start, span.end, "GPE", from_context=True))
    if dropped:
        mentions = [m for m in mentions if id(m) not in dropped]
    return sorted(mentions + places, key=lambda m: m.start)


def _extend_given_names(doc: Doc, mentions: list[Mention]) -> None:
    """A person's unfamiliar given name the model left out: "Muthiah" before "Muralitharan"."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    for m in mentions:
        if m.label != "PERSON":
            continue
        for _ in range(MAX_GIVEN_NAMES):
            i = m.start - 1
            if i < 0 or i in taken or not _given_name_like(doc[i]):
                break
            m.start = i
            taken.add(i)


def _given_name_like(token) -> bool:
    return (
        token.pos_ == "PROPN"
        and token.is_alpha
        and token.is_title
        and token.lower_ not in TITLE_WORDS
        and token.lower_ not in NAME_PARTICLES
    )


def _join_name_parts(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A person's name the model cut in two at its particle: "Khalid" + "al- Obeidi" is "Khalid al- Obeidi"."""
    joined: list[Mention] = []
    for mention in mentions:
        prev = joined[-1] if joined else None
        if (
            prev is not None
            and prev.label == "PERSON"
            and prev.end == mention.start
            and mention.label in ("PERSON", "ORG", "GPE", "NORP")
            and (NAME_PARTICLE.match(doc[mention.start].text) or doc[mention.start].lower_ in NAME_PARTICLES)
        ):
            prev.end = mention.end
            continue
        joined.append(mention)
    return joined


def _clean(doc: Doc, ent: Span) -> Mention | None:
    start, end, label = ent.start, ent.end, ent.label_
    if label not in NAME_LABELS:
        return Mention(start, end, label)
    start, end = _within_one_line(doc, start, end)
    if start >= end:
        return None
    # A name does not end in a number or stray punctuation ("Millwall 2", "Dublin Newsroom +353").
    while end - 1 > start and (doc[end - 1].like_num or doc[end - 1].is_punct or doc[end - 1].lower_ in POSSESSIVES):
        end -= 1
    while start < end and doc[start].lower_ in DETERMINERS:
        start += 1
    if label in ("PERSON", "ORG"):
        title_end = _title_prefix_end(doc, start, end)
        if title_end == end:
            return None  # nothing but titles: a role without a name
        # An organisation's name may begin with an office ("Foreign Ministry", "Supreme Court"); only an
        # honorific or a rank marks a person's name mis-tagged as one ("Ayatollah Ali Khamenei"). The titles
        # taken off are found again as roles (actors._title_roles).
        personal = any(is_personal_title(doc, i) for i in range(start, title_end))
        if label == "PERSON" or (personal and _looks_like_person_name(doc[title_end:end])):
            start, label = title_end, "PERSON"
    if start > 0 and NAME_PARTICLE.match(doc[start - 1].text) and doc[start - 1].whitespace_:
        start -= 1  # "al- Abadi"
    if start >= end:
        return None
    return Mention(start, end, label)


def _within_one_line(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A name that runs over a line break is cut there, keeping the side with more letters."""
    for i in range(start, end):
        if "\n" in doc[i].text or "\n" in doc[i].whitespace_:
            cut = i if doc[i].is_space else i + 1
            before = sum(len(t) for t in doc[start:cut] if t.is_alpha)
            after = sum(len(t) for t in doc[cut:end] if t.is_alpha)
            rest = cut + 1 if cut < end and doc[cut].is_space else cut
            return (start, cut) if before >= after else _within_one_line(doc, rest, end)
    return start, end


def _title_prefix_end(doc: Doc, start: int, end: int) -> int:
    """Token index where the run of title words at the front of [start, end) ends."""
    i = start
    # The dots of "Maj. Gen." may be tokens of their own.
    while i < end and (
        doc[i].lower_.rstrip(".") in TITLE_WORDS or is_personal_title(doc, i) or (doc[i].is_punct and i > start)
    ):
        i += 1
    return i


def _looks_like_person_name(span: Span) -> bool:
    return 1 <= len(span) <= 4 and all(t.is_title or t.text[:1].isupper() for t in span)
