"""Fetch the pinned ontologies, check their checksums and load each into its own named graph.

Where from, in order: the ``source`` argument, else ``KG_ONTOLOGY_SOURCE``, else the release
locations in the manifest (OBO PURLs and tagged release files, over the network). A source is a
mirror: a directory, or an http(s) or ``file:`` URL, holding each ontology's ``mirror.file``
(``../shared/ontologies`` is one). The word ``release`` forces the release locations.

For each ontology: the file is read (downloaded to a temporary file with bounded retries and
timeouts), its SHA-256 is compared with the manifest (a mismatch loads nothing for it), it is
parsed and written into ``{graph_base}{id}`` with :meth:`Store.replace_graph_files`, which is
atomic, and a record of what was loaded goes into the catalogue graph. When the catalogue
already holds the same checksum, version and loader, nothing is written: the ontology is
``unchanged``.

Speed: the store parses and bulk-loads the file itself (in Rust, without a Python object per
triple), while a thread reads the rows the term index needs from the same file
(:mod:`kg.ontology.extract`). Only a file that names the mirror's own namespaces (rewritten to
ours) or a dataset (whose graphs all go into the one graph) passes through Python, which hands
the store N-Triples. Loading the 555k triples of the mirror takes about 6 s on a 2-core machine.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import requests

from kg import __version__
from kg.errors import SourceError
from kg.namespaces import BKG, DCT, OWL, PROV, RDF, XSD
from kg.ontology.extract import Collector, save_extract
from kg.ontology.manifest import FileSpec, Manifest, OntologySpec, default_manifest
from kg.store import GraphResult, SelectResult, Store

ENV_SOURCE = "KG_ONTOLOGY_SOURCE"
RELEASE = "release"
VOID = "http://rdfs.org/ns/void#"
LOADED_ONTOLOGY = BKG + "LoadedOntology"
# Bumped when the way files become quads changes (rewrites...): a changed loader reloads.
LOADER_VERSION = "1"
CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 60.0

_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}


class ChecksumError(SourceError):
    """A file's SHA-256 is not the one the manifest pins."""


@dataclass
class FetchOutcome:
    id: str
    status: str  # "loaded", "unchanged" or "failed"
    version: str
    source: str = ""
    sha256: str | None = None
    verified: bool = False  # the checksum was pinned and matched
    triples: int = 0
    seconds: float = 0.0
    error: str | None = None
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class FetchReport:
    source: str  # "release" or the mirror
    outcomes: list[FetchOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(o.status != "failed" for o in self.outcomes)

    @property
    def changed(self) -> bool:
        return any(o.status == "loaded" for o in self.outcomes)


@dataclass(frozen=True)
class CatalogueRecord:
    """What the catalogue graph says was loaded for one ontology."""

    id: str
    graph: str
    version: str
    sha256: str
    verified: bool
    source: str
    loaded_at: str
    triples: int
    loader: str
    file_version: str | None = None


def resolve_source(source: str | None, env: dict[str, str] | None = None) -> str:
    """The source to use: the argument, else ``KG_ONTOLOGY_SOURCE``, else ``release``."""
    e = os.environ if env is None else env
    chosen = source or e.get(ENV_SOURCE) or RELEASE
    return RELEASE if chosen.lower() in (RELEASE, "releases") else chosen


def _loader_fingerprint(manifest: Manifest) -> str:
    h = hashlib.sha256(LOADER_VERSION.encode())
    for k, v in sorted(manifest.rewrite_iri_prefixes.items()):
        h.update(f"{k}\t{v}\n".encode())
    return h.hexdigest()[:16]


# -- reading files ------------------------------------------------------------------------


def _session() -> requests.Session:
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    s = requests.Session()
    retry = Retry(
        total=2,
        connect=2,
        read=1,
        backoff_factor=1.0,
        status_forcelist=(429, 500, 502, 503, 504),
        respect_retry_after_header=True,
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
    )
    s.mount("http://", HTTPAdapter(max_retries=retry))
    s.mount("https://", HTTPAdapter(max_retries=retry))
    s.headers["User-Agent"] = f"bioimage-kg/{__version__} (ontology fetch)"
    return s


def _download(url: str, dest: Path, session: requests.Session) -> str:
    """Download ``url`` to ``dest``; return its SHA-256. Errors name the URL."""
    h = hashlib.sha256()
    try:
        with session.get(url, stream=True, timeout=(CONNECT_TIMEOUT_S, READ_TIMEOUT_S)) as resp:
            if resp.status_code >= 400:
                raise SourceError(url, f"the server answered HTTP {resp.status_code}", expected="HTTP 200")
            with dest.open("wb") as fh:
                for chunk in resp.iter_content(1 << 20):
                    h.update(chunk)
                    fh.write(chunk)
    except requests.Timeout as exc:
        raise SourceError(
            url, f"no answer within {CONNECT_TIMEOUT_S:g} s (connect) / {READ_TIMEOUT_S:g} s (read)"
        ) from exc
    except requests.RequestException as exc:
        raise SourceError(
            url,
            f"cannot download: {exc}",
            expected=f"a reachable URL, or a mirror (--source or {ENV_SOURCE})",
        ) from exc
    return h.hexdigest()


def _sha256_file(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _local_dir(source: str) -> Path | None:
    if source.startswith("file:"):
        return Path(unquote(urlsplit(source).path))
    if source.startswith(("http://", "https://")):
        return None
    return Path(source)


@dataclass(frozen=True)
class _Located:
    spec: FileSpec
    location: str  # what the user sees: a path or a URL
    path: Path  # the bytes on disk (the mirror's file, or a downloaded copy)
    sha256: str


def _locate(
    ont: OntologySpec, source: str, workdir: Path, session: Callable[[], requests.Session]
) -> list[_Located]:
    """Get every file of ``ont`` onto the disk and checksum it; raise on the first problem."""
    if source == RELEASE:
        files = [(f, f.location) for f in ont.release]
    else:
        base = _local_dir(source)
        loc = (
            str(base / ont.mirror.location)
            if base is not None
            else source.rstrip("/") + "/" + ont.mirror.location
        )
        files = [(ont.mirror, loc)]
    out = []
    for i, (spec, loc) in enumerate(files):
        if loc.startswith(("http://", "https://")):
            path = workdir / f"{ont.id}-{i}"
            sha = _download(loc, path, session())
        else:
            path = Path(loc)
            if not path.is_file():
                raise SourceError(
                    loc,
                    f"no such file in the mirror for ontology {ont.id!r}",
                    expected=f"the mirror to hold {spec.location} (ontologies/manifest.json, mirror.file)",
                )
            sha = _sha256_file(path)
        if spec.sha256 is not None and sha != spec.sha256:
            raise ChecksumError(
                loc,
                f"checksum mismatch for ontology {ont.id!r}: sha256 is {sha}; nothing was loaded for it",
                expected=f"sha256 {spec.sha256} (ontologies/manifest.json)",
            )
        out.append(_Located(spec, loc, path, sha))
    return out


def _combined_sha(files: list[_Located]) -> str:
    if len(files) == 1:
        return files[0].sha256
    return hashlib.sha256("".join(f"{f.sha256}\n" for f in files).encode()).hexdigest()


def _open_bytes(stack: ExitStack, f: _Located) -> IO[bytes]:
    fh: IO[bytes] = stack.enter_context(f.path.open("rb"))
    if f.location.endswith(".gz"):
        return stack.enter_context(gzip.open(fh, "rb"))  # type: ignore[arg-type]
    return fh


def _rewriter(prefixes: dict[str, str]) -> Callable[[ox.NamedNode], ox.NamedNode]:
    olds = tuple(prefixes)

    def rewrite(n: ox.NamedNode) -> ox.NamedNode:
        v = n.value
        if v.startswith(olds):
            for old, new in prefixes.items():
                if v.startswith(old):
                    return ox.NamedNode(new + v[len(old) :])
        return n

    return rewrite


def _needs_rewrite(path: Path, olds: tuple[str, ...], gz: bool) -> bool:
    """Whether the file mentions a prefix to rewrite (a byte search, much cheaper than
    checking every parsed term)."""
    if not olds:
        return False
    needles = [o.encode() for o in olds]
    tail = b""
    with gzip.open(path, "rb") if gz else path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            block = tail + chunk
            if any(n in block for n in needles):
                return True
            tail = block[-256:]
    return False


_CHUNK = 50_000  # quads per step of the rewriting pass (their rows collected, then handed on)


def _base(f: _Located) -> str | None:
    return f.location if "://" in f.location else None


def _parse_error(f: _Located, exc: SyntaxError) -> SourceError:
    return SourceError(
        f.location, f"does not parse as {f.spec.format}: {exc}", expected=f"a {f.spec.format} file"
    )


def _parse(stack: ExitStack, f: _Located) -> Iterator[ox.Quad]:
    if f.location.endswith(".gz"):
        return ox.parse(_open_bytes(stack, f), _FORMATS[f.spec.format], base_iri=_base(f))
    return ox.parse(path=str(f.path), format=_FORMATS[f.spec.format], base_iri=_base(f))


def _extract(files: list[_Located], save: Callable[[Collector], object] | None) -> Collector:
    """One pass over the files in Python: the rows the term index needs and the triple count.
    Parse errors become SourceError naming the file, with pyoxigraph's line and column."""
    collector = Collector()
    for f in files:
        with ExitStack() as stack:
            try:
                collector.consume(_parse(stack, f))
            except SyntaxError as exc:
                raise _parse_error(f, exc) from exc
    if save is not None:
        save(collector)
    return collector


def _load_files(
    store: Store, graph: ox.NamedNode, files: list[_Located], save: Callable[[Collector], object] | None
) -> Collector:
    """Bulk-load the files into ``graph`` (the store parses them; in Rust, with the GIL
    released) while a thread reads the term index's rows from the same files. Both passes use
    the same parser, so a file that one refuses the other refuses too."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-ontology-extract") as pool:
        job = pool.submit(_extract, files, save)
        try:
            with ExitStack() as stack:
                store.replace_graph_files(
                    graph,
                    [
                        (
                            _open_bytes(stack, f) if f.location.endswith(".gz") else f.path,
                            _FORMATS[f.spec.format],
                            _base(f),
                        )
                        for f in files
                    ],
                )
        except SyntaxError as exc:  # the thread's error names the file, line and column
            err = job.exception()
            if isinstance(err, SourceError):
                raise err from exc
            raise SourceError(
                " ".join(f.location for f in files),
                f"does not parse as {files[0].spec.format}: {exc}",
                expected=f"a {files[0].spec.format} file",
            ) from exc
        # (the thread cannot fail where the loader did not: same parser, same bytes; should it
        # fail anyway, the graph stands without a catalogue record and status says 'incomplete')
        return job.result()


def _rewritten(files: list[_Located], rewrites: dict[str, str], collector: Collector) -> bytes:
    """The files' triples as N-Triples, with the IRI prefixes the manifest names rewritten (and
    a dataset's graph names dropped), for the store to bulk-load; the term index's rows are
    collected on the way. Only the triples that change become new objects. Parse errors become
    SourceError naming the file."""
    olds = tuple(rewrites)
    rewrite = _rewriter(rewrites)
    NamedNode, Quad, default = ox.NamedNode, ox.Quad, ox.DefaultGraph()

    def triples() -> Iterator[ox.Quad]:  # in the default graph: N-Triples takes them
        for f in files:
            with ExitStack() as stack:
                try:
                    chunk: list[ox.Quad] = []
                    for q in _parse(stack, f):
                        s, p, o = q.subject, q.predicate, q.object
                        if olds and (
                            (isinstance(s, NamedNode) and s.value.startswith(olds))
                            or p.value.startswith(olds)
                            or (isinstance(o, NamedNode) and o.value.startswith(olds))
                        ):
                            if isinstance(s, NamedNode):
                                s = rewrite(s)
                            if isinstance(o, NamedNode):
                                o = rewrite(o)
                            chunk.append(Quad(s, rewrite(p), o))
                        elif q.graph_name != default:  # a dataset's graphs all go into ours
                            chunk.append(Quad(s, p, o))
                        else:
                            chunk.append(q)
                        if len(chunk) >= _CHUNK:
                            collector.consume(chunk)
                            yield from chunk
                            chunk = []
                    collector.consume(chunk)
                    yield from chunk
                except SyntaxError as exc:
                    raise _parse_error(f, exc) from exc

    data = ox.serialize(triples(), format=ox.RdfFormat.N_TRIPLES)
    assert data is not None  # (no output given: the bytes are returned)
    return data


# -- the catalogue ------------------------------------------------------------------------


def read_catalogue(store: Store, manifest: Manifest | None = None) -> dict[str, CatalogueRecord]:
    """Every catalogue record, by ontology id."""
    manifest = manifest or default_manifest()
    res = store.query(
        "SELECT ?g ?id ?version ?sha ?verified ?source ?at ?triples ?loader ?fv ?cat WHERE { GRAPH ?cat {"
        f" ?g a <{LOADED_ONTOLOGY}> ; <{DCT}identifier> ?id ; <{OWL}versionInfo> ?version ;"
        f" <{BKG}sourceSha256> ?sha ; <{BKG}checksumVerified> ?verified ; <{DCT}source> ?source ;"
        f" <{PROV}generatedAtTime> ?at ; <{VOID}triples> ?triples ; <{BKG}loaderFingerprint> ?loader ."
        f" OPTIONAL {{ ?g <{BKG}fileVersion> ?fv }} }} }}",
        substitutions={"cat": ox.NamedNode(manifest.catalogue_graph)},
    )
    assert isinstance(res, SelectResult)
    out = {}
    for row in res.rows:
        v = [t.value if isinstance(t, ox.NamedNode | ox.Literal) else None for t in row]
        out[str(v[1])] = CatalogueRecord(
            id=str(v[1]),
            graph=str(v[0]),
            version=str(v[2]),
            sha256=str(v[3]),
            verified=v[4] == "true",
            source=str(v[5]),
            loaded_at=str(v[6]),
            triples=int(str(v[7])),
            loader=str(v[8]),
            file_version=v[9],
        )
    return out


def _file_version(store: Store, graph: ox.NamedNode) -> str | None:
    res = store.query(
        "SELECT ?v ?g WHERE { GRAPH ?g { ?o a <" + OWL + "Ontology> . "
        "{ ?o <" + OWL + "versionIRI> ?v } UNION { ?o <" + OWL + "versionInfo> ?v } } } ORDER BY ?v LIMIT 1",
        substitutions={"g": graph},
    )
    assert isinstance(res, SelectResult)
    return str(res.rows[0][0].value) if res.rows and res.rows[0][0] is not None else None  # type: ignore[union-attr]


def _write_record(store: Store, manifest: Manifest, record: CatalogueRecord) -> None:
    """Replace the record of ``record.id`` in the catalogue graph (one atomic replace)."""
    cat = ox.NamedNode(manifest.catalogue_graph)
    res = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?cat { ?s ?p ?o } }", substitutions={"cat": cat})
    assert isinstance(res, GraphResult)
    g = ox.NamedNode(record.graph)
    kept = [ox.Quad(t.subject, t.predicate, t.object, cat) for t in res.triples if t.subject != g]
    lit, iri = ox.Literal, ox.NamedNode

    def q(p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
        return ox.Quad(g, iri(p), o, cat)

    new = [
        q(RDF + "type", iri(LOADED_ONTOLOGY)),
        q(RDF + "type", iri(VOID + "Dataset")),
        q(DCT + "identifier", lit(record.id)),
        q(
            DCT + "title",
            lit(manifest.get(record.id).title) if record.id in manifest.by_id else lit(record.id),
        ),
        q(OWL + "versionInfo", lit(record.version)),
        q(BKG + "sourceSha256", lit(record.sha256)),
        q(
            BKG + "checksumVerified",
            lit("true" if record.verified else "false", datatype=iri(XSD + "boolean")),
        ),
        q(DCT + "source", lit(record.source)),
        q(PROV + "generatedAtTime", lit(record.loaded_at, datatype=iri(XSD + "dateTime"))),
        q(VOID + "triples", lit(str(record.triples), datatype=iri(XSD + "integer"))),
        q(BKG + "loaderFingerprint", lit(record.loader)),
    ]
    if record.file_version:
        new.append(q(BKG + "fileVersion", lit(record.file_version)))
    store.replace_graph(cat, kept + new)


# -- fetch ---------------------------------------------------------------------------------


def fetch_ontologies(
    store: Store,
    *,
    source: str | None = None,
    only: list[str] | None = None,
    manifest: Manifest | None = None,
    force: bool = False,
    on_outcome: Callable[[FetchOutcome], None] | None = None,
    extracts: Path | None = None,
) -> FetchReport:
    """Fetch, verify and load the ontologies ``only`` names (default: all in the manifest).

    One ontology failing (unreachable, checksum mismatch, parse error) loads nothing for it and
    does not stop the others; its outcome says why. With ``extracts``, what the term index needs
    is kept there as each file is loaded (:mod:`kg.ontology.extract`).
    """
    manifest = manifest or default_manifest()
    chosen = resolve_source(source)
    specs = manifest.select(only)
    report = FetchReport(source=chosen)
    catalogue = read_catalogue(store, manifest)
    loader = _loader_fingerprint(manifest)
    http: list[requests.Session] = []

    def session() -> requests.Session:
        if not http:
            http.append(_session())
        return http[0]

    workdir = Path(tempfile.mkdtemp(prefix="kg-ontologies-"))
    try:
        for ont in specs:
            outcome = _fetch_one(
                store, manifest, ont, chosen, workdir, session, catalogue.get(ont.id), loader, force, extracts
            )
            report.outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        for s in http:
            s.close()
    return report


def _fetch_one(
    store: Store,
    manifest: Manifest,
    ont: OntologySpec,
    source: str,
    workdir: Path,
    session: Callable[[], requests.Session],
    known: CatalogueRecord | None,
    loader: str,
    force: bool,
    extracts: Path | None = None,
) -> FetchOutcome:
    t0 = time.perf_counter()
    out = FetchOutcome(ont.id, "failed", ont.version)
    try:
        files = _locate(ont, source, workdir, session)
    except SourceError as exc:
        out.error = str(exc)
        out.seconds = time.perf_counter() - t0
        return out
    out.source = " ".join(f.location for f in files)
    out.sha256 = _combined_sha(files)
    out.verified = all(f.spec.sha256 is not None for f in files)
    if not out.verified:
        out.notes.append(
            "no sha256 pinned in the manifest for this file: loaded unverified, checksum recorded"
        )
    for f in files:
        if f.spec.note:
            out.notes.append(f.spec.note)
    graph = ox.NamedNode(manifest.graph_iri(ont.id))
    if (
        not force
        and known is not None
        and known.sha256 == out.sha256
        and known.version == ont.version
        and known.loader == loader
    ):
        out.status = "unchanged"
        out.triples = known.triples
        out.seconds = time.perf_counter() - t0
        return out
    rewrites = manifest.rewrite_iri_prefixes
    sha = out.sha256

    def save(c: Collector) -> None:
        if extracts is not None:
            save_extract(extracts, ont.id, sha, c.rows)

    try:
        if any(
            _FORMATS[f.spec.format].supports_datasets
            or _needs_rewrite(f.path, tuple(rewrites), f.location.endswith(".gz"))
            for f in files
        ):  # the triples pass through Python: rewritten, or moved out of the dataset's graphs
            collector = Collector()
            data = _rewritten(files, rewrites, collector)
            store.replace_graph_files(graph, [(io.BytesIO(data), ox.RdfFormat.N_TRIPLES, None)])
            out.triples = collector.triples
            save(collector)
        else:  # the store parses the files itself; the index's rows come from a parallel pass
            out.triples = _load_files(store, graph, files, save).triples
    except SourceError as exc:
        out.error = str(exc)
        out.seconds = time.perf_counter() - t0
        return out
    record = CatalogueRecord(
        id=ont.id,
        graph=graph.value,
        version=ont.version,
        sha256=out.sha256,
        verified=out.verified,
        source=out.source,
        loaded_at=dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
        triples=out.triples,
        loader=loader,
        file_version=_file_version(store, graph),
    )
    _write_record(store, manifest, record)
    out.status = "loaded"
    out.seconds = time.perf_counter() - t0
    return out


# -- status --------------------------------------------------------------------------------


@dataclass
class OntologyStatus:
    id: str
    state: str  # "loaded", "stale", "missing", "incomplete" or "not in manifest"
    manifest_version: str | None
    loaded_version: str | None = None
    sha256: str | None = None
    verified: bool | None = None
    source: str | None = None
    loaded_at: str | None = None
    triples: int | None = None
    graph: str | None = None
    detail: str = ""

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def ontology_status(store: Store, manifest: Manifest | None = None) -> list[OntologyStatus]:
    """For every ontology in the manifest (and any loaded one it no longer lists): its state.

    ``stale``: the loaded version is not the manifest's. ``missing``: never loaded (or its graph
    was dropped). ``incomplete``: a graph without a catalogue record (a run stopped between the
    two writes); fetching again repairs both.
    """
    manifest = manifest or default_manifest()
    catalogue = read_catalogue(store, manifest)
    res = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    graphs = set()
    if isinstance(res, SelectResult):
        graphs = {r[0].value for r in res.rows if r[0] is not None}  # type: ignore[union-attr]
    if not graphs:  # some engines do not list empty patterns: ask for graphs with content
        res = store.query(
            "SELECT DISTINCT ?g ?base WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?base))) }",
            substitutions={"base": ox.Literal(manifest.graph_base)},
        )
        assert isinstance(res, SelectResult)
        graphs = {r[0].value for r in res.rows if r[0] is not None}  # type: ignore[union-attr]
    out = []
    for ont in manifest.ontologies:
        rec = catalogue.get(ont.id)
        g = manifest.graph_iri(ont.id)
        st = OntologyStatus(ont.id, "missing", ont.version, graph=g)
        if rec is None:
            if g in graphs:
                st.state, st.detail = "incomplete", "graph present without a catalogue record: fetch again"
            out.append(st)
            continue
        st.loaded_version, st.sha256, st.verified = rec.version, rec.sha256, rec.verified
        st.source, st.loaded_at, st.triples = rec.source, rec.loaded_at, rec.triples
        if g not in graphs:
            st.state, st.detail = "missing", "catalogued but its graph is gone: fetch again"
        elif rec.version != ont.version:
            st.state, st.detail = "stale", f"manifest pins {ont.version}, the store holds {rec.version}"
        else:
            st.state = "loaded"
        out.append(st)
    for oid, rec in sorted(catalogue.items()):
        if oid not in manifest.by_id:
            out.append(
                OntologyStatus(
                    oid,
                    "not in manifest",
                    None,
                    rec.version,
                    rec.sha256,
                    rec.verified,
                    rec.source,
                    rec.loaded_at,
                    rec.triples,
                    rec.graph,
                    "loaded earlier; the manifest no longer lists it",
                )
            )
    return out
