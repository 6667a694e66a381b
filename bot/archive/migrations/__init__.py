"""Numbered schema migrations: NNNN_name.sql, applied in order; PRAGMA user_version records the last applied."""

from __future__ import annotations

import re
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
