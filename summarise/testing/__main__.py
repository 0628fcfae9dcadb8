"""``python -m summarise.testing``: run the fake OpenAI server until interrupted."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading

from summarise.testing._faults import FAULT_KINDS, parse_rates
from summarise.testing._quirks import DEFAULT_QUIRKS, QUIRKS
from summarise.testing._server import FakeOpenAIServer


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m summarise.testing",
        description="A local OpenAI-compatible chat server for tests and benchmarks (loopback only).",
    )
    p.add_argument("--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port (default: a free one, printed at start)")
    p.add_argument("--latency", type=float, default=0.0, metavar="S", help="seconds before each answer")
    p.add_argument("--tokens-per-second", type=float, default=None, metavar="N", help="output pace")
    p.add_argument(
        "--faults",
        default=None,
        metavar="SPEC",
        help=f'rates, e.g. "429:0.1,500:0.1,timeout:0.05"; kinds: {", ".join(FAULT_KINDS)}',
    )
    p.add_argument(
        "--script",
        default=None,
        metavar="LIST",
        help='faults in order before the rates, e.g. "429,ok,malformed"',
    )
    p.add_argument(
        "--seed", type=int, default=0, help="seed for fault draws (answers depend only on the request)"
    )
    p.add_argument("--timeout-seconds", type=float, default=30.0, help="how long a 'timeout' fault stalls")
    p.add_argument("--retry-after", type=float, default=1.0, help="Retry-After seconds on 429")
    p.add_argument("--no-json-schema", action="store_true", help="answer json_schema requests with a 400")
    p.add_argument(
        "--quirks",
        default=DEFAULT_QUIRKS,
        choices=QUIRKS,
        help="whose structured-output and tool-call behaviour to copy (default: openai)",
    )
    p.add_argument(
        "--slots", type=int, default=None, help="answers worked on at once, the rest queue (llama.cpp: 1)"
    )
    p.add_argument("--api-key", default=None, help="require this bearer key (default: accept any)")
    p.add_argument("-v", "--verbose", action="store_true", help="log each request")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO, format="%(message)s")
    try:
        parse_rates(args.faults)
        server = FakeOpenAIServer(
            host=args.host,
            port=args.port,
            latency=args.latency,
            tokens_per_second=args.tokens_per_second,
            faults=args.faults,
            script=[s for s in (args.script or "").split(",") if s.strip()],
            seed=args.seed,
            timeout_seconds=args.timeout_seconds,
            retry_after=args.retry_after,
            json_schema_supported=not args.no_json_schema,
            api_key=args.api_key,
            quirks=args.quirks,
            slots=args.slots,
        )
        server.start()
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    print(server.base_url, flush=True)
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print(json.dumps(server.stats.to_dict()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
