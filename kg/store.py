"""Quad stores behind one interface: an embedded Oxigraph store or a remote SPARQL 1.1 endpoint.

The store knows quads, graphs and SPARQL, and nothing about OME.

Every source lives in its own named graph. :meth:`Store.replace_graph` is atomic. A new graph
is written with one ``extend``, a single transaction. An existing graph is replaced by writing
the new content into a private staging graph and moving it over the old one with one SPARQL
``MOVE``, which Oxigraph runs in one transaction (FACTS.md: ``clear_graph`` + ``load`` is not
atomic); that path is several times slower, and only a changed source takes it. A run that dies
while staging leaves only a staging graph, which the next :func:`open_store` removes.

Queries see the union of all named graphs as their default graph.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
import requests

from kg.config import Settings
from kg.errors import QueryError, QueryTimeoutError, StoreError, StoreLockedError
from kg.sparql_guard import QueryForm, inspect_query

STAGING_PREFIX = "urn:x-bioimage-kg:staging:"
# Graphs being written by the bulk loader are listed here until they are complete.
IN_PROGRESS = "urn:x-bioimage-kg:in-progress"
_WRITING = "urn:x-bioimage-kg:writing"
BULK_THRESHOLD = 50_000  # quads: a larger new graph goes through the bulk loader
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
# an RDF file for Store.replace_graph_files: a path or a binary stream, its format, its base IRI
RdfFile = tuple[Path | IO[bytes], ox.RdfFormat, str | None]


@dataclass
class SelectResult:
    variables: list[str]
    rows: list[list[Term | None]]
    truncated: bool = False


@dataclass
class AskResult:
    value: bool
    truncated: bool = False


@dataclass
class GraphResult:
    triples: list[ox.Triple]
    truncated: bool = False


QueryResult = SelectResult | AskResult | GraphResult


def _materialize(result: Any, cap: int | None) -> QueryResult:
    """Read a pyoxigraph result into lists, stopping at ``cap`` rows (in the calling thread)."""
    if isinstance(result, ox.QueryBoolean):
        return AskResult(bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows: list[list[Term | None]] = []
        truncated = False
        for sol in result:
            if cap is not None and len(rows) >= cap:
                truncated = True
                break
            rows.append([sol[i] for i in range(len(variables))])
        return SelectResult(variables, rows, truncated)
    triples: list[ox.Triple] = []
    truncated = False
    for t in result:
        if cap is not None and len(triples) >= cap:
            truncated = True
            break
        triples.append(t)
    return GraphResult(triples, truncated)


def data_block(statements: Iterable[ox.Triple | ox.Quad]) -> str:
    """The body of an ``INSERT DATA`` / ``DELETE DATA`` block: one N-Triples line per statement
    (graph names ignored), each term written by pyoxigraph (escaped), never pasted raw."""
    return "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in statements)


def values_clause(substitutions: dict[str, Term]) -> str:
    """A VALUES block binding variables to RDF terms, each serialised by pyoxigraph (escaped
    N-Triples syntax), for endpoints without SEP-0007 substitutions. Raw strings are refused."""
    names, terms = [], []
    for name, term in substitutions.items():
        if not isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
            raise TypeError(f"substitution for ?{name} must be an RDF term, got {type(term).__name__}")
        if not name.isidentifier():
            raise ValueError(f"bad variable name {name!r}")
        names.append(f"?{name}")
        terms.append(str(term))
    return f"\nVALUES ({' '.join(names)}) {{ ({' '.join(terms)}) }}"


class NTriplesStream(io.RawIOBase):
    """A readable N-Triples stream that counts the triples that passed (``triples``)."""

    # a stream written by our own code from terms pyoxigraph made or checked may be parsed
    # without checking its IRIs again (pyoxigraph's ``lenient``: parsing a tenth faster)
    lenient = False

    def __init__(self) -> None:
        super().__init__()
        self.triples = 0


class Store(ABC):
    """What kg needs from a quad store."""

    description: str

    @abstractmethod
    def query(
        self, sparql: str, *, substitutions: dict[str, Term] | None = None, cap: int | None = None
    ) -> QueryResult:
        """Run a SPARQL query over the union of all graphs; at most ``cap`` rows come back."""

    @abstractmethod
    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> int:
        """Atomically make ``graph`` hold exactly ``quads`` (their graph names are ignored)."""

    def replace_graph_chunks(
        self, graph: ox.NamedNode, chunks: Iterable[bytes | NTriplesStream | list[ox.Quad]]
    ) -> int:
        """As :meth:`replace_graph`, from chunks that are N-Triples (bytes or a stream) or lists
        of quads (large sources mapped in another process send N-Triples). Returns the count."""

        def quads() -> Iterator[ox.Quad]:
            for chunk in chunks:
                if isinstance(chunk, NTriplesStream | bytes):
                    data = io.BufferedReader(chunk) if isinstance(chunk, NTriplesStream) else chunk
                    for t in ox.parse(data, ox.RdfFormat.N_TRIPLES):
                        yield ox.Quad(t.subject, t.predicate, t.object, graph)
                else:
                    yield from chunk

        return self.replace_graph(graph, quads())

    def replace_graph_files(self, graph: ox.NamedNode, files: Iterable[RdfFile]) -> None:
        """As :meth:`replace_graph`, from RDF files (a path or a binary stream, its format and
        base IRI) that the store parses itself: an embedded store bulk-loads them in Rust, with
        no Python object per triple. Syntax errors raise ``SyntaxError``; the graph is then left
        as it was. Callers that need the number of triples count them on their own pass."""

        def quads() -> Iterator[ox.Quad]:
            for source, fmt, base in files:
                if isinstance(source, Path):
                    yield from ox.parse(path=str(source), format=fmt, base_iri=base)
                else:
                    yield from ox.parse(source, fmt, base_iri=base)

        self.replace_graph(graph, quads())

    @abstractmethod
    def drop_graph(self, graph: ox.NamedNode) -> None: ...

    @abstractmethod
    def update(self, sparql_update: str) -> None:
        """Run a SPARQL update (one transaction). Callers guard it; the store does not."""

    @abstractmethod
    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        """Write the whole store; N-Quads streams, graph-less formats get the union."""

    def close(self) -> None:  # noqa: B027 - optional hook
        pass

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def stats(self) -> dict[str, int]:
        res = self.query(
            "SELECT (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(*) AS ?triples) WHERE { GRAPH ?g { ?s ?p ?o } }"
        )
        assert isinstance(res, SelectResult)
        row = res.rows[0]
        return {
            "graphs": int(row[0].value) if isinstance(row[0], ox.Literal) else 0,
            "triples": int(row[1].value) if isinstance(row[1], ox.Literal) else 0,
        }


def _union_triples(store: Store) -> Iterator[ox.Triple]:
    res = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(res, GraphResult)
    yield from res.triples


class EmbeddedStore(Store):
    """An on-disk (or, with ``path=None``, in-memory) pyoxigraph store in this process.

    Queries in this process cannot be interrupted (oxigraph issue 1926); the CLI runs them in a
    worker thread with a deadline, and ``kg serve`` runs them in an ``oxigraph`` server.
    """

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.description = f"embedded Oxigraph at {path}" if path else "in-memory Oxigraph"
        try:
            if path is None:
                self._store = ox.Store()
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(path))
        except OSError as exc:
            if "LOCK" in str(exc) or "lock" in str(exc):
                raise StoreLockedError(
                    f"the store at {path} is open in another process (a running `kg serve`?). "
                    "Stop that process, or send writes to its endpoint with KG_ENDPOINT."
                ) from exc
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc
        self._drop_staging()

    @property
    def raw(self) -> ox.Store:
        return self._store

    def _drop_staging(self) -> None:
        """Undo what a killed run left: staging graphs, and graphs the bulk loader had not
        finished (listed in the in-progress graph)."""
        marker = ox.NamedNode(IN_PROGRESS)
        for q in list(self._store.quads_for_pattern(None, None, None, marker)):
            if isinstance(q.subject, ox.NamedNode):
                self._store.remove_graph(q.subject)
        if self._store.contains_named_graph(marker):
            self._store.remove_graph(marker)
        for g in list(self._store.named_graphs()):
            if isinstance(g, ox.NamedNode) and g.value.startswith(STAGING_PREFIX):
                self._store.remove_graph(g)

    def query(
        self, sparql: str, *, substitutions: dict[str, Term] | None = None, cap: int | None = None
    ) -> QueryResult:
        subs = {ox.Variable(k): v for k, v in (substitutions or {}).items()}
        try:
            result = self._store.query(sparql, use_default_graph_as_union=True, substitutions=subs or None)
            return _materialize(result, cap)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> int:
        count = 0

        def counted(target: ox.NamedNode) -> Iterator[ox.Quad]:
            nonlocal count
            for q in quads:
                count += 1
                # quads made for this graph pass as they are (a 17M-quad plate saves seconds)
                yield q if q.graph_name == target else ox.Quad(q.subject, q.predicate, q.object, target)

        if not self._store.contains_named_graph(graph):
            return self._write_new(graph, counted(graph), lambda: count)
        # the staging graph is private (dropped at the next open if we die), so the bulk
        # loader may fill it; the MOVE is the one transaction that makes the change visible
        self._via_staging(graph, lambda staging: self._bulk(counted(staging)))
        return count

    def _write_new(self, graph: ox.NamedNode, quads: Iterator[ox.Quad], count: Callable[[], int]) -> int:
        """Write a graph that does not exist yet, all or nothing.

        Up to BULK_THRESHOLD quads: one ``extend``, a single transaction. More: the bulk loader,
        in chunks, with memory that does not grow with the graph; the graph is listed in the
        in-progress graph (one transaction) before the first chunk and unlisted after the last,
        and a failure drops it at once, a killed process at the next open. A single
        transaction holding millions of quads took 4 GB and twice the time (benchmarks/).
        """
        first = list(itertools.islice(quads, BULK_THRESHOLD))
        if len(first) < BULK_THRESHOLD:
            self._store.extend(first)
            return count()
        self._as_new(graph, lambda: self._bulk(itertools.chain(first, quads)))
        return count()

    def _as_new(self, graph: ox.NamedNode, load: Callable[[], None]) -> None:
        """Run ``load`` (bulk writes into ``graph``, which does not exist yet) with the graph
        listed as in progress: a failure drops it at once, a killed process at the next open."""
        entry = ox.Quad(graph, ox.NamedNode(_WRITING), ox.Literal("true"), ox.NamedNode(IN_PROGRESS))
        self._store.extend([entry])
        try:
            load()
        except BaseException:
            self._store.remove_graph(graph)
            self._unlist(entry)
            raise
        self._unlist(entry)

    def _via_staging(self, graph: ox.NamedNode, load: Callable[[ox.NamedNode], None]) -> None:
        """Run ``load`` into a private staging graph, then make it ``graph`` with one MOVE; on
        failure the staging graph is dropped (or at the next open, if the process was killed)."""
        staging = ox.NamedNode(STAGING_PREFIX + uuid.uuid4().hex)
        try:
            load(staging)
            self._store.update(f"MOVE SILENT GRAPH {staging} TO GRAPH {graph}")
        except BaseException:
            with contextlib.suppress(Exception):
                self._store.remove_graph(staging)
            raise

    def _replace_by(self, graph: ox.NamedNode, load: Callable[[ox.NamedNode], None]) -> None:
        """Make ``graph`` what ``load(target)`` writes into ``target``, all or nothing: into the
        graph itself listed as in progress when it is new, else through a staging graph."""
        if not self._store.contains_named_graph(graph):
            self._as_new(graph, lambda: load(graph))
        else:
            self._via_staging(graph, load)

    def replace_graph_chunks(
        self, graph: ox.NamedNode, chunks: Iterable[bytes | NTriplesStream | list[ox.Quad]]
    ) -> int:
        """N-Triples chunks are parsed (in Rust) and go to the bulk loader, into the graph;
        all or nothing as in :meth:`replace_graph`: a new graph is listed as in progress until
        complete, an existing one is replaced through a staging graph and one MOVE."""
        count = 0
        streams: list[NTriplesStream] = []

        def load(target: ox.NamedNode) -> None:
            nonlocal count
            for chunk in chunks:
                if isinstance(chunk, NTriplesStream):  # one bulk load for the whole stream
                    stream = io.BufferedReader(chunk, buffer_size=1 << 20)
                    self._store.bulk_load(
                        stream, ox.RdfFormat.N_TRIPLES, to_graph=target, lenient=chunk.lenient
                    )
                    streams.append(chunk)  # its count is known once its producer has reported
                    continue
                # small chunks: parsing here and bulk_extend beat bulk_load of the bytes
                if isinstance(chunk, bytes):
                    triples = ox.parse(chunk, ox.RdfFormat.N_TRIPLES)
                    quads = [ox.Quad(t.subject, t.predicate, t.object, target) for t in triples]
                else:
                    quads = [ox.Quad(q.subject, q.predicate, q.object, target) for q in chunk]
                count += len(quads)
                self._store.bulk_extend(quads)

        self._replace_by(graph, load)
        return count + sum(s.triples for s in streams)

    def replace_graph_files(self, graph: ox.NamedNode, files: Iterable[RdfFile]) -> None:
        """The files go to the bulk loader (GIL released: other threads run meanwhile); all or
        nothing as in :meth:`replace_graph`."""

        def load(target: ox.NamedNode) -> None:
            for source, fmt, base in files:
                if isinstance(source, Path):
                    self._store.bulk_load(path=str(source), format=fmt, base_iri=base, to_graph=target)
                else:
                    self._store.bulk_load(source, fmt, base_iri=base, to_graph=target)

        self._replace_by(graph, load)

    def _unlist(self, entry: ox.Quad) -> None:
        self._store.remove(entry)
        marker = ox.NamedNode(IN_PROGRESS)
        if next(iter(self._store.quads_for_pattern(None, None, None, marker)), None) is None:
            self._store.remove_graph(marker)

    def _bulk(self, quads: Iterator[ox.Quad]) -> None:
        """Feed the bulk loader in chunks, so that memory stays bounded. (``bulk_extend`` holds
        the GIL while it writes, so a writer thread would not overlap with mapping.)"""
        while chunk := list(itertools.islice(quads, BULK_THRESHOLD)):
            self._store.bulk_extend(chunk)

    def drop_graph(self, graph: ox.NamedNode) -> None:
        self._store.update(f"DROP SILENT GRAPH {graph}")

    def update(self, sparql_update: str) -> None:
        try:
            self._store.update(sparql_update)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        if fmt.supports_datasets:
            self._store.dump(out, fmt)
        else:  # streamed quad by quad, graph names dropped: memory stays flat
            triples = (q.triple for q in self._store if not isinstance(q.graph_name, ox.DefaultGraph))
            ox.serialize(triples, out, fmt, prefixes=_export_prefixes())

    def optimize(self) -> None:
        self._store.optimize()

    def close(self) -> None:
        # pyoxigraph closes the store when the object is collected; drop our reference.
        self.__dict__.pop("_store", None)


def _export_prefixes() -> dict[str, str]:
    from kg.namespaces import PREFIXES

    return dict(PREFIXES)


class RemoteStore(Store):
    """Any SPARQL 1.1 endpoint, spoken to over the SPARQL 1.1 Protocol with ``requests``."""

    CHUNK = 20_000  # quads per INSERT DATA request when writing

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        *,
        timeout_s: float = 30.0,
        session: requests.Session | None = None,
    ) -> None:
        self.query_url = query_url
        self.update_url = update_url or query_url
        self.timeout_s = timeout_s
        self.description = f"SPARQL endpoint {query_url}"
        self._session = session
        self._local = threading.local()  # requests.Session is not thread-safe: one per thread

    @property
    def _http(self) -> requests.Session:
        if self._session is not None:
            return self._session
        s = getattr(self._local, "session", None)
        if s is None:
            s = self._local.session = requests.Session()
        return s

    def _post(
        self, url: str, data: dict[str, str] | str, headers: dict[str, str], stream: bool = False
    ) -> requests.Response:
        try:
            resp = self._http.post(
                url, data=data, headers=headers, timeout=(5, self.timeout_s + 5), stream=stream
            )
        except requests.Timeout as exc:
            raise QueryTimeoutError(f"{url} did not answer within {self.timeout_s:g} s") from exc
        except requests.RequestException as exc:
            raise StoreError(f"cannot reach {url}: {exc}") from exc
        if resp.status_code >= 400:
            body = resp.text[:500]
            if "timeout" in body.lower() or resp.status_code in (503, 504):
                raise QueryTimeoutError(f"query stopped after {self.timeout_s:g} s: {body}")
            if resp.status_code == 400:
                raise QueryError(f"the endpoint refused the request: {body}")
            raise StoreError(f"{url} answered {resp.status_code}: {body}")
        return resp

    def query(
        self, sparql: str, *, substitutions: dict[str, Term] | None = None, cap: int | None = None
    ) -> QueryResult:
        info = inspect_query(sparql)
        text = sparql + values_clause(substitutions) if substitutions else sparql
        if info.form in (QueryForm.SELECT, QueryForm.ASK):
            accept = "application/sparql-results+json"
        else:
            accept = "application/n-triples"
        resp = self._post(self.query_url, {"query": text}, {"Accept": accept}, stream=True)
        try:
            raw = resp.raw
            raw.decode_content = True
            if info.form in (QueryForm.SELECT, QueryForm.ASK):
                parsed = ox.parse_query_results(raw, ox.QueryResultsFormat.JSON)
                return _materialize(parsed, cap)
            triples = (q.triple for q in ox.parse(raw, ox.RdfFormat.N_TRIPLES))
            return _materialize(triples, cap)
        except SyntaxError as exc:
            raise QueryError(f"the endpoint sent results that do not parse: {exc}") from exc
        finally:
            resp.close()

    def update(self, sparql_update: str) -> None:
        self._post(self.update_url, sparql_update, {"Content-Type": "application/sparql-update"})

    def replace_graph(self, graph: ox.NamedNode, quads: Iterable[ox.Quad]) -> int:
        staging = ox.NamedNode(STAGING_PREFIX + uuid.uuid4().hex)
        count = 0
        buf: list[ox.Quad] = []

        def flush() -> None:
            if buf:
                self.update(f"INSERT DATA {{ GRAPH {staging} {{\n{data_block(buf)}\n}} }}")
                buf.clear()

        try:
            for q in quads:
                buf.append(q)
                count += 1
                if len(buf) >= self.CHUNK:
                    flush()
            flush()
            self.update(f"MOVE SILENT GRAPH {staging} TO GRAPH {graph}")
        except BaseException:
            with contextlib.suppress(Exception):
                self.update(f"DROP SILENT GRAPH {staging}")
            raise
        return count

    def drop_graph(self, graph: ox.NamedNode) -> None:
        self.update(f"DROP SILENT GRAPH {graph}")

    def dump(self, out: IO[bytes], fmt: ox.RdfFormat) -> None:
        if fmt.supports_datasets:
            # CONSTRUCT cannot carry graph names: ask graph by graph to keep them.
            graphs = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
            assert isinstance(graphs, SelectResult)
            quads: list[ox.Quad] = []
            for (g,) in graphs.rows:
                assert isinstance(g, ox.NamedNode)
                part = self.query(
                    "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions={"g": g}
                )
                assert isinstance(part, GraphResult)
                quads.extend(ox.Quad(t.subject, t.predicate, t.object, g) for t in part.triples)
            ox.serialize(quads, out, fmt)
        else:
            ox.serialize(_union_triples(self), out, fmt, prefixes=_export_prefixes())


def open_store(settings: Settings) -> Store:
    """The store the settings name: ``KG_ENDPOINT`` if set, else the embedded store."""
    if settings.endpoint:
        return RemoteStore(settings.endpoint, settings.update_endpoint, timeout_s=settings.query_timeout_s)
    return EmbeddedStore(settings.store_path)


# -- the oxigraph server as a child process --------------------------------------------------


def oxigraph_binary() -> str:
    """The ``oxigraph`` server executable installed with the ``oxigraph`` PyPI package."""
    here = Path(sys.executable).parent / "oxigraph"
    if here.exists():
        return str(here)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise StoreError("the `oxigraph` server is not installed (pip install oxigraph)")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class OxigraphServer:
    """Run ``oxigraph serve`` on a store directory, on loopback, with a query timeout.

    ``kg serve`` uses it so that every query has a real, enforced timeout: a runaway query is
    stopped by the server, not left running in our process.
    """

    def __init__(self, location: Path | None, *, timeout_s: float, read_only: bool = False) -> None:
        self.location = location
        self.timeout_s = timeout_s
        self.read_only = read_only
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._proc: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    def start(self, wait_s: float = 30.0) -> OxigraphServer:
        cmd = [oxigraph_binary(), "serve-read-only" if self.read_only else "serve"]
        if self.location is not None:
            self.location.mkdir(parents=True, exist_ok=True)
            cmd += ["--location", str(self.location)]
        cmd += [
            "--bind",
            f"127.0.0.1:{self.port}",
            "--union-default-graph",
            "--timeout-s",
            str(max(1, round(self.timeout_s))),
        ]
        if self.location is not None:
            # Drop staging graphs left by an interrupted run before serving.
            EmbeddedStore(self.location).close()
        # a file, not a pipe: a full pipe would block the server
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self._proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self._log)
        deadline = time.monotonic() + wait_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._log.seek(0)
                err = self._log.read().decode(errors="replace")[-2000:]
                if "LOCK" in err or "lock" in err:
                    raise StoreLockedError(
                        f"the store at {self.location} is open in another process: {err.strip()}"
                    )
                raise StoreError(f"oxigraph server exited at start: {err.strip()}")
            try:
                requests.get(self.query_url, params={"query": "ASK {}"}, timeout=1)
                return self
            except requests.RequestException:
                time.sleep(0.05)
        self.stop()
        raise StoreError(f"oxigraph server did not start within {wait_s:g} s")

    def stop(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> OxigraphServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
