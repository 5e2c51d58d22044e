"""HTTP routes: the SPARQL 1.1 Protocol endpoint, health, and dereferenceable entity IRIs.

Routes only translate: they call kg and turn its answers and errors into HTTP.
"""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api.negotiation import choose
from kg import __version__
from kg.config import Settings
from kg.errors import QueryError, QueryRefusedError, QueryTimeoutError, StoreError
from kg.results import GRAPH_TYPES, SHORT, SOLUTION_TYPES, cell, serialize
from kg.sparql_guard import QueryForm, guard_query
from kg.store import AskResult, GraphResult, QueryResult, SelectResult, Store

router = APIRouter()

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers={"Vary": "Accept"})


def _authorised(request: Request, settings: Settings) -> bool:
    if not settings.write_token:
        return False
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip(), settings.write_token)


def _html_page(
    request: Request, query: str, result: QueryResult | None, error: str | None, settings: Settings
) -> HTMLResponse:
    from api.app import TEMPLATES

    table = None
    if isinstance(result, SelectResult):
        table = {"head": result.variables, "rows": [[cell(t) for t in r] for r in result.rows]}
    elif isinstance(result, GraphResult):
        table = {
            "head": ["subject", "predicate", "object"],
            "rows": [[cell(t.subject), cell(t.predicate), cell(t.object)] for t in result.triples],
        }
    return TEMPLATES.TemplateResponse(
        request,
        "sparql.html",
        {
            "query": query or DEFAULT_QUERY,
            "table": table,
            "ask": result.value if isinstance(result, AskResult) else None,
            "truncated": bool(result and result.truncated),
            "error": error,
            "cap": settings.result_cap,
            "timeout": settings.query_timeout_s,
            "version": __version__,
        },
        status_code=400 if error else 200,
        headers={"Vary": "Accept"},
    )


DEFAULT_QUERY = """PREFIX ome: <https://ld.openmicroscopy.org/core/>
PREFIX bkg: <https://w3id.org/bioimage-kg/vocab/>
SELECT ?image ?name ?acquired ?pixel_size_m
WHERE {
  ?image a ome:Image ; ome:pixels ?px .
  OPTIONAL { ?image ome:name ?name }
  OPTIONAL { ?image ome:acquisition_date ?acquired }
  OPTIONAL { ?px ome:physical_size_x/bkg:siValue ?pixel_size_m }
}
LIMIT 100"""


async def _read_request(request: Request) -> tuple[str | None, str | None, str | None]:
    """(query, update, format) from the query string, a form body or a raw SPARQL body."""
    params = request.query_params
    query, update, fmt = params.get("query"), None, params.get("format")
    if request.method == "POST":
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = (await request.body()).decode("utf-8", errors="replace")
        if ctype == SPARQL_QUERY:
            query = body
        elif ctype == SPARQL_UPDATE:
            update = body
        elif ctype == FORM:
            form = parse_qs(body, keep_blank_values=True)
            query = form["query"][0] if "query" in form else query
            update = form["update"][0] if "update" in form else None
            fmt = form["format"][0] if "format" in form else fmt
        else:
            raise ValueError(
                f"unsupported Content-Type {ctype!r}: use {SPARQL_QUERY}, {SPARQL_UPDATE} or {FORM}"
            )
    return query, update, fmt


@router.api_route(
    "/sparql",
    methods=["GET", "POST"],
    summary="SPARQL 1.1 Protocol endpoint",
    description=(
        "Queries by GET ?query=, POST form (query=) or POST application/sparql-query. Results by "
        "content negotiation (Accept with q-values) or ?format=json|xml|csv|tsv|ttl|nt|jsonld. "
        "Read-only unless KG_WRITE_TOKEN is set and sent as a Bearer token; SERVICE is always "
        "refused; every query has a timeout and a result cap (X-Result-Truncated tells)."
    ),
    response_model=None,
)
async def sparql(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    try:
        query, update, fmt = await _read_request(request)
    except ValueError as exc:
        return problem(415, str(exc))
    accept = request.headers.get("accept")
    # A browser (text/html preferred) gets the query page; */* and agents get data.
    wants_html = (
        fmt is None and choose(accept, ["application/sparql-results+json", "text/html"]) == "text/html"
    )

    if update is not None:
        if not _authorised(request, settings):
            return problem(
                403, "this endpoint is read-only: SPARQL updates need KG_WRITE_TOKEN as a Bearer token"
            )
        try:
            guard_query(update, allow_update=True)
            from starlette.concurrency import run_in_threadpool

            await run_in_threadpool(store.update, update)
        except QueryRefusedError as exc:
            return problem(403, str(exc))
        except QueryError as exc:
            return problem(400, str(exc))
        return Response(status_code=204)

    if query is None:
        if wants_html or accept is None:
            return _html_page(request, "", None, None, settings)
        return problem(400, "missing 'query' parameter (SPARQL 1.1 Protocol)")

    try:
        info = guard_query(query)
    except QueryRefusedError as exc:
        return _html_page(request, query, None, str(exc), settings) if wants_html else problem(403, str(exc))
    except QueryError as exc:
        return _html_page(request, query, None, str(exc), settings) if wants_html else problem(400, str(exc))

    graph_form = info.form in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)
    offered = list(dict.fromkeys(GRAPH_TYPES if graph_form else SOLUTION_TYPES))
    if fmt:
        media = SHORT.get(fmt, fmt)
        if graph_form and fmt == "json":
            media = "application/ld+json"
        if media not in offered:
            return problem(
                406, f"format {fmt!r} does not fit a {info.form} query; use one of {', '.join(offered)}"
            )
    elif wants_html:
        media = "text/html"
    else:
        chosen = choose(accept, offered)
        if chosen is None:
            return problem(
                406, f"cannot answer in {accept!r}; this query can be answered as {', '.join(offered)}"
            )
        media = chosen

    from starlette.concurrency import run_in_threadpool

    try:
        result = await run_in_threadpool(store.query, query, cap=settings.result_cap)
    except QueryTimeoutError as exc:
        return _html_page(request, query, None, str(exc), settings) if wants_html else problem(504, str(exc))
    except QueryError as exc:
        return _html_page(request, query, None, str(exc), settings) if wants_html else problem(400, str(exc))
    except StoreError as exc:
        return problem(502, str(exc))

    if media == "text/html":
        return _html_page(request, query, result, None, settings)
    try:
        body = serialize(result, media)
    except ValueError as exc:
        return problem(406, str(exc))
    return answer(body, media, result, settings.result_cap)


def answer(body: bytes, media: str, result: QueryResult, cap: int) -> Response:
    """A serialised query result with its media type (UTF-8 for text and JSON), ``Vary: Accept``,
    the result cap in ``X-Result-Cap`` and ``X-Result-Truncated: true`` when it was reached."""
    headers = {"Vary": "Accept", "X-Result-Cap": str(cap)}
    if result.truncated:
        headers["X-Result-Truncated"] = "true"
    ctype = media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else "")
    return Response(body, media_type=ctype, headers=headers)


@router.get("/health", summary="Store status: graphs and triples")
def health(store: StoreDep) -> JSONResponse:
    try:
        stats = store.stats()
    except (StoreError, QueryError) as exc:
        return JSONResponse(
            {"status": "error", "store": store.description, "detail": str(exc)}, status_code=503
        )
    return JSONResponse({"status": "ok", "version": __version__, "store": store.description, **stats})


@router.get("/id/{path:path}", summary="Dereference an entity IRI minted by kg", response_model=None)
def entity(path: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """HTML for browsers, Turtle / N-Triples / JSON-LD for agents (content negotiation)."""
    iri = settings.base_iri + path
    try:
        node = ox.NamedNode(iri)
    except ValueError:
        return problem(400, f"not a valid IRI: {iri!r}")
    result = store.query(
        # ?e is bound inside each group, so the query means the same whether the store
        # substitutes ?e natively or a remote endpoint gets a trailing VALUES block.
        "CONSTRUCT { ?s ?p ?o } WHERE { { GRAPH ?g { ?e ?p ?o } BIND(?e AS ?s) } "
        "UNION { GRAPH ?g { ?e ?p0 ?s . ?s ?p ?o } FILTER(STRSTARTS(STR(?s), CONCAT(STR(?e), '/'))) } }",
        substitutions={"e": node},
        cap=settings.result_cap,
    )
    assert isinstance(result, GraphResult)
    if not result.triples:
        return problem(404, f"nothing is known about {iri}")
    fmt = request.query_params.get("format")
    offered = [*dict.fromkeys(GRAPH_TYPES), "text/html"]  # */* gets Turtle, browsers get HTML
    media = SHORT.get(fmt, fmt) if fmt else choose(request.headers.get("accept"), offered)
    if media == "text/html":
        from api.app import TEMPLATES

        rows = [
            [
                cell(t.subject),
                cell(t.predicate),
                cell(t.object),
                t.object.value if isinstance(t.object, ox.NamedNode) else None,
            ]
            for t in result.triples
        ]
        return TEMPLATES.TemplateResponse(
            request,
            "entity.html",
            {"iri": iri, "rows": rows, "version": __version__},
            headers={"Vary": "Accept"},
        )
    if media is None or media not in GRAPH_TYPES:
        return problem(406, f"available as {', '.join(offered)}")
    return Response(serialize(result, media), media_type=media, headers={"Vary": "Accept"})
