"""The bot's own state (a part of `Archive`): the SQL of the `bot_state` table, one value a key."""

from __future__ import annotations


class StateTables:
    async def get_state(self, key: str) -> str | None:
        rows = await self._rows("SELECT value FROM bot_state WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    async def set_state(self, key: str, value: str) -> None:
        await self._execute(
            "INSERT INTO bot_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
