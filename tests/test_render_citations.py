"""Every page citation, in Markdown as in HTML, is a link to the right file at that file's own page.

The HTML's links are followed in a real browser (tests/test_render_browser.py); here the Markdown is
read as CommonMark and must link exactly where the HTML does.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from render_samples import two_file_summary

import summarise
from summarise.cli import main
from summarise.models.summary import SourceFile
from summarise.render import pdf_folder_for, render_html, render_markdown

ROOT = Path(__file__).resolve().parents[1]
HTML_LINK = re.compile(r'<a href="([^"#]+#page=\d+)" title="[^"]*">([^<]+)</a>')


def markdown_links(markdown: str) -> list[tuple[str, str]]:
    tokens = MarkdownIt("commonmark").use(footnote_plugin).parse(markdown)
    found = []
    for inline in (t for t in tokens if t.children):
        children = inline.children or []
        for k, token in enumerate(children):
            if token.type == "link_open":
                found.append((str(token.attrs["href"]), children[k + 1].content))
    return found


def html_links(text: str) -> list[tuple[str, str]]:
    return [(html.unescape(href), html.unescape(label)) for href, label in HTML_LINK.findall(text)]


def test_markdown_links_where_the_html_does() -> None:
    summary = two_file_summary()
    md, page = markdown_links(render_markdown(summary)), html_links(render_html(summary))
    assert md and sorted(md) == sorted(page)


def test_multi_file_citations_name_the_file_and_its_own_page() -> None:
    markdown = render_markdown(two_file_summary())
    # pack pages 2, 5, 6: agenda.pdf's page 2 and reports.pdf's pages 2-3
    assert "_(agenda.pdf p. [2](agenda.pdf#page=2); reports.pdf pp. [2–3](reports.pdf#page=2))_" in markdown
    # the item's pages (pack 4-6) and the footnote's (pack 7)
    assert "reports.pdf pp. [1–3](reports.pdf#page=1)" in markdown
    assert "(reports.pdf p. [4](reports.pdf#page=4))" in markdown


def test_file_names_are_percent_encoded_relative_links() -> None:
    files = [
        SourceFile(file="my report (1).pdf", first_page=1, pages=3),
        SourceFile(file="javascript:alert(1)", first_page=4, pages=7),
    ]
    summary = two_file_summary().model_copy(update={"source_files": files})
    md = markdown_links(render_markdown(summary))
    assert ("my%20report%20%281%29.pdf#page=2", "2") in md
    assert ("javascript%3Aalert%281%29#page=2", "2–3") in md  # a relative path, never a scheme
    assert sorted(md) == sorted(html_links(render_html(summary)))


def test_a_real_run_links_the_example_pack() -> None:
    summary = summarise.summarise_pack(ROOT / "examples" / "sample-pack.pdf", engine="extractive")
    links = markdown_links(render_markdown(summary))
    cited = [para for item in summary.items for para in item.paragraphs if para.pages]
    assert len(links) > len(cited)  # paragraphs, key points, item pages and footnotes
    pages = summary.source_files[0].pages
    for href, label in links:
        file, page = href.split("#page=")
        assert file == "sample-pack.pdf" and 1 <= int(page) <= pages
        assert label.split("–")[0] == page


def test_links_lead_to_the_pdfs_from_where_the_summary_is_written() -> None:
    summary = two_file_summary()
    md = markdown_links(render_markdown(summary, pdf_folder="../papers"))
    assert md and all(href.startswith("../papers/") for href, _ in md)
    assert sorted(md) == sorted(html_links(render_html(summary, pdf_folder="../papers")))
    # a folder name is a path, never a scheme or a host
    hostile = markdown_links(render_markdown(summary, pdf_folder="javascript:x//evil.example"))
    assert all(href.startswith("javascript%3Ax/evil.example/") for href, _ in hostile)
    assert markdown_links(render_markdown(summary)) == [
        (href.removeprefix("../papers/"), label) for href, label in md
    ]


def test_pdf_folder_for_is_the_papers_folder_relative_to_the_output(tmp_path: Path) -> None:
    papers = tmp_path / "papers"
    out = tmp_path / "out" / "summary.md"
    assert pdf_folder_for([papers / "a.pdf", papers / "b.pdf"], out) == "../papers"
    assert pdf_folder_for([papers / "a.pdf"], tmp_path / "papers" / "s.md") == "."
    assert pdf_folder_for([papers / "a.pdf", tmp_path / "b.pdf"], out) is None  # several folders
    assert pdf_folder_for([papers / "a.pdf"], None) is None  # stdout: where it is read is unknown


def test_the_command_line_links_the_pack_from_the_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    pack = ROOT / "examples" / "sample-pack.pdf"
    code = main(["run", str(pack), "--engine", "extractive", "-q", "-o", str(out / "s.md")])
    assert code == 0
    links = markdown_links((out / "s.md").read_text(encoding="utf-8"))
    expected = Path(os.path.relpath(pack, out)).as_posix()
    assert links and all(href.split("#")[0] == expected for href, _ in links)
    assert all((out / href.split("#")[0]).resolve() == pack for href, _ in links)  # the link opens it
