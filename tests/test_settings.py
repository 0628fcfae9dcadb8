"""Settings from arguments and environment; the price table."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pydantic
import pytest

from summarise.engines.model.pricing import ModelPrice, PriceTable
from summarise.errors import ConfigurationError
from summarise.settings import Settings

KEY = "sk-synthetic-SECRET-abcdef0123456789"


def test_environment_is_read_in_one_place(tmp_path: Path) -> None:
    env = {
        "OPENAI_API_KEY": KEY,
        "OPENAI_BASE_URL": "http://127.0.0.1:8080/v1/",
        "SUMMARISE_MODEL": "llama3.1:8b",
        "SUMMARISE_TIMEOUT": "30",
        "SUMMARISE_CONCURRENCY": "8",
        "SUMMARISE_TEMPERATURE": "none",
        "SUMMARISE_SEED": "42",
        "SUMMARISE_STRUCTURED": "json_object",
        "SUMMARISE_MAX_COST": "1.5",
        "SUMMARISE_CACHE_DIR": str(tmp_path),
        "SUMMARISE_NO_CACHE": "1",
    }
    s = Settings.from_env(env)
    assert s.api_key is not None and s.api_key.get_secret_value() == KEY
    assert s.base_url == "http://127.0.0.1:8080/v1"
    assert (s.model, s.timeout, s.concurrency, s.seed) == ("llama3.1:8b", 30.0, 8, 42)
    assert s.temperature is None and s.structured == "json_object" and s.max_cost == 1.5
    assert s.cache_dir == tmp_path and s.use_cache is False


def test_arguments_win_and_none_is_ignored() -> None:
    env = {"SUMMARISE_MODEL": "gpt-4o", "SUMMARISE_CONCURRENCY": "2"}
    s = Settings.from_env(env, model="gpt-4.1-mini", concurrency=None, max_cost=None)
    assert s.model == "gpt-4.1-mini" and s.concurrency == 2 and s.max_cost is None
    assert Settings.from_env({}).model == "gpt-4o-mini"


def test_settings_are_frozen() -> None:
    s = Settings.from_env({})
    with pytest.raises(pydantic.ValidationError):
        s.model = "other"  # type: ignore[misc]
    assert s.model_copy(update={"model": "other"}).model == "other"


@pytest.mark.parametrize(
    ("env", "overrides", "fragment"),
    [
        ({"SUMMARISE_TIMEOUT": "soon"}, {}, "timeout"),
        ({}, {"concurrency": 0}, "concurrency"),
        ({}, {"structured": "xml"}, "structured"),
        ({}, {"base_url": "localhost:8080"}, "base_url"),
        ({}, {"max_output_tokens": 5000, "max_output_tokens_ceiling": 100}, "ceiling"),
        ({}, {"colour": "red"}, "colour"),
    ],
)
def test_configuration_errors_never_echo_the_key(
    env: dict[str, str], overrides: dict[str, object], fragment: str
) -> None:
    with pytest.raises(ConfigurationError, match=fragment) as info:
        Settings.from_env({"OPENAI_API_KEY": KEY, **env}, **overrides)
    assert KEY not in str(info.value)


def test_the_key_never_shows(caplog: pytest.LogCaptureFixture) -> None:
    s = Settings.from_env({"OPENAI_API_KEY": KEY})
    logging.getLogger("synthetic").warning("settings: %s %r", s, s)
    for text in (repr(s), str(s), s.model_dump_json(), json.dumps(s.public_dict()), caplog.text):
        assert KEY not in text
    assert s.public_dict()["api_key_set"] is True and "api_key" not in s.public_dict()


def test_api_key_needed_only_for_openai() -> None:
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        Settings.from_env({}).api_key_value()
    local = Settings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"})
    assert local.api_key_value() == "not-needed" and not local.is_openai
    assert Settings.from_env({"OPENAI_API_KEY": KEY}).api_key_value() == KEY


def test_prices_known_unknown_and_overridden(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    table = PriceTable()
    assert table.estimate("gpt-4o-mini", 1_000_000, 1_000_000).cost_usd == pytest.approx(0.75)
    assert table.estimate("gpt-4o-mini-2024-07-18", 2_000_000, 0).cost_usd == pytest.approx(0.30)
    assert table.estimate("openai/gpt-4o", 0, 1_000_000).cost_usd == pytest.approx(10.0)
    unknown = table.estimate("synthetic-local-model", 5000, 5000)
    assert unknown.cost_usd == 0.0 and unknown.known is False
    assert "synthetic-local-model" in caplog.text
    price_file = tmp_path / "prices.json"
    price_file.write_text(json.dumps({"synthetic-local-model": {"input": 1.0, "output": 2.0}}))
    table = PriceTable({"gpt-4o-mini": ModelPrice(input=1.0, output=1.0)}, price_file)
    assert table.estimate("synthetic-local-model", 1_000_000, 1_000_000).cost_usd == pytest.approx(3.0)
    assert table.estimate("gpt-4o-mini", 500_000, 500_000).cost_usd == pytest.approx(1.0)


def test_bad_price_file(tmp_path: Path) -> None:
    bad = tmp_path / "prices.json"
    bad.write_text('{"m": {"input": -1, "output": 1}}')
    with pytest.raises(ConfigurationError, match="price file"):
        PriceTable(price_file=bad)
    with pytest.raises(ConfigurationError, match="price file"):
        PriceTable(price_file=tmp_path / "missing.json")


def test_setting_errors_read_as_plain_words_with_the_likely_fix() -> None:
    import summarise
    from summarise.errors import ConfigurationError

    with pytest.raises(ConfigurationError) as typo:
        summarise.summarise_pack("examples/sample-pack.pdf", "extractive", concurency=3)  # type: ignore[call-arg]
    assert "'concurency' (did you mean 'concurrency'?)" in str(typo.value)
    with pytest.raises(ConfigurationError) as window:
        Settings.build(context_tokens=4_096, max_output_tokens=4_096)
    assert "Value error" not in str(window.value) and "context_tokens must exceed" in str(window.value)


def test_library_errors_name_settings_and_the_cli_names_flags() -> None:
    from summarise.cli.app import as_flags
    from summarise.engines.model.pricing import Budget, PriceTable
    from summarise.errors import ConfigurationError

    with pytest.raises(ConfigurationError) as caught:
        Budget(Settings(model="synthetic-local", max_cost=0.01), PriceTable())
    message = str(caught.value)
    assert "--" not in message and "the prices setting" in message
    assert "--prices (synthetic-local=IN,OUT" in as_flags(message) and "--max-cost" in as_flags(message)
