"""Direct quotes and their speakers on PolNeAR dev, beside textacy's `direct_quotations` on the same model.

Gold direct quotes are the Content spans (each fragment of a discontinuous one) that begin with a quotation
mark. A predicted quote matches a gold one when their spans, quotation marks aside, overlap by at least half of
their union (one to one, greedily). A matched quote's speaker is right when the predicted speaker mention
overlaps the gold Source span, or names the same person (the same surname). Each annotation file is scored
as a document of its own (some articles were annotated more than once).

Pronoun speakers have a check of their own (issue 14): polnear_pronouns.tsv names, for each direct quote whose
annotated Source is a pronoun, the person a reader takes it to mean. There, a speaker mention on the pronoun is not
enough: Newsdesk must name that person.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.eval.common import EVAL_DIR, PRF, require, run_contract
from bot.nlp.names import display_name, is_title_word, name_key

QUOTE_START = ('"', "“", "'", "‘", "``")
PRONOUN_CHECK = Path(__file__).with_name("polnear_pronouns.tsv")
PRONOUNS = {"he", "she", "him", "her", "they", "them", "i", "we", "it", "you"}
_MARKS = "\"“”'‘’`«» \n\t.,;:!?"


@dataclass
class Gold:
    start: int
    end: int
    source: tuple[int, int] | None
    source_text: str


def load() -> list[tuple[str, str, list[Gold]]]:
    """(document name, text, gold quotes) per annotation file."""
    root = require(EVAL_DIR / "polnear" / "dev")
    out = []
    for ann in sorted((root / "attributions").glob("*.ann")):
        name = ann.stem.rsplit("_", 1)[0]
        text = (root / "text" / f"{name}.txt").read_text(encoding="utf-8")
        out.append((name, text, _gold(ann.read_text(encoding="utf-8"), text)))
        CONTENTS[len(out) - 1] = _contents(ann.read_text(encoding="utf-8"))
    return out


CONTENTS: dict[int, list[tuple[int, int]]] = {}


def _contents(ann: str) -> list[tuple[int, int]]:
    spans = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2 and fields[1].startswith("Content "):
            spans += [tuple(map(int, p.split())) for p in fields[1].split(" ", 1)[1].split(";")]
    return spans


def _gold(ann: str, text: str) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations = []
    for line in ann.splitlines():
        fields = line.split("\t")
        if line.startswith("T") and len(fields) >= 2:
            kind, _, offsets = fields[1].partition(" ")
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
            spans[fields[0]] = (kind, pieces)
        elif line.startswith("E") and len(fields) >= 2:
            relations.append(dict(part.split(":", 1) for part in fields[1].split()))
    golds = []
    for rel in relations:
        content = spans.get(rel.get("Content", ""))
        source = spans.get(rel.get("Source", ""))
        if content is None:
            continue
        src = (source[1][0][0], source[1][-1][1]) if source else None
        for start, end in content[1]:
            if text[start:end].lstrip().startswith(QUOTE_START):
                golds.append(Gold(start, end, src, text[src[0] : src[1]] if src else ""))
    return golds


def _bare(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _MARKS:
        start += 1
    while end > start and text[end - 1] in _MARKS:
        end -= 1
    return start, end


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union if union else 0.0


@dataclass
class Predicted:
    start: int
    end: int
    speaker: str | None
    speaker_span: tuple[int, int] | None


def score(docs, predictions: list[list[Predicted]]) -> tuple[PRF, int, int, int]:
    """Quote P/R/F1, speakers right, quotes matched, and unmatched predictions that lie inside some gold Content."""
    quotes, right, matched, attributed = PRF(), 0, 0, 0
    for number, ((_, text, golds), preds) in enumerate(zip(docs, predictions, strict=True)):
        free = list(range(len(golds)))
        hits = 0
        for p in preds:
            bp = _bare(text, p.start, p.end)
            best = max(free, key=lambda g: _overlap(bp, _bare(text, golds[g].start, golds[g].end)), default=None)
            if best is None or _overlap(bp, _bare(text, golds[best].start, golds[best].end)) < 0.5:
                attributed += any(s <= bp[0] and bp[1] <= e for s, e in CONTENTS.get(number, []))
                continue
            free.remove(best)
            hits += 1
            matched += 1
            right += _same_speaker(p, golds[best])
        quotes.tp += hits
        quotes.fp += len(preds) - hits
        quotes.fn += len(golds) - hits
    return quotes, right, matched, attributed


def _same_speaker(p: Predicted, gold: Gold) -> bool:
    if p.speaker_span and gold.source and _overlap(p.speaker_span, gold.source) > 0:
        return True
    if not p.speaker or not gold.source_text:
        return False
    ours, theirs = name_key(p.speaker).split(), name_key(display_name(gold.source_text)).split()
    return bool(ours and theirs and ours[-1] == theirs[-1])


def pronoun_check(docs, predictions: list[list[Predicted]]) -> Counter:
    """Each quote of polnear_pronouns.tsv as right, wrong (another person), unresolved (no speaker, or only the
    pronoun) or not found (no predicted quote matches it, by the overlap `score` uses)."""
    ends = {(name, g.start): g.end for name, _, golds in docs for g in golds}
    first = {}
    for number, (name, _, _) in enumerate(docs):
        first.setdefault(name, number)
    outcome = Counter()
    for line in PRONOUN_CHECK.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, start, person = line.split("\t")
        text = docs[first[name]][1]
        gold = _bare(text, int(start), ends[name, int(start)])
        best = max(predictions[first[name]], key=lambda p: _overlap(_bare(text, p.start, p.end), gold), default=None)
        if best is None or _overlap(_bare(text, best.start, best.end), gold) < 0.5:
            outcome["not found"] += 1
        elif not best.speaker or name_key(best.speaker) in PRONOUNS:
            outcome["unresolved"] += 1
        else:
            outcome["right" if _same_person(best.speaker, person) else "wrong"] += 1
    return outcome


def _same_person(speaker: str, person: str) -> bool:
    """The same surname, and not two different given names ("Bill Clinton" is not "Hillary Clinton")."""
    ours, theirs = ([w for w in re.findall(r"[\w'-]+", name_key(n)) if not is_title_word(w)] for n in (speaker, person))
    if not ours or not theirs or ours[-1] != theirs[-1]:
        return False
    given = set(ours[:-1]) & set(theirs) or set(theirs[:-1]) & set(ours)
    return len(ours) == 1 or len(theirs) == 1 or bool(given)


def ours(docs) -> list[list[Predicted]]:
    """The contract's `quotes`: direct quotations. Its `partial_quotes` (quoted words inside the writer's own
    sentence) are counted in `ours.partial`, not scored: the gold direct quotes are Contents that open with a mark."""
    records = run_contract([{"id": i, "text": text, "published": None} for i, (_, text, _) in enumerate(docs)])
    ours.partial = sum(len(record.get("partial_quotes", [])) for record in records)
    out = []
    for record in records:
        out.append(
            [
                Predicted(
                    q["start"],
                    q["end"],
                    q["speaker"],
                    (q["speaker_start"], q["speaker_end"]) if q["speaker_start"] is not None else None,
                )
                for q in record["quotes"]
            ]
        )
    return out


def textacy_quotes(docs) -> list[list[Predicted]] | None:
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    import spacy

    from bot.nlp.pipeline import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL)
    out = []
    for doc in nlp.pipe([text for _, text, _ in docs], batch_size=16):
        preds = []
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # it refuses a document with an unclosed quotation: no quotes from it
            triples = []
            textacy_quotes.refused += 1
        for triple in triples:
            speaker = triple.speaker
            span = (speaker[0].idx, speaker[-1].idx + len(speaker[-1])) if speaker else None
            text = " ".join(t.text for t in speaker) if speaker else None
            preds.append(Predicted(triple.content.start_char, triple.content.end_char, text, span))
        out.append(preds)
    return out


textacy_quotes.refused = 0
ours.partial = 0


def main() -> None:
    docs = load()
    gold_count = sum(len(g) for _, _, g in docs)
    articles = len({n for n, _, _ in docs})
    print(f"PolNeAR dev: {len(docs)} annotation files, {articles} articles, {gold_count} gold direct quotes")
    newsdesk = ours(docs)
    rows = [("Newsdesk", newsdesk), ("textacy direct_quotations", textacy_quotes(docs))]
    for name, preds in rows:
        if preds is None:
            print(f"  {name:27} skipped: textacy is not installed (make eval installs it)")
            continue
        quotes, right, matched, attributed = score(docs, preds)
        accuracy = right / matched if matched else 0.0
        print(f"  {name:27} quotes {quotes.row()}   speaker accuracy {100 * accuracy:5.1f}% of {matched} matched")
        print(
            f"  {'':27} of {quotes.fp} unmatched predictions, {attributed} lie inside a gold Content that begins "
            "before its quotation mark (a partial quote the annotators attributed; the metric leaves it out)"
        )
    print(
        f"  (Newsdesk also gave {ours.partial} partial quotes, quoted words inside the writer's sentence: not scored)"
    )
    if textacy_quotes.refused:
        print(f"  (textacy refused {textacy_quotes.refused} document(s) for an unclosed quotation mark)")
    outcome = pronoun_check(docs, newsdesk)
    n = sum(outcome.values()) or 1
    right, wrong, unresolved, missing = (100 * outcome[k] / n for k in ("right", "wrong", "unresolved", "not found"))
    print(
        f"  pronoun speakers (own check, {sum(outcome.values())} quotes): right {right:.1f}% · wrong person "
        f"{wrong:.1f}% · unresolved {unresolved:.1f}% · not found {missing:.1f}% (no Newsdesk quote there)"
    )
