"""The HTML a notebook reader navigates, read back with html.parser: citations link to the right
file and page, ids are namespaced per summary, findings sit under their items, long meetings get
contents, key-point kinds carry a label, and file names cannot inject markup."""

from __future__ import annotations

import re

from render_samples import two_file_summary
from test_render import _Collect, parse

from summarise.engines.base import source_files
from summarise.models.meeting import Meeting, MeetingInfo, Page
from summarise.models.summary import MeetingSummary
from summarise.render.page import _CSS, render_html, summary_id


def _links(html: str) -> list[tuple[str, str]]:
    """(href, text) of every citation link."""
    return re.findall(r'<a href="([^"#]+#page=\d+)" title="[^"]*">([^<]+)</a>', html)


def test_citations_link_to_each_files_own_page() -> None:
    html = render_html(two_file_summary())
    # The paragraph cites pack pages 2, 5 and 6: agenda.pdf p. 2, then reports.pdf pp. 2-3.
    assert (
        '<span class="pages">agenda.pdf p. <a href="agenda.pdf#page=2" title="agenda.pdf, page 2">2</a>; '
        'reports.pdf pp. <a href="reports.pdf#page=2" title="reports.pdf, page 2">2–3</a></span>'
    ) in html
    links = set(_links(html))
    assert ("reports.pdf#page=6", "6") in links  # the decision on pack page 9
    assert ("agenda.pdf#page=3", "3") in links and ("reports.pdf#page=1", "1") in links  # split at the file
    assert ("reports.pdf#page=4", "4") in links  # the footnote's definition, pack page 7
    assert not any(href.startswith(("agenda.pdf#page=4", "reports.pdf#page=7")) for href, _ in links)


def test_pages_map_from_ingests_pages_and_old_json_still_loads() -> None:
    pages = [Page(number=i + 1, text="x", source="a.pdf", source_page=i + 1) for i in range(3)]
    pages += [Page(number=4 + i, text="x", source="b b.pdf", source_page=i + 1) for i in range(2)]
    meeting = Meeting(info=MeetingInfo(sources=["a.pdf", "b b.pdf"]), pages=pages, items=[])
    files = source_files(meeting)
    assert [(f.file, f.first_page, f.pages) for f in files] == [("a.pdf", 1, 3), ("b b.pdf", 4, 2)]
    summary = two_file_summary().model_copy(update={"source_files": files})
    assert summary.locate(3) == ("a.pdf", 3) and summary.locate(5) == ("b b.pdf", 2)
    assert summary.locate(6) is None
    assert 'href="b%20b.pdf#page=1"' in render_html(summary)  # file names are URL-quoted
    old = summary.to_json().replace('"source_files"', '"ignored"')
    loaded = MeetingSummary.from_json(old)
    assert loaded.source_files == [] and loaded.locate(2) is None  # two files, no map: no link
    one = loaded.model_copy(update={"meeting": loaded.meeting.model_copy(update={"sources": ["x.pdf"]})})
    assert one.locate(2) == ("x.pdf", 2)  # one file: pack pages are its pages


def test_two_summaries_on_one_page_share_no_id_and_every_anchor_resolves() -> None:
    first, second = two_file_summary(created=0), two_file_summary(created=1)
    assert summary_id(first) != summary_id(second)
    doc = parse(render_html(first, standalone=False) + render_html(second, standalone=False))
    assert len(doc.ids) == len(set(doc.ids)) and len(doc.ids) == 2 * 17
    ids = set(doc.ids)
    inner = [h for h in doc.hrefs if h.startswith("#")]
    assert inner and all(h[1:] in ids for h in inner), [h for h in inner if h[1:] not in ids]
    for summary in (first, second):
        p = summary_id(summary)
        assert f"#{p}-fnref-1" in inner and f"#{p}-fn-1" in inner  # footnote and its back-link
        assert f"#{p}-checks" in inner  # the colophon leads to the findings


def test_findings_under_their_items_and_in_checks() -> None:
    summary = two_file_summary()
    html = render_html(summary)
    p = summary_id(summary)
    item2 = html[html.index(f'id="{p}-item-2"') : html.index(f'id="{p}-item-3"')]
    assert "“£9m”" in item2 and "Jo Bloggs" not in item2
    assert f'href="#{p}-check-1"' in item2
    item3 = html[html.index(f'id="{p}-item-3"') : html.index(f'id="{p}-item-4"')]
    assert "Jo Bloggs" in item3
    checks = html[html.index(f'id="{p}-checks"') :]
    assert checks.count('class="finding ') == 3  # both item findings and the synopsis's
    # errors first (£9m, then the synopsis's £1bn, which has no item), then the warning
    assert re.findall(r'href="#([^"]+)"', checks)[:2] == [f"{p}-finding-1", f"{p}-finding-3"]
    assert "See the checks." in html[html.index('class="colophon"') :]


def test_contents_only_for_long_meetings() -> None:
    long, short = two_file_summary(items=7), two_file_summary(items=5)
    p = summary_id(long)
    toc = render_html(long)
    toc = toc[toc.index(f'id="{p}-toc"') : toc.index("<h2>Summary</h2>")]
    assert re.findall(r'href="#([^"]+)"', toc) == [*(f"{p}-item-{n}" for n in range(1, 8)), f"{p}-checks"]
    assert "-toc" not in render_html(short)


def test_key_point_kinds_are_labelled_not_only_coloured() -> None:
    html = render_html(two_file_summary(items=1))
    for kind, label in (("figure", "Figure"), ("recommendation", "Recommendation"), ("decision", "Decision")):
        assert f'<li class="kp kp-{kind}"><span class="kind">{label}</span>' in html
        assert f"li.kp-{kind} .kind{{color:var(" in _CSS
    assert '<li class="kp kp-other">Consulted widely' in html


def test_theme_aware_colours_set_foreground_and_background() -> None:
    assert "color-scheme:light dark" in _CSS and "@media (prefers-color-scheme:dark)" in _CSS
    assert '[data-jp-theme-light="false"] .summarise' in _CSS and ".vscode-dark .summarise" in _CSS
    article = re.search(r"\.summarise\{font-family[^}]*\}", _CSS)
    assert (
        article and "color:var(--s-fg)" in article.group(0) and "background:var(--s-bg)" in article.group(0)
    )
    assert "#777" not in _CSS and "color:#" not in _CSS  # no fixed text colour that ignores the theme


def test_hostile_file_names_stay_text() -> None:
    summary = two_file_summary(items=1)
    evil = ['javascript:alert(1)".pdf', "<img src=x onerror=alert(2)>.pdf"]
    summary.meeting.sources = evil
    summary.source_files = [
        f.model_copy(update={"file": name}) for f, name in zip(summary.source_files, evil, strict=True)
    ]
    html = render_html(summary)
    doc = _Collect()
    doc.feed(html)
    assert "<img" not in html and "onerror=alert(2)&gt;.pdf" in html
    assert not any(h.lower().startswith("javascript:") for h in doc.hrefs)
    assert any(h.startswith("javascript%3Aalert%281%29%22.pdf#page=") for h in doc.hrefs), doc.hrefs
