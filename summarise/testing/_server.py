"""The HTTP side of the fake OpenAI server: sockets, threads, pacing, stats."""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from summarise.testing._batches import BatchAPI
from summarise.testing._faults import OK, FaultInjector
from summarise.testing._fill import SchemaError
from summarise.testing._prefix import PrefixCache
from summarise.testing._quirks import DEFAULT_QUIRKS, check_quirks
from summarise.testing._reply import Reply, Settings, build_reply, error_reply, json_reply
from summarise.testing._stats import RecordedRequest, ServerStats, _Counters

__all__ = ["DEFAULT_MODELS", "LOOPBACK", "FakeOpenAIServer", "RecordedRequest", "ServerStats"]

log = logging.getLogger(__name__)
BAD_KEY = "Incorrect API key provided (synthetic)."

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEFAULT_MODELS = ("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "summarise-fake")
_CHAT_PATHS = ("/v1/chat/completions", "/chat/completions")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default of 5 makes bursts of connects wait for SYN retries
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], owner: FakeOpenAIServer) -> None:
        self.owner = owner
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that time out or hang up are normal here; anything else is a bug worth a traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            log.debug("client %s went away: %s", client_address, exc)
        else:
            log.error("error serving %s", client_address, exc_info=True)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def close_open_sockets(self) -> None:
        with self.sockets_lock:
            sockets = list(self.open_sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def _model_card(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 1_767_225_600, "owned_by": "summarise-testing"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer
    timeout = 60  # idle keep-alive connections end after this

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without this, Nagle plus
        # delayed ACKs add ~40 ms to every keep-alive call.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def do_GET(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0].rstrip("/")
        if path in ("/v1/models", "/models"):
            owner._count_other(f"GET {path}")
            data = [_model_card(m) for m in owner.models]
            self._send(json_reply(200, {"object": "list", "data": data}))
        elif path.startswith(("/v1/models/", "/models/")):
            owner._count_other("GET /v1/models/{id}")
            name = path.split("/models/", 1)[1]
            if name in owner.models:
                self._send(json_reply(200, _model_card(name)))
            else:
                self._send(
                    error_reply(404, f"The model '{name}' does not exist", "invalid_request_error", OK)
                )
        elif path in ("/stats", "/v1/stats"):
            self._send(json_reply(200, owner.stats.to_dict()))
        elif path in ("/health", "/v1/health"):
            self._send(json_reply(200, {"status": "ok"}))
        elif owner.batches.handles(path):  # Files and Batches APIs (_batches.py)
            if self._authorised():
                self._send(owner.batches.get(path, self.path.partition("?")[2]))
        else:
            owner._count_other(f"GET {path}")
            self._send(error_reply(404, f"Unknown path {path}", "invalid_request_error", OK))

    def do_DELETE(self) -> None:
        path = self.path.split("?", 1)[0].rstrip("/")
        if path in ("/stats", "/v1/stats"):  # lets a benchmark zero the counters between runs
            self.server.owner.reset()
            self._send(json_reply(200, self.server.owner.stats.to_dict()))
        else:
            self._send(error_reply(404, f"Unknown path {path}", "invalid_request_error", OK))

    def do_POST(self) -> None:
        arrived = time.monotonic()
        owner = self.server.owner
        body = self._read_body()
        path = self.path.split("?", 1)[0].rstrip("/")
        if owner.batches.handles(path):  # Files and Batches APIs (_batches.py)
            if self._authorised():
                self._send(owner.batches.post(path, body, self.headers.get("Content-Type", "")))
            return
        if path not in _CHAT_PATHS:
            owner._count_other(f"POST {path}")
            self._send(error_reply(404, f"Unknown path {path}", "invalid_request_error", OK))
            return
        if not self._has_key():
            reply = error_reply(401, BAD_KEY, "invalid_request_error", OK)
            self._send(reply, owner._record(body, reply, arrived), arrived)
            return
        fault = owner._faults.next()
        try:
            reply = build_reply(body, fault, owner.settings, owner.prefixes)
        except SchemaError as exc:  # a schema the filler cannot satisfy: say so, as a server would
            reply = error_reply(
                400, f"invalid schema for response_format: {exc}", "invalid_request_error", OK
            )
        index = owner._record(body, reply, arrived)
        if reply.action == "drop":
            self._drop(abort=False)
        elif reply.action == "reset":
            self._drop(abort=True)
        else:
            self._send(reply, index, arrived)

    def _has_key(self) -> bool:
        """Whether the request carries the server's key (any, when it has none)."""
        expected = self.server.owner.api_key
        return expected is None or self.headers.get("Authorization") == f"Bearer {expected}"

    def _authorised(self) -> bool:
        """:meth:`_has_key`, answering 401 if not (a request the server does not record)."""
        has = self._has_key()
        if not has:
            self._send(error_reply(401, BAD_KEY, "invalid_request_error", OK))
        return has

    def _drop(self, *, abort: bool) -> None:
        """Close the connection without a response (FIN, or RST when ``abort``)."""
        self.close_connection = True
        try:
            if abort:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send(self, reply: Reply, index: int | None = None, arrived: float | None = None) -> None:
        """Send ``reply``; ``index``: the recorded request it answers, stamped when it has gone.

        Its delay runs from ``arrived`` (the request's arrival), so the time spent building the
        answer is part of the latency, as a model's reading of its prompt is, not added to it."""
        owner = self.server.owner
        settings = owner.settings
        delay = reply.delay + (settings.latency if reply.status == 200 else 0.0)
        tps = settings.tokens_per_second
        if not reply.stream and reply.status == 200 and tps:
            delay += reply.completion_tokens / tps
        if delay > 0 and not owner._work(delay, arrived):
            self.close_connection = True
            return
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.stream:
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Connection", "keep-alive")
                self.end_headers()
                for data, tokens in zip(reply.events, reply.event_tokens, strict=True):
                    if tps and tokens and owner._stopping.wait(tokens / tps):
                        self.close_connection = True
                        return
                    self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                    self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
            self.wfile.flush()
            if index is not None:
                owner._counters.answered_now(index)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError) as exc:
            log.debug("client went away before the reply was sent: %s", exc)
            self.close_connection = True


class FakeOpenAIServer:
    """An OpenAI-compatible chat server on loopback, for tests and benchmarks.

    >>> with FakeOpenAIServer(faults="429:0.1", seed=1) as server:  # doctest: +SKIP
    ...     client = openai.OpenAI(base_url=server.base_url, api_key="test", max_retries=0)
    ...     client.chat.completions.create(model="gpt-4o-mini", messages=[...])
    ...     server.stats.calls

    Settings (``latency``, ``tokens_per_second``, ``json_schema_supported``,
    ``retry_after``, ``timeout_seconds``, ``quirks``) may be changed while it runs;
    :meth:`set_faults` replaces the fault rates and script. ``quirks`` picks whose
    structured-output and tool-call behaviour to copy: "openai" (default),
    "llama-cpp-python", "vllm" or "ollama" (see the package docstring).
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        tokens_per_second: float | None = None,
        faults: str | Mapping[str, float] | None = None,
        script: Iterable[str] | None = None,
        seed: int = 0,
        timeout_seconds: float = 30.0,
        retry_after: float = 1.0,
        json_schema_supported: bool = True,
        api_key: str | None = None,
        models: Iterable[str] = DEFAULT_MODELS,
        quirks: str = DEFAULT_QUIRKS,
        slots: int | None = None,
    ) -> None:
        if host not in LOOPBACK:
            raise ValueError(f"the fake server only listens on loopback, not {host!r}")
        if latency < 0 or timeout_seconds < 0 or retry_after < 0:
            raise ValueError("latency, timeout_seconds and retry_after must not be negative")
        if tokens_per_second is not None and tokens_per_second <= 0:
            raise ValueError("tokens_per_second must be positive")
        if slots is not None and slots < 1:
            raise ValueError("slots must be at least 1")
        self.host = host
        # Answers the server works on at once (llama-cpp-python: one). The rest queue, and a queued
        # request whose client gave up is still worked on when its turn comes, as a real server does.
        self._slots = threading.Semaphore(slots) if slots else None
        self.prefixes = PrefixCache()  # OpenAI-style prompt caching, reported in usage
        self._requested_port = port
        self.settings = Settings(
            json_schema_supported=json_schema_supported,
            retry_after=retry_after,
            timeout_seconds=timeout_seconds,
            latency=latency,
            tokens_per_second=tokens_per_second,
            quirks=check_quirks(quirks),
        )
        self.api_key = api_key
        self.models = tuple(models)
        self._faults = FaultInjector(faults, script, seed)
        self.batches = BatchAPI(self)  # /v1/files and /v1/batches: delay, script of plans (_batches.py)
        self._counters = _Counters()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._port: int | None = None
        self._thread: threading.Thread | None = None

    def _work(self, seconds: float, since: float | None = None) -> bool:
        """Spend ``seconds`` on an answer, counted from ``since`` (default now), in a slot if slots
        are limited (then from when the slot is had: a queued request waits for its turn first);
        False when stopping."""
        if self._slots is None:
            left = seconds if since is None else seconds - (time.monotonic() - since)
            return not self._stopping.wait(left) if left > 0 else not self._stopping.is_set()
        while not self._slots.acquire(timeout=0.05):
            if self._stopping.is_set():
                return False
        try:
            return not self._stopping.wait(seconds)
        finally:
            self._slots.release()

    # -- settings that tests change at run time ----------------------------------------
    def _set(self, **changes: Any) -> None:
        self.settings = replace(self.settings, **changes)

    @property
    def latency(self) -> float:
        return self.settings.latency

    @latency.setter
    def latency(self, value: float) -> None:
        self._set(latency=value)

    @property
    def tokens_per_second(self) -> float | None:
        return self.settings.tokens_per_second

    @tokens_per_second.setter
    def tokens_per_second(self, value: float | None) -> None:
        self._set(tokens_per_second=value)

    @property
    def json_schema_supported(self) -> bool:
        return self.settings.json_schema_supported

    @json_schema_supported.setter
    def json_schema_supported(self, value: bool) -> None:
        self._set(json_schema_supported=value)

    @property
    def quirks(self) -> str:
        return self.settings.quirks

    @quirks.setter
    def quirks(self, value: str) -> None:
        self._set(quirks=check_quirks(value))

    @property
    def retry_after(self) -> float:
        return self.settings.retry_after

    @retry_after.setter
    def retry_after(self, value: float) -> None:
        self._set(retry_after=value)

    @property
    def timeout_seconds(self) -> float:
        return self.settings.timeout_seconds

    @timeout_seconds.setter
    def timeout_seconds(self, value: float) -> None:
        self._set(timeout_seconds=value)

    def set_faults(
        self,
        faults: str | Mapping[str, float] | None = None,
        script: Iterable[str] | None = None,
        seed: int | None = None,
    ) -> None:
        """Replace the fault rates and script (both cleared when not given)."""
        self._faults.configure(faults, script, seed)

    @property
    def fault_rates(self) -> dict[str, float]:
        return dict(self._faults.rates)

    @property
    def script_left(self) -> list[str]:
        """Scripted faults not yet consumed."""
        return self._faults.script_left

    # -- lifecycle ----------------------------------------------------------------
    def start(self) -> FakeOpenAIServer:
        if self._httpd is not None:
            raise RuntimeError("server already started")
        if self._stopping.is_set():
            raise RuntimeError("a stopped server cannot be restarted; make a new one")
        self._httpd = _HTTPServer((self.host, self._requested_port), self)
        self._port = int(self._httpd.server_address[1])
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-openai-{self.port}",
            daemon=True,
        )
        self._thread.start()
        log.info("fake OpenAI server listening on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Stop serving, end open connections and sleeping replies."""
        self._stopping.set()
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.close_open_sockets()
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        log.info("fake OpenAI server on port %s stopped", httpd.server_address[1])

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._httpd is not None

    @property
    def port(self) -> int:
        """The port it listens (or, once stopped, listened) on."""
        if self._port is None:
            raise RuntimeError("server has not been started")
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What to give the openai SDK as ``base_url``."""
        return f"{self.url}/v1"

    # -- counting ----------------------------------------------------------------------
    @property
    def stats(self) -> ServerStats:
        with self._counters.lock:
            return self._counters.snapshot()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every chat call received, in order."""
        with self._counters.lock:
            return self._counters.recorded()

    def reset(self) -> None:
        """Zero the stats, forget recorded requests and cached prompts (faults are kept)."""
        with self._counters.lock:
            self._counters.clear()
        self.prefixes.clear()

    def _count_other(self, key: str) -> None:
        with self._counters.lock:
            self._counters.other[key] += 1

    def _record(self, raw: bytes, reply: Reply, arrived_at: float | None = None) -> int:
        return self._counters.record(raw, reply, arrived_at)
