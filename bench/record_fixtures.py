"""Re-record the committed evaluation fixtures against the local fake server, and re-baseline.

    python bench/record_fixtures.py [--fixtures tests/fixtures/eval] [--keep-old]

Records ``cassettes/<meeting>/<prompt-set>.yaml`` for every meeting against
``summarise.testing.FakeOpenAIServer`` (so the cassettes are synthetic and say so),
then writes the ``llm`` and ``extractive`` sections of ``baseline.json``, keeping its
tolerances. Only for fixtures built from synthetic packs: never point it at real ones
that would then be committed.
"""

from __future__ import annotations

import argparse
import os
import shutil
from pathlib import Path

from summarise.evaluation import cassette_folder, load_fixtures, run_eval
from summarise.testing import FakeOpenAIServer

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT / "tests" / "fixtures" / "eval")
    parser.add_argument("--keep-old", action="store_true", help="keep cassettes of earlier prompt sets")
    args = parser.parse_args()
    os.environ.pop("CI", None)  # recording is the point; CI itself never runs this
    if not args.keep_old:
        for fixture in load_fixtures(args.fixtures):
            shutil.rmtree(cassette_folder(args.fixtures, fixture.name), ignore_errors=True)
    baseline = args.fixtures / "baseline.json"
    with FakeOpenAIServer(seed=1) as server:
        outcome = run_eval(
            args.fixtures,
            baseline=baseline,
            update_baseline=True,
            record=True,
            base_url=server.base_url,
            api_key="synthetic-recording",
            model="gpt-4o-mini",
        )
        print(f"recorded {server.stats.calls} calls against {server.base_url}")
    print(outcome.table())
    offline = run_eval(args.fixtures, baseline=baseline, update_baseline=True, engine="extractive")
    print(offline.table())
    print(f"baseline written to {baseline}")


if __name__ == "__main__":
    main()
