"""One SDK client (one HTTP connection pool) per endpoint and key, per event loop, while runs use it.

Building an ``openai.AsyncOpenAI`` builds an HTTP transport and with it a TLS context (loading the
system's CA certificates: about 30 ms of CPU, 50 under load), even for a plain-HTTP local server.
Thirty meetings summarised at once in one process paid that thirty times on the event loop, ahead
of their first sends. Meetings run at once now borrow one client: each engine still makes its own
copy (``with_options``: its own timeout, no SDK retries, the same connection pool) and keeps its own
concurrency limit; the last run to finish closes the shared client. A client is shared while the
runs' concurrency limits together fit its connection pool; beyond that, the next run starts another.
"""

from __future__ import annotations

import asyncio
import hashlib
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import openai

from summarise.engines.model.client import OPENAI_BASE_URL
from summarise.settings import Settings


@dataclass
class _Shared:
    client: openai.AsyncOpenAI
    users: int = 0
    slots: int = 0  # the users' concurrency limits added up: requests they may have in flight at once


# The SDK's connection pool holds at most this many connections; a request beyond it waits for one,
# and that wait counts against its timeout. A client is shared only while its users' limits fit.
MAX_CONNECTIONS = openai.DEFAULT_CONNECTION_LIMITS.max_connections or 1000


_SHARED: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, str], _Shared]] = (
    weakref.WeakKeyDictionary()
)


def _key(settings: Settings) -> tuple[str, str]:
    """Endpoint and a digest of the key (the secret itself is not kept as a dictionary key)."""
    secret = hashlib.sha256((settings.api_key_value() or "").encode()).hexdigest()
    return settings.base_url or OPENAI_BASE_URL, secret


@asynccontextmanager
async def shared_client(settings: Settings) -> AsyncIterator[openai.AsyncOpenAI]:
    """This loop's SDK client for the settings' endpoint and key, built by the first run that
    asks and closed when the last run using it leaves (a later run builds a new one)."""
    per_loop = _SHARED.setdefault(asyncio.get_running_loop(), {})
    key = _key(settings)
    shared = per_loop.get(key)
    if shared is None or shared.slots + settings.concurrency > MAX_CONNECTIONS:
        client = openai.AsyncOpenAI(
            api_key=settings.api_key_value(),
            base_url=key[0],  # Settings alone decide, not the SDK's environment (as ModelClient)
            timeout=settings.timeout,
            max_retries=0,
        )
        shared = per_loop[key] = _Shared(client)
    shared.users += 1
    shared.slots += settings.concurrency
    try:
        yield shared.client
    finally:
        shared.users -= 1
        shared.slots -= settings.concurrency
        if shared.users == 0:
            if per_loop.get(key) is shared:
                del per_loop[key]
            await shared.client.close()


def open_shared(settings: Settings) -> int:
    """How many runs on this loop use the shared client for ``settings`` now (for tests)."""
    shared = _SHARED.get(asyncio.get_running_loop(), {}).get(_key(settings))
    return 0 if shared is None else shared.users
