"""Deduplication across articles (see eventcoder.dedup and docs/store.md for the rule)."""
from __future__ import annotations

from eventcoder.model import Actor, Article, Event
from eventcoder.store import Coded, Store


def ev(aid, src, tgt, code, date, *, sent=0, span=(0, 3), status="occurred", trigger="met",
       published=None, sentence="s"):
    return Event(article_id=aid, date=date, published=published or date,
                 source=Actor(src, country=src[:3] if src else None, sector=src[3:] or None)
                 if src else None,
                 target=Actor(tgt, country=tgt[:3] if tgt else None, sector=tgt[3:] or None)
                 if tgt else None,
                 cameo_code=code, cameo_root=code[:2], cameo_name="n", goldstein=1.0, quad_class=1,
                 plover_type="CONSULT", plover_mode=None, status=status, location=None,
                 sentence_index=sent, sentence=sentence, trigger=trigger, span=span)


# These tests are about the date rule alone (a new store's default adds the learned scorer:
# tests/test_dedup_score.py), with actors compared by name as that rule does.
DATE = {"scorer": "none", "actor_level": "name"}


def art(aid, source=None, url=None, published="2025-02-18"):
    return Article(aid, f"text of {aid}", published=published, source_name=source, url=url)


def clusters(st):
    return st.con.execute(
        "SELECT source_code, target_code, cameo_base, first_seen, last_seen, num_mentions, "
        "num_sources, num_articles, rep_event_id FROM event_clusters "
        "ORDER BY first_seen, source_code, target_code, cameo_base").fetchall()


def test_one_event_reported_differently_by_several_articles_is_one_cluster():
    # Three outlets, different words, sentences and CAMEO leaf codes (0421 vs 042): one event.
    items = [
        Coded(art("ap1", "AP"), [ev("ap1", "USAGOV", "RUSGOV", "042", "2025-02-18",
                                    trigger="visited", sent=0, sentence="Rubio visited Lavrov.")]),
        Coded(art("rt1", "Reuters"), [ev("rt1", "USAGOV", "RUSGOV", "0421", "2025-02-18",
                                         trigger="travelled", sent=3,
                                         sentence="The US secretary travelled to see Lavrov.")]),
        Coded(art("rt2", "Reuters"), [ev("rt2", "USAGOV", "RUSGOV", "042", None,
                                         published="2025-02-18", trigger="trip", sent=1)]),
        # the same article mentions it twice: two mentions, one article
        Coded(art("bbc", url="https://www.bbc.co.uk/news/1"), [
            ev("bbc", "USAGOV", "RUSGOV", "042", "2025-02-18", sent=0, span=(0, 5)),
            ev("bbc", "USAGOV", "RUSGOV", "042", "2025-02-18", sent=4, span=(90, 95))]),
    ]
    with Store(dedup=DATE) as st:
        st.ingest(items)
        rows = clusters(st)
        assert len(rows) == 1
        src, tgt, base, first, last, mentions, sources, articles, rep = rows[0]
        assert (src, tgt, base) == ("USAGOV", "RUSGOV", "042")
        assert (mentions, sources, articles) == (5, 3, 4)  # AP, Reuters, www.bbc.co.uk
        assert str(first) == str(last) == "2025-02-18"
        ids = {r[0] for r in st.con.execute("SELECT DISTINCT cluster_id FROM events").fetchall()}
        assert len(ids) == 1
        page = st.events(unique=True)
        assert page["total"] == 1 and page["events"][0]["num_mentions"] == 5
        assert page["events"][0]["event_id"] == rep


def test_two_events_that_look_alike_stay_apart():
    items = [
        # same dyad and code, different days (window 0 = same day)
        Coded(art("d1"), [ev("d1", "USAGOV", "RUSGOV", "042", "2025-02-18")]),
        Coded(art("d2", published="2025-02-19"), [ev("d2", "USAGOV", "RUSGOV", "042", "2025-02-19")]),
        # same day, reversed direction: Russia visits the US is another visit
        Coded(art("d3"), [ev("d3", "RUSGOV", "USAGOV", "042", "2025-02-18")]),
        # ... but "the US hosts Russia" (043) is that same visit told from the other side
        Coded(art("d4"), [ev("d4", "USAGOV", "RUSGOV", "043", "2025-02-18")]),
        # same day, dyad and code, but negated
        Coded(art("d5"), [ev("d5", "USAGOV", "RUSGOV", "042", "2025-02-18", status="negated")]),
        # same day and code, another target sector
        Coded(art("d6"), [ev("d6", "USAGOV", "RUSMIL", "042", "2025-02-18")]),
    ]
    with Store(dedup=DATE) as st:
        st.ingest(items)
        assert len(clusters(st)) == 5
        together = st.con.execute("SELECT count(DISTINCT cluster_id) FROM events "
                                  "WHERE article_id IN ('d3', 'd4')").fetchone()[0]
        assert together == 1
        assert all(r[5] == 1 for r in clusters(st) if r[0] != "RUSGOV" and r[2] != "043")


def test_window_merges_nearby_days_and_is_recorded():
    items = [Coded(art(f"w{i}", published=d), [ev(f"w{i}", "FRAGOV", "DEUGOV", "040", d)])
             for i, d in enumerate(["2025-02-10", "2025-02-11", "2025-02-12", "2025-02-20"])]
    with Store(dedup=DATE) as st:
        st.ingest(items)
        assert len(clusters(st)) == 4
        assert st.recluster(1) == 2  # 10-11-12 chain (each within a day of the previous); 20 alone
        rows = clusters(st)
        assert [(str(r[3]), str(r[4]), r[5]) for r in rows] == [
            ("2025-02-10", "2025-02-12", 3), ("2025-02-20", "2025-02-20", 1)]
        # new mentions use the stored window
        st.ingest([Coded(art("w9", published="2025-02-21"),
                         [ev("w9", "FRAGOV", "DEUGOV", "040", "2025-02-21")])])
        assert [r[5] for r in clusters(st)] == [3, 2]
        assert st.recluster(0) == 5


def test_cluster_id_is_stable_when_later_mentions_arrive():
    with Store(dedup=DATE) as st:
        st.ingest([Coded(art("s1"), [ev("s1", "USAGOV", "CHNGOV", "040", "2025-02-18")])])
        cid = st.con.execute("SELECT cluster_id FROM events").fetchone()[0]
        st.ingest([Coded(art("s2", "X"), [ev("s2", "USAGOV", "CHNGOV", "040", "2025-02-18")])])
        assert {r[0] for r in st.con.execute("SELECT cluster_id FROM events").fetchall()} == {cid}
        assert st.con.execute("SELECT num_mentions FROM event_clusters").fetchone()[0] == 2


def test_events_without_actors_or_dates_are_never_merged():
    items = [Coded(art("n1"), [ev("n1", None, None, "140", "2025-02-18")]),
             Coded(art("n2"), [ev("n2", None, None, "140", "2025-02-18")]),
             Coded(Article("n3", "t3"), [ev("n3", "USAGOV", "RUSGOV", "040", None, published=None)]),
             Coded(Article("n4", "t4"), [ev("n4", "USAGOV", "RUSGOV", "040", None, published=None)])]
    with Store(dedup=DATE) as st:
        st.ingest(items)
        assert st.con.execute("SELECT count(*) FROM event_clusters").fetchone()[0] == 4


def test_representative_is_the_earliest_mention():
    items = [Coded(art("late", published="2025-02-19"),
                   [ev("late", "USAGOV", "RUSGOV", "040", "2025-02-18", published="2025-02-19")]),
             Coded(art("early"), [ev("early", "USAGOV", "RUSGOV", "040", "2025-02-18")])]
    with Store(dedup=DATE) as st:
        st.ingest(items)
        rep = st.con.execute("SELECT e.article_id FROM event_clusters c JOIN events e "
                             "ON e.event_id = c.rep_event_id").fetchone()[0]
        assert rep == "early"  # same event date: the earliest published report wins


# ---- the rule of issue 15: one event, one record ------------------------------------------------
def ev2(aid, src, tgt, code, date, plover="CONSULT", name_s=None, name_t=None, precision="day",
        reference=False, published=None, goldstein=1.0, status="occurred"):
    def actor(c, name):
        return Actor(c, name=name, country=c[:3], sector=c[3:] or None) if c else None

    return Event(article_id=aid, date=date, published=published or date or "2025-02-18",
                 source=actor(src, name_s), target=actor(tgt, name_t), cameo_code=code,
                 cameo_root=code[:2], cameo_name="n", goldstein=goldstein, quad_class=1,
                 plover_type=plover, plover_mode=None, status=status, location=None,
                 sentence_index=0, sentence=f"{src} {code} {tgt}", trigger="t", span=(0, 1),
                 date_precision=precision, reference=reference)


def groups(st):
    """Sets of article ids that share a cluster."""
    rows = st.con.execute("SELECT cluster_id, list(article_id ORDER BY article_id) FROM events "
                          "GROUP BY 1").fetchall()
    return sorted(sorted(r[1]) for r in rows)


def store_of(events, **rule):
    st = Store(dedup={**DATE, **rule})
    st.ingest([Coded(art(e.article_id, published=e.published), [e]) for e in events])
    return st


def test_an_empty_actor_slot_is_never_a_wildcard():
    with store_of([ev2("e1", "USAGOV", None, "040", "2025-02-18"),
                   ev2("e2", "USAGOV", None, "040", "2025-02-18"),
                   ev2("e3", "USAGOV", "RUSGOV", "040", "2025-02-18"),
                   ev2("e4", None, "RUSGOV", "040", "2025-02-18")]) as st:
        assert groups(st) == [["e1"], ["e2"], ["e3"], ["e4"]]
        # no cross-article cluster has an empty actor slot
        assert st.con.execute("SELECT count(*) FROM event_clusters WHERE num_articles > 1").fetchone()[0] == 0


def test_actors_compare_at_the_level_both_mentions_give():
    with store_of([ev2("c2", "USA", "RUSGOV", "040", "2025-02-18"),   # only the country: the same
                   ev2("c1", "USAGOV", "RUSGOV", "040", "2025-02-18"),
                   ev2("c5", "USAGOV", "RUSGOV", "040", "2025-02-18"),
                   ev2("c3", "USAMIL", "RUSGOV", "040", "2025-02-18"),  # another sector: not
                   ev2("c4", "USA", "RUS", "040", "2025-02-18")]) as st:
        # c2 and c4 join the (larger) government meeting; USA never chains the military's
        # meeting into it, whatever order the mentions come in
        assert groups(st) == [["c1", "c2", "c4", "c5"], ["c3"]]


def test_named_people_must_agree_unless_the_rule_says_sector():
    evs = [ev2("n1", "USAGOV", "PRKGOV", "040", "2025-02-18", name_s="Donald Trump"),
           ev2("n2", "USAGOV", "PRKGOV", "040", "2025-02-18", name_s="Mike Pompeo"),
           ev2("n3", "USAGOV", "PRKGOV", "040", "2025-02-18"),  # unnamed: joins the larger
           ev2("n4", "USAGOV", "PRKGOV", "040", "2025-02-18", name_s="Donald Trump")]
    with store_of(evs) as st:
        assert groups(st) == [["n1", "n3", "n4"], ["n2"]]
        st.recluster(actor_level="sector")
        assert groups(st) == [["n1", "n2", "n3", "n4"]]
        assert st.dedup_rule.actor_level == "sector"


def test_reciprocal_acts_match_in_either_direction_and_types_by_plover():
    evs = [ev2("r1", "USAGOV", "RUSGOV", "040", "2025-02-18"),
           ev2("r2", "RUSGOV", "USAGOV", "046", "2025-02-18"),  # negotiate: CONSULT, reciprocal
           ev2("r3", "RUSGOV", "USAGOV", "112", "2025-02-18", plover="ACCUSE")]
    with store_of(evs) as st:
        assert groups(st) == [["r1", "r2"], ["r3"]]
        st.recluster(reciprocal=False)
        assert groups(st) == [["r1"], ["r2"], ["r3"]]
        st.recluster(reciprocal=True, type_level="base")
        assert groups(st) == [["r1"], ["r2"], ["r3"]]


def test_dates_match_within_the_precision_of_the_less_precise_date():
    evs = [ev2("t1", "USAGOV", "IRNGOV", "040", "2025-02-18"),
           ev2("t2", "USAGOV", "IRNGOV", "040", "2025-02-01", precision="month", published="2025-04-02",
               reference=True),                                    # "the February talks"
           ev2("t3", "USAGOV", "IRNGOV", "040", "2025-03-02"),     # another month
           ev2("t4", "USAGOV", "IRNGOV", "040", "2025-02-25")]     # February, but another day
    with store_of(evs) as st:
        assert groups(st) == [["t1", "t2"], ["t3"], ["t4"]]


def test_a_reference_joins_the_event_it_refers_to_and_never_represents_it():
    evs = [ev2("f1", "USAGOV", "IRNGOV", "057", "2015-07-14", plover="AGREE"),
           ev2("f2", "USAGOV", "IRNGOV", "057", None, plover="AGREE", precision="none", reference=True,
               published="2018-05-08"),                            # "the Iran deal"
           ev2("f3", "USAGOV", "IRNGOV", "057", "2015-01-01", plover="AGREE", precision="year",
               reference=True, published="2019-01-10")]            # "the 2015 deal"
    with store_of(evs) as st:
        assert groups(st) == [["f1", "f2", "f3"]]
        rep, first = st.con.execute("SELECT e.article_id, c.first_seen FROM event_clusters c "
                                    "JOIN events e ON e.event_id = c.rep_event_id").fetchone()
        assert rep == "f1" and str(first) == "2015-07-14"
        # an undated reference is not dated on its publication day
        assert st.con.execute("SELECT event_date FROM events WHERE article_id = 'f2'").fetchone()[0] is None


def test_the_rule_is_kept_in_the_store(tmp_path):
    db = str(tmp_path / "r.duckdb")
    with Store(db, dedup={"actor_level": "country", "type_level": "root"}) as st:
        st.ingest([Coded(art("k1"), [ev2("k1", "USAGOV", "RUSGOV", "040", "2025-02-18")])])
    with Store(db) as st:
        r = st.dedup_rule
        assert (r.actor_level, r.type_level, r.window) == ("country", "root", 0)
    import pytest

    with pytest.raises(ValueError, match="actor_level must be one of"):
        Store(dedup={"actor_level": "planet"})


def test_an_old_store_without_the_new_columns_opens(tmp_path):
    import pytest

    from eventcoder.store import StoreError

    db = str(tmp_path / "old.duckdb")
    with Store(db) as st:
        st.ingest([Coded(art("o1"), [ev2("o1", "USAGOV", "RUSGOV", "040", "2025-02-18")]),
                   Coded(art("o2"), [ev2("o2", "RUSGOV", "USAGOV", "040", "2025-02-18")])])
        st.con.execute("ALTER TABLE events DROP COLUMN reference")
        st.con.execute("ALTER TABLE events DROP COLUMN date_precision")
        st.con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="older eventcoder .*open it once for writing"):
        Store(db, read_only=True)
    with Store(db) as st:  # writable: upgraded in place
        assert st.con.execute("SELECT list(DISTINCT reference), list(DISTINCT date_precision) "
                              "FROM events").fetchone() == ([False], ["day"])
        assert groups(st) == [["o1", "o2"]]
    with Store(db, read_only=True) as st:
        assert st.events()["events"][0]["date_precision"] == "day"
