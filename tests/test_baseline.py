"""Scores on our gold and on external gold must not drop below the committed baseline.

The baseline (benchmarks/baseline.json) is written by
`python benchmarks/coder_eval.py --write-baseline` when a change improves a score; this
test fails when any score falls more than 0.005 below it. Sets missing from ../shared
are skipped by the benchmark itself (and then not compared).
"""

import subprocess
import sys
from pathlib import Path

from .conftest import shared_path

ROOT = Path(__file__).resolve().parents[1]


def test_scores_do_not_drop_below_the_baseline():
    shared_path("eval/gold/it_dev.jsonl")
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "coder_eval.py"), "--check"],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
