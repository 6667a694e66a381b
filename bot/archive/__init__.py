"""The SQLite archive. All SQL in the project lives in this package."""

from bot.archive.errors import ArchiveError, explain_error
from bot.archive.feeds import Feed, FetchOutcome
from bot.archive.records import ArchiveStats, FileState, RunSummary, SearchHit, SearchResult
from bot.archive.store import Archive
from bot.archive.writer import FileItem

__all__ = [
    "Archive",
    "ArchiveError",
    "ArchiveStats",
    "Feed",
    "FetchOutcome",
    "FileItem",
    "FileState",
    "RunSummary",
    "SearchHit",
    "SearchResult",
    "explain_error",
]
