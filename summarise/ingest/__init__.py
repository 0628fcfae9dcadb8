"""Ingest: PDF (or text) files in, one :class:`~summarise.models.Meeting` out.

Reading (:mod:`.pdf`, :mod:`.pdfium`, :mod:`.workers`, :mod:`.cache`), cleaning (:mod:`.clean`), the front
sheet (:mod:`.frontsheet`) and finding the agenda items (:mod:`.agenda`). Nothing here knows
about engines, verification or rendering.
"""

from summarise.ingest.pack import load_pack
from summarise.ingest.spans import resolve_spans

__all__ = ["load_pack", "resolve_spans"]
