"""A recognisable key never appears in anything summarise prints, logs or writes.

Each scenario runs the real CLI in a subprocess (its own logging set-up, at -vv) against the fake
server, with the key in OPENAI_API_KEY and in the URL (user-info and an Azure-style ``api-key=``
query), then greps stdout, stderr and every file under the run's folder (outputs, caches,
cassettes) for the key and for a fragment of it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarise._redact import redact, register_secret
from summarise.testing import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sample-pack.pdf"
KEY = "sk-canary-7Q2v9XkL4mZp8RtW3nYb6Hs1"
FRAGMENT = "7Q2v9XkL4mZp8RtW"
AZURE_KEY = "f3a9c6e2b7d14e8fa0c5b9d2e6f1a4c8"  # 32 hex digits, as Azure keys are


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp: Path, extra: dict[str, str]) -> dict[str, str]:
    environment = {
        **os.environ,
        "OPENAI_API_KEY": KEY,
        "SUMMARISE_CACHE_DIR": str(tmp / "cache"),
        "SUMMARISE_MAX_RETRIES": "1",
        "SUMMARISE_MAX_RETRY_WAIT": "1",
        "NO_COLOR": "1",
        **extra,
    }
    environment.pop("OPENAI_BASE_URL", None)
    return environment


def assert_no_key(output: str, folder: Path) -> None:
    for secret in (KEY, FRAGMENT, AZURE_KEY):
        assert secret not in output, f"key in output:\n{output[-2000:]}"
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (KEY, FRAGMENT, AZURE_KEY):
                assert secret.encode() not in data, f"key in {path}"


RUN = ["run", str(EXAMPLE), "--engine", "llm"]
# name: (CLI arguments, environment, server faults, exit code wanted (None: any failure), text wanted)
SCENARIOS: dict[str, tuple[list[str], dict[str, str], str, int | None, str]] = {
    # (credentials in the URL itself fail: httpx sends them as Basic auth; see the 401 case)
    "success": ([*RUN, "--base-url", "{url}", "-o", "out.md"], {}, "", 0, ""),
    "401": (
        [*RUN, "--base-url", "{url}"],
        {"OPENAI_API_KEY": KEY + "-wrong"},
        "",
        None,
        "refused the credentials",
    ),
    "401-userinfo": ([*RUN, "--base-url", "{userinfo}"], {}, "", None, "refused the credentials"),
    "404-azure-query": ([*RUN, "--base-url", "{url}/x?api-key=" + AZURE_KEY], {}, "", None, "HTTP 404"),
    "404-userinfo": ([*RUN, "--base-url", "{userinfo}/nowhere"], {}, "", None, "HTTP 404"),
    "faults": ([*RUN, "--base-url", "{url}", "--no-fallback"], {}, "500:1.0", None, "kept failing"),
    "refusal": ([*RUN, "--base-url", "{url}", "--no-fallback"], {}, "refusal:1.0", None, "refus"),
    "connection-refused": ([*RUN, "--base-url", "{closed}/v1?key=" + AZURE_KEY], {}, "", None, "connect"),
    "key-as-base-url": ([*RUN, "--base-url", KEY], {}, "", None, "base_url must be an http(s) URL"),
    "estimate": (["estimate", str(EXAMPLE), "--base-url", "{userinfo}?api-key=" + AZURE_KEY], {}, "", 0, "$"),
    "eval-record": (["eval", "{fixtures}", "--record", "--base-url", "{url}"], {"CI": ""}, "", 0, ""),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[int, str, Path]]]:
    """Every scenario at once (each its own server and folder): (exit code, stdout+stderr, folder)."""
    with contextlib.ExitStack() as stack:
        running: dict[str, tuple[subprocess.Popen[str], Path]] = {}
        for name, (args, env, faults, _, _) in SCENARIOS.items():
            server = stack.enter_context(
                FakeOpenAIServer(api_key=KEY, retry_after=0.01, faults=faults or None)
            )
            folder = tmp_path_factory.mktemp(name)
            fixtures = folder / "tests" / "fixtures" / "eval"  # the fixtures name the pack by a relative path
            if name == "eval-record":
                shutil.copytree(ROOT / "tests" / "fixtures" / "eval", fixtures)
                shutil.rmtree(fixtures / "cassettes")
                (folder / "examples").mkdir()
                shutil.copy(EXAMPLE, folder / "examples")
            fill = {
                "url": server.base_url,
                "userinfo": server.base_url.replace("http://", f"http://{KEY}:{AZURE_KEY}@"),
                "closed": f"http://127.0.0.1:{_free_port()}",
                "fixtures": str(fixtures),
            }
            command = [sys.executable, "-m", "summarise", "-vv", *(a.format(**fill) for a in args)]
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=_env(folder, env),
                cwd=folder,
            )
            running[name] = (process, folder)
        results = {}
        for name, (process, folder) in running.items():
            out, _ = process.communicate(timeout=180)
            results[name] = (process.returncode, out, folder)
        yield results


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_no_scenario_shows_or_stores_the_key(outcomes: dict[str, tuple[int, str, Path]], name: str) -> None:
    code, out, folder = outcomes[name]
    wanted_code, wanted_text = SCENARIOS[name][3], SCENARIOS[name][4]
    assert (code == wanted_code) if wanted_code is not None else code not in (0, 3), out[-3000:]
    assert wanted_text in out, out[-3000:]
    assert "Traceback" not in out
    if name == "success":
        assert (folder / "out.md").exists()
    if name == "eval-record":
        assert list(folder.rglob("cassettes/**/*.yaml"))
    assert_no_key(out, folder)


def test_redact_masks_urls_queries_and_key_shapes() -> None:
    register_secret("plainsecretvalue")
    register_secret("short")  # too short to mask: it could be any word
    text = redact(
        f"http://me:pw@host/v1?api-version=2024&api-key={AZURE_KEY}&sig=abc "
        f"Authorization: Bearer {KEY} {KEY} and plainsecretvalue"
    )
    assert AZURE_KEY not in text and KEY not in text and "pw@" not in text and "plainsecretvalue" not in text
    assert "api-version=2024" in text and "host/v1" in text
    assert redact("a short word") == "a short word"


def test_a_library_users_own_log_handler_never_gets_the_key() -> None:
    """No CLI: an app's own handler at DEBUG sees httpx's request lines and ours, with keys masked."""
    import io
    import logging

    import summarise
    from summarise.errors import SummariseError

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    messages = []
    try:
        with FakeOpenAIServer(api_key=KEY, retry_after=0.01) as server:
            userinfo = server.base_url.replace("http://", f"http://{KEY}:{AZURE_KEY}@")
            for url in (server.base_url + "/x?api-key=" + AZURE_KEY, userinfo, server.base_url):
                try:
                    summarise.summarise_pack(
                        EXAMPLE,
                        "llm",
                        base_url=url,
                        api_key=KEY,
                        fallback=False,
                        max_retries=1,
                        use_cache=False,
                    )
                except SummariseError as error:
                    messages.append(str(error))
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    logged = stream.getvalue()
    assert "HTTP Request: POST" in logged  # httpx's request lines did reach the app's handler
    assert len(messages) == 2  # the 404 and the 401; the last run succeeds
    for secret in (KEY, FRAGMENT, AZURE_KEY):
        assert secret not in logged and not any(secret in m for m in messages)
