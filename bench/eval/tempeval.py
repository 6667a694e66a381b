"""Temporal expressions on TempEval-3's TBAQ-cleaned (TimeBank and AQUAINT), scored the TempEval-3 way.

Each document's text is its <TEXT> with the tags taken out; its creation time (DCT) is the publication date.
Strict extent match is the exact span; relaxed, any overlap (one to one). Value accuracy is over the relaxed
matches, and value F1 = relaxed F1 × value accuracy, as TempEval-3 reports it. Beside them: how many of the
expressions Newsdesk finds (bot/nlp/timex.py `expressions`) it keeps with a value it could not read (X-filled),
and how many it drops (none should be: an expression never disappears because its value is hard).
"""

from __future__ import annotations

import html
import re

from bench.eval.common import EVAL_DIR, PRF, require, run_contract

_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


def load() -> list[tuple[str, str | None, list[tuple[int, int, str, str]]]]:
    """(text, DCT, gold timexes as (start, end, type, value)) per document."""
    root = require(EVAL_DIR / "tempeval3" / "TBAQ-cleaned")
    docs = []
    for path in sorted([*root.glob("TimeBank/*.tml"), *root.glob("AQUAINT/*.tml")]):
        raw = path.read_text(encoding="utf-8")
        dct = re.search(r'<DCT><TIMEX3[^>]*value="([^"]+)"', raw)
        body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.DOTALL)
        if not body:
            continue
        docs.append((*_strip(body.group(1)), dct.group(1)[:10] if dct else None))
    return [(text, dct, gold) for text, gold, dct in docs]


def _strip(marked: str) -> tuple[str, list[tuple[int, int, str, str]]]:
    text, gold, open_timex, pos = [], [], None, 0
    length = 0
    for match in _TAG.finditer(marked):
        chunk = html.unescape(marked[pos : match.start()])
        text.append(chunk)
        length += len(chunk)
        pos = match.end()
        closing, name, attrs = match.groups()
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attrs)))
        elif open_timex:
            start, a = open_timex
            gold.append((start, length, a.get("type", ""), a.get("value", "")))
            open_timex = None
    text.append(html.unescape(marked[pos:]))
    return "".join(text), gold


def main() -> None:
    docs = load()
    records = run_contract([{"id": i, "text": t, "published": dct} for i, (t, dct, _) in enumerate(docs)])
    strict, relaxed = PRF(), PRF()
    values = types = matched = 0
    for (_, _, gold), record in zip(docs, records, strict=True):
        pred = [(t["start"], t["end"], t["type"], t["value"]) for t in record["timexes"]]
        strict.add({g[:2] for g in gold}, {p[:2] for p in pred})
        free = list(gold)
        hits = 0
        for p in pred:
            g = next((g for g in free if g[0] < p[1] and p[0] < g[1]), None)
            if g is None:
                continue
            free.remove(g)
            hits += 1
            values += p[3] == g[3]
            types += p[2] == g[2]
        matched += hits
        relaxed.tp += hits
        relaxed.fp += len(pred) - hits
        relaxed.fn += len(gold) - hits
    value_acc = values / matched if matched else 0.0
    type_acc = types / matched if matched else 0.0
    print(f"TempEval-3 TBAQ-cleaned: {len(docs)} documents, {sum(len(g) for _, _, g in docs)} gold TIMEX3")
    print(f"  strict extent   {strict.row()}")
    print(f"  relaxed extent  {relaxed.row()}")
    print(f"  value accuracy {100 * value_acc:5.1f}%   type accuracy {100 * type_acc:5.1f}%   (of {matched} matched)")
    print(f"  value F1 {100 * relaxed.f1 * value_acc:5.1f}   (HeidelTime reported 77.6 on the TempEval-3 test set)")
    found, unread, dropped = kept_and_dropped(docs)
    print(f"  expressions found {found}: kept with an X-filled value {unread}, dropped {dropped}")


def kept_and_dropped(docs) -> tuple[int, int, int]:
    """(expressions found, those kept with an X-filled value, those dropped), over the documents."""
    from datetime import date

    from bot.nlp import pipeline
    from bot.nlp.timex import expressions, find_timexes

    found = unread = dropped = 0
    texts = [text for text, _, _ in docs]
    for (text, dct, _), doc in zip(docs, pipeline.pipe(texts), strict=True):
        timexes = find_timexes(doc, text, date.fromisoformat(dct) if dct else None)
        spans = expressions(doc, text)
        found += len(spans)
        unread += sum(1 for t in timexes if not re.search(r"[1-9]", t.value) and "REF" not in t.value)
        dropped += sum(1 for s in spans if not any(t.start < s.end_char and s.start_char < t.end for t in timexes))
    return found, unread, dropped
