"""The packaged CAMEO ontology: completeness, Goldstein standard, quad classes, PLOVER mapping."""
from __future__ import annotations

import pytest

from eventcoder.events.ontology import CameoCode, Ontology
from eventcoder.model import PLOVER_TYPES

from support import shared_path


@pytest.fixture(scope="module")
def ont() -> Ontology:
    return Ontology.default()


def test_default_is_cached(ont):
    assert Ontology.default() is ont


def test_every_code_is_well_formed(ont):
    assert len(ont) >= 310
    for code in ont.codes():
        c = ont.get(code)
        assert isinstance(c, CameoCode)
        assert c.name, code
        assert c.root == code[:2] and c.root in ont, code
        assert -10 <= c.goldstein <= 10, code
        assert c.quad_class in (1, 2, 3, 4), code
        assert c.plover_type is None or c.plover_type in PLOVER_TYPES, code


def test_all_roots_and_four_digit_codes(ont):
    assert ont.roots() == [f"{i:02d}" for i in range(1, 21)]
    for code in ("0211", "0314", "0871", "1041", "1125", "1385", "1454", "1663", "1724", "1833", "2042"):
        assert code in ont


def test_quad_class_follows_root(ont):
    for code in ont.codes():
        r = int(ont[code].root)
        assert ont[code].quad_class == (1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4), code


def test_gdelt_goldstein_for_the_differing_codes(ont):
    # GDELT values where GDELT and ICEWS disagree (goldstein_diff.txt); 1213 (absent in GDELT) = ICEWS
    assert ont["016"].goldstein == -2.0
    assert ont["022"].goldstein == 3.2
    assert ont["164"].goldstein == -7.0
    assert ont["165"].goldstein == -6.5
    assert ont["1213"].goldstein == -4.0


def test_goldstein_matches_gdelt_table():
    path = shared_path("cameo", "CAMEO.goldsteinscale.txt")
    ont = Ontology.default()
    rows = [line.split("\t") for line in path.read_text().splitlines()[1:] if line.strip()]
    gdelt = {c: float(v) for c, v in rows}
    assert set(gdelt) | {"1213"} == set(ont.codes())
    for code, value in gdelt.items():
        assert ont[code].goldstein == value, code


def test_api_examples(ont):
    assert ont.get("041") == CameoCode("041", "Discuss by telephone", "04", 1.0, 1, "CONSULT", "phone", None)
    assert ont.get("999") is None and ont.get("") is None and ont.get(None) is None
    assert ont.root_name("04") == "CONSULT"
    assert ont.root_name("19") == "FIGHT"
    assert ont.root_name("046") == "CONSULT"


def test_plover_mapping(ont):
    assert {ont[c].plover_type for c in ont.codes()} - {None} == set(PLOVER_TYPES)
    assert ont["01"].plover_type is None and ont["010"].plover_type is None
    assert ont["020"].plover_type == "REQUEST" and ont["100"].plover_type == "REQUEST"
    assert ont["036"].plover_type == "AGREE"
    assert ont["090"].plover_type == "ACCUSE" and ont["111"].plover_type == "ACCUSE"
    assert ont["0841"].plover_type == "RETREAT" and ont["0841"].plover_mode == "release"
    assert ont["0871"].plover_mode == "ceasefire"
    assert ont["163"].plover_type == "SANCTION"
    assert ont["173"].plover_type == "COERCE" and ont["173"].plover_mode == "arrest"
    for code in ("180", "186", "190", "195", "202"):
        assert ont[code].plover_type == "ASSAULT", code
    assert ont["195"].plover_mode == "aerial"
    assert ont["042"].plover_mode == "visit" and ont["044"].plover_mode == "third-party"


def test_intent_codes(ont):
    assert ont.intent_code("04") == "036"
    assert ont.intent_code("046") == "036"
    assert ont.intent_code("045") == "039"
    assert ont.intent_code("05") == "032"
    assert ont.intent_code("06") == "031"
    assert ont.intent_code("07") == "033"
    assert ont.intent_code("073") == "0333"
    assert ont.intent_code("08") == "035"
    assert ont.intent_code("0841") == "0353"
    for root in ("01", "02", "03", "09", "10", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20"):
        assert ont.intent_code(root) is None, root
    for code in ont.codes():
        ic = ont.intent_code(code)
        assert ic is None or ont[ic].root == "03", code


def test_from_path_rejects_bad_rows(tmp_path):
    p = tmp_path / "bad.tsv"
    p.write_text("code\tname\troot\tgoldstein\tquad_class\tplover_type\tplover_mode\tplover_context\n"
                 "041\tPhone\t04\tmany\t1\tCONSULT\tphone\t\n")
    with pytest.raises(ValueError, match=r"bad\.tsv:2"):
        Ontology.from_path(p)
