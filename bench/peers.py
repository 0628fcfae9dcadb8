"""LangChain classic ``load_summarize_chain`` (map_reduce and refine) on the same fake server and pack.

Installed only for the bench (bench/requirements.txt); without it the rows say "not installed". The
peer reads the pack's text (summarise's extraction of every page, joined), split with LangChain's
RecursiveCharacterTextSplitter into chunks of the window less the answer's cap and 1,000 tokens,
counted with the same offline encoding (tiktoken's own download is not needed).
"""

from __future__ import annotations

import asyncio
import warnings
from typing import Any

from bench.common import MODEL, NOT_INSTALLED, Row, traffic
from bench.runs import UNBOUNDED, Setup, output_cap, page_text, peer_row, read_coverage
from summarise.text.tokens import count_tokens, offline_encoding

MARGIN = 1_000  # tokens left for LangChain's prompt around each chunk


def available() -> bool:
    try:
        import langchain_classic.chains.summarize  # noqa: F401, PLC0415
        import langchain_openai  # noqa: F401, PLC0415
        import langchain_text_splitters  # noqa: F401, PLC0415
    except ImportError:
        return False
    return True


def _chain(kind: str, base_url: str, window: int, concurrency: int) -> tuple[Any, int]:
    import httpx  # noqa: PLC0415
    from langchain_classic.chains.summarize import load_summarize_chain  # noqa: PLC0415
    from langchain_openai import ChatOpenAI  # noqa: PLC0415

    encode = offline_encoding().encode
    llm = ChatOpenAI(
        model=MODEL,
        base_url=base_url,
        api_key="bench",
        temperature=0,
        max_tokens=output_cap(window),
        max_retries=0,
        # LangChain's async map runs every chunk at once: the connection pool holds it to ``concurrency``.
        http_async_client=httpx.AsyncClient(limits=httpx.Limits(max_connections=concurrency), timeout=600),
        custom_get_token_ids=lambda text: encode(text, disallowed_special=()),
    )
    chunk = window - output_cap(window) - MARGIN
    if kind == "map_reduce":  # collapse the maps' summaries only when they overflow a chunk
        return load_summarize_chain(llm, chain_type=kind, token_max=chunk), chunk
    return load_summarize_chain(llm, chain_type=kind), chunk


def _documents(setup: Setup, chunk: int) -> list[Any]:
    from langchain_core.documents import Document  # noqa: PLC0415
    from langchain_text_splitters import RecursiveCharacterTextSplitter  # noqa: PLC0415

    text = "\n\n".join(text for _, text in page_text(setup.meeting))
    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk, chunk_overlap=0, length_function=count_tokens)
    return [Document(page_content=part) for part in splitter.split_text(text)]


def _invoke(setup: Setup, kind: str, window: int, concurrency: int) -> tuple[Any, int]:
    with setup.server() as server:
        chain, chunk = _chain(kind, server.base_url, window, concurrency)
        docs = _documents(setup, chunk)
        with warnings.catch_warnings():  # the fake's usage lacks some fields langchain-openai looks for
            warnings.simplefilter("ignore", UserWarning)
            asyncio.run(chain.ainvoke({"input_documents": docs}))
        return traffic(server, setup.latency), len(docs)


def langchain_row(setup: Setup, kind: str, window: int) -> Row:
    """Run with ``ainvoke`` (the sync chain maps one chunk at a time). map_reduce: maps at concurrency 8,
    its chain from a run without a limit; refine: one call after another, so its chain is its calls."""
    name = f"LangChain {kind}, {window // 1000}k"
    if not available():
        return Row(name=name, status=NOT_INSTALLED, note="pip install -r bench/requirements.txt")
    seen, chunks = _invoke(setup, kind, window, 8)
    if kind == "map_reduce":
        unbounded, _ = _invoke(setup, kind, window, UNBOUNDED)
        depth = max(1, round(unbounded.model_wall_s / setup.latency))
    else:
        depth = seen.calls
    sent = {n for n, _ in page_text(setup.meeting)}
    row = peer_row(
        name, setup, seen, depth, read_coverage(setup.meeting, sent), f"{chunks} chunks, chain {depth}"
    )
    row.extra["chunks"] = chunks
    return row
