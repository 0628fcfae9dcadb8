"""A local OpenAI-compatible server and cassette helpers, for tests and benchmarks.

>>> from summarise.testing import FakeOpenAIServer
>>> with FakeOpenAIServer(faults="429:0.1,500:0.1", seed=7) as server:  # doctest: +SKIP
...     client = openai.OpenAI(base_url=server.base_url, api_key="test", max_retries=0)
...     client.chat.completions.parse(model="gpt-4o-mini", messages=..., response_format=ItemDraft)
...     server.stats.calls

From the command line (prints the base URL, serves until Ctrl-C, prints stats as JSON)::

    python -m summarise.testing --port 8099 --latency 0.2 --tokens-per-second 80 \
        --faults "429:0.1,500:0.1,timeout:0.05" --script "429,ok,malformed" --seed 1 \
        --quirks vllm

Endpoints: ``POST /v1/chat/completions`` (``stream`` true or not), ``GET /v1/models``,
``GET /v1/models/{id}``, ``GET /stats`` (``DELETE /stats`` zeroes it), and the Files and Batches
APIs (``/v1/files``, ``/v1/batches``: ``server.batches.delay`` and a script of per-batch plans
``fail:F``, ``expire:F``, ``cancel``, ``failed``; see ``_batches``).

Answers: schema-valid JSON for ``response_format`` ``json_schema`` (the schema
filled), ``json_object`` (the schema found in a system/user message, else a
generic object), plain text without one. Text comes from the offline engine's
key sentences of the source (between ``<<<SOURCE`` and ``SOURCE>>>``, else the
user message); ``pages`` arrays cite the ``[page N]`` the sentences sit on. A
source over 12,000 characters is answered from whole pages spread from its first
to its last; each line of a list is a sentence. The same request (streamed or not)
always gets the same answer.

Pacing: ``latency`` runs from each request's arrival, so the time the server spends
building an answer is inside it, not added to it (with ``slots``, from when a slot
is had). ``server.requests`` records each request's ``arrived_at`` and
``answered_at`` (``time.monotonic()``).

Faults (by rate and/or a script consumed first): ``429`` (Retry-After),
``500``/``502``/``503``, ``timeout`` (answer after ``timeout_seconds``), ``drop``
and ``reset`` (no response), ``malformed``, ``schema_invalid``, ``truncate``
(``finish_reason`` "length"), ``refusal``, ``400`` (json_schema unsupported; also
``json_schema_supported=False`` for every json_schema request). A request's own
``max_tokens``/``max_completion_tokens`` truncates too, as a real server would.

Tool calls: ``tools=[{"type": "function", "function": {"name": N, "parameters": S}}]``
with ``tool_choice`` naming N (or "required": the first tool) gets
``message.tool_calls`` whose ``arguments`` is JSON filled from S, ``content`` null,
``finish_reason`` "tool_calls". ``tool_choice`` "auto"/"none"/absent gets a normal
answer. Tool calls are not streamed (a 400 says so).

Quirks (``quirks=`` / ``--quirks``, default "openai"): whose structured-output and
tool-call behaviour to copy. Each was read from the server's own code or docs;
``vllm`` copies the releases before json_schema support (vLLM < 0.5.5).

``openai``
    As above: json_schema (strict), json_object and tools all supported.
``llama-cpp-python`` (``python -m llama_cpp.server``)
    json_schema: HTTP 500 ``{"error": {"message": "1 validation error: ...
    'msg': "Input should be 'text' or 'json_object'" ...", "type":
    "internal_server_error"}}``: its request model types ``response_format.type``
    as ``Literal["text", "json_object"]`` and its error handler turns every
    exception, validation included, into a 500 (llama_cpp/server/types.py,
    llama_types.py, errors.py; llama.cpp issue #23463). ``{"type": "json_object",
    "schema": S}`` is answered from S (it becomes the grammar); plain json_object as
    above. Only a *named* ``tool_choice`` forces a call (the arguments' grammar),
    answered with ``content`` null, the deprecated ``function_call`` too, ids
    ``call__0_<name>_cmpl-...``, finish_reason "tool_calls"; an unknown name is a
    500 "Tool choice 'N' not found in tools."; "required"/"auto" get plain text
    (llama_chat_format.chat_formatter_to_chat_completion_handler).
``vllm`` (vLLM before 0.5.5)
    json_schema: HTTP 400 ``{"object": "error", "type": "BadRequestError", "code":
    400, "message": "[{'type': 'literal_error', 'loc': ('body', 'response_format',
    'type'), 'msg': "Input should be 'text' or 'json_object'" ...}, {'type':
    'extra_forbidden', ...}]"}`` (ResponseFormat with ``extra="forbid"``; the
    RequestValidationError handler answers 400). ``{"type": "json_object", "schema":
    S}`` is a 400 too (``extra_forbidden`` for "schema"); plain json_object as
    above. A body
    ``guided_json`` (the SDK's ``extra_body``; a schema or its JSON text) is what the
    answer is filled from. A named ``tool_choice`` is answered with ``content`` ""
    and finish_reason "stop" (vLLM sets "tool_calls" only for auto tool parsing),
    ids ``chatcmpl-tool-...``; "required" is a 400 'tool_choice = "required" is not
    supported!' (before 0.8.3).
``ollama`` (``/v1/chat/completions``)
    json_schema: answered from ``json_schema.schema`` (``strict`` is not read);
    json_object: as above (Ollama's format "json"); any other type, and a top-level
    ``format`` field, are ignored: that endpoint's request struct has no ``format``
    (it belongs to the native ``/api/chat``), so the answer is text. ``tool_choice``
    is not read either: with ``tools`` the model decides, and the fake always calls
    the first tool, with ``content`` "", ``index`` 0, ids ``call_xxxxxxxx``,
    finish_reason "tool_calls" (openai/openai.go).
"""

from summarise.evaluation.recordings import (
    SECRET_HEADERS,
    cassette_vcr,
    is_synthetic,
    scrub_request,
    scrub_response,
    vcr_config,
)
from summarise.testing._faults import FAULT_KINDS, FaultInjector, parse_rates
from summarise.testing._fill import SchemaError, SchemaFiller
from summarise.testing._quirks import QUIRKS
from summarise.testing._reply import JSON_SCHEMA_UNSUPPORTED, REFUSAL_TEXT, Settings
from summarise.testing._server import FakeOpenAIServer, RecordedRequest, ServerStats
from summarise.testing._source import Source, find_source

__all__ = [
    "FAULT_KINDS",
    "JSON_SCHEMA_UNSUPPORTED",
    "QUIRKS",
    "REFUSAL_TEXT",
    "SECRET_HEADERS",
    "FakeOpenAIServer",
    "FaultInjector",
    "RecordedRequest",
    "SchemaError",
    "SchemaFiller",
    "ServerStats",
    "Settings",
    "Source",
    "cassette_vcr",
    "find_source",
    "is_synthetic",
    "parse_rates",
    "scrub_request",
    "scrub_response",
    "vcr_config",
]
