"""`newsdesk analyze`: the extraction pipeline over JSON Lines, for scripts and evaluation harnesses.

Input lines: {"id", "text", "published" (optional), "title" (optional)}. Output: one JSON line per input line, in
order (see ../shared/docs/analysis-contract.md). A line that cannot be read gives {"id": null, "error": ...} with
empty lists, so the output stays aligned with the input. Needs no database and no Discord token.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice
from typing import TextIO

from bot.articles import Article, NoText, parse_article
from bot.metadata import read_date
from bot.nlp import pipeline
from bot.nlp.actors import Hints
from bot.nlp.analysis import analyze_doc, contract_record, hints_for

EMPTY = {"entities": [], "actors": [], "quotes": [], "timexes": [], "summary": []}
CHUNK = 256


def run(lines: Iterable[str], out: TextIO, model: str = pipeline.DEFAULT_MODEL, summary: int = 3) -> int:
    """Analyse every line; `summary` is the number of sentences of each summary."""
    count = 0
    for record in analyze_lines(lines, model, summary):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    out.flush()
    return count


def analyze_lines(lines: Iterable[str], model: str = pipeline.DEFAULT_MODEL, summary: int = 3) -> Iterator[dict]:
    iterator = iter(lines)
    while chunk := list(islice(iterator, CHUNK)):
        parsed = [_read(line) for line in chunk]
        texts = [p["text"] for p in parsed if "error" not in p]
        docs = iter(pipeline.pipe(texts, model))
        for item in parsed:
            if "error" in item:
                yield {"id": item.get("id"), "error": item["error"], **EMPTY}
                continue
            article = _article(item["text"])
            hints = hints_for(article) if article else None
            analysis = analyze_doc(item["text"], next(docs), hints, item["published"])
            yield contract_record(item["id"], analysis, summary, article.body if article else None)


def _read(line: str) -> dict:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"not JSON: {exc}"}
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        return {"id": data.get("id") if isinstance(data, dict) else None, "error": 'no "text" string'}
    published = data.get("published")
    day, why = read_date(published) if isinstance(published, str) else (None, "not a string")
    if published is not None and day is None:
        # The document is analysed all the same, undated: its explicit dates stand, nothing relative is guessed.
        print(
            f"newsdesk analyze: id {data.get('id')!r}: published {str(published)[:40]!r} is not read ({why}); "
            "analysed as undated",
            file=sys.stderr,
        )
    return {"id": data.get("id"), "text": data["text"], "published": date.fromisoformat(day) if day else None}


def _article(text: str) -> Article | None:
    try:
        return parse_article(text)
    except NoText:
        return None


def hints_from_text(text: str) -> Hints:
    """What the text says of itself in its byline or dateline: its publication, its authors."""
    article = _article(text)
    return hints_for(article) if article else Hints()
