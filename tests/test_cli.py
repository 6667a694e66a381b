"""The `newsdesk` command as a user runs it: settings, ingest, stats, search, and clear errors."""

import json
import os
import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings
from tests.conftest import REPO


def newsdesk(*args, cwd, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_PATH", "ARCHIVE_DIR", "LOG_LEVEL")}
    base["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_defaults_and_overrides():
    s = load_settings({})
    assert (str(s.database_path), str(s.archive_dir), s.log_level) == ("data/newsdesk.db", "seeds", "INFO")
    s = load_settings({"LOG_LEVEL": "debug", "MAX_ARTICLE_BYTES": "1_000", "DISCORD_TOKEN": "secret-token"})
    assert (s.log_level, s.max_article_bytes) == ("DEBUG", 1000)
    assert "secret-token" not in repr(s)


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"MAX_ARTICLE_BYTES": "-5"}, "MAX_ARTICLE_BYTES"),
        ({"MAX_ARTICLE_BYTES": "lots"}, "MAX_ARTICLE_BYTES"),
        ({"TEST_GUILD_ID": "my server"}, "TEST_GUILD_ID"),
        ({"INGEST_ON_START": "perhaps"}, "INGEST_ON_START"),
    ],
)
def test_invalid_setting_names_itself_and_the_fix(env, name):
    with pytest.raises(ConfigError, match=name):
        load_settings(env)


def test_invalid_setting_stops_the_program_with_one_line(tmp_path):
    result = newsdesk("stats", cwd=tmp_path, LOG_LEVEL="loud", DISCORD_TOKEN="never-printed")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "LOG_LEVEL" in result.stderr
    assert "never-printed" not in result.stderr + result.stdout


def test_ingest_stats_and_search_from_the_terminal(tmp_path, seeds_dir):
    (tmp_path / ".env").write_text(f"DATABASE_PATH={tmp_path / 'db' / 'n.db'}\nARCHIVE_DIR={seeds_dir}\n")
    ingest = newsdesk("ingest", cwd=tmp_path)
    assert ingest.returncode == 0, ingest.stderr
    assert "added 2" in ingest.stdout
    assert (tmp_path / "db" / "n.db").exists()  # .env was read
    stats = newsdesk("stats", cwd=tmp_path)
    assert "Articles: 2" in stats.stdout and "2017-09-14 to 2017-10-26" in stats.stdout
    search = newsdesk("search", "Quds", "Force", cwd=tmp_path)
    assert "Iran, US align against Iraqi Kurdistan Referendum" in search.stdout and "*Quds*" in search.stdout
    hostile = newsdesk("search", 'zebra* NEAR("', "(", cwd=tmp_path)
    assert hostile.returncode == 0 and "match" in hostile.stdout and not hostile.stderr


def test_missing_archive_folder_is_one_clear_line(tmp_path):
    result = newsdesk("ingest", cwd=tmp_path, DATABASE_PATH=str(tmp_path / "n.db"), ARCHIVE_DIR=str(tmp_path / "x"))
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"newsdesk: the archive folder {tmp_path / 'x'} does not exist; set ARCHIVE_DIR or pass a folder"
    )


def test_empty_query_is_a_helpful_reply(tmp_path):
    result = newsdesk("search", "  ", cwd=tmp_path, DATABASE_PATH=str(tmp_path / "n.db"))
    assert result.returncode == 2 and "Give some words to search for" in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["summary", "1", "--sentences", "0"], "Ask for between 1 and 10 sentences (not 0)"),
        (["summary", "1", "--sentences", "-3"], "Ask for between 1 and 10 sentences"),
        (["summary", "referendum", "--sentences", "0"], "Ask for between 1 and 10 sentences (not 0)"),
        (["summary", "referendum", "--sentences", "50"], "Ask for between 1 and 10 sentences (not 50)"),
        (["summary", "-1"], "Article numbers start at 1"),  # a number, not the word "1"
        (["summary", "0"], "Article numbers start at 1"),
        (["summary", "99999999999999999999"], "There is no article of that number"),
        (["search", "vote", "--limit", "0"], "Ask for between 1 and 25 results (not 0)"),
        (["search", "vote", "--limit", "-5"], "Ask for between 1 and 25 results (not -5)"),
        (["search", "vote", "--limit", "10000"], "Ask for between 1 and 25 results (not 10,000)"),
        (["search", "vote", "--limit", "99999999999999999999"], "Ask for between 1 and 25 results (not far more)"),
        (["quotes", "--words", "vote", "--limit", "0"], "Ask for between 1 and 25 quotes"),
        (["quotes", "--words", "vote", "--limit", "99999999999999999999"], "Ask for between 1 and 25 quotes"),
        (["analyze", "--summary", "-1"], "--summary takes a number of sentences"),
    ],
)
def test_a_number_out_of_range_is_one_line_and_exit_2(tmp_path, args, says):
    db = tmp_path / "n.db"
    result = newsdesk(*args, cwd=tmp_path, DATABASE_PATH=str(db))
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("newsdesk: ") and says in result.stderr, result.stderr
    assert not result.stdout


async def test_services_check_counts_before_they_ask_the_archive(archive):
    from bot import services

    for call in (
        services.topic_summary(archive, "vote", sentences=0),
        services.topic_summary(archive, "vote", sentences=11),
        services.article_summary(archive, -1),
        services.article_summary(archive, 10**30),
        services.timeline(archive, topic="vote", limit=0),
    ):
        with pytest.raises(services.UserError):
            await call
    assert services.article_number(" -1 ") == -1 and services.article_number("+3") == 3
    assert services.article_number("1 vote") is None and services.article_number("١٢") is None


def test_analyze_follows_the_contract_line_for_line(tmp_path):
    import json

    text = (REPO / "seeds" / "004_b40c0b8648002e66.txt").read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "a", "text": text, "published": "2017-10-26"}),
        "{not json",
        json.dumps({"id": "b", "text": "Brett McGurk met Masoud Barzani in Erbil.", "title": "t"}),
        json.dumps({"id": "c"}),
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = newsdesk("analyze", "--input", str(source), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", None, "b", "c"]
    assert "error" in records[1] and "error" in records[3] and records[1]["actors"] == []
    for record in records:
        assert {"entities", "actors", "quotes", "timexes", "summary"} <= set(record)
    for e in records[0]["entities"]:
        assert text[e["start"] : e["end"]] == e["text"]
    assert {a["name"] for a in records[2]["actors"]} >= {"Brett McGurk", "Masoud Barzani", "Erbil"}


def test_analyze_reads_common_date_forms_and_never_drops_a_document(tmp_path):
    import json

    text = "The council met yesterday."
    dates = ["2 March 2009", "Mon, 02 Mar 2009 10:00:00 GMT", "25-03-2009", "03-02-2009", "soon"]
    lines = [json.dumps({"id": i, "text": text, "published": d}) for i, d in enumerate(dates)]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = newsdesk("analyze", "--input", str(source), cwd=tmp_path)
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert all("error" not in r for r in records) and len(records) == 5
    values = [[t["value"] for t in r["timexes"]] for r in records]
    assert values[:3] == [["2009-03-01"], ["2009-03-01"], ["2009-03-24"]]
    # Day-first or month-first cannot be told, and "soon" is no date: undated, said on standard error.
    assert values[3] == values[4] == ["XXXX-XX-XX"]
    assert "'03-02-2009' is not read (day-first or month-first cannot be told)" in result.stderr
    assert "'soon' is not read" in result.stderr


def test_a_missing_model_is_one_clear_line(tmp_path, seeds_dir):
    result = newsdesk(
        "ingest", str(seeds_dir), cwd=tmp_path, DATABASE_PATH=str(tmp_path / "n.db"), NLP_MODEL="no_such_model"
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("newsdesk: the spaCy model 'no_such_model' (NLP_MODEL) is not installed")


def test_run_without_a_token_says_what_to_do(tmp_path):
    done = newsdesk("run", cwd=tmp_path, DISCORD_TOKEN="")
    assert done.returncode == 2
    assert (
        "DISCORD_TOKEN" in done.stderr
        and "discord.com/developers" in done.stderr
        and "applications.commands" in done.stderr
    )


def test_backup_is_a_consistent_copy_and_never_overwrites(tmp_path):
    db = tmp_path / "d.db"
    assert newsdesk("ingest", str(REPO / "seeds"), cwd=tmp_path, DATABASE_PATH=str(db)).returncode == 0
    done = newsdesk("backup", str(tmp_path / "copy.db"), cwd=tmp_path, DATABASE_PATH=str(db))
    assert done.returncode == 0 and "Backed up" in done.stdout
    copy = newsdesk("archive", cwd=tmp_path, DATABASE_PATH=str(tmp_path / "copy.db"))
    assert "Articles: 2" in copy.stdout
    again = newsdesk("backup", str(tmp_path / "copy.db"), cwd=tmp_path, DATABASE_PATH=str(db))
    assert again.returncode == 1 and "already exists" in again.stderr


def test_a_closed_pipe_stops_the_output_quietly(tmp_path):
    lines = [json.dumps({"id": i, "text": "Maria Lopez said the vote would go ahead. " * 5}) for i in range(200)]
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = f"'{sys.executable}' -m bot analyze --input in.jsonl | head -c 10 > /dev/null; echo $"
    result = subprocess.run(["bash", "-c", command + "{PIPESTATUS[0]}"], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.stdout.strip() == "141", result.stderr  # like any command whose reader went away
    assert "Traceback" not in result.stderr and "cannot read" not in result.stderr


def test_stories_story_and_watches_from_the_terminal(tmp_path):
    from tests.discord_harness import seeded_database

    env = {"DATABASE_PATH": str(seeded_database(tmp_path)), "ARCHIVE_DIR": str(tmp_path)}
    listed = newsdesk("stories", "--from", "2017-01-01", cwd=tmp_path, **env)
    assert listed.returncode == 0 and listed.stdout.count("story ") == 2  # the two seed articles: two stories
    story = newsdesk("story", "Kurdistan", cwd=tmp_path, **env)
    assert story.returncode == 0 and "Iran, US align against Iraqi Kurdistan Referendum" in story.stdout
    assert "Sources" in story.stdout
    missing = newsdesk("story", "no such thing at all", cwd=tmp_path, **env)
    assert missing.returncode != 0 and "No story matches" in missing.stdout + missing.stderr

    added = newsdesk("watch", "add", "--guild", "7", "--channel", "70", "--actor", "McGurk", cwd=tmp_path, **env)
    assert added.returncode == 0 and "Watching (#1) actor 'Brett McGurk' in 70" in added.stdout, added.stderr
    bad = newsdesk("watch", "add", "--guild", "7", "--channel", "70", "--actor", "Nobody Atall", cwd=tmp_path, **env)
    assert bad.returncode != 0 and "No one called" in bad.stdout + bad.stderr
    assert "Brett McGurk" in newsdesk("watch", "list", cwd=tmp_path, **env).stdout
    dry = newsdesk("alerts", "--dry-run", cwd=tmp_path, **env)
    assert dry.returncode == 0 and "No alerts would be posted now." in dry.stdout  # only later articles count
    gone = newsdesk("watch", "remove", "1", "--guild", "7", cwd=tmp_path, **env)
    assert gone.returncode == 0 and "removed" in gone.stdout


def test_charts_from_the_terminal(tmp_path):
    from tests.discord_harness import seeded_database

    env = {"DATABASE_PATH": str(seeded_database(tmp_path)), "ARCHIVE_DIR": str(tmp_path)}
    for args, name in (
        (["timeline", "referendum"], "timeline.png"),
        (["actor", "McGurk"], "actor.png"),
        (["archive"], "archive.png"),
    ):
        done = newsdesk(*args, "--chart", str(tmp_path / name), cwd=tmp_path, **env)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
        assert f"Chart written to {tmp_path / name}" in done.stderr
    nothing = newsdesk("timeline", "zzyzx", "--chart", str(tmp_path / "none.png"), cwd=tmp_path, **env)
    assert nothing.returncode == 0 and "No chart: too little to draw" in nothing.stderr
    assert not (tmp_path / "none.png").exists()
