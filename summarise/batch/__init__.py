"""Many meetings in one run (``summarise batch``, :func:`summarise.summarise_many`).

One model client, call cache, concurrency limit and budget for the whole batch; results as
meetings finish; a failed meeting reported and the others carried on
(:mod:`~summarise.batch.runner`). Which meetings: :mod:`~summarise.batch.inputs` (folders,
manifests). The output folder and resuming: :mod:`~summarise.batch.outdir`. Ingest and the
offline engine on Dask: :mod:`~summarise.batch.cluster` (imported only with ``dask=``).
"""

from summarise.batch.inputs import MeetingLike, MeetingSpec, discover, meeting_specs, read_manifest
from summarise.batch.outdir import OutputFolder
from summarise.batch.runner import Batch, MeetingResult, asummarise_many, summarise_many

__all__ = [
    "Batch",
    "MeetingLike",
    "MeetingResult",
    "MeetingSpec",
    "OutputFolder",
    "asummarise_many",
    "discover",
    "meeting_specs",
    "read_manifest",
    "summarise_many",
]
