"""The pictures themselves: each chart is a PNG of the size chosen, the same bytes for the same data, small, and
drawn from hostile names (right-to-left, emoji, `$`, 200 characters, markdown) without error; no data, no chart."""

from __future__ import annotations

import io
import warnings

import pytest
from PIL import Image

from bot import pictures, services
from bot.render import charts
from bot.render.charts.specs import ActorChart, CoverageChart, Mark, Tie, TimelineChart, bars
from tests.conftest import SEEDS, ingest

HOSTILE = [
    "مسعود بارزاني",  # right to left
    "Rocket 🚀 Corp 👩‍👩‍👧",
    "$5 billion $x$ deal $\\frac{1",  # mathtext that would not even parse
    "Λ" * 200,
    "**bold** `code` @everyone <@123> [link](https://example.com)",
    "_underscore first",
    "",
]


def size(png: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes the whole image: a broken PNG fails here
    assert image.format == "PNG"
    return image.size


def coverage(names: list[str]) -> CoverageChart:
    counts = {
        f"2026-11-{d:02d}": {names[i % len(names)] or "x": d + i for i in range(len(names))} for d in range(1, 20)
    }
    found = bars(counts, "articles")
    return CoverageChart("Archive: " + names[0], found, "alt")


def timeline(names: list[str]) -> TimelineChart:
    marks = tuple(
        Mark(
            f"2026-10-{d:02d}",
            f"2026-10-{d + (6 if d % 3 == 0 else 0):02d}",
            1 + d % 5,
            f"{d} · {names[d % len(names)]}",
            expected=d % 4 == 0,
        )  # fmt: skip
        for d in range(1, 22)
    )
    found = bars({f"2026-10-{d:02d}": {"articles": d} for d in range(1, 28)}, "articles")
    return TimelineChart("Timeline: " + names[0], marks, found, "alt")


def actor(names: list[str]) -> ActorChart:
    ties = tuple(Tie(names[i % len(names)] + str(i), ["person", "organization", "place", "group"][i % 4], 40 - 3 * i)
                 for i in range(12))  # fmt: skip
    found = bars({f"2026-{m:02d}-01": {"articles": m} for m in range(1, 12)}, "articles naming them")
    return ActorChart(names[0], names[0], "person", found, ties, "alt")


@pytest.mark.parametrize(
    ("make", "expected"), [(timeline, (1000, 625)), (coverage, (1000, 562)), (actor, (1000, 1075))]
)
def test_each_chart_is_a_small_png_of_its_size_and_the_same_bytes_twice(make, expected):
    spec = make(["Ordinary Name", "Another One"])
    png = charts.draw(spec)
    assert size(png) == expected
    assert len(png) < 1_000_000
    assert charts.draw(spec) == png  # no timestamp, no random layout
    assert b"tIME" not in png and b"Software" not in png  # no metadata that changes between drawings


@pytest.mark.parametrize("make", [timeline, coverage, actor])
def test_hostile_names_draw_as_plain_text(make):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning leaks out of the drawing either
        png = charts.draw(make(HOSTILE))
    assert size(png)[0] == 1000


def test_no_data_no_chart():
    assert bars({}, "articles") is None
    assert bars({"2026-11-01": {"x": 0}}, "articles") is None


def test_bins_fit_the_span_and_keep_every_count():
    days = {f"2026-{m:02d}-{d:02d}": {"A": 1, "B": 2} for m in range(1, 13) for d in (1, 15)}
    found = bars(days, "articles")
    assert found.unit == "week" and sum(found.totals()) == 3 * len(days)
    many = {"2026-11-01": {f"S{i}": i + 1 for i in range(9)}}
    found = bars(many, "articles")
    assert [s.name for s in found.series] == ["S8", "S7", "S6", "S5", "S4", "other"]  # the five biggest, the rest
    assert sum(found.totals()) == sum(range(1, 10))


async def test_the_pictures_of_the_seed_archive_count_its_articles(archive):
    await ingest(archive, SEEDS)
    stats = await archive.stats()
    chart = await pictures.archive_chart(archive, stats)
    assert sum(chart.bars.totals()) == stats.articles - stats.undated
    assert "archive" in chart.alt.lower() and size(charts.draw(chart))[0] == 1000

    found = await services.timeline(archive, topic="referendum")
    chart = await pictures.timeline_chart(archive, found, "referendum")
    assert len(chart.marks) == len([e for e in found.events])
    assert sum(chart.coverage.totals()) <= (await archive.search("referendum")).total
    assert [m.sources for m in chart.marks] == [len(e.sources) for e in found.events]

    answer = await services.actor(archive, "al-Abadi")
    chart = await pictures.actor_chart(archive, answer)
    assert [t.shared for t in chart.ties] == [n for _, n in answer.profile.together]
    assert sum(chart.mentions.totals()) == answer.profile.actor.articles


async def test_too_little_to_draw_is_no_chart(archive):
    await ingest(archive, SEEDS)
    assert await pictures.timeline_chart(archive, await services.timeline(archive, topic="zzyzx"), "zzyzx") is None


async def test_a_story_over_days_draws_its_coverage_by_source(archive, empty_dir):
    from bot import stories
    from tests.test_copies import WIRE, write

    write(empty_dir, "a.txt", "Harbour to reopen after storm", "By Lena Berg, Coastal Wire", WIRE)
    write(empty_dir, "b.txt", "Port Elling harbour reopens", "By Staff, The Island Times", WIRE)
    (empty_dir / "metadata.csv").write_text(
        "file,published,source\na.txt,2026-11-02,Coastal Wire\nb.txt,2026-11-04,The Island Times\n", encoding="utf-8"
    )
    await ingest(archive, empty_dir)
    [story] = await archive.story_list(date_from="2026-11-01", date_to="2026-11-30")
    chart = await pictures.story_chart(archive, await stories.story_page(archive, story.id))
    assert chart.bars.unit == "day" and sum(chart.bars.totals()) == 2
    assert sorted(s.name for s in chart.bars.series) == ["Coastal Wire", "The Island Times"]
    assert size(charts.draw(chart))[0] == 1000


def overlapping(fig) -> list[tuple[str, str]]:
    renderer = fig.canvas.get_renderer()
    texts = [t for ax in fig.axes for t in ax.texts if t.get_text()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    return [(a, b) for i, (a, box) in enumerate(boxes) for b, other in boxes[i + 1 :] if box.overlaps(other)]


def test_labels_never_overlap():
    from bot.render.charts.actor import actor_figure
    from bot.render.charts.timeline import timeline_figure

    crowded = timeline(["A long sentence about what happened on that day in the capital city"] * 3)
    fig = timeline_figure(crowded)
    assert 1 <= len(fig.axes[0].texts) <= 5 and overlapping(fig) == []
    fig = actor_figure(actor(["Λ" * 200, "Someone With A Long Name Indeed", "Org"]))
    assert len(fig.axes[1].texts) == 12 + 2 and overlapping(fig) == []


@pytest.mark.parametrize("make", [timeline, coverage, actor])
def test_the_card_is_opaque_for_dark_and_light_themes(make):
    image = Image.open(io.BytesIO(charts.draw(make(["Name"])))).convert("RGBA")
    assert image.getextrema()[3] == (255, 255)  # no transparent pixel for a theme to show through


def test_two_sources_cut_to_one_label_are_added_up():
    long = "Agence France-Presse English Wire and more"
    counts = {"2026-11-01": {long + " A": 2, long + " B": 3, "Other": 1}}
    assert pictures._labelled(counts) == {"2026-11-01": {pictures.label(long + " A"): 5, "Other": 1}}
