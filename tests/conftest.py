from __future__ import annotations

from pathlib import Path

import pytest

from cronaca.pipeline import Pipeline, default_pipeline

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return default_pipeline()


def shared_path(rel: str) -> Path:
    """A file under ../shared, or a skip with the reason when it is absent."""
    p = SHARED / rel
    if not p.exists():
        pytest.skip(f"{p} is not available (../shared is not beside this checkout)")
    return p
