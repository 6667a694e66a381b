"""Metadata that an article's text lacks, from `metadata.csv` beside the articles.

One row per article file; every column but `file` is optional and an empty cell means "not known":

    file,published,source,title,url,author
    004_b40c0b8648002e66.txt,2017-10-26,Associated Press,,,

`file` is the article's path relative to the archive folder. `published` is an ISO date (2017-10-26) or
date-time (2017-10-26T14:05:00+03:00; only the date is kept). What is given here wins over what the text says.
Rows with problems are ignored (a bad date only loses that cell) and reported by the ingest, each with its line.

Every row is one line: a field never spans lines, so a stray quotation mark costs its own row, not the rest of
the file. A row that does not parse (a quotation mark not closed on its line, more fields than the header, over
MAX_ROW_CHARS characters) or names no file of the folder (no name, a NUL, an absolute path, one that climbs out
with "..") is ignored and reported; reading the file never raises.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import posixpath
import re
from collections.abc import Set
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from bot.folder import METADATA_FILE, inside, read_file
from bot.textfile import Unreadable

MAX_METADATA_BYTES = 256 * 1024 * 1024  # a row a file: over a million files' rows
FIELDS = ("published", "source", "title", "url", "author")
# A longer line is not metadata (a title, a URL and a few names fit in far less); it is reported and skipped.
MAX_ROW_CHARS = 10_000
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # the line ends the csv module knows
_DRIVE = re.compile(r"^[A-Za-z]:")


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
    lines: dict[str, int] = field(default_factory=dict)  # the line of metadata.csv each row was read from

    def for_file(self, relpath: str) -> ArticleMeta:
        return self.rows.get(relpath, NO_META)

    def unused(self, relpaths: Set[str]) -> list[str]:
        """A problem line for each row that names no file of `relpaths` (the archive's files, as paths relative
        to the folder with "/"), in the order of the rows."""
        return [
            f"{METADATA_FILE} line {self.lines.get(name, '?')}: names file {name}, which is not in the archive; "
            "row ignored"
            for name in sorted(self.rows, key=lambda n: self.lines.get(n, 0))
            if name not in relpaths
        ]


def load_metadata(folder: Path) -> MetadataTable:
    """The metadata.csv of a (resolved) archive folder, read as its articles are: never through a link that leaves
    the folder, never blocking on a FIFO, never more than MAX_METADATA_BYTES."""
    path = folder / METADATA_FILE
    if not path.exists() and not path.is_symlink():
        return MetadataTable({}, [])
    real = os.path.realpath(path)
    if not inside(folder, real):
        return MetadataTable({}, [f"{METADATA_FILE}: a link to a file outside the archive; not read, no metadata"])
    try:
        text = read_file(real, str(folder), MAX_METADATA_BYTES).decode("utf-8-sig")
    except Unreadable as exc:
        return MetadataTable({}, [f"{METADATA_FILE}: not read ({exc}); no metadata applied"])
    except UnicodeDecodeError as exc:
        return MetadataTable({}, [f"{METADATA_FILE}: cannot be read as UTF-8 ({exc}); no metadata applied"])
    return parse_metadata(text)


def parse_metadata(text: str) -> MetadataTable:
    """The rows of metadata.csv's text, one per line; what cannot be used is in `problems`, never raised."""
    rows: dict[str, ArticleMeta] = {}
    lines: dict[str, int] = {}
    problems: list[str] = []
    columns: list[str] | None = None
    for line_no, line in enumerate(_LINE_BREAK.split(text.removeprefix("\ufeff")), start=1):
        if not line.strip():
            continue
        where = f"{METADATA_FILE} line {line_no}"
        cells, problem = _split_row(line)
        if columns is None:  # the first line that is not blank is the header
            columns = [c.strip().lower() for c in cells]
            if problem or "file" not in columns:
                why = f"the header {problem}" if problem else "no 'file' column in the header"
                return MetadataTable({}, [f"{METADATA_FILE}: {why}; no metadata applied"])
            unknown = [c for c in columns if c not in FIELDS and c != "file"]
            if unknown:
                problems.append(f"{METADATA_FILE}: ignored unknown column(s): {', '.join(unknown)}")
            continue
        if not problem and any(c.strip() for c in cells[len(columns) :]):  # (empty ones, "a.txt,,,", are harmless)
            problem = f"{len(cells)} fields but the header has {len(columns)} (a comma in an unquoted field?)"
        if problem:
            problems.append(f"{where}: {problem}; row ignored")
            continue
        row = dict(zip(columns, cells, strict=False))  # missing trailing cells are empty
        name, problem = _file_name(row.get("file") or "")
        if problem:
            problems.append(f"{where}: {problem}; row ignored")
            continue
        values = {f: (row.get(f) or "").strip() or None for f in FIELDS}
        if values["published"]:
            parsed = parse_date(values["published"])
            if parsed is None:
                problems.append(
                    f"{where}: published {values['published']!r} is not an ISO date (YYYY-MM-DD); date ignored"
                )
            values["published"] = parsed
        if name in rows:
            problems.append(f"{where}: {name} listed again (first on line {lines[name]}); the later row wins")
        rows[name] = ArticleMeta(**values)
        lines[name] = line_no
    if columns is None:
        return MetadataTable({}, [f"{METADATA_FILE}: no 'file' column in the header; no metadata applied"])
    return MetadataTable(rows, problems, lines)


def _split_row(line: str) -> tuple[list[str], str | None]:
    """The cells of one line of CSV, or why it cannot be read."""
    if len(line) > MAX_ROW_CHARS:
        return [], f"{len(line):,} characters, over the limit of {MAX_ROW_CHARS:,} for a row"
    try:
        return next(csv.reader([line], strict=True)), None
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            return [], "a quotation mark opens a field that does not end on this line (fields cannot span lines)"
    try:  # anything else strict parsing refuses ('"a"b') is read leniently, as the csv module always has
        return next(csv.reader([line])), None
    except csv.Error as exc:
        return [], f"not valid CSV ({exc})"


def _file_name(cell: str) -> tuple[str, str | None]:
    """The path a row names, relative to the folder with "/", or why it names no file of the folder."""
    name = cell.strip().replace("\\", "/")
    if not name:
        return "", "no file name"
    if "\x00" in name:
        return "", f"the file name {name!r} contains a NUL character"
    if name.startswith("/") or _DRIVE.match(name):
        return "", f"the file name {name!r} is an absolute path; names are relative to the archive folder"
    normal = posixpath.normpath(name)
    if normal == ".." or normal.startswith("../"):
        return "", f"the file name {name!r} is outside the archive folder"
    return normal, None


_MONTH_NAMES = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}  # fmt: skip
_NAMED = re.compile(
    r"^(?:[a-z]+,?\s+)?(?:(?P<d1>\d{1,2})\s+(?P<m1>[a-z]{3})[a-z]*\.?,?|(?P<m2>[a-z]{3})[a-z]*\.?\s+(?P<d2>\d{1,2}),?)"
    r"\s+(?P<y>\d{4})\b"
)
_NUMERIC = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")


def read_date(value: str) -> tuple[str | None, str]:
    """A date in one of the forms exports and feeds write, to YYYY-MM-DD, or None with why. Read: ISO dates and
    date-times; "2 March 2009", "March 2, 2009", "Mon, 02 Mar 2009 10:00:00 GMT"; 2009/03/02; 03-02-2009 only
    when a part over 12 tells the day from the month ("25-03-2009", "03/25/2009"): when both could be either,
    no date is guessed."""
    value = value.strip()
    if (day := parse_date(value)) is not None:
        return day, ""
    if m := _NAMED.match(value.lower()):
        month = _MONTH_NAMES.get(m.group("m1") or m.group("m2"))
        return _checked(int(m.group("y")), month, int(m.group("d1") or m.group("d2")))
    if m := _NUMERIC.match(value):
        a, b, c = (int(x) for x in m.groups())
        if len(m.group(1)) == 4:
            return _checked(a, b, c)
        if len(m.group(3)) != 4:
            return None, "no four-digit year"
        if a > 12 >= b:
            return _checked(c, b, a)
        if b > 12 >= a:
            return _checked(c, a, b)
        if a == b:
            return _checked(c, a, b)
        return None, "day-first or month-first cannot be told"
    return None, "not a date form Newsdesk reads"


def _checked(year: int, month: int | None, day: int) -> tuple[str | None, str]:
    try:
        return date(year, month or 0, day).isoformat(), ""
    except ValueError:
        return None, "no such day"


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
