"""Summarise the bundled sample pack from Python and write Markdown, HTML and JSON.

    python examples/summarise_example.py [--engine extractive|llm|auto]

With no API key or base URL configured the offline ``extractive`` engine runs;
set OPENAI_API_KEY (or OPENAI_BASE_URL for a local server) to use a model.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import summarise
from summarise.render import pdf_folder_for, render_html, render_json, render_markdown

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", default="extractive", choices=("auto", "extractive", "llm"))
    parser.add_argument("--out", type=Path, default=HERE / "output")
    args = parser.parse_args()

    meeting = summarise.load_pack(HERE / "sample-pack.pdf")
    for item in meeting.items:
        pages = f"pages {item.start_page}-{item.end_page}" if item.has_papers else "no papers"
        print(f"{item.number:>3}  {item.title}  ({pages})")

    summary = summarise.summarise_pack(HERE / "sample-pack.pdf", engine=args.engine)
    args.out.mkdir(exist_ok=True)
    folder = pdf_folder_for([HERE / "sample-pack.pdf"], args.out / "sample-summary.md")  # links open the PDF
    (args.out / "sample-summary.md").write_text(render_markdown(summary, pdf_folder=folder), encoding="utf-8")
    (args.out / "sample-summary.html").write_text(render_html(summary, pdf_folder=folder), encoding="utf-8")
    (args.out / "sample-summary.json").write_text(render_json(summary), encoding="utf-8")
    print(f"wrote {args.out}/sample-summary.{{md,html,json}}: {len(summary.footnotes)} footnotes")


if __name__ == "__main__":
    main()
