"""interlock's centrality against networkx's on the same small graphs."""

import json
import os
import random
import subprocess
import tempfile

import networkx as nx
import pytest

from conftest import ROOT, interlock_binary


def timeline(edges, people):
    """A timeline whose ties are `edges` (pairs of entity ids)."""
    ids = sorted({n for e in edges for n in e})
    lines = ['[dataset]', 'id = "centrality-check"', 'title = { en = "centrality check" }', ""]
    for i in ids:
        kind = "person" if i in people else "company"
        lines += ["[[entity]]", f'id = "{i}"', f'kind = "{kind}"', f'name = {{ en = "{i}" }}', ""]
    lines += ["[[source]]", 'id = "s"', 'kind = "report"', 'title = "generated"', 'language = "en"', ""]
    for k, (a, b) in enumerate(edges):
        kind = "board-membership" if a in people else "partnership"
        lines += ["[[relationship]]", f'id = "r{k}"', f'kind = "{kind}"', f'subject = "{a}"', f'object = "{b}"',
                  'during = "2010/2012"', 'status = "reported"', "",
                  "[[relationship.evidence]]", 'source = "s"', 'quote = "generated"', ""]
    return "\n".join(lines)


def graphs():
    rng = random.Random(7)
    out = []
    for n, m in [(8, 12), (15, 30), (25, 40)]:
        while True:
            g = nx.gnm_random_graph(n, m, seed=rng.randrange(10**6))
            if nx.is_connected(g):
                break
        people = {f"p{v}" for v in g.nodes if v % 3 == 0}
        name = lambda v: f"p{v}" if v % 3 == 0 else f"c{v}"
        out.append([(name(a), name(b)) for a, b in g.edges])
    return out


def interlock_scores(store, measure):
    out = subprocess.run(
        [interlock_binary(), "--store", store, "centrality", "--measure", measure, "--top", "1000", "--format", "json"],
        check=True, capture_output=True, text=True,
    ).stdout
    return {s["id"]: s["score"] for s in json.loads(out)}


@pytest.mark.parametrize("edges", graphs())
def test_centrality_matches_networkx(edges):
    people = {n for e in edges for n in e if n.startswith("p")}
    # Person first, so board seats run from a person to a company.
    edges = [(b, a) if b in people and a not in people else (a, b) for a, b in edges]
    g = nx.Graph(edges)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "g.toml")
        with open(path, "w") as f:
            f.write(timeline(edges, people))
        store = os.path.join(d, "store")
        subprocess.run([interlock_binary(), "--store", store, "load", path], check=True, capture_output=True)
        expected = {
            "degree": nx.degree_centrality(g),
            "betweenness": nx.betweenness_centrality(g, normalized=True, endpoints=False),
            "closeness": nx.closeness_centrality(g, wf_improved=True),
            "pagerank": nx.pagerank(g, alpha=0.85, tol=1e-14, max_iter=10000),
        }
        for measure, want in expected.items():
            got = interlock_scores(store, measure)
            assert set(got) == set(want), measure
            for node, value in want.items():
                assert abs(got[node] - value) < 1e-9, (measure, node, got[node], value)
