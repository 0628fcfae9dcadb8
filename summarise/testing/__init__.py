"""A local OpenAI-compatible server and cassette helpers, for tests and benchmarks.

>>> from summarise.testing import FakeOpenAIServer
>>> with FakeOpenAIServer(faults="429:0.1,500:0.1", seed=7) as server:  # doctest: +SKIP
...     client = openai.OpenAI(base_url=server.base_url, api_key="test", max_retries=0)
...     client.chat.completions.parse(model="gpt-4o-mini", messages=..., response_format=ItemDraft)
...     server.stats.calls

From the command line (prints the base URL, serves until Ctrl-C, prints stats as JSON)::

    python -m summarise.testing --port 8099 --latency 0.2 --tokens-per-second 80 \
        --faults "429:0.1,500:0.1,timeout:0.05" --script "429,ok,malformed" --seed 1

Endpoints: ``POST /v1/chat/completions`` (``stream`` true or not), ``GET /v1/models``,
``GET /v1/models/{id}``, ``GET /stats`` (``DELETE /stats`` zeroes it).

Answers: schema-valid JSON for ``response_format`` ``json_schema`` (the schema
filled), ``json_object`` (the schema found in a system/user message, else a
generic object), plain text without one. Text comes from the offline engine's
key sentences of the source (between ``<<<SOURCE`` and ``SOURCE>>>``, else the
user message); ``pages`` arrays cite the ``[page N]`` the sentences sit on. The
same request (streamed or not) always gets the same answer.

Faults (by rate and/or a script consumed first): ``429`` (Retry-After),
``500``/``502``/``503``, ``timeout`` (answer after ``timeout_seconds``), ``drop``
and ``reset`` (no response), ``malformed``, ``schema_invalid``, ``truncate``
(``finish_reason`` "length"), ``refusal``, ``400`` (json_schema unsupported; also
``json_schema_supported=False`` for every json_schema request). A request's own
``max_tokens``/``max_completion_tokens`` truncates too, as a real server would.
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
from summarise.testing._reply import JSON_SCHEMA_UNSUPPORTED, REFUSAL_TEXT, Settings
from summarise.testing._server import FakeOpenAIServer, RecordedRequest, ServerStats
from summarise.testing._source import Source, find_source

__all__ = [
    "FAULT_KINDS",
    "JSON_SCHEMA_UNSUPPORTED",
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
