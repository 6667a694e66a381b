"""Metadata that an article's text lacks, from `metadata.csv` beside the articles.

One row per article file; every column but `file` is optional and an empty cell means "not known":

    file,published,source,title,url,author
    004_b40c0b8648002e66.txt,2017-10-26,Associated Press,,,

`file` is the article's path relative to the archive folder. `published` is an ISO date (2017-10-26) or
date-time (2017-10-26T14:05:00+03:00; only the date is kept). What is given here wins over what the text says.
Rows with problems are ignored (a bad date only loses that cell) and reported by the ingest.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

METADATA_FILE = "metadata.csv"
FIELDS = ("published", "source", "title", "url", "author")


@dataclass(frozen=True)
class ArticleMeta:
    published: str | None = None
    source: str | None = None
    title: str | None = None
    url: str | None = None
    author: str | None = None

    def fingerprint(self) -> str:
        """Changes whenever any field changes, so a metadata edit re-processes its article."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:16]


NO_META = ArticleMeta()


@dataclass
class MetadataTable:
    rows: dict[str, ArticleMeta]
    problems: list[str]

    def for_file(self, relpath: str) -> ArticleMeta:
        return self.rows.get(relpath, NO_META)


def load_metadata(folder: Path) -> MetadataTable:
    path = folder / METADATA_FILE
    if not path.is_file():
        return MetadataTable({}, [])
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return MetadataTable({}, [f"{METADATA_FILE}: cannot be read as UTF-8 ({exc}); no metadata applied"])
    return parse_metadata(text)


def parse_metadata(text: str) -> MetadataTable:
    rows: dict[str, ArticleMeta] = {}
    problems: list[str] = []
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip().lower() for c in (reader.fieldnames or [])]
    if "file" not in columns:
        return MetadataTable({}, [f"{METADATA_FILE}: no 'file' column in the header; no metadata applied"])
    unknown = [c for c in columns if c not in FIELDS and c != "file"]
    if unknown:
        problems.append(f"{METADATA_FILE}: ignored unknown column(s): {', '.join(unknown)}")
    reader.fieldnames = columns
    for line_no, row in enumerate(reader, start=2):
        name = (row.get("file") or "").strip().replace("\\", "/")
        if not name:
            problems.append(f"{METADATA_FILE} line {line_no}: no file name; row ignored")
            continue
        values = {f: (row.get(f) or "").strip() or None for f in FIELDS}
        if values["published"]:
            parsed = parse_date(values["published"])
            if parsed is None:
                problems.append(
                    f"{METADATA_FILE} line {line_no}: published {values['published']!r} is not an ISO date "
                    "(YYYY-MM-DD); date ignored"
                )
            values["published"] = parsed
        if name in rows:
            problems.append(f"{METADATA_FILE} line {line_no}: {name} listed again; the later row wins")
        rows[name] = ArticleMeta(**values)
    return MetadataTable(rows, problems)


def parse_date(value: str) -> str | None:
    """An ISO date or date-time to YYYY-MM-DD, or None."""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return None
