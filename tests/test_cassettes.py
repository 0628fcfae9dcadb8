"""Cassettes: record the real ``openai`` SDK against the fake server, replay with no server.

The committed cassettes under ``tests/cassettes/`` are synthetic (recorded against
``summarise.testing.FakeOpenAIServer`` from the synthetic text below). To
re-record them: ``SUMMARISE_RECORD_CASSETTES=1 pytest tests/test_cassettes.py``.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
from pathlib import Path
from typing import Any, Literal

import openai
import pytest
from pydantic import BaseModel

from summarise.errors import CassetteMissError
from summarise.testing import FakeOpenAIServer, cassette_vcr, is_synthetic, scrub_request, scrub_response

pytest.importorskip("vcr")
from vcr.errors import CannotOverwriteExistingCassetteException
from vcr.request import Request

CASSETTES = Path(__file__).parent / "cassettes"
MODEL = "gpt-4o-mini"
KEY = "test-key-synthetic"
SOURCE = """<<<SOURCE
[page 7]
The Cabinet Member for Highways is asked to approve a 20mph limit on 14 village roads, at a cost of
£180,000 from the road safety budget.
[page 8]
A consultation drew 312 responses, of which 61% supported the proposal. Works would begin in June 2026.
SOURCE>>>"""
MESSAGES: list[Any] = [
    {"role": "system", "content": "Take notes for residents."},
    {"role": "user", "content": SOURCE},
]
KEY_SHAPED = re.compile(r"\b(?:sk|rk|pk)-[A-Za-z0-9_\-]{16,}")


class Note(BaseModel):
    text: str
    pages: list[int]
    kind: Literal["figure", "recommendation", "decision", "other"]


class Notes(BaseModel):
    notes: list[Note]


def free_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def sdk(base_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=base_url, api_key=KEY, max_retries=0, timeout=5)


@pytest.fixture
def not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Recording into tmp_path is the point of these tests, so they lift CI's replay-only rule."""
    monkeypatch.delenv("CI", raising=False)


def _calls(client: openai.OpenAI) -> tuple[Notes | None, str, str]:
    parsed = client.chat.completions.parse(model=MODEL, messages=MESSAGES, response_format=Notes)
    text = client.chat.completions.create(model=MODEL, messages=MESSAGES).choices[0].message.content or ""
    stream = client.chat.completions.create(model=MODEL, messages=MESSAGES, stream=True)
    streamed = "".join(ch.choices[0].delta.content or "" for ch in stream if ch.choices)
    return parsed.choices[0].message.parsed, text, streamed


@pytest.mark.usefixtures("not_ci")
def test_record_then_replay_with_the_server_stopped(tmp_path: Path) -> None:
    with FakeOpenAIServer(seed=4) as server:
        with cassette_vcr(tmp_path, record_mode="once").use_cassette("calls.yaml"):
            recorded = _calls(sdk(server.base_url))
        served = server.stats
    assert served.calls == 3  # recording really went through the server
    assert recorded[0] is not None and recorded[1] and recorded[2] == recorded[1]

    # Replay: the same base URL (server stopped) and a port where nothing ever listened.
    for base_url in (server.base_url, f"http://127.0.0.1:{free_port()}/v1"):
        with cassette_vcr(tmp_path).use_cassette("calls.yaml") as cassette:
            replayed = _calls(sdk(base_url))
        assert replayed == recorded
        assert cassette.play_count == 3
        assert cassette.all_played
    assert server.stats == served  # nothing reached the stopped server

    # Without the cassette, the stopped server is really gone.
    with pytest.raises(openai.APIConnectionError):
        sdk(server.base_url).chat.completions.create(model=MODEL, messages=MESSAGES)


@pytest.mark.usefixtures("not_ci")
def test_cassette_holds_no_key_and_is_labelled_synthetic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_key = "env-secret-value-0123456789"
    monkeypatch.setenv("OPENAI_API_KEY", env_key)
    with FakeOpenAIServer() as server, cassette_vcr(tmp_path, record_mode="once").use_cassette("k.yaml"):
        client = openai.OpenAI(
            base_url=server.base_url,
            api_key=KEY,
            organization="org-synthetic-organisation",
            max_retries=0,
            default_headers={"Cookie": "session=synthetic-cookie"},
        )
        leaky = f"my key is sk-proj-{'x' * 24} and {env_key}"
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": leaky}])
    text = (tmp_path / "k.yaml").read_text(encoding="utf-8")
    lowered = text.lower()
    assert "uri: http://127.0.0.1" in text  # the interaction is there
    for needle in ("authorization", "bearer", KEY, "openai-organization", "org-synthetic", "cookie", env_key):
        assert needle.lower() not in lowered, needle
    assert not KEY_SHAPED.search(text)
    assert text.startswith("# SYNTHETIC cassette")
    assert is_synthetic(tmp_path / "k.yaml")


@pytest.mark.usefixtures("not_ci")
def test_ci_forces_replay_and_a_missing_cassette_is_a_typed_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cassette_vcr(tmp_path).record_mode == "once"  # record once outside CI
    monkeypatch.setenv("CI", "true")
    my_vcr = cassette_vcr(tmp_path, record_mode="all")
    assert my_vcr.record_mode == "none"
    with FakeOpenAIServer() as server:
        with pytest.raises(CassetteMissError) as caught, my_vcr.use_cassette("missing.yaml"):
            sdk(server.base_url).chat.completions.create(model=MODEL, messages=MESSAGES)
        assert server.stats.calls == 0
    message = str(caught.value)
    assert "missing.yaml is missing" in message and "CI only replays" in message
    assert "record it by running once outside CI" in message
    assert not (tmp_path / "missing.yaml").exists()


@pytest.mark.usefixtures("not_ci")
def test_first_local_run_records_then_replays(tmp_path: Path) -> None:
    """Outside CI a missing cassette is recorded (no vcrpy exception on the first run), then replayed."""
    with FakeOpenAIServer() as server:
        with cassette_vcr(tmp_path).use_cassette("first.yaml"):
            recorded = sdk(server.base_url).chat.completions.create(model=MODEL, messages=MESSAGES)
        assert server.stats.calls == 1
    with cassette_vcr(tmp_path).use_cassette("first.yaml") as cassette:
        replayed = sdk(f"http://127.0.0.1:{free_port()}/v1").chat.completions.create(
            model=MODEL, messages=MESSAGES
        )
    assert cassette.play_count == 1
    assert replayed.choices[0].message.content == recorded.choices[0].message.content


@pytest.mark.usefixtures("not_ci")
def test_matching_ignores_host_and_port_but_not_the_body(tmp_path: Path) -> None:
    with FakeOpenAIServer() as server, cassette_vcr(tmp_path, record_mode="once").use_cassette("m.yaml"):
        sdk(server.base_url).chat.completions.create(model=MODEL, messages=MESSAGES)
    other = [{"role": "user", "content": SOURCE.replace("312", "313")}]
    with cassette_vcr(tmp_path).use_cassette("m.yaml"):
        elsewhere = sdk(f"http://localhost:{free_port()}/v1")
        assert elsewhere.chat.completions.create(model=MODEL, messages=MESSAGES).choices
        with pytest.raises(CannotOverwriteExistingCassetteException):  # vcrpy's inside the block, typed out
            elsewhere.chat.completions.create(model=MODEL, messages=other)
    replay = cassette_vcr(tmp_path)
    with pytest.raises(CassetteMissError, match="is not in cassette"), replay.use_cassette("m.yaml"):
        elsewhere.chat.completions.create(model=MODEL, messages=other)


# Key-shaped but fake, and built at run time so no key-shaped literal sits in the repository.
FAKE_KEY = "sk-" + "abcdefghijklmnopqrstuvwx"


def test_scrubbers_directly() -> None:
    request = Request(
        "POST",
        "https://api.example.invalid/v1/chat/completions",
        f'{{"note": "{FAKE_KEY}"}}'.encode(),
        {"Authorization": f"Bearer {FAKE_KEY}", "api-key": "azure-key", "Accept": "json"},
    )
    cleaned = scrub_request(request)
    assert set(cleaned.headers) == {"Accept"}
    assert b"sk-abc" not in cleaned.body
    response = {
        "headers": {"Set-Cookie": ["a=b"], "openai-organization": ["org-x"], "x-request-id": ["r"]},
        "body": {"string": f'{{"echo": "{FAKE_KEY}"}}'.encode()},
    }
    scrubbed = scrub_response(response)
    assert set(scrubbed["headers"]) == {"x-request-id"}
    assert b"sk-abc" not in scrubbed["body"]["string"]


def test_committed_synthetic_cassette_replays_without_a_server() -> None:
    recording = os.environ.get("SUMMARISE_RECORD_CASSETTES") == "1"
    my_vcr = cassette_vcr(CASSETTES / "test_cassettes", record_mode="once" if recording else "none")
    with contextlib.ExitStack() as stack:
        if recording:
            base_url = stack.enter_context(FakeOpenAIServer(seed=1)).base_url
        else:
            base_url = f"http://127.0.0.1:{free_port()}/v1"
        with my_vcr.use_cassette("parse_notes.yaml") as cassette:
            parsed, text, streamed = _calls(sdk(base_url))
    assert cassette.play_count == (0 if recording else 3)
    assert parsed is not None and parsed.notes
    assert all(set(n.pages) <= {7, 8} and n.text in " ".join(SOURCE.split()) for n in parsed.notes)
    assert text and streamed == text


def test_no_committed_cassette_holds_a_secret() -> None:
    cassettes = sorted(CASSETTES.rglob("*.yaml")) + sorted(CASSETTES.rglob("*.yml"))
    assert cassettes, "the committed synthetic cassette is missing"
    for path in cassettes:
        text = path.read_text(encoding="utf-8")
        assert "authorization" not in text.lower(), path
        assert "bearer " not in text.lower(), path
        assert not KEY_SHAPED.search(text), path
        if re.search(r"uri: https?://(127\.0\.0\.1|localhost)", text):
            assert is_synthetic(path), f"{path} was recorded on loopback but is not labelled synthetic"


@pytest.mark.usefixtures("not_ci")
def test_async_client_records_and_replays(tmp_path: Path) -> None:
    """The pipeline uses AsyncOpenAI: vcrpy patches httpx2's async transport too."""
    import asyncio

    async def calls(base_url: str) -> list[str]:
        client = openai.AsyncOpenAI(base_url=base_url, api_key=KEY, max_retries=0, timeout=5)
        async with client:
            replies = await asyncio.gather(
                *(
                    client.chat.completions.create(
                        model=MODEL, messages=[{"role": "user", "content": f"{SOURCE}\nPart {i}."}]
                    )
                    for i in range(3)
                )
            )
        return [r.choices[0].message.content or "" for r in replies]

    with FakeOpenAIServer() as server:
        with cassette_vcr(tmp_path, record_mode="once").use_cassette("async.yaml"):
            recorded = asyncio.run(calls(server.base_url))
        served = server.stats
    with cassette_vcr(tmp_path).use_cassette("async.yaml") as cassette:
        replayed = asyncio.run(calls(f"http://127.0.0.1:{free_port()}/v1"))
    assert served.calls == 3 and cassette.play_count == 3
    assert replayed == recorded and all(recorded)
