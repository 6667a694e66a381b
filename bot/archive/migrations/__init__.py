"""Numbered schema migrations: NNNN_name.sql, applied in order; PRAGMA user_version records the last applied."""

from __future__ import annotations

import re
import sqlite3
from functools import cache
from importlib import resources

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@cache
def migrations() -> tuple[tuple[int, str], ...]:
    found = []
    for entry in resources.files(__package__).iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..n without gaps, found {versions}")
    return tuple(found)


def latest_version() -> int:
    return migrations()[-1][0]


def statements(script: str) -> list[str]:
    """A script's statements, one by one (triggers whole), so they can run inside one transaction."""
    found, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                found.append(current.strip())
            current = ""
    if current.strip() and not all(line.strip().startswith("--") for line in current.strip().splitlines()):
        found.append(current.strip())
    return found
