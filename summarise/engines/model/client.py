"""The one seam to the model: structured output that survives real servers.

:meth:`ModelClient.structured` sends one step's messages and returns a
validated Pydantic object and the usage it cost. On the way it

* answers from the on-disk cache when the same request was answered before;
* asks for a strict JSON schema (``chat.completions.parse`` builds it from the
  model), or JSON mode with the schema in the prompt for servers without
  ``json_schema``; ``structured="auto"`` falls back once on a 400 that says
  the format is unsupported and remembers that for the client;
* re-asks with the validation error when the answer is not valid JSON or
  breaks the schema, at most ``max_reasks`` times;
* never re-sends a request whose answer was truncated: it raises the output
  budget once (a different request) or raises :class:`TruncatedOutputError`
  so the caller can split the input;
* retries transient failures in one layer (:func:`summarise.engines.model.reask.retry_policy`;
  the SDK's own retries are off);
* stops before a call that could take the estimated cost past ``max_cost``.

The answer is validated here rather than by the SDK, so the raw text
survives for re-asks and for the errors that carry it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Any, TypeVar

import httpx2
import openai
import pydantic
from pydantic import BaseModel

from summarise.engines.model.batch import use_batch_api
from summarise.engines.model.body import (
    body_bytes,
    counted_room,
    output_params,
    prompt_messages,
    room_by_bytes,
    schema_json,
    schema_of,
)
from summarise.engines.model.cache import (
    CallCache,
    CallRecord,
    canonical_json,
    key_of,
    lease_owner,
    request_json,
)
from summarise.engines.model.flow import AdaptiveLimit, Reply, lease, process_cache, process_flights
from summarise.engines.model.meter import charge
from summarise.engines.model.modes import (
    AUTO_ORDER,
    Mode,
    answer_text,
    next_mode,
    says_format_unsupported,
    unfence,
)
from summarise.engines.model.pricing import Budget, PriceTable
from summarise.engines.model.reask import (
    NeverReached,
    TransientResponseError,
    describe_error,
    endpoint_label,
    is_refused,
    is_transient,
    reask_messages,
    rejection_message,
    retry_after_seconds,
    retry_policy,
)
from summarise.errors import (
    ConfigurationError,
    InvalidOutputError,
    ModelError,
    ModelUnavailableError,
    RefusalError,
    TruncatedOutputError,
)
from summarise.models.summary import Usage
from summarise.settings import Settings
from summarise.text.tokens import count_once, count_tokens

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
OPENAI_BASE_URL = "https://api.openai.com/v1"
# Waiting requests go to the server later stages first: an item's summary ahead of other items'
# notes, the synopsis and glossary ahead of both (the run's critical path, not its arrival order).
STEP_PRIORITY = {"synopsis": 0, "glossary": 0, "item_summary": 1, "chunk_notes": 2}
MIN_ANSWER_TOKENS = 256  # less room than this for an answer: split the input instead


class ModelClient:
    """Async client for one model, built from :class:`Settings`. Share one per run.

    ``usage`` is the running total over every call this client made or answered from cache;
    ``retries``, ``reasks`` and ``fallbacks`` count how often each recovery path was taken.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        cache: CallCache | None = None,
        http_client: httpx2.AsyncClient | None = None,
        prices: PriceTable | None = None,
        openai_client: openai.AsyncOpenAI | None = None,
    ) -> None:
        """``openai_client``: your own ``AsyncOpenAI`` (proxies, headers, tracing); its endpoint and
        key are used, with this library's timeout and retries, and it is left open at the end."""
        self.settings = settings
        self._owns_client = openai_client is None
        if openai_client is not None:
            # One retry layer (ours): the SDK's own retries stay off.
            self._client = openai_client.with_options(timeout=settings.timeout, max_retries=0)
        else:
            self._client = openai.AsyncOpenAI(
                api_key=settings.api_key_value(),
                base_url=settings.base_url or OPENAI_BASE_URL,  # Settings alone decide, not the SDK's env
                timeout=settings.timeout,
                max_retries=0,
                http_client=http_client,
            )
        self._mode: Mode = "json_schema" if settings.structured == "auto" else settings.structured
        self._mode_settled = settings.structured != "auto"
        self._probe: asyncio.Lock | None = None
        if cache is None and settings.use_cache:
            cache = process_cache(settings.cache_dir)
        self._cache = cache if settings.use_cache else None
        self._server = f"{endpoint_label(settings)} {settings.model}"
        remembered = self._cache.server_mode(self._server) if self._cache and not self._mode_settled else None
        if remembered in AUTO_ORDER:
            self._mode = remembered  # found on an earlier run: no probe
            self._mode_settled = True
        self._budget = Budget(settings, prices or PriceTable(settings.prices, settings.price_file))
        self.price_known = self._budget.price_known
        self.usage = Usage()
        self._reached = False  # a successful answer came back from this server
        self._owner = lease_owner()  # host and PID: a lease of a dead process is taken over
        self.limit = AdaptiveLimit(settings.concurrency)
        self.retries = 0  # transient failures retried, over all calls
        self.reasks = 0  # invalid answers sent back, over all calls
        self.fallbacks = 0  # json_schema requests redone in JSON mode
        # --batch-api: each chat request is queued to a Batch API round and awaited, not sent (batch.py)
        self.batch = use_batch_api(self) if settings.batch_api else None

    @property
    def mode(self) -> Mode:
        """The structured-output mode now in use (``auto`` may have fallen back to json_object)."""
        return self._mode

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.close()

    async def __aenter__(self) -> ModelClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- the one public call ------------------------------------------------------------------

    async def structured(
        self,
        *,
        step: str,
        messages: list[dict[str, Any]],
        response_model: type[T],
        prompt_version: str,
        answer_tokens: int | None = None,
    ) -> tuple[T, Usage]:
        """A validated ``response_model`` for ``messages``, and the usage it cost.

        ``answer_tokens``: this call's output cap (default ``max_output_tokens``), never past the window.

        Raises InvalidOutputError, TruncatedOutputError, RefusalError, BudgetExceededError,
        ModelUnavailableError, ModelError for any other rejected request (all carrying the
        usage spent), or ConfigurationError (credentials, unknown model or endpoint).
        """
        # The messages, the bulk of every request, are dumped once: for the key, the body and the log.
        messages_json = canonical_json(messages)
        key = key_of(self.settings.model, messages_json, schema_json(response_model), self._key_params())
        value = await self._cached(key, response_model, step)
        if value is None:

            async def ask() -> tuple[T, Usage]:
                stale = self.settings.timeout * 2 + 60  # a lease this old: its owner died or hung
                async with lease(self._cache, key, self._owner, stale):
                    again = await self._cached(key, response_model, step)
                    if again is not None:
                        return again, Usage(cached_calls=1)
                    return await self._ask(
                        step, messages, messages_json, response_model, prompt_version, key, answer_tokens
                    )

            # Shared with every client of this server on the loop: concurrent meetings ask alike.
            (value, spent), shared = await process_flights().run(f"{self._server}\n{key}", ask)
            if not shared and not spent.cached_calls:
                return value, spent
        spent = Usage(cached_calls=1)  # answered by the cache or by an identical call in flight
        self.usage = charge(self.usage, spent)  # and to the meeting's meter (batch)
        return value, spent

    async def _cached(self, key: str, response_model: type[T], step: str) -> T | None:
        if self._cache is None:
            return None
        hit = await asyncio.to_thread(self._cache.get, key)
        if hit is None:
            return None
        try:
            return response_model.model_validate_json(hit)
        except pydantic.ValidationError:
            log.warning("%s: cached answer no longer validates; asking again", step)
            return None

    async def _ask(
        self,
        step: str,
        messages: list[dict[str, Any]],
        messages_json: str,
        response_model: type[T],
        prompt_version: str,
        key: str,
        answer_tokens: int | None,
    ) -> tuple[T, Usage]:
        s = self.settings
        spent = Usage()
        convo = list(messages)
        convo_json: str | None = messages_json  # until a re-ask changes the conversation
        # Input plus output cap must fit the window; a request that leaves too little room for an
        # answer is split by the engine (as a truncated one is), never sent to fail.
        left = room_by_bytes(s, messages_json, response_model)
        if left is None:  # a request near the window: counted in a worker thread (tiktoken lets go
            # of the interpreter lock), so that the loop goes on sending and reading other calls
            left = await asyncio.to_thread(counted_room, s, messages, response_model)
        max_tokens = min(answer_tokens or s.max_output_tokens, left)
        if max_tokens < MIN_ANSWER_TOKENS:
            raise TruncatedOutputError(
                f"{step}: the request leaves {max_tokens} of {s.context_tokens} tokens for the answer; "
                "split the input",
                usage=spent,
            )
        reasks = 0
        while True:
            async with self._format_probe():
                reply, mode, request = await self._call(
                    step, convo, convo_json, response_model, max_tokens, spent
                )
            spent = spent + reply.usage
            self.usage = charge(self.usage, reply.usage)
            record = functools.partial(
                CallRecord,
                key=key,
                model=s.model,
                step=step,
                prompt_version=prompt_version,
                mode=mode,
                request=request,
                response=reply.body,
                finish_reason=reply.finish_reason,
                input_tokens=reply.usage.input_tokens,
                output_tokens=reply.usage.output_tokens,
                cost_usd=reply.usage.estimated_cost_usd,
                duration_ms=reply.duration_ms,
            )

            if reply.finish_reason == "length":
                await self._log(record(error="truncated"))
                ceiling = min(s.max_output_tokens_ceiling, s.context_tokens - reply.usage.input_tokens - 16)
                if max_tokens < ceiling:  # never past the window
                    log.info("%s: cut off at %d tokens; asking once with %d", step, max_tokens, ceiling)
                    max_tokens = ceiling
                    continue
                raise TruncatedOutputError(
                    f"{step}: the answer was cut off at {max_tokens} output tokens; split the input",
                    usage=spent,
                    last_output=reply.content,
                )
            if reply.refusal or reply.finish_reason == "content_filter":
                await self._log(record(error="refusal"))
                raise RefusalError(
                    f"{step}: the model refused: {(reply.refusal or 'content filter')[:300]}",
                    usage=spent,
                    last_output=reply.refusal or reply.content,
                )
            content = reply.content or ""
            try:
                value = response_model.model_validate_json(unfence(content))
            except pydantic.ValidationError as exc:
                await self._log(record(error=f"invalid: {exc.error_count()} error(s)"))
                if reasks >= s.max_reasks:
                    raise InvalidOutputError(
                        f"{step}: the answer was still invalid after {reasks} re-ask(s): "
                        f"{exc.error_count()} validation error(s)",
                        usage=spent,
                        last_output=content,
                    ) from exc
                reasks += 1
                self.reasks += 1
                log.info("%s: invalid answer (%d error(s)); re-ask %d", step, exc.error_count(), reasks)
                convo = reask_messages(convo, content, exc, str(s.prompts_dir) if s.prompts_dir else None)
                convo_json = None
                continue
            if self._cache is not None:
                await self._log(record(result_json=value.model_dump_json()))
            return value, spent

    # -- one logical call: fallback, retries, error mapping ------------------------------------

    @contextlib.asynccontextmanager
    async def _format_probe(self) -> AsyncIterator[None]:
        """In ``auto`` mode the first call probes the output format alone, so concurrent
        calls do not all meet the same 400 before the fallback is remembered."""
        if not self._mode_settled:
            if self._probe is None:
                self._probe = asyncio.Lock()
            async with self._probe:
                if not self._mode_settled:  # still unknown once we hold the lock: we are the probe
                    yield
                    self._mode_settled = True
                    return
        yield

    async def _call(
        self,
        step: str,
        convo: list[dict[str, Any]],
        convo_json: str | None,
        response_model: type[BaseModel],
        max_tokens: int,
        spent: Usage,
    ) -> tuple[Reply, Mode, str]:
        """One answer in the current mode, falling back once on a complaint about the format.
        ``convo_json``: the canonical JSON of ``convo`` when already dumped."""
        model = self.settings.model
        while True:
            mode = self._mode
            messages = prompt_messages(mode, convo, response_model, self.settings.prompts_dir)
            sent_json = (
                convo_json if messages is convo and convo_json is not None else canonical_json(messages)
            )
            params = output_params(self.settings, max_tokens)
            request = request_json(model, mode, sent_json, params)
            body = body_bytes(model, mode, sent_json, response_model, params)
            estimate = self._budget.worst_case(messages, schema_of(response_model), max_tokens)
            self._budget.reserve(step, estimate, self.usage, spent)
            try:
                priority = STEP_PRIORITY.get(step, 1)
                reply = await self._send_with_retries(mode, body, messages, spent, priority)
                return reply, mode, request
            except openai.APIStatusError as exc:
                following = next_mode(mode)
                if self.settings.structured == "auto" and following and says_format_unsupported(exc):
                    self.fallbacks += 1
                    if self._mode == mode:
                        log.warning("server does not support %s output; now using %s", mode, following)
                        self._mode = following
                        self._remember_mode(following)
                    continue
                raise ModelError(f"{step}: {rejection_message(exc)}", usage=spent) from None
            finally:
                self._budget.release(estimate)

    async def _send_with_retries(
        self, mode: Mode, body: bytes, messages: list[dict[str, Any]], spent: Usage, priority: int
    ) -> Reply:
        try:
            async for attempt in retry_policy(self.settings):
                with attempt:
                    if attempt.retry_state.attempt_number > 1:
                        self.retries += 1
                    return await self._send_once(mode, body, messages, priority)
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise ConfigurationError(
                f"the model server refused the credentials (HTTP {exc.status_code}); "
                "check OPENAI_API_KEY and the base_url setting"
            ) from None
        except openai.NotFoundError:
            raise ConfigurationError(
                f"model {self.settings.model!r} or endpoint not found at "
                f"{endpoint_label(self.settings)} (HTTP 404)"
            ) from None
        except Exception as exc:
            if isinstance(exc, openai.BadRequestError) or (
                isinstance(exc, openai.APIStatusError) and says_format_unsupported(exc)
            ):
                raise  # _call decides what a 400 or a complaint about the format means
            asked = retry_after_seconds(exc)
            if is_transient(exc) and asked is not None and asked > self.settings.max_retry_wait:
                raise ModelUnavailableError(
                    f"the model server at {endpoint_label(self.settings)} asked to wait {asked:.0f} s, "
                    f"longer than max_retry_wait ({self.settings.max_retry_wait:.0f} s)",
                    usage=spent,
                ) from None
            if is_transient(exc):
                raise ModelUnavailableError(
                    f"the model server at {endpoint_label(self.settings)} kept failing "
                    f"({describe_error(exc)}) after {self.settings.max_retries} retries",
                    usage=spent,
                ) from None
            if isinstance(exc, NeverReached):
                raise ModelUnavailableError(
                    f"cannot connect to the model server at {endpoint_label(self.settings)}: "
                    "is it running, and is the base_url setting right?",
                    usage=spent,
                ) from None
            if isinstance(exc, openai.APIStatusError):
                raise ModelError(rejection_message(exc), usage=spent) from None
            raise
        raise AssertionError("unreachable: the retry policy re-raises")  # pragma: no cover

    async def _send_once(
        self, mode: Mode, body: bytes, messages: list[dict[str, Any]], priority: int
    ) -> Reply:
        started = time.monotonic()
        timeout = self.settings.timeout * self.limit.timeout_scale
        try:
            async with self.limit.slot(priority):
                raw = await self._post(body, timeout)
        except openai.APITimeoutError:
            self.limit.overloaded("timeout")
            raise
        except openai.RateLimitError:
            self.limit.overloaded("429")
            raise
        except openai.APIConnectionError as exc:
            if not self._reached and is_refused(exc):
                raise NeverReached from None  # nothing listens there: retrying only costs time
            raise
        self._reached = True
        self.limit.succeeded()
        duration_ms = int((time.monotonic() - started) * 1000)
        try:
            answer = json.loads(raw.text)
            choice = answer["choices"][0]
            message = choice.get("message") or {}
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise TransientResponseError(f"not a chat completion ({type(exc).__name__})") from None
        content = answer_text(mode, message)
        return Reply(
            content=content,
            refusal=message.get("refusal"),
            finish_reason=choice.get("finish_reason"),
            usage=self._usage(answer, messages, content),
            body=answer,
            duration_ms=duration_ms,
        )

    async def _post(self, body: bytes, timeout: float) -> httpx2.Response:
        """Send one request body as it is (JSON bytes, :func:`~summarise.engines.model.body.body_bytes`):
        the one place a request leaves this client (the SDK's typed errors, no SDK retries). The raw
        response: the answer is parsed and validated here."""
        return await self._client.post(
            "/chat/completions", content=body, cast_to=httpx2.Response, options={"timeout": timeout}
        )

    # -- helpers ------------------------------------------------------------------------------

    def _remember_mode(self, mode: Mode) -> None:
        if self._cache is not None:
            self._cache.remember_server_mode(self._server, mode)

    def _key_params(self) -> dict[str, Any]:
        s = self.settings
        return {"temperature": s.temperature, "seed": s.seed, "max_output_tokens": s.max_output_tokens}

    def _usage(self, body: dict[str, Any], messages: list[dict[str, Any]], content: str | None) -> Usage:
        usage = body.get("usage") or {}
        tin, tout = usage.get("prompt_tokens"), usage.get("completion_tokens")
        if not isinstance(tin, int):  # some local servers leave usage out: count it ourselves
            tin = count_once(json.dumps(messages, ensure_ascii=False), self.settings.model)
        if not isinstance(tout, int):
            tout = count_tokens(content or "", self.settings.model)
        details = usage.get("prompt_tokens_details")
        cached = details.get("cached_tokens") if isinstance(details, dict) else None
        cached = min(cached, tin) if isinstance(cached, int) and cached > 0 else 0
        cost = self._budget.cost(tin, tout, cached)
        return Usage(
            calls=1, input_tokens=tin, cached_input_tokens=cached, output_tokens=tout, estimated_cost_usd=cost
        )

    async def _log(self, rec: CallRecord) -> None:
        if self._cache is not None:
            await asyncio.to_thread(self._cache.record, rec)
