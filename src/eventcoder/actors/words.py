"""The word and code tables actor resolution reads (resolve.py, mentions.py, roles.py,
countries.py, names.py, coref.py). Sector words themselves are in the knowledge base (kb.py)."""
from __future__ import annotations

import re

# ---- which tokens are mentions
NAME_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj", "dative", "agent", "poss"}
NON_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY", "LAW",
                  "LANGUAGE", "WORK_OF_ART", "EVENT", "PRODUCT"}
# Heads that only count or group what their "of" phrase names: "a group of Moroccan diplomats".
QUANTITY_HEADS = {"group", "member", "ten", "delegation", "number", "dozen", "hundred", "thousand", "million",
                  "some", "most", "many", "majority", "minority", "part", "representative", "team",
                  "contingent", "unit", "band", "batch", "crowd", "handful", "score", "all", "few",
                  "several", "one", "two", "leader", "head", "chief", "spokesman", "spokesperson",
                  "spokeswoman", "faction", "wing", "section", "bloc", "coalition", "alliance"}

# ---- the extent of a noun phrase
NP_MOD_DEPS = {"compound", "amod", "nmod", "poss", "flat", "nummod", "det", "case", "punct"}
# "Saudi-led coalition", "London-based group", "Hamas-run ministry": the hyphenated modifier names who
# the group belongs to. Not "US-backed rebels" or "Russian-speaking separatists".
OWNER_PARTICIPLES = {"lead", "led", "base", "based", "run", "control", "controlled", "own", "owned",
                     "dominate", "dominated", "command", "commanded"}
FORMER_WORDS = {"former", "ex", "ex-", "erstwhile", "onetime", "one-time", "late", "outgoing"}

# ---- sectors and codes
GENERIC_PARTY_WORDS = {"all", "both", "warring", "relevant", "concerned", "other", "two", "various",
                       "involved", "interested", "opposing", "rival", "each", "either"}
STATE_SECTORS = {"GOV", "MIL", "COP", "SPY", "JUD", "LEG"}
INSTITUTION_SECTORS = frozenset({"MIL", "COP", "GOV", "JUD", "LEG"})
INTERNATIONAL_CODES = {"UNO", "EUR", "IGO", "IMG", "NGO", "MNC"}
DIPLOMAT_HEADS = {"ambassador", "envoy", "representative", "mission", "delegation", "delegate", "diplomat",
                  "emissary", "negotiator"}

# ---- countries
# modifiers that make a group American ("Republican lawmakers", "congressional leaders")
US_MARKERS = {"Republican", "Democratic", "Democrat", "GOP", "congressional", "Congressional"}
# "Sen. Lindsey Graham, R-S.C.", "Rep. Ilhan Omar (D-Minn.)": a US legislator's party and state
US_PARTY_STATE = re.compile(r"\s*,?\s*\(?\s*[RDI]-[A-Z][A-Za-z.]{1,12}\)?")
# heads whose "for <country>" names the country they deal with, not their own
PORTFOLIO_HEADS = {"envoy", "representative", "rapporteur", "coordinator", "negotiator", "emissary", "czar",
                   "adviser", "advisor", "director", "secretary", "minister", "spokesman", "spokeswoman",
                   "spokesperson"}
# "a newspaper based in Beirut", "workers affiliated with the Serbian union", "militias loyal to X".
ATTACHMENT_WORDS = {"base": ("in",), "station": ("in",), "headquarter": ("in",), "locate": ("in",),
                    "affiliate": ("with", "to"), "link": ("to", "with"), "belong": ("to",),
                    "loyal": ("to",), "allied": ("with", "to")}
PLACE_PREPS = ("in", "throughout", "across", "inside")  # "police in Jericho": the place's country
LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "throughout"})

# ---- coreference
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
THING_PRONOUNS = {"it", "its", "itself"}
GROUP_HEADS = {"leader", "side", "country", "nation", "government", "president", "party", "state",
               "delegation", "minister", "official", "team"}
PAIR_DETS = {"both", "two"}
OWNED_GROUPS = {"team", "delegation", "negotiator", "envoy", "representative", "government",
                "administration", "force", "troops", "army", "military", "official", "ally", "leadership"}
PERSON_TITLES = {
    "president", "leader", "minister", "premier", "chancellor", "secretary", "spokesperson",
    "spokesman", "spokeswoman", "king", "queen", "emir", "prince", "envoy", "ambassador",
    "general", "commander", "chief", "governor", "mayor", "senator", "prosecutor", "judge",
    "dictator", "monarch", "sultan", "ayatollah", "pope",
}
