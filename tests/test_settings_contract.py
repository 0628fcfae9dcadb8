"""Settings reach every cache: one typed object, overrides checked, nothing left in the default folders.

Every test here runs with ``HOME`` and ``XDG_CACHE_HOME`` pointed at empty folders and the
``SUMMARISE_*``/``OPENAI_*`` variables unset (the session's own ``SUMMARISE_CACHE_DIR`` too), so a
cache written anywhere but where the settings say shows up as a file in one of those folders.
The working directory is an empty folder as well, to catch caches written relative to it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tiktoken.registry

from summarise.api import summarise_pack
from summarise.cli import main
from summarise.engines.model.cache import DB_NAME
from summarise.errors import ConfigurationError
from summarise.settings import ENV_VARS, Settings, SettingsOverrides, default_cache_dir
from summarise.testing import FakeOpenAIServer
from summarise.text.tokens import encoding_for, offline_encoding

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample-pack.pdf"


@dataclass(frozen=True)
class Sandbox:
    home: Path
    xdg: Path  # XDG_CACHE_HOME
    cwd: Path
    out: Path  # for outputs the tests ask for; not a cache folder
    tmp: Path  # for cache folders the tests name

    def stray_files(self) -> list[str]:
        """Everything under HOME, XDG_CACHE_HOME and the working directory."""
        return [str(p) for root in (self.home, self.xdg, self.cwd) for p in sorted(root.rglob("*"))]


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    box = Sandbox(*(tmp_path / name for name in ("home", "xdg", "cwd", "out", "tmp")))
    for folder in (box.home, box.xdg, box.cwd, box.out, box.tmp):
        folder.mkdir()
    monkeypatch.setenv("HOME", str(box.home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(box.xdg))
    for var in ENV_VARS:  # OPENAI_API_KEY, OPENAI_BASE_URL, SUMMARISE_CACHE_DIR, SUMMARISE_NO_CACHE, ...
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(box.cwd)
    return box


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as fake:
        yield fake


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def summary_json(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> Path:
    """A summary of the example for ``verify`` to check, written without any cache."""
    summary = sandbox.out / "summary.json"
    argv = ["run", str(EXAMPLE), "--engine", "extractive", "--no-cache", "--quiet", "-o", str(summary)]
    code, _, err = cli(argv, capsys)
    assert code == 0, err
    return summary


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


# --- the typed overrides ---------------------------------------------------------------------------


def test_settings_overrides_has_exactly_the_settings_fields() -> None:
    assert set(SettingsOverrides.__annotations__) == set(Settings.model_fields)
    assert SettingsOverrides.__required_keys__ == frozenset()  # every override is optional


def test_the_sandbox_moves_the_default_cache(sandbox: Sandbox) -> None:
    assert default_cache_dir() == sandbox.xdg / "summarise"
    assert Settings().cache_dir == sandbox.xdg / "summarise"


# --- unknown settings are rejected before any work -------------------------------------------------


@pytest.mark.parametrize("typed", [False, True], ids=["from-env", "settings-object"])
def test_unknown_setting_is_rejected_by_the_extractive_engine(sandbox: Sandbox, typed: bool) -> None:
    settings = Settings(cache_dir=sandbox.tmp / "cache") if typed else None
    with pytest.raises(ConfigurationError, match="modle"):
        summarise_pack(EXAMPLE, "extractive", settings=settings, modle="x")  # type: ignore[call-arg]
    assert sandbox.stray_files() == [] and files_in(sandbox.tmp) == []  # nothing was even read


@pytest.mark.parametrize("typed", [False, True], ids=["from-env", "settings-object"])
def test_unknown_setting_is_rejected_by_the_model_engine_before_any_call(
    sandbox: Sandbox, server: FakeOpenAIServer, typed: bool
) -> None:
    overrides: dict[str, Any] = {"modle": "x"}
    if typed:
        settings: Settings | None = Settings(base_url=server.base_url, cache_dir=sandbox.tmp / "cache")
    else:
        settings, overrides["base_url"] = None, server.base_url
    with pytest.raises(ConfigurationError, match="modle"):
        summarise_pack(EXAMPLE, "llm", settings=settings, **overrides)
    assert server.stats.calls == 0 and server.requests == [] and server.stats.other_requests == {}
    assert sandbox.stray_files() == [] and files_in(sandbox.tmp) == []


# --- the CLI: bad flags and values are one line, never a traceback ---------------------------------


@pytest.mark.parametrize("engine", ["extractive", "llm"])
@pytest.mark.parametrize(
    ("flag", "value", "named"),
    [
        ("--concurrency", "0", "concurrency"),
        ("--timeout", "0", "timeout"),
        ("--max-cost", "-1", "max_cost"),
        ("--base-url", "localhost:8080", "base_url"),
    ],
)
def test_cli_rejects_a_bad_setting_in_one_line(
    sandbox: Sandbox,
    server: FakeOpenAIServer,
    capsys: pytest.CaptureFixture[str],
    engine: str,
    flag: str,
    value: str,
    named: str,
) -> None:
    argv = ["run", str(EXAMPLE), "--engine", engine, "-o", str(sandbox.out / "s.md"), flag, value]
    if engine == "llm" and flag != "--base-url":
        argv += ["--base-url", server.base_url]
    code, out, err = cli(argv, capsys)
    assert code == 2
    assert "Traceback" not in err and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("summarise: error:") and named in err
    assert server.stats.calls == 0
    assert not (sandbox.out / "s.md").exists() and sandbox.stray_files() == []


@pytest.mark.parametrize("engine", ["extractive", "llm"])
def test_cli_rejects_a_bad_setting_from_the_environment_in_one_line(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    monkeypatch.setenv("SUMMARISE_CONCURRENCY", "0")
    argv = ["run", str(EXAMPLE), "--engine", engine, "--base-url", "http://127.0.0.1:9/v1"]
    code, _, err = cli(argv, capsys)
    assert code == 2
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and "concurrency" in err


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--modle", "x"], "--modle"),
        (["--concurrency", "zero"], "--concurrency"),
        (["--structured", "xml"], "--structured"),
        (["--engine", "gpt"], "--engine"),
    ],
)
def test_cli_rejects_an_unknown_flag_or_unparseable_value(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], args: list[str], named: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["run", str(EXAMPLE), *args])
    _, err = capsys.readouterr()
    assert exited.value.code == 2
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if "error:" in line]  # argparse prints usage first
    assert len(errors) == 1 and errors == err.strip().splitlines()[-1:] and named in errors[0]
    assert sandbox.stray_files() == []


# --- a typed Settings object, and overrides on top of it --------------------------------------------


def test_a_settings_object_decides_where_the_cache_goes(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUMMARISE_CACHE_DIR", str(sandbox.tmp / "env"))  # settings= wins over the environment
    cache = sandbox.tmp / "typed"
    summary = summarise_pack(EXAMPLE, "extractive", settings=Settings(cache_dir=cache))
    assert summary.items
    assert files_in(cache / "ingest")
    assert not (sandbox.tmp / "env").exists() and sandbox.stray_files() == []


def test_overrides_apply_on_top_of_a_settings_object(sandbox: Sandbox) -> None:
    first, second = sandbox.tmp / "first", sandbox.tmp / "second"
    settings = Settings(cache_dir=first, concurrency=2)
    summary = summarise_pack(EXAMPLE, "extractive", settings=settings, cache_dir=second)
    assert summary.items
    assert files_in(second / "ingest") and not first.exists()
    assert settings.cache_dir == first  # the caller's object is left as it was

    summarise_pack(EXAMPLE, "extractive", settings=settings, use_cache=False)
    assert not first.exists() and sandbox.stray_files() == []


def test_an_override_with_a_bad_value_is_a_configuration_error(sandbox: Sandbox) -> None:
    with pytest.raises(ConfigurationError, match="concurrency"):
        summarise_pack(EXAMPLE, "extractive", settings=Settings(), concurrency=0)
    assert sandbox.stray_files() == []


# --- the CLI leaves nothing in the default cache folders --------------------------------------------


@pytest.mark.parametrize("engine", ["extractive", "llm"])
def test_run_with_no_cache_writes_no_cache(
    sandbox: Sandbox, server: FakeOpenAIServer, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    argv = ["run", str(EXAMPLE), "--engine", engine, "--no-cache", "--quiet", "--base-url", server.base_url]
    calls = []
    for n in range(2):
        out = sandbox.out / f"summary-{n}.md"
        code, _, err = cli([*argv, "-o", str(out)], capsys)
        assert code == 0, err
        assert out.read_text(encoding="utf-8").strip()
        calls.append(server.stats.calls)
        server.reset()
    assert sandbox.stray_files() == []
    if engine == "llm":
        assert calls[0] > 0 and calls[1] == calls[0]  # nothing cached, so nothing read back either
    else:
        assert calls == [0, 0]


@pytest.mark.parametrize("engine", ["extractive", "llm"])
def test_run_with_cache_dir_writes_only_there(
    sandbox: Sandbox, server: FakeOpenAIServer, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    cache = sandbox.tmp / "cache"
    argv = ["run", str(EXAMPLE), "--engine", engine, "--cache-dir", str(cache), "--quiet"]
    argv += ["--base-url", server.base_url, "-o", str(sandbox.out / "summary.md")]
    code, _, err = cli(argv, capsys)
    assert code == 0, err
    assert files_in(cache / "ingest")
    assert sandbox.stray_files() == []
    if engine == "llm":
        assert (cache / DB_NAME).is_file()
        first = server.stats.calls
        server.reset()
        code, _, err = cli(argv, capsys)
        assert code == 0, err
        assert first > 0 and server.stats.calls == 0  # the second run is answered from DIR
        assert sandbox.stray_files() == []


@pytest.mark.parametrize("command", ["ingest", "estimate", "verify"])
def test_other_commands_with_no_cache_write_no_cache(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    argv = [command, str(EXAMPLE), "--no-cache"]
    if command == "verify":
        summary = summary_json(sandbox, capsys)
        argv = [command, str(summary), str(EXAMPLE), "--no-cache"]
    code, out, err = cli(argv, capsys)
    assert code in (0, 3) if command == "verify" else code == 0, err
    assert out.strip() and "Traceback" not in err
    assert sandbox.stray_files() == []


@pytest.mark.parametrize("command", ["ingest", "estimate", "verify"])
def test_other_commands_with_cache_dir_write_only_there(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    cache = sandbox.tmp / "cache"
    argv = [command, str(EXAMPLE), "--cache-dir", str(cache)]
    if command == "verify":
        summary = summary_json(sandbox, capsys)
        argv = [command, str(summary), str(EXAMPLE), "--cache-dir", str(cache)]
    code, _, err = cli(argv, capsys)
    assert code in (0, 3) if command == "verify" else code == 0, err
    assert files_in(cache / "ingest")
    assert sandbox.stray_files() == []


# --- with neither flag, the cache follows XDG_CACHE_HOME, else ~/.cache -----------------------------


@pytest.mark.parametrize("engine", ["extractive", "llm"])
def test_default_cache_follows_xdg_cache_home(
    sandbox: Sandbox, server: FakeOpenAIServer, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    argv = ["run", str(EXAMPLE), "--engine", engine, "--quiet", "--base-url", server.base_url]
    code, _, err = cli([*argv, "-o", str(sandbox.out / "summary.md")], capsys)
    assert code == 0, err
    default = sandbox.xdg / "summarise"
    assert files_in(default / "ingest")
    assert (default / DB_NAME).is_file() == (engine == "llm")
    assert files_in(sandbox.home) == [] and files_in(sandbox.cwd) == []
    assert all(p.is_relative_to(default) for p in files_in(sandbox.xdg))


def test_default_cache_without_xdg_is_under_home(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CACHE_HOME")
    code, _, err = cli(["ingest", str(EXAMPLE)], capsys)
    assert code == 0, err
    default = sandbox.home / ".cache" / "summarise"
    assert files_in(default / "ingest")
    assert all(p.is_relative_to(default) for p in files_in(sandbox.home))
    assert files_in(sandbox.xdg) == [] and files_in(sandbox.cwd) == []


def test_summarise_cache_dir_in_the_environment_replaces_the_default(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    env_cache = sandbox.tmp / "env"
    monkeypatch.setenv("SUMMARISE_CACHE_DIR", str(env_cache))
    argv = ["run", str(EXAMPLE), "--engine", "extractive", "--quiet", "-o", str(sandbox.out / "s.md")]
    code, _, err = cli(argv, capsys)
    assert code == 0, err
    assert files_in(env_cache / "ingest") and sandbox.stray_files() == []
    # A Settings made directly and a load_pack given none agree on where the caches are.
    from summarise.ingest.cache import default_dir

    assert Settings().ingest_cache_dir == default_dir() == env_cache / "ingest"


# --- caches that are not ours: tiktoken's -----------------------------------------------------------


def test_no_cache_writes_no_tiktoken_cache(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = sandbox.tmp / "TMPDIR"
    temp.mkdir()
    for var in ("TIKTOKEN_CACHE_DIR", "DATA_GYM_CACHE_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # what $TMPDIR sets in a fresh process
    monkeypatch.setattr(tiktoken.registry, "ENCODINGS", {})  # as if first used in this process
    encoding_for.cache_clear()
    offline_encoding.cache_clear()
    try:
        code, _, err = cli(["ingest", str(EXAMPLE), "--no-cache"], capsys)
    finally:
        encoding_for.cache_clear()
    assert code == 0, err
    assert files_in(temp) == [] and sandbox.stray_files() == []
