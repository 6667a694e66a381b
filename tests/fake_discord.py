"""A fake Discord on loopback: the REST API and the gateway websocket, as much of them as the bot uses.

The real discord.py client is pointed at it (`discord.http.Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`).
Tests dispatch gateway events (INTERACTION_CREATE) and read what the bot sent back: interaction callbacks,
followups and edits, with their payloads as Discord would receive them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import discord
from aiohttp import WSMsgType, web

BOT_ID = 1000
APP_ID = 1000
GUILD_ID = 2000
CHANNEL_ID = 3000
OWNER_ID = 4000
MANAGE_GUILD = 1 << 5
SEND = (1 << 10) | (1 << 11) | (1 << 14)  # view channel, send messages, embed links

_ids = itertools.count(10_000_000)


def snowflake() -> str:
    return str(next(_ids))


def text_channel(channel_id: int, name: str = "news") -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "name": name,
        "guild_id": str(GUILD_ID),
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "rate_limit_per_user": 0,
        "last_message_id": None,
        "flags": 0,
        "permissions": str(SEND),
    }


def user(user_id: int, name: str) -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "discriminator": "0", "global_name": name, "avatar": None}


@dataclass
class Call:
    """One REST request the bot made."""

    method: str
    path: str
    json: Any
    query: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    response: Any = None  # the JSON the fake answered with
    files: list[Upload] = field(default_factory=list)  # a multipart request's files


@dataclass
class Upload:
    """A file part of a multipart request, as Discord receives it."""

    name: str  # files[0], …
    filename: str
    content_type: str
    data: bytes


def _json(data: Any, status: int = 200) -> web.Response:
    # Exactly "application/json", as Discord sends it: discord.py parses nothing else as JSON.
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


class FakeDiscord:
    def __init__(self, heartbeat_ms: int = 41250):
        self.heartbeat_ms = heartbeat_ms
        self.calls: list[Call] = []
        self.commands: dict[str, list[dict]] = {}  # scope ("global" or a guild id) -> registered commands
        self.heartbeats: list[float] = []  # when each heartbeat arrived
        self.identified = asyncio.Event()
        self.messages: dict[str, dict] = {}  # message id -> message, as last created or edited
        self.channel_errors: dict[str, int] = {}  # channel id -> HTTP status to refuse posts with
        self.refuse_token = False  # answer logins with 401 Unauthorized
        self._ws: web.WebSocketResponse | None = None
        self._seq = 0
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- serving ----------------------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def patch(self, monkeypatch) -> None:
        """Point discord.py at this server."""
        monkeypatch.setattr(discord.http.Route, "BASE", f"http://127.0.0.1:{self.port}/api/v10")
        monkeypatch.setattr(
            discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", discord.gateway.yarl.URL(self.gateway_url)
        )

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    # ---- the gateway ------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": self.heartbeat_ms}})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            if payload["op"] == 1:
                self.heartbeats.append(time.monotonic())
                await ws.send_json({"op": 11})
            elif payload["op"] == 2:
                await self.dispatch(
                    "READY",
                    {
                        "v": 10,
                        "user": {**user(BOT_ID, "Newsdesk"), "bot": True},
                        "guilds": [],
                        "session_id": "fake-session",
                        "resume_gateway_url": self.gateway_url,
                        "application": {"id": str(APP_ID), "flags": 0},
                    },
                )
                self.identified.set()
        return ws

    async def dispatch(self, event: str, data: dict) -> None:
        self._seq += 1
        assert self._ws is not None, "the bot has not connected to the gateway"
        await self._ws.send_json({"op": 0, "t": event, "s": self._seq, "d": data})

    # ---- interactions -----------------------------------------------------------------------------------

    def interaction(
        self,
        kind: int,
        data: dict,
        *,
        user_id: int = OWNER_ID,
        permissions: int = SEND,
        guild: bool = True,
        message: dict | None = None,
    ) -> dict:
        payload = {
            "id": snowflake(),
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "token": f"token-{snowflake()}",
            "version": 1,
            "locale": "en-US",
            "attachment_size_limit": 10 * 1024 * 1024,
            "app_permissions": str(SEND),
            "channel": text_channel(CHANNEL_ID),
            "channel_id": str(CHANNEL_ID),
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
        }
        if guild:
            payload["guild_id"] = str(GUILD_ID)
            payload["guild_locale"] = "en-US"
            payload["member"] = {
                "user": user(user_id, f"user{user_id}"),
                "roles": [],
                "joined_at": "2026-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": str(permissions),
            }
        else:
            payload["user"] = user(user_id, f"user{user_id}")
            payload["channel"] = {"id": str(CHANNEL_ID + 1), "type": 1, "recipients": [user(user_id, "u")]}
            payload["context"] = 1
        if message is not None:
            payload["message"] = message
        return payload

    async def command(self, name: str, options: list[dict] | None = None, resolved: dict | None = None, **kw) -> dict:
        """Dispatch a slash command; returns the interaction payload (its id and token name the answers)."""
        command = self.find_command(name.split()[0])
        data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": 1}
        if resolved:
            data["resolved"] = resolved
        if " " in name:  # a subcommand: "archive status"
            data["options"] = [{"type": 1, "name": name.split()[1], "options": options or []}]
        else:
            data["options"] = options or []
        payload = self.interaction(2, data, **kw)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def autocomplete(self, name: str, focused: str, value: str, others: dict | None = None, **kw) -> dict:
        command = self.find_command(name.split()[0])
        options = [{"type": 3, "name": k, "value": v} for k, v in (others or {}).items()]
        options.append({"type": 3, "name": focused, "value": value, "focused": True})
        if " " in name:
            options = [{"type": 1, "name": name.split()[1], "options": options}]
        payload = self.interaction(
            4, {"id": command["id"], "name": command["name"], "type": 1, "options": options}, **kw
        )
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    async def click(self, message: dict, custom_id: str, **kw) -> dict:
        payload = self.interaction(3, {"custom_id": custom_id, "component_type": 2}, message=message, **kw)
        await self.dispatch("INTERACTION_CREATE", payload)
        return payload

    def find_command(self, name: str) -> dict:
        for registered in self.commands.values():
            for command in registered:
                if command["name"] == name:
                    return command
        raise AssertionError(f"/{name} was never registered")

    # ---- what the bot sent ------------------------------------------------------------------------------

    def replies(self, interaction: dict) -> list[Call]:
        """Every request answering an interaction: its callback, then followups and edits, in order."""
        token = interaction["token"]
        return [c for c in self.calls if token in c.path]

    async def wait_for(self, predicate, timeout: float = 10.0) -> Any:
        """Wait until `predicate()` returns something truthy (re-checked after every request)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
            return predicate()

    async def reply(self, interaction: dict, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait for `count` requests answering `interaction`."""
        return await self.wait_for(
            lambda: len(self.replies(interaction)) >= count and self.replies(interaction), timeout
        )

    # ---- the REST API -----------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        body, files = None, []
        if request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
            elif request.content_type.startswith("multipart/"):
                reader = await request.multipart()
                async for part in reader:
                    if part.name == "payload_json":
                        body = json.loads(await part.text())
                    elif part.filename:
                        ctype = part.headers.get("Content-Type", "")
                        files.append(Upload(part.name, part.filename, ctype, bytes(await part.read())))
        call = Call(request.method, path, body, dict(request.query), files=files)
        response = self._answer(call)
        if response.body and response.content_type == "application/json":
            call.response = json.loads(response.body)
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()
        return response

    def _answer(self, call: Call) -> web.Response:
        method, parts = call.method, call.path.split("/")
        if call.path == "users/@me" and self.refuse_token:
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        if call.path == "users/@me":
            return _json({**user(BOT_ID, "Newsdesk"), "bot": True})
        if call.path == "oauth2/applications/@me":
            return _json(
                {
                    "id": str(APP_ID),
                    "name": "Newsdesk",
                    "description": "",
                    "icon": None,
                    "bot_public": True,
                    "bot_require_code_grant": False,
                    "verify_key": "0" * 64,
                    "owner": user(OWNER_ID, "owner"),
                    "flags": 0,
                }
            )
        if parts[0] == "applications" and parts[-1] == "commands":
            scope = parts[3] if len(parts) == 5 else "global"
            if method == "PUT":
                self.commands[scope] = [
                    {**c, "id": snowflake(), "application_id": str(APP_ID), "version": snowflake()} for c in call.json
                ]
            return _json(self.commands.get(scope, []))
        if parts[0] == "interactions" and parts[-1] == "callback":
            return self._callback(parts[1], call.json)
        if parts[0] == "webhooks":
            return self._webhook(method, parts, call.json)
        if parts[0] == "channels" and len(parts) == 3 and parts[2] == "messages" and method == "POST":
            if parts[1] in self.channel_errors:
                status = self.channel_errors[parts[1]]
                return _json({"message": "Missing Permissions", "code": 50013}, status=status)
            return _json(self._message(call.json, channel=parts[1]))
        return _json({"message": f"not faked: {method} {call.path}", "code": 0}, status=404)

    def _callback(self, interaction_id: str, body: dict) -> web.Response:
        kind = body["type"]
        data = body.get("data") or {}
        result: dict[str, Any] = {"interaction": {"id": interaction_id, "type": 2}}
        if kind in (4, 5, 7):  # message, deferred message, update message
            flags = data.get("flags", 0) | (128 if kind == 5 else 0)
            message = self._message({**data, "flags": flags})
            result["interaction"].update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool(flags & 64),
            )
            result["resource"] = {"type": kind, "message": message}
        return _json(result)

    def _webhook(self, method: str, parts: list[str], body: dict | None) -> web.Response:
        if method == "DELETE":
            return web.Response(status=204)
        if method == "POST":  # a followup
            return _json(self._message(body or {}))
        if method == "PATCH":  # an edit of the original answer or of a followup
            return _json(self._message(body or {}))
        return _json({"message": "not faked", "code": 0}, status=404)

    def _message(self, body: dict, channel: str = str(CHANNEL_ID)) -> dict:
        message = {
            "id": snowflake(),
            "channel_id": channel,
            "type": 0,
            "content": body.get("content") or "",
            "author": {**user(BOT_ID, "Newsdesk"), "bot": True},
            "embeds": body.get("embeds") or [],
            "components": body.get("components") or [],
            "attachments": [
                {
                    "id": snowflake(),
                    "filename": a.get("filename", ""),
                    "description": a.get("description"),
                    "size": 0,
                    "url": f"https://cdn.example/{a.get('filename', '')}",
                    "proxy_url": f"https://cdn.example/{a.get('filename', '')}",
                }
                for a in body.get("attachments") or []
            ],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": "2026-11-22T00:00:00+00:00",
            "edited_timestamp": None,
            "flags": body.get("flags", 0),
        }
        self.messages[message["id"]] = message
        return message
