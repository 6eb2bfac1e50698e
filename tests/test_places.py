"""Gazetteer stage: eventcoder.places."""
from __future__ import annotations

import time
from importlib import resources

import pytest

from eventcoder.model import Location
from eventcoder.places import COLUMNS, Gazetteer, country_of, lookup


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.default()


def test_default_is_cached(gz):
    assert Gazetteer.default() is gz


def test_gazetteer_file_columns():
    text = resources.files("eventcoder").joinpath("data/gazetteer.tsv").read_text("utf-8")
    lines = text.splitlines()
    assert tuple(lines[0].split("\t")) == COLUMNS
    assert len(lines) > 30000
    kinds = set()
    for line in lines[1:2000] + lines[-2000:]:
        parts = line.split("\t")
        assert len(parts) == len(COLUMNS)
        float(parts[3]), float(parts[4]), int(parts[6])
        assert parts[2] == "" or len(parts[2]) == 3
        kinds.add(parts[5])
    assert kinds <= {"country", "region", "capital", "city", "state", "alias"}


def test_munich(gz):
    loc = gz.lookup("Munich")
    assert isinstance(loc, Location)
    assert (loc.name, loc.country) == ("Munich", "DEU")
    assert loc.lat == pytest.approx(48.14, abs=0.05) and loc.lon == pytest.approx(11.58, abs=0.05)


def test_country_uses_capital_point(gz):
    loc = gz.lookup("Saudi Arabia")
    assert (loc.name, loc.country) == ("Saudi Arabia", "SAU")
    riyadh = gz.lookup("Riyadh")
    assert (loc.lat, loc.lon) == (riyadh.lat, riyadh.lon)


def test_venue_contains_place(gz):
    loc = gz.lookup("the Munich Security Conference")
    assert (loc.name, loc.country) == ("Munich", "DEU")


@pytest.mark.parametrize("text,country", [
    ("Russia's Kursk region", "RUS"), ("Kursk region", "RUS"), ("Kursk", "RUS"),
    ("Gaza", "PSE"), ("Gaza Strip", "PSE"), ("the Gaza Strip", "PSE"), ("West Bank", "PSE"),
    ("Crimea", "UKR"), ("Donbas", "UKR"), ("Kyiv", "UKR"), ("Kiev", "UKR"), ("Washington", "USA"),
    ("Riyadh", "SAU"), ("Geneva", "CHE"), ("Istanbul", "TUR"), ("Darfur", "SDN"), ("Tigray", "ETH"),
    ("Idlib", "SYR"), ("Golan Heights", "SYR"), ("Nagorno-Karabakh", "AZE"), ("Sinai", "EGY"),
    ("Kurdistan region", "IRQ"), ("Donetsk", "UKR"), ("Luhansk", "UKR"), ("Mumbai", "IND"),
    ("Bombay", "IND"), ("Kolkata", "IND"), ("Ho Chi Minh City", "VNM"), ("Tbilisi", "GEO"),
    ("Texas", "USA"), ("northern Gaza", "PSE"), ("eastern Ukraine", "UKR"), ("U.S.", "USA"),
    ("the United States", "USA"), ("UK", "GBR"), ("Sao Paulo", "BRA"), ("New York", "USA"),
])
def test_known_places(gz, text, country):
    loc = gz.lookup(text)
    assert loc is not None, text
    assert loc.country == country, (text, loc)


def test_kashmir_has_no_single_country(gz):
    loc = gz.lookup("Kashmir")
    assert loc is not None and loc.country is None


def test_washington_is_dc(gz):
    loc = gz.lookup("Washington")
    assert loc.lat == pytest.approx(38.9, abs=0.1) and loc.lon == pytest.approx(-77.04, abs=0.1)
    assert gz.lookup("Washington state").lat > 45


def test_kiev_kyiv_same(gz):
    assert gz.lookup("Kiev") == gz.lookup("Kyiv")


@pytest.mark.parametrize("text,country", [
    ("Paris", "FRA"), ("Tripoli", "LBY"), ("Georgia", "GEO"), ("Jordan", "JOR"),
    ("Paris, Texas", "USA"), ("Tripoli, Lebanon", "LBN"), ("Kursk, Russia", "RUS"),
])
def test_ambiguity(gz, text, country):
    assert gz.lookup(text).country == country


def test_country_preference(gz):
    assert gz.lookup("Paris", country="USA").country == "USA"
    assert gz.lookup("Paris", country="XXX").country == "FRA"  # falls back to the default reading


@pytest.mark.parametrize("text", [
    "Trump", "President", "", None, "nice", "mobile", "reading", "split", "of", "us", "Us",
    "the White House", "Vladimir Putin", "Security Council", "   ",
])
def test_not_places(gz, text):
    assert gz.lookup(text) is None


def test_capitalised_common_word_cities_still_match(gz):
    assert gz.lookup("Nice").country == "FRA"
    assert gz.lookup("Split").country == "HRV"


def test_country_of(gz):
    assert gz.country_of("Munich") == "DEU"
    assert gz.country_of("Trump") is None
    assert country_of("Riyadh") == "SAU"
    assert lookup("Geneva").country == "CHE"


def test_returns_fresh_objects(gz):
    a = gz.lookup("Munich")
    a.name = "changed"
    assert gz.lookup("Munich").name == "Munich"


def test_from_path_and_len(tmp_path):
    p = tmp_path / "g.tsv"
    p.write_text("\t".join(COLUMNS) + "\nFooville\t\tDEU\t1.5\t2.5\tcity\t20000\t\n", encoding="utf-8")
    g = Gazetteer.from_path(p)
    assert len(g) == 1
    assert g.lookup("Fooville") == Location("Fooville", "DEU", 1.5, 2.5)
    assert "Fooville" in g and "Barville" not in g


def test_timing(gz):
    names = ["Munich", "the Munich Security Conference", "Trump", "Russia's Kursk region", "Kiev",
             "Gaza Strip", "President", "Saudi Arabia", "Paris, Texas", "eastern Ukraine"]
    t = time.perf_counter()
    for i in range(10_000):
        gz.lookup(names[i % len(names)])
    cached = time.perf_counter() - t
    t = time.perf_counter()
    for i in range(2_000):
        gz._resolve(f"the Munich Security Conference {i}", None)
    uncached = time.perf_counter() - t
    print(f"10k cached lookups: {cached*1e3:.1f} ms; 2k uncached venue scans: {uncached*1e3:.1f} ms")
    assert cached < 2.0 and uncached < 5.0
