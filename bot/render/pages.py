"""An answer laid out as pages that fit Discord's limits (no Discord types here: `embeds` turns cards into embeds).

An `Answer` is a title, an introduction and sections of entries; `paginate` packs the entries into fields and
the fields into pages, small enough to read on a phone and always inside every embed limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.render import limits
from bot.render.charts.specs import Picture

PAGE_CHARS = 2500  # of text per page: a screenful on a phone, far under the 6,000 an embed may hold
FIELDS_PER_PAGE = 6
ONE_MESSAGE_CHARS = 5000  # an answer that must be one embed (the briefing): under the 6,000 an embed holds
CONTINUED = " (continued)"


@dataclass(frozen=True)
class Section:
    heading: str
    entries: list[str]  # markdown, archive text already escaped


@dataclass(frozen=True)
class Answer:
    title: str
    intro: str = ""
    sections: list[Section] = field(default_factory=list)
    url: str | None = None
    footer: str = ""
    picture: Picture | None = None  # shown on the first page


@dataclass(frozen=True)
class Card:
    """One embed's worth of an answer."""

    title: str
    description: str
    fields: list[tuple[str, str]]
    footer: str
    url: str | None = None

    def size(self) -> int:
        return len(self.title) + len(self.description) + len(self.footer) + sum(len(n) + len(v) for n, v in self.fields)


def paginate(answer: Answer, page_chars: int = PAGE_CHARS, fields_per_page: int = FIELDS_PER_PAGE) -> list[Card]:
    title = limits.clip(answer.title, limits.TITLE)
    intro = limits.clip(answer.intro, min(limits.DESCRIPTION, page_chars))
    pages: list[list[tuple[str, str]]] = [[]]
    used = len(intro)
    for name, value in _fields(answer.sections):
        if pages[-1] and (len(pages[-1]) >= fields_per_page or used + len(name) + len(value) > page_chars):
            pages.append([])
            used = 0
        pages[-1].append((name, value))
        used += len(name) + len(value)
    cards = []
    for number, fields in enumerate(pages, 1):
        footer = " · ".join(x for x in (answer.footer, f"page {number}/{len(pages)}" if len(pages) > 1 else "") if x)
        description = intro if number == 1 else ""
        cards.append(Card(title, description, fields, limits.clip(footer, limits.FOOTER), answer.url))
    return cards


def _fields(sections: list[Section]) -> list[tuple[str, str]]:
    """Each section's entries packed into as few fields as fit; a long section goes on under the same heading."""
    out: list[tuple[str, str]] = []
    for section in sections:
        heading = limits.clip(section.heading, limits.FIELD_NAME - len(CONTINUED))
        value = ""
        for entry in section.entries:
            entry = limits.clip(entry, limits.FIELD_VALUE)
            if value and len(value) + 1 + len(entry) > limits.FIELD_VALUE:
                out.append((heading if not _has(out, heading) else heading + CONTINUED, value))
                value = ""
            value = f"{value}\n{entry}" if value else entry
        if value:
            out.append((heading if not _has(out, heading) else heading + CONTINUED, value))
    return out


def _has(fields: list[tuple[str, str]], heading: str) -> bool:
    return any(name == heading for name, _ in fields)
