"""QC measurements into the graph: a :class:`~qc.model.MetricResult` becomes SOSA observations in
a named graph of its own.

Each value is a ``sosa:Observation``::

    <m/obs/psf_fwhm_x/ch0> a sosa:Observation ;
        sosa:hasFeatureOfInterest <instrument/channel/0> ;   # or the instrument itself
        sosa:observedProperty bkgqc:psf_fwhm_x ;
        sosa:hasResult <m/obs/psf_fwhm_x/ch0/result> ;        # a qudt:QuantityValue, as kg maps OME
        sosa:resultTime "2024-03-14T10:22:05"^^xsd:dateTime ;
        prov:wasDerivedFrom <file:///data/beads.ome.tiff> ;
        prov:wasGeneratedBy <m/activity> ;                    # software and its version
        bkg:instrument <instrument> ; bkg:measurement <m> ;
        bkg:series <instrument/series/psf_fwhm_x/ch0> ;       # only on series points
        bkg:channel 0 .

The measurement IRI ``m`` is also the name of its graph. It is derived from the instrument, the
kind and the dataset, so measuring or importing the same dataset again replaces the graph
(same IRIs, no duplicates); writing it is one atomic :meth:`Store.replace_graph`.

Series points and samples: values of a metric and channel with an ``item`` are *samples* (beads)
when the result also has the summary (``item`` None) for that metric and channel; then they carry
``bkg:item`` and ``bkg:sampleOf`` the summary and are not series points. Otherwise the item names a
*component* of the series (``vs-ch0`` for a chromatic shift, a light source for power) and the value
is a series point of its own (``bkg:component``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kg import __version__
from kg.errors import ConfigError
from kg.iris import source_key
from kg.namespaces import BKG, DCT, PROV, QUDT, RDF, RDFS, XSD
from kg.store import EmbeddedStore, Store, data_block
from qc.model import MetricResult, MetricValue
from qc.vocab import QCV, SOSA, metric, prologue, unit, vocabulary_hash, vocabulary_triples

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_SLUG_BAD = re.compile(r"[^a-z0-9]+")

XSD_DOUBLE = ox.NamedNode(XSD + "double")
XSD_INTEGER = ox.NamedNode(XSD + "integer")
XSD_BOOLEAN = ox.NamedNode(XSD + "boolean")
XSD_DATETIME = ox.NamedNode(XSD + "dateTime")
XSD_DATE = ox.NamedNode(XSD + "date")
RDF_JSON = ox.NamedNode(RDF + "JSON")
A = ox.NamedNode(RDF + "type")


def N(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def text(t: object) -> str | None:
    """The lexical value of a result cell (IRI, literal, blank node), None when unbound."""
    if isinstance(t, ox.NamedNode | ox.Literal | ox.BlankNode):
        return str(t.value)
    return None


def lit_double(v: float) -> ox.Literal:
    return ox.Literal(repr(float(v)), datatype=XSD_DOUBLE)


def lit_int(v: int) -> ox.Literal:
    return ox.Literal(str(int(v)), datatype=XSD_INTEGER)


def lit_bool(v: bool) -> ox.Literal:
    return ox.Literal("true" if v else "false", datatype=XSD_BOOLEAN)


def lit_time(t: dt.datetime) -> ox.Literal:
    return ox.Literal(t.isoformat(), datatype=XSD_DATETIME)


# -- IRIs -----------------------------------------------------------------------------------------


def check_instrument_id(instrument_id: str) -> str:
    if not _ID.match(instrument_id):
        raise ConfigError(
            f"instrument ID {instrument_id!r} is not usable: expected 1-64 letters, digits, '.', '_' "
            "or '-', starting with a letter or digit (e.g. confocal-1)"
        )
    return instrument_id


@dataclass(frozen=True)
class QcIris:
    """Every IRI the QC module mints, under the store's base IRI (docs/qc.md)."""

    base: str

    def instrument(self, instrument_id: str) -> str:
        return f"{self.base}qc/instrument/{check_instrument_id(instrument_id)}"

    def instrument_id(self, iri: str) -> str | None:
        prefix = f"{self.base}qc/instrument/"
        if iri.startswith(prefix) and "/" not in iri[len(prefix) :]:
            return iri[len(prefix) :]
        return None

    @property
    def links_graph(self) -> str:
        return f"{self.base}qc/links"

    def baseline_graph(self, instrument_id: str) -> str:
        return f"{self.base}qc/baseline/{check_instrument_id(instrument_id)}"

    def state_graph(self, instrument_id: str) -> str:
        return f"{self.base}qc/state/{check_instrument_id(instrument_id)}"

    def measurement(self, instrument_id: str, kind: str, dataset_key: str) -> str:
        """``{base}qc/measurement/{slug}-{hash12}``: slug from the dataset's name and the kind."""
        name = dataset_key.rstrip("/").rsplit("/", 1)[-1].split("#")[0]
        for ext in (".ome.tiff", ".ome.tif", ".ome.zarr", ".tiff", ".tif", ".zarr", ".npy", ".csv", ".yaml"):
            if name.lower().endswith(ext):
                name = name[: -len(ext)]
                break
        slug = _SLUG_BAD.sub("-", f"{kind}-{name}".lower()).strip("-")[:48] or "measurement"
        key = f"{check_instrument_id(instrument_id)}\n{kind}\n{dataset_key}"
        return f"{self.base}qc/measurement/{slug}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"

    def series(self, instrument_id: str, metric_key: str, channel: int | None, component: str | None) -> str:
        iri = f"{self.instrument(instrument_id)}/series/{metric_key}"
        if channel is not None:
            iri += f"/ch{channel}"
        if component is not None:
            seg = quote(component, safe="")
            if re.fullmatch(r"ch\d+", seg):  # would read as a channel: escape the "c"
                seg = "%63" + seg[1:]
            iri += f"/{seg}"
        return iri

    def parse_series(self, iri: str) -> tuple[str, str, int | None, str | None] | None:
        """(instrument ID, metric key, channel, component) from a series IRI minted by :meth:`series`."""
        prefix = f"{self.base}qc/instrument/"
        if not iri.startswith(prefix):
            return None
        parts = iri[len(prefix) :].split("/")
        if len(parts) < 3 or parts[1] != "series":
            return None
        channel = None
        rest = parts[3:]
        if rest and re.fullmatch(r"ch\d+", rest[0]):
            channel = int(rest[0][2:])
            rest = rest[1:]
        component = unquote(rest[0]) if rest else None
        return parts[0], parts[2], channel, component

    def component(self, instrument_id: str, channel: int | None, component: str | None) -> str | None:
        """The feature of interest below the instrument: a channel, or a named component."""
        if channel is not None:
            return f"{self.instrument(instrument_id)}/channel/{channel}"
        if component is not None:
            return f"{self.instrument(instrument_id)}/component/{quote(component, safe='')}"
        return None


# -- the vocabulary in the store --------------------------------------------------------------------


def ensure_vocabulary(store: Store) -> bool:
    """Load the QC vocabulary into its own graph (named by the vocabulary IRI) unless the same
    version is there already, so queries can show metric labels. True when it was (re)loaded."""
    graph = N(QCV)
    marker = N(BKG + "sha256")
    digest = vocabulary_hash()
    res = store.query(
        "ASK { GRAPH ?g { ?g ?p ?h } }",
        substitutions={"g": graph, "p": marker, "h": ox.Literal(digest)},
    )
    if getattr(res, "value", False):
        return False
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in vocabulary_triples()]
    quads.append(ox.Quad(graph, marker, ox.Literal(digest), graph))
    replace_graph(store, graph, quads)
    return True


# -- a result as quads ----------------------------------------------------------------------------


@dataclass
class Measurement:
    """What :func:`measurement_quads` built: the graph and a summary for the caller."""

    iri: str
    instrument_id: str
    kind: str
    result_time: dt.datetime
    quads: list[ox.Quad] = field(default_factory=list)
    observations: int = 0
    series_points: int = 0
    warnings: list[str] = field(default_factory=list)


def _obs_local(v: MetricValue) -> str:
    s = v.metric
    if v.channel is not None:
        s += f"/ch{v.channel}"
    if v.item is not None:
        s += "/" + quote(v.item, safe="")
    return s


def dataset_iri(dataset: str) -> str:
    """A dataset path as its ``file:`` URI; a URL (OMERO, http) as given."""
    return source_key(dataset)


def measurement_quads(
    result: MetricResult,
    instrument_id: str,
    iris: QcIris,
    *,
    source_file: str | None = None,
    now: dt.datetime | None = None,
    extra_unmapped: list[str] | None = None,
) -> Measurement:
    """Build the named graph of one measurement. Raises ConfigError for an unknown metric key or
    unit (nothing is written then)."""
    now = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    inst_iri = iris.instrument(instrument_id)
    ds_key = dataset_iri(result.dataset)
    m_iri = iris.measurement(instrument_id, result.kind, ds_key)
    g = N(m_iri)
    m = N(m_iri)
    inst = N(inst_iri)
    dataset = N(ds_key)
    activity = N(m_iri + "/activity")
    warnings: list[str] = []
    if result.result_time is not None:
        rtime = result.result_time
        time_source = None
    else:
        rtime = now
        time_source = "the time of the measurement: the data does not say when it was acquired"
        warnings.append(f"{result.dataset}: no acquisition time in the data; using the time of measurement")
    t_lit = lit_time(rtime)
    out = Measurement(m_iri, instrument_id, result.kind, rtime, warnings=warnings)
    quads = out.quads

    def q(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(s, N(p), o, g))

    # the measurement and its provenance
    q(m, RDF + "type", N(BKG + "QCMeasurement"))
    q(m, RDF + "type", N(PROV + "Entity"))
    label_name = result.dataset.rstrip("/").rsplit("/", 1)[-1]
    q(m, RDFS + "label", ox.Literal(f"{result.kind} of {label_name} on {instrument_id}"))
    q(m, BKG + "qcKind", ox.Literal(result.kind))
    q(m, BKG + "instrument", inst)
    q(m, DCT + "source", N(source_key(source_file)) if source_file else dataset)
    q(m, PROV + "wasDerivedFrom", dataset)
    q(m, PROV + "wasGeneratedBy", activity)
    q(m, SOSA + "resultTime", t_lit)
    q(m, PROV + "generatedAtTime", lit_time(now))
    if time_source:
        q(m, BKG + "resultTimeSource", ox.Literal(time_source))
    q(activity, RDF + "type", N(PROV + "Activity"))
    q(activity, PROV + "used", dataset)
    software = result.software or "unknown software"
    version = result.software_version or ""
    q(activity, RDFS + "label", ox.Literal(f"{software} {version}".strip()))
    q(activity, BKG + "software", ox.Literal(software))
    if version:
        q(activity, BKG + "softwareVersion", ox.Literal(version))
    q(activity, PROV + "endedAtTime", lit_time(now))
    q(activity, BKG + "generator", ox.Literal(f"bioimage-kg {__version__}"))
    if result.parameters:
        q(
            m,
            BKG + "parameters",
            ox.Literal(json.dumps(result.parameters, sort_keys=True, default=str), datatype=RDF_JSON),
        )
    for w in result.warnings:
        q(m, BKG + "warning", ox.Literal(w))
    for i, rej in enumerate(result.rejected, start=1):
        r = N(f"{m_iri}/rejected/{i}")
        q(m, BKG + "rejected", r)
        q(r, RDF + "type", N(BKG + "RejectedItem"))
        q(r, BKG + "item", ox.Literal(rej.item))
        q(r, RDFS + "comment", ox.Literal(rej.reason))
    for note in extra_unmapped or []:
        q(m, BKG + "unmapped", ox.Literal(note))

    # which (metric, channel) groups have a summary: their items are samples
    summarised = {(v.metric, v.channel) for v in result.values if v.item is None}
    seen: set[str] = set()
    for v in result.values:
        try:
            term = metric(v.metric)
        except KeyError as exc:
            raise ConfigError(f"{result.dataset}: {exc.args[0]}") from exc
        u = unit(v.unit)
        if u is None:
            raise ConfigError(
                f"{result.dataset}: metric {v.metric}: unit {v.unit!r} is not one kg knows "
                "(expected a symbol such as µm, nm, mW, %, 1, ADU, px, %/h)"
            )
        local = _obs_local(v)
        if local in seen:
            raise ConfigError(
                f"{result.dataset}: two values for {v.metric}, channel {v.channel}, item {v.item!r} "
                "(expected one value per metric, channel and item)"
            )
        seen.add(local)
        is_sample = v.item is not None and (v.metric, v.channel) in summarised
        component = None if is_sample else v.item
        o = N(f"{m_iri}/obs/{local}")
        r = N(f"{m_iri}/obs/{local}/result")
        foi = iris.component(instrument_id, v.channel, component)
        q(o, RDF + "type", N(SOSA + "Observation"))
        q(o, SOSA + "hasFeatureOfInterest", N(foi) if foi else inst)
        q(o, SOSA + "observedProperty", N(term.iri))
        q(o, SOSA + "hasResult", r)
        q(o, SOSA + "resultTime", t_lit)
        q(o, PROV + "wasDerivedFrom", dataset)
        q(o, PROV + "wasGeneratedBy", activity)
        q(o, BKG + "instrument", inst)
        q(o, BKG + "measurement", m)
        if v.channel is not None:
            q(o, BKG + "channel", lit_int(v.channel))
        if is_sample:
            assert v.item is not None
            q(o, BKG + "item", ox.Literal(v.item))
            q(
                o,
                BKG + "sampleOf",
                N(f"{m_iri}/obs/{_obs_local(MetricValue(v.metric, 0.0, v.unit, v.channel))}"),
            )
        else:
            if component is not None:
                q(o, BKG + "component", ox.Literal(component))
            q(o, BKG + "series", N(iris.series(instrument_id, v.metric, v.channel, component)))
            out.series_points += 1
        q(r, RDF + "type", N(QUDT + "QuantityValue"))
        q(r, QUDT + "numericValue", lit_double(v.value))
        q(r, QUDT + "unit", N(u.iri))
        if u.quantity_kind:
            q(r, QUDT + "hasQuantityKind", N(u.quantity_kind))
        if u.uo:
            q(r, BKG + "uoUnit", N(u.uo))
        si = u.to_si(v.value)
        if si is not None:
            q(r, BKG + "siValue", ox.Literal(f"{si:E}", datatype=XSD_DOUBLE))
        if v.uncertainty is not None:
            q(r, QUDT + "standardUncertainty", lit_double(v.uncertainty))
        out.observations += 1
    q(m, BKG + "observationCount", lit_int(out.observations))
    return out


SMALL_GRAPH = 20_000  # quads


def replace_graph(store: Store, graph: ox.NamedNode, quads: list[ox.Quad], *, derived: bool = False) -> int:
    """:meth:`Store.replace_graph`, with two shortcuts on an embedded store for a graph that
    exists already, both one transaction (atomic, as the store's own replacement):

    - a small graph is replaced with one SPARQL update (``DROP SILENT GRAPH`` + ``INSERT DATA``,
      as :class:`kg.store.RemoteStore` does): the staging path costs about 150 ms of
      bulk-loader overhead per call whatever the size, and QC rewrites small graphs often;
    - a large *derived* graph (a QC state) is updated by difference: the quads that left are
      deleted and the new ones inserted in one update (``DELETE DATA`` ; ``INSERT DATA``). A new
      image or QC point changes a few epochs of an instrument's state, so this writes little;
      replacing 120k quads through staging and ``MOVE`` took 19 s.

    Terms are written by pyoxigraph's N-Triples serialiser (escaped), never pasted raw.
    """
    if isinstance(store, EmbeddedStore) and store.raw.contains_named_graph(graph):
        if len(quads) <= SMALL_GRAPH:
            store.update(
                f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n{data_block(quads)}\n}} }}"
            )
            return len(quads)
        if derived and not any(
            isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads
        ):
            update_by_difference(store, graph, quads)
            return len(quads)
    return store.replace_graph(graph, quads)


def update_by_difference(store: EmbeddedStore, graph: ox.NamedNode, quads: list[ox.Quad]) -> tuple[int, int]:
    """Make ``graph`` hold exactly ``quads`` (no blank nodes) in one SPARQL update that deletes
    what is no longer there and inserts what is new; (deleted, inserted). The new quads pass
    through an in-memory Oxigraph store first, so that literals compare in the store's own
    canonical form (``"2.0"^^xsd:double`` is stored as ``"2"``)."""
    canonical = ox.Store()
    canonical.extend(ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads)
    new = set(canonical)
    old = set(store.raw.quads_for_pattern(None, None, None, graph))
    gone = old - new
    added = new - old
    if not gone and not added:
        return 0, 0
    parts = []
    if gone:
        parts.append(f"DELETE DATA {{ GRAPH {graph} {{\n{data_block(gone)}\n}} }}")
    if added:
        parts.append(f"INSERT DATA {{ GRAPH {graph} {{\n{data_block(added)}\n}} }}")
    store.update(" ;\n".join(parts))
    return len(gone), len(added)


def store_measurement(store: Store, measurement: Measurement) -> int:
    """Write (or replace) the measurement's graph in one atomic step; the number of quads."""
    return replace_graph(store, N(measurement.iri), measurement.quads)


def measurement_graphs(store: Store, instrument_iri: str | None = None) -> Iterator[str]:
    res = store.query(
        prologue() + "SELECT ?m ?inst WHERE { GRAPH ?m { ?m a bkg:QCMeasurement ; bkg:instrument ?inst } }"
    )
    for row in getattr(res, "rows", []):
        if instrument_iri is None or text(row[1]) == instrument_iri:
            yield str(text(row[0]))


# -- reading series points back -------------------------------------------------------------------


def parse_time(text: str) -> dt.datetime:
    """An xsd:dateTime as a naive datetime: one with a zone is converted to UTC, one without is
    taken as given (OME acquisition dates usually carry no zone; docs/qc.md)."""
    t = dt.datetime.fromisoformat(text)
    if t.tzinfo is not None:
        t = t.astimezone(dt.UTC).replace(tzinfo=None)
    return t


@dataclass(frozen=True)
class SeriesInfo:
    iri: str
    metric: str  # key
    channel: int | None
    component: str | None
    unit: str  # symbol every value of the series is expressed in


@dataclass
class SeriesPoints:
    """The series points of one instrument, as parallel arrays (one entry per observation)."""

    series: list[SeriesInfo]
    obs: list[str]
    sidx: Any  # numpy int array: index into series
    times: Any  # numpy datetime64[us]
    values: Any  # numpy float64, in the series' unit
    skipped: list[str] = field(default_factory=list)


def series_points(store: Store, iris: QcIris, instrument_id: str) -> SeriesPoints:
    """Read every series point (not per-bead samples) of an instrument from the store."""
    import numpy as np

    from qc.vocab import convert, symbol_of

    inst = N(iris.instrument(instrument_id))
    res = store.query(
        prologue()
        # few patterns: every join costs an index lookup per row on an on-disk store; the
        # series' metric, channel and component are read from its IRI (minted by QcIris.series)
        + """SELECT ?inst ?o ?series ?t ?v ?unit WHERE {
  ?o bkg:instrument ?inst ; bkg:series ?series ; sosa:resultTime ?t ; sosa:hasResult ?r .
  ?r qudt:numericValue ?v ; qudt:unit ?unit .
}""",
        substitutions={"inst": inst},
    )
    rows = getattr(res, "rows", [])
    series_index: dict[str, int] = {}
    series: list[SeriesInfo] = []
    obs: list[str] = []
    sidx: list[int] = []
    times: list[dt.datetime] = []
    values: list[float] = []
    skipped: list[str] = []
    for row in rows:
        o, s, t, v, u = (text(x) for x in row[1:])
        assert o is not None and s is not None and t is not None and v is not None
        sym = symbol_of(str(u)) if u is not None else None
        i = series_index.get(s)
        if i is None:
            parsed = iris.parse_series(s)
            if parsed is None:
                skipped.append(f"{o}: series {s} is not one kg minted")
                continue
            i = series_index[s] = len(series)
            series.append(SeriesInfo(s, parsed[1], parsed[2], parsed[3], sym or "1"))
        value = float(v)
        if sym != series[i].unit:
            conv = convert(value, sym or "", series[i].unit) if sym else None
            if conv is None:
                skipped.append(f"{o}: unit {u} does not convert to {series[i].unit}")
                continue
            value = conv
        try:
            times.append(parse_time(str(t)))
        except ValueError:
            skipped.append(f"{o}: result time {t!r} is not an xsd:dateTime")
            continue
        obs.append(str(o))
        sidx.append(i)
        values.append(value)
    return SeriesPoints(
        series,
        obs,
        np.asarray(sidx, dtype=np.int64),
        np.asarray(times, dtype="datetime64[us]"),
        np.asarray(values, dtype=np.float64),
        skipped,
    )
