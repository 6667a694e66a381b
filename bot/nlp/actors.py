"""Actors: the people, organisations, places, groups, products, events and market indices of one document, with
their aliases and roles.

Mentions of one actor are merged when
- they are the same name (case, dots, accents, "the" and possessives aside: "U.S." and "US");
- one is the surname of a person named in full in the document ("McGurk" after "Brett McGurk", "al-Abadi" after
  "Haider al-Abadi"), and only one such person is named;
- one is the acronym of the other ("PUK" of "Patriotic Union of Kurdistan", "US" of "United States"), or stands in
  parentheses right after it, or follows it as "X, or Y";
- one is an event, the other the one edition of it named ("World Cup" after "2010 World Cup");
- one, after "the", begins the name of the one index named ("the Dow" of "Dow Jones Industrial Average", "the
  Nikkei" of "Nikkei 225"; without "the" it is the company or the exchange: "Nasdaq said").
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
# Labels of things, which do not speak: one that does ("Ivanka Trump said") is a person whatever the model thought.
THING_LABELS = {"PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
_ALIAS_GAP = re.compile(r"^\s*(?:,\s*or|\(\s*or|\(|,\s*also\s+known\s+as|,\s*known\s+as|\s+aka)\s*(?:the\s+)?$")
# Nouns that, right after a name, make it an organisation's ("Gorran movement") or a place's ("Diyala province").
ORG_HEADS = {"movement", "party", "coalition", "alliance", "front", "militia", "faction", "bloc", "union", "group"}
PLACE_HEADS = {
    "city", "town", "village", "district", "subdistrict", "province", "region", "governorate", "county",
    "municipality", "neighbourhood", "neighborhood",
}  # fmt: skip
_CAMEL_START = re.compile(r"^[a-z]{1,2}[A-Z]")  # a name in camel case: "iPhone", "eBay"
_YEAR = re.compile(r"^(?:1[89]|20)\d\d\s+")  # "2010 world cup": an edition of an event
CONTEXT_WEIGHT = 3  # a name's own words ("X movement") outweigh the model's guesses elsewhere
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
        if m.label in THING_LABELS and m.kind is None and _speaks(doc, m):
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
    """The words around a name can say what it is: "Gorran movement", "the subdistrict of Mandali"."""
    after = doc[mention.end] if mention.end < len(doc) else None
    common_after = after is not None and after.is_lower
    if common_after and after.text in ORG_HEADS and mention.label in ("GPE", "LOC"):
        return "ORG"
    before = doc[mention.start - 2 : mention.start] if mention.start >= 2 else None
    if before is not None and before[1].lower_ == "of" and before[0].lower_ in PLACE_HEADS:
        return "GPE"
    if common_after and after.text in PLACE_HEADS and mention.label in ("ORG", "NORP", "PERSON"):
        return "GPE"
    return None


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
    _merge_surnames(mentions, keys, groups, by_key)
    _merge_editions(mentions, keys, groups, by_key)
    _merge_index_stems(doc, mentions, keys, groups)
    _merge_acronyms(doc, mentions, keys, groups, by_key)
    _merge_adjacent_aliases(doc, mentions, groups)
    clusters: dict[int, list[Mention]] = {}
    for i, mention in enumerate(mentions):
        clusters.setdefault(groups.find(i), []).append(mention)
    return list(clusters.values())


def _merge_surnames(mentions, keys, groups: _Groups, by_key) -> None:
    """A one-word person (or a person mis-tagged as an organisation) joins the one full name it ends."""
    full_by_surname: dict[str, set[str]] = {}
    full_by_first: dict[str, set[str]] = {}
    for mention, key in zip(mentions, keys, strict=True):
        if mention.label == "PERSON" and len(key.split()) > 1:
            for surname in surname_keys(key):
                full_by_surname.setdefault(surname, set()).add(key)
            full_by_first.setdefault(key.split()[0], set()).add(key)
    for i, (mention, key) in enumerate(zip(mentions, keys, strict=True)):
        if mention.label not in ("PERSON", "ORG") or " " in key:
            continue
        owners = set().union(*(full_by_surname.get(k, set()) for k in surname_keys(key)))
        if not owners and mention.label == "PERSON":
            owners = full_by_first.get(key, set())  # "Saddam" after "Saddam Hussein"
        if len(owners) == 1:  # two people share this name: leave it alone
            groups.union(i, by_key[owners.pop()])


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
    # product's or an event's: the model says those of a name for a reason, the others for want of one.
    longest = max(len(m.span(doc).text) for m in mentions)
    longest_kinds = {m.kind or KINDS[m.label] for m in mentions if len(m.span(doc).text) == longest}
    return max(votes, key=lambda k: (votes[k], k in longest_kinds, k in ("product", "event")))


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
    for actor in actors:
        forms = {(tuple(t.text for t in m.span(doc)), False) for m in actor.mentions}
        if actor.kind == "organization" and (initials := acronym_of(actor.name)):
            forms.add(((initials,), False))
        if actor.kind == "person" and len(actor.name.split()) > 1:
            forms.add(((actor.name.split()[-1],), False))
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
        if best is None or len(form) > len(best[0]):
            best = (form, actor)
    return best


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
