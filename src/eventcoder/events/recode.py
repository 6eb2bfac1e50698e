"""Status recoding: what an act's status makes of its CAMEO code.

CAMEO codes some acts by what is said about them rather than by the act itself:
  * refusing a cooperative act ("will not discuss") is a rejection (12x), and it happened;
  * a conditional announcement of one's own act ("will withdraw its force unless ...") is a
    threat (13x), and it happened;
  * an announced future act is an intent (03x) when cooperative, a threat (13x) when conflictual,
    and getting ready to fight ("prepared to resume shelling") a force posture (154);
  * "X said Y must Z" is a demand (10x) whose code follows the act demanded.
The maps below give the 12x, 13x and 10x code of an act's code (most specific first: the full or
three-digit code, then its root); intent codes come from the ontology.
"""
from __future__ import annotations

from typing import Optional

from .status import commitment_cue, conditional_on

# Acts whose conditional announcement is a threat: conflictual ones, and withdrawing cooperation.
CONDITIONAL_THREAT_ROOTS = {"06", "07", "08", "14", "16", "17", "18", "19", "20"}
PREPARATION_WORDS = {"prepare", "prepared", "ready", "poise", "gear", "position"}
REJECT_BY_ROOT = {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124"}
REJECT_BY_CODE = {"045": "126", "046": "125", "057": "127", "036": "125", "038": "126", "039": "126"}
DEMAND_BY_ROOT = {"04": "106", "05": "102", "06": "101", "07": "103", "08": "105", "03": "100"}
DEMAND_BY_CODE = {"045": "108", "046": "106", "057": "107", "036": "106", "037": "107", "039": "108"}
THREAT_BY_ROOT = {"14": "133", "16": "131", "17": "137", "18": "138", "19": "138", "20": "1385"}
THREAT_BY_CODE = {"191": "1381", "192": "1382", "193": "1384", "194": "1384", "195": "1384",
                  "181": "1383", "183": "1383", "1831": "1383", "1832": "1383", "1833": "1383",
                  "163": "132", "161": "1311", "162": "1312", "164": "134", "165": "135", "166": "136",
                  "200": "1385", "201": "1385", "202": "1385", "203": "1385", "204": "1385"}
COOPERATIVE_ROOTS = ("03", "04", "05", "06", "07", "08")  # refusing them is a rejection
INTENT_ROOTS = ("04", "05", "06", "07", "08")  # announcing them is an intent (03x)
FIGHT_ROOTS = ("18", "19", "20")  # preparing them is a force posture (154)


def reject_code(code: str) -> str:
    """The rejection (12x) of a cooperative act."""
    return REJECT_BY_CODE.get(code[:3], REJECT_BY_ROOT.get(code[:2], "120"))


def threat_code(code: str) -> str:
    """The threat (13x) of a conflictual act."""
    return THREAT_BY_CODE.get(code, THREAT_BY_ROOT.get(code[:2], "130"))


def demand_code(code: str) -> str:
    """The demand (10x) that someone do the act `code` ("" when the act is no trigger: 100)."""
    return DEMAND_BY_CODE.get(code[:3], DEMAND_BY_ROOT.get(code[:2], "100"))


def recode(trigger, code: str, status: str, has_source: bool, ontology) -> tuple[str, str, str]:
    """(code, status, note) of an act after its status: the note (" reject(040)", ...) is added to
    the record's rule, empty when nothing changed. Only an act with a source is recoded."""
    if status == "negated" and has_source and code[:2] in COOPERATIVE_ROOTS \
            and commitment_cue(trigger, negated=True):
        # "will not discuss", "would not meet their demands": refusing a cooperative act is
        # itself an act, a rejection (CAMEO 12x), and it did happen.
        return reject_code(code), "occurred", f" reject({code})"
    if status in ("planned", "possible") and has_source and code[:2] in CONDITIONAL_THREAT_ROOTS \
            and conditional_on(trigger) is not None \
            and (commitment_cue(trigger) or status == "possible"):
        # "will withdraw its force unless ...", "may halt mediation if ...": a conditional
        # announcement of one's own act is a threat (CAMEO 13x)
        return threat_code(code), "occurred", f" conditional-threat({code})"
    if status == "planned" and has_source and (cue := commitment_cue(trigger)):
        # CAMEO codes an actor's announced future act as intent (03x) when cooperative and as a
        # threat (13x) when conflictual; PLOVER follows (AGREE / THREATEN).
        root = code[:2]
        if root in INTENT_ROOTS:
            intent: Optional[str] = ontology.intent_code(code)
            if intent:
                return intent, status, f" intent({code})"
        elif root in FIGHT_ROOTS and cue in PREPARATION_WORDS:
            # "the army prepared to resume shelling": getting ready to fight is a force
            # posture (CAMEO 154), not yet a threat or an attack.
            return "154", status, f" preparation({code})"
        elif root in THREAT_BY_ROOT:
            return threat_code(code), status, f" threat({code})"
    return code, status, ""
