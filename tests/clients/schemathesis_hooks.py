"""What schemathesis cannot know from the OpenAPI document alone: how to
write a valid value of the custom string format `sparql-query` (a SPARQL
query). Dates need no hook: their syntax is a pattern in the document.
Loaded with SCHEMATHESIS_HOOKS=schemathesis_hooks."""

import schemathesis
from hypothesis import strategies as st

SPARQL = [
    "ASK { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "CONSTRUCT WHERE { ?s a ?type } LIMIT 5",
    "PREFIX il: <https://w3id.org/interlock/ontology#> SELECT ?id WHERE { ?e il:entityId ?id }",
]

schemathesis.openapi.format("sparql-query", st.sampled_from(SPARQL))


@schemathesis.hook
def map_query(ctx, query):
    """A query parameter whose generated value is null would not be sent at
    all, and a request meant to break the schema (a key it does not allow)
    would arrive unbroken: send the null as text, so the server sees the key.
    No valid request has a null: the document's parameters are never null."""
    if not query:
        return query
    return {key: ("null" if value is None else value) for key, value in query.items()}
