"""The article in a saved web page, through trafilatura: its main text without boilerplate and its metadata.

`extract_page` reads one HTML document (bytes or text) and returns a Record (text, title, published, url,
source, author) or a BadRecord saying why the page holds no article. It never raises and never touches the
network: trafilatura's `bare_extraction` only parses what it is given, lxml's HTML parser neither loads
external resources nor expands entity declarations, and no script runs (the page is only parsed).

Bytes are decoded here rather than by trafilatura (which ignores the page's own charset declaration): a byte
order mark wins; then bytes that are valid UTF-8 are UTF-8 (pages re-saved as UTF-8 often keep their old
declaration, and text in another encoding is almost never valid UTF-8); then the charset the transport declared
(a WARC record's HTTP Content-Type), then the page's <meta charset> / <meta http-equiv="Content-Type"> (or an
XML declaration), each only if the bytes decode in it; then windows-1252. As browsers do, a declared ISO-8859-1
or ASCII is read as windows-1252.

The text comes paragraph by paragraph, separated by blank lines; a first paragraph that only repeats the title
(the page's headline) is left out. `published` is htmldate's ISO date
(YYYY-MM-DD) from the page's metadata (article:published_time, JSON-LD, <time> ...); the dates written in the
article's own text are not searched (the text's dateline is read later by the article parser). `url` is the
page's canonical URL (<link rel="canonical">, og:url) else the one given; `source` is the site name
(og:site_name and the like).
"""

from __future__ import annotations

import codecs
import re
from datetime import date

from bot.intake.records import BadRecord, Record

MAX_PAGE_CHARS = 20_000_000  # trafilatura's own limit (MAX_FILE_SIZE); a saved article page is far smaller
MIN_WORDS = 20  # fewer words than this is a stub, an index page or an error page, not an article
_SNIFF_BYTES = 4096  # where a page's charset declaration must be (the HTML standard says 1024; pages vary)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# What browsers read for these labels (the WHATWG Encoding standard): the C1 range as windows-1252.
_AS_WINDOWS_1252 = {"iso8859-1", "latin-1", "ascii", "cp1252"}
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def extract_page(html: str | bytes, url: str | None = None, *, charset: str | None = None) -> Record | BadRecord:
    """The article in one HTML page. `url` is where the page came from (used when it names no canonical URL);
    `charset` the encoding its transport declared, if any (for bytes)."""
    try:
        return _extract(html, url, charset)
    except MemoryError:
        return BadRecord("page too large to read")
    except Exception as exc:  # a parser failure on hostile input is the page's problem, not the caller's
        return BadRecord(f"page not read: {type(exc).__name__}: {exc}"[:300])


def decode_html(data: bytes, charset: str | None = None) -> str:
    """The text of an HTML page's bytes (see the module's docstring for the order of evidence)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")  # valid UTF-8 with any non-ASCII letter is UTF-8, whatever the page says
    except UnicodeDecodeError:
        pass
    head = data[:_SNIFF_BYTES]
    found = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    for label in (charset, found and found.group(1).decode("ascii", "replace")):
        encoding = _encoding(label)
        if encoding is None or encoding == "utf-8":
            continue
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    # windows-1252 leaves five bytes undefined: replaced, as a browser would
    return data.decode("cp1252", errors="replace")


def _encoding(label: str | None) -> str | None:
    """Python's name for a declared encoding, None when unknown (or a UTF-16 label on bytes without a BOM,
    which no page really is: browsers read it as UTF-8)."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except (LookupError, ValueError):
        return None
    if name in _AS_WINDOWS_1252:
        return "cp1252"
    if name.startswith("utf-16") or name.startswith("utf-32"):
        return "utf-8"
    return name


def _extract(html: str | bytes, url: str | None, charset: str | None) -> Record | BadRecord:
    if not isinstance(html, (str, bytes)):
        return BadRecord(f"not a page: {type(html).__name__}")
    if len(html) > MAX_PAGE_CHARS:
        return BadRecord(f"page too large: {len(html):,} > {MAX_PAGE_CHARS:,}")
    text = decode_html(html, charset) if isinstance(html, bytes) else html
    if not text.strip():
        return BadRecord("empty page")
    sample = text[:_SNIFF_BYTES]
    if "\x00" in sample or len(_CONTROL.findall(sample)) > len(sample) // 100 + 2:
        return BadRecord("not an HTML page (binary data)")
    if "<" not in text:
        return BadRecord("not an HTML page (no markup)")

    import trafilatura  # deferred: a large import, needed only where pages are read

    document = trafilatura.bare_extraction(
        text,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        # Only the page's metadata and markup, not dates guessed from its text; nothing after today.
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": date.today().isoformat(),
        },
    )
    if document is None:
        return BadRecord("no article text in the page")
    paragraphs = [" ".join(line.split()) for line in (document.text or "").splitlines()]
    paragraphs = [p for p in paragraphs if p]
    title = _field(document.title)
    if len(paragraphs) > 1 and title and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]  # the headline, said again by the title
    body = "\n\n".join(paragraphs)
    if len(body.split()) < MIN_WORDS:
        return BadRecord("no article text in the page")
    return Record(
        text=body,
        title=title,
        published=_field(document.date),
        url=_field(document.url) or url,
        source=_field(document.sitename),
        author=_field(document.author),
    )


def _field(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None
