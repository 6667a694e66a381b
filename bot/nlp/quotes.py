"""Direct quotations and who said them.

1. Quoted spans: curly and straight double quotation marks, paired by position ("…" opens after a space and closes
   before one). A quote left open at the end of a paragraph goes on when the next paragraph opens with a mark, as
   news copy writes a quote of several paragraphs; otherwise it ends with its paragraph.
2. The cue: the speech verb of the quote's sentence nearest to the quote, outside any quotation ("said",
   "told Al-Monitor", "warned", "quoted X as saying", "according to X"), or of "X said." that the model split off
   after "…?”"; never past a line that ends a sentence. Without a verb: a sign-off ("“…” ― Maria Lopez") or a
   label ("Jane Moore, Daily Planet: “…”").
3. The speaker: the verb's subject (a participle's, "…, adding", is its clause's), or X in "quoted X as saying"
   and "according to X". A name resolves to its actor; "he" or "she" to the person the sentences before are
   about, if the gender the text shows agrees and no one else may be meant, else to no one (see _Referents);
   "the prime minister" to the person whose roles the article gives in those words, or who was just spoken to
   ("… told al-Abadi. The Iraqi prime minister replied: …"), or who was last named; "a source briefed on the
   talks" stays an unnamed speaker, with no actor.
4. A quote with no cue of its own is the speaker's of the sentence right before ("…, Schiff said. “…”"), or
   else the same speaker's as a quote closely before it, unless someone else is the subject of a sentence between.
5. One to three words in quotation marks are a quote only when a cue stands right beside them ("“death or
   surrender,” said al-Abadi") or they are a sentence that goes on from a quote just before ("“I would,” she
   said. “I would, Tom.”"); otherwise they are scare quotes or titles ("an “offensive”").
6. A quote the writer's own sentence runs into ("Clinton says Trump “may not have paid a dime”", "said that “…")
   is what journalists call a partial quote: kept, with its speaker, but marked `partial`, since the words around
   it are the writer's and it is no direct quotation.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import islice, takewhile

from spacy.tokens import Doc, Span, Token

from bot.nlp.actors import Actor
from bot.nlp.names import NAME_PARTICLES, SPEECH_VERBS

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
    partial: bool = False  # a fragment inside the writer's own sentence (6.)

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
    index.referents = _Referents(doc, sentences, inside, index)
    for start, end in spans:
        quote = _attribute(doc, text, start, end, sentences, inside, index, quotes)
        if quote is not None:
            quotes.append(quote)
            index.referents.spoke(quote)
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
        self.text = doc.text  # built once: `doc.text` joins every token each time it is read
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
        self.referents: _Referents | None = None  # set by find_quotes, once the sentences are known
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

    def named_in(self, tokens: range) -> list[tuple[int, int, Actor]]:
        """The mentions of people, outside quotations, that start among the tokens."""
        return self.named[bisect_left(self.named_starts, tokens.start) : bisect_left(self.named_starts, tokens.stop)]

    def described_as(self, word: str) -> list[Actor]:
        """The people one of whose descriptions has this word."""
        return self.people_by_word.get(word, [])


def _attribute(doc, text, start, end, sentences, inside, index: _ActorIndex, previous: list[Quote]) -> Quote | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    quote = Quote(start, end, _sentence_index(sentences, span.start), _sentence_index(sentences, span.end - 1))
    quote.partial = _is_partial(text, start)
    content = quote.content(text)
    words = len(content.split())
    turn = _goes_on(doc, text, span, quote, sentences, inside, previous)
    name = _signed(doc, text, end)
    if name is not None:
        _name_speaker(doc, quote, name, index, "―")
        return quote
    cue = _find_cue(doc, span, sentences, inside) or _colon_cue(doc, span, sentences, inside)
    if _is_title(content) and not turn and not _split_by_cue(span, cue, sentences, inside):
        return None  # “The Steve Harvey Morning Show”, “Hillary Clinton”
    name = _labelled(doc, span, sentences) if cue is None else None
    if name is not None:
        _name_speaker(doc, quote, name, index, ":")
        return quote
    if cue is None:
        if words <= SHORT_QUOTE_WORDS and not turn:
            return None  # a scare quote
        verb = _lead_in(doc, span, sentences, inside)
        if verb is not None:
            _speaker(doc, quote, span, verb, index, inside, previous, sentences)
        else:
            _follow_on(doc, quote, previous, sentences, index)
        return quote
    verb, adjacent = cue
    if words <= SHORT_QUOTE_WORDS and (not adjacent or verb.lemma_.lower() in NAMING_VERBS):
        return None
    _speaker(doc, quote, span, verb, index, inside, previous, sentences)
    return quote


def _is_partial(text: str, start: int) -> bool:
    """Whether the quote opening at `start` goes on from the writer's words: a word stands right before its mark on
    the same line (no colon, comma or sentence end hands over to it), and the quote opens in lower case or that
    word is "that"."""
    before = text[text.rfind("\n", 0, start) + 1 : start].rstrip()
    if not before or not before[-1].isalnum():
        return False
    first = re.search(r"\w", text[start : start + 12])
    return before.rsplit(None, 1)[-1].lower() == "that" or bool(first and not first.group().isupper())


# "“…” ― Maria Lopez" or "— Maria Lopez, teacher" on the next line: a sign-off, the rest of its line a name.
_SIGN_OFF = re.compile(r"[^\S\n]*\n?[^\S\n]*(?:[―—–]|--?)[^\S\n]*([^\n]{1,80})")
SIGN_OFF_WORDS = 6


def _signed(doc: Doc, text: str, end: int) -> list[Token] | None:
    """The name a quote ending at `end` is signed with, if any: the words after a dash up to a comma or the end
    of the line."""
    match = _SIGN_OFF.match(text, end)
    if match is None:
        return None
    line = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
    if line is None or not len(line):
        return None
    name = list(takewhile(lambda t: t.text not in (",", ";", "(") and not t.is_space, line))
    while name and name[-1].is_punct:
        name.pop()  # "― Karen Bobadilla."
    if not name or len(name) > SIGN_OFF_WORDS or len(name) < len([t for t in line if not t.is_punct]) - 4:
        return None  # more than a name and a few words of description: a sentence goes on after the dash
    if not all(t.is_title or t.pos_ == "PROPN" or t.lower_ in NAME_PARTICLES for t in name):
        return None
    return name if name[0].pos_ == "PROPN" or name[0].ent_type_ == "PERSON" else None


LABEL_TOKENS = 10


def _labelled(doc: Doc, quote: Span, sentences: _Sentences) -> list[Token] | None:
    """The name of a label with no verb that ends in a colon before the quote, on its line: "Jane Moore, Daily
    Planet: “…”", "Said Ellis: “…”" (a verb the model takes for part of the name)."""
    colon = quote.start - 1
    while colon >= 0 and doc[colon].is_space:
        colon -= 1
    if colon < 0 or doc[colon].text != ":":
        return None
    start = max(sentences[sentences.index(colon)].start, colon - LABEL_TOKENS - 2)
    label = list(doc[start:colon])
    breaks = [i for i, t in enumerate(label) if "\n" in t.text_with_ws]
    label = label[breaks[-1] + 1 :] if breaks else label  # on the quote's line
    if label and label[0].lemma_.lower() in SPEECH_VERBS:
        label = label[1:]
    if not label or len(label) > LABEL_TOKENS or any(t.pos_ in ("VERB", "AUX") for t in label):
        return None
    name = list(takewhile(lambda t: t.text not in (",", "(", "-", "—"), label))
    if not name or not all(t.is_title or t.pos_ == "PROPN" or t.lower_ in NAME_PARTICLES for t in name):
        return None
    return name if name[0].pos_ == "PROPN" or name[0].ent_type_ == "PERSON" else None


def _name_speaker(doc: Doc, quote: Quote, name: list[Token], index: _ActorIndex, cue: str) -> None:
    """A quote attributed by a name with no verb: its person, if the article knows them, else the name itself."""
    quote.cue = cue
    quote.speaker_start, quote.speaker_end = name[0].idx, name[-1].idx + len(name[-1])
    found = index.actor_in(name)
    quote.actor = found[0] if found is not None and found[1] <= name[0].i < found[2] else None
    quote.speaker = quote.actor.name if quote.actor is not None else _text(doc, name)


def _split_by_cue(span: Span, cue, sentences: _Sentences, inside: set[int]) -> bool:
    """“Hopefully,” the president said, “this museum …”: the first word or two of a quote that goes on after its
    cue (not “A Change Is Gonna Come,” she sang, “…”: a longer run of capitals is a title)."""
    words = _MARK.sub("", span.text).rstrip()
    if cue is None or not cue[1] or cue[0].i < span.end or not words.endswith(",") or len(words.split()) > 2:
        return False
    stop = min(sentences[sentences.index(cue[0].i)].end, cue[0].i + 2 * MAX_ADJACENT_TOKENS)
    return any(i in inside for i in range(cue[0].i, stop))


def _goes_on(doc: Doc, text: str, span: Span, quote: Quote, sentences: _Sentences, inside, previous) -> bool:
    """Whether a quote is a sentence of its own that goes on from a quote with a cue in the sentence just before,
    on the same line ("“I would,” Lopez said. “I would, Tom.”"): words said, however short."""
    if not previous or previous[-1].cue is None or quote.last_sentence - previous[-1].last_sentence > 2:
        return False  # (two: the cue may be a sentence of its own, "“…?” Graham asked.")
    if "\n" in text[previous[-1].end : quote.start]:
        return False
    before = text[previous[-1].end : quote.start].rstrip()
    after = sentences.next_out[span.end] if span.end < len(doc) else len(doc)
    ends = after == len(doc) or doc[after].is_sent_start or doc[after].is_space or doc[after].text in ".!?"
    return (not before or before[-1] in ".?!" or _MARK.match(before[-1]) is not None) and ends


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


def _lead_in(doc: Doc, quote: Span, sentences: _Sentences, inside: set[int]) -> Token | None:
    """A quote that makes a sentence of its own right after one that ends "…, Schiff said." (and holds no quote)
    is that speaker's: the speech verb at the root of the sentence before."""
    first = _sentence_index(sentences, quote.start)
    if first == 0 or sentences.prev_out[quote.start - 1] >= sentences[first].start:
        return None  # the first sentence, or words of the quote's own sentence come before it
    before = sentences[first - 1]
    if any(t.i in inside for t in before):
        return None  # the quote before, if it is there, says whose this one is
    verb = sentences.prev_verb[before.end - 1]
    if verb < before.start or doc[verb].dep_ not in ("ROOT", "parataxis"):
        return None
    return None if any(c.dep_ == "neg" for c in doc[verb].children) else doc[verb]  # "He didn't suggest it."


def _sentence_index(sentences: _Sentences, token_i: int) -> int:
    return sentences.index(token_i)


def _find_cue(doc: Doc, quote: Span, sentences: _Sentences, inside: set[int]) -> tuple[Token, bool] | None:
    """The speech verb nearest the quote in its sentences, and whether it stands right beside.

    After the quote: the first speech verb outside quotations up to the end of its last sentence. Before it: the
    last one from the start of its first sentence, unless a sentence end (outside quotations, and not the token
    right before the quote) comes between. The one after first, unless only the one before stands beside the
    quote ("…, saying, “…,” when Clinton blasted him"). Never past the end of a line that ends a sentence: with
    paragraphs a line each, the model may run one into the next."""
    last = _sentence_index(sentences, quote.end - 1)
    after, before = _cue_after(doc, quote, sentences, last), None
    if after is None or not after[1]:
        before = _cue_before(doc, quote, sentences)
    if before is not None and (after is None or before[1]):
        return before
    return after or _split_off_cue(doc, quote, sentences, last)


def _cue_after(doc: Doc, quote: Span, sentences: _Sentences, last: int) -> tuple[Token, bool] | None:
    if quote.end >= sentences[last].end:
        return None
    verb = sentences.next_verb[quote.end]
    if verb == -1 or _line_ends_between(sentences.text, quote.end_char, doc[verb].idx):
        return None
    return _cue(doc[verb], sentences.few_between(sentences.next_out[quote.end], verb, forward=True))


def _cue_before(doc: Doc, quote: Span, sentences: _Sentences) -> tuple[Token, bool] | None:
    start = sentences[_sentence_index(sentences, quote.start)].start
    if quote.start - 1 < start:
        return None
    nearest = sentences.prev_out[quote.start - 1]
    verb = sentences.prev_verb[quote.start - 1]
    if nearest < start or verb < start or _line_ends_between(sentences.text, doc[verb].idx, quote.start_char):
        return None
    stop = sentences.prev_stop[nearest - 1] if nearest - 1 >= start else -1
    return _cue(doc[verb], sentences.few_between(nearest, verb, forward=False)) if verb > stop else None


_LINE_ENDS_SENTENCE = re.compile(r"[.?!][\"”’'»)]*[^\S\n]*\n")


def _line_ends_between(text: str, start: int, end: int) -> bool:
    """Whether a line ends a sentence between the offsets (a newline after ".", "?" or "!"): the end of a
    paragraph, where a hard-wrapped text's other newlines are not."""
    return "\n" in text[start:end] and _LINE_ENDS_SENTENCE.search(text, max(0, start - 4), end) is not None


def _split_off_cue(doc: Doc, quote: Span, sentences: _Sentences, last: int) -> tuple[Token, bool] | None:
    """“…?” / “…!” / “…,” then "X said." on the same line: the model may make "X said." a sentence of its own,
    though the quote's sentence goes on. (After "." the quote ends its sentence, and what follows is news.)"""
    closing = doc[quote.end - 1].nbor(-1) if quote.end - 1 > quote.start else None
    if closing is None or closing.text not in ("?", "!", ",") or last + 1 >= len(sentences):
        return None
    following = sentences[last + 1]
    if "\n" in sentences.text[quote.end_char : following.start_char] or not following.text.strip():
        return None
    verb = sentences.next_verb[following.start]
    first = sentences.next_out[following.start]
    if verb == -1 or not sentences.few_between(first, verb, forward=True):
        return None
    return _cue(doc[verb], True)


def _cue(token: Token, adjacent: bool) -> tuple[Token, bool]:
    quoting = next((a for a in islice(token.ancestors, 2) if a.lemma_.lower() == "quote"), None)
    if token.lemma_.lower() == "say" and quoting is not None:
        token = quoting  # "quoted the cleric as saying": the cue is "quoted"
    return token, adjacent


def _is_speech_verb(token: Token) -> bool:
    if token.lemma_.lower() in SPEECH_VERBS and token.pos_ in ("VERB", "AUX"):
        return token.dep_ not in ("amod", "compound")  # "self-proclaimed" describes, it does not speak
    return _is_according(token)


def _is_according(token: Token) -> bool:
    return token.lower_ == "according" and token.i + 1 < len(token.doc) and token.nbor(1).lower_ == "to"


def _speaker(doc, quote: Quote, span: Span, verb: Token, index: _ActorIndex, inside, previous, sentences) -> None:
    subject, cue = _subject(doc, span, verb, inside)
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
        quote.actor = index.referents.resolve(subject) if subject.lower_ in ("he", "she") else None
    elif subject.pos_ == "NOUN" and any(t.lower_ == "the" for t in subject.lefts):
        quote.actor = _role_holder(subject, verb, index, inside, previous, sentences)
    if quote.actor is not None:
        quote.speaker = quote.actor.name
    elif subject.lower_ not in PRONOUNS:
        quote.speaker = _text(doc, phrase)  # an unnamed source, described


def _subject(doc: Doc, quote: Span, verb: Token, inside: set[int]) -> tuple[Token | None, str]:
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
    subject = _own_subject(verb, inside)
    if subject is not None and subject.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
        subject = verb.head  # "Maria Lopez, who said …": the relative pronoun stands for the name
    if subject is None:
        subject = _name_beside(doc, quote, verb, inside)
    if subject is None:
        subject = _participle_subject(verb, inside)
    if subject is None:
        # "… ,” al- Abadi added": the model may not call the name a subject.
        near = reversed(doc[max(0, verb.i - 3) : verb.i])
        subject = next((t for t in near if _may_speak(t) and t.i not in inside), None)
    return subject, cue


def _own_subject(verb: Token, inside: set[int]) -> Token | None:
    subjects = (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i not in inside)
    return next((c for c in subjects if any(ch.isalnum() for ch in c.text)), None)  # not a dash the model misread


def _name_beside(doc: Doc, quote: Span, verb: Token, inside: set[int]) -> Token | None:
    """A name the model did not call the subject: the first word after the quote, when the verb comes later
    ("“…,” Flynn, a surrogate, said"), or a word right after the verb ("“…,” said al- Abadi"), and never in the
    verb's object or a phrase of its own ("told CNN's Dana Bash", "said on Fox News")."""
    first = next((t for t in doc[quote.end : verb.i] if not t.is_punct and not t.is_space), None)
    if first is not None and _may_speak(first) and first.i not in inside:
        return first
    after = doc[verb.i + 1 : verb.i + 4]
    return next((t for t in after if _may_speak(t) and t.i not in inside and not _aside(t, verb)), None)


def _aside(token: Token, verb: Token) -> bool:
    """Whether the token is in the verb's object or a phrase of its own, not where its subject may stand."""
    while token.head.i not in (verb.i, token.i):
        token = token.head
    addressee = _addressee(verb)
    return token.head.i == verb.i and (
        token.dep_ in _NOT_THE_SPEAKER or (addressee is not None and token.i == addressee.i)
    )


_NOT_THE_SPEAKER = {"dative", "iobj", "prep", "npadvmod", "advcl", "ccomp", "xcomp", "conj"}


def _participle_subject(verb: Token, inside: set[int]) -> Token | None:
    """ "…, adding", "by saying", "while chanting": the subject of the clause the participle hangs from, passing
    over relative clauses ("the stadium where the Hawks played, while chanting" is not the Hawks')."""
    if verb.dep_ not in ("conj", "xcomp", "advcl", "pcomp", "acl"):
        return None
    before = verb.nbor(-1) if verb.i > 0 else None
    if verb.tag_ == "VBG" and before is not None and _may_speak(before) and before.i not in inside:
        return before  # "footage of Hillary Clinton asking, “…”", "with Lopez saying …"
    for ancestor in islice(verb.ancestors, 6):
        if ancestor.pos_ not in ("VERB", "AUX") or ancestor.dep_ in ("relcl", "acl") or _relative(ancestor):
            continue
        subject = _own_subject(ancestor, inside)
        if subject is not None:
            return subject
    return None


def _main_clause(verb: Token) -> bool:
    return verb.dep_ not in ("relcl", "acl") and not any(c.dep_ == "mark" for c in verb.children)


def _relative(verb: Token) -> bool:
    """A clause opened by "where", "which", "who": it tells of something else."""
    return any(c.tag_ in ("WRB", "WDT", "WP") and c.i < verb.i for c in verb.children)


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
    objects = [c for c in verb.children if c.dep_ in ("dative", "dobj", "obj", "iobj")]
    # "told CNN's Dana Bash": the model may make the possessor an object of its own; the person is the last.
    while len(objects) > 1 and any(c.dep_ == "case" for c in objects[0].children):
        objects.pop(0)
    return objects[0] if objects else None


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


# ---- pronouns -----------------------------------------------------------------------------------------------

PRONOUN_WINDOW = 4  # how many sentences back a "he" or "she" looks for the person it means
# What the text shows of a person's gender: the title before a name ("Mr. Obama"), a word of a description.
_TITLE_GENDER = {
    "mr": "he", "sir": "he", "lord": "he", "king": "he", "prince": "he", "father": "he", "brother": "he",
    "mrs": "she", "ms": "she", "miss": "she", "dame": "she", "lady": "she", "queen": "she", "princess": "she",
    "sister": "she",
}  # fmt: skip
_ROLE_GENDER = {
    "spokesman": "he", "congressman": "he", "businessman": "he", "chairman": "he", "husband": "he", "son": "he",
    "actor": "he", "spokeswoman": "she", "congresswoman": "she", "businesswoman": "she", "chairwoman": "she",
    "wife": "she", "daughter": "she", "mother": "she", "actress": "she", "widow": "she", "girlfriend": "she",
}  # fmt: skip


_GENDER_OF = {"he": "he", "his": "he", "she": "she", "her": "she"}
# Nouns for a person of a known gender: a subject of these is someone a pronoun may mean, named or not.
_PERSON_NOUNS = {"woman": "she", "man": "he", "girl": "she", "boy": "he", "lady": "she", "gentleman": "he"}
_PERSON_NOUNS.update(_ROLE_GENDER)
_SOMEONE = {gender: Actor(f"someone {gender}", "person", []) for gender in ("he", "she", "")}  # "" of no known gender


class _Referents:
    """Whom a "he" or "she" means: the person the sentences before it are about (the subject of the nearest one,
    within PRONOUN_WINDOW, that has a person for subject or holds a quote of a known speaker) whose gender, as far
    as the text shows it (Mr., Ms., an earlier he or she for that person), agrees. If a sentence passed over on
    the way names someone else of that gender, or the subject is someone unnamed ("a woman"), the pronoun is no
    one's: a quote given to a wrong person is worse than one given to no one."""

    def __init__(self, doc: Doc, sentences: _Sentences, inside: set[int], index: _ActorIndex):
        self.doc, self.sentences, self.inside, self.index = doc, sentences, inside, index
        self.gender = {id(_SOMEONE[g]): g for g in ("he", "she")}  # id(actor): "he" or "she"
        self.subjects: list[Actor | None] = []  # by sentence, in order, as far as worked out
        self.speakers: dict[int, Actor] = {}  # sentence: the speaker of a quote in it
        self.subject_tokens: dict[int, Token | None] = {}
        for start, _, actor in index.mentions:
            title = doc[start - 1].lower_.rstrip(".") if start > 0 else ""
            if actor.kind == "person" and title in _TITLE_GENDER:
                self.gender.setdefault(id(actor), _TITLE_GENDER[title])
        for actor in index.people:
            words = {w for d in actor.descriptions for w in re.findall(r"[a-z]+", d.text.lower())}
            for gender in {_ROLE_GENDER[w] for w in words & _ROLE_GENDER.keys()}:
                self.gender.setdefault(id(actor), gender)
        for actor, gender in self._said_of_themselves():
            self.gender.setdefault(id(actor), gender)

    def _said_of_themselves(self) -> list[tuple[Actor, str]]:
        """The people who, each time the text reports what they said, say "he" (or each time "she") of its
        subject: "Lopez said she would run"."""
        votes: dict[int, tuple[Actor, set[str]]] = {}
        for verb in (t for t in self.doc if t.lemma_.lower() in SPEECH_VERBS and t.i not in self.inside):
            subject = _own_subject(verb, self.inside)
            actor = self.index.by_token.get(subject.i) if subject is not None else None
            said = [c for c in verb.children if c.dep_ == "ccomp"]
            pronoun = next(
                (s for c in said for s in c.children if s.dep_ == "nsubj" and s.lower_ in ("he", "she")), None
            )
            if actor is not None and actor.kind == "person" and pronoun is not None:
                votes.setdefault(id(actor), (actor, set()))[1].add(pronoun.lower_)
        return [(actor, genders.pop()) for actor, genders in votes.values() if len(genders) == 1]

    def spoke(self, quote: Quote) -> None:
        if quote.actor is not None and quote.actor.kind == "person":
            for k in range(quote.sentence, quote.last_sentence + 1):
                self.speakers.setdefault(k, quote.actor)

    def resolve(self, pronoun: Token) -> Actor | None:
        gender, k = _GENDER_OF[pronoun.lower_], self.sentences.index(pronoun.i)
        own = self._subject(k)
        if own is not None and own.i < pronoun.i and own.lower_ not in _GENDER_OF:
            found = self._person(own)  # "Sen. Claire McCaskill scolded him: “…” she said."
            if found is not None and self._agrees(found, gender):
                return self._meant(found, gender)
        # people who may be meant: subjects before it in its own sentence ("When Clinton noted …, she said"), and
        # anyone named in the sentences passed over
        named = self.index.named_in(range(self.sentences[k].start, pronoun.i))
        passed = {
            id(a) for start, end, a in named if self._agrees(a, gender) and self.doc[start:end].root.dep_ == "nsubj"
        }
        for j in range(k - 1, max(-1, k - 1 - PRONOUN_WINDOW), -1):
            found = self.about(j)
            others = [a for a in self._people_in(j) if a is not found and self._agrees(a, gender)]
            if found is not None and not self._agrees(found, gender) and len({id(a) for a in others}) == 1:
                found = others[0]  # "Mr. Hale met Lopez. “…,” she said."
            if found is None and j == k - 1 and not passed and len({id(a) for a in others}) == 1 and self._alone(j):
                found = others[0]  # "That worries Lopez, the group's head. “…,” she said."
            if found is not None and self._agrees(found, gender):
                return None if passed - {id(found)} else self._meant(found, gender)
            passed.update(id(a) for a in others)
        return None

    def _meant(self, person: Actor, gender: str) -> Actor | None:
        if any(person is someone for someone in _SOMEONE.values()):
            return None  # "A woman in the crowd shouted. “…,” she said": someone unnamed
        self.gender.setdefault(id(person), gender)
        return person

    def about(self, k: int) -> Actor | None:
        """The person sentence k is about: its subject's, else the speaker of its quote."""
        while len(self.subjects) <= k:  # in order, so a "he" subject needs only sentences already worked out
            self.subjects.append(self._subject_person(len(self.subjects)))
        return self.subjects[k] or self.speakers.get(k)

    def _subject(self, k: int) -> Token | None:
        """The sentence's subject: the first one outside quotations of a clause that is not subordinate ("When
        Clinton noted that …, Trump boasted"), which the model's root may miss ("He added …, should Clinton")."""
        if k not in self.subject_tokens:
            found = (t for t in self.sentences[k] if t.dep_ in ("nsubj", "nsubjpass") and t.i not in self.inside)
            self.subject_tokens[k] = next((t for t in found if _main_clause(t.head)), None)
        return self.subject_tokens[k]

    def _subject_person(self, k: int) -> Actor | None:
        subject = self._subject(k)
        if subject is None:
            return self._source(k)
        owner = next((c for c in subject.children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None)
        pronoun = subject if subject.lower_ in ("he", "she") else owner  # "His audio was quieter …"
        if pronoun is not None:
            return self.resolve(pronoun)
        return self._person(subject) or self._source(k)

    def _source(self, k: int) -> Actor | None:
        """Whom a sentence with no person for subject reports: "According to Ham, …", "…, Batchelder said"."""
        sentence = self.sentences[k]
        verb = self.sentences.prev_verb[sentence.end - 1]
        if verb < sentence.start or not (self.doc[verb].dep_ in ("ROOT", "parataxis") or _is_according(self.doc[verb])):
            return None
        subject, _ = _subject(self.doc, self.doc[verb:verb], self.doc[verb], self.inside)
        return self._person(subject) if subject is not None and subject.lower_ not in PRONOUNS else None

    def _person(self, subject: Token) -> Actor | None:
        """The person a subject names: its own name ("Clinton communication director Jennifer Palmieri"), a
        name in apposition ("Another critic, Laurence H. Tribe"), or someone unnamed ("the woman")."""
        own = self.index.by_token.get(subject.i)
        if own is None or own.kind != "person":
            named = self.index.actor_in([c for c in subject.children if c.dep_ == "appos"])
            own = named[0] if named is not None else None
        if own is not None and own.kind == "person":
            return own
        if subject.ent_type_ == "PERSON":
            return _SOMEONE[""]  # a name the article's actors do not hold as a person's
        unnamed = next((t for t in _phrase_tokens(subject) if t.lower_ in _PERSON_NOUNS and t.pos_ == "NOUN"), None)
        return _SOMEONE[_PERSON_NOUNS[unnamed.lower_]] if unnamed is not None else None

    def _people_in(self, k: int) -> list[Actor]:
        sentence = self.sentences[k]
        mentions = self.index.named_in(range(sentence.start, sentence.end))
        return [a for _, _, a in mentions] + ([self.speakers[k]] if k in self.speakers else [])

    def _alone(self, k: int) -> bool:
        """No name in sentence k is one of several joined ("thanked Lopez and Ruiz"), some of which the model may
        have missed."""
        return not any(t.dep_ == "conj" and t.pos_ == "PROPN" for t in self.sentences[k])

    def _agrees(self, person: Actor, gender: str) -> bool:
        return person.kind == "person" and self.gender.get(id(person), gender) == gender


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


def _follow_on(doc: Doc, quote: Quote, previous: list[Quote], sentences: _Sentences, index: _ActorIndex) -> None:
    """A quote with no cue close after another is the same speaker's ("…,” he said. “…”), unless a sentence
    between has someone else as its subject ("“…,” said Lopez. Hale was angry. “…?”"): then no one's."""
    if not previous or quote.sentence - previous[-1].last_sentence > FOLLOW_ON_SENTENCES:
        return
    last = previous[-1]
    if quote.sentence > last.last_sentence + 1:
        between = range(sentences[last.last_sentence + 1].start, sentences[quote.sentence].start)
        if any(_someone_else(doc, mention, last.actor) for mention in index.named_in(between)):
            return
    quote.actor, quote.speaker, quote.cue = last.actor, last.speaker, last.cue
    quote.speaker_start, quote.speaker_end = last.speaker_start, last.speaker_end


def _someone_else(doc: Doc, mention: tuple[int, int, Actor], speaker: Actor | None) -> bool:
    start, end, actor = mention
    return actor is not speaker and doc[start:end].root.dep_ in ("nsubj", "nsubjpass")
