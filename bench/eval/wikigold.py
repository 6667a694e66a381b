"""Named entities on WikiGold (Wikipedia, other annotators than CoNLL's): scored exactly as CoNLL-2003 dev is
(bench/eval/conll.py: the same label mapping, entity-level exact match, our pipeline beside the raw spaCy model).

WikiGold's annotators often keep a leading "the" inside a name ("The Mad Capsule Markets"), which the pipeline
never does (it takes "the" off every name) and the model does at other times ("the United States"); a second table
strips a leading "the " from gold and predicted spans alike, so that this convention alone counts as no error.
"""

from __future__ import annotations

from bench.eval.common import EVAL_DIR, require
from bench.eval.conll import ours, print_table, raw_spacy, read_tagged, score

Spans = set[tuple[int, int, str]]


def load_documents() -> list[tuple[str, Spans]]:
    """(text, gold entities as (start, end, label)) per article."""
    path = require(EVAL_DIR / "wikigold" / "wikigold.conll.txt")
    return read_tagged(path.read_text(encoding="utf-8").splitlines())


def without_the(text: str, spans: Spans) -> Spans:
    """The spans, each without a leading "the " (any case)."""
    out = set()
    for start, end, label in spans:
        if text[start : start + 4].lower() == "the " and end > start + 4:
            start += 4
        out.add((start, end, label))
    return out


def main() -> None:
    docs = load_documents()
    texts = [t for t, _ in docs]
    raw, mine = raw_spacy(texts), ours(texts)
    title = f"WikiGold: {len(docs)} articles, {sum(len(g) for _, g in docs)} gold entities"
    print_table(title, {"raw spaCy model": score(docs, raw), "Newsdesk pipeline": score(docs, mine)})
    bare = [(t, without_the(t, g)) for t, g in docs]
    raw_bare, mine_bare = ([without_the(t, p) for t, p in zip(texts, pred, strict=True)] for pred in (raw, mine))
    print_table(
        'WikiGold, a leading "the" stripped from gold and predicted spans',
        {"raw spaCy model": score(bare, raw_bare), "Newsdesk pipeline": score(bare, mine_bare)},
    )
