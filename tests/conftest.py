"""Shared fixtures. The helpers they are built from are in support.py (ROOT, SHARED, SAMPLES,
shared_path, PatternCoder, Server, build_store ...); the third-party reference data lives in
../shared, read through a path."""
from __future__ import annotations

from pathlib import Path

import pytest

from support import ROOT, SAMPLES, SHARED, PatternCoder, build_store, make_doc as _make_doc, shared_path  # noqa: F401


@pytest.fixture
def seed_path() -> Path:
    return shared_path("seed", "ukraine-peace-talks-2025-02-13.txt")


@pytest.fixture
def make_doc():
    """support.make_doc: a Doc from a hand-given parse (words, heads, deps, pos, lemmas, ents)."""
    return _make_doc


@pytest.fixture
def pattern_coder() -> PatternCoder:
    """The deterministic stand-in coder (support.PatternCoder)."""
    return PatternCoder()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The dashboard corpus in a store of its own per test module (support.build_store); a module
    that defines its own `store` fixture uses that instead."""
    st = build_store(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    yield st
    st.close()


@pytest.fixture(scope="module")
def client(store):
    """A TestClient on the API and dashboard over `store`, coding with PatternCoder."""
    from fastapi.testclient import TestClient

    from eventcoder.api import create_app

    with TestClient(create_app(store, coder=PatternCoder()), base_url="http://127.0.0.1") as c:
        yield c
