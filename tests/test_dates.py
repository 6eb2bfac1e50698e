"""Date stage: eventcoder.dates."""
from __future__ import annotations

import time
from datetime import date

import pytest

from eventcoder.dates import find_date_expressions, parse_published, resolve_date

PUB = "2025-02-13"  # a Thursday


@pytest.mark.parametrize("value,expected", [
    ("2025-03-14 14:23:08Z", "2025-03-14"),
    ("February 13, 2025 - 11:34 AMT", "2025-02-13"),
    ("2025-02-13T23:10:00+03:00", "2025-02-13"),
    ("Thu, 13 Feb 2025 10:00:00 GMT", "2025-02-13"),
    ("13 February 2025", "2025-02-13"),
    ("20250213", "2025-02-13"),
    (date(2025, 2, 13), "2025-02-13"),
    ("garbage", None), ("", None), (None, None),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("text,future,expected", [
    ("on Friday", False, "2025-02-07"),
    ("Friday", False, "2025-02-07"),
    ("on Thursday", False, "2025-02-13"),          # same day counts
    ("will meet on Friday", True, "2025-02-14"),
    ("will meet on Thursday", True, "2025-02-20"),
    ("next Friday", False, "2025-02-14"),
    ("last Wednesday", False, "2025-02-12"),       # agrees with dateparser
    ("last Thursday", False, "2025-02-06"),
    ("yesterday", False, "2025-02-12"),
    ("Yesterday", False, "2025-02-12"),
    ("today", False, "2025-02-13"),
    ("tonight", False, "2025-02-13"),
    ("this morning", False, "2025-02-13"),
    ("last night", False, "2025-02-12"),
    ("the day before", False, "2025-02-12"),
    ("the day before yesterday", False, "2025-02-11"),
    ("last week", False, "2025-02-06"),
    ("last month", False, "2025-01-01"),
    ("next month", False, "2025-03-01"),
    ("next week", False, "2025-02-20"),
    ("tomorrow", False, "2025-02-14"),
    ("three days ago", False, "2025-02-10"),
    ("February 13, 2025", False, "2025-02-13"),
    ("13 February 2025", False, "2025-02-13"),
    ("on March 6", False, "2024-03-06"),           # > published + 7 days in the past -> last year
    ("on March 6", True, "2025-03-06"),
    ("on Feb. 10", False, "2025-02-10"),
    ("Feb. 13", False, "2025-02-13"),
    ("on February 18", False, "2025-02-18"),       # within 7 days: keep the year
    ("on December 20", False, "2024-12-20"),
    ("in December 2024", False, "2024-12-01"),
    ("2025-02-13", False, "2025-02-13"),
    ("Sept. 5, 2024", False, "2024-09-05"),
    ("Friday, February 14", False, "2025-02-14"),
    ("the 5th of May", False, "2024-05-05"),
])
def test_resolve_date(text, future, expected):
    assert resolve_date(text, PUB, future=future) == expected


@pytest.mark.parametrize("text", [
    "officials may attend the talks", "They will March on the capital", "May", "Trump 2024",
    "in 2024", "no date here", "", None, "the March deadline",
])
def test_no_date(text):
    assert resolve_date(text, PUB) is None


def test_without_published_only_full_dates():
    assert resolve_date("on Friday", None) is None
    assert resolve_date("yesterday", None) is None
    assert resolve_date("on March 6", None) is None
    assert resolve_date("They met on February 13, 2025.", None) == "2025-02-13"
    assert resolve_date("in December 2024", None) == "2024-12-01"


def test_leftmost_wins_and_evidence():
    text = "Talks in Riyadh on Tuesday followed a call on February 12, 2025 and yesterday's meeting."
    assert resolve_date(text, PUB) == "2025-02-11"
    spans = find_date_expressions(text, PUB)
    assert [iso for _, _, iso in spans] == ["2025-02-11", "2025-02-12", "2025-02-12"]
    s, e, _ = spans[1]
    assert text[s:e] == "February 12, 2025"
    assert find_date_expressions("nothing", PUB) == []


def test_published_accepts_date_objects():
    assert resolve_date("yesterday", date(2025, 3, 1)) == "2025-02-28"


def test_invalid_dates_ignored():
    assert resolve_date("on February 30, 2025", PUB) is None
    assert resolve_date("2025-13-01", PUB) is None


def test_timing():
    s1 = "The ministers met in Riyadh on Tuesday to discuss a ceasefire, officials said."
    s2 = "Nothing in this sentence refers to any point in time whatsoever, officials said."
    t = time.perf_counter()
    for i in range(10_000):
        resolve_date(s1 if i % 2 else s2, PUB)
    dt = time.perf_counter() - t
    print(f"10k resolve_date calls: {dt*1e3:.1f} ms")
    assert dt < 5.0
