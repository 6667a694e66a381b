"""A news site on loopback for the feed tests: RSS 2.0, Atom and RDF feeds whose items carry teasers, full article
pages (navigation, comments and footer around the article) behind their links, conditional GETs, and broken feeds.
"""

from __future__ import annotations

import random
import threading
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

CITIES = ["Lisbon", "Porto", "Braga", "Faro", "Coimbra", "Evora", "Aveiro", "Viseu", "Leiria", "Setubal"]
FIRST_DAY = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)


def published(n: int) -> datetime:
    return FIRST_DAY + timedelta(days=n)


def teaser(n: int) -> str:
    return f"The council of {CITIES[n % 10]} voted on a new plan."


def unique_word(n: int) -> str:
    """A word only the full page of item `n` holds (never its teaser)."""
    return f"quarrystone{n:02d}"


# fmt: off
WORDS = [
    "river", "bridge", "council", "budget", "tram", "school", "market", "harbour", "winter", "spring",
    "workers", "engineers", "residents", "mayor", "vote", "plan", "cost", "delay", "contract", "road",
    "station", "library", "hospital", "park", "museum", "tax", "rail", "ferry", "storm", "flood",
    "repair", "bus", "teachers", "nurses", "farmers", "shops", "prices", "rents", "housing", "water",
    "power", "grid", "port", "airport", "tunnel", "district", "square",
]
# fmt: on


def story_sentences(n: int, count: int = 6) -> str:
    """Sentences of words drawn for item `n` alone: two items' pages are two stories, not copies of one."""
    rng = random.Random(n)
    return " ".join(
        f"The {' '.join(rng.choice(WORDS) for _ in range(5))} and the {' '.join(rng.choice(WORDS) for _ in range(6))}"
        f" were discussed {rng.randint(2, 99)} times."
        for _ in range(count)
    )


def article_page(n: int, site: str = "Loopback Gazette") -> str:
    city = CITIES[n % 10]
    paragraphs = [
        f"The city council of {city} voted on Tuesday to approve plan number {n}, a budget for new tram lines "
        f"and bridges that the mayor, Ana Ribeiro, said would change how people cross the river.",
        '"We waited thirty years for this," Ribeiro told reporters after the vote. "Now the work can begin."',
        f"Engineers said the {unique_word(n)} foundations would be laid first, near the old market, before the "
        "rails arrive next spring. Opposition members said the cost had doubled since the first estimate.",
        f"The plan passed by nineteen votes to eleven. Work on the first line is due to start in {city} in "
        "January, and the last bridge should open three years later, the council said in a statement.",
        story_sentences(n),
        story_sentences(1000 + n),
    ]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Plan {n} approved in {city} | {site}</title>
<meta property="og:title" content="Council of {city} approves plan {n}">
<meta property="og:site_name" content="{site}">
<meta name="author" content="Rita Moreira">
<meta property="article:published_time" content="{published(n).isoformat()}">
<link rel="canonical" href="/news/{n}.html">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport navigation menu</a></li></ul></nav>
<header><div class="banner">Subscribe to the Gazette newsletter today</div></header>
<main><article><h1>Council of {city} approves plan {n}</h1><p class="byline">By Rita Moreira</p>{body}</article>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Commenter nightowl says this is a waste of everyone's money.</p></div></section>
</main><footer><p>Copyright Loopback Gazette. All rights reserved. Privacy policy.</p></footer></body></html>"""


def rss(base: str, count: int) -> str:
    items = "".join(
        f"""<item><title>Council of {CITIES[n % 10]} approves plan {n}</title>
<link>{base}/news/{n}.html?utm_source=rss&amp;utm_medium=feed</link><guid isPermaLink="false">gazette-{n}</guid>
<pubDate>{format_datetime(published(n))}</pubDate><description>{escape(teaser(n))}</description></item>"""
        for n in range(count)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Loopback Gazette</title>
<link>{base}/</link><description>News</description>{items}</channel></rss>"""


def atom(count: int) -> str:
    """An Atom feed with relative links (resolved against xml:base)."""
    entries = "".join(
        f"""<entry><title>Atom story {n}</title><link href="news/{100 + n}.html"/><id>urn:atom:{n}</id>
<updated>{published(n).isoformat()}</updated><summary>{escape(teaser(n))}</summary></entry>"""
        for n in range(count)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="/">
<title>Atom Wire</title><id>urn:atom</id><updated>{FIRST_DAY.isoformat()}</updated>{entries}</feed>"""


def rdf(base: str, count: int) -> str:
    items = "".join(
        f"""<item rdf:about="{base}/news/{200 + n}.html"><title>RDF story {n}</title>
<link>{base}/news/{200 + n}.html</link><description>{escape(teaser(n))}</description>
<dc:date>{published(n).isoformat()}</dc:date></item>"""
        for n in range(count)
    )
    return f"""<?xml version="1.0" encoding="iso-8859-1"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="{base}/rdf.xml"><title>RDF Caf\xe9 News</title>
<link>{base}/</link><description>x</description></channel>{items}</rdf:RDF>"""


class NewsSite:
    """Serve on 127.0.0.1 at an ephemeral port; `hits` counts requests by path, `not_modified` the 304s."""

    def __init__(self, items: int = 50):
        self.items = items
        self.hits: dict[str, int] = {}
        self.not_modified = 0
        self.fail_feed = False  # /rss.xml answers 500
        self.unavailable: set[str] = set()  # paths that answer 503 once
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                site.hits[path] = site.hits.get(path, 0) + 1
                site.handle(self, path)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> NewsSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def handle(self, h: BaseHTTPRequestHandler, path: str) -> None:
        if path == "/rss.xml":
            if self.fail_feed:
                return self.send(h, 500, b"oops", "text/plain")
            return self.send_feed(h, rss(self.base, self.items).encode(), "application/rss+xml")
        if path == "/atom.xml":
            return self.send_feed(h, atom(3).encode(), "application/atom+xml")
        if path == "/rdf.xml":
            return self.send_feed(h, rdf(self.base, 2).encode("iso-8859-1"), "application/rdf+xml")
        if path == "/broken.xml":
            return self.send(h, 200, b"<rss><channel><title>Broken<item><title>x</ite", "application/rss+xml")
        if path == "/robots.txt":
            return self.send(h, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        if path in self.unavailable:
            self.unavailable.discard(path)
            return self.send(h, 503, b"busy", "text/plain")
        if path.startswith("/news/") and path.endswith(".html"):
            n = int(path[len("/news/") : -len(".html")])
            return self.send(h, 200, article_page(n).encode(), "text/html; charset=utf-8")
        return self.send(h, 404, b"not found", "text/plain")

    def send_feed(self, h: BaseHTTPRequestHandler, body: bytes, kind: str) -> None:
        etag = f'"v{len(body)}"'
        if h.headers.get("If-None-Match") == etag:
            self.not_modified += 1
            h.send_response(304)
            h.send_header("ETag", etag)
            h.end_headers()
            return
        self.send(h, 200, body, kind, {"ETag": etag, "Last-Modified": format_datetime(FIRST_DAY, usegmt=True)})

    @staticmethod
    def send(h, status: int, body: bytes, kind: str, headers: dict | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", kind)
        h.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(body)
