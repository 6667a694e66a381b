"""`newsdesk` with story placement switched off: the reference bench.ingest times ingest with stories against.

    python -m bench.ingest_without_stories ingest FOLDER

Everything else (parsing, the language pipeline, copies, the archive) runs as in `newsdesk`; articles are left in
no story. Only for the benchmark: an archive made so has no stories until a normal ingest places them.
"""

from bot.archive.store import Archive
from bot.archive.writer import BatchWriter
from bot.cli import main


def _no_story(self, article_id: int, stamp: str) -> None:
    return None


async def _none_placed(self, batch: int = 500) -> int:
    return 0


if __name__ == "__main__":  # the ingest workers import this module again (spawn): they must not run it
    BatchWriter._place_story = _no_story
    Archive.place_stories = _none_placed
    raise SystemExit(main())
