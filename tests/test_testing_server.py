"""The fake OpenAI server, seen through the real ``openai`` SDK on loopback.

All source text here is synthetic (written for these tests).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any, Literal

import openai
import pydantic
import pytest
from pydantic import BaseModel, Field

from summarise.models.summary import ItemSummary
from summarise.testing import (
    JSON_SCHEMA_UNSUPPORTED,
    REFUSAL_TEXT,
    FakeOpenAIServer,
    FaultInjector,
    SchemaFiller,
    Source,
    find_source,
    parse_rates,
)
from summarise.text.tokens import count_tokens

MODEL = "gpt-4o-mini"
KEY = "test-key-synthetic"
SOURCE = """<<<SOURCE
[page 3]
The Cabinet is asked to approve the Medium Term Financial Plan (MTFP) for 2026-27. The plan proposes
savings of £12.5 million over three years, mostly from back-office changes.
[page 4]
Kent County Council (KCC) faces rising demand for adult social care. The report recommends a public
consultation on charges for home care, starting on 3 March 2026 and running for twelve weeks.
[page 5]
Members are asked to note the financial risks set out in section 5, including inflation above 4%.
SOURCE>>>"""
SOURCE_PAGES = {3, 4, 5}


def user(text: str = SOURCE) -> list[dict[str, Any]]:
    return [
        {"role": "system", "content": "Summarise the item for residents."},
        {"role": "user", "content": f"Agenda item 6: Budget\n\n{text}"},
    ]


def source_words() -> str:
    return " ".join(SOURCE.split())


class Note(BaseModel):
    text: str
    pages: list[int]
    kind: Literal["figure", "recommendation", "decision", "other"]


class Person(BaseModel):
    name: str
    role: str | None


class Notes(BaseModel):
    title: str
    presenter: Person | None
    notes: list[Note]
    confidence: float
    count: int
    urgent: bool


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(seed=3, timeout_seconds=5.0) as srv:
        yield srv


def client(srv: FakeOpenAIServer, timeout: float = 10.0) -> openai.OpenAI:
    return openai.OpenAI(base_url=srv.base_url, api_key=KEY, max_retries=0, timeout=timeout)


# --- answers -------------------------------------------------------------------------------------


def test_parse_gives_schema_valid_output_from_the_source(server: FakeOpenAIServer) -> None:
    result = client(server).chat.completions.parse(model=MODEL, messages=user(), response_format=Notes)
    choice = result.choices[0]
    assert choice.finish_reason == "stop"
    parsed = choice.message.parsed
    assert isinstance(parsed, Notes)
    assert parsed.notes, "a list of notes"
    flat = source_words()
    for note in parsed.notes:
        assert note.text in flat  # text is lifted from the source, not invented
        assert note.pages and set(note.pages) <= SOURCE_PAGES
        # the kind fits the text: a report pack proposes, so never "decision" here
        expected = "recommendation" if "asked to" in note.text or "recommends" in note.text else None
        expected = expected or ("figure" if any(ch.isdigit() for ch in note.text) else "other")
        assert note.kind == expected, note.text
    assert result.model == MODEL
    assert result.id.startswith("chatcmpl-")
    assert result.system_fingerprint
    assert result.usage is not None
    assert result.usage.completion_tokens == count_tokens(choice.message.content or "", MODEL)
    assert result.usage.prompt_tokens > count_tokens(SOURCE, MODEL)


def test_pages_cite_the_page_each_sentence_comes_from(server: FakeOpenAIServer) -> None:
    parsed = (
        client(server)
        .chat.completions.parse(model=MODEL, messages=user(), response_format=ItemSummary)
        .choices[0]
        .message.parsed
    )
    assert parsed is not None
    cited = [*parsed.paragraphs, *parsed.key_points]
    assert cited
    for piece in cited:
        page = 3 if "Medium Term" in piece.text or "savings" in piece.text else None
        page = 4 if "social care" in piece.text or "consultation" in piece.text else page
        page = 5 if "risks" in piece.text else page
        assert page is not None, piece.text
        assert piece.pages == [page]
    assert parsed.start_page is not None and parsed.end_page is not None
    assert 3 <= parsed.start_page <= parsed.end_page <= 5


def test_same_request_same_answer_different_source_different_answer(server: FakeOpenAIServer) -> None:
    c = client(server)
    first = c.chat.completions.create(model=MODEL, messages=user())
    again = c.chat.completions.create(model=MODEL, messages=user())
    other_source = SOURCE.replace("twelve weeks", "six weeks").replace("4%", "5%")
    other = c.chat.completions.create(model=MODEL, messages=user(other_source))
    assert first.choices[0].message.content == again.choices[0].message.content
    assert first.id == again.id
    assert first.choices[0].message.content != other.choices[0].message.content


def test_plain_text_without_response_format(server: FakeOpenAIServer) -> None:
    reply = client(server).chat.completions.create(model=MODEL, messages=user())
    content = reply.choices[0].message.content
    assert content
    with pytest.raises(json.JSONDecodeError):
        json.loads(content)
    assert "Cabinet" in content or "Council" in content or "Members" in content


def test_json_object_fills_the_schema_in_the_prompt(server: FakeOpenAIServer) -> None:
    schema = json.dumps(Notes.model_json_schema(), indent=1)
    messages = [
        {"role": "system", "content": f"Reply with JSON matching this schema:\n{schema}"},
        {"role": "user", "content": SOURCE},
    ]
    reply = client(server).chat.completions.create(
        model=MODEL, messages=messages, response_format={"type": "json_object"}
    )
    notes = Notes.model_validate_json(reply.choices[0].message.content or "")
    assert all(n.text in source_words() for n in notes.notes)
    # The schema in the prompt is not mistaken for source text.
    assert all("properties" not in n.text for n in notes.notes)


def test_json_object_without_a_schema_gives_a_generic_object(server: FakeOpenAIServer) -> None:
    reply = client(server).chat.completions.create(
        model=MODEL, messages=user(), response_format={"type": "json_object"}
    )
    value = json.loads(reply.choices[0].message.content or "")
    assert isinstance(value, dict)
    assert value["summary"] and value["key_points"]


def test_schema_filler_handles_refs_anyof_enums_bounds() -> None:
    schema: dict[str, Any] = {
        "type": "object",
        "$defs": {
            "Tag": {"type": "string", "enum": ["a", "b", "c"]},
            "Child": {
                "type": "object",
                "properties": {"label": {"type": "string", "maxLength": 12}, "tag": {"$ref": "#/$defs/Tag"}},
                "required": ["label", "tag"],
            },
        },
        "properties": {
            "children": {"type": "array", "items": {"$ref": "#/$defs/Child"}, "minItems": 4, "maxItems": 4},
            "maybe": {"anyOf": [{"type": "null"}, {"type": "integer", "minimum": 40, "maximum": 42}]},
            "either": {"type": ["null", "number"], "minimum": 0.5, "maximum": 0.75},
            "fixed": {"const": "v1"},
            "merged": {"allOf": [{"$ref": "#/$defs/Child"}]},
            "flag": {"type": "boolean"},
            "long": {"type": "string", "minLength": 400},
            "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}, "uniqueItems": True, "maxItems": 3},
        },
        "required": ["children", "maybe", "either", "fixed", "merged", "flag", "long", "tags"],
    }
    import random

    value = SchemaFiller(schema, Source.from_text(SOURCE), random.Random(1)).fill()
    assert len(value["children"]) == 4
    assert all(len(c["label"]) <= 12 and c["tag"] in "abc" for c in value["children"])
    assert 40 <= value["maybe"] <= 42
    assert 0.5 <= value["either"] <= 0.75
    assert value["fixed"] == "v1"
    assert set(value["merged"]) == {"label", "tag"}
    assert isinstance(value["flag"], bool)
    assert len(value["long"]) >= 400
    assert len(set(value["tags"])) == len(value["tags"])


def test_recursive_schema_terminates() -> None:
    import random

    class Node(BaseModel):
        name: str
        children: list[Node] = Field(default_factory=list)
        parent: Node | None = None

    value = SchemaFiller(Node.model_json_schema(), Source.from_text(SOURCE), random.Random(0)).fill()
    Node.model_validate(value)


def test_streaming_gives_the_same_text_in_chunks_and_usage(server: FakeOpenAIServer) -> None:
    c = client(server)
    whole = c.chat.completions.create(model=MODEL, messages=user(), response_format={"type": "json_object"})
    chunks = list(
        c.chat.completions.create(
            model=MODEL,
            messages=user(),
            response_format={"type": "json_object"},
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    pieces = [ch.choices[0].delta.content or "" for ch in chunks if ch.choices]
    assert len([p for p in pieces if p]) > 3
    assert "".join(pieces) == whole.choices[0].message.content
    finishes = [ch.choices[0].finish_reason for ch in chunks if ch.choices and ch.choices[0].finish_reason]
    assert finishes == ["stop"]
    assert chunks[-1].usage is not None and whole.usage is not None
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens
    assert server.stats.streamed == 1


def test_sdk_stream_helper_parses_the_model(server: FakeOpenAIServer) -> None:
    with client(server).chat.completions.stream(
        model=MODEL, messages=user(), response_format=Notes
    ) as stream:
        final = stream.get_final_completion()
    assert isinstance(final.choices[0].message.parsed, Notes)


def test_models_endpoint(server: FakeOpenAIServer) -> None:
    c = client(server)
    ids = [m.id for m in c.models.list().data]
    assert MODEL in ids
    assert c.models.retrieve(MODEL).id == MODEL
    with pytest.raises(openai.NotFoundError):
        c.models.retrieve("no-such-model")
    assert server.stats.calls == 0  # model listing is not a chat call
    assert server.stats.other_requests == {"GET /v1/models": 1, "GET /v1/models/{id}": 2}


def test_max_tokens_cuts_the_answer_with_finish_reason_length(server: FakeOpenAIServer) -> None:
    reply = client(server).chat.completions.create(model=MODEL, messages=user(), max_tokens=8)
    assert reply.choices[0].finish_reason == "length"
    assert reply.usage is not None and 0 < reply.usage.completion_tokens <= 8


# --- faults -------------------------------------------------------------------------------------


def test_429_carries_retry_after(server: FakeOpenAIServer) -> None:
    server.retry_after = 2
    server.set_faults(script=["429"])
    with pytest.raises(openai.RateLimitError) as info:
        client(server).chat.completions.create(model=MODEL, messages=user())
    assert info.value.status_code == 429
    assert info.value.response.headers["retry-after"] == "2"
    # The script is used up: the next call succeeds.
    assert client(server).chat.completions.create(model=MODEL, messages=user()).choices[0].message.content


@pytest.mark.parametrize("status", ["500", "502", "503"])
def test_server_errors(server: FakeOpenAIServer, status: str) -> None:
    server.set_faults(script=[status])
    with pytest.raises(openai.InternalServerError) as info:
        client(server).chat.completions.create(model=MODEL, messages=user())
    assert info.value.status_code == int(status)


def test_timeout_with_a_short_client_timeout(server: FakeOpenAIServer) -> None:
    server.set_faults(script=["timeout"])
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        client(server, timeout=0.3).chat.completions.create(model=MODEL, messages=user())
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("fault", ["drop", "reset"])
def test_dropped_connection(server: FakeOpenAIServer, fault: str) -> None:
    server.set_faults(script=[fault])
    with pytest.raises(openai.APIConnectionError) as info:
        client(server).chat.completions.create(model=MODEL, messages=user())
    assert not isinstance(info.value, openai.APITimeoutError)
    assert server.stats.by_status == {"0": 1}


def create_notes(c: openai.OpenAI) -> Any:
    """A plain create() call asking for the Notes schema: the raw content, unparsed by the SDK."""
    return c.chat.completions.create(
        model=MODEL,
        messages=user(),
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "Notes", "schema": Notes.model_json_schema()},
        },
    )


def test_malformed_json_does_not_parse(server: FakeOpenAIServer) -> None:
    server.set_faults(script=["malformed", "malformed"])
    c = client(server)
    reply = create_notes(c)
    assert reply.choices[0].finish_reason == "stop"
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.choices[0].message.content or "")
    with pytest.raises(pydantic.ValidationError):
        c.chat.completions.parse(model=MODEL, messages=user(), response_format=Notes)


def test_schema_invalid_json_parses_but_fails_validation(server: FakeOpenAIServer) -> None:
    server.set_faults(script=["schema_invalid", "schema_invalid"])
    c = client(server)
    reply = create_notes(c)
    value = json.loads(reply.choices[0].message.content or "")
    assert isinstance(value, dict)
    with pytest.raises(pydantic.ValidationError):
        Notes.model_validate(value)
    with pytest.raises(pydantic.ValidationError):
        c.chat.completions.parse(model=MODEL, messages=user(), response_format=Notes)


def test_truncation(server: FakeOpenAIServer) -> None:
    server.set_faults(script=["truncate", "truncate"])
    c = client(server)
    reply = c.chat.completions.create(model=MODEL, messages=user(), response_format={"type": "json_object"})
    assert reply.choices[0].finish_reason == "length"
    with pytest.raises(json.JSONDecodeError):
        json.loads(reply.choices[0].message.content or "")
    with pytest.raises(openai.LengthFinishReasonError):
        c.chat.completions.parse(model=MODEL, messages=user(), response_format=Notes)


def test_truncation_while_streaming(server: FakeOpenAIServer) -> None:
    server.set_faults(script=["truncate"])
    chunks = list(client(server).chat.completions.create(model=MODEL, messages=user(), stream=True))
    assert [c.choices[0].finish_reason for c in chunks if c.choices[0].finish_reason] == ["length"]


def test_refusal(server: FakeOpenAIServer) -> None:
    server.set_faults(script=["refusal"])
    message = (
        client(server)
        .chat.completions.parse(model=MODEL, messages=user(), response_format=Notes)
        .choices[0]
        .message
    )
    assert message.refusal == REFUSAL_TEXT
    assert message.content is None
    assert message.parsed is None


def test_json_schema_unsupported_mode(server: FakeOpenAIServer) -> None:
    server.json_schema_supported = False
    c = client(server)
    with pytest.raises(openai.BadRequestError) as info:
        c.chat.completions.parse(model=MODEL, messages=user(), response_format=Notes)
    assert info.value.status_code == 400
    assert info.value.body == JSON_SCHEMA_UNSUPPORTED["error"]
    assert info.value.param == "response_format"
    # JSON mode still works, as on an old vLLM or llama.cpp server.
    reply = c.chat.completions.create(model=MODEL, messages=user(), response_format={"type": "json_object"})
    assert json.loads(reply.choices[0].message.content or "")


def test_400_fault_only_hits_json_schema_requests(server: FakeOpenAIServer) -> None:
    server.set_faults(script=["400", "400"])
    c = client(server)
    with pytest.raises(openai.BadRequestError):
        c.chat.completions.parse(model=MODEL, messages=user(), response_format=Notes)
    assert c.chat.completions.create(model=MODEL, messages=user()).choices[0].message.content


def test_fault_rates_are_seeded_and_near_their_rates() -> None:
    injector = FaultInjector("429:0.2,500:0.1,timeout:0.05", seed=11)
    draws = [injector.next() for _ in range(4000)]
    again = FaultInjector("429:0.2,500:0.1,timeout:0.05", seed=11)
    assert draws == [again.next() for _ in range(4000)]
    share = {k: draws.count(k) / len(draws) for k in ("429", "500", "timeout", "ok")}
    assert share["429"] == pytest.approx(0.2, abs=0.03)
    assert share["500"] == pytest.approx(0.1, abs=0.02)
    assert share["timeout"] == pytest.approx(0.05, abs=0.015)
    assert share["ok"] == pytest.approx(0.65, abs=0.03)


def test_script_comes_before_rates() -> None:
    injector = FaultInjector("500:1.0", script=["429", "ok", "length"])
    assert [injector.next() for _ in range(5)] == ["429", "ok", "truncate", "500", "500"]


@pytest.mark.parametrize("spec", ["teapot:0.1", "429:2", "429:0.6,500:0.6", "429", "429:x"])
def test_bad_fault_specs_are_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_rates(spec)


def test_mixed_faults_at_a_rate_through_the_sdk() -> None:
    with FakeOpenAIServer(faults="429:0.15,500:0.15,malformed:0.15", seed=5) as srv:
        c = client(srv)
        outcomes: list[str] = []
        for _ in range(30):
            try:
                reply = c.chat.completions.create(
                    model=MODEL, messages=user(), response_format={"type": "json_object"}
                )
                json.loads(reply.choices[0].message.content or "")
                outcomes.append("ok")
            except openai.RateLimitError:
                outcomes.append("429")
            except openai.InternalServerError:
                outcomes.append("500")
            except json.JSONDecodeError:
                outcomes.append("malformed")
        stats = srv.stats
    # What the SDK saw is exactly what the server says it injected.
    assert "ok" in outcomes and len(set(outcomes)) >= 3
    assert stats.by_fault == {k: outcomes.count(k) for k in set(outcomes)}
    assert stats.calls == 30


# --- pacing, stats, lifecycle ------------------------------------------------------------------------


def test_latency_and_tokens_per_second(server: FakeOpenAIServer) -> None:
    c = client(server)
    started = time.monotonic()
    reply = c.chat.completions.create(model=MODEL, messages=user())
    baseline = time.monotonic() - started
    assert reply.usage is not None
    server.latency = 0.3
    server.tokens_per_second = reply.usage.completion_tokens / 0.3  # another 0.3 s
    started = time.monotonic()
    c.chat.completions.create(model=MODEL, messages=user())
    assert time.monotonic() - started >= 0.6
    started = time.monotonic()
    list(c.chat.completions.create(model=MODEL, messages=user(), stream=True))
    assert time.monotonic() - started >= 0.55
    assert baseline < 0.5


def test_stats_count_calls_and_tokens(server: FakeOpenAIServer) -> None:
    server.set_faults(script=["ok", "429", "ok"])
    c = client(server)
    usages = []
    for _ in range(3):
        with contextlib.suppress(openai.RateLimitError):
            usages.append(c.chat.completions.create(model=MODEL, messages=user()).usage)
    with urllib.request.urlopen(f"{server.url}/stats") as response:
        served = json.load(response)
    assert served == server.stats.to_dict()
    assert served["calls"] == 3
    assert served["by_status"] == {"200": 2, "429": 1}
    assert served["by_fault"] == {"ok": 2, "429": 1}
    assert served["prompt_tokens"] == sum(u.prompt_tokens for u in usages if u)
    assert served["completion_tokens"] == sum(u.completion_tokens for u in usages if u)
    assert [r.status for r in server.requests] == [200, 429, 200]
    assert server.requests[0].body["model"] == MODEL
    server.reset()
    assert server.stats.calls == 0 and server.requests == []
    c.chat.completions.create(model=MODEL, messages=user())
    request = urllib.request.Request(f"{server.url}/stats", method="DELETE")
    with urllib.request.urlopen(request) as response:
        assert json.load(response)["calls"] == 0
    assert server.stats.calls == 0


def test_api_key_can_be_required() -> None:
    with FakeOpenAIServer(api_key="right-key") as srv:
        bad = openai.OpenAI(base_url=srv.base_url, api_key="wrong-key", max_retries=0)
        with pytest.raises(openai.AuthenticationError):
            bad.chat.completions.create(model=MODEL, messages=user())
        good = openai.OpenAI(base_url=srv.base_url, api_key="right-key", max_retries=0)
        assert good.chat.completions.create(model=MODEL, messages=user()).choices


def test_bad_requests_get_openai_style_errors(server: FakeOpenAIServer) -> None:
    c = client(server)
    with pytest.raises(openai.BadRequestError):
        c.chat.completions.create(model=MODEL, messages=[])
    request = urllib.request.Request(f"{server.base_url}/chat/completions", data=b"{not json", method="POST")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request)
    assert info.value.code == 400
    assert json.load(info.value)["error"]["type"] == "invalid_request_error"


def test_only_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        FakeOpenAIServer(host="0.0.0.0")


def test_stop_ends_sleeping_replies_and_refuses_connections() -> None:
    srv = FakeOpenAIServer(timeout_seconds=30, script=["timeout"]).start()
    c = client(srv, timeout=0.2)
    with pytest.raises(openai.APITimeoutError):
        c.chat.completions.create(model=MODEL, messages=user())
    started = time.monotonic()
    srv.stop()
    assert time.monotonic() - started < 2  # the 30 s stall was woken
    with pytest.raises(openai.APIConnectionError):
        client(srv).chat.completions.create(model=MODEL, messages=user())
    assert srv.stats.calls == 1


def test_command_line_server() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarise.testing", "--port", "0", "--script", "503", "--seed", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
        c = openai.OpenAI(base_url=base_url, api_key=KEY, max_retries=0)
        with pytest.raises(openai.InternalServerError):
            c.chat.completions.create(model=MODEL, messages=user())
        assert c.chat.completions.create(model=MODEL, messages=user()).choices[0].message.content
        with urllib.request.urlopen(base_url.removesuffix("/v1") + "/stats") as response:
            assert json.load(response)["by_status"] == {"503": 1, "200": 1}
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert json.loads(err.strip().splitlines()[-1])["calls"] == 2


# --- reading the request ----------------------------------------------------------------------------


def test_source_reading_pages_names_dates_and_schema() -> None:
    from summarise.testing._source import find_schema_in_text

    prompt = (
        'Schema: {"type": "object", "properties": {"a": {"type": "string"}}}\n'
        "<<<SOURCE\n[page 2]\nReport of Cllr Jane Smith, Cabinet Member.\n"
        "[page 3]\nThe Medium Term Financial Plan (MTFP) was published on 5 February 2026 by David Brown.\n"
        "SOURCE>>>"
    )
    source = find_source([{"role": "user", "content": prompt}])
    assert source.pages == [2, 3]
    assert "properties" not in source.text and "[page" not in source.text
    assert source.pages_of("The Medium Term Financial Plan (MTFP) was published") == [3]
    assert source.pages_of("Report of Cllr Jane Smith") == [2]
    assert source.names() == ["Cllr Jane Smith", "David Brown"]
    assert "MTFP" in source.acronyms()
    assert source.first_date() == "2026-02-05"
    found = find_schema_in_text(prompt)
    assert found is not None and found[0]["properties"] == {"a": {"type": "string"}}
    # Without delimiters the whole user message is the source, minus a schema in it.
    bare = find_source([{"role": "user", "content": "[page 9] Plain text. " + prompt.split("\n")[0]}])
    assert bare.pages == [9] and "properties" not in bare.text


def test_unfillable_schema_is_a_400_not_a_dropped_connection(server: FakeOpenAIServer) -> None:
    bad = {"type": "json_schema", "json_schema": {"name": "Bad", "schema": {"$ref": "#/$defs/Missing"}}}
    with pytest.raises(openai.BadRequestError, match="does not resolve"):
        client(server).chat.completions.create(model=MODEL, messages=user(), response_format=bad)  # type: ignore[arg-type]


def test_serves_concurrent_calls_in_parallel() -> None:
    import asyncio

    async def many(base_url: str) -> list[str]:
        client = openai.AsyncOpenAI(base_url=base_url, api_key=KEY, max_retries=0)
        async with client:
            replies = await asyncio.gather(
                *(
                    client.chat.completions.create(
                        model=MODEL, messages=[{"role": "user", "content": f"{SOURCE}\nCall {i}."}]
                    )
                    for i in range(12)
                )
            )
        return [r.choices[0].message.content or "" for r in replies]

    with FakeOpenAIServer(latency=0.4) as srv:
        started = time.monotonic()
        contents = asyncio.run(many(srv.base_url))
        elapsed = time.monotonic() - started
        assert srv.stats.calls == 12
    assert all(contents)
    assert elapsed < 12 * 0.4 / 2  # in series it would take 4.8 s


def test_a_reask_gets_the_answer_a_clean_first_call_gets(server: FakeOpenAIServer) -> None:
    """Faults then re-asks must be able to end with the same output as a clean run."""
    c = client(server)
    fmt = {"type": "json_schema", "json_schema": {"name": "Notes", "schema": Notes.model_json_schema()}}
    clean = c.chat.completions.create(model=MODEL, messages=user(), response_format=fmt)  # type: ignore[arg-type]
    server.set_faults(script=["schema_invalid"])
    bad = c.chat.completions.create(model=MODEL, messages=user(), response_format=fmt)  # type: ignore[arg-type]
    bad_text = bad.choices[0].message.content or ""
    assert bad_text != clean.choices[0].message.content
    reask = [
        *user(),
        {"role": "assistant", "content": bad_text},
        {"role": "user", "content": "That JSON failed validation: field required. Answer again."},
    ]
    fixed = c.chat.completions.create(model=MODEL, messages=reask, response_format=fmt)  # type: ignore[arg-type]
    assert fixed.choices[0].message.content == clean.choices[0].message.content


def test_a_bigger_output_budget_lets_the_same_answer_finish(server: FakeOpenAIServer) -> None:
    c = client(server)
    cut = c.chat.completions.create(model=MODEL, messages=user(), max_tokens=10).choices[0]
    whole = c.chat.completions.create(model=MODEL, messages=user(), max_tokens=4000).choices[0]
    assert cut.finish_reason == "length" and whole.finish_reason == "stop"
    assert (whole.message.content or "").startswith(cut.message.content or "-")


def test_answers_do_not_depend_on_the_fault_seed() -> None:
    """A clean server and a flaky one (any seed) give the same answer to the same request."""
    contents = []
    for seed in (0, 3, 99):
        with FakeOpenAIServer(seed=seed, faults="500:0.5") as srv:
            c = client(srv)
            for _ in range(20):
                with contextlib.suppress(openai.InternalServerError):
                    contents.append(
                        c.chat.completions.create(model=MODEL, messages=user()).choices[0].message.content
                    )
                    break
    assert len(contents) == 3 and len(set(contents)) == 1
