"""The HTML in a real headless browser (Debian's chromium): three summaries on one page, as in a
notebook, one plain, one under JupyterLab's dark-theme marker and one under VS Code's. A script in
the test page (not in the rendering) reads what Chromium computed: every id, every link (as
written and as resolved) and, for every element with its own text, the computed text colour and
the computed background it sits on (the nearest ancestor with one). Run once in the default
(light) scheme and once with ``--force-dark-mode`` (``prefers-color-scheme: dark``).

Skips, saying why, when no chromium is installed (``apt-get install -y chromium``).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from render_samples import two_file_summary

from summarise.render.page import render_html, summary_id

Runs = tuple[dict[str, Any], dict[str, Any], list[str]]  # light run, dark run, the summaries' ids
BROWSER = shutil.which("chromium") or shutil.which("chromium-headless-shell")
pytestmark = pytest.mark.skipif(
    BROWSER is None, reason="no chromium on PATH: `apt-get install -y chromium` to run the browser checks"
)

PROBE = """
function bg(el){for(;el;el=el.parentElement){const c=getComputedStyle(el).backgroundColor;
  if(c!=='rgba(0, 0, 0, 0)'&&c!=='transparent')return c;}return 'none';}
const out={ids:[],links:[],text:[],articles:[]};
document.querySelectorAll('article.summarise').forEach(a=>out.articles.push(
  [a.id,getComputedStyle(a).color,getComputedStyle(a).backgroundColor]));
document.querySelectorAll('[id]').forEach(e=>out.ids.push(e.id));
document.querySelectorAll('article a[href]').forEach(a=>out.links.push(
  [a.closest('article').id,a.getAttribute('href'),a.href,a.textContent]));
document.querySelectorAll('article.summarise, article.summarise *').forEach(e=>{
  if(![...e.childNodes].some(n=>n.nodeType===3&&n.textContent.trim()))return;
  out.text.push([e.closest('article').id,e.tagName+'.'+e.className,getComputedStyle(e).color,bg(e),
    e.textContent.trim().slice(0,40)]);});
document.getElementById('probe').textContent=JSON.stringify(out);
"""


def _page(tmp: Path) -> tuple[Path, list[str]]:
    summaries = [two_file_summary(created=n) for n in range(3)]
    frags = [render_html(s, standalone=False) for s in summaries]
    body = (
        f'{frags[0]}\n<div data-jp-theme-light="false">{frags[1]}</div>\n'
        f'<div class="vscode-dark">{frags[2]}</div>\n<pre id="probe"></pre>\n<script>{PROBE}</script>'
    )
    path = tmp / "notebook.html"
    path.write_text(f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>{body}</body></html>')
    return path, [summary_id(s) for s in summaries]


def _run(page: Path, tmp: Path, *flags: str) -> dict[str, Any]:
    assert BROWSER
    args = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp / 'profile'}"]
    done = subprocess.run(
        [*args, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=False
    )
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout, re.S)
    assert found and found.group(1), f"no probe output from chromium: {done.stderr[-500:]}"
    data: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return data


def _luminance(css: str) -> float:
    m = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", css)
    assert m, f"unexpected computed colour {css!r}"
    assert m.group(4) in (None, "1"), f"translucent colour {css!r}"

    def channel(v: str) -> float:
        c = int(v) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(m.group(i)) for i in (1, 2, 3))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    hi, lo = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    tmp = tmp_path_factory.mktemp("browser")
    page, prefixes = _page(tmp)
    return _run(page, tmp), _run(page, tmp, "--force-dark-mode"), prefixes


def test_ids_unique_and_every_anchor_resolves(runs: Runs) -> None:
    light, _, prefixes = runs
    ids = light["ids"]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert set(prefixes) <= set(ids)
    inner = [(art, href) for art, href, _, _ in light["links"] if href.startswith("#")]
    assert len(inner) > 30
    for art, href in inner:
        assert href[1:] in ids, href
        assert href[1:].startswith(art + "-"), (art, href)  # a summary links only inside itself


def test_citations_resolve_to_the_right_file_and_page(
    runs: Runs,
) -> None:
    light, _, _ = runs
    pdf = [(href, resolved, text) for _, href, resolved, text in light["links"] if "#page=" in href]
    assert pdf
    lengths = {"agenda.pdf": 3, "reports.pdf": 7}
    for href, resolved, _ in pdf:
        file, page = href.split("#page=")
        assert 1 <= int(page) <= lengths[file], href
        assert resolved.startswith("file:///") and resolved.endswith(
            f"/{file}#page={page}"
        )  # next to the page
    pairs = {(href, text) for href, _, text in pdf}
    # the paragraph cites pack pages 2, 5, 6 = agenda.pdf p. 2 and reports.pdf pp. 2-3
    assert {("agenda.pdf#page=2", "2"), ("reports.pdf#page=2", "2–3"), ("reports.pdf#page=6", "6")} <= pairs


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_contrast_in_each_theme(runs: Runs, scheme: str) -> None:
    light, dark, prefixes = runs
    data = light if scheme == "light" else dark
    assert data["text"]
    low = []
    for _, what, fg, bg, text in data["text"]:
        assert bg != "none", f"{what} ({text!r}) has no background: unreadable on a dark page"
        ratio = contrast(fg, bg)
        if ratio < 4.5:
            low.append(f"{what} {text!r}: {fg} on {bg} = {ratio:.2f}")
    assert not low, low
    # the plain summary follows the scheme; under Jupyter's and VS Code's dark markers, always dark
    shown = {art: (fg, bg) for art, fg, bg in data["articles"]}
    assert list(shown) == prefixes
    for art, (fg, bg) in shown.items():
        dark_bg = _luminance(bg) < 0.05
        assert dark_bg == (scheme == "dark" or art != prefixes[0]), (art, scheme, bg)
        assert (_luminance(fg) > 0.5) == dark_bg, (art, fg)
