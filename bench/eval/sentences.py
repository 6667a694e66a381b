"""Sentence boundaries: the options spaCy offers, and ours, measured on CoNLL-2003 dev.

Each document is its sentences joined by single spaces (no line breaks to give the answer away); a boundary is
a sentence's first character. Options: the dependency parser alone (spaCy's default), the parser with
Newsdesk's abbreviation rules (what the pipeline uses), the statistical `senter`, and the punctuation
`sentencizer`. Also a handful of news sentences built around abbreviations, each of which must stay whole.
"""

from __future__ import annotations

import spacy

from bench.eval.common import EVAL_DIR, PRF, require
from bot.nlp import pipeline

ABBREVIATIONS = [
    "Maj. Gen. Qasem Soleimani, the commander of Iran's Quds Force, was in Erbil.",
    "Army Col. Ryan Dillon told the AP the fighting hurt the campaign.",
    "The planned Sept. 25 referendum went ahead despite U.S. objections.",
    "U.S.-led coalition forces advanced on the town on Oct. 16 at dawn.",
    "Gov. John F. Kennedy Jr. spoke to Sen. Smith in St. Louis on Monday.",
    "The Iraqi prime minister, Haider al- Abadi, rejected the offer.",
    "IS militants have only to choose “death or surrender,” said al- Abadi.",
    "He met Lt. Gen. Stephen Townsend and Brig. Gen. Andrew Croft in Baghdad.",
    "Gen. Dunford arrived Jan. 3 in Iraq with Adm. Mullen.",
    "The talks, Mr. Omar said, began in Sulaimaniyah on Sept. 11 and ended on Sept. 13.",
]
# Two sentences each, that must be split where they meet.
PAIRS = [
    "The referendum was held on Sept. 25. Kurdish leaders hailed the result.",
    "Troops entered Kirkuk on Oct. 16. The Kurds withdrew without a fight.",
    "The envoy flew to the U.S. He returned a week later.",
    "She joined the army as a Col. Her brother stayed home.",
]


def documents() -> list[tuple[str, set[int]]]:
    lines = require(EVAL_DIR / "conll2003" / "dev.txt").read_text(encoding="utf-8").splitlines()[1:]
    docs, sentences, sentence = [], [], []
    for line in [*lines, "-DOCSTART-"]:
        if line.startswith("-DOCSTART-") or not line.strip():
            if sentence:
                sentences.append(" ".join(sentence))
            sentence = []
            if line.startswith("-DOCSTART-") and sentences:
                docs.append(sentences)
                sentences = []
        else:
            sentence.append(line.split()[0])
    out = []
    for sents in docs:
        starts, offset = set(), 0
        for s in sents:
            starts.add(offset)
            offset += len(s) + 1
        out.append((" ".join(sents), starts))
    return out


def options() -> dict[str, spacy.language.Language]:
    base = pipeline.DEFAULT_MODEL
    senter = spacy.load(base, exclude=["parser"])
    senter.enable_pipe("senter")
    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    return {
        "parser (spaCy default)": spacy.load(base),
        "parser + Newsdesk rules": pipeline.load(base),
        "senter": senter,
        "sentencizer": sentencizer,
    }


def main() -> None:
    docs = documents()
    texts = [t for t, _ in docs]
    print(f"Sentence boundaries on CoNLL-2003 dev: {len(docs)} documents, {sum(len(s) for _, s in docs)} sentences")
    for name, nlp in options().items():
        score = PRF()
        for (_, gold), doc in zip(docs, nlp.pipe(texts, batch_size=64), strict=True):
            score.add(gold, {s.start_char for s in doc.sents})
        whole = sum(len(list(nlp(text).sents)) == 1 for text in ABBREVIATIONS)
        split = sum(len(list(nlp(text).sents)) == 2 for text in PAIRS)
        print(
            f"  {name:26} {score.row()}   abbreviations kept whole {whole}/{len(ABBREVIATIONS)}, "
            f"pairs split {split}/{len(PAIRS)}"
        )
