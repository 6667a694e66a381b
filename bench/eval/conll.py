"""Named entities on CoNLL-2003 dev: entity-level exact match, our pipeline beside the raw spaCy model.

OntoNotes labels are mapped to CoNLL's: PERSON→PER, ORG→ORG, GPE/LOC/FAC→LOC, NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/
LANGUAGE→MISC; other labels (dates, numbers) are not entities in CoNLL and are dropped.
Each document's text is its tokens joined by spaces, one sentence a line.
"""

from __future__ import annotations

from bench.eval.common import EVAL_DIR, PRF, require, run_contract

LABEL_MAP = {
    "PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC", "EVENT": "MISC",
    "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC", "LANGUAGE": "MISC",
}  # fmt: skip
CORE = ("PER", "ORG", "LOC")


def load_documents() -> list[tuple[str, set[tuple[int, int, str]]]]:
    """(text, gold entities as (start, end, label)) per document."""
    lines = require(EVAL_DIR / "conll2003" / "dev.txt").read_text(encoding="utf-8").splitlines()[1:]
    return read_tagged(lines)


def read_tagged(lines: list[str]) -> list[tuple[str, set[tuple[int, int, str]]]]:
    """Documents of `token … TAG` lines (IOB1 or IOB2: an `I-X` after no `X` begins one too), `-DOCSTART-` apart."""
    docs, sentences, sentence = [], [], []
    for line in [*lines, "-DOCSTART- O"]:
        if line.startswith("-DOCSTART-"):
            if sentence:
                sentences.append(sentence)
            if sentences:
                docs.append(_document(sentences))
            sentences, sentence = [], []
        elif not line.strip():
            if sentence:
                sentences.append(sentence)
            sentence = []
        else:
            token, *_, tag = line.split()
            sentence.append((token, tag))
    return docs


def _document(sentences: list[list[tuple[str, str]]]) -> tuple[str, set[tuple[int, int, str]]]:
    text, gold, offset = [], set(), 0
    for sentence in sentences:
        current = None
        for token, tag in sentence:
            start = offset
            offset += len(token) + 1
            if tag.startswith("B-") or (tag.startswith("I-") and (current is None or current[2] != tag[2:])):
                if current:
                    gold.add(tuple(current))
                current = [start, start + len(token), tag[2:]]
            elif tag.startswith("I-"):
                current[1] = start + len(token)
            else:
                if current:
                    gold.add(tuple(current))
                current = None
        if current:
            gold.add(tuple(current))
        text.append(" ".join(t for t, _ in sentence))
    return "\n".join(text), gold


def score(docs, predictions) -> dict[str, PRF]:
    scores = {name: PRF() for name in ("all", "core", *CORE, "MISC")}
    for (_, gold), pred in zip(docs, predictions, strict=True):
        pred = {(s, e, LABEL_MAP[label]) for s, e, label in pred if label in LABEL_MAP}
        scores["all"].add(gold, pred)
        scores["core"].add({g for g in gold if g[2] in CORE}, {p for p in pred if p[2] in CORE})
        for label in (*CORE, "MISC"):
            scores[label].add({g for g in gold if g[2] == label}, {p for p in pred if p[2] == label})
    return scores


def raw_spacy(texts: list[str]) -> list[set[tuple[int, int, str]]]:
    import spacy

    from bot.nlp.pipeline import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL)
    return [{(e.start_char, e.end_char, e.label_) for e in doc.ents} for doc in nlp.pipe(texts, batch_size=64)]


def ours(texts: list[str]) -> list[set[tuple[int, int, str]]]:
    out = run_contract([{"id": i, "text": t, "published": None} for i, t in enumerate(texts)])
    return [{(e["start"], e["end"], e["label"]) for e in record["entities"]} for record in out]


def print_table(title: str, columns: dict[str, dict[str, PRF]]) -> None:
    """One row per type, one column per system."""
    print(title)
    print(f"{'':15}" + "".join(f"{name:34}" for name in columns))
    for name in ("all", "core", *CORE, "MISC"):
        label = {"all": "all (4 types)", "core": "PER/ORG/LOC"}.get(name, name)
        print(f"{label:15}" + "".join(f"{scores[name].row():34}" for scores in columns.values()))


def main() -> None:
    docs = load_documents()
    texts = [t for t, _ in docs]
    raw, mine = score(docs, raw_spacy(texts)), score(docs, ours(texts))
    title = f"CoNLL-2003 dev: {len(docs)} documents, {sum(len(g) for _, g in docs)} gold entities"
    print_table(title, {"raw spaCy model": raw, "Newsdesk pipeline": mine})
