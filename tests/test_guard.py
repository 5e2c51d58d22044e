"""The SPARQL guard: SERVICE is found wherever it is a keyword, and only there."""

from __future__ import annotations

import pytest

from kg.errors import QueryError, QueryRefusedError
from kg.sparql_guard import QueryForm, guard_query, inspect_query


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "select * { service silent <http://x/> { ?s ?p ?o } }",
        "PREFIX ex: <http://e/>\nSELECT * { ?s ?p ?o . SeRvIcE ?endpoint { ?a ?b ?c } }",
        r"SELECT * { \u0053ERVICE <http://x/> { ?s ?p ?o } }",
        "SELECT * { # comment\n SERVICE <http://x/> {} }",
    ],
)
def test_service_is_refused(query: str) -> None:
    with pytest.raises(QueryRefusedError, match="SERVICE"):
        guard_query(query)


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?service WHERE { ?service <http://e/p> "SERVICE" }',
        "PREFIX ex: <http://e/>\nSELECT * { ?s ex:SERVICE ?o } # SERVICE in a comment",
        "SELECT * { ?s ?p '''a long SERVICE string''' }",
        "SELECT * { <http://e/SERVICE> ?p ?o }",
    ],
)
def test_service_in_names_strings_and_iris_is_fine(query: str) -> None:
    assert guard_query(query).form is QueryForm.SELECT


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("ASK {}", QueryForm.ASK),
        ("PREFIX : <x:> CONSTRUCT WHERE { ?s :p ?o }", QueryForm.CONSTRUCT),
        ("BASE <http://e/> DESCRIBE <a>", QueryForm.DESCRIBE),
        ("INSERT DATA { <a:a> <a:b> <a:c> }", QueryForm.UPDATE),
        ("DROP ALL", QueryForm.UPDATE),
    ],
)
def test_forms(query: str, form: QueryForm) -> None:
    assert inspect_query(query).form is form


def test_updates_refused_unless_allowed() -> None:
    with pytest.raises(QueryRefusedError, match="read-only"):
        guard_query("DELETE WHERE { ?s ?p ?o }")
    assert guard_query("DELETE WHERE { ?s ?p ?o }", allow_update=True).form is QueryForm.UPDATE


def test_not_a_query() -> None:
    with pytest.raises(QueryError, match="not a SPARQL query"):
        guard_query("hello world")
