"""Saved web pages, JSON Lines, CSV and WARC exports: records out, bad ones with their reasons."""

from __future__ import annotations

import io
import json
import socket
import zlib

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bot.intake.extract import decode_html, extract_page
from bot.intake.formats import FIELD_NAMES, MAX_TEXT_CHARS, read_page, read_records
from bot.intake.records import BadRecord, Record

PARAGRAPHS = [
    "The harbour at Port Elling reopened on Monday after a storm closed it for three days, the port authority "
    "said, and the first ferries left on time.",
    "Workers cleared debris from the main channel overnight, and divers checked the quay walls for damage "
    "before the harbour master gave the all-clear to shipping.",
    "Fishing crews, who lost three days of work, said they hoped the council would help with repairs to the "
    "smaller boats that broke their moorings.",
]


def page(paragraphs=PARAGRAPHS, *, title="Harbour reopens after storm", charset="utf-8", extra_head="") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head>{meta}
<title>{title} | The Coastal Times</title>
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="The Coastal Times">
<meta name="author" content="Jane Marlow">
<meta property="article:published_time" content="2009-03-02T10:00:00+00:00">
<link rel="canonical" href="https://coastal.example/news/harbour-reopens">
{extra_head}
</head><body>
<header><div class="masthead">Mastheadword Coastal Times</div></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Navword sport</a></li>
<li><a href="/weather">Navword weather</a></li></ul></nav>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/cats">Sidebarword: the cats of the harbour</a></li>
</ul></aside>
<main><article><h1>{title}</h1>
{body}
</article>
<section id="comments" class="comments"><h2>Comments</h2>
<div class="comment"><p>Commentword: great news for everyone in town, finally the ferries run again and we can all
visit our family on the islands this weekend.</p></div></section>
</main>
<footer><p>Footerword. Copyright 2009 The Coastal Times. All rights reserved. Privacy policy. Contact us.</p>
</footer></body></html>"""


# --- pages ----------------------------------------------------------------------------------------------------


def test_page_main_text_and_metadata(tmp_path):
    path = tmp_path / "harbour.html"
    path.write_text(page(), encoding="utf-8")
    record = read_page(path.name, path.read_bytes())
    assert isinstance(record, Record)
    assert record.text.split("\n\n") == PARAGRAPHS
    for word in ("Mastheadword", "Navword", "Sidebarword", "Commentword", "Footerword"):
        assert word not in record.text
    assert record.title == "Harbour reopens after storm"
    assert record.author == "Jane Marlow"
    assert record.published == "2009-03-02"
    assert record.source == "The Coastal Times"
    assert record.url == "https://coastal.example/news/harbour-reopens"


def test_page_url_given_when_the_page_names_none():
    html = page().replace('<link rel="canonical" href="https://coastal.example/news/harbour-reopens">', "")
    record = extract_page(html, url="https://coastal.example/saved?id=3")
    assert isinstance(record, Record)
    assert record.url == "https://coastal.example/saved?id=3"


ACCENTED = [p + " At the café, a naïve crêpe-maker from Zürich said so, à la française." for p in PARAGRAPHS]


@pytest.mark.parametrize("declared", ["windows-1252", "ISO-8859-1", "latin1"])
def test_page_in_a_declared_single_byte_encoding(declared):
    data = page(ACCENTED, charset=declared).encode("cp1252")
    record = extract_page(data)
    assert isinstance(record, Record)
    assert "café" in record.text and "naïve" in record.text and "Zürich" in record.text
    assert "\ufffd" not in record.text


def test_page_encodings_undeclared_and_in_http_equiv():
    utf8 = page(ACCENTED, charset=None).encode("utf-8")
    assert "café" in extract_page(utf8).text
    undeclared_1252 = page(ACCENTED, charset=None).encode("cp1252")
    assert "naïve" in extract_page(undeclared_1252).text
    equiv = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
    assert "café" in extract_page(page(ACCENTED, charset=None, extra_head=equiv).encode("cp1252")).text
    # a declaration the bytes contradict loses to valid UTF-8; a BOM wins over everything
    assert "naïve" in extract_page(page(ACCENTED, charset="windows-1252").encode("utf-8")).text
    assert decode_html(b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", charset="latin1") == "<p>café</p>"
    # the transport's charset (a WARC record's HTTP header) comes before the page's
    assert decode_html("<meta charset=utf-8>é".encode("cp1252"), charset="iso-8859-1").endswith("é")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \n",
        bytes(range(256)) * 40,
        b"\x1f\x8b\x08\x00garbage that claims to be gzip",
        b"PK\x03\x04" + b"\x00" * 500,
        b"just some words without any markup at all",
        b"<html><body><p>Too short.</p></body></html>",
        ("<div>" * 50_000 + "deep " * 100 + "</div>" * 50_000).encode(),
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><html><body><p>&c;&c;&c;&c;</p></body></html>',
    ],
)
def test_page_garbage_is_a_bad_record_not_an_exception(data):
    result = extract_page(data)
    assert isinstance(result, (Record, BadRecord))
    if isinstance(result, Record):  # the deeply nested words may be read: but never an expanded entity
        assert "aaaa" not in result.text
    else:
        assert result.reason


def test_page_without_article_text():
    result = read_page("index.html", b"<html><head><title>Index</title></head><body><nav>Home</nav></body></html>")
    assert result == BadRecord("no article text in the page")


def test_page_scripts_are_not_text():
    html = page(extra_head="<script>document.write('Scriptword')</script>").replace(
        "</article>", "<script>var scriptword = 'Scriptword';</script><noscript>Noscriptword</noscript></article>"
    )
    record = extract_page(html)
    assert "Scriptword" not in record.text and "Noscriptword" not in record.text


# --- JSON Lines -----------------------------------------------------------------------------------------------

ARTICLE = "The council approved the new budget on Tuesday after a long debate about the harbour repairs."


def jsonl(*lines: object) -> bytes:
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines).encode()


def test_jsonl_good_and_bad_records(tmp_path):
    path = tmp_path / "export.JSONL"
    path.write_bytes(
        jsonl(
            {"text": ARTICLE, "title": "Budget passes", "published": "2009-03-02", "url": "https://a.example/1"},
            "",
            {"Content": ARTICLE + " Two.", "Headline": "Two", "date": "Mon, 02 Mar 2009 10:00:00 GMT"},
            '{"text": "broken',
            {"title": "no text here", "body": "   "},
            [1, 2, 3],
            {"body": ARTICLE + " Three.", "authors": ["Ann Lee", "Bo Chan"], "publisher": "Gazette", "link": 7},
            "",
        )
    )
    got = list(read_records(path.name, path.read_bytes()))
    assert [n for n, _ in got] == [1, 2, 3, 4, 5, 6]
    records = [r for _, r in got if isinstance(r, Record)]
    bad = [r.reason for _, r in got if isinstance(r, BadRecord)]
    assert len(records) == 3 and len(bad) == 3
    assert records[0] == Record(ARTICLE, "Budget passes", "2009-03-02", "https://a.example/1")
    assert records[1].title == "Two" and records[1].published == "Mon, 02 Mar 2009 10:00:00 GMT"
    assert records[2].author == "Ann Lee, Bo Chan" and records[2].source == "Gazette" and records[2].url == "7"
    assert bad[0].startswith("line 4: not JSON (")
    assert bad[1].startswith("line 5: no text")
    assert bad[2] == "line 6: not a JSON object (a JSON array)"


def test_jsonl_field_rules():
    data = jsonl(
        {"text": "", "content": ARTICLE, "title": {"nested": "object"}, "headline": "Fallback", "date": 20090302},
        {"text": 12345},
        {"text": ARTICLE, "author": {"name": "ignored"}, "byline": "By Kim", "source": ["a", "list"]},
        {"text": "x" * (MAX_TEXT_CHARS + 1)},
        {"text": [ARTICLE]},
    )
    got = [r for _, r in read_records("a.ndjson", data)]
    assert got[0] == Record(ARTICLE, title="Fallback", published="20090302")
    assert got[1] == BadRecord(got[1].reason) and got[1].reason.startswith("line 2: no text")
    assert got[2] == Record(ARTICLE, author="By Kim")
    assert got[3].reason.startswith("line 4: text too long")
    assert got[4].reason.startswith("line 5: no text")


def test_jsonl_hostile_lines():
    data = b"\n".join(
        [
            b"\xef\xbb\xbf" + json.dumps({"text": ARTICLE}).encode(),
            b'{"text": "caf\xe9"}',
            b"[" * 100_000,
            b'{"text": 1' + b"1" * 10_000 + b"}",
            b"null",
            b'"a string"',
            json.dumps({"text": ARTICLE + " \u2028 line separator inside"}).encode(),
        ]
    )
    got = [r for _, r in read_records("x.jsonl", data)]
    assert isinstance(got[0], Record)
    assert got[1].reason.startswith("line 2: not UTF-8")
    assert got[2].reason.startswith("line 3: not JSON")
    assert got[3].reason.startswith("line 4:")
    assert got[4].reason == "line 5: not a JSON object (a JSON null)"
    assert got[5].reason == "line 6: not a JSON object (a JSON string)"
    assert isinstance(got[6], Record) and "\u2028" in got[6].text
    assert len(got) == 7


def test_html_text_in_a_record_is_extracted_and_the_records_fields_win():
    data = jsonl({"text": page(), "title": "Own title", "url": "https://own.example/a"}, {"text": "<p>Hi</p>"})
    got = [r for _, r in read_records("pages.jsonl", data)]
    record = got[0]
    assert record.text.split("\n\n") == PARAGRAPHS
    assert record.title == "Own title" and record.url == "https://own.example/a"
    assert record.author == "Jane Marlow" and record.published == "2009-03-02"
    assert got[1].reason == "line 2: the text is HTML: no article text in the page"
    fragment = "<p>" + "</p><p>".join(PARAGRAPHS) + "</p>"
    (_, only), *_ = read_records("f.jsonl", jsonl({"text": fragment}))
    assert isinstance(only, Record) and "Port Elling" in only.text and "<p>" not in only.text


# --- CSV ------------------------------------------------------------------------------------------------------

CSV_TEXT = (
    "headline,body,date,link\r\n"
    'First,"' + ARTICLE + '",2009-03-02,https://a.example/1\r\n'
    '"Second, with a comma","Line one, with a comma.\r\nLine two, ""quoted"".\r\n\r\nLine four.",'
    "2 March 2009,https://a.example/2\r\n"
    ",,,\r\n"
    "Third,,2009-03-04,https://a.example/3\r\n"
    "Fourth,Short fourth text.,,\r\n"
)


def test_csv_records_and_bad_rows(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(CSV_TEXT.encode("utf-8-sig"))
    got = list(read_records(path.name, path.read_bytes()))
    assert [n for n, _ in got] == [1, 2, 3, 4]
    first, second, third, fourth = (r for _, r in got)
    assert first == Record(ARTICLE, "First", "2009-03-02", "https://a.example/1")
    assert second.title == "Second, with a comma" and second.published == "2 March 2009"
    assert second.text == 'Line one, with a comma.\r\nLine two, "quoted".\r\n\r\nLine four.'
    assert third == BadRecord(third.reason) and third.reason.startswith("row 3 (line 8): no text")
    assert fourth == Record("Short fourth text.", "Fourth")


def test_csv_in_windows_1252():
    data = ("Title,Text,Author\n" + "Café,Un naïve garçon à Zürich.,Zoë\n").encode("cp1252")
    ((n, record),) = read_records("old.CSV", data)
    assert n == 1 and record == Record("Un naïve garçon à Zürich.", "Café", author="Zoë")


def test_csv_without_a_text_column_or_broken():
    ((_, bad),) = read_records("x.csv", b"headline,date\nA,2009-03-02\nB,2009-03-03\n")
    assert bad.reason.startswith("header (line 1): no text column (headline, date)")
    assert list(read_records("empty.csv", b"")) == []
    big = b"text,title\n" + b'"' + b"y" * (MAX_TEXT_CHARS + 10) + b'",Big\nSmall text,Small\n'
    got = [r for _, r in read_records("big.csv", big)]
    assert got[0].reason.startswith("row 1 (line 2): text too long")
    assert got[1] == Record("Small text", "Small")


# --- WARC -----------------------------------------------------------------------------------------------------


def warc(*, gzip_it: bool) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip_it)

    def response(uri, body: bytes, content_type="text/html; charset=utf-8", status="200 OK", date=None):
        http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        headers = {"WARC-Date": date} if date else None
        writer.write_record(
            writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict=headers
            )
        )

    one = page(title="First page").replace("https://coastal.example/news/harbour-reopens", "https://a.example/1")
    response("https://a.example/1", one.encode())
    request = StatusAndHeaders("GET /1 HTTP/1.1", [("Host", "a.example")], is_http_request=True)
    writer.write_record(writer.create_warc_record("https://a.example/1", "request", http_headers=request))
    response("https://a.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, content_type="image/png")
    response("https://a.example/missing", page().encode(), status="404 Not Found")
    two = page(ACCENTED, title="Second page", charset=None)
    two = two.replace('<link rel="canonical" href="https://coastal.example/news/harbour-reopens">', "")
    two = two.replace('<meta property="article:published_time" content="2009-03-02T10:00:00+00:00">', "")
    response(
        "https://b.example/2", two.encode("cp1252"), "text/html; charset=windows-1252", date="2020-05-06T07:08:09Z"
    )
    return out.getvalue()


@pytest.mark.parametrize(("name", "gzip_it"), [("crawl.warc", False), ("crawl.WARC.GZ", True)])
def test_warc_html_responses_only(tmp_path, name, gzip_it):
    path = tmp_path / name
    path.write_bytes(warc(gzip_it=gzip_it))
    got = list(read_records(path.name, path.read_bytes()))
    assert [n for n, _ in got] == [1, 2]
    first, second = (r for _, r in got)
    assert isinstance(first, Record) and isinstance(second, Record)
    assert first.url == "https://a.example/1" and first.title == "First page" and first.published == "2009-03-02"
    assert second.url == "https://b.example/2" and "café" in second.text
    assert second.published == "2020-05-06T07:08:09Z"  # the crawl's date, the page giving none


def _member_starts(data: bytes) -> list[int]:
    """Where each gzip member (one WARC record each) of a .warc.gz starts."""
    starts, pos = [], 0
    while pos < len(data):
        starts.append(pos)
        decompressor = zlib.decompressobj(31)
        decompressor.decompress(data[pos:])
        pos = len(data) - len(decompressor.unused_data)
    return starts


@pytest.mark.parametrize("gzip_it", [True, False])
def test_truncated_warc_keeps_the_records_before_the_cut(gzip_it):
    data = warc(gzip_it=gzip_it)
    last = _member_starts(data)[-1] if gzip_it else data.rindex(b"WARC/1")
    cut = data[: last + (len(data) - last) // 2]  # halfway through the last record (the second page)
    got = list(read_records("cut.warc.gz" if gzip_it else "cut.warc", cut))
    assert [n for n, _ in got] == [1, 2]
    assert isinstance(got[0][1], Record) and got[0][1].url == "https://a.example/1"
    assert isinstance(got[1][1], BadRecord) and "the rest of the archive is not read" in got[1][1].reason


@pytest.mark.parametrize("gzip_it", [True, False])
def test_warc_cut_in_the_headers_of_a_record(gzip_it):
    data = warc(gzip_it=gzip_it)
    last = _member_starts(data)[-1] if gzip_it else data.rindex(b"WARC/1")
    for cut in (data[: last + 30], data[: last + 12]):
        got = [r for _, r in read_records("cut.warc.gz", cut)]
        assert [type(r) for r in got] == [Record, BadRecord], cut[last:]
        assert got[1].reason.startswith("WARC cut short after https://a.example/missing")  # the last read
    assert len(list(read_records("blank-tail.warc.gz", data + b"\r\n\r\n"))) == 2


def test_corrupt_warc_gz_after_the_first_record():
    data = warc(gzip_it=True)
    second = _member_starts(data)[1]
    broken = data[: second + 10] + b"\x00garbage" * 50
    got = [r for _, r in read_records("broken.warc.gz", broken)]
    assert isinstance(got[0], Record) and isinstance(got[-1], BadRecord) and len(got) == 2


def test_no_network_during_extraction(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network access")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert isinstance(extract_page(page(), url="https://coastal.example/x"), Record)
    assert len(list(read_records("c.warc.gz", warc(gzip_it=True)))) == 2


def test_not_a_warc():
    got = [r for _, r in read_records("x.warc", b"this is not a web archive at all\n" * 10)]
    assert len(got) == 1 and got[0].reason.startswith("not a WARC file")
    assert list(read_records("empty.warc.gz", b"")) == []


def test_field_names_are_documented_lowercase():
    for names in FIELD_NAMES.values():
        assert all(name == name.lower() for name in names)
    assert list(read_records("notes.txt", b"x"))[0][1].reason.startswith("not an export")
