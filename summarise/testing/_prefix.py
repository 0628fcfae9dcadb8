"""Prompt caching as OpenAI reports it: a prompt of at least 1,024 tokens whose start matches an
earlier prompt's is answered with ``usage.prompt_tokens_details.cached_tokens`` set to the matched
length, in whole 128-token blocks. Prefixes are remembered as a hash chain over the blocks, so a
100k-token prompt costs one pass, not a comparison with every earlier prompt.
"""

from __future__ import annotations

import hashlib
import threading
from array import array
from collections.abc import Sequence

MIN_CACHED = 1_024
BLOCK = 128


class PrefixCache:
    """The prompt prefixes this server has seen (thread-safe; the server answers in threads)."""

    def __init__(self) -> None:
        self._seen: set[bytes] = set()
        self._lock = threading.Lock()

    def cached_tokens(self, token_ids: Sequence[int]) -> int:
        """Tokens of ``token_ids`` an earlier prompt started with (0 below 1,024); then remember it."""
        chain = b""
        blocks: list[tuple[int, bytes]] = []
        for end in range(BLOCK, len(token_ids) + 1, BLOCK):
            data = chain + array("I", token_ids[end - BLOCK : end]).tobytes()
            chain = hashlib.blake2b(data, digest_size=16).digest()
            blocks.append((end, chain))
        with self._lock:
            hit = 0
            for end, digest in blocks:
                if digest not in self._seen:
                    break
                hit = end
            self._seen.update(digest for _, digest in blocks)
        return hit if hit >= MIN_CACHED else 0

    def clear(self) -> None:
        with self._lock:
            self._seen.clear()
