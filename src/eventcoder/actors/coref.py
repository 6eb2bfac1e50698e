"""In-article coreference: the memory of who was mentioned, and what later mentions refer back to.

`Memory` keeps the article's mentions in text order (`history`), the names and surnames it
introduced (`names`), the title words seen with each person (`titles`) and the pairs and groups
it named (`groups`). A pronoun ("he", "they", "it"), a pair ("both leaders"), a titled
description ("the president") or a state description ("the country", "the North") resolves to
the most recent compatible actor(s), main-clause subjects first."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..model import Actor
from .mentions import copy_actor
from .words import INTERNATIONAL_CODES, PERSON_PRONOUNS, PLURAL_PRONOUNS, THING_PRONOUNS

FIRST_PERSON = ("i", "me", "my", "we", "us", "our")


@dataclass
class Mention:
    actor: Actor
    token_i: int
    sent_i: int
    is_subject: bool
    kind: str  # person | group | org | country | other
    titles: frozenset = field(default_factory=frozenset)
    plural: bool = False


class Memory:
    """Who the article has mentioned so far. `sent_i` is the index of the sentence being read."""

    def __init__(self, kb, published: Optional[str]):
        self.kb = kb
        self.published = published
        self.sent_i = -1
        self.history: list[Mention] = []
        self.names: dict[str, Actor] = {}  # full names and surnames introduced in this article
        self.titles: dict[str, set] = {}  # canonical name -> title words seen with it in this article
        self.groups: list[tuple[int, int, list]] = []  # (token_i, sent_i, actors) of pairs/groups

    # ---- writing ---------------------------------------------------------------------------
    def remember(self, tok, actor: Actor, kind: str, titles=frozenset(), plural=False) -> None:
        # 2 = subject of the main clause, 1 = subject of an embedded clause, 0 = not a subject
        is_subject = 0
        if tok.dep_ in ("nsubj", "nsubjpass", "agent"):
            is_subject = 2 if tok.head.dep_ == "ROOT" else 1
        if kind == "person" and actor.name:
            known = self.titles.setdefault(actor.name, set())
            known.update(titles)
            titles = frozenset(known)
        self.history.append(Mention(actor, tok.i, self.sent_i, is_subject, kind, frozenset(titles), plural))
        if len(self.history) > 200:
            del self.history[:100]

    def remember_group(self, h, actors: list) -> None:
        if not any(g[0] == h.i for g in self.groups):
            self.groups.append((h.i, self.sent_i, list(actors)))
            if len(self.groups) > 50:
                del self.groups[:25]

    # ---- reading ---------------------------------------------------------------------------
    def recent_person(self, h, title: Optional[str], country: Optional[str]) -> Optional[Actor]:
        """The latest person before `h` with this title (and country), a recent main-clause
        subject first."""
        best = None
        for m in reversed(self.history):
            if m.kind != "person" or m.token_i >= h.i:
                continue
            if country and m.actor.country != country:
                continue
            if title and title != "leader" and title not in m.titles and not self.role_has(m.actor, title):
                continue
            if title == "leader" and m.actor.sector not in ("GOV", "ELI", "MIL", "REB", "OPP", "PTY"):
                continue
            # Salience: prefer a recent subject in the previous two sentences.
            if m.is_subject == 2 and m.sent_i >= self.sent_i - 2:
                return m.actor
            if best is None:
                best = m.actor
        return best

    def role_has(self, actor: Actor, title: str) -> bool:
        """Does the knowledge base's role for this person fit the title word?"""
        if not actor.name:
            return False
        entry = self.kb.person(actor.name, self.published)
        role = (entry.role or "") if entry is not None else ""
        return title in role or (title == "president" and "head_of_state" in role) or (
            title in ("premier", "prime") and "head_of_government" in role)

    def recent_pair(self, h, kinds) -> list[Actor]:
        """The latest pair or group mentioned before h, else the two latest distinct actors."""
        group = next((g for g in reversed(self.groups) if g[0] < h.i and g[1] >= self.sent_i - 2), None)
        if group is not None:
            return group[2]
        return self.recent_group(h, 2, kinds)

    def recent_group(self, h, n: int, kinds=("person", "country", "org")) -> list[Actor]:
        """The `n` most recent distinct actors (by code and name) before token h."""
        seen: list[Actor] = []
        for m in reversed(self.history):
            if m.token_i >= h.i or m.sent_i < self.sent_i - 2:
                continue
            if m.kind not in kinds:
                continue
            a = m.actor
            if any((a.name or a.code) == (b.name or b.code) for b in seen):
                continue
            seen.append(a)
            if len(seen) == n:
                break
        return list(reversed(seen)) if len(seen) == n else []

    def state_anaphor(self, h, toks, text: str, span, story_countries) -> Optional[Actor]:
        """"The country" / "the nation" (singular, no modifier) is the latest country named in the
        last two sentences; "the North" / "the South" is North / South Korea in a story that names
        either Korea (`story_countries()`: the countries the article names)."""
        words = [t for t in toks if t.dep_ not in ("case", "punct")]
        if not any(t.lower_ == "the" and t.dep_ == "det" for t in words) or len(words) > 2:
            return None
        low = h.lower_
        iso = None
        if low in ("country", "nation") and h.tag_ == "NN":
            for m in reversed(self.history):
                if m.token_i >= h.i or m.sent_i < self.sent_i - 2:
                    continue
                if m.kind == "country" and m.actor.country and len(m.actor.country) == 3 \
                        and m.actor.country not in INTERNATIONAL_CODES:
                    iso = m.actor.country
                    break
        elif h.text in ("North", "South") and {"PRK", "KOR"} & story_countries():
            iso = "PRK" if h.text == "North" else "KOR"
        if iso is None:
            return None
        return Actor(text=text, name=None, country=iso, sector=None, code=iso, span=span)

    def pronoun(self, h) -> list[Actor]:
        """What the pronoun `h` refers to: a person for he/she, the latest group or pair for
        they, the latest country, organisation or institution for it; first person is left to
        quote attribution."""
        low = h.lower_
        text = h.text
        span = (h.idx, h.idx + len(h.text))
        if low in PERSON_PRONOUNS or low in FIRST_PERSON:
            if low in FIRST_PERSON:
                return []  # first person: resolved by quote attribution, not here
            # Same sentence: the subject of the clause first, then the nearest person before.
            same = [m for m in self.history if m.sent_i == self.sent_i and m.token_i < h.i and m.kind == "person"]
            subj = [m for m in same if m.is_subject]
            if subj:
                return [copy_actor(subj[-1].actor, text, span)]
            prev = [m for m in self.history if m.sent_i < self.sent_i and m.kind == "person"]
            prev_subj = [m for m in prev if m.is_subject == 2 and m.sent_i >= self.sent_i - 2] or [
                m for m in prev if m.is_subject and m.sent_i >= self.sent_i - 2]
            if prev_subj:
                return [copy_actor(prev_subj[-1].actor, text, span)]
            if same:
                return [copy_actor(same[-1].actor, text, span)]
            if prev:
                return [copy_actor(prev[-1].actor, text, span)]
            return []
        if low in PLURAL_PRONOUNS:
            plural = next((m for m in reversed(self.history)
                           if m.token_i < h.i and m.plural and m.sent_i >= self.sent_i - 1), None)
            group = next((g for g in reversed(self.groups)
                          if g[0] < h.i and g[1] >= self.sent_i - 1), None)
            if group is not None and (plural is None or group[0] > plural.token_i):
                return [copy_actor(a, text, span) for a in group[2]]
            if plural is not None:
                return [copy_actor(plural.actor, text, span)]
            pair = self.recent_pair(h, ("person", "country", "org"))
            if pair:
                self.remember_group(h, pair)
            return [copy_actor(a, text, span) for a in pair]
        if low in THING_PRONOUNS:
            # "it": the latest country, organisation or singular institution ("the government")
            for m in reversed(self.history):
                if m.token_i < h.i and m.sent_i >= self.sent_i - 1 and (
                        m.kind in ("country", "org") or (m.kind == "other" and not m.plural and m.actor.sector)):
                    return [copy_actor(m.actor, text, span)]
        return []
