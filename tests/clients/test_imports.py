"""Imports of real datasets, checked against answers computed here, in
Python, straight from the source files (not from interlock's output)."""

import csv
import html
import datetime as dt
import json
import os
import subprocess
import tempfile
from collections import defaultdict
from itertools import combinations

import networkx as nx
import pytest

from conftest import ROOT, SHARED, interlock_binary

EXTERNAL = os.path.join(SHARED, "external", "data")
NORWAY = os.path.join(EXTERNAL, "norway_boards", "board_seats.csv")
IRELAND = os.path.join(EXTERNAL, "irish_directorates", "board_membership_by_year.csv")
DONATIONS = os.path.join(EXTERNAL, "ftm_donations", "donations.ijson")
FAR_PAST, FAR_FUTURE = dt.date.min, dt.date.max


def run(store, *args):
    out = subprocess.run([interlock_binary(), "--store", store, *args], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture(scope="module")
def store():
    with tempfile.TemporaryDirectory() as d:
        run(d, "import", "csv", NORWAY, "--mapping", os.path.join(ROOT, "data", "mappings", "norway_boards.toml"))
        run(d, "import", "csv", IRELAND, "--mapping", os.path.join(ROOT, "data", "mappings", "irish_directorates.toml"))
        run(d, "import", "ftm", DONATIONS)
        yield d


def month(text):
    return dt.date.fromisoformat(text).replace(day=1)


def month_end(day):
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def norway_seats():
    """Each seat as (person, company, first possible day, last possible day)."""
    seats = []
    with open(NORWAY, newline="") as f:
        for row in csv.DictReader(f):
            first = month(row["first_seen"])
            last = month_end(month(row["last_seen"]))
            if first <= dt.date(2002, 5, 1):
                first = FAR_PAST  # seen in the first snapshot: began then or before
            if row["end_censored"] == "true" or last >= dt.date(2011, 8, 1):
                last = FAR_FUTURE  # still held in the last snapshot
            seats.append((row["person_id"], row["company_id"], first, last))
    return seats


def overlapping(seats, window):
    """(person, company, company) for every two seats of one person that may
    both have held on some day of the window."""
    by_person = defaultdict(list)
    for person, company, first, last in seats:
        by_person[person].append((company, first, last))
    found = set()
    for person, mine in by_person.items():
        for (a, fa, la), (b, fb, lb) in combinations(mine, 2):
            if a != b and max(fa, fb, window[0]) <= min(la, lb, window[1]):
                found.add((person,) + tuple(sorted([a, b])))
    return found


def test_norwegian_interlocks_in_march_2008(store):
    march = (dt.date(2008, 3, 1), dt.date(2008, 3, 31))
    seats = [(f"no-person-{p}", f"no-company-{c}", first, last) for p, c, first, last in norway_seats()]
    expected = overlapping(seats, march)
    got = json.loads(run(store, "interlocks", "--at", "2008-03", "--format", "json"))
    got_norway = {(i["through"], i["a"], i["b"]) for i in got if i["through"].startswith("no-")}
    assert len(expected) > 100
    assert got_norway == expected
    # The names come from the CSV, its character references (B&Oslash;RS) read
    # as the characters they stand for.
    names = {}
    with open(NORWAY, newline="") as f:
        for row in csv.DictReader(f):
            names[f"no-person-{row['person_id']}"] = html.unescape(row["person_name"])
            names[f"no-company-{row['company_id']}"] = html.unescape(row["company_name"])
    for i in [i for i in got if i["through"].startswith("no-")][:20]:
        assert (i["through_label"], i["a_label"], i["b_label"]) == (names[i["through"]], names[i["a"]], names[i["b"]])


@pytest.fixture(scope="module")
def norway_only():
    with tempfile.TemporaryDirectory() as d:
        run(d, "import", "csv", NORWAY, "--mapping", os.path.join(ROOT, "data", "mappings", "norway_boards.toml"))
        yield d


def test_most_central_norwegian_directors_in_2008(norway_only):
    year = (dt.date(2008, 1, 1), dt.date(2008, 12, 31))
    g = nx.Graph()
    for person, company, first, last in norway_seats():
        if max(first, year[0]) <= min(last, year[1]):
            g.add_edge(f"no-person-{person}", f"no-company-{company}")
    expected = nx.degree_centrality(g)
    got = json.loads(run(norway_only, "centrality", "--measure", "degree", "--at", "2008", "--top", "10", "--format", "json"))
    assert len(got) == 10
    assert [s["score"] for s in got] == pytest.approx(sorted(expected.values(), reverse=True)[:10], abs=1e-12)
    for s in got:
        assert s["score"] == pytest.approx(expected[s["id"]], abs=1e-12)
    # The most central directors: scores on the whole graph, directors shown.
    directors = json.loads(run(norway_only, "centrality", "--measure", "degree", "--at", "2008", "--kind", "person", "--top", "5", "--format", "json"))
    people = sorted((v for k, v in expected.items() if k.startswith("no-person-")), reverse=True)[:5]
    assert [s["score"] for s in directors] == pytest.approx(people, abs=1e-12)
    assert all(s["kind"] == "Person" and s["score"] == pytest.approx(expected[s["id"]], abs=1e-12) for s in directors)


def irish_spells():
    """Each seat as (director, company, first possible day, last possible day)."""
    years = defaultdict(set)
    all_years = set()
    with open(IRELAND, newline="") as f:
        for row in csv.DictReader(f):
            y = int(row["year_end"])
            years[(row["director"].strip(), row["company"].strip())].add(y)
            all_years.add(y)
    first_year, last_year = min(all_years), max(all_years)
    spells = []
    for (director, company), ys in years.items():
        ys = sorted(ys)
        run_start = ys[0]
        for prev, cur in zip(ys + [None], ys[1:] + [None]):
            if cur is not None and cur == prev + 1:
                continue
            start = FAR_PAST if run_start == first_year else dt.date(run_start, 1, 1)
            end = FAR_FUTURE if prev == last_year else dt.date(prev + 1, 12, 30)
            spells.append((director, company, start, end))
            run_start = cur
    return spells


def test_links_between_irish_companies_in_2010(store):
    year = (dt.date(2010, 1, 1), dt.date(2010, 12, 31))
    shared = defaultdict(set)
    for director, a, b in overlapping(irish_spells(), year):
        shared[frozenset((a, b))].add(director)
    pair, directors = max(shared.items(), key=lambda kv: (len(kv[1]), sorted(kv[0])))
    a, b = sorted(pair)
    def ids(prefix, name):
        # The documented id rule: lowercase ASCII letters, digits, '_' and '.'
        # kept, every other run of characters one '-', none at either end.
        kept = "".join(c.lower() if (c.isascii() and c.isalnum()) or c in "_." else "-" for c in prefix + name)
        return "-".join(filter(None, kept.split("-"))).strip("-._")
    got = json.loads(run(store, "links", ids("ie-company-", a), ids("ie-company-", b), "--during", "2010", "--max-hops", "2", "--format", "json"))
    through = {l["path"][1] for l in got if len(l["steps"]) == 2}
    assert through == {ids("ie-director-", d) for d in directors}
    assert len(directors) >= 2


def test_every_ftm_payment_is_a_dated_payment(store):
    payments = []
    with open(DONATIONS) as f:
        for line in f:
            e = json.loads(line)
            if e["schema"] == "Payment":
                payments.append(e)
    q = """PREFIX il: <https://w3id.org/interlock/ontology#>
PREFIX schema: <http://schema.org/>
SELECT ?id ?payer ?payee ?date ?value ?currency WHERE {
  GRAPH <https://w3id.org/interlock/id/graph/donations> {
    ?r a il:Payment ; il:relationshipId ?id ; il:subject/il:entityId ?payer ; il:object/il:entityId ?payee ;
       il:startDate ?date ; il:amount [ schema:value ?value ; schema:currency ?currency ] .
  }
}"""
    rows = json.loads(run(store, "query", q, "--format", "json"))["results"]["bindings"]
    got = {r["id"]["value"]: r for r in rows}
    assert len(got) == len(payments) == 290
    for p in payments:
        r = got[p["id"]]
        props = p["properties"]
        assert r["payer"]["value"] == props["payer"][0]
        assert r["payee"]["value"] == props["beneficiary"][0]
        assert r["date"]["value"] == props["date"][0]
        assert r["date"]["datatype"] == "http://www.w3.org/2001/XMLSchema#date"
        assert float(r["value"]["value"]) == float(props["amountEur"][0])
        assert r["currency"]["value"] == "EUR"
