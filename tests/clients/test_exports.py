"""Every export read back by an independent tool: networkx, xmllint against
the GEXF 1.3 schema, Graphviz."""

import csv
import json
import os
import subprocess
import tempfile

import networkx as nx
import pytest

from conftest import ROOT, SHARED, interlock_binary

GEXF_XSD = os.path.join(SHARED, "external", "gexf-schemas", "gexf-1.3", "gexf.xsd")
NODES, EDGES = 7, 11  # the seed: 7 entities, 11 relationships


@pytest.fixture(scope="module")
def store():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([interlock_binary(), "--store", d, "load", os.path.join(ROOT, "data")],
                       check=True, capture_output=True)
        yield d


def export(store, fmt, *extra, suffix=""):
    path = os.path.join(store, "export-" + fmt + "".join(extra).replace("/", "_") + suffix)
    subprocess.run([interlock_binary(), "--store", store, "export", "--format", fmt, "-o", path, *extra],
                   check=True, capture_output=True)
    return path


def test_graphml_reads_back_in_networkx(store):
    g = nx.read_graphml(export(store, "graphml"))
    assert (g.number_of_nodes(), g.number_of_edges()) == (NODES, EDGES)
    assert g.nodes["reed-hastings"] == {"label": "Reed Hastings", "kind": "Person"}
    board = [d for _, _, d in g.edges(data=True) if d["relationship"] == "hastings-facebook-board"][0]
    assert board["time"] == "2011/2019"
    assert (board["start"], board["end"]) == ("2011-01-01", "2019-12-31")


def test_gexf_validates_and_reads_back(store):
    path = export(store, "gexf")
    check = subprocess.run(["xmllint", "--noout", "--schema", GEXF_XSD, path], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    g = nx.read_gexf(path)
    assert (g.number_of_nodes(), g.number_of_edges()) == (NODES, EDGES)
    assert g.graph["mode"] == "dynamic"
    titan = [d for _, _, d in g.edges(data=True) if d["relationship"] == "titan-api-access"][0]
    assert titan["start"] == "2013-08-01" and "end" not in titan
    assert titan["kind"] == "api-access"


def test_cytoscape_json_reads_back(store):
    with open(export(store, "cytoscape")) as f:
        data = json.load(f)
    g = nx.cytoscape_graph(data)
    assert (g.number_of_nodes(), g.number_of_edges()) == (NODES, EDGES)
    assert data["elements"]["nodes"][0]["data"].keys() >= {"id", "name", "kind"}


def test_dot_renders_with_graphviz(store):
    path = export(store, "dot")
    svg = subprocess.run(["dot", "-Tsvg", path], check=True, capture_output=True, text=True).stdout
    assert svg.count('class="node"') == NODES
    assert svg.count('class="edge"') == EDGES
    assert "Reed Hastings" in svg


def test_csv_nodes_and_edges(store):
    edges = export(store, "csv", suffix=".csv")
    nodes = edges[: -len(".csv")] + ".nodes.csv"
    with open(edges) as f:
        rows = list(csv.DictReader(f))
    with open(nodes) as f:
        node_rows = list(csv.DictReader(f))
    assert len(rows) == EDGES and len(node_rows) == NODES
    ad = [r for r in rows if r["relationship"] == "netflix-facebook-ad-spend"][0]
    assert (ad["source"], ad["target"], ad["time"], ad["start"], ad["end"]) == ("netflix", "facebook", "[..2019-01~]/", "", "")


def test_a_snapshot_keeps_what_held_then(store):
    g = nx.read_graphml(export(store, "graphml", "--at", "2021"))
    # The board seat (2011/2019) is gone by 2021; the undated and open-ended ties may still hold.
    ids = {d["relationship"] for _, _, d in g.edges(data=True)}
    assert "hastings-facebook-board" not in ids
    assert "hastings-netflix-ceo" in ids
    # A snapshot holds the entities tied then (the three APIs are never tied).
    assert set(g.nodes) == {"netflix", "facebook", "reed-hastings", "us-congress"}


CHAIN = """
[dataset]
id = "chain"
title = { en = "chain" }
""" + "".join(f"""
[[entity]]
id = "{e}"
kind = "company"
name = {{ en = "{e}" }}
""" for e in "abc") + """
[[source]]
id = "s"
kind = "report"
title = "t"
language = "en"
""" + "".join(f"""
[[relationship]]
id = "{i}"
kind = "partnership"
subject = "{i[0]}"
object = "{i[1]}"
during = "{d}"
status = "reported"
[[relationship.evidence]]
source = "s"
quote = "q"
""" for i, d in [("ab", "2010/2011"), ("bc", "2013-05/..")])


def test_gexf_nodes_come_and_go_with_their_ties():
    with tempfile.TemporaryDirectory() as d:
        timeline = os.path.join(d, "chain.toml")
        with open(timeline, "w") as f:
            f.write(CHAIN)
        subprocess.run([interlock_binary(), "--store", d, "load", timeline], check=True, capture_output=True)
        path = export(d, "gexf")
        check = subprocess.run(["xmllint", "--noout", "--schema", GEXF_XSD, path], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        g = nx.read_gexf(path)
        # networkx keeps a missing end as the string "None".
        assert g.nodes["a"]["spells"] == [("2010-01-01", "2011-12-31")]
        assert g.nodes["b"]["spells"] == [("2010-01-01", "2011-12-31"), ("2013-05-01", "None")]
        assert g.nodes["c"]["spells"] == [("2013-05-01", "None")]
