"""When a daily post is due, in a server's own time zone. Pure functions of a clock reading: easy to test.

A post belongs to a local day. It is due from its local time on that day; a day whose post has been made (or
skipped) is never due again, so a restart cannot repeat it. Times that a daylight-saving change skips (02:30
on the night clocks go forward) fall at the same moment an hour later by the clock; times it repeats (01:30 on
the night they go back) fall at their first occurrence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

_HHMM = re.compile(r"(\d{1,2}):(\d{2})")

GRACE = timedelta(minutes=15)  # a post this late is still "on time" (the bot was busy or restarting)


class ScheduleError(ValueError):
    """A time or time zone that cannot be used; the message says what would work."""


def parse_time(text: str) -> str:
    """`HH:MM` (24-hour) from what a user typed: "7:05", "07:05", "19:30"."""
    match = _HHMM.fullmatch((text or "").strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ScheduleError(f"{(text or '')[:20]!r} is not a time of day; write it as HH:MM, 24-hour, e.g. 07:30.")
    return f"{int(match[1]):02d}:{match[2]}"


def zone(name: str) -> ZoneInfo:
    name = (name or "").strip()
    try:
        if name and name in zone_names():
            return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    raise ScheduleError(f"{name[:40]!r} is not a time zone; pick one from the list, e.g. Europe/London or Asia/Tokyo.")


_ZONES: list[str] = []


def zone_names() -> list[str]:
    """Every IANA time zone name, sorted (read once)."""
    if not _ZONES:
        _ZONES.extend(sorted(available_timezones() - {"localtime", "Factory"}))
    return _ZONES


def matching_zones(typed: str, limit: int = 25) -> list[str]:
    """Time zones for a picker: names containing what was typed, those starting so first."""
    typed = (typed or "").strip().casefold().replace(" ", "_")
    names = zone_names()
    if not typed:
        return ["UTC", "Europe/London", "America/New_York", "Asia/Baghdad", "Asia/Tehran", "Asia/Tokyo"][:limit]
    found = [n for n in names if typed in n.casefold()]
    found.sort(key=lambda n: (not n.casefold().startswith(typed), "/" + typed not in n.casefold(), n))
    return found[:limit]


def slot(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    """The UTC moment of local time `hhmm` on local day `day` (see the module note for DST gaps and repeats)."""
    hour, minute = map(int, hhmm.split(":"))
    # fold=0 takes the first of a repeated time; a skipped time is read with the offset before the change,
    # which is the instant an hour later by the clock, still on the same local day.
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Decision:
    action: str  # "post", "skip" (missed: the bot was down at the time), or "wait"
    local_date: str  # the local day it concerns (ISO)
    at: datetime  # the UTC moment of that day's post


def decide(now: datetime, hhmm: str, tz_name: str, last_local_date: str | None, catch_up: bool = True) -> Decision:
    """What to do about a server's post at `now` (aware UTC)."""
    tz = zone(tz_name)
    today = now.astimezone(tz).date()
    at = slot(today, hhmm, tz)
    if last_local_date is not None and last_local_date >= today.isoformat():
        return Decision("wait", today.isoformat(), at)
    if now < at:
        return Decision("wait", today.isoformat(), at)
    if now - at <= GRACE or catch_up:
        return Decision("post", today.isoformat(), at)
    return Decision("skip", today.isoformat(), at)


def next_post(now: datetime, hhmm: str, tz_name: str, last_local_date: str | None, catch_up: bool = True) -> datetime:
    """The UTC moment of the next post (`now` if one is due): the first local day not yet taken whose time is still
    to come, or today's if it has passed but would still be posted."""
    tz = zone(tz_name)
    today = now.astimezone(tz).date()
    for ahead in range(4):  # a day taken ahead (a time zone moved east) leaves at most a day or two taken
        day = today + timedelta(days=ahead)
        if last_local_date is not None and day.isoformat() <= last_local_date:
            continue
        at = slot(day, hhmm, tz)
        if at >= now:
            return at
        if now - at <= GRACE or catch_up:
            return now
    return slot(today + timedelta(days=4), hhmm, tz)
