"""The annotation API: search terms, suggest terms for a text, create/list/delete annotations with
their provenance, and read/write the mapping memory.

Routes only translate: kg.ontology.annotate and kg.ontology.memory do the work (and the checks);
errors become HTTP statuses here. Writes need ``KG_WRITE_TOKEN`` as a Bearer token, as SPARQL
updates do. Every write is one SPARQL update sent to the store (with ``kg serve``, the ``oxigraph``
server that holds the store), so it is all or nothing; an annotation that fails its checks is
answered 422 and writes nothing.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.routes import SettingsDep, StoreDep, _authorised, problem
from kg.errors import ConfigError, KGError, QueryError, StoreError

if TYPE_CHECKING:
    from kg.config import Settings
    from kg.ontology.index import TermIndex
    from kg.store import Store

router = APIRouter(tags=["annotation"])
_INDEX_RECHECK_S = 30.0  # how often the loaded ontologies are compared with the cached index
_lock = threading.Lock()

# -- response and request models -------------------------------------------------------------


class TermHit(BaseModel):
    curie: str
    iri: str
    label: str
    ontology: str
    score: float
    match: str = Field(
        description="exact label, exact synonym, label prefix, synonym prefix, fuzzy, curie, iri"
    )
    reason: str
    obsolete: bool
    replaced_by: str | None = None


class TermSearch(BaseModel):
    query: str
    source: str
    notice: str | None = None
    hits: list[TermHit]


class SuggestRequest(BaseModel):
    text: str = Field(min_length=1, max_length=2000, examples=["spinning disk"])
    key: str | None = Field(default=None, max_length=500, examples=["imaging method"])
    limit: int = Field(default=5, ge=1, le=50)
    ols: bool = Field(
        default=False,
        description="Also ask EBI OLS4 (KG_OLS_URL) when the local ontologies find no in-branch exact "
        "term; its hits come after the local ones, with source 'ols4'. When OLS4 is down the local "
        "suggestions are returned with a notice.",
    )


class SuggestionOut(BaseModel):
    curie: str
    iri: str
    label: str
    ontology: str
    score: float
    reason: str
    source: str = Field(description="memory, mapping table, index or ols4")
    match: str
    fits_field: bool | None = Field(description="under the branch the key expects; null when no field")
    record_id: str | None = Field(default=None, description="the memory decision it came from")
    replaces: str | None = Field(default=None, description="the obsolete term it stands in for")
    obsolete: bool
    in_local_store: bool = Field(
        default=True,
        description="false for a term (from OLS4 or the memory) that no loaded ontology has: its branch "
        "cannot be checked and POST /annotations refuses it until its ontology is loaded",
    )


class SuggestResponse(BaseModel):
    text: str
    key: str | None
    field: str | None
    expected: str | None
    suggestions: list[SuggestionOut]
    rejected: list[str]
    notice: str | None = None


class SuggestionRef(BaseModel):
    """The suggestion a curator accepted, kept as the annotation's provenance."""

    reason: str | None = None
    score: float | None = Field(default=None, ge=0.0, le=1.0)
    record_id: str | None = None


class AnnotationRequest(BaseModel):
    subject: str = Field(description="IRI of the annotated object (e.g. a key-value pair, an image)")
    property: str = Field(examples=["bkg:valueTerm"], description="IRI or CURIE of a term-valued predicate")
    term: str = Field(examples=["FBbi:00000253"], description="CURIE or IRI of the term")
    curator: str = Field(min_length=1, description="ORCID, IRI or name of who decides")
    text: str | None = Field(default=None, description="the free text the term was chosen for")
    suggestion: SuggestionRef | None = None


class AnnotationOut(BaseModel):
    iri: str
    subject: str
    property: str
    term: str
    term_curie: str
    term_label: str | None
    curator: str | None
    curator_label: str | None
    created: str | None
    text: str | None
    suggestion_reason: str | None
    suggestion_score: float | None
    from_decision: str | None
    note: str | None = Field(default=None, description="e.g. that kg ingest applied it from the memory")


class Rejection(BaseModel):
    detail: str
    problems: list[str]


class DecisionRequest(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    term: str = Field(description="CURIE or IRI")
    curator: str = Field(min_length=1)
    key: str | None = None
    predicate: str = Field(
        default="skos:exactMatch", description="skos:exactMatch, closeMatch, broadMatch..."
    )
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    negated: bool = Field(default=False, description="the text is NOT this term")
    comment: str | None = None


class DecisionOut(BaseModel):
    record_id: str | None
    text: str
    key: str | None
    predicate: str
    predicate_curie: str
    term: str
    term_curie: str
    term_label: str | None
    confidence: float | None
    curator: str | None
    curator_label: str | None
    date: str | None
    ontology_version: str | None
    justification: str
    negated: bool
    comment: str | None
    source: str | None
    subject_id: str | None


class ImportReport(BaseModel):
    path: str
    mapping_set_id: str | None
    rows: int
    decisions: int
    skipped: list[str]
    notes: list[str]


class Detail(BaseModel):
    detail: str


# -- the term index, kept in the app and refreshed when the ontologies change --------------------


def _cache_path(settings: Settings) -> Any:
    from kg.ontology.index import default_cache_path

    return default_cache_path(None if settings.endpoint else settings.store_path, settings.endpoint)


def _index(request: Request, store: Store, settings: Settings) -> TermIndex:
    """The term index, kept in the app; every 30 s the loaded ontologies' fingerprint is
    compared with the one it was built for, and a changed store gets a fresh index."""
    from kg.ontology.hierarchy import loaded_fingerprint
    from kg.ontology.index import TermIndex

    state = request.app.state
    with _lock:
        held: tuple[TermIndex, str, float] | None = getattr(state, "term_index", None)
        now = time.monotonic()
        if held is not None and now - held[2] < _INDEX_RECHECK_S:
            return held[0]
        fingerprint = loaded_fingerprint(store)
        if held is not None and held[1] == fingerprint:
            state.term_index = (held[0], fingerprint, now)
            return held[0]
        index = TermIndex.open(store, _cache_path(settings))  # from the cache file when it is current
        state.term_index = (index, fingerprint, now)
        return index


def _engine(request: Request, store: Store, settings: Settings) -> tuple[Any, Any, Any]:
    """(index, annotator, annotations) for this request."""
    from kg.ontology.annotate import Annotations, Annotator
    from kg.ontology.fields import default_fields
    from kg.ontology.memory import MappingMemory

    index = _index(request, store, settings)
    fields = default_fields()
    memory = MappingMemory(store, settings.base_iri, fields)
    return index, Annotator(index, memory, fields), Annotations(store, index, settings.base_iri, fields)


def _forbidden() -> JSONResponse:
    return problem(403, "writes need KG_WRITE_TOKEN as a Bearer token (Authorization: Bearer ...)")


def _store_problem(exc: Exception) -> JSONResponse:
    if isinstance(exc, StoreError):
        return problem(502, str(exc))
    return problem(400, str(exc))


# -- terms and suggestions -------------------------------------------------------------------------


@router.get("/terms/search", summary="Search ontology terms", response_model=TermSearch)
async def search_terms(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="label, synonym, CURIE or IRI")],
    ontology: Annotated[str | None, Query(description="comma-separated ontology ids (fbbi,uo)")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    fuzzy: bool = True,
) -> Any:
    def run() -> Any:
        index = _index(request, store, settings)
        ids = [x.strip() for x in ontology.split(",") if x.strip()] if ontology else None
        return index.search(q, ontologies=ids, limit=limit, fuzzy=fuzzy)

    try:
        res = await run_in_threadpool(run)
    except (KGError, QueryError, StoreError) as exc:
        return _store_problem(exc)
    return TermSearch(
        query=q,
        source=res.source,
        notice=res.notice,
        hits=[
            TermHit(
                curie=h.term.curie,
                iri=h.term.iri,
                label=h.term.label,
                ontology=h.term.ontology,
                score=h.score,
                match=h.match,
                reason=h.reason,
                obsolete=h.term.obsolete,
                replaced_by=h.term.replaced_by,
            )
            for h in res.hits
        ],
    )


@router.post(
    "/annotate/suggest",
    summary="Suggest terms for a free-text value (the key picks the expected branch)",
    response_model=SuggestResponse,
)
async def suggest(request: Request, store: StoreDep, settings: SettingsDep, body: SuggestRequest) -> Any:
    def run() -> Any:
        index, annotator, _ann = _engine(request, store, settings)
        if not body.ols:
            return annotator.suggest(body.text, body.key, limit=body.limit)
        from kg.ontology.ols import OLSClient

        with OLSClient.from_env(local=index) as client:  # settings from KG_OLS_URL etc., per request
            annotator.ols = client
            return annotator.suggest(body.text, body.key, limit=body.limit)

    try:
        res = await run_in_threadpool(run)
    except ConfigError as exc:  # KG_OLS_URL and friends: the server's settings, not the request
        return problem(500, str(exc))
    except (KGError, QueryError, StoreError) as exc:
        return _store_problem(exc)
    return SuggestResponse.model_validate(res.as_dict())


@router.get(
    "/annotate/suggest",
    summary="Suggest terms for a free-text value (GET form)",
    response_model=SuggestResponse,
)
async def suggest_get(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    text: Annotated[str, Query(min_length=1, max_length=2000)],
    key: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
    ols: Annotated[bool, Query(description="also ask EBI OLS4 (see the POST form)")] = False,
) -> Any:
    return await suggest(request, store, settings, SuggestRequest(text=text, key=key, limit=limit, ols=ols))


# -- annotations -----------------------------------------------------------------------------------


def _ann_iri(settings: Settings, ident: str) -> str:
    return f"{settings.base_iri}annotation/{ident}"


@router.get("/annotations", summary="List annotations", response_model=list[AnnotationOut])
async def list_annotations(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    subject: str | None = None,
    property: str | None = None,
    term: str | None = None,
) -> Any:
    from kg.ontology import curies

    def run() -> Any:
        _i, _a, annotations = _engine(request, store, settings)
        prop = curies.to_iri(property) if property else None
        t = curies.to_iri(term) if term else None
        return [a.as_dict() for a in annotations.list(subject=subject, prop=prop, term=t)]

    try:
        return await run_in_threadpool(run)
    except (KGError, QueryError, StoreError) as exc:
        return _store_problem(exc)


@router.post(
    "/annotations",
    summary="Create an annotation (subject, property, term) with its provenance",
    description=(
        "Checked before anything is written: the subject must be known in the store, the property must "
        "take ontology terms (ontologies/fields.yaml), the term must be a current term of a loaded "
        "ontology and sit under the branch the property expects (for bkg:valueTerm, the branch of the "
        "key-value pair's key). A rejected annotation is answered 422 with every problem and changes "
        "nothing. Needs KG_WRITE_TOKEN as a Bearer token."
    ),
    status_code=201,
    response_model=AnnotationOut,
    responses={403: {"model": Detail}, 422: {"model": Rejection}},
)
async def create_annotation(
    request: Request, store: StoreDep, settings: SettingsDep, body: AnnotationRequest
) -> Any:
    from kg.ontology import curies
    from kg.ontology.annotate import AnnotationRejected

    if not _authorised(request, settings):
        return _forbidden()
    prop = curies.to_iri(body.property)
    if prop is None:
        return JSONResponse(
            {
                "detail": "annotation rejected",
                "problems": [f"property {body.property!r} is not an IRI or known CURIE"],
            },
            status_code=422,
        )
    s = body.suggestion

    def run() -> Any:
        _i, _a, annotations = _engine(request, store, settings)
        return annotations.create(
            body.subject,
            prop,
            body.term,
            curator=body.curator,
            text=body.text,
            reason=s.reason if s else None,
            score=s.score if s else None,
            from_decision=s.record_id if s else None,
        )

    try:
        ann = await run_in_threadpool(run)
    except AnnotationRejected as exc:
        return JSONResponse({"detail": "annotation rejected", "problems": exc.problems}, status_code=422)
    except (KGError, QueryError, StoreError) as exc:
        return _store_problem(exc)
    return JSONResponse(ann.as_dict(), status_code=201, headers={"Location": ann.iri})


@router.get(
    "/annotations/{ident}",
    summary="One annotation",
    response_model=AnnotationOut,
    responses={404: {"model": Detail}},
)
async def get_annotation(request: Request, store: StoreDep, settings: SettingsDep, ident: str) -> Any:
    def run() -> Any:
        _i, _a, annotations = _engine(request, store, settings)
        return annotations.get(_ann_iri(settings, ident))

    ann = await run_in_threadpool(run)
    if ann is None:
        return problem(404, f"no annotation {_ann_iri(settings, ident)}")
    return ann.as_dict()


@router.delete(
    "/annotations/{ident}",
    summary="Delete an annotation and its triple",
    status_code=204,
    response_model=None,
    responses={403: {"model": Detail}, 404: {"model": Detail}},
)
async def delete_annotation(request: Request, store: StoreDep, settings: SettingsDep, ident: str) -> Response:
    if not _authorised(request, settings):
        return _forbidden()

    def run() -> Any:
        _i, _a, annotations = _engine(request, store, settings)
        return annotations.delete(_ann_iri(settings, ident))

    try:
        gone = await run_in_threadpool(run)
    except (KGError, QueryError, StoreError) as exc:
        return _store_problem(exc)
    if gone is None:
        return problem(404, f"no annotation {_ann_iri(settings, ident)}")
    return Response(status_code=204)


# -- the mapping memory ----------------------------------------------------------------------------


@router.get("/mappings", summary="Decisions in the mapping memory", response_model=list[DecisionOut])
async def list_mappings(
    store: StoreDep,
    settings: SettingsDep,
    text: str | None = None,
    key: str | None = None,
) -> Any:
    from kg.ontology.fields import default_fields
    from kg.ontology.memory import MappingMemory

    def run() -> Any:
        memory = MappingMemory(store, settings.base_iri, default_fields())
        ds = memory.lookup(text, key) if text else memory.decisions()
        return [d.as_dict() for d in ds]

    try:
        return await run_in_threadpool(run)
    except (KGError, QueryError, StoreError) as exc:
        return _store_problem(exc)


@router.post(
    "/mappings",
    summary="Record a reviewed decision (text under a key -> term)",
    status_code=201,
    response_model=DecisionOut,
    responses={403: {"model": Detail}, 422: {"model": Rejection}},
)
async def add_mapping(request: Request, store: StoreDep, settings: SettingsDep, body: DecisionRequest) -> Any:
    from kg.ontology import curies
    from kg.ontology.memory import MAPPING_PREDICATES, Decision, MappingMemory, curator_iri, today

    if not _authorised(request, settings):
        return _forbidden()

    def run() -> Any:
        index, _a, _ann = _engine(request, store, settings)
        problems = []
        term = index.get(body.term)
        pred = curies.to_iri(body.predicate) if ":" in body.predicate else None
        if body.predicate.startswith("skos:"):
            pred = "http://www.w3.org/2004/02/skos/core#" + body.predicate[5:]
        if pred not in MAPPING_PREDICATES:
            problems.append(
                f"predicate {body.predicate!r}: use skos:exactMatch, closeMatch, broadMatch, narrowMatch"
            )
        if term is None:
            problems.append(
                f"{body.term} is not a term of the loaded ontologies ({', '.join(index.ontologies)})"
            )
        elif term.obsolete and not body.negated:
            problems.append(f"{term.curie} {term.label!r} is obsolete")
        if problems or term is None or pred is None:
            return problems
        who, label = curator_iri(body.curator, settings.base_iri)
        memory = MappingMemory(store, settings.base_iri)
        (d,) = memory.add(
            [
                Decision(
                    text=body.text,
                    term=term.iri,
                    predicate=pred,
                    key=body.key,
                    term_label=term.label,
                    confidence=body.confidence,
                    curator=who,
                    curator_label=label,
                    date=today(),
                    ontology_version=index.ontologies.get(term.ontology),
                    negated=body.negated,
                    comment=body.comment,
                )
            ]
        )
        return d

    try:
        out = await run_in_threadpool(run)
    except (KGError, QueryError, StoreError) as exc:
        return _store_problem(exc)
    if isinstance(out, list):
        return JSONResponse({"detail": "decision rejected", "problems": out}, status_code=422)
    return JSONResponse(out.as_dict(), status_code=201)


@router.delete(
    "/mappings/{ident}",
    summary="Remove a decision from the memory",
    status_code=204,
    response_model=None,
    responses={403: {"model": Detail}, 404: {"model": Detail}},
)
async def remove_mapping(request: Request, store: StoreDep, settings: SettingsDep, ident: str) -> Response:
    from kg.ontology.memory import MappingMemory

    if not _authorised(request, settings):
        return _forbidden()
    iri = f"{settings.base_iri}mapping/{ident}"
    try:
        ok = await run_in_threadpool(MappingMemory(store, settings.base_iri).remove, iri)
    except (KGError, QueryError, StoreError, ValueError) as exc:
        return _store_problem(exc)
    return Response(status_code=204) if ok else problem(404, f"no decision {iri}")


@router.get(
    "/mappings/export",
    summary="The mapping memory as SSSOM/TSV",
    response_class=Response,
    responses={200: {"content": {"text/tab-separated-values": {}}}},
)
async def export_mappings(store: StoreDep, settings: SettingsDep) -> Response:
    import io

    from kg.ontology.memory import MappingMemory

    buf = io.StringIO()
    try:
        await run_in_threadpool(MappingMemory(store, settings.base_iri).export, buf)
    except (KGError, QueryError, StoreError) as exc:
        return _store_problem(exc)
    return Response(
        buf.getvalue(),
        media_type="text/tab-separated-values; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="mapping-memory.sssom.tsv"'},
    )


@router.post(
    "/mappings/import",
    summary="Import SSSOM/TSV into the memory (one transaction)",
    description="The body is an SSSOM/TSV file. A file that is not valid SSSOM is refused whole (422).",
    response_model=ImportReport,
    responses={403: {"model": Detail}, 422: {"model": Detail}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/tab-separated-values": {"schema": {"type": "string"}}},
        }
    },
)
async def import_mappings(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    name: Annotated[str, Query(description="a name for the file, used in messages")] = "upload.sssom.tsv",
) -> Any:
    from kg.ontology.memory import MappingMemory, SSSOMError

    if not _authorised(request, settings):
        return _forbidden()
    try:
        body = (await request.body()).decode("utf-8")
    except UnicodeDecodeError as exc:
        return problem(422, f"{name}: not UTF-8 text: {exc}")
    memory = MappingMemory(store, settings.base_iri)
    try:
        rep = await run_in_threadpool(lambda: memory.import_file(name, text=body))
    except SSSOMError as exc:
        return problem(422, str(exc))
    except (KGError, QueryError, StoreError) as exc:
        return _store_problem(exc)
    return rep.as_dict()
