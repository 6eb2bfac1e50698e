"""Generate src/eventcoder/actors/data/countries.tsv.

Run once by a developer (not at run time):  .venv/bin/python tools/build_countries.py
(countryinfo comes with the build extra: .venv/bin/pip install -e '.[build]').

Sources: ISO 3166-1 codes and names from pycountry; a default demonym and capital from countryinfo;
then the hand-curated overrides below (short names, aliases, demonyms and their plurals, seats of
power). The generated table is what ships; edit the overrides and re-run rather than editing by hand.
Keys that would resolve to two countries are dropped unless listed in PREFER.
"""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pycountry
from countryinfo import CountryInfo

OUT = Path(__file__).resolve().parents[1] / "src/eventcoder/actors/data/countries.tsv"

# Non-members of the UN we also carry (observers, partially recognised, territories in the news).
EXTRA = {
    "PSE": "Palestine", "XKX": "Kosovo", "TWN": "Taiwan", "VAT": "Vatican City",
    "HKG": "Hong Kong", "MAC": "Macau", "PRI": "Puerto Rico", "GRL": "Greenland",
    "ESH": "Western Sahara",
}
# The 56 ISO entries that are not UN members; everything else in pycountry is one of the 193.
NOT_MEMBERS = set("""ABW AIA ALA ASM ATA ATF BES BLM BMU BVT CCK COK CUW CXR CYM ESH FLK FRO GGY GIB
GLP GRL GUF GUM HKG HMD IMN IOT JEY MAC MAF MNP MSR MTQ MYT NCL NFK NIU PCN PRI PSE PYF REU SGS SHN SJM
SPM SXM TCA TKL TWN UMI VAT VGB VIR WLF""".split())

# iso3: (preferred name, aliases, demonyms/adjectives (plurals are added), capital, extra metonyms)
# None keeps the generated value. Metonyms here are cities/seats that stand for the government.
O: dict[str, tuple] = {
    "AFG": (None, "Islamic Emirate of Afghanistan", "Afghan|Afghani", None, ""),
    "AGO": (None, "", "Angolan", None, ""),
    "ARE": (None, "UAE|Emirates|the Emirates|U.A.E.", "Emirati|Emirian", None, ""),
    "ARG": (None, "", "Argentine|Argentinian|Argentinean", None, "Casa Rosada"),
    "ATG": (None, "Antigua|Barbuda", "Antiguan|Barbudan", "St John's", ""),
    "AZE": (None, "", "Azerbaijani|Azeri", None, ""),
    "BEL": (None, "", "Belgian", "-", ""),  # Brussels stands for the EU (see metonyms.tsv)
    "BFA": (None, "", "Burkinabe|Burkinabé", None, ""),
    "BGD": (None, "", "Bangladeshi", None, ""),
    "BHS": ("Bahamas", "The Bahamas", "Bahamian", None, ""),
    "BIH": (None, "Bosnia|Bosnia-Herzegovina", "Bosnian|Herzegovinian", None, ""),
    "BLR": (None, "Byelorussia", "Belarusian|Belarussian|Byelorussian", None, ""),
    "BOL": ("Bolivia", "", "Bolivian", "Sucre", "La Paz"),
    "BRA": (None, "", "Brazilian", "Brasilia", "Planalto"),
    "BRN": ("Brunei", "Brunei Darussalam", "Bruneian", None, ""),
    "BWA": (None, "", "Motswana|Batswana|Botswanan", None, ""),
    "CAF": (None, "CAR", "Central African", None, ""),
    "CHE": (None, "Swiss Confederation", "Swiss", "Bern", "Berne"),
    "CHN": ("China", "People's Republic of China|PRC|Mainland China", "Chinese", None,
            "Zhongnanhai|Great Hall of the People"),
    "CIV": ("Ivory Coast", "Cote d'Ivoire|Côte d'Ivoire", "Ivorian|Ivoirian", None, "Abidjan"),
    "COD": ("Democratic Republic of the Congo",
            "DR Congo|DRC|D.R. Congo|Democratic Republic of Congo|Congo-Kinshasa|Congo|Zaire",
            "Congolese", None, ""),
    "COG": ("Republic of the Congo", "Republic of Congo|Congo-Brazzaville|Congo Republic", "", None, ""),
    "COM": (None, "", "Comoran|Comorian", None, ""),
    "CPV": ("Cape Verde", "Cabo Verde", "Cape Verdean", None, ""),
    "CZE": ("Czech Republic", "Czechia|Czechoslovakia", "Czech|Czechoslovak", None, ""),
    "DEU": ("Germany", "Federal Republic of Germany|West Germany|East Germany", "German|West German|East German", None, "Chancellery"),
    "DJI": (None, "", "Djiboutian", "-", ""),
    "DMA": (None, "Commonwealth of Dominica", "", None, ""),
    "DNK": (None, "", "Danish|Dane", None, ""),
    "DOM": (None, "", "Dominican", None, ""),
    "ECU": (None, "", "Ecuadorian|Ecuadorean", None, ""),
    "ESP": (None, "", "Spanish|Spaniard", None, "Moncloa"),
    "FIN": (None, "", "Finnish|Finn", None, ""),
    "FJI": (None, "", "Fijian", None, ""),
    "FRA": (None, "", "French|Frenchman|Frenchmen", None, "Elysee|Élysée|Elysee Palace|Matignon|Quai d'Orsay"),
    "FSM": ("Micronesia", "Federated States of Micronesia", "Micronesian", None, ""),
    "GBR": ("United Kingdom", "UK|U.K.|Britain|Great Britain|United Kingdom of Great Britain and Northern Ireland|England|Scotland|Wales|Northern Ireland",
            "British|Briton|Brit|Scottish|Scot|Welsh|Northern Irish", None, "Downing Street|Number 10|No 10|Whitehall"),
    "GEO": (None, "", "Georgian", None, ""),
    "GMB": ("Gambia", "The Gambia", "Gambian", None, ""),
    "GNB": (None, "", "Bissau-Guinean|Guinea-Bissauan", None, ""),
    "GRC": (None, "Hellenic Republic", "Greek|Hellenic", None, ""),
    "HTI": (None, "", "Haitian", None, ""),
    "IDN": (None, "", "Indonesian", None, ""),
    "IND": (None, "Bharat", "Indian", None, "South Block|Rashtrapati Bhavan"),
    "IRN": ("Iran", "Islamic Republic of Iran|Persia", "Iranian", None, ""),
    "ISL": (None, "", "Icelandic|Icelander", "Reykjavik", ""),
    "ISR": (None, "", "Israeli", None, ""),
    "ITA": (None, "", "Italian", None, "Palazzo Chigi|Quirinale"),
    "JPN": (None, "", "Japanese", None, "Kantei"),
    "KAZ": (None, "", "Kazakh|Kazakhstani", "Astana", "Nur-Sultan"),
    "KGZ": (None, "Kirghizia|Kirgizia", "Kyrgyz|Kirghiz|Kyrgyzstani", None, ""),
    "KHM": (None, "Kampuchea", "Cambodian|Khmer", None, ""),
    "KIR": (None, "", "I-Kiribati", "Tarawa", "South Tarawa"),
    "KNA": ("Saint Kitts and Nevis", "St Kitts and Nevis|St. Kitts and Nevis|St Kitts|Saint Kitts", "Kittitian|Nevisian", None, ""),
    "KOR": ("South Korea", "Republic of Korea|ROK|Korea", "South Korean|Korean", None, "Blue House|Yongsan"),
    "LAO": ("Laos", "Lao PDR", "Lao|Laotian", None, ""),
    "LCA": (None, "St Lucia|St. Lucia", "Saint Lucian|St Lucian", None, ""),
    "LSO": (None, "", "Basotho|Mosotho|Lesothan", None, ""),
    "LUX": (None, "", "Luxembourgish|Luxembourger", "-", ""),
    "MDA": ("Moldova", "Republic of Moldova", "Moldovan", "Chisinau", ""),
    "MDG": (None, "", "Malagasy|Madagascan", None, ""),
    "MDV": (None, "", "Maldivian", "-", ""),  # "Male" is a common word
    "MEX": (None, "", "Mexican", None, "Palacio Nacional|Los Pinos"),
    "MHL": (None, "", "Marshallese", None, ""),
    "MKD": ("North Macedonia", "Macedonia|Republic of North Macedonia|FYROM", "Macedonian|North Macedonian", None, ""),
    "MMR": ("Myanmar", "Burma", "Burmese|Myanmarese|Myanmar", "Naypyidaw", "Naypyitaw|Nay Pyi Taw"),
    "MUS": (None, "", "Mauritian", None, ""),
    "MYS": (None, "", "Malaysian", None, "Putrajaya"),
    "NER": (None, "", "Nigerien", None, ""),
    "NGA": (None, "", "Nigerian", None, "Aso Rock"),
    "NLD": ("Netherlands", "Holland|The Netherlands", "Dutch|Dutchman|Dutchmen|Netherlander", "Amsterdam", "The Hague"),
    "NOR": (None, "", "Norwegian", None, ""),
    "NPL": (None, "", "Nepali|Nepalese", None, ""),
    "NZL": (None, "", "New Zealander|Kiwi", None, ""),
    "PAK": (None, "", "Pakistani", None, ""),
    "PHL": (None, "", "Filipino|Filipina|Philippine", None, "Malacanang|Malacañang"),
    "PNG": (None, "PNG", "Papua New Guinean|Papuan", None, ""),
    "POL": (None, "", "Polish|Pole", None, ""),
    "PRK": ("North Korea", "DPRK|Democratic People's Republic of Korea|D.P.R.K.", "North Korean", None, ""),
    "PRT": (None, "", "Portuguese", None, ""),
    "PSE": ("Palestine", "State of Palestine|Palestinian territories|Palestinian Territories|occupied Palestinian territories", "Palestinian", "Ramallah", ""),
    "QAT": (None, "", "Qatari", None, ""),
    # Historical predecessors are coded as their successor state, as CAMEO/Phoenix dictionaries do.
    "RUS": ("Russia", "Russian Federation|Soviet Union|USSR|U.S.S.R.", "Russian|Soviet", None, "Kremlin"),
    "SRB": (None, "Yugoslavia|Federal Republic of Yugoslavia", "Serbian|Serb|Yugoslav", None, ""),
    "HRV": (None, "", "Croatian|Croat", None, ""),
    "SAU": (None, "KSA|Kingdom of Saudi Arabia|Saudi", "Saudi|Saudi Arabian", None, ""),
    "SGP": (None, "", "Singaporean", "-", ""),
    "SLB": (None, "Solomons", "Solomon Islander", None, ""),
    "SLV": (None, "", "Salvadoran|Salvadorean", None, ""),
    "SMR": (None, "", "Sammarinese", "-", ""),
    "SOM": (None, "", "Somali|Somalian", None, ""),
    "STP": ("Sao Tome and Principe", "São Tomé and Príncipe|Sao Tome", "Santomean|Sao Tomean", None, ""),
    "SUR": (None, "", "Surinamese|Surinamer", None, ""),
    "SVK": (None, "Slovak Republic", "Slovak|Slovakian", None, ""),
    "SVN": (None, "", "Slovenian|Slovene", None, ""),
    "SWE": (None, "", "Swedish|Swede", None, ""),
    "SWZ": ("Eswatini", "Swaziland|Kingdom of Eswatini", "Swazi|Emaswati|Eswatini", "Mbabane", "Lobamba"),
    "SYC": (None, "", "Seychellois", "-", ""),  # Victoria is ambiguous
    "SYR": ("Syria", "Syrian Arab Republic", "Syrian", None, ""),
    "TJK": (None, "", "Tajik|Tajikistani|Tadjik", None, ""),
    "TKM": (None, "", "Turkmen|Turkmenistani", "Ashgabat", "Ashkhabad"),
    "TLS": ("East Timor", "Timor-Leste|Timor Leste", "Timorese|East Timorese", None, ""),
    "TON": (None, "", "Tongan", None, ""),
    "TTO": (None, "Trinidad", "Trinidadian|Tobagonian|Trinidadian and Tobagonian", None, ""),
    "TUR": ("Turkey", "Türkiye|Turkiye|Republic of Turkey", "Turkish|Turk", None, ""),
    "TZA": ("Tanzania", "United Republic of Tanzania", "Tanzanian", None, ""),
    "UKR": (None, "", "Ukrainian", "Kyiv", "Kiev|Bankova"),
    "USA": ("United States", "US|U.S.|USA|U.S.A.|America|United States of America|the States", "American", "Washington",
            "Washington D.C.|Washington DC|White House|State Department|Foggy Bottom"),
    "UZB": (None, "", "Uzbek|Uzbekistani", None, ""),
    "VAT": ("Vatican City", "Vatican|Holy See|Vatican City State", "Vatican", "-", ""),
    "VCT": (None, "St Vincent and the Grenadines|St. Vincent and the Grenadines|St Vincent|Saint Vincent", "Vincentian|Saint Vincentian", None, ""),
    "VEN": ("Venezuela", "Bolivarian Republic of Venezuela", "Venezuelan", None, "Miraflores"),
    "VNM": ("Vietnam", "Viet Nam", "Vietnamese", None, ""),
    "VUT": (None, "", "Ni-Vanuatu|Vanuatuan", None, ""),
    "WSM": (None, "", "Samoan", None, ""),
    "XKX": ("Kosovo", "Republic of Kosovo", "Kosovar|Kosovan", "Pristina", "Prishtina"),
    "YEM": (None, "", "Yemeni|Yemenite", "Sanaa", "Sana'a|Aden"),
    "ZAF": (None, "RSA", "South African", "Pretoria", "Union Buildings"),
    "GUY": (None, "", "Guyanese", "-", ""),  # Georgetown is ambiguous (DC, university)
    "JAM": (None, "", "Jamaican", None, ""),
    "BTN": (None, "", "Bhutanese", None, ""),
    "HKG": (None, "Hong Kong SAR", "Hong Konger|Hongkonger", "-", ""),
    "MAC": (None, "Macao", "Macanese", "-", ""),
    "TWN": (None, "Republic of China|Chinese Taipei", "Taiwanese", None, ""),
    "GRL": (None, "", "Greenlandic|Greenlander", None, ""),
    "PRI": (None, "", "Puerto Rican", "-", ""),  # San Juan is not a government seat
    "ESH": (None, "", "Sahrawi|Saharawi", "-", ""),
    "KWT": (None, "", "Kuwaiti", None, ""),
    "CRI": (None, "", "Costa Rican", "San Jose", ""),
    "PRY": (None, "", "Paraguayan", "Asuncion", ""),
    "COL": (None, "", "Colombian", "Bogota", ""),
    "CUB": (None, "", "Cuban", "Havana", ""),
    "LKA": (None, "Ceylon", "Sri Lankan", "Colombo", "Sri Jayawardenepura Kotte"),
    "BEN": (None, "", "Beninese|Beninois", None, "Cotonou"),
    "TCD": (None, "", "Chadian", "N'Djamena", "Ndjamena"),
    "CMR": (None, "", "Cameroonian", "Yaounde", ""),
    "ISR_": None,
}
O.pop("ISR_")

# Keys that legitimately appear under two codes: give the winner.
PREFER = {"congolese": "COD", "congo": "COD", "dominican": "DOM", "korean": "KOR", "korea": "KOR"}
# Demonyms countryinfo gets wrong or that collide; replaced wholesale when the override lists any.


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.replace("’", "'"))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().replace(".", "")
    return " ".join(s.split())


def plurals(d: str) -> list[str]:
    if d == "Czech":
        return ["Czechs"]
    if d.endswith(("ese", "sh", "ch", "ss", "Malagasy", "Swazi", "Basotho", "Batswana", "I-Kiribati",
                   "Ni-Vanuatu", "Lao", "Khmer", "men", "Myanmar", "Vatican", "Hellenic",
                   "Philippine", "Eswatini", "Emaswati", "Afghani", "ois", "ghiz")):
        return []
    if d == "Czech":
        return ["Czechs"]
    if d.endswith(("ic", "yz")) or " and " in d:
        return []
    return [d + "s"]


def main() -> int:
    info = {}
    for v in CountryInfo.all().values():
        a3 = (v.get("ISO") or {}).get("alpha3")
        if a3 and a3 not in info:
            info[a3] = v
    codes = [c.alpha_3 for c in pycountry.countries if c.alpha_3 not in NOT_MEMBERS] + list(EXTRA)
    assert len(codes) == 193 + len(EXTRA), len(codes)
    rows = []
    for a3 in codes:
        pc = pycountry.countries.get(alpha_3=a3)
        ci = info.get(a3, {})
        o = O.get(a3, (None, "", "", None, ""))
        name = o[0] or EXTRA.get(a3) or (getattr(pc, "common_name", None) or pc.name)
        aliases = [x for x in o[1].split("|") if x]
        if pc is not None:
            for n in (pc.name, getattr(pc, "official_name", None), getattr(pc, "common_name", None)):
                if n and "," not in n and "(" not in n and n not in aliases and n != name:
                    aliases.append(n)
        if ci.get("name") and ci["name"] not in aliases and ci["name"] != name and "," not in ci["name"]:
            aliases.append(ci["name"])
        dem = [x for x in o[2].split("|") if x]
        if not dem and o[2] == "" and a3 not in O:
            dem = [x.strip() for x in (ci.get("demonym") or "").replace("/", ",").split(",") if x.strip()]
        if not dem and a3 in O and O[a3][2] == "" and a3 not in ("COG", "DMA"):
            dem = [x.strip() for x in (ci.get("demonym") or "").split(",") if x.strip()]
        alld = []
        for d in dem:
            for x in [d] + plurals(d):
                if x not in alld:
                    alld.append(x)
        cap = o[3] if o[3] is not None else ci.get("capital") or ""
        if isinstance(cap, list):
            cap = cap[0]
        if cap == "-":
            cap = ""
        mets = [x for x in o[4].split("|") if x]
        if cap:
            capn = unicodedata.normalize("NFKD", cap)
            plain = "".join(c for c in capn if not unicodedata.combining(c))
            if plain != cap:
                mets.append(plain)
        rows.append([a3, name, "|".join(aliases), "|".join(alld), cap, "|".join(mets),
                     "0" if a3 in NOT_MEMBERS or a3 == "XKX" else "1"])
    # drop demonyms equal to another country's demonym unless preferred; report collisions
    seen: dict[str, set] = {}
    for r in rows:
        for k in [r[1]] + r[2].split("|") + r[3].split("|"):
            if k:
                seen.setdefault(norm(k), set()).add(r[0])
    clash = {k: v for k, v in seen.items() if len(v) > 1}
    for r in rows:
        for col in (2, 3):
            keep = []
            for k in r[col].split("|"):
                if not k:
                    continue
                n = norm(k)
                if n in clash and PREFER.get(n) != r[0]:
                    print(f"dropping {k!r} from {r[0]} (also {sorted(clash[n] - {r[0]})})", file=sys.stderr)
                    continue
                keep.append(k)
            r[col] = "|".join(keep)
    missing = [r[0] for r in rows if r[6] == "1" and not r[3]]
    if missing:
        print("no demonym:", missing, file=sys.stderr)
    with OUT.open("w", encoding="utf-8") as f:
        f.write("# source: generated by tools/build_countries.py from pycountry (ISO 3166-1 codes, names) and "
                "countryinfo (default demonym, capital), with hand-curated aliases, demonyms, plurals and seats of "
                "power; XKX is the user-assigned code for Kosovo. un_member=1 for the 193 UN members.\n")
        f.write("iso3\tname\taliases\tdemonyms\tcapital\tmetonyms\tun_member\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"wrote {len(rows)} rows to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
