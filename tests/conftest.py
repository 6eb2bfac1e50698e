"""Shared fixtures: the third-party reference data lives in ../shared, read through a path."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EVENTCODER_SHARED", ROOT.parent / "shared")).resolve()
SAMPLES = ROOT / "samples"


def shared_path(*parts: str) -> Path:
    """Path into ../shared/data; skips the calling test with a clear reason when absent."""
    p = SHARED.joinpath("data", *parts)
    if not p.exists():
        pytest.skip(f"reference data not found at {p} (../shared is absent; set EVENTCODER_SHARED)")
    return p


@pytest.fixture
def seed_path() -> Path:
    return shared_path("seed", "ukraine-peace-talks-2025-02-13.txt")
