"""rdflib and SPARQLWrapper against the served seed: SELECT, ASK, CONSTRUCT."""

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

SELECT = """
PREFIX il: <https://w3id.org/interlock/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name ?time WHERE {
  ?r a il:BoardMembership ; il:subject ?p ; il:edtf ?time .
  ?p rdfs:label ?name . FILTER(LANG(?name) = "en")
}"""

ASK = """
PREFIX il: <https://w3id.org/interlock/ontology#>
PREFIX id: <https://w3id.org/interlock/id/>
ASK { id:netflix il:hasApiAccessTo id:facebook }"""

ASK_FALSE = """
PREFIX il: <https://w3id.org/interlock/ontology#>
PREFIX id: <https://w3id.org/interlock/id/>
ASK { id:facebook il:hasApiAccessTo id:netflix }"""

CONSTRUCT = """
PREFIX il: <https://w3id.org/interlock/ontology#>
CONSTRUCT { ?p il:boardMemberOf ?o } WHERE { ?p il:boardMemberOf ?o }"""

HASTINGS = URIRef("https://w3id.org/interlock/id/reed-hastings")
FACEBOOK = URIRef("https://w3id.org/interlock/id/facebook")
BOARD = URIRef("https://w3id.org/interlock/ontology#boardMemberOf")


def test_rdflib_sparqlstore(endpoint):
    graph = Graph(store=SPARQLStore(endpoint))
    rows = [(str(r.name), str(r.time)) for r in graph.query(SELECT)]
    assert rows == [("Reed Hastings", "2011/2019")]
    assert graph.query(ASK).askAnswer is True
    assert graph.query(ASK_FALSE).askAnswer is False
    constructed = graph.query(CONSTRUCT).graph
    assert set(constructed) == {(HASTINGS, BOARD, FACEBOOK)}


def test_rdflib_sends_default_graph_uri(endpoint):
    seed = "https://w3id.org/interlock/id/graph/netflix-facebook"
    graph = Graph(store=SPARQLStore(endpoint), identifier=URIRef(seed))
    rows = list(graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/interlock/ontology#Relationship> }"))
    assert int(rows[0].n) == 11


def test_sparqlwrapper_select_ask_construct(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    rows = [(b["name"]["value"], b["time"]["value"]) for b in result["results"]["bindings"]]
    assert rows == [("Reed Hastings", "2011/2019")]

    client.setQuery(ASK)
    client.setReturnFormat(JSON)
    assert client.query().convert()["boolean"] is True

    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    data = client.query().convert()
    graph = Graph().parse(data=data, format="turtle")
    assert set(graph) == {(HASTINGS, BOARD, FACEBOOK)}


def test_sparqlwrapper_post(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setMethod("POST")
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert result["results"]["bindings"][0]["name"] == {"type": "literal", "value": "Reed Hastings", "xml:lang": "en"}
