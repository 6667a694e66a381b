"""Named-entity mentions: spaCy's, with the systematic errors of a small model corrected by general rules.

- a leading "the" and a trailing possessive are not part of a name ("the Patriotic Union of Kurdistan’s"), but a
  title's own article is ("A Beautiful Lie");
- titles, ranks and honorifics lead a person's name but are roles ("Maj. Gen.", "Ayatollah", "Army Col."); an
  organisation's name that begins with an everyday word that is a rank too keeps it ("General Motors", "Major League
  Baseball"); an "entity" that is nothing but such words ("Supreme", "Army Col") is dropped, but a person's that
  is a surname too ("King said");
- a name broken after its particle ("al- Abadi") is one mention; a bare surname gets the given name the model left
  out ("Muthiah Muralitharan"), a full name never a word more ("Coach Berti Vogts");
- units, currencies and measures are no names ("12 cts", "Avg shrs", "Revs 11.2 mln vs"), and a currency's name is
  its country's ("U.S. Dlrs"); a ticker ("NYSE:XYZ") names nobody;
- a name has a word in it ("3 1 1 0 4" in a table is none); a product keeps its model number ("Boeing 737", "iPhone
  4"), an event its edition ("Super Bowl 50"), a law its number ("Water Act 2000"); a name ending in an event's
  word is an event's ("Hong Kong Open"), in a place's word a place's ("Hancock Brook", "Davis Gym");
- the names of a sports results line are teams ("Grimsby 0 Portsmouth 1"); a short run of capitalised words in
  quotation marks, where the model found no name, is a work's title ('"Baby Turpentine"');
  market indices are found by their shape ("Dow Jones Industrial Average", "Nikkei average", "the FTSE 100"),
  which the model seldom tags.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from bot.nlp.names import (
    COMMON_WORD_TITLES,
    COMPARISON_WORDS,
    EVENT_HEADS,
    EXCHANGE_CODES,
    INDEX_MAKER_WORDS,
    INDEX_SIZES,
    INDEX_WORDS,
    MARKET_WORDS,
    NAME_PARTICLE,
    NAME_PARTICLES,
    PLACE_NAME_HEADS,
    POSSESSIVES,
    SPEECH_VERBS,
    TITLE_WORDS,
    is_currency,
    is_personal_title,
    is_unit,
    is_unmistakable_title,
)

# Labels whose spans are names (and so lose a leading "the"); the rest (dates, numbers) are kept as found.
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
DETERMINERS = {"the", "a", "an"}
_NAME_JOINERS = {"of", "the", "and", "&", "for", "de", "a", "an"}  # words no name ends in
QUOTES = {'"', "“", "”", "'", "‘", "’"}
MAX_TITLE_WORDS = 6
# Small words a title leaves in lower case ("Mistress to an Age", "Battle of the Bulge").
TITLE_JOINERS = {"of", "the", "a", "an", "and", "in", "on", "to", "for", "at", "from", "with", "by", "or"}
MAX_GIVEN_NAMES = 2
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
# A line opening with a place in capitals, then perhaps a region, then a date or an agency code.
_DATELINE = re.compile(
    rf"(?m)^(?P<place>[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+){{0,3}})(?: ?, ?[A-Z][A-Za-z .'-]{{1,30}}?)?"
    rf"(?: ?, ?{_MONTH} \d{{1,2}})? (?:\d{{4}}-\d{{2}}-\d{{2}}|\((?:AP|Reuters|AFP|UPI|dpa)\)|{_MONTH} \d{{1,2}})"
)
_MONTH_WORD = re.compile(_MONTH)
# Sports results as any paper prints them: a score line ("Grimsby 0 Portsmouth 1", "Obilic 2 Zeleznik ( B ) 0") or
# a row of a standings table ("Rotherham 4 0 1 3 3 6 1", "BOSTON 69 65 .515 5 1/2": whole numbers, a percentage of
# wins, halves; not "Sales 9.06 9.31 8.42"). The names in them are teams.
_TEAM = r"[A-Z][\w.'&-]*(?:[ \t][A-Z][\w.'&-]*){0,3}(?:[ \t]\([ \t]?[A-Z]\.?[ \t]?\))?"
_SCORE_LINE = re.compile(
    rf"(?m)^(?P<a>{_TEAM})[ \t]+\d{{1,3}}[ \t]+(?P<b>{_TEAM})[ \t]+\d{{1,3}}(?:[ \t]+\(.*\))?[ \t]*$"
)
_STANDINGS_ROW = re.compile(rf"(?m)^(?P<a>{_TEAM})(?:[ \t]+(?:\d+|\.\d{{3}}|1/2)){{3,}}[ \t]*$")
_TICKER = re.compile(r"\b([A-Za-z]{2,9}) ?: ?[A-Z][A-Z0-9.]{0,9}\b")
_AMOUNT = re.compile(r"^\d[\d.,]*[a-z]{0,2}$")  # "27.89p", "12.5m": a figure with its unit
# A headline's speech verb, capitalised after the name ("Obama Says"): "says", "replies", "preaches".
_SPEECH_FORMS = {
    v[:-1] + "ies" if v.endswith("y") and v[-2] not in "aeiou" else v + ("es" if v.endswith(("s", "sh", "ch")) else "s")
    for v in SPEECH_VERBS
}
# A product's model: "4", "4S", "737", "A380", "S4" (not a year).
_MODEL = re.compile(r"^(?:\d{1,3}[A-Za-z]?|[A-Z]{1,2}-?\d{1,4}[A-Za-z]?)$")
_EDITION = re.compile(r"^(?:\d{1,2}|(?:19|20)\d\d)$")  # an event's: "Super Bowl 50", "Expo 2010"
_MODEL_FOLLOWERS = {",", ".", ";", ":", ")", "'s", "’s", "'", "’"}  # not "-": "9-0-54-1" is a bowler's figures
# A brand written in camel case: "iPhone", "eReader", "PlayStation" (not "McGurk" or "DeSantis").
_CAMEL = re.compile(r"^(?:[a-z]{1,2}[A-Z]|[A-Z][a-z]{2,}[A-Z])[A-Za-z]*$")


@dataclass
class Mention:
    start: int  # token offsets in the doc
    end: int
    label: str
    from_context: bool = False  # label set by the words around it, not by the model
    kind: str | None = None  # the actor kind its shape says ("index"), where no label says it

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


def clean_entities(doc: Doc) -> list[Mention]:
    mentions = []
    text = doc.text  # built anew at each `doc.text`: once
    surnames = {_last_word(ent) for ent in doc.ents if ent.label_ == "PERSON"}
    tickers = _ticker_tokens(doc, text)
    for ent in doc.ents:
        if tickers and any(i in tickers for i in range(ent.start, ent.end)):
            continue  # "(NYSE:XYZ)": a ticker, neither a company's name nor the exchange's
        mention = _clean(doc, ent, surnames)
        if mention is not None:
            mentions.append(mention)
    _extend_given_names(doc, mentions)
    mentions = _join_model_numbers(doc, _join_name_parts(doc, mentions))
    mentions = _with_result_teams(doc, text, _with_dateline_places(doc, text, mentions))
    return _with_quoted_titles(doc, _with_shaped_names(doc, mentions))


def _with_dateline_places(doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """A dateline's city is a place: "SEOUL 1996-08-31", "KHASAVYURT, Russia 1996-08-31", "BAGHDAD (AP) —"."""
    places = []
    for match in _DATELINE.finditer(text):
        span = doc.char_span(match.start("place"), match.end("place"))
        if span is not None:
            places.append(Mention(span.start, span.end, "GPE", from_context=True))
    return _replace(mentions, places, {"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP"})


def _with_result_teams(doc: Doc, text: str, mentions: list[Mention]) -> list[Mention]:
    """The teams of a results line are organisations, which the model seldom finds there (see _SCORE_LINE)."""
    teams = []
    for pattern in (_SCORE_LINE, _STANDINGS_ROW):
        for match in pattern.finditer(text):
            for group in ("a", "b"):
                span = doc.char_span(*match.span(group)) if group in pattern.groupindex else None
                if span is not None:
                    teams.append(Mention(span.start, span.end, "ORG", from_context=True))
    teams.sort(key=lambda m: m.start)
    return _replace(mentions, teams, {"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "PRODUCT"})


def _replace(mentions: list[Mention], found: list[Mention], replaceable: set[str]) -> list[Mention]:
    """The mentions with each of `found` in place of those it overlaps, if all of these have a replaceable label."""
    # Mentions are in order and apart: those a span overlaps are found by bisection, not by a scan of them all.
    ordered = sorted(mentions, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    dropped: set[int] = set()  # ids of the mentions replaced
    added = []
    for new in found:
        k = bisect_right(starts, new.start)
        while k > 0 and ordered[k - 1].end > new.start:
            k -= 1  # back to the first mention that may reach into the span
        overlapping = []
        for m in ordered[k:]:
            if m.start >= new.end:
                break
            if new.start < m.end and id(m) not in dropped:
                overlapping.append(m)
        if all(m.label in replaceable for m in overlapping):
            dropped.update(id(m) for m in overlapping)
            added.append(new)
    if dropped:
        mentions = [m for m in mentions if id(m) not in dropped]
    return sorted(mentions + added, key=lambda m: m.start)


def _extend_given_names(doc: Doc, mentions: list[Mention]) -> None:
    """A person's unfamiliar given name the model left out: "Muthiah" before "Muralitharan". Only before a bare
    surname: a name with its given name already has it, and a capitalised word before it is a role or a place
    ("Coach Berti Vogts", "Sheriff Don Eslinger", "Emperor Charles VI")."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    for m in mentions:
        words = [t for t in doc[m.start : m.end] if t.lower_ not in NAME_PARTICLES]
        if m.label != "PERSON" or len(words) != 1:
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


def _join_adjacent(mentions: list[Mention], joined_label) -> list[Mention]:
    """Each mention that `joined_label(prev, mention)` says continues the one right before it becomes part of it,
    with the label it returns (None: they stay apart)."""
    joined: list[Mention] = []
    for mention in mentions:
        prev = joined[-1] if joined else None
        label = joined_label(prev, mention) if prev is not None and prev.end == mention.start else None
        if label is not None:
            prev.end, prev.label = mention.end, label
            continue
        joined.append(mention)
    return joined


def _join_name_parts(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A person's name the model cut in two at its particle: "Khalid" + "al- Obeidi" is "Khalid al- Obeidi"."""

    def label(prev: Mention, mention: Mention) -> str | None:
        particle = NAME_PARTICLE.match(doc[mention.start].text) or doc[mention.start].lower_ in NAME_PARTICLES
        fits = prev.label == "PERSON" and mention.label in ("PERSON", "ORG", "GPE", "NORP") and particle
        return prev.label if fits else None

    return _join_adjacent(mentions, label)


def _clean(doc: Doc, ent: Span, surnames: set[str]) -> Mention | None:
    start, end, label = ent.start, ent.end, ent.label_
    if label not in NAME_LABELS:
        return Mention(start, end, label)
    start, end = _within_one_line(doc, start, end)
    if start >= end or _compares_quantities(doc[start:end]):
        return None
    start, end, currency = _trimmed(doc, start, end, label)
    if start >= end or _is_quantity(doc[start:end]) or not _has_word(doc, start, end, label):
        return None
    if label == "PERSON" and end - start == 1 and _one_word_question(doc, start):
        return None
    if currency and label not in ("GPE", "LOC", "NORP") and all(t.text[:1].isupper() for t in doc[start:end]):
        # "U.S. Dlrs", "Swiss Franc": a currency's name is its country's or its people's (not "Bank of X buys dlrs").
        label = "NORP" if doc[end - 1].pos_ == "ADJ" else "GPE"
    if label in ("PERSON", "ORG"):
        title_end = _title_prefix_end(doc, start, end)
        if title_end == end and not (label == "PERSON" and _title_as_surname(doc, start, end)):
            return None  # nothing but titles: a role without a name
        # An organisation's name may begin with an office ("Foreign Ministry", "Supreme Court") or an everyday
        # word that is a rank too ("General Motors"); only an unmistakable title, or a name the model calls a
        # person's elsewhere, marks a person mis-tagged as one ("Ayatollah Ali Khamenei"). The titles taken off
        # are found again as roles (actors._title_roles).
        if title_end < end and (label == "PERSON" or _titled_person(doc, start, title_end, end, surnames)):
            start, label = title_end, "PERSON"
    if start > 0 and NAME_PARTICLE.match(doc[start - 1].text) and doc[start - 1].whitespace_:
        start -= 1  # "al- Abadi"
    if end - start >= 2 and label != "EVENT" and doc[end - 1].lower_ in EVENT_HEADS and doc[end - 1].text[:1].isupper():
        return Mention(start, end, "EVENT", from_context=True)  # "Hong Kong Open" is no place
    if (
        end - start >= 2
        and label in ("PERSON", "ORG")
        and doc[end - 1].lower_ in PLACE_NAME_HEADS
        and doc[end - 1].is_title
    ):
        return Mention(start, end, "LOC", from_context=True)  # "Hancock Brook", "Davis Gym": nobody's name
    return Mention(start, end, label)


def _one_word_question(doc: Doc, i: int) -> bool:
    """ "Harsh? He doesn't think so.": a question of one capitalised word asks something, names no one."""
    words = [t for t in doc[i].sent if not (t.is_punct or t.is_space)]
    return len(words) == 1 and i + 1 < len(doc) and doc[i + 1].text == "?"


def _trimmed(doc: Doc, start: int, end: int, label: str) -> tuple[int, int, bool]:
    """The name without a leading "the" nor what it does not end in (see `_trails_name`), and whether a currency
    was taken off its end."""
    currency = False
    full_end = end
    while end - 1 > start and _trails_name(doc, end - 1, label):
        currency = currency or is_currency(doc[end - 1])
        end -= 1
    if end < full_end and doc[end - 1].lower_ in _NAME_JOINERS:
        end = full_end  # the figure was part of the name: "Battle of One", not "Battle of"
    if label == "WORK_OF_ART" and doc[start].text[:1].isupper() and not doc[start].is_sent_start:
        return start, end, currency  # a title's own article, capitalised: "A Beautiful Lie", "The Kill"
    while start < end and doc[start].lower_ in DETERMINERS:
        start += 1
    return start, end, currency


def _trails_name(doc: Doc, i: int, label: str) -> bool:
    """A token a name does not end in: a figure (but a product's model number or an event's edition), a unit,
    punctuation, "'s" ("Millwall 2", "U.S. Dlrs", "Dublin Newsroom +353"; but "Boeing 747", "Super Bowl 50")."""
    token = doc[i]
    if label == "PERSON" and token.is_title and token.lower_ in _SPEECH_FORMS:
        return True  # "Obama Says": the headline's verb, not the name's end
    if token.like_num or _AMOUNT.match(token.text):
        if _numbered_name(doc, i, label):
            return False
        return not (label in ("PRODUCT", "EVENT") and _is_model_number(doc, i, label))
    return token.is_punct or token.lower_ in POSSESSIVES or is_unit(token)


def _numbered_name(doc: Doc, i: int, label: str) -> bool:
    """A law's number or year ("Chapter 11", "Water Act 2000") or an event's number spelled out ("World War Two"),
    right after a capitalised word of the name."""
    if i == 0 or not doc[i - 1].text[:1].isupper():
        return False
    return label == "LAW" or (label == "EVENT" and doc[i].is_alpha and doc[i].is_title)


def _is_model_number(doc: Doc, i: int, label: str = "PRODUCT") -> bool:
    """ "747" of "Boeing 747 jets" (or "50" of the event "Super Bowl 50"), not a figure in a table ("Lotte 5" at a
    line's end, "Hyundai 57 49 3")."""
    after = doc[i + 1] if i + 1 < len(doc) else None
    return (
        (_EDITION if label == "EVENT" else _MODEL).match(doc[i].text) is not None
        and i > 0
        and doc[i - 1].is_alpha
        and not _MONTH_WORD.fullmatch(doc[i - 1].text)  # "August 20" is a date
        and "\n" not in doc[i].whitespace_
        and (after is None or (after.is_lower and after.is_alpha) or after.text in _MODEL_FOLLOWERS)
    )


def _has_word(doc: Doc, start: int, end: int, label: str) -> bool:
    """A name has a word in it ("3 1 1 0 4", "212-859-1761" are none), but for a product's model ("737")."""
    if label == "PRODUCT" and end - start == 1 and _MODEL.match(doc[start].text):
        return True
    return any(ch.isalpha() for t in doc[start:end] for ch in t.text)


def _compares_quantities(span: Span) -> bool:
    """ "Revs 11.2 mln vs", "Net 3,065,000 vs": an earnings table's figures set side by side, not a name."""
    return any(t.lower_ in COMPARISON_WORDS for t in span) and any(t.like_num or is_unit(t) for t in span)


def _is_quantity(span: Span) -> bool:
    """ "cts", "Avg Shrs", "dlrs midweek": a unit, and nothing capitalised that is not one."""
    return any(is_unit(t) for t in span) and not any(t.text[:1].isupper() and not is_unit(t) for t in span)


def _last_word(span: Span) -> str:
    words = [t.lower_ for t in span if t.is_alpha]
    return words[-1] if words else ""


def _titled_person(doc: Doc, start: int, title_end: int, end: int, surnames: set[str]) -> bool:
    """Titles [start, title_end) then a person's name: "Maj. Gen. Qasem Soleimani", not "General Motors"."""
    rest = doc[title_end:end]
    if not _looks_like_person_name(rest):
        return False
    return any(is_unmistakable_title(doc, i) for i in range(start, title_end)) or (
        any(is_personal_title(doc, i) for i in range(start, title_end)) and _last_word(rest) in surnames
    )


def _title_as_surname(doc: Doc, start: int, end: int) -> bool:
    """A person tagged by one spelled-out title word with no article before it is named by it ("King said")."""
    word = doc[start]
    before = doc[start - 1] if start > 0 else None
    after = doc[end] if end < len(doc) else None
    return (
        end - start == 1
        and word.lower_ in COMMON_WORD_TITLES
        and word.is_title
        and (before is None or before.pos_ not in ("DET", "PRON", "ADJ", "PART", "PROPN"))
        and (after is None or not (after.text[:1].isupper() or after.text == "."))
    )


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


def _ticker_tokens(doc: Doc, text: str) -> set[int]:
    """Indices of the tokens of tickers: an exchange's code, a colon, a symbol ("NYSE:XYZ", "Nasdaq: ABCD")."""
    found: set[int] = set()
    for match in _TICKER.finditer(text):
        if match.group(1).lower() in EXCHANGE_CODES:
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            found.update(range(span.start, span.end) if span is not None else ())
    return found


# ---- products and indices --------------------------------------------------------------------------------


def _join_model_numbers(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A model the model tagged without its maker is one product with it: "Boeing" + "737", "Airbus" + "A380"."""

    def label(prev: Mention, mention: Mention) -> str | None:
        fits = (
            mention.label == "PRODUCT"
            and prev.label in ("ORG", "PERSON", "PRODUCT", "NORP")
            and mention.end - mention.start == 1
            and _is_model_number(doc, mention.start)
        )
        return "PRODUCT" if fits else None

    return _join_adjacent(mentions, label)


def _with_shaped_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Products and indices known by their shape, in place of what the model made of them ("FTSE" + "100")."""
    found = [Mention(s, e, "PRODUCT") for s, e in _camel_products(doc)]
    found += [Mention(s, e, "PRODUCT", from_context=True, kind="index") for s, e in _index_spans(doc)]
    if not found:
        return mentions
    # The model's events and works keep their names ("Euro 2000"); any other label may be a misreading.
    replaceable = {"ORG", "PERSON", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "CARDINAL", "DATE", "MONEY", "QUANTITY"}
    return _replace(mentions, sorted(found, key=lambda m: m.start), replaceable)


def _with_quoted_titles(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A title in quotation marks where the model found no name: a short run of capitalised words, with no
    punctuation of speech ('" Baby Turpentine "', '"Miss Murder"'), is a work's (a song, a book, a slogan)."""
    taken = {i for m in mentions if m.label in NAME_LABELS for i in range(m.start, m.end)}
    found = []
    for t in doc:
        if t.text not in QUOTES:
            continue
        end = next((j for j in range(t.i + 2, min(t.i + 2 + MAX_TITLE_WORDS, len(doc))) if doc[j].text in QUOTES), None)
        if end is not None and _is_title(doc[t.i + 1 : end]) and not taken.intersection(range(t.i + 1, end)):
            found.append(Mention(t.i + 1, end, "WORK_OF_ART", from_context=True))
    return _replace(mentions, found, {"DATE", "CARDINAL", "ORDINAL", "TIME"}) if found else mentions


def _is_title(words: Span) -> bool:
    return (
        "\n" not in words.text
        and not any(w.is_punct for w in words)
        and words[0].is_title
        and words[-1].text[:1].isupper()
        and all(w.text[:1].isupper() or w.lower_ in TITLE_JOINERS or w.like_num for w in words)
    )


def _camel_products(doc: Doc) -> list[tuple[int, int]]:
    """A camel-case brand and its model number: "iPhone 4", "PlayStation 3" (not "iPhone 4 million")."""
    found = []
    for t in doc:
        if not _CAMEL.match(t.text) or t.i + 1 >= len(doc):
            continue
        after = doc[t.i + 2] if t.i + 2 < len(doc) else None
        if _MODEL.match(doc[t.i + 1].text) and not (after and (after.like_num or is_unit(after))):
            found.append((t.i, t.i + 2))
    return found


def _index_spans(doc: Doc) -> list[tuple[int, int]]:
    """Spans of market indices: runs of capitalised words (and "&", and a count of shares) that end in an index
    word ("Nasdaq Composite", "Hang Seng Index"), or that "average" or "composite" follows ("the Nikkei average",
    "the Dow Jones industrial average": the name is "Nikkei", "Dow Jones"), or that end in a count of shares after
    "the" or before "index" ("the FTSE 100", "S&P 500 index"). Not any name before "index": that is often the
    index's maker ("the Reuters commodity index", "the American Stock Exchange index")."""
    spans = []
    start = None  # of the run of name tokens under way
    for token in doc:
        if _index_name_token(token, inside=start is not None):
            start = token.i if start is None else start
            continue
        if start is not None and _names_index(doc, start, token.i):
            spans.append((start, token.i))
        start = None
    if start is not None and _names_index(doc, start, len(doc)):
        spans.append((start, len(doc)))
    return spans


def _index_name_token(token, inside: bool) -> bool:
    if inside and token.like_num:
        return token.text.isdigit() and int(token.text) in INDEX_SIZES
    if token.is_stop and not token.text.isupper():
        return False  # "The", "In": no index's name begins so
    return token.text == "&" or (token.text[:1].isupper() and not token.is_punct and "\n" not in token.text)


def _names_index(doc: Doc, i: int, j: int) -> bool:
    """Whether the run [i, j) of name tokens is an index's name."""
    last = doc[j - 1]
    if j - i >= 2 and last.lower_ in INDEX_WORDS:
        return True
    k = j  # the lower-case nouns right after the run: "industrial average", "composite index"
    while k < min(j + 3, len(doc)) and doc[k].is_lower and doc[k].pos_ in ("NOUN", "ADJ"):
        k += 1
    nouns = {t.lower_ for t in doc[j:k]}
    # Not "Boeing composite materials", nor "the Tokyo stock average" (Tokyo's) or "the Manila Stock Exchange
    # composite index" (the exchange's).
    maker = last.lower_ in INDEX_MAKER_WORDS or any(t.ent_type_ in ("GPE", "LOC", "NORP") for t in doc[i:j])
    if k > j and doc[k - 1].lower_ in INDEX_WORDS and {"average", "composite"} & nouns and not maker:
        return True
    nxt = doc[j] if j < len(doc) else None
    sized = j - i >= 2 and last.text.isdigit() and int(last.text) in INDEX_SIZES
    sized = sized and not any(_MONTH_WORD.fullmatch(t.text) for t in doc[i:j])  # "the August 20 deadline"
    if not sized or not any(t.lower_ in MARKET_WORDS for t in doc[i].sent):
        return False
    the_before = i > 0 and doc[i - 1].lower_ == "the"
    # "the FTSE 100 rose", "S&P 500 index"; not "the U.S. 30-year bond" or "the Sydney 2000 Olympics".
    return "index" in nouns or (the_before and (nxt is None or nxt.is_lower or nxt.text in ",.;"))
