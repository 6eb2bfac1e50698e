"""Status recoding: what an act's status makes of its CAMEO code.

CAMEO codes some acts by what is said about them rather than by the act itself:
  * refusing a cooperative act ("will not discuss") is a rejection (12x), and it happened;
  * a conditional announcement of one's own act ("will withdraw its force unless ...") is a
    threat (13x), and it happened;
  * an announced future act is an intent (03x) when cooperative, a threat (13x) when conflictual,
    and getting ready to fight ("prepared to resume shelling") a force posture (154);
  * "X said Y must Z" is a demand (10x) whose code follows the act demanded.
The 12x, 13x, 10x and 03x code of an act's code are columns of the ontology (events/data/cameo.tsv:
reject, threat, demand, intent; the code's own row first, then its root's).
"""
from __future__ import annotations

from .ontology import Ontology
from .status import commitment_cue, conditional_on
from .words import codes, words

# Acts whose conditional announcement is a threat: conflictual ones, and withdrawing cooperation.
CONDITIONAL_THREAT_ROOTS = codes("conditional_threat_roots")
PREPARATION_WORDS = words("preparation_words")
COOPERATIVE_ROOTS = codes("cooperative_roots")  # refusing them is a rejection
INTENT_ROOTS = codes("intent_roots")  # announcing them is an intent (03x)
FIGHT_ROOTS = codes("fight_roots")  # preparing them is a force posture (154)


def cite(where: str) -> str:
    """The data file and line that fired, as a rule carries it: "[cameo.tsv:57]" ('' for none)."""
    return f"[{where}]" if where else ""


def reject_code(code: str, ontology: Ontology) -> str:
    """The rejection (12x) of a cooperative act (cameo.tsv's reject column; 120 by default)."""
    return ontology.reject_code(code) or "120"


def threat_code(code: str, ontology: Ontology) -> str:
    """The threat (13x) of a conflictual act (cameo.tsv's threat column; 130 by default)."""
    return ontology.threat_code(code) or "130"


def demand_code(code: str, ontology: Ontology) -> str:
    """The demand (10x) that someone do the act `code` (cameo.tsv's demand column; 100 by default,
    also for "", an act that is no trigger)."""
    return ontology.demand_code(code) or "100"


def recode(trigger, code: str, status: str, has_source: bool, ontology: Ontology) -> tuple[str, str, str]:
    """(code, status, note) of an act after its status: the note (" reject(040)", ...) is added to
    the record's rule, empty when nothing changed. Only an act with a source is recoded."""
    if status == "negated" and has_source and code[:2] in COOPERATIVE_ROOTS \
            and commitment_cue(trigger, negated=True):
        # "will not discuss", "would not meet their demands": refusing a cooperative act is
        # itself an act, a rejection (CAMEO 12x), and it did happen.
        return reject_code(code, ontology), "occurred", f" reject({code})" + cite(ontology.where("reject", code))
    if status in ("planned", "possible") and has_source and code[:2] in CONDITIONAL_THREAT_ROOTS \
            and conditional_on(trigger) is not None \
            and (commitment_cue(trigger) or status == "possible"):
        # "will withdraw its force unless ...", "may halt mediation if ...": a conditional
        # announcement of one's own act is a threat (CAMEO 13x)
        note = f" conditional-threat({code})" + cite(ontology.where("threat", code))
        return threat_code(code, ontology), "occurred", note
    if status == "planned" and has_source and (cue := commitment_cue(trigger)):
        # CAMEO codes an actor's announced future act as intent (03x) when cooperative and as a
        # threat (13x) when conflictual; PLOVER follows (AGREE / THREATEN).
        root = code[:2]
        if root in INTENT_ROOTS:
            intent = ontology.intent_code(code)
            if intent:
                return intent, status, f" intent({code})" + cite(ontology.where("intent", code))
        elif root in FIGHT_ROOTS and cue in PREPARATION_WORDS:
            # "the army prepared to resume shelling": getting ready to fight is a force
            # posture (CAMEO 154), not yet a threat or an attack.
            return "154", status, f" preparation({code})"
        elif ontology.threat_code(root) is not None:
            return threat_code(code, ontology), status, f" threat({code})" + cite(ontology.where("threat", code))
    return code, status, ""
