"""The retry policy and the re-ask message, without a network."""

from __future__ import annotations

import asyncio
import email.utils
import json
import time
from typing import Any

import httpx2
import openai
import pydantic
import pytest
import tenacity

from summarise.engines.model.reask import (
    AskedTooLong,
    RetryAfterWait,
    TransientResponseError,
    is_transient,
    reask_messages,
    retry_after_seconds,
    retry_policy,
)
from summarise.engines.model.steps import SynopsisDraft
from summarise.settings import Settings

REQUEST = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
_SDK = openai.OpenAI(api_key="synthetic", base_url="http://127.0.0.1/v1")  # maps statuses to classes


def status_error(status: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    """What the SDK raises for a synthetic HTTP ``status``."""
    response = httpx2.Response(status, headers=headers or {}, request=REQUEST, json={"error": {}})
    err = _SDK._make_status_error_from_response(response)
    assert isinstance(err, openai.APIStatusError)
    return err


def test_transient_errors() -> None:
    for status in (408, 409, 429, 500, 502, 503, 504):
        assert is_transient(status_error(status)), status
    for status in (400, 401, 403, 404, 422):
        assert not is_transient(status_error(status)), status
    assert is_transient(openai.APITimeoutError(request=REQUEST))
    assert is_transient(openai.APIConnectionError(request=REQUEST))
    assert is_transient(TransientResponseError("cut off"))
    assert not is_transient(ValueError("bug"))


def test_retry_after_forms() -> None:
    assert retry_after_seconds(status_error(429, {"retry-after-ms": "250"})) == pytest.approx(0.25)
    assert retry_after_seconds(status_error(429, {"retry-after": "3"})) == 3.0
    assert retry_after_seconds(status_error(429, {"retry-after": "0.5"})) == 0.5
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < (retry_after_seconds(status_error(503, {"retry-after": later})) or 0) <= 31
    assert retry_after_seconds(status_error(429)) is None
    assert retry_after_seconds(status_error(429, {"retry-after": "soon"})) is None
    assert retry_after_seconds(ValueError()) is None


def _state(attempt: int, exc: BaseException) -> tenacity.RetryCallState:
    state = tenacity.RetryCallState(retry_object=tenacity.Retrying(), fn=None, args=(), kwargs={})
    state.attempt_number = attempt
    state.set_exception((type(exc), exc, None))
    return state


def test_wait_honours_retry_after_in_full_up_to_max_retry_wait() -> None:
    wait = RetryAfterWait(initial=0.5, maximum=10.0, longest_asked=600.0)
    assert wait(_state(1, status_error(429, {"retry-after": "4"}))) == 4.0
    # A server asking for 2 minutes gets 2 minutes, not the backoff cap (retrying early is refused again).
    assert wait(_state(1, status_error(429, {"retry-after": "120"}))) == 120.0
    stop = AskedTooLong(600.0)
    assert not stop(_state(1, status_error(429, {"retry-after": "120"})))
    assert stop(_state(1, status_error(429, {"retry-after": "3600"})))  # longer than allowed: give up


def test_wait_backs_off_exponentially_with_jitter() -> None:
    wait = RetryAfterWait(initial=0.5, maximum=3.0)
    overloaded = status_error(503)
    for attempt, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (4, 3.0), (9, 3.0)):
        waits = [wait(_state(attempt, overloaded)) for _ in range(200)]
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > ceiling / 2  # jittered across the range, not a constant
        assert len(set(waits)) > 100


def _run_policy(settings: Settings, outcomes: list[BaseException | str]) -> tuple[Any, int]:
    calls = 0

    async def flaky() -> str:
        nonlocal calls
        outcome = outcomes[min(calls, len(outcomes) - 1)]
        calls += 1
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    async def run() -> Any:
        async for attempt in retry_policy(settings):
            with attempt:
                return await flaky()
        return None

    try:
        result: Any = asyncio.run(run())
    except Exception as exc:
        result = exc
    return result, calls


FAST = Settings(retry_initial_wait=0.001, retry_max_wait=0.01, max_retries=3)


def test_policy_retries_transient_errors_then_succeeds() -> None:
    result, calls = _run_policy(FAST, [status_error(503), status_error(429), "ok"])
    assert (result, calls) == ("ok", 3)


def test_policy_is_bounded_and_reraises_the_last_error() -> None:
    result, calls = _run_policy(FAST, [status_error(502)])
    assert calls == 4  # one try + max_retries
    assert isinstance(result, openai.InternalServerError)
    result, calls = _run_policy(FAST.model_copy(update={"max_retries": 0}), [status_error(500)])
    assert calls == 1


def test_policy_does_not_retry_client_errors() -> None:
    result, calls = _run_policy(FAST, [status_error(400), "ok"])
    assert calls == 1 and isinstance(result, openai.BadRequestError)


def test_reask_messages_feed_back_the_validation_error() -> None:
    messages = [{"role": "user", "content": "synthetic request"}]
    bad = json.dumps({"synopsis": 3, "pages": ["x"], "extra": True})
    with pytest.raises(pydantic.ValidationError) as info:
        SynopsisDraft.model_validate_json(bad)
    out = reask_messages(messages, bad, info.value)
    assert messages == [{"role": "user", "content": "synthetic request"}]  # not mutated
    assert out[:1] == messages
    assert out[1] == {"role": "assistant", "content": bad}
    feedback = out[2]["content"]
    assert out[2]["role"] == "user"
    for path in ("synopsis", "pages.0", "extra"):
        assert f"- {path}:" in feedback
    assert "JSON" in feedback


def test_reask_messages_for_broken_json() -> None:
    with pytest.raises(pydantic.ValidationError) as info:
        SynopsisDraft.model_validate_json('{"synopsis": "x",')
    feedback = reask_messages([], '{"synopsis": "x",', info.value)[-1]["content"]
    assert "not valid JSON" in feedback
    plain = reask_messages([], "oops", "a synthetic problem")[-1]["content"]
    assert "a synthetic problem" in plain
