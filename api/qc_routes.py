"""The named QC batch-effect queries over HTTP: ``GET /qc/queries`` lists them with their
questions and parameters, ``GET /qc/queries/{name}?param=value`` runs one.

Routes only translate: qc.queries binds the parameters (as RDF terms in a VALUES block, never
pasted into the query as text) and the store runs the query under the server's timeout and result cap.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from api.negotiation import choose
from api.routes import SettingsDep, StoreDep, answer, problem
from kg.errors import QueryError, QueryTimeoutError, StoreError
from kg.results import SHORT, SOLUTION_TYPES, serialize

router = APIRouter(prefix="/qc", tags=["qc"])


@router.get("/queries", summary="The named QC batch-effect queries: name, question, parameters")
def list_queries(request: Request) -> JSONResponse:
    from qc.queries import load_queries

    return JSONResponse(
        [
            {**q.as_dict(), "url": str(request.url_for("run_qc_query", name=q.name))}
            for q in load_queries().values()
        ]
    )


@router.get(
    "/queries/{name}",
    summary="Run a named QC query",
    description=(
        "Parameters as query-string fields (e.g. ?instrument=confocal-1&metric=psf_fwhm_x); results as "
        "SPARQL JSON, XML, CSV or TSV by Accept or ?format=json|xml|csv|tsv. Capped at KG_RESULT_CAP rows "
        "(X-Result-Truncated tells) and stopped after KG_QUERY_TIMEOUT seconds."
    ),
    response_model=None,
    name="run_qc_query",
)
async def run_query(name: str, request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    from starlette.concurrency import run_in_threadpool

    from qc.graph import QcIris
    from qc.queries import bind, load_queries

    query = load_queries().get(name)
    if query is None:
        return problem(404, f"no QC query {name!r}; available: {', '.join(load_queries())}")
    raw = {k: v for k, v in request.query_params.items() if k != "format"}
    try:
        subs = bind(query, raw, QcIris(settings.base_iri))
    except QueryError as exc:
        return problem(400, str(exc))
    offered = list(dict.fromkeys(SOLUTION_TYPES))
    fmt = request.query_params.get("format")
    if fmt:
        media = SHORT.get(fmt, fmt)
        if media not in offered:
            return problem(406, f"format {fmt!r} is not offered; use one of {', '.join(offered)}")
    else:
        chosen = choose(request.headers.get("accept"), offered)
        if chosen is None:
            return problem(
                406, f"cannot answer in {request.headers.get('accept')!r}; offered: {', '.join(offered)}"
            )
        media = chosen
    try:
        result = await run_in_threadpool(store.query, query.bound(subs), cap=settings.result_cap)
    except QueryTimeoutError as exc:
        return problem(504, str(exc))
    except QueryError as exc:
        return problem(400, str(exc))
    except StoreError as exc:
        return problem(502, str(exc))
    return answer(serialize(result, media), media, result, settings.result_cap)
