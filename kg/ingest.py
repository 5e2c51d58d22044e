"""Ingest: detect each source, read it, map it to RDF and replace its named graph atomically.

- One source, one named graph, named by the source's IRI (docs/iris.md).
- Atomic per source: the graph is staged and moved in one SPARQL update; a failure at any step
  leaves the store exactly as it was.
- Idempotent: an unchanged source (same bytes, same mapping) is skipped; a changed one replaces
  its graph, so re-ingesting never duplicates.
- Nothing dropped silently: every value the mapping did not carry is listed in the outcome and
  recorded in the source's graph as ``bkg:unmapped`` notes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from kg import __version__
from kg.config import Settings
from kg.errors import KGError, SourceError, UnsupportedSourceError
from kg.iris import source_iri, source_key
from kg.mapping import MapResult, ModelMapping, Unmapped
from kg.mapping.pipeline import nt_chunks
from kg.mapping.schema_mapper import DocumentMapper, SchemaDocument, document_mapper_for
from kg.mapping.xml_mapper import XmlStreamMapper
from kg.namespaces import BKG, DCT, PROV, RDF, RDFS, XSD
from kg.readers import detect, walk
from kg.readers.base import Source
from kg.readers.ngff import has_ngff_metadata, is_url
from kg.resources import data_dir
from kg.store import NTriplesStream, SelectResult, Store

_INDEX = re.compile(r"\[[^\]]*\]")


@dataclass
class FileOutcome:
    path: Path | str
    status: str  # "ingested", "unchanged", "failed", "skipped"
    kind: str | None = None
    graph: str | None = None
    triples: int = 0
    error: str | None = None
    unmapped: list[Unmapped] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    objects: Counter[str] = field(default_factory=Counter)
    unresolved: list[Unmapped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def unmapped_summary(self) -> list[tuple[str, int, str]]:
        """Unmapped values grouped by element pattern: (``Image[*]/Pixels[*]/Plane``, count, example)."""
        groups: dict[str, list[Unmapped]] = {}
        for u in self.unmapped:
            groups.setdefault(f"{_INDEX.sub('[*]', u.element)}/{u.field}", []).append(u)
        return [(k, len(v), v[0].value) for k, v in sorted(groups.items())]

    def as_dict(self) -> dict[str, object]:
        return {
            "path": str(self.path),
            "status": self.status,
            "kind": self.kind,
            "graph": self.graph,
            "triples": self.triples,
            "error": self.error,
            "objects": dict(self.objects),
            "dropped": dict(self.dropped),
            "unmapped": [{"element": u.element, "field": u.field, "value": u.value} for u in self.unmapped],
        }


@dataclass
class FollowUp:
    """What a post-ingest step (a ``kg.after_ingest`` entry point) did, or why it failed."""

    step: str
    messages: list[str] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"step": self.step, "messages": self.messages, "error": self.error}


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    followups: list[FollowUp] = field(default_factory=list)

    def by_status(self, status: str) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == status]

    @property
    def failed(self) -> list[FileOutcome]:
        return self.by_status("failed")

    @property
    def ok(self) -> bool:
        return not self.failed


class Ingestor:
    """Ingest sources into one store. Holds the mapping and what the store already has."""

    parallel_min_bytes = 8 << 20  # OME-XML from this size is mapped in a second process

    def __init__(
        self,
        store: Store,
        settings: Settings,
        mapping: ModelMapping | None = None,
        ngff_mapping: ModelMapping | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        # the child process of a parallel ingest loads the rules from this file
        self.mapping_path: Path | None = None if mapping else data_dir("mappings") / "ome.yaml"
        self.mapping = mapping or ModelMapping.load(data_dir("mappings") / "ome.yaml")
        self.ngff_mapping = ngff_mapping or ModelMapping.load(data_dir("mappings") / "ngff.yaml")

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever the mapping rules, unit table or kg version change."""
        h = hashlib.sha256(__version__.encode())
        root = data_dir("mappings")
        for p in sorted(root.rglob("*")):
            if p.is_file() and p.suffix in (".yaml", ".tsv"):
                h.update(p.relative_to(root).as_posix().encode())
                h.update(p.read_bytes())
        return h.hexdigest()[:16]

    @cached_property
    def _known(self) -> dict[str, tuple[str, str]]:
        res = self.store.query(
            f"SELECT ?g ?sha ?fp WHERE {{ GRAPH ?g {{ "
            f"?g <{BKG}sha256> ?sha ; <{BKG}mappingFingerprint> ?fp }} }}"
        )
        assert isinstance(res, SelectResult)
        return {
            str(r[0].value): (str(r[1].value), str(r[2].value))  # type: ignore[union-attr]
            for r in res.rows
        }

    def _parallel(self, source: Source) -> bool:
        """Large OME-XML streams are mapped in a second process while this one writes."""
        if source.stream is None or self.mapping_path is None:
            return False
        size = source.stream.stat().st_size if isinstance(source.stream, Path) else len(source.stream)
        return size >= self.parallel_min_bytes

    @cached_property
    def streamer(self) -> XmlStreamMapper:
        return XmlStreamMapper(self.mapping)

    @cached_property
    def document_mapper(self) -> DocumentMapper:
        """REMBI, BioStudies, RO-Crate, instrument and provenance documents (kg.mapping.schema_mapper)."""
        return document_mapper_for(self.store, self.settings.store_path, self.settings.endpoint)

    def _map(self, source: Source, graph_iri: str, graph: ox.NamedNode, out: MapResult) -> Iterator[ox.Quad]:
        """The quads of a source, as an iterator; ``out`` holds the report once it is exhausted.
        OME-XML 2016-06 streams (bounded memory); other sources are mapped from their model."""
        if source.model is None and source.stream is not None:
            stream = source.stream if isinstance(source.stream, Path) else io.BytesIO(source.stream)
            yield from self.streamer.map_stream(
                stream, name=str(source.path), source_iri=graph_iri, graph=graph, out=out
            )
            return
        if isinstance(source.model, SchemaDocument):
            parts = [self.document_mapper.map(source.model, source_iri=graph_iri, graph=graph)]
        elif type(source.model).__name__ == "NgffRoot":
            parts = [self.ngff_mapping.map(source.model, source_iri=graph_iri, graph=graph)]
            if source.companion_model is not None:  # bioformats2raw: OME/METADATA.ome.xml
                parts.append(self.mapping.map(source.companion_model, source_iri=graph_iri, graph=graph))
        else:
            parts = [self.mapping.map(source.model, source_iri=graph_iri, graph=graph)]
        for result in parts:
            out.absorb(result)
        for result in parts:
            yield from result.quads

    def ingest_file(self, path: Path | str, *, explicit: bool = True) -> FileOutcome:
        try:
            reader = detect(path)
        except UnsupportedSourceError as exc:
            # A file met while walking a folder (a README, a licence) is skipped and listed;
            # a file named on the command line that we cannot read is a failure.
            return FileOutcome(path, "failed" if explicit else "skipped", error=str(exc))
        try:
            source = reader.read(path)
            # the source is what was read: a file of a multi-file OME-TIFF set is read as the
            # file holding the set's metadata, so every file of the set gives the same graph
            key = source_key(source.path)
            graph_iri = source_iri(self.settings.base_iri, key)
            known = self._known.get(graph_iri)
            if known == (source.sha256, self.fingerprint):
                return FileOutcome(path, "unchanged", kind=source.kind, graph=graph_iri)
            graph = ox.NamedNode(graph_iri)
            result = MapResult()
            # the source's own description comes last: it lists what the mapping reported,
            # which is complete only once the mapped quads have streamed into the store
            if self._parallel(source):
                assert source.stream is not None and self.mapping_path is not None
                chunks: Iterable[bytes | NTriplesStream | list[ox.Quad]] = itertools.chain(
                    nt_chunks(
                        source.stream,
                        name=str(source.path),
                        source_iri=graph_iri,
                        mapping_path=self.mapping_path,
                        out=result,
                    ),
                    _later(lambda: list(self._describe_source(source, key, graph, result))),
                )
                count = self.store.replace_graph_chunks(graph, chunks)
            else:
                quads = itertools.chain(
                    self._map(source, graph_iri, graph, result),
                    self._describe_source(source, key, graph, result),
                )
                count = self.store.replace_graph(graph, quads)
        except KGError as exc:
            return FileOutcome(path, "failed", kind=reader.kind, error=str(exc))
        except Exception as exc:  # an unforeseen failure still names the file and leaves the store as it was
            err = SourceError(str(path), f"unexpected {type(exc).__name__}: {exc}")
            return FileOutcome(path, "failed", kind=reader.kind, error=str(err))
        self._known[graph_iri] = (source.sha256, self.fingerprint)
        return FileOutcome(
            path,
            "ingested",
            kind=source.kind,
            graph=graph_iri,
            triples=count,
            unmapped=result.unmapped,
            dropped=result.dropped,
            objects=result.objects,
            unresolved=result.unresolved,
            warnings=source.warnings,
        )

    def _describe_source(
        self, source: Source, key: str, graph: ox.NamedNode, result: MapResult
    ) -> Iterator[ox.Quad]:
        g = graph
        lit = ox.Literal

        def q(p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
            return ox.Quad(g, ox.NamedNode(p), o, g)

        yield q(RDF + "type", ox.NamedNode(BKG + "Source"))
        yield q(RDF + "type", ox.NamedNode(PROV + "Entity"))
        yield q(RDFS + "label", lit(source.name))
        yield q(DCT + "source", ox.NamedNode(key))
        yield q(DCT + "format", lit(source.kind))
        for name, value in sorted(source.facts.items()):
            yield q(BKG + name, lit(value))
        yield q(BKG + "sha256", lit(source.sha256))
        yield q(BKG + "mappingFingerprint", lit(self.fingerprint))
        yield q(BKG + "generator", lit(f"bioimage-kg {__version__}"))
        now = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        yield q(PROV + "generatedAtTime", lit(now, datatype=ox.NamedNode(XSD + "dateTime")))
        yield q(BKG + "unmappedCount", lit(str(len(result.unmapped)), datatype=ox.NamedNode(XSD + "integer")))
        for u in result.unmapped:
            yield q(BKG + "unmapped", lit(str(u)))
        for u in result.unresolved:
            yield q(BKG + "unresolvedTerm", lit(str(u)))
        for w in source.warnings:
            yield q(BKG + "readerWarning", lit(w))


def _later(make: Callable[[], list[ox.Quad]]) -> Iterator[list[ox.Quad]]:
    """One chunk, made only when reached (after everything before it)."""
    yield make()


AfterIngest = Callable[[Store, Settings, list[str]], list[str]]
"""A post-ingest step: given the store, the settings and the IRIs of the graphs just ingested
(new or changed), bring derived data up to date and return lines for the user."""

AFTER_INGEST_GROUP = "kg.after_ingest"


def after_ingest_steps() -> list[tuple[str, AfterIngest]]:
    """Post-ingest steps contributed by installed packages (entry points ``kg.after_ingest``,
    e.g. the QC module recomputes the QC state of the instruments that took the new images),
    in name order. kg itself imports none of them."""
    from importlib.metadata import entry_points

    return [
        (ep.name, ep.load()) for ep in sorted(entry_points(group=AFTER_INGEST_GROUP), key=lambda e: e.name)
    ]


def run_after_ingest(store: Store, settings: Settings, graphs: list[str]) -> list[FollowUp]:
    """Run every post-ingest step for ``graphs``. The ingest itself is already committed, so a
    failing step does not undo it: its error is reported (with the command that redoes it)."""
    done = []
    for name, step in after_ingest_steps():
        try:
            done.append(FollowUp(name, step(store, settings, graphs)))
        except Exception as exc:  # reported, never silent; the sources stay ingested
            done.append(FollowUp(name, error=f"{type(exc).__name__}: {exc}"))
    return done


def ingest_paths(
    store: Store,
    settings: Settings,
    paths: Iterable[Path | str],
    *,
    on_file: Callable[[FileOutcome], None] | None = None,
    after: bool = True,
) -> IngestReport:
    """Ingest files and folders (walked). ``on_file`` is called after each file (progress).
    With ``after``, the post-ingest steps (:func:`run_after_ingest`) run once for the graphs
    that were ingested, when there are any."""
    paths = list(paths)
    ingestor = Ingestor(store, settings)
    report = IngestReport()
    explicit = {str(p) for p in paths if is_url(p) or not Path(p).is_dir() or has_ngff_metadata(Path(p))}
    for path in walk(list(paths)):
        if not is_url(path) and not Path(path).exists():
            outcome = FileOutcome(path, "failed", error=f"{path}: no such file or directory")
        else:
            outcome = ingestor.ingest_file(path, explicit=str(path) in explicit)
        report.outcomes.append(outcome)
        if on_file:
            on_file(outcome)
    new = [o.graph for o in report.outcomes if o.status == "ingested" and o.graph]
    if after and new:
        report.followups = run_after_ingest(store, settings, new)
    return report
