"""The package's own imports form no cycle: data flows one way (ingest -> nlp -> actors ->
events/quotes -> store -> api/web). Read from the source with `ast`, deferred imports inside
functions included, so a cycle cannot hide in a function body (tests/support.import_graph)."""
from __future__ import annotations

from support import find_cycle, import_graph


def test_the_finder_sees_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_package_has_no_import_cycle():
    graph = import_graph()
    assert "eventcoder.positions" in graph["eventcoder.coder"]  # deferred imports are read too
    assert "eventcoder.positions" not in graph["eventcoder.quotes"]
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)
