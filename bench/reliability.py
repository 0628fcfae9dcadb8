"""The reliability report: bad input, injection and secrets, measured in one run.

    python bench/reliability.py            # print the report (Markdown)
    python bench/reliability.py --write    # and replace the results in RELIABILITY.md

1. Bad input: every file of the generated corpus (tests/badpdf.py: nothing committed) is loaded by
   ``summarise.load_pack`` in its own process; its outcome, time and peak memory are recorded.
2. Injection: the hostile strings of tests/test_hostile_render.py rendered to Markdown and read
   back with markdown-it-py, escaped (now) and raw (as before the escaping), counting live HTML,
   links, forged footnotes and headings; the prompt attacks of tests/test_hostile_prompt.py
   through the protocol, counting fences closed and page markers made.
3. Secrets: tests/test_secrets.py (the CLI in every scenario, grepped for a canary key).

The same checks are tests under tests/, which CI runs (README's ``python -m pytest -q``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import badpdf  # noqa: E402 - tests/ holds the corpus generator
import test_hostile_prompt as prompt_checks  # noqa: E402
import test_hostile_render as render_checks  # noqa: E402
from test_secrets import SCENARIOS  # noqa: E402

from summarise.engines.model.protocol import format_source, marked_blocks, page_block  # noqa: E402
from summarise.render import formats  # noqa: E402

LOAD = """
import json, sys, time
from summarise import load_pack
from summarise.errors import SummariseError
start = time.perf_counter()
try:
    meeting = load_pack(sys.argv[1], use_cache=False)
    out = {"outcome": "ok", "message": f"{len(meeting.pages)} pages, {len(meeting.items)} items"}
except SummariseError as exc:
    out = {"outcome": type(exc).__name__, "message": str(exc)}
except BaseException as exc:
    out = {"outcome": "UNTYPED " + type(exc).__name__, "message": str(exc)[:200]}
out["seconds"] = time.perf_counter() - start
print(json.dumps(out))
"""


def bad_input() -> list[str]:
    rows = ["| file | expected | outcome | message | s | peak MB |", "|---|---|---|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as folder:
        for name, (_, _, expected) in badpdf.CORPUS.items():
            path = badpdf.make(Path(folder), name)
            process = subprocess.Popen(
                [sys.executable, "-c", LOAD, str(path)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            out = json.loads(process.stdout.read() if process.stdout else "{}")
            stderr = process.stderr.read() if process.stderr else ""
            message = out["message"].replace(folder + "/", "").replace("|", "\\|")
            raw = (
                "pypdf" in stderr or "Traceback" in stderr
            )  # only summarise's own one-line warnings may show
            flag = "" if out["outcome"] == expected and not raw else " **(unexpected)**"
            rows.append(
                f"| {name} | {expected} | {out['outcome']}{flag} | {message[:150]} | "
                f"{out['seconds']:.2f} | {usage.ru_maxrss / 1024:.0f} |"
            )
    return rows


def _markdown_counts(markdown: str, summary: Any) -> dict[str, int]:
    md = render_checks._md()
    tokens = md.parse(markdown, {})
    flat = [t for tok in tokens for t in [tok, *(tok.children or [])]]
    html = md.render(markdown)
    defined = [t.meta["label"] for t in flat if t.type == "footnote_open"]
    own = {str(f.number) for f in summary.footnotes}
    return {
        "live HTML": sum(t.type in ("html_block", "html_inline") for t in flat),
        "links": sum(t.type in ("link_open", "image") for t in flat),
        "javascript: URLs": len(re.findall(r"""href="javascript:|src="javascript:""", html)),
        "footnotes not made": sum(label not in own for label in defined),
        "forged headings": sum(t.type == "heading_open" for t in flat) - (2 + len(summary.items)),
    }


def injection() -> list[str]:
    summary = render_checks.hostile_summary(render_checks.HOSTILE)
    escaped = _markdown_counts(formats.render_markdown(summary), summary)
    real = formats.md_text
    formats.md_text = lambda text, known=(), line_start=True: text  # type: ignore[assignment]
    try:
        raw = _markdown_counts(formats.render_markdown(summary), summary)
    finally:
        formats.md_text = real
    rows = [
        f"Markdown: {len(render_checks.HOSTILE)} hostile strings in every text field of a summary, read back "
        "with markdown-it-py (CommonMark, raw HTML on, footnotes, tables, strikethrough).",
        "",
        "| check | escaped (now) | raw (before) |",
        "|---|---:|---:|",
    ]
    rows += [f"| {k} | {escaped[k]} | {raw[k]} |" for k in escaped]
    fences = markers = 0
    for attack in prompt_checks.ATTACKS:
        text = format_source([(3, attack)])
        fences += len(prompt_checks.FENCE_LIKE.findall(text)) - 2
        markers += len(marked_blocks(page_block(3, attack))) - 1
    rows += [
        "",
        f"Prompt protocol: {len(prompt_checks.ATTACKS)} attacks (fence strings in any case and spacing, "
        f"`[page N]` anywhere) as page text: {fences} fence strings and {markers} page markers survive.",
    ]
    rows += _pytest("tests/test_hostile_render.py", "tests/test_hostile_prompt.py")
    return rows


def _pytest(*files: str) -> list[str]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *files],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    last = [line for line in done.stdout.splitlines() if " passed" in line or " failed" in line]
    result = last[-1] if last else done.stdout[-300:]
    took = time.perf_counter() - start
    return ["", f"`python -m pytest -q {' '.join(files)}`: {result.strip('= ')} ({took:.0f} s)"]


def secrets() -> list[str]:
    return [
        f"Scenarios: {', '.join(SCENARIOS)}. Each runs the CLI at `-vv` with the canary key in "
        "OPENAI_API_KEY and/or in the URL (user-info, `api-key=`/`key=` query); stdout, stderr and every "
        "file written (outputs, caches, cassettes) is searched for the key and a 16-character piece of it.",
        *_pytest("tests/test_secrets.py"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="replace the results in RELIABILITY.md")
    args = parser.parse_args()
    report = [
        f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, Python {sys.version.split()[0]}, "
        f"{os.cpu_count()} CPUs.",
        "",
        "### Bad input",
        "",
        *bad_input(),
        "",
        "### Injection",
        "",
        *injection(),
        "",
        "### Secrets",
        "",
        *secrets(),
    ]
    text = "\n".join(report) + "\n"
    print(text)
    if args.write:
        path = ROOT / "RELIABILITY.md"
        doc = path.read_text(encoding="utf-8")
        start, end = "<!-- results -->\n", "<!-- /results -->"
        head, _, rest = doc.partition(start)
        _, _, tail = rest.partition(end)
        path.write_text(f"{head}{start}{text}{end}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
