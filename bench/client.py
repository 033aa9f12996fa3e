"""The small asyncio client of the load and fault benchmarks (aiohttp), and a TCP proxy that drops
connections the way a weak mobile link does.

A desk retries an entry with the same client key until it gets an answer: on a connection error, a
timeout or a 5xx, after a backoff that doubles (with jitter) up to a cap, for a bounded number of
attempts. 201 and 200 are answers (stored, or stored before); a 4xx is an answer too (refused).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass, field

import aiohttp

ANSWERED = (200, 201)


@dataclass
class Outcome:
    """What the desk knows about one entry at the end."""

    status: int | None = None  # the last HTTP status received (None: never answered)
    body: dict | None = None
    attempts: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        return self.status in ANSWERED


@dataclass
class RetryPolicy:
    attempts: int = 12
    timeout: float = 10.0
    backoff: float = 0.05
    cap: float = 2.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        return min(self.cap, self.backoff * 2**attempt) * (0.5 + rng.random())


def session(limit: int = 100) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=limit, force_close=False),
        json_serialize=json.dumps,
    )


async def post_json(
    http: aiohttp.ClientSession, url: str, token: str, body: dict, timeout: float
) -> tuple[int, dict | None]:
    async with http.post(
        url,
        data=json.dumps(body),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=aiohttp.ClientTimeout(total=timeout),
    ) as answer:
        raw = await answer.read()
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        return answer.status, data


async def submit(
    http: aiohttp.ClientSession,
    url: str,
    token: str,
    body: dict,
    *,
    policy: RetryPolicy,
    rng: random.Random,
    outcome: Outcome | None = None,
) -> Outcome:
    """Post `body` until answered (any status below 500) or out of attempts, same body each time."""
    outcome = outcome or Outcome()
    for attempt in range(policy.attempts):
        outcome.attempts += 1
        try:
            status, data = await post_json(http, url, token, body, policy.timeout)
        except (TimeoutError, aiohttp.ClientError, ConnectionError) as error:
            outcome.errors.append(type(error).__name__)
        else:
            outcome.status, outcome.body = status, data
            if status < 500:
                return outcome
            outcome.errors.append(f"http {status}")
        await asyncio.sleep(policy.delay(attempt, rng))
    return outcome


class DroppingProxy:
    """A loopback TCP proxy in front of the server that, for each new connection, picks a fate:
    pass it through, close it before the request reaches the server ("before"), or let the request
    through and close the connection once the server starts answering, so the server has done the
    work but the desk never hears of it ("after")."""

    def __init__(
        self,
        upstream_port: int,
        *,
        drop_before: float = 0.15,
        drop_after: float = 0.15,
        seed: int = 1,
    ) -> None:
        self.upstream_port = upstream_port
        self.drop_before = drop_before
        self.drop_after = drop_after
        self.rng = random.Random(seed)
        self.server: asyncio.AbstractServer | None = None
        self.port = 0
        self.fates = {"pass": 0, "before": 0, "after": 0}

    async def start(self) -> DroppingProxy:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        roll = self.rng.random()
        fate = (
            "before"
            if roll < self.drop_before
            else "after"
            if roll < self.drop_before + self.drop_after
            else "pass"
        )
        self.fates[fate] += 1
        try:
            if fate == "before":
                await reader.read(1024)  # part of the request arrived, then the link died
                return
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
            try:
                upward = asyncio.create_task(_pipe(reader, up_writer))
                if fate == "after":
                    await up_reader.read(1)  # the server answers: it has saved the entries
                    upward.cancel()
                    return
                await _pipe(up_reader, writer)
                upward.cancel()
            finally:
                up_writer.close()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def now() -> float:
    return time.perf_counter()
