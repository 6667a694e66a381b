"""Direct quotations and who said them.

1. Quoted spans: curly and straight double quotation marks, paired by position ("…" opens after a space and closes
   before one). A quote left open at the end of a paragraph goes on when the next paragraph opens with a mark, as
   news copy writes a quote of several paragraphs; otherwise it ends with its paragraph.
2. The cue: the speech verb of the quote's sentence nearest to the quote, outside any quotation ("said",
   "told Al-Monitor", "warned", "quoted X as saying", "according to X").
3. The speaker: the verb's subject, or X in "quoted X as saying" and "according to X". A name resolves to its
   actor; "he" or "she" to the person last named outside quotations (or the last speaker); "the prime minister"
   to the person whose roles the article gives in those words, or who was just spoken to ("… told al-Abadi. The
   Iraqi prime minister replied: …"), or who was last named; "a source briefed on the talks" stays an unnamed
   speaker, with no actor.
4. A quote with no cue of its own that follows a quote closely is the same speaker's.
5. One to three words in quotation marks are a quote only when a cue stands right beside them ("“death or
   surrender,” said al-Abadi"); otherwise they are scare quotes or titles ("an “offensive”").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import islice

from spacy.tokens import Doc, Span, Token

from bot.nlp.actors import Actor
from bot.nlp.names import SPEECH_VERBS

OPENING = "“«„"
CLOSING = "”»"
STRAIGHT = '"'
# Also the typewriter forms some archives keep: ``…'' and ''…'' (two apostrophes for a double mark).
_MARK = re.compile(r"``|''|[\"“”«»„]")
SHORT_QUOTE_WORDS = 3
FOLLOW_ON_SENTENCES = 2  # how far a quote without a cue may be from the last one to be the same speaker's
MAX_SPEAKER_TOKENS = 16
MAX_ADJACENT_TOKENS = 6  # a cue "right beside" a quote has at most this many words between them


# Verbs that name rather than quote: "called them “losers”" is a label, not words someone said.
NAMING_VERBS = {"call", "describe", "dub", "label", "brand", "term", "name"}
TITLE_MAX_WORDS = 6
_FUNCTION_WORDS = {"the", "a", "an", "of", "and", "in", "on", "for", "to", "with", "at", "by", "or", "&"}
REPLY_VERBS = {"reply", "respond", "answer", "retort", "counter"}
PRONOUNS = {"he", "she", "they", "i", "we", "it"}
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


@dataclass
class Quote:
    start: int  # character offsets of the quotation, marks included
    end: int
    sentence: int  # the first and last sentences it touches
    last_sentence: int
    cue: str | None = None
    speaker: str | None = None  # the actor's name, or an unnamed source's description
    speaker_start: int | None = None  # where the attribution names (or refers to) the speaker
    speaker_end: int | None = None
    actor: Actor | None = None
    addressee: Actor | None = None

    def content(self, text: str) -> str:
        """The quoted words, without the marks or the comma that hands over to the attribution."""
        return _MARK.sub("", text[self.start : self.end]).strip().rstrip(",").strip()


def find_quotes(doc: Doc, text: str, actors: list[Actor]) -> list[Quote]:
    spans = quoted_spans(text)
    if not spans:
        return []
    inside = _inside_quotes(doc, spans)
    index = _ActorIndex(doc, actors, inside)
    sentences = _Sentences(doc, inside)
    quotes: list[Quote] = []
    for start, end in spans:
        quote = _attribute(doc, text, start, end, sentences, inside, index, quotes)
        if quote is not None:
            quotes.append(quote)
    return quotes


# ---- 1. quoted spans -------------------------------------------------------------------------------------


def quoted_spans(text: str) -> list[tuple[int, int]]:
    breaks = [m.start() for m in _PARAGRAPH_BREAK.finditer(text)] + [len(text)]
    spans: list[tuple[int, int]] = []
    start: int | None = None
    since = 0  # where the open quote's current paragraph began
    for match in _MARK.finditer(text):
        i, mark = match.start(), match.group()
        width = len(mark)
        opens = mark in OPENING or mark == "``" or (mark in (STRAIGHT, "''") and _straight_opens(text, i, width))
        if start is not None and _paragraph_between(breaks, since, i):
            if opens and _starts_paragraph(text, i):
                since = i  # the quote goes on in this paragraph
                continue
            spans.append((start, _paragraph_end(breaks, since)))  # it ended, unclosed, with its paragraph
            start = None
        if start is None:
            if opens:
                start = since = i
        elif not opens:
            spans.append((start, i + width))
            start = None
        else:
            start = since = i  # two openings in a row: the first was stray
    if start is not None:
        spans.append((start, _paragraph_end(breaks, since)))
    return [(s, e) for s, e in spans if _MARK.sub("", text[s:e]).strip()]


def _straight_opens(text: str, i: int, width: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + width] if i + width < len(text) else " "
    return (before.isspace() or before in "([{—–-/") and not after.isspace()


def _paragraph_between(breaks: list[int], start: int, i: int) -> bool:
    """Whether a paragraph break lies strictly between start and i (`breaks` is sorted)."""
    j = bisect_right(breaks, start)
    return j < len(breaks) and breaks[j] < i


def _paragraph_end(breaks: list[int], start: int) -> int:
    return breaks[bisect_right(breaks, start)]


def _starts_paragraph(text: str, i: int) -> bool:
    line_start = text.rfind("\n", 0, i) + 1
    return not text[line_start:i].strip()


def _inside_quotes(doc: Doc, spans: list[tuple[int, int]]) -> set[int]:
    tokens: set[int] = set()
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            tokens.update(range(span.start, span.end))
    return tokens


# ---- 2-4. cue and speaker ---------------------------------------------------------------------------------


class _Sentences:
    """The doc's sentences, and what the cue search asks of them, worked out once in a few passes over the
    tokens, so that each quote costs about the same however many quotes, and however long a sentence, there are.

    For a token i (-1 or len(doc) when there is none), within i's own sentence and among the tokens outside
    quotations: `next_verb[i]`, the first speech verb at or after i; `prev_verb[i]`, the last one at or before i;
    `prev_stop[i]`, the last ".", "!" or "?" at or before i. Across sentences: `next_out[i]` and `prev_out[i]`,
    the nearest token outside quotations at or after (at or before) i.
    """

    def __init__(self, doc: Doc, inside: set[int]):
        self.doc = doc
        self.spans: list[Span] = list(doc.sents)
        self.starts = [s.start for s in self.spans]
        n = len(doc)
        sent_of = [0] * n
        for k, sentence in enumerate(self.spans):
            sent_of[sentence.start : sentence.end] = [k] * (sentence.end - sentence.start)
        self.sent_of = sent_of
        verb = [i not in inside and _is_speech_verb(doc[i]) for i in range(n)]
        self.next_verb, self.next_out = [-1] * n + [-1], [n] * (n + 1)
        self.prev_verb, self.prev_stop, self.prev_out = [-1] * n, [-1] * n, [-1] * n
        for i in range(n - 1, -1, -1):
            same = i + 1 < n and sent_of[i + 1] == sent_of[i]
            self.next_verb[i] = i if verb[i] else (self.next_verb[i + 1] if same else -1)
            self.next_out[i] = i if i not in inside else self.next_out[i + 1]
        for i in range(n):
            same = i > 0 and sent_of[i - 1] == sent_of[i]
            out = i not in inside
            self.prev_verb[i] = i if verb[i] else (self.prev_verb[i - 1] if same else -1)
            self.prev_stop[i] = i if out and doc[i].text in ".!?" else (self.prev_stop[i - 1] if same else -1)
            self.prev_out[i] = i if out else (self.prev_out[i - 1] if i > 0 else -1)

    def __getitem__(self, k: int) -> Span:
        return self.spans[k]

    def __len__(self) -> int:
        return len(self.spans)

    def index(self, token_i: int) -> int:
        """The index of the sentence of token `token_i`."""
        if 0 <= token_i < len(self.sent_of):
            return self.sent_of[token_i]
        return max(0, bisect_right(self.starts, token_i) - 1) if token_i >= 0 else len(self.spans) - 1

    def few_between(self, first: int, stop: int, forward: bool) -> bool:
        """Whether the tokens outside quotations from `first` (one, itself) up to `stop` (excluded), going
        forward or backward, are at most MAX_ADJACENT_TOKENS and all of the kinds that may stand between a quote
        and its cue."""
        count, j = 0, first
        while (j < stop) if forward else (j > stop):
            if j < 0 or j >= len(self.doc):
                break
            if count == MAX_ADJACENT_TOKENS:
                return False
            if not _may_stand_between(self.doc[j]):
                return False
            count += 1
            j = self.next_out[j + 1] if forward else (self.prev_out[j - 1] if j > 0 else -1)
        return True


def _may_stand_between(token: Token) -> bool:
    return token.is_punct or token.pos_ in ("PROPN", "PRON", "DET", "ADV", "NOUN")


class _ActorIndex:
    def __init__(self, doc: Doc, actors: list[Actor], inside: set[int] = frozenset()):
        self.by_token: dict[int, Actor] = {}
        self.mentions: list[tuple[int, int, Actor]] = []
        for actor in actors:
            for m in actor.mentions:
                for t in range(m.start, m.end):
                    self.by_token[t] = actor
                self.mentions.append((m.start, m.end, actor))
        self.mentions.sort(key=lambda x: x[0])
        self.mention_at: dict[int, tuple[int, int, Actor]] = {}
        for mention in self.mentions:  # the first mention, in that order, that holds the token
            for t in range(mention[0], mention[1]):
                self.mention_at.setdefault(t, mention)
        self.people = [a for a in actors if a.kind == "person"]
        self.people_by_word: dict[str, list[Actor]] = {}
        for person in self.people:
            for word in {w for d in person.descriptions for w in d.text.lower().split()}:
                self.people_by_word.setdefault(word, []).append(person)
        self.inside = inside
        self.named = [m for m in self.mentions if m[2].kind == "person" and m[0] not in inside]
        self.named_starts = [m[0] for m in self.named]

    def actor_in(self, tokens) -> tuple[Actor, int, int] | None:
        """The first person or organisation named among the tokens, with its mention's token span."""
        for t in tokens:
            actor = self.by_token.get(t.i)
            if actor is not None and actor.kind in ("person", "organization") and not actor.publication:
                start, end, _ = self.mention_at[t.i]
                return actor, start, end
        return None

    def last_person_before(self, token_i: int, inside: set[int], after: int = 0) -> tuple[Actor, int, int] | None:
        """The last person named (outside quotations) before token_i, if named at or after `after`."""
        if inside is not self.inside:
            found = None
            for start, end, actor in self.mentions:
                if start >= token_i:
                    break
                if start >= after and actor.kind == "person" and start not in inside:
                    found = (actor, start, end)
            return found
        k = bisect_left(self.named_starts, token_i) - 1
        if k < 0 or self.named[k][0] < after:
            return None
        start, end, actor = self.named[k]
        return actor, start, end

    def described_as(self, word: str) -> list[Actor]:
        """The people one of whose descriptions has this word."""
        return self.people_by_word.get(word, [])


def _attribute(doc, text, start, end, sentences, inside, index: _ActorIndex, previous: list[Quote]) -> Quote | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    quote = Quote(start, end, _sentence_index(sentences, span.start), _sentence_index(sentences, span.end - 1))
    content = quote.content(text)
    words = len(content.split())
    if _is_title(content):
        return None  # “The Steve Harvey Morning Show”, “Hillary Clinton”
    cue = _find_cue(doc, span, sentences, inside) or _colon_cue(doc, span, sentences, inside)
    if cue is None:
        if words <= SHORT_QUOTE_WORDS:
            return None  # a scare quote
        _follow_on(quote, previous)
        return quote
    verb, adjacent = cue
    if words <= SHORT_QUOTE_WORDS and (not adjacent or verb.lemma_.lower() in NAMING_VERBS):
        return None
    _speaker(doc, quote, verb, index, inside, previous, sentences)
    return quote


def _is_title(content: str) -> bool:
    """A short run of capitalised words with no sentence in it: a name or a title, not speech."""
    words = re.findall(r"[\w'’-]+", content)
    if not words or len(words) > TITLE_MAX_WORDS or content.rstrip(",").endswith(("?", "!")):
        return False
    return all(w[0].isupper() or w.lower() in _FUNCTION_WORDS or w[0].isdigit() for w in words)


def _colon_cue(doc: Doc, quote: Span, sentences: _Sentences, inside: set[int]) -> tuple[Token, bool] | None:
    """“…” after a sentence that ends "X said:" is X's, even in the next paragraph."""
    first = _sentence_index(sentences, quote.start)
    if first == 0:
        return None
    previous = sentences[first - 1]
    last = previous.end - 1
    while last >= previous.start and doc[last].is_space:
        last -= 1
    if last < previous.start or doc[last].text != ":":
        return None
    verb = sentences.prev_verb[previous.end - 1]  # the last speech verb outside quotations (spaces are none)
    return (doc[verb], True) if verb >= previous.start else None


def _sentence_index(sentences: _Sentences, token_i: int) -> int:
    return sentences.index(token_i)


def _find_cue(doc: Doc, quote: Span, sentences: _Sentences, inside: set[int]) -> tuple[Token, bool] | None:
    """The speech verb nearest the quote in its sentences (after it first), and whether it stands right beside.

    After the quote: the first speech verb outside quotations up to the end of its last sentence. Before it: the
    last one from the start of its first sentence, unless a sentence end (outside quotations, and not the token
    right before the quote) comes between."""
    first = _sentence_index(sentences, quote.start)
    last = _sentence_index(sentences, quote.end - 1)
    if quote.end < sentences[last].end:
        verb = sentences.next_verb[quote.end]
        if verb != -1:
            return _cue(doc[verb], sentences.few_between(sentences.next_out[quote.end], verb, forward=True))
    start = sentences[first].start
    if quote.start - 1 >= start:
        nearest = sentences.prev_out[quote.start - 1]
        verb = sentences.prev_verb[quote.start - 1]
        if nearest >= start and verb >= start:
            stop = sentences.prev_stop[nearest - 1] if nearest - 1 >= start else -1
            if verb > stop:
                return _cue(doc[verb], sentences.few_between(nearest, verb, forward=False))
    return None


def _cue(token: Token, adjacent: bool) -> tuple[Token, bool]:
    quoting = next((a for a in islice(token.ancestors, 2) if a.lemma_.lower() == "quote"), None)
    if token.lemma_.lower() == "say" and quoting is not None:
        token = quoting  # "quoted the cleric as saying": the cue is "quoted"
    return token, adjacent


def _is_speech_verb(token: Token) -> bool:
    if token.lemma_.lower() in SPEECH_VERBS and token.pos_ in ("VERB", "AUX"):
        return token.dep_ not in ("amod", "compound")  # "self-proclaimed" describes, it does not speak
    return token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to"


def _speaker(doc, quote: Quote, verb: Token, index: _ActorIndex, inside, previous, sentences) -> None:
    subject, cue = _subject(doc, verb, inside)
    quote.cue = cue
    addressee = _addressee(verb)
    if addressee is not None:
        found = index.actor_in(addressee.subtree)
        quote.addressee = found[0] if found else None
    if subject is None:
        return
    phrase = _phrase_tokens(subject)
    quote.speaker_start, quote.speaker_end = phrase[0].idx, phrase[-1].idx + len(phrase[-1])
    # The subject's own head must be a name: "a source briefed about the PUK's meetings" is not the PUK.
    named = index.actor_in([subject]) if subject.pos_ == "PROPN" else None
    if named is not None:
        quote.actor = named[0]
    elif subject.lower_ in PRONOUNS and subject.lower_ not in ("i", "we", "it"):
        quote.actor = _antecedent(subject, index, inside, previous)
    elif subject.pos_ == "NOUN" and any(t.lower_ == "the" for t in subject.lefts):
        quote.actor = _role_holder(subject, verb, index, inside, previous, sentences)
    if quote.actor is not None:
        quote.speaker = quote.actor.name
    elif subject.lower_ not in PRONOUNS:
        quote.speaker = _text(doc, phrase)  # an unnamed source, described


def _subject(doc: Doc, verb: Token, inside: set[int]) -> tuple[Token | None, str]:
    if verb.lower_ == "according":
        obj = next((c for c in verb.nbor(1).children if c.dep_ == "pobj"), None)
        return obj, "according to"
    if verb.lemma_.lower() == "quote":
        saying = any(t.lower_ in ("saying", "as") for t in verb.subtree)
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "obj")), None)
        if saying and obj is not None:
            return obj, f"quoted {_text(doc, _phrase_tokens(obj))} as saying"
    dative = _addressee(verb)
    cue = _text(doc, [verb, *_phrase_tokens(dative)]) if dative is not None else verb.text
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in inside), None)
    if subject is not None and subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
        subject = verb.head  # "Maria Lopez, who said …": the relative pronoun stands for the name
    if subject is None and verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
        subject = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in inside), None)
    if subject is None:
        # "… ,” said al- Abadi." / "… ,” al- Abadi added": the model may not call the name a subject.
        near = [*doc[verb.i + 1 : verb.i + 4], *reversed(doc[max(0, verb.i - 3) : verb.i])]
        subject = next((t for t in near if _may_speak(t) and t.i not in inside), None)
    return subject, cue


def _may_speak(token: Token) -> bool:
    """A name of a person or organisation, or a personal pronoun: not "Thursday" in "said Thursday"."""
    if token.pos_ == "PRON":
        return token.lower_ in PRONOUNS
    return token.pos_ == "PROPN" and token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")


def _text(doc: Doc, tokens: list[Token]) -> str:
    """The doc's text from the first token to the last (a span's: `doc.text` would build the whole text)."""
    return doc[tokens[0].i : tokens[-1].i + 1].text


def _addressee(verb: Token) -> Token | None:
    if verb.lemma_.lower() != "tell":
        return None
    return next((c for c in verb.children if c.dep_ in ("dative", "dobj", "obj", "iobj")), None)


def _phrase_tokens(head: Token) -> list[Token]:
    """The speaker's words: the head's subtree up to a comma or a relative clause, and not too long."""
    tokens = []
    for t in head.subtree:
        if t.i > head.i and (t.text == "," or t.dep_ in ("relcl", "appos")):
            break
        tokens.append(t)
    if len(tokens) > MAX_SPEAKER_TOKENS:
        tokens = tokens[:MAX_SPEAKER_TOKENS]
        while len(tokens) > 1 and tokens[-1].pos_ not in ("NOUN", "PROPN"):
            tokens.pop()  # end on a noun: "a source briefed about … separate meetings"
    return tokens or [head]


def _antecedent(pronoun: Token, index: _ActorIndex, inside, previous: list[Quote]) -> Actor | None:
    """The person a "he" or "she" means: the last one named outside quotations, or the last speaker."""
    found = index.last_person_before(pronoun.i, inside)
    if found:
        return found[0]
    last = previous[-1].actor if previous else None
    return last if last is not None and last.kind == "person" else None


def _role_holder(role: Token, verb: Token, index: _ActorIndex, inside, previous, sentences) -> Actor | None:
    """The person "the prime minister" or "the cleric" means."""
    word = role.lemma_.lower()
    described = index.described_as(word)
    if len(described) == 1:
        return described[0]
    if verb.lemma_.lower() in REPLY_VERBS and previous and previous[-1].addressee is not None:
        return previous[-1].addressee
    sentence = _sentence_index(sentences, role.i)
    window_start = sentences[max(0, sentence - 1)].start
    found = index.last_person_before(role.i, inside, after=window_start)
    return found[0] if found else None


def _follow_on(quote: Quote, previous: list[Quote]) -> None:
    """A quote with no cue close after another is the same speaker's ("…,” he said. “…”)."""
    if not previous or quote.sentence - previous[-1].last_sentence > FOLLOW_ON_SENTENCES:
        return
    last = previous[-1]
    quote.actor, quote.speaker, quote.cue = last.actor, last.speaker, last.cue
    quote.speaker_start, quote.speaker_end = last.speaker_start, last.speaker_end
