"""Files that hold articles other than as plain text: saved web pages and exports of many articles.

Pure functions, bytes in and records out (the ingest runs them in its worker processes); no file or network
access beyond the bytes given. A bad record is yielded as a BadRecord with its reason and costs nothing else;
nothing here raises on bad input.

Saved pages (.html, .htm): `read_page`, the article through trafilatura (see bot/intake/extract.py).

Exports (`read_records`, by the file name's suffix, case-insensitive) yield (n, Record | BadRecord), n counting
from 1 over what is yielded, good and bad alike, in file order: the n-th record of an export is its key.

- JSON Lines (.jsonl, .ndjson): one JSON object a line, UTF-8 (a BOM is allowed). Blank lines are skipped and
  not numbered. A line that is not JSON, not an object, not UTF-8 or has no text is a BadRecord whose reason
  names its line in the file ("line 7: not JSON (Expecting value)").
- CSV (.csv): a header row, then a record a row; UTF-8 (with or without BOM), else read as windows-1252. A
  field may hold newlines, commas and quotes when quoted. Blank rows are skipped and not numbered. Reasons name
  the row (1 = the first after the header) and the line it starts on ("row 3 (line 5): no text"). A header with
  no text column makes one BadRecord for the whole file; a row that breaks the CSV syntax ends the file with one.
- WARC (.warc, .warc.gz), as crawlers write them, through warcio: each 'response' record with HTTP status 200
  and an HTML content type (text/html, application/xhtml+xml) is a page, read by extract_page with the record's
  WARC-Target-URI as its URL and the HTTP charset as its encoding; the crawl's WARC-Date stands in for the
  publication date when the page gives none. Every other record (requests, metadata, images, CSS, redirects,
  errors) is not an article and not reported. A broken or truncated archive yields the records read before the
  break, then one BadRecord for the rest.

Fields of JSON Lines and CSV records: the names in FIELD_NAMES, case-insensitive; the first name present with a
non-empty value wins. A nested object is ignored; a list is joined with ", " (authors) or ignored (the other
fields); a number is taken as written (a date or an epoch). A text that is HTML (it starts with "<" and holds
tags such as <p> or <html>) is read as a page for its main text; what the record itself says of title, date,
URL, source and author wins over what the page says.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zlib
from collections.abc import Iterator, Mapping

from bot.intake.extract import extract_page
from bot.intake.records import BadRecord, Record

CONTAINER_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".warc", ".warc.gz")
PAGE_SUFFIXES = (".html", ".htm")

# The names a JSON Lines or CSV record may give each field, in the order they are looked for (case-insensitive).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text", "content", "body", "article", "full_text", "maintext"),
    "title": ("title", "headline", "name"),
    "published": (
        "published",
        "date",
        "pubdate",
        "published_at",
        "publication_date",
        "datetime",
        "created_at",
        "timestamp",
    ),
    "url": ("url", "link", "uri", "canonical_url"),
    "source": ("source", "outlet", "publisher", "site", "site_name", "sitename", "feed"),
    "author": ("author", "authors", "byline", "creator"),
}

MAX_TEXT_CHARS = 2_000_000  # an article's text; a longer one is not an article (a book, a dump) and is skipped
MAX_LINE_BYTES = 4 * MAX_TEXT_CHARS + 1_000_000  # a JSON line: the text (escaped, up to 4 bytes a character) and fields
MAX_CSV_FIELD = MAX_LINE_BYTES  # csv.field_size_limit: a longer field breaks the file (the csv module stops)
MAX_PAGE_BYTES = 20_000_000  # a WARC record's decoded payload
_HTML_TAG = re.compile(r"<(?:p|html|body|div|article|br|h[1-6]|head|section|main)\b[^>]*>", re.IGNORECASE)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def read_page(name: str, data: bytes) -> Record | BadRecord:
    """The article in a saved web page (.html, .htm)."""
    return extract_page(data)


def read_records(name: str, data: bytes) -> Iterator[tuple[int, Record | BadRecord]]:
    """Every record of an export, numbered from 1 (see the module's docstring)."""
    lower = name.lower()
    if lower.endswith((".jsonl", ".ndjson")):
        entries = _json_lines(data)
    elif lower.endswith(".csv"):
        entries = _csv_rows(data)
    elif lower.endswith((".warc", ".warc.gz")):
        entries = _warc_pages(data)
    else:
        entries = iter([BadRecord(f"not an export this reads (suffixes: {', '.join(CONTAINER_SUFFIXES)})")])
    yield from enumerate(entries, start=1)


# --- fields ---------------------------------------------------------------------------------------------------


def record_of(fields: Mapping[str, object], where: str) -> Record | BadRecord:
    """The Record a JSON object or CSV row makes, by FIELD_NAMES; `where` starts its reasons ("line 7")."""
    by_name: dict[str, object] = {}
    for key, value in fields.items():
        if isinstance(key, str):
            by_name.setdefault(key.strip().lower(), value)
    values = {field: _first(by_name, names, field) for field, names in FIELD_NAMES.items()}
    text = values.pop("text")
    if text is None:
        return BadRecord(f"{where}: no text (none of the fields {', '.join(FIELD_NAMES['text'])})")
    if len(text) > MAX_TEXT_CHARS:
        return BadRecord(f"{where}: text too long ({len(text):,} characters > {MAX_TEXT_CHARS:,})")
    if _looks_like_html(text):
        page = extract_page(text, url=values["url"])
        if isinstance(page, BadRecord):
            return BadRecord(f"{where}: the text is HTML: {page.reason}")
        return Record(
            text=page.text,
            title=values["title"] or page.title,
            published=values["published"] or page.published,
            url=values["url"] or page.url,
            source=values["source"] or page.source,
            author=values["author"] or page.author,
        )
    return Record(text=text, **values)


def _first(by_name: dict[str, object], names: tuple[str, ...], field: str) -> str | None:
    for name in names:
        value = _value(by_name.get(name), field)
        if value:
            return value
    return None


def _value(value: object, field: str) -> str | None:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return None if field == "text" else str(value)
    if isinstance(value, list) and field == "author":
        names = [" ".join(item.split()) for item in value if isinstance(item, str) and item.strip()]
        return ", ".join(names) or None
    return None  # a nested object, or a list where one value is wanted


def _looks_like_html(text: str) -> bool:
    return text.lstrip().startswith("<") and _HTML_TAG.search(text, 0, 100_000) is not None


# --- JSON Lines -----------------------------------------------------------------------------------------------


def _json_lines(data: bytes) -> Iterator[Record | BadRecord]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        where = f"line {number}"
        if len(raw) > MAX_LINE_BYTES:
            yield BadRecord(f"{where}: too long ({len(raw):,} bytes > {MAX_LINE_BYTES:,})")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield BadRecord(f"{where}: not UTF-8 (byte {exc.start + 1})")
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield BadRecord(f"{where}: not JSON ({exc.msg})")
            continue
        except (ValueError, RecursionError) as exc:  # an integer of too many digits, nesting too deep
            yield BadRecord(f"{where}: not JSON ({type(exc).__name__}: {str(exc)[:100]})")
            continue
        if not isinstance(value, dict):
            yield BadRecord(f"{where}: not a JSON object (a JSON {_json_kind(value)})")
            continue
        yield record_of(value, where)


def _json_kind(value: object) -> str:
    kinds = {list: "array", str: "string", bool: "boolean", int: "number", float: "number", type(None): "null"}
    return kinds.get(type(value), type(value).__name__)


# --- CSV ------------------------------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> Iterator[Record | BadRecord]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if csv.field_size_limit() < MAX_CSV_FIELD:
        csv.field_size_limit(MAX_CSV_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    row_number = 0
    start = 1  # the line the next row starts on
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            where = f"row {row_number + 1} (line {start})" if header is not None else f"header (line {start})"
            yield BadRecord(f"{where}: not CSV ({exc}); the rest of the file is not read")
            return
        where_line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            if not any(name in header for name in FIELD_NAMES["text"]):
                columns = ", ".join(header)[:200]
                yield BadRecord(
                    f"header (line {where_line}): no text column ({columns}); "
                    f"one of {', '.join(FIELD_NAMES['text'])} is needed"
                )
                return
            continue
        row_number += 1
        yield record_of(dict(zip(header, row, strict=False)), f"row {row_number} (line {where_line})")


# --- WARC -----------------------------------------------------------------------------------------------------


def _warc_pages(data: bytes) -> Iterator[Record | BadRecord]:
    from warcio.archiveiterator import ArchiveIterator  # deferred: needed only where crawls are read

    if not data:
        return
    start = _warc_start(data)
    if not start.startswith(b"WARC/"):
        yield BadRecord(f"not a WARC file (it starts {start[:20]!r})")
        return
    uri = None
    cut = "WARC cut short{}; the rest of the archive is not read"
    try:
        records = ArchiveIterator(io.BytesIO(data))
        for record in records:
            if not record.rec_headers.protocol and not record.rec_headers.headers:
                continue  # blank bytes after the last record
            if record.rec_type is None or record.length is None:  # headers cut before WARC-Type, Content-Length
                yield BadRecord(cut.format((f" after {uri}" if uri else "") + ": a record without its headers"))
                return
            uri = record.rec_headers.get_header("WARC-Target-URI") or None
            page = _warc_page(record, uri)
            # warcio reads a record cut short without a word: its stream ends before its Content-Length
            _drain(record.raw_stream)
            if getattr(record.raw_stream, "limit", 0) > 0:
                yield BadRecord(cut.format(f" in the record for {uri}" if uri else ""))
                return
            if page is not None:
                yield page
        if data[records.offset :].strip():  # a gzip member that warcio could not start: cut in its headers
            yield BadRecord(cut.format(f" after {uri}" if uri else ""))
    except MemoryError:
        yield BadRecord("WARC: too large to read; the rest of the archive is not read")
    except Exception as exc:  # warcio's ArchiveLoadFailed, zlib and EOF errors on a cut or corrupt stream
        at = f" after {uri}" if uri else ""
        reason = f"WARC broken{at}: {type(exc).__name__}: {str(exc).strip()[:200]}"
        yield BadRecord(f"{reason}; the rest of the archive is not read")


def _warc_page(record, uri: str | None) -> Record | BadRecord | None:
    """The article of a WARC record, None when the record is no HTML page fetched whole."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    headers = record.http_headers
    if headers.get_statuscode() != "200":
        return None
    content_type = (headers.get_header("Content-Type") or "").lower()
    if content_type.split(";")[0].strip() not in _HTML_TYPES:
        return None
    crawled = record.rec_headers.get_header("WARC-Date") or None
    where = f"WARC response {uri or '(no WARC-Target-URI)'}"
    try:
        payload = record.content_stream().read(MAX_PAGE_BYTES + 1)  # decoded: chunked, gzip, brotli
    except Exception as exc:
        return BadRecord(f"{where}: content not decoded ({type(exc).__name__}: {str(exc)[:100]})")
    if len(payload) > MAX_PAGE_BYTES:
        return BadRecord(f"{where}: page too large (over {MAX_PAGE_BYTES:,} bytes)")
    charset = _CHARSET.search(content_type)
    page = extract_page(payload, url=uri, charset=charset.group(1) if charset else None)
    if isinstance(page, BadRecord):
        return BadRecord(f"{where}: {page.reason}")
    if page.published is None and crawled:
        return Record(page.text, page.title, crawled, page.url, page.source, page.author)
    return page


def _drain(stream) -> None:
    while stream.read(1 << 16):
        pass


def _warc_start(data: bytes) -> bytes:
    """The first bytes of the archive, decompressed if it is gzipped."""
    if not data.startswith(b"\x1f\x8b"):
        return data[:64].lstrip(b"\r\n")
    try:
        return zlib.decompressobj(31).decompress(data[:65536], 64).lstrip(b"\r\n")
    except zlib.error:
        return b""
