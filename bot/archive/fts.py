"""Turning whatever a user types into a safe FTS5 query.

No FTS5 syntax from the user reaches SQLite: every word becomes a quoted string, so `"`, `*`, `NEAR(`, `-`,
`AND`/`OR`/`NOT`, column filters and unbalanced parentheses are plain text. What the user can still say:
"a phrase in double quotes", and a trailing * on a word for a prefix search (econom*).
"""

from __future__ import annotations

import re

MAX_TERMS = 16
MAX_QUERY_CHARS = 500
MIN_PREFIX_CHARS = 2

_CHUNK = re.compile(r'"([^"]*)"|(\S+)')
_WORD = re.compile(r"\w+")


def query_terms(text: str) -> list[str]:
    """FTS5 terms for the user's text: each a quoted phrase, perhaps with a prefix star."""
    terms: list[str] = []
    for match in _CHUNK.finditer(text[:MAX_QUERY_CHARS]):
        quoted, bare = match.groups()
        words = _WORD.findall(quoted if quoted is not None else bare)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if bare is not None and bare.endswith("*") and len(words[-1]) >= MIN_PREFIX_CHARS:
            term += "*"
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def all_of(terms: list[str]) -> str:
    return " AND ".join(terms)


def any_of(terms: list[str]) -> str:
    return " OR ".join(terms)
