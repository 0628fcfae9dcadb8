"""A local OpenAI-compatible server and cassette helpers, for tests and benchmarks.

>>> from summarise.testing import FakeOpenAIServer
>>> with FakeOpenAIServer(faults="429:0.1,500:0.1", seed=7) as server:  # doctest: +SKIP
...     client = openai.OpenAI(base_url=server.base_url, api_key="test", max_retries=0)

From the command line: ``python -m summarise.testing --port 8099 --faults "429:0.1"``.
Answers are schema-valid JSON for the request's ``response_format`` (or plain
text), their text chosen by the offline engine from the source in the request,
and the same request always gets the same answer.
"""

from summarise.testing._faults import FAULT_KINDS, FaultInjector, parse_rates
from summarise.testing._fill import SchemaError, SchemaFiller
from summarise.testing._reply import JSON_SCHEMA_UNSUPPORTED, REFUSAL_TEXT, Settings
from summarise.testing._server import FakeOpenAIServer, RecordedRequest, ServerStats
from summarise.testing._source import Source, find_source
from summarise.testing.cassettes import (
    SECRET_HEADERS,
    cassette_vcr,
    is_synthetic,
    scrub_request,
    scrub_response,
    vcr_config,
)

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
