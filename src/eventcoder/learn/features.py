"""Candidates and their features: what the rules propose and what the model sees.

For each parsed sentence (after `ActorResolver.start_sentence`, so its actor mentions are resolved):

* trigger candidates: every content verb, every noun the trigger lexicon knows, and every token a
  rule frame fired on; each with the rule's proposal (lexicon type, frame type, frame actors) as
  features beside the parse around it;
* mention candidates: every token the actor resolver found an actor for in the sentence;
* argument candidates: every (trigger, mention) pair, with the dependency path between them.

Features are strings (one-hot, value 1) so the model is a plain linear model over a vocabulary;
`trigger_features` and `argument_features` are the only two feature functions, used alike by the
trainer and at run time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..events.frames import salience_depth

SKIP_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "CARDINAL", "ORDINAL", "QUANTITY"}
LIGHT_VERBS = {"hold", "have", "make", "take", "give", "launch", "carry", "conduct", "stage", "voice",
               "express", "issue", "lay", "reach", "sign", "pay", "file", "bring", "level", "impose",
               "offer", "extend", "lodge", "announce", "call", "face", "do", "keep", "put", "set"}
QUOTE_CHARS = '"\u201c\u201d'
MAX_PATH = 4
CLAUSE_MODALS = {"will", "would", "could", "may", "might", "can", "shall", "should", "must", "'ll", "wo", "ca"}


@dataclass
class Mention:
    token: object             # the head token of the actor mention
    actors: list              # resolved Actors (coordinated heads give several)
    place: bool = False       # a named place the resolver does not take for an actor ("shelled Kharkiv")


@dataclass
class TriggerCandidate:
    token: object
    features: list
    frame: Optional[object] = None       # the rule Frame fired on this token, if any
    rule_type: Optional[str] = None      # its PLOVER type
    lex_type: Optional[str] = None       # the lexicon entry's PLOVER type, if the token matched one
    args: list = field(default_factory=list)  # (Mention, features)


def quoted_tokens(sent) -> set:
    """Indices of the sentence's tokens inside a quotation (after an odd number of quote marks).
    Computed once per sentence: `Token.sent` walks the document on every read."""
    inside = set()
    n = 0
    for t in sent:
        if t.text in QUOTE_CHARS or t.text in ("``", "''"):
            n += 1
            continue
        if n % 2 == 1:
            inside.add(t.i)
    return inside


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4+" if n < 8 else "8+"


def trigger_features(tok, lex_type: Optional[str], frame_type: Optional[str], frame, mentions_by_i: dict,
                     sent_i: int, quoted: bool, rule_conf: Optional[float] = None, n_sents: int = 0) -> list:
    lemma = tok.lemma_.lower()
    pos, dep = tok.pos_, tok.dep_
    head = tok.head
    f = [f"l={lemma}", f"p={pos}", f"t={tok.tag_}", f"d={dep}", f"lp={lemma}|{pos}",
         f"hl={head.lemma_.lower()}", f"hd={dep}|{head.lemma_.lower()}", f"hp={head.pos_}",
         f"si={min(sent_i, 3)}", f"q={int(quoted)}", "bias"]
    if lex_type:
        f += [f"lex={lex_type}", f"lexp={lex_type}|{pos}", f"lexd={lex_type}|{dep}"]
    else:
        f.append("lex=none")
    depth = salience_depth(tok)
    f.append(f"depth={min(depth, 3):.1f}")
    f.append(f"ns={min(n_sents, 4)}")
    if frame_type:
        f += [f"rule={frame_type}", f"rules={frame_type}|{int(bool(frame.sources))}{int(bool(frame.targets))}"]
        f.append(f"rulet={frame_type}|{frame.rule.split(' ', 1)[0][:2]}")
        f.append(f"ruledepth={frame_type}|{min(depth, 3):.1f}")
        if rule_conf is not None:
            f.append(f"rconf={round(rule_conf * 10) / 10:.1f}")
            f.append(f"rconft={frame_type}|{round(rule_conf * 5) / 5:.1f}")
    else:
        f.append("rule=none")
    has_subj = has_obj = False
    for c in tok.children:
        cd = c.dep_
        cl = c.lemma_.lower()
        if cd in ("dobj", "attr", "oprd"):
            f += [f"obj={cl}", f"vo={lemma}|{cl}"]
            if c.i in mentions_by_i:
                has_obj = True
            for g in c.children:
                if g.dep_ == "prep":
                    f.append(f"objprep={cl}|{g.lower_}")
        elif cd == "prep":
            pob = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            f.append(f"prep={c.lower_}")
            f.append(f"vp={lemma}|{c.lower_}")
            if pob is not None:
                f.append(f"pp={c.lower_}|{pob.lemma_.lower()}")
                if pob.i in mentions_by_i:
                    f.append(f"ppm={c.lower_}")
        elif cd in ("nsubj", "nsubjpass", "agent", "csubj"):
            if c.i in mentions_by_i:
                has_subj = True
                ms = mentions_by_i[c.i]
                sec = next((a.sector for a in ms.actors if a.sector), "none")
                f.append(f"subjsec={sec}")
            f.append(f"subj={cd}")
            if cd == "nsubjpass":
                f.append("passive")
        elif cd in ("neg",):
            f.append("neg")
        elif cd in ("aux", "auxpass"):
            f.append(f"aux={c.lower_}")
        elif cd in ("xcomp", "ccomp"):
            f.append(f"comp={cd}|{cl}")
            if cd == "ccomp":
                f += clause_features(tok, c, lemma, mentions_by_i)
        elif cd == "prt":
            f.append(f"prt={lemma}|{cl}")
        elif cd in ("amod", "compound", "poss") and pos in ("NOUN", "PROPN"):
            f.append(f"nmod={cd}")
            if c.i in mentions_by_i:
                f.append(f"nmodm={cd}")
    f.append(f"subjm={int(has_subj)}")
    f.append(f"objm={int(has_obj)}")
    if dep in ("dobj", "pobj") and head.lemma_.lower() in LIGHT_VERBS:
        f.append(f"light={head.lemma_.lower()}|{lemma}")
    if dep == "pobj":
        f.append(f"underprep={head.lower_}")
        gov = head.head
        f.append(f"underprepgov={head.lower_}|{gov.lemma_.lower()}")
    if dep in ("ccomp", "xcomp", "advcl", "relcl", "acl", "conj"):
        f.append(f"clause={dep}|{head.lemma_.lower()}")
    if tok.i > 0:
        prev = tok.doc[tok.i - 1]
        f.append(f"prev={prev.lower_}")
    if tok.i + 1 < len(tok.doc):
        f.append(f"next={tok.doc[tok.i + 1].lower_}")
    f.append(f"nm={_bucket(len(mentions_by_i))}")
    return f


def _country_of(tok, mentions_by_i: dict) -> Optional[str]:
    m = mentions_by_i.get(tok.i)
    return next((a.country for a in m.actors if a.country), None) if m is not None else None


def clause_features(verb, clause, lemma: str, mentions_by_i: dict) -> list:
    """What a verb's content clause says and of whom: its mood (a modal, a condition or "going to":
    "warned it would retaliate"; else plain: "warned that the deal is dangerous") and whether its
    subject is the verb's own side (a threat or a promise), another actor (an accusation, a
    request), an expletive ("there is more to come") or nobody the resolver knows."""
    sub = list(clause.subtree)
    doc = clause.doc
    modal = any((t.dep_ == "aux" and t.lower_ in CLAUSE_MODALS) or t.lower_ in ("if", "unless")
                or (t.lower_ == "going" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to")
                for t in sub)
    mood = "modal" if modal else "plain"
    csubj = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    own = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if csubj is None:
        who = "none"
    elif csubj.dep_ == "expl" or csubj.lower_ == "there":
        who = "expl"
    else:
        theirs = _country_of(csubj, mentions_by_i)
        ours = _country_of(own, mentions_by_i) if own is not None else None
        if theirs is None:
            who = "pron" if csubj.pos_ == "PRON" else "unknown"
        else:
            who = "self" if theirs == ours else "other"
    return [f"cmood={mood}", f"cwho={who}", f"cl={lemma}|{mood}|{who}"]


def dep_path(a, b) -> tuple[str, int]:
    """The dependency path from token `a` up to the lowest common ancestor and down to `b`, as a
    string of labels ("nsubj^" = up through an nsubj arc, "dobj_" = down into a dobj), and its
    length."""
    up_a = [a]
    while up_a[-1].head.i != up_a[-1].i and len(up_a) < 12:
        up_a.append(up_a[-1].head)
    idx = {t.i: n for n, t in enumerate(up_a)}
    down = []
    t = b
    steps = 0
    while t.i not in idx and t.head.i != t.i and steps < 12:
        down.append(t.dep_)
        t = t.head
        steps += 1
    if t.i not in idx:
        return "far", 99
    ups = [x.dep_ + "^" for x in up_a[: idx[t.i]]]
    downs = [d + "_" for d in reversed(down)]
    path = ups + downs
    if len(path) > MAX_PATH:
        return "long", len(path)
    return " ".join(path), len(path)


def argument_features(trig, mention: Mention, lex_type: Optional[str], rule_role: Optional[str],
                      n_mentions: int) -> list:
    m = mention.token
    path, plen = dep_path(m, trig)
    lemma = trig.lemma_.lower()
    ty = lex_type or "none"
    before = m.i < trig.i
    actor = mention.actors[0]
    f = ["bias", f"path={path}", f"pl={min(plen, 6)}", f"tp={ty}|{path}", f"lp={lemma}|{path}",
         f"dir={'b' if before else 'a'}", f"dist={_bucket(abs(m.i - trig.i))}",
         f"md={m.dep_}", f"mp={m.pos_}", f"me={m.ent_type_ or 'none'}",
         f"sec={actor.sector or 'none'}", f"cty={int(bool(actor.country))}",
         f"tsec={ty}|{actor.sector or 'none'}", f"tpos={trig.pos_}|{path}",
         f"nm={_bucket(n_mentions)}", f"tdir={ty}|{'b' if before else 'a'}"]
    if rule_role:
        f += [f"rule={rule_role}", f"rulep={rule_role}|{path}"]
    else:
        f.append("rule=none")
    if m.head.i == trig.i:
        f.append(f"direct={m.dep_}")
        f.append(f"tdirect={ty}|{m.dep_}")
    elif m.head.dep_ == "prep" and m.head.head.i == trig.i:
        f.append(f"viaprep={m.head.lower_}")
        f.append(f"tviaprep={ty}|{m.head.lower_}")
        f.append(f"lviaprep={lemma}|{m.head.lower_}")
    if any(c.dep_ == "auxpass" for c in trig.children):
        f.append(f"passive|{path}")
    if m.pos_ == "PRON":
        f.append(f"pron={m.lower_}")
    if mention.place:
        f += ["place", f"tplace={ty}|{path}"]
    if len(mention.actors) > 1:
        f.append("group")
    return f
