"""Summaries: page furniture and the lead's position in an article's summary; topic summaries that tell of the
topic first, each fact once, and say when the archive has little on it. All text here is made up."""

import os

from bot import services
from bot.nlp.summary import form_weight, furniture, position_weight, summarize
from bot.render.answers import summary_answer
from tests.conftest import ingest


def test_captions_credits_and_calls_to_act_are_furniture():
    for sentence in [
        "Scroll down for video Maria Lopez waves to the crowd at the opening of the new dam",
        "Mayor Maria Lopez (left) and her deputy Tom Hale (right) cut the ribbon on Monday.",
        "Lopez, pictured, cut the ribbon.",
        "The dam at dawn (Image: Varna Herald) drew hundreds of visitors.",
        "Photo: Jane Doe for the Varna Herald",
        "© Varna Herald 2017, all rights reserved",
        "Top spot: The new dam over the Karun river draws crowds from across Ruritania.",
        "EXCLUSIVE: Inside the mayor's office on the night of the vote.",
        "Click here to read the full report on the dam.",
        "The mayor waves to the crowd at the dam The new dam opened on Monday after three years of work.",
    ]:
        assert furniture(sentence), sentence
    for sentence in [
        "The mayor said: 'We built it on time and under budget.'",
        "Lopez told The Times that the dam cost 40 million crowns.",
        "Engineers finished the dam on Monday, three years after work on it began.",
        "The dam will hold back the Karun river in the north of Ruritania.",
    ]:
        assert not furniture(sentence), sentence


def test_the_lede_counts_most_then_the_next_three_alike():
    assert position_weight(0) > position_weight(1) == position_weight(2) == position_weight(3)
    assert position_weight(3) > position_weight(4) > position_weight(8) > 0


def test_the_form_of_a_sentence_weighs_on_it():
    plain = "Engineers finished the dam on Monday, three years after work on it began."
    assert form_weight(plain) == 1.0
    assert form_weight("He declined to comment.") < form_weight(plain)  # a few words
    assert form_weight(" ".join([plain[:-1]] * 5) + ".") < form_weight(plain)  # seventy words
    assert form_weight("'We built it on time,' she said of the new dam.") < form_weight(plain)  # a quote
    assert form_weight("But will the new dam hold back the spring floods in the north?") < form_weight(plain)


def test_a_caption_run_into_the_text_gives_way_to_the_story():
    sentences = [
        "Ruritania opened the Karun dam on Monday, ending a drought that had emptied Lake Varna.",
        "The dam holds back the Karun river and will supply water to a million people in the north.",
        "Engineers spent three years building the dam, which cost 40 million crowns.",
        "Scroll down for video Crowds gathered at the Karun dam on Monday as Ruritania opened it The dam on the "
        "Karun river will supply water to the north and refill Lake Varna after the drought, engineers said "
        "The opening of the dam was watched by crowds of people from across Ruritania",
        "Farmers in the north said the water would save this year's harvest.",
        "Lake Varna is expected to fill again by the autumn.",
    ]
    picked = summarize(sentences, 3)
    assert 3 not in picked
    assert picked == [0, 1, 2]


def write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))


DAM = (
    "Karun dam opens\n\n"
    "President Maria Lopez opened the Karun dam in northern Ruritania on Monday. "
    "The dam holds back the Karun river and will supply water to a million people. "
    "Engineers spent three years building it, at a cost of 40 million crowns. "
    "Lopez said the dam would end the water shortages that have hit the north for a decade. "
    "Turbines built by engineers from Zarqa will make electricity for the region. "
    "Water from the dam will also refill Lake Varna, which dried up in 2015.\n"
)
LAKE = (
    "Lake Varna returns\n\n"
    "Lake Varna, once the largest lake in Ruritania, is filling again after years of drought. "
    "Water from the dam will also refill Lake Varna, which dried up in 2015. "
    "Fishermen who left Lake Varna a decade ago have begun to come back to its shores. "
    "Birds not seen for years have returned to the reed beds of Lake Varna, scientists said.\n"
)
HARVEST = "Varna floods\n\nHeavy rain in the north of Ruritania ruined the spring harvest on Tuesday.\n"


async def seeded(archive, folder):
    write(folder, "dam.txt", DAM)
    write(folder, "lake.txt", LAKE)
    write(folder, "harvest.txt", HARVEST)
    await ingest(archive, folder)


def names(lines, words):
    return [words.lower() in line.text.lower() for line in lines]


async def test_a_topic_summary_tells_of_the_topic_each_fact_once(archive, empty_dir):
    await seeded(archive, empty_dir)
    answer = await services.topic_summary(archive, "Lake Varna", sentences=3)
    assert len(answer) == 3 and all(names(answer, "Lake Varna"))
    texts = [line.text for line in answer]
    assert len(set(texts)) == 3  # the refill, told by both articles, at most once
    assert not answer.little and answer.note is None
    assert summary_answer(answer, "Lake Varna").intro.startswith("•")


async def test_a_topic_summary_says_when_the_archive_has_little_on_it(archive, empty_dir):
    await seeded(archive, empty_dir)
    answer = await services.topic_summary(archive, "Zarqa", sentences=3)
    assert names(answer, "Zarqa") == [True, False, False]  # the one sentence that names it, then the main points
    assert answer.little and answer.mentions == 1 and answer.articles == 1
    assert answer.note.startswith("The archive has little on “Zarqa”: 1 sentence mentions it, in 1 article")
    assert {line.article.title for line in answer} == {"Karun dam opens"}
    assert summary_answer(answer, "Zarqa").intro.startswith("*The archive has little on “Zarqa”")


async def test_a_topic_only_a_title_has(archive, empty_dir):
    await seeded(archive, empty_dir)
    answer = await services.topic_summary(archive, "floods", sentences=2)
    assert [line.text for line in answer] == [
        "Heavy rain in the north of Ruritania ruined the spring harvest on Tuesday."
    ]
    assert answer.mentions == 0 and answer.note.startswith("No sentence of the matching articles names “floods”")


async def test_a_person_is_found_by_the_names_the_archive_knows(archive, empty_dir):
    await seeded(archive, empty_dir)
    answer = await services.topic_summary(archive, "Maria Lopez", sentences=5)
    texts = [line.text for line in answer]
    assert texts[0].startswith("President Maria Lopez opened")
    assert any(t.startswith("Lopez said the dam") for t in texts)  # her surname alone
    assert all("Lopez" in t for t in texts[: answer.mentions])


async def test_nothing_matches(archive, empty_dir):
    await seeded(archive, empty_dir)
    answer = await services.topic_summary(archive, "volcano", sentences=3)
    assert list(answer) == [] and answer.note is None
    assert "no article matches" in summary_answer(answer, "volcano").intro
