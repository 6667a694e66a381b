"""Actors: the people, organisations, places, groups, products, events and market indices of one document, with
their aliases and roles.

Mentions of one actor are merged when
- they are the same name (case, dots, accents, "the" and possessives aside: "U.S." and "US");
- one is the surname or the first name of a person named in full in the document ("McGurk" after "Brett McGurk",
  "al-Abadi" after "Haider al-Abadi", "Steve" after "Steve Jobs"), and only one such person is named;
- one is the first word of the one organisation named in full before it ("Skyward" after "Skyward Airlines");
- one is the acronym of the other ("PUK" of "Patriotic Union of Kurdistan", "US" of "United States"), or stands in
  parentheses right after it (but for a place: "Guy Forget (France)"), or follows it as "X, or Y";
- one is an event, the other the one edition of it named ("World Cup" after "2010 World Cup");
- one, after "the", begins the name of the one index named ("the Dow" of "Dow Jones Industrial Average", "the
  Nikkei" of "Nikkei 225"; without "the" it is the company or the exchange: "Nasdaq said").

An actor's kind is its mentions' vote, a label that the words around a name give counting more ("Gorran movement",
"Aisby is a village", "the band Deadsy", "Marta Quillon (born 1962)"); a tie goes to anything but a person, the
model's guess for any capitalised word it does not know.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from bot.nlp.entities import Mention
from bot.nlp.names import (
    HONORIFICS,
    RANKS,
    SPEECH_VERBS,
    acronym_of,
    as_acronym,
    display_name,
    has_publication_word,
    index_stem,
    is_personal_title,
    is_title_word,
    name_key,
    surname_keys,
)

KINDS = {
    "PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place", "NORP": "group",
    "PRODUCT": "product", "EVENT": "event",
}  # fmt: skip
# The label each kind's mentions take. OntoNotes has none for an index (the model seldom tags one): PRODUCT, as
# indices are licensed and sold as products, and as annotators file them with products (CoNLL's MISC), not with
# organisations.
KIND_LABEL = {
    "person": "PERSON", "organization": "ORG", "group": "NORP", "product": "PRODUCT", "event": "EVENT",
    "index": "PRODUCT",
}  # fmt: skip
# Labels of things, which do not speak: one that does ("Ivanka Trump said") is a person whatever the model thought
# (but a thing known by the shape of its name: '"Happy Days" said it all').
THING_LABELS = {"PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
_ALIAS_GAP = re.compile(r"^\s*(?:,\s*or|\(\s*or|\(|,\s*also\s+known\s+as|,\s*known\s+as|\s+aka)\s*(?:the\s+)?$")
# Nouns that, right after a name, make it an organisation's ("Gorran movement") or a place's ("Diyala province").
ORG_HEADS = {"movement", "party", "coalition", "alliance", "front", "militia", "faction", "bloc", "union", "group"}
PLACE_HEADS = {
    "city", "town", "village", "district", "subdistrict", "province", "region", "governorate", "county",
    "municipality", "neighbourhood", "neighborhood",
}  # fmt: skip
# Nouns that, said of a name ("Aisby is a village", "Skyward Airlines, a regional carrier, said"), make it a place's
# or an organisation's.
PLACE_NOUNS = PLACE_HEADS | {
    "hamlet", "suburb", "commune", "parish", "island", "river", "lake", "mountain", "cave", "park", "valley",
    "peninsula", "country", "capital", "port", "settlement", "locality", "stadium", "airport", "street", "road",
    "bridge", "reservoir",
}  # fmt: skip
ORG_NOUNS = ORG_HEADS | {
    "company", "firm", "manufacturer", "maker", "corporation", "business", "bank", "carrier", "airline", "retailer",
    "label", "band", "club", "team", "university", "college", "school", "agency", "association", "organisation",
    "organization", "charity", "foundation", "institute", "network", "broadcaster", "publisher", "newspaper",
    "league", "federation", "council", "committee", "ministry", "department", "society", "orchestra", "studio",
    "developer", "operator", "provider", "supplier", "conglomerate", "chain",
}  # fmt: skip
# Kin and trades, that make a name a person's ("his brother Toby", "the pianist András", "goalkeeper Michael Konsel").
PERSON_NOUNS = {
    "brother", "sister", "son", "daughter", "wife", "husband", "father", "mother", "cousin", "uncle", "aunt",
    "nephew", "niece", "grandson", "granddaughter", "grandfather", "grandmother", "widow", "widower", "child",
    "actor", "actress", "singer", "songwriter", "pianist", "guitarist", "drummer", "bassist", "musician", "rapper",
    "writer", "author", "novelist", "poet", "composer", "painter", "sculptor", "artist", "photographer", "player",
    "footballer", "striker", "midfielder", "defender", "goalkeeper", "batsman", "bowler", "pitcher", "jockey",
    "cyclist", "swimmer", "boxer", "wrestler", "athlete", "sprinter", "golfer", "coach", "politician", "lawyer",
    "journalist", "businessman", "businesswoman", "entrepreneur", "scientist", "physicist", "chemist", "economist",
    "historian", "philosopher", "priest", "bishop", "soldier", "officer", "producer", "director", "dancer", "model",
    "comedian", "activist", "dissident", "teacher", "professor", "spokesman", "spokeswoman", "spokesperson",
}  # fmt: skip
_CAMEL_START = re.compile(r"^[a-z]{1,2}[A-Z]")  # a name in camel case: "iPhone", "eBay"
_YEAR = re.compile(r"^(?:1[89]|20)\d\d\s+")  # "2010 world cup": an edition of an event
CONTEXT_WEIGHT = 3  # a name's own words ("X movement") outweigh the model's guesses elsewhere
SUBJECTS = ("nsubj", "nsubjpass")
_PLACE_PREPOSITIONS = {"in", "at", "near", "outside", "inside", "across", "around"}  # "in Boston": a place
_PUBLICATION_CUES = {"told", "to"}  # "told Al-Monitor", "said in an interview to X"
# Dependents that end a role phrase: "the US special anti-IS envoy | accompanied by ...".
_PHRASE_STOP = {"relcl", "acl", "appos", "advcl", "punct", "cc", "conj", "parataxis"}


@dataclass
class Description:
    text: str
    start: int  # character offsets in the doc's text
    end: int


@dataclass
class Actor:
    name: str
    kind: str
    mentions: list[Mention]
    aliases: list[str] = field(default_factory=list)
    descriptions: list[Description] = field(default_factory=list)
    publication: bool = False

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass(frozen=True)
class Hints:
    """What the article says of itself: its publication and its byline's people (known to be no place)."""

    publications: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()


def find_actors(doc: Doc, mentions: list[Mention], hints: Hints) -> list[Actor]:
    """Group the document's name mentions into actors; relabels each mention with its actor's kind.

    `mentions` may gain mentions the model missed (an acronym in parentheses, an untagged surname).
    """
    people = {name_key(p) for p in hints.people}
    for m in mentions:
        if m.label in THING_LABELS and m.kind is None and not m.from_context and _speaks(doc, m):
            m.label = "PERSON"
        if m.label not in KINDS:
            continue
        context = "PERSON" if name_key(m.span(doc).text) in people else _context_label(doc, m)
        if context:
            m.label, m.from_context = context, True
    candidates = [m for m in mentions if m.label in KINDS]
    groups = _merge(doc, candidates)
    pub_keys = {name_key(p) for p in hints.publications}
    actors = [_actor(doc, group, pub_keys) for group in groups]
    added = _propagate(doc, actors, mentions)
    if added:
        mentions.extend(added)
        mentions.sort(key=lambda m: m.start)
        for actor in actors:
            actor.aliases = _aliases(doc, actor.name, actor.mentions)
    actors.sort(key=lambda a: a.mentions[0].start)
    return actors


def _speaks(doc: Doc, mention: Mention) -> bool:
    """A capitalised name of one to four words that is the subject of a speech verb."""
    root = mention.span(doc).root
    return (
        root.dep_ == "nsubj"
        and root.head.lemma_.lower() in SPEECH_VERBS
        and len(mention.span(doc)) <= 4
        and all(t.text[:1].isupper() for t in mention.span(doc))
    )


def _context_label(doc: Doc, mention: Mention) -> str | None:
    """The words around a name can say what it is: "Gorran movement", "the subdistrict of Mandali", "Aisby is a
    village"."""
    after = doc[mention.end] if mention.end < len(doc) else None
    common_after = after is not None and after.is_lower
    if common_after and after.text in ORG_HEADS and mention.label in ("GPE", "LOC"):
        return "ORG"
    before = doc[mention.start - 2 : mention.start] if mention.start >= 2 else None
    if before is not None and before[1].lower_ == "of" and before[0].lower_ in PLACE_HEADS:
        return "GPE"
    if common_after and after.text in PLACE_HEADS and mention.label in ("ORG", "NORP", "PERSON"):
        return "GPE"
    noun = _defining_noun(doc, mention)
    word = noun.lemma_.lower() if noun is not None else ""
    if mention.label == "PERSON" and noun is not None and any(c.lemma_.lower() in PERSON_NOUNS for c in noun.conjuncts):
        return "PERSON"  # "X, a developer and spokeswoman for ...": a person's trades
    if word in PLACE_NOUNS or word in ORG_NOUNS:
        return "GPE" if word in PLACE_NOUNS else "ORG"
    # Not a place's name: "( players U.S. unless stated )", a dateline's city in an obituary.
    if mention.label not in ("GPE", "LOC", "FAC") and (word in PERSON_NOUNS or _born_or_died(doc, mention)):
        return "PERSON"
    return None


def _born_or_died(doc: Doc, mention: Mention) -> bool:
    """ "Candace Savage (born 1949)", "Angela Carder (née Stone)", "X was born in", "X died in": a person."""
    after = doc[mention.end : mention.end + 2]
    if len(after) == 2 and after[0].text in ("(", ",") and after[1].lower_ in ("born", "née", "nee"):
        return True
    root = mention.span(doc).root
    return (root.dep_, root.head.lemma_) in (("nsubjpass", "bear"), ("nsubj", "die"))


def _defining_noun(doc: Doc, mention: Mention) -> Token | None:
    """The noun a name is said to be: "Aisby is a village", "Skyward Airlines, a regional carrier, said", "the band
    Deadsy". Not a noun the name is set after by a comma ("the league's committee, Anatoly Gorokhovsky"): the parser
    often hangs a name on the wrong one of those."""
    root = mention.span(doc).root
    found = None
    if root.dep_ == "nsubj" and root.head.lemma_ == "be":
        found = next((c for c in root.head.children if c.dep_ == "attr" and c.i > root.i), None)
    if found is None and mention.end < len(doc) and doc[mention.end].text == ",":
        found = next((c for c in root.children if c.dep_ == "appos" and c.i > mention.end), None)
    # A noun right before the name, but not before a clause's subject ("the team Smith joined").
    if found is None and mention.start > 0 and doc[mention.start - 1].is_lower and root.dep_ not in SUBJECTS:
        found = doc[mention.start - 1]
    return found if found is not None and found.pos_ == "NOUN" else None


# ---- merging ---------------------------------------------------------------------------------------------


class _Groups:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _merge(doc: Doc, mentions: list[Mention]) -> list[list[Mention]]:
    keys = [name_key(m.span(doc).text) for m in mentions]
    groups = _Groups(len(mentions))
    by_key: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key in by_key:
            groups.union(i, by_key[key])
        else:
            by_key[key] = i
    _merge_surnames(doc, mentions, keys, groups, by_key)
    _merge_short_names(mentions, keys, groups, by_key)
    _merge_editions(mentions, keys, groups, by_key)
    _merge_index_stems(doc, mentions, keys, groups)
    _merge_acronyms(doc, mentions, keys, groups, by_key)
    _merge_adjacent_aliases(doc, mentions, groups)
    clusters: dict[int, list[Mention]] = {}
    for i, mention in enumerate(mentions):
        clusters.setdefault(groups.find(i), []).append(mention)
    return list(clusters.values())


def _merge_surnames(doc, mentions, keys, groups: _Groups, by_key) -> None:
    """A one-word person (or a person mis-tagged as an organisation) joins the one full name it ends; a one-word
    name, the one full name it begins ("Saddam" after "Saddam Hussein", "Steve" after "Steve Jobs")."""
    full_by_surname: dict[str, set[str]] = {}
    full_by_first: dict[str, set[str]] = {}
    named_at: dict[str, int] = {}  # where a full name is first named
    for mention, key in zip(mentions, keys, strict=True):
        if mention.label == "PERSON" and len(key.split()) > 1:
            for surname in surname_keys(key):
                full_by_surname.setdefault(surname, set()).add(key)
            full_by_first.setdefault(key.split()[0], set()).add(key)
            named_at[key] = min(named_at.get(key, mention.start), mention.start)
    by_name: dict[str, list[Mention]] = {}
    for mention, key in zip(mentions, keys, strict=True):
        by_name.setdefault(key, []).append(mention)
    for i, (mention, key) in enumerate(zip(mentions, keys, strict=True)):
        if " " in key:
            continue
        owners = set()
        if mention.label in ("PERSON", "ORG"):
            owners = set().union(*(full_by_surname.get(k, set()) for k in surname_keys(key)))
        if not owners and _is_first_name(doc, by_name[key], full_by_first.get(key, set()), named_at):
            owners = set(full_by_first[key])
        if owners and (len(owners) == 1 or _one_person(owners)):
            for owner in owners:
                groups.union(i, by_key[owner])
        elif len(owners) > 1 and mention.label == "ORG":
            mention.label = "PERSON"  # two people share this surname: it is one of them, whichever, not a company


def _one_person(keys: set[str]) -> bool:
    """Full names that differ only by middle initials ("ann b. smith", "ann smith") are one person's."""
    split = [k.split() for k in keys]
    return len({(w[0], w[-1]) for w in split}) == 1 and all(len(m.rstrip(".")) == 1 for w in split for m in w[1:-1])


def _is_first_name(doc: Doc, same_name: list[Mention], owners: set[str], named_at: dict[str, int]) -> bool:
    """Whether the mentions of a one-word name are the first name of the one person `owners` holds: if they are
    not mostly a place's ("Perth", then "Perth Glory"); else, whatever the model made of them ("Satya" as a place),
    if they all come after the person is named in full, as a person is named in full first, and none is where
    something is ("In Boston he became a star", after "Boston Bruins")."""
    if len(owners) != 1:
        return False
    if 2 * sum(m.label in ("PERSON", "ORG") for m in same_name) > len(same_name):
        return True
    first = named_at[next(iter(owners))]
    return all(m.start > first and not _in_place(doc, m) for m in same_name)


def _in_place(doc: Doc, mention: Mention) -> bool:
    root = mention.span(doc).root
    return root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPOSITIONS


def _merge_short_names(mentions, keys, groups: _Groups, by_key) -> None:
    """A one-word name joins the one organisation whose name it begins, if it is only ever said after that is
    named in full and as a person's or an organisation's ("Skyward" after "Skyward Airlines"): not a people's or
    a place's ("Iraqi", "Budapest"), nor a word of a person's name ("Watson" of "Watson School")."""
    full_by_first: dict[str, set[str]] = {}
    named_at: dict[str, int] = {}
    people_words: set[str] = set()
    for mention, key in zip(mentions, keys, strict=True):
        if mention.label == "ORG" and len(key.split()) > 1:
            full_by_first.setdefault(key.split()[0], set()).add(key)
            named_at[key] = min(named_at.get(key, mention.start), mention.start)
        elif mention.label == "PERSON" and len(key.split()) > 1:
            people_words.update(key.split())
    short: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if len(full_by_first.get(key, ())) == 1 and key not in people_words:
            short.setdefault(key, []).append(i)
    for key, found in short.items():
        owner = next(iter(full_by_first[key]))
        if all(mentions[i].label in ("PERSON", "ORG") and mentions[i].start > named_at[owner] for i in found):
            for i in found:
                groups.union(i, by_key[owner])


def _merge_editions(mentions, keys, groups: _Groups, by_key) -> None:
    """An event named without its year joins the one edition named with it: "World Cup" after "2010 World Cup"."""
    editions: dict[str, set[str]] = {}
    for mention, key in zip(mentions, keys, strict=True):
        if mention.label == "EVENT" and _YEAR.match(key):
            editions.setdefault(_YEAR.sub("", key), set()).add(key)
    for i, (mention, key) in enumerate(zip(mentions, keys, strict=True)):
        if mention.label == "EVENT" and len(editions.get(key, ())) == 1:
            groups.union(i, by_key[next(iter(editions[key]))])


def _merge_index_stems(doc, mentions, keys, groups: _Groups) -> None:
    """Names of one index's stem are one index ("Nikkei average", "Nikkei 225"); after "the", the beginning of the
    stem of the one index named is that index ("the Dow" of "Dow Jones Industrial Average")."""
    by_stem: dict[str, list[int]] = {}
    for i, mention in enumerate(mentions):
        if mention.kind == "index":
            stem = name_key(" ".join(index_stem([t.text for t in mention.span(doc)])))
            by_stem.setdefault(stem, []).append(i)
    beginnings: dict[str, set[str]] = {}
    for stem, indices in by_stem.items():
        for j in indices[1:]:
            groups.union(j, indices[0])
        words = stem.split()
        for n in range(1, len(words) + 1):
            beginnings.setdefault(" ".join(words[:n]), set()).add(stem)
    for i, (mention, key) in enumerate(zip(mentions, keys, strict=True)):
        owners = beginnings.get(key, set())
        if mention.kind is None and len(owners) == 1 and mention.start > 0 and doc[mention.start - 1].lower_ == "the":
            groups.union(i, by_stem[next(iter(owners))][0])


def _merge_acronyms(doc, mentions, keys, groups: _Groups, by_key) -> None:
    expansions: dict[str, set[str]] = {}
    for mention, key in zip(mentions, keys, strict=True):
        if mention.label in ("ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"):
            initials = acronym_of(mention.span(doc).text)
            if initials:
                expansions.setdefault(initials, set()).add(key)
    for i, mention in enumerate(mentions):
        acronym = as_acronym(mention.span(doc).text)
        owners = expansions.get(acronym or "", set())
        if len(owners) == 1:
            groups.union(i, by_key[next(iter(owners))])


def _merge_adjacent_aliases(doc: Doc, mentions: list[Mention], groups: _Groups) -> None:
    """ "Popular Mobilization Units (PMU)", "Hashid Shaabi, or Popular Mobilization Units"."""
    ordered = sorted(range(len(mentions)), key=lambda i: mentions[i].start)
    text = doc.text  # built anew at each `doc.text`: once, not once a mention
    for a, b in zip(ordered, ordered[1:], strict=False):
        first, second = mentions[a], mentions[b]
        if first.label not in KINDS or second.label not in KINDS:
            continue
        gap = text[doc[first.end - 1].idx + len(doc[first.end - 1]) : doc[second.start].idx]
        if gap.strip() == "(" and {first.label, second.label} & {"GPE", "LOC", "FAC"}:
            continue  # "Guy Forget (France)", "DETROIT (Reuters)": where one is, or who reports from there
        if _ALIAS_GAP.match(gap) and _kind_compatible(first.label, second.label):
            groups.union(a, b)


def _kind_compatible(a: str, b: str) -> bool:
    return a == b or {a, b} <= {"ORG", "NORP", "GPE"} or {a, b} <= {"GPE", "LOC", "FAC"}


# ---- one actor -------------------------------------------------------------------------------------------


def _actor(doc: Doc, mentions: list[Mention], pub_keys: set[str]) -> Actor:
    mentions.sort(key=lambda m: m.start)
    named_person = _named_in_full(doc, mentions)
    # An index is named after its publisher ("the Reuters commodity index"), an event may have "post" in its name,
    # without being one.
    publication = any(
        _is_publication(doc, m, pub_keys, cues=not named_person)
        for m in mentions
        if m.kind is None and m.label != "EVENT"
    )
    kind = "organization" if publication else _kind(doc, mentions, named_person)
    for mention in mentions:
        mention.label = KIND_LABEL.get(kind, mention.label if mention.label in ("GPE", "LOC", "FAC") else "GPE")
    names = [display_name(m.span(doc).text) for m in mentions]
    first: dict[str, int] = {}
    for i, n in enumerate(names):
        first.setdefault(n, i)
    name = max(first, key=lambda n: (as_acronym(n) is None, len(n.split()), len(n), -first[n]))
    actor = Actor(name, kind, mentions, _aliases(doc, name, mentions), publication=publication)
    if kind in ("person", "organization"):
        actor.descriptions = _descriptions(doc, mentions, titles=kind == "person")
    return actor


def _is_full_name(doc: Doc, mention: Mention) -> bool:
    """Two words or more ("Brett McGurk"), as against one, hyphenated or not ("McGurk", "Al-Monitor")."""
    return len(display_name(mention.span(doc).text).split()) > 1


def _aliases(doc: Doc, name: str, mentions: list[Mention]) -> list[str]:
    """The other names the mentions use, each once (by key), in order of appearance."""
    seen = {name_key(name)}
    aliases = []
    for m in mentions:
        alias = display_name(m.span(doc).text)
        if name_key(alias) not in seen:
            seen.add(name_key(alias))
            aliases.append(alias)
    return aliases


def _kind(doc: Doc, mentions: list[Mention], named_person: bool) -> str:
    """The mentions' majority kind; a person named in full outweighs mis-tagged surnames."""
    if named_person:
        return "person"
    votes: Counter[str] = Counter()
    for m in mentions:
        votes[m.kind or KINDS[m.label]] += CONTEXT_WEIGHT if m.from_context else 1
    # A tie goes to the kind of the longest mention ("Kurdistan Democratic Party" says more than "KDP"), then to a
    # product's or an event's: the model says those of a name for a reason, the others for want of one; last, to
    # anything but a person, the model's guess for any capitalised word it does not know ("Datecs", "Victorias").
    longest = max(len(m.span(doc).text) for m in mentions)
    longest_kinds = {m.kind or KINDS[m.label] for m in mentions if len(m.span(doc).text) == longest}
    return max(votes, key=lambda k: (votes[k], k in longest_kinds, k in ("product", "event"), k != "person"))


def _named_in_full(doc: Doc, mentions: list[Mention]) -> bool:
    """A person named in full ("Brett McGurk"), by the model, at least as often as that name is called anything
    else ("Classic Lotto" once a person, six times a product, is none)."""
    full = {name_key(m.span(doc).text) for m in mentions if m.label == "PERSON" and _is_full_name(doc, m)}
    if not full:
        return False
    same = [m.label == "PERSON" for m in mentions if name_key(m.span(doc).text) in full]
    return 2 * sum(same) >= len(same)


def _is_publication(doc: Doc, mention: Mention, pub_keys: set[str], cues: bool) -> bool:
    span = mention.span(doc)
    if name_key(span.text) in pub_keys or has_publication_word(span.text):
        return True
    if not cues:  # "Khamenei told al-Abadi": a person named in full is told things too
        return False
    before = doc[mention.start - 1] if mention.start > 0 else None
    # "told Al-Monitor": a one-word name that is told things, and is written like a brand.
    return (
        before is not None
        and before.lower_ in _PUBLICATION_CUES
        and " " not in span.text
        and ("-" in span.text or span.text.isupper())
    )


def _propagate(doc: Doc, actors: list[Actor], mentions: list[Mention]) -> list[Mention]:
    """Mentions the model missed: another occurrence of an actor's name or alias, an organisation's acronym
    ("(PMU)"), a person's surname, an index's stem after "the" ("the Dow"), written as such (capitalised, or in
    camel case: "iPhone") where no other name stands."""
    taken = {i for m in mentions for i in range(m.start, m.end)}
    wanted: dict[str, list[tuple[tuple[str, ...], Actor, bool]]] = {}
    named = [a.name.split() for a in actors if a.kind == "person" and len(a.name.split()) > 1]
    shared = Counter(w for words in named for w in {words[0], words[-1]})
    for actor in actors:
        forms = {(tuple(t.text for t in m.span(doc)), False) for m in actor.mentions}
        if actor.kind == "organization" and (initials := acronym_of(actor.name)):
            forms.add(((initials,), False))
        if actor.kind == "person" and len(words := actor.name.split()) > 1:
            # Its surname and its first name ("Jobs", "Steve"), but a name two people share is neither's.
            first = words[0] if words[0].isalpha() and len(words[0]) > 1 and not is_title_word(words[0]) else None
            forms |= {((w,), False) for w in (first, words[-1]) if w and shared[w] == 1}
        if actor.kind == "index":
            stems = {tuple(index_stem(list(f))) for f, _ in forms}
            forms |= {(stem[:n], True) for stem in stems for n in range(1, len(stem) + 1)}
        for form, after_the in forms:
            if form and _name_like(form[0]) and len("".join(form)) > 1:
                wanted.setdefault(form[0], []).append((form, actor, after_the))
    added = []
    i = 0
    while i < len(doc):
        match = _longest_form(doc, i, wanted.get(doc[i].text, []), taken)
        if match is None:
            i += 1
            continue
        form, actor = match
        label = KIND_LABEL.get(actor.kind, actor.mentions[0].label)
        mention = Mention(i, i + len(form), label)
        actor.mentions.append(mention)
        added.append(mention)
        i += len(form)
    for actor in actors:
        actor.mentions.sort(key=lambda m: m.start)
    return added


def _name_like(word: str) -> bool:
    return word[:1].isupper() or bool(_CAMEL_START.match(word))


def _longest_form(doc: Doc, i: int, candidates, taken: set[int]):
    best = None
    for form, actor, after_the in candidates:
        end = i + len(form)
        if end > len(doc) or any(j in taken for j in range(i, end)):
            continue
        if tuple(t.text for t in doc[i:end]) != form or (after_the and (i == 0 or doc[i - 1].lower_ != "the")):
            continue
        if end < len(doc) and doc[end].text[:1].isupper() and doc[end].is_alpha:
            continue  # part of a longer name ("Jordan" in "Jordan Valley")
        if len(form) == 1 and doc[i].is_sent_start and doc[i].pos_ != "PROPN" and not _name_part(form[0], actor):
            continue  # capitalised as a sentence's first word, and not read as a name there ("Played", "Women")
        if best is None or len(form) > len(best[0]):
            best = (form, actor)
    return best


def _name_part(word: str, actor: Actor) -> bool:
    """The surname or first name of a person named in full: "Jobs, born in 1955, …" opens a sentence as a name
    even where the tagger reads a plural noun."""
    words = actor.name.split()
    return actor.kind == "person" and len(words) > 1 and word in (words[0], words[-1])


# ---- roles -----------------------------------------------------------------------------------------------


def _descriptions(doc: Doc, mentions: list[Mention], titles: bool) -> list[Description]:
    found: list[Description] = []
    seen: set[str] = set()
    for mention in mentions:
        roles = _title_roles(doc, mention) if titles else []
        for desc in (*roles, *_premodifier_roles(doc, mention), *_appositions(doc, mention)):
            if desc and desc.text not in seen:
                seen.add(desc.text)
                found.append(desc)
    return found


def _title_start(doc: Doc, mention: Mention) -> int:
    """Where the run of title words right before the name begins ("Maj. Gen." of "Maj. Gen. Qasem Soleimani")."""
    i = mention.start
    while i > 0 and (is_personal_title(doc, i - 1) or (doc[i - 1].text == "." and i - 1 > 0)):
        i -= 1
    while i < mention.start and doc[i].is_punct:
        i += 1
    return i


def _title_roles(doc: Doc, mention: Mention) -> list[Description | None]:
    start = _title_start(doc, mention)
    return [_describe(doc, start, mention.start)] if start < mention.start else []


def _premodifier_roles(doc: Doc, mention: Mention) -> list[Description | None]:
    """Words before the name in its noun phrase: "US Ambassador", "Iran's Supreme Leader", "Iraqi dictator"."""
    head = mention.span(doc).root
    left = head.left_edge.i
    start = _title_start(doc, mention)  # titles are reported on their own
    if left >= start:
        return []
    tokens = doc[left:start]
    if any(t.pos_ in ("VERB", "AUX") or t.text in ",;:" for t in tokens):
        return []
    while tokens and tokens[0].lower_ in ("the", "a", "an", "both", "and"):
        tokens = tokens[1:]
    if not tokens or tokens[-1].pos_ not in ("NOUN", "PROPN"):
        return []  # "Iran's powerful Quds Force": a qualifier, not a role
    # Trailing honorifics are a role of their own: "Iran's Supreme Leader" + "Ayatollah".
    end = tokens.end
    while end > tokens.start and doc[end - 1].lower_.rstrip(".") in HONORIFICS | RANKS:
        end -= 1
    roles = [_describe(doc, tokens.start, end)] if end > tokens.start else []
    if end < tokens.end:
        roles.append(_describe(doc, end, tokens.end))
    return roles


def _appositions(doc: Doc, mention: Mention) -> list[Description | None]:
    """ "Brett McGurk, the US special anti-IS envoy": a noun phrase set beside the name."""
    head = mention.span(doc).root
    after_comma = mention.end < len(doc) and doc[mention.end].text == ","
    found = [
        _phrase(doc, child)
        for child in head.children
        if child.dep_ == "appos" and after_comma and mention.end < child.i <= mention.end + 8
    ]
    if head.dep_ == "appos" and head.head.i < mention.start and head.head.pos_ == "NOUN":
        found.append(_phrase(doc, head.head))
    return found


def _phrase(doc: Doc, token: Token) -> Description | None:
    """The noun phrase headed by token, without clauses, appositions or coordination hanging off it."""
    keep = [token]
    stack = [c for c in token.children if c.dep_ not in _PHRASE_STOP]
    while stack:
        child = stack.pop()
        keep.append(child)
        stack.extend(c for c in child.children if c.dep_ not in _PHRASE_STOP)
    start = min(t.i for t in keep)
    end = max(t.i for t in keep) + 1
    span = doc[start:end]
    if any(t.text in ",;" for t in span) or not any(t.pos_ == "NOUN" for t in span):
        return None
    return _describe(doc, start, end)


def _describe(doc: Doc, start: int, end: int) -> Description | None:
    if start >= end:
        return None
    span: Span = doc[start:end]
    text = span.text.strip()
    if not text or len(text) > 200 or all(not t.is_alpha for t in span):
        return None
    if len(span) == 1 and not (is_title_word(text) or span[0].pos_ == "NOUN"):
        return None
    return Description(text, span.start_char, span.end_char)
