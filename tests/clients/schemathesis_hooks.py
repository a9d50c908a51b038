"""What schemathesis cannot know from the OpenAPI document alone: how to
write a valid value of the custom string format `sparql-query` (a SPARQL
query). Dates need no hook: their syntax is a pattern in the document.
Loaded with SCHEMATHESIS_HOOKS=schemathesis_hooks."""

import json

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
    """A query parameter whose generated value is null (or, for `/api/*`,
    whose parameters are all strings and numbers, a list or an object,
    which may hold nothing form encoding keeps) would not be sent at all. A request
    meant to break the schema (a key it does not allow) would then arrive
    unbroken: send such a value as text, so the server sees the key. No
    valid request has one. (`/sparql`'s graph lists are arrays: an empty
    one is valid, and means none.)"""
    if not query:
        return query
    path = getattr(getattr(ctx, "operation", None), "path", "")
    scalars_only = path.startswith("/api/")
    return {key: _sent(value, scalars_only) for key, value in query.items()}


def _sent(value, scalars_only):
    if value is None:
        return "null"
    if scalars_only and isinstance(value, (list, dict)):
        return json.dumps(value)
    return value
