"""Parsing raw article text into an article: title, byline, source and a clean body.

The rules describe how news copy is laid out in general (a headline line, a "By ..." line, a dateline with an
agency code, site furniture such as "Comments are closed."), not any one file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from bot.metadata import NO_META, ArticleMeta

MAX_HEADLINE_WORDS = 25
MAX_HEADLINE_CHARS = 200
DERIVED_TITLE_WORDS = 12
# No title, whatever its source, is longer than this: a longer one is cut on a word boundary, with "…".
MAX_TITLE_CHARS = 300
# Bump when the parsing rules change, so that every article is parsed again by the next ingest.
PARSER_VERSION = 2

# Wire agencies as they sign datelines and credits ("BAGHDAD (AP) —", "(Reuters) -").
AGENCIES = {
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "the associated press": "Associated Press",
    "reuters": "Reuters",
    "reuter": "Reuters",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "upi": "United Press International",
    "dpa": "Deutsche Presse-Agentur",
    "bloomberg": "Bloomberg",
}

_SPACES = re.compile(r"[^\S\n]+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")
_INDENT = re.compile(r"^[ \t]+\S")

# The links and buttons of a web page, which a copy-and-paste keeps as lines of their own: a paragraph that is
# only these ("Facebook", "Share on Twitter | WhatsApp | Email", "Cookie policy") is furniture. Atomic groups
# and possessive repeats: a long row of labels that fails at its end cannot backtrack.
_LABEL = r"""(?>
    (?:share\s+(?:on|via|to)\s+)?
    (?:facebook|twitter|x|whatsapp|linkedin|pinterest|reddit|telegram|instagram|youtube|tiktok|messenger|tumblr
      |flipboard|pocket|e-?mail|print|share|tweet|pin\s+it|copy\s+link|link\s+copied
      |subscribe|newsletters?|sign\s+in|sign\s+up|log\s+in|log\s+out|register|my\s+account
      |(?:cookie|privacy)\s+(?:policy|notice|settings|preferences)|manage\s+cookies|accept(?:\s+all)?\s+cookies
      |terms\s+(?:of\s+(?:use|service)|(?:and|&)\s+conditions)|contact\s+us|about\s+us|advertise(?:\s+with\s+us)?
      |skip\s+to\s+(?:main\s+)?content|back\s+to\s+top|menu|search|home|close
      |next\s+(?:article|story|post)|previous\s+(?:article|story|post)|load\s+more|show\s+comments
      |leave\s+a\s+(?:comment|reply)|comments?|reply|like)\b
)"""
_LABELS = rf"""(?>{_LABEL}(?>(?:\s*[|·•,/]\s*|\s+){_LABEL})*+)\s*[:.…]*"""

# A paragraph of nothing but a web page's link and button labels ("Share on Facebook | Twitter", "Home").
_WEB_LABELS = re.compile(rf"^{_LABELS}$", re.IGNORECASE | re.VERBOSE | re.DOTALL)
# A paragraph that is wholly site furniture, wherever it stands.
_FURNITURE = re.compile(
    r"""^(?:
        comments?\s+(?:are|is)\s+(?:closed|disabled|not\s+available)\b.*
      | (?:share|share\s+this(?:\s+(?:article|story))?|print|email|tweet|advertisement|sponsored(?:\s+content)?)\s*:?
      | (?:filed\s+under|tags?|categor(?:y|ies)|posted\s+in|topics?)\s*:.*
      | (?:click\s+here|subscribe\s+(?:to|now|for)|sign\s+up\s+(?:for|to)|follow\s+us\s+on)\b.{0,120}
      | (?:read\s+more|related(?:\s+(?:articles|stories|coverage))?|see\s+also|more\s+on\s+this)\s*:.{0,200}
      | (?:copyright\s*(?:©|\(c\))?\s*\d{4}|(?:©|\(c\))\s*\d{4}).{0,160}
      | .{0,160}\ball\s+rights\s+reserved\.?
      | (?:any|the)\s+(?:opinions|views)\s+expressed\b.*\b(?:are|is)\s+(?:those|solely)\b.*
      | this\s+(?:article|story)\s+(?:was\s+)?(?:first|originally)\s+(?:published|appeared)\b.*
      | \((?:reporting|writing|editing|additional\s+reporting)\s+by\b[^)]*\)
      | (?:reuters?|ap|afp|upi)
      | {labels}
    )$""".replace("{labels}", _LABELS),
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
# Once a tag list starts ("filed under:"), the short lines after it are tags too.
_TAG_HEADER = re.compile(r"^(?:filed\s+under|tags?|categor(?:y|ies)|topics?)\s*:", re.IGNORECASE)
_TAG_MAX_WORDS = 8

_BYLINE = re.compile(r"^(?i:by)\s+(?=[A-Z])(?P<rest>.+)$", re.DOTALL)
# Where a byline's names end and its publication begins: "X for Y", "X, Y", "X | Y", "X — Y". A match starts
# where white space does (the lookbehind): the same matches, but a long run of spaces is not tried from each one.
_BYLINE_SPLIT = re.compile(r"(?<!\s)(?:\s+(?:for|of)\s+|\s*[,|/—–]\s*|\s+-\s+)")
# A sentence end inside a byline paragraph, but not after an initial ("John F. Kennedy").
_BYLINE_SENTENCE_END = re.compile(r"(?<!\b[A-Z])\.\s+(?=[A-Z])")
_NAME_PARTICLES = {
    "and",
    "&",
    "de",
    "da",
    "del",
    "der",
    "di",
    "du",
    "van",
    "von",
    "al",
    "el",
    "bin",
    "ibn",
    "la",
    "le",
    "the",
    "of",
}
_REPUBLISHER = re.compile(
    r"(?:views|opinions|positions?|policy)\s+of\s+(?:the\s+)?(?P<pub>[^.;]+?)\s*(?:\.|;|$)", re.IGNORECASE
)
_ORIGINALLY = re.compile(
    r"(?:first|originally)\s+(?:published|appeared)\s+(?:in|on|at|by)\s+(?P<pub>[^.;]+?)\s*(?:\.|;|$)", re.IGNORECASE
)
# "BAGHDAD (AP) —", "LONDON, March 3 (Reuters) -"
_DATELINE = re.compile(r"^[A-Z][A-Za-z0-9 .,'’-]{1,60}\((?P<agency>[A-Za-z][A-Za-z .-]{0,30})\)\s*[-—–]")
# An agency's own copy speaks of itself this way ("he told The Associated Press"); a fallback only.
_SELF_REFERENCE = re.compile(
    r"\btold\s+(?P<agency>the\s+associated\s+press|the\s+ap|reuters|afp|agence\s+france-presse)\b", re.IGNORECASE
)
# A sentence ends at . ! or ? (perhaps inside a closing quote) before a capital, unless the word is an
# abbreviation or initial ("U.S.", "Gen.", "Sept.", "F.").
_SENTENCE_END = re.compile(r"[.!?][\"'”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(r"(?:\b[A-Za-z]\.)+$|\b[A-Z][a-z]{0,3}\.$")


@dataclass
class Article:
    raw_text: str
    body: str
    title: str
    title_from: str  # headline | lede | metadata
    byline: str | None = None
    author: str | None = None
    source: str | None = None
    source_from: str | None = None  # byline | dateline | attribution | metadata
    republisher: str | None = None
    published: str | None = None
    url: str | None = None
    furniture: list[str] = field(default_factory=list)

    @property
    def word_count(self) -> int:
        return len(self.body.split())


class NoText(ValueError):
    """Nothing is left once the furniture is taken away."""


def parse_article(raw_text: str, meta: ArticleMeta = NO_META) -> Article:
    paragraphs = split_paragraphs(normalize(raw_text))
    furniture = _strip_furniture(paragraphs)
    headline = _take_headline(paragraphs)
    byline, author, source, republisher = _take_byline(paragraphs, furniture)
    if not paragraphs:
        raise NoText("nothing but a headline, a byline or site furniture")
    # A web page stripped of its labels down to a few short lines is not an article; a wire notice of a few
    # short lines ("U.S. DIVIDEND MEETINGS / Mickelberry Corp / Reuter") is: it had no web furniture.
    if any(_WEB_LABELS.match(line) for line in furniture) and not any(map(is_article_text, paragraphs)):
        shown = ", ".join(repr(cap_title(p, 40)) for p in paragraphs[:3]) + (", …" if len(paragraphs) > 3 else "")
        raise NoText(f"only site furniture and {len(paragraphs)} short line(s) that are not article text: {shown}")
    body = "\n\n".join(paragraphs)
    source_from = "byline" if source else None
    if not source:
        source, source_from = _source_from_text(paragraphs)
    title, title_from = (headline, "headline") if headline else (derive_title(body), "lede")
    if meta.title:
        title, title_from = meta.title, "metadata"
    title = cap_title(title)
    if meta.source:
        source, source_from = meta.source, "metadata"
    return Article(
        raw_text=raw_text,
        body=body,
        title=title,
        title_from=title_from,
        byline=byline,
        author=meta.author or author,
        source=source,
        source_from=source_from,
        republisher=republisher,
        published=meta.published,
        url=meta.url,
        furniture=furniture,
    )


def normalize(text: str) -> str:
    """Unicode NFC, Unix newlines, no invisible characters, every other space a plain space."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    return "\n".join(_SPACES.sub(" ", line).rstrip() for line in text.split("\n"))


def split_paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; inside a hard-wrapped block an indented line starts a new one."""
    paragraphs: list[str] = []
    for block in _BLANK_LINES.split(text.strip("\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) > 1 and _looks_wrapped(lines):
            paragraphs.extend(_unwrap(lines))
        else:
            paragraphs.extend(line.strip() for line in lines)
    return paragraphs


def _looks_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped prose: no line is very long, and every line is long but those that end a paragraph
    (the block's last line, or one followed by an indented line)."""
    if max(map(len, lines)) > 120:
        return False
    ends_paragraph = [bool(_INDENT.match(nxt)) for nxt in lines[1:]] + [True]
    return all(len(line) >= 40 or end for line, end in zip(lines, ends_paragraph, strict=True))


def _unwrap(lines: list[str]) -> list[str]:
    paragraphs: list[list[str]] = []
    for i, line in enumerate(lines):
        if i == 0 or _INDENT.match(line):
            paragraphs.append([])
        paragraphs[-1].append(line.strip())
    return [" ".join(words) for words in paragraphs]


def _strip_furniture(paragraphs: list[str]) -> list[str]:
    """Remove furniture paragraphs in place; return what was removed."""
    removed: list[str] = []
    kept: list[str] = []
    tags_from = _tag_block_start(paragraphs)
    for i, para in enumerate(paragraphs):
        if i >= tags_from or _FURNITURE.match(para):
            removed.append(para)
        else:
            kept.append(para)
    paragraphs[:] = kept
    return removed


def _tag_block_start(paragraphs: list[str]) -> int:
    """Where a closing tag list ("filed under:" and short lines to the end) begins; len() if there is none.

    Only a header at or after the last long paragraph has nothing but short lines after it: one pass from the end
    finds that paragraph, a second the first header from there (linear, however many headers there are)."""
    last_long = next(
        (i for i in range(len(paragraphs) - 1, -1, -1) if _more_words_than(paragraphs[i], _TAG_MAX_WORDS)), 0
    )
    for i in range(last_long, len(paragraphs)):
        if _TAG_HEADER.match(paragraphs[i]):
            return i
    return len(paragraphs)


def _more_words_than(text: str, limit: int) -> bool:
    """len(text.split()) > limit, without splitting a long paragraph whole."""
    return len(text.split(maxsplit=limit)) > limit


def _take_headline(paragraphs: list[str]) -> str | None:
    """The first paragraph is a headline when it is short, unpunctuated at the end, and not a byline."""
    if len(paragraphs) < 2:
        return None
    first = paragraphs[0]
    if _BYLINE.match(first) or _DATELINE.match(first):
        return None
    if len(first) > MAX_HEADLINE_CHARS or len(first.split()) > MAX_HEADLINE_WORDS:
        return None
    if first.rstrip("\"'”’").endswith((".", ",", ";", ":")):
        return None
    return paragraphs.pop(0)


def _take_byline(paragraphs: list[str], furniture: list[str]) -> tuple[str | None, ...]:
    """Find a "By ..." paragraph among the first few; split off any disclaimer it carries."""
    for i, para in enumerate(paragraphs[:3]):
        match = _BYLINE.match(para)
        if not match:
            continue
        parts = _BYLINE_SENTENCE_END.split(para, maxsplit=1)
        byline = parts[0].rstrip(". ")
        names = _BYLINE_SPLIT.split(_BYLINE.match(byline).group("rest").strip(), maxsplit=1)
        author = names[0].strip()
        source = names[1].strip(" .") if len(names) > 1 else None
        if not _looks_like_names(author) or (source and not _looks_like_names(source)):
            continue  # "By Tuesday, officials said ..." is a sentence, not a byline
        paragraphs.pop(i)
        disclaimer = parts[1] if len(parts) > 1 else ""
        if disclaimer:
            furniture.append(disclaimer)
        republisher = _first_group(_REPUBLISHER, disclaimer)
        if not source:
            source = _first_group(_ORIGINALLY, disclaimer)
        return byline, author, _agency_name(source) if source else None, republisher
    return None, None, None, None


def _looks_like_names(text: str) -> bool:
    """Capitalised words (names, a publication), allowing the particles names and titles use."""
    words = text.split()
    return 0 < len(words) <= 10 and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def _first_group(pattern: re.Pattern[str], text: str) -> str | None:
    match = pattern.search(text)
    return match.group("pub").strip() if match else None


def _agency_name(name: str) -> str:
    return AGENCIES.get(name.strip().lower(), name.strip())


def _source_from_text(paragraphs: list[str]) -> tuple[str | None, str | None]:
    match = _DATELINE.match(paragraphs[0])
    if match and match.group("agency").strip().lower() in AGENCIES:
        return AGENCIES[match.group("agency").strip().lower()], "dateline"
    for para in paragraphs:
        match = _SELF_REFERENCE.search(para)
        if match:
            agency = re.sub(r"\s+", " ", match.group("agency")).lower()
            return AGENCIES.get(agency, AGENCIES.get(agency.removeprefix("the "))), "attribution"
    return None, None


def derive_title(body: str) -> str:
    """A short title from the lede: its first sentence, cut on a word boundary with an ellipsis."""
    sentence = first_sentence(body.split("\n\n", 1)[0])
    words = sentence.split()
    if len(words) <= DERIVED_TITLE_WORDS:
        return sentence.rstrip(".")
    return " ".join(words[:DERIVED_TITLE_WORDS]).rstrip(",;:—–-") + "…"


def first_sentence(paragraph: str) -> str:
    for match in _SENTENCE_END.finditer(paragraph):
        # Does the text up to the stop end in an abbreviation? Only its last few characters can say (the longest
        # alternative ends in at most 5); searching a window, not a copy of all before, keeps this linear.
        end = match.start() + 1
        if not _ABBREVIATION.search(paragraph, max(0, end - 8), end):
            return paragraph[: match.end()].strip()
    return paragraph.strip()


def cap_title(title: str, limit: int = MAX_TITLE_CHARS) -> str:
    """`title`, or when it is longer than `limit` its start cut on a word boundary (mid-word only when there is
    none in the second half), with "…"."""
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:—–-") + "…"


def is_article_text(paragraph: str) -> bool:
    """Prose, not a link or button label left over from a web page: a paragraph of five words or more (or 80
    characters, for scripts without spaces), a sentence (ending in . ! or ?), or a short line of figures
    ("Net 807,000 vs 2,858,000")."""
    words = paragraph.split(maxsplit=5)
    if len(words) >= 5 or len(paragraph) >= 80:
        return True
    if len(words) >= 3 and any(c.isdigit() for c in paragraph):
        return True
    core = paragraph.rstrip("\"'”’)]»")
    if core.endswith(("...", "…")):
        return False  # "Read more…"
    return core.endswith((".", "!", "?", "。", "！", "？")) and (len(words) >= 2 or len(core) >= 6)


def content_fingerprint(raw_text: str) -> str:
    """Equal for the same text whatever its encoding, newlines or invisible characters."""
    return hashlib.sha256(normalize(raw_text).strip().encode("utf-8")).hexdigest()
