"""Facility instruments and which images they acquired.

A *facility instrument* is a microscope as the facility names it (``confocal-1``); QC measurements
are about it. Images carry ``ome:instrument`` -> an ``ome:Instrument`` node per source file, with
``ome:microscope`` details (manufacturer, model, serial number). Each OME instrument node is linked
to at most one facility instrument, by these rules, in this order:

1. **serial number**: the OME microscope's serial number equals the facility instrument's
   (case and surrounding spaces ignored). When the OME microscope has a serial number, only this
   rule and the explicit mapping (3) can match it: another serial number is another microscope.
2. **manufacturer + model**, when the OME microscope has no serial number and exactly one
   facility instrument has that manufacturer and model.
3. **explicit mapping** from the instruments YAML file: glob patterns on the ingested file
   (``sources``) or OME instrument IRIs (``ome_instruments``), for what 1 and 2 cannot decide.

Ambiguous cases (two facility instruments fit) are not linked and are reported, as are OME
instruments nothing matches, and explicit rules that contradict rule 1 or 2 (the automatic match
wins). The links are triples in the graph ``{base}qc/links``::

    <{base}qc/instrument/confocal-1> bkg:matchesOmeInstrument <…/source/x-…/Instrument/Instrument:0> .
    <…/Instrument/Instrument:0> bkg:matchedBy "serial_number" .

They are recomputed (:func:`relink`) whenever QC state is recomputed: after ``kg qc measure``,
``kg qc import``, ``kg qc instrument``, ``kg qc state`` and ``kg ingest`` (its QC step, :mod:`qc.hooks`).
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox

from kg.errors import ConfigError
from kg.namespaces import BKG, OME, RDF, RDFS
from kg.resources import load_yaml
from kg.store import SelectResult, Store
from qc.graph import N, QcIris, check_instrument_id, lit_int, replace_graph, text
from qc.vocab import prologue

DEFAULT_QC_INTERVAL_DAYS = 30
_FIELDS = {"id", "label", "manufacturer", "model", "serial_number", "qc_interval_days", "match"}


@dataclass(frozen=True)
class InstrumentSpec:
    id: str
    label: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    serial_number: str | None = None
    qc_interval_days: int = DEFAULT_QC_INTERVAL_DAYS
    sources: tuple[str, ...] = ()  # glob patterns on the ingested file (path or file: URI)
    ome_instruments: tuple[str, ...] = ()  # OME instrument IRIs

    def fill_from(self, other: InstrumentSpec) -> InstrumentSpec:
        """Fields this spec lacks taken from ``other`` (microscope details a dataset carried)."""
        return replace(
            self,
            label=self.label or other.label,
            manufacturer=self.manufacturer or other.manufacturer,
            model=self.model or other.model,
            serial_number=self.serial_number or other.serial_number,
        )


def _norm(s: str | None) -> str:
    return " ".join(s.split()).casefold() if s else ""


def load_instruments_yaml(path: Path) -> list[InstrumentSpec]:
    """Instruments from a YAML file: ``instruments:`` as a list of mappings with ``id``, or a
    mapping from ID to fields. Errors name the file, the instrument and the field."""
    doc = load_yaml(path, "instruments")
    if not isinstance(doc, dict) or "instruments" not in doc:
        raise ConfigError(f"{path}: expected a mapping with an 'instruments' key")
    raw = doc["instruments"]
    entries: list[tuple[str, Any]]
    if isinstance(raw, dict):
        entries = [(str(k), {**(v or {}), "id": str(k)}) for k, v in raw.items()]
    elif isinstance(raw, list):
        entries = [(f"instruments[{i}]", v) for i, v in enumerate(raw)]
    else:
        raise ConfigError(f"{path}: 'instruments' must be a list or a mapping, not {type(raw).__name__}")
    specs = []
    for where, entry in entries:
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: {where}: expected a mapping of fields")
        unknown = set(entry) - _FIELDS
        if unknown:
            raise ConfigError(
                f"{path}: {where}: unknown field(s) {', '.join(sorted(unknown))} "
                f"(expected {', '.join(sorted(_FIELDS))})"
            )
        if "id" not in entry:
            raise ConfigError(f"{path}: {where}: missing 'id'")
        try:
            iid = check_instrument_id(str(entry["id"]))
        except ConfigError as exc:
            raise ConfigError(f"{path}: {where}: {exc}") from exc
        interval = entry.get("qc_interval_days", DEFAULT_QC_INTERVAL_DAYS)
        if not isinstance(interval, int) or isinstance(interval, bool) or interval < 1:
            raise ConfigError(
                f"{path}: {iid}: qc_interval_days is {interval!r} (expected a whole number of days ≥ 1)"
            )
        match = entry.get("match") or {}
        if not isinstance(match, dict) or set(match) - {"sources", "ome_instruments"}:
            raise ConfigError(
                f"{path}: {iid}: match must be a mapping with 'sources' and/or 'ome_instruments' lists"
            )
        lists = {}
        for key in ("sources", "ome_instruments"):
            val = match.get(key) or []
            if isinstance(val, str):
                val = [val]
            if not isinstance(val, list) or not all(isinstance(x, str) for x in val):
                raise ConfigError(f"{path}: {iid}: match.{key} must be a list of strings")
            lists[key] = tuple(val)
        for key in ("label", "manufacturer", "model", "serial_number"):
            if entry.get(key) is not None and not isinstance(entry[key], str | int):
                raise ConfigError(f"{path}: {iid}: {key} must be text")
        specs.append(
            InstrumentSpec(
                id=iid,
                label=str(entry["label"]) if entry.get("label") is not None else None,
                manufacturer=str(entry["manufacturer"]) if entry.get("manufacturer") is not None else None,
                model=str(entry["model"]) if entry.get("model") is not None else None,
                serial_number=str(entry["serial_number"]) if entry.get("serial_number") is not None else None,
                qc_interval_days=interval,
                sources=lists["sources"],
                ome_instruments=lists["ome_instruments"],
            )
        )
    dupes = [k for k, n in Counter(s.id for s in specs).items() if n > 1]
    if dupes:
        raise ConfigError(f"{path}: instrument(s) listed twice: {', '.join(dupes)}")
    return specs


def instrument_quads(spec: InstrumentSpec, iris: QcIris) -> list[ox.Quad]:
    iri = N(iris.instrument(spec.id))
    g = iri
    out = [
        ox.Quad(iri, N(RDF + "type"), N(BKG + "FacilityInstrument"), g),
        ox.Quad(iri, N(BKG + "instrumentId"), ox.Literal(spec.id), g),
        ox.Quad(iri, N(RDFS + "label"), ox.Literal(spec.label or spec.id), g),
        ox.Quad(iri, N(BKG + "qcIntervalDays"), lit_int(spec.qc_interval_days), g),
    ]
    for p, v in (
        ("manufacturer", spec.manufacturer),
        ("model", spec.model),
        ("serial_number", spec.serial_number),
    ):
        if v:
            out.append(ox.Quad(iri, N(OME + p), ox.Literal(v), g))
    for pattern in spec.sources:
        out.append(ox.Quad(iri, N(BKG + "matchSource"), ox.Literal(pattern), g))
    for oi in spec.ome_instruments:
        out.append(ox.Quad(iri, N(BKG + "matchOmeInstrument"), N(oi), g))
    return out


def save_instrument(store: Store, iris: QcIris, spec: InstrumentSpec) -> None:
    """Create or replace the instrument's graph (its definition), atomically."""
    replace_graph(store, N(iris.instrument(spec.id)), instrument_quads(spec, iris))


def read_instruments(store: Store, iris: QcIris) -> dict[str, InstrumentSpec]:
    res = store.query(
        prologue() + """SELECT ?i ?p ?o WHERE { GRAPH ?i { ?i a bkg:FacilityInstrument ; ?p ?o } }"""
    )
    assert isinstance(res, SelectResult)
    props: dict[str, dict[str, list[str]]] = {}
    for i, p, o in res.rows:
        assert i is not None and p is not None and o is not None
        props.setdefault(str(i.value), {}).setdefault(str(p.value), []).append(str(o.value))  # type: ignore[union-attr]
    out = {}
    for iri, pr in props.items():
        iid = (pr.get(BKG + "instrumentId") or [iris.instrument_id(iri) or ""])[0]
        if not iid:
            continue

        def one(p: str, pr: dict[str, list[str]] = pr) -> str | None:
            v = pr.get(p)
            return v[0] if v else None

        out[iid] = InstrumentSpec(
            id=iid,
            label=one(RDFS + "label"),
            manufacturer=one(OME + "manufacturer"),
            model=one(OME + "model"),
            serial_number=one(OME + "serial_number"),
            qc_interval_days=int(one(BKG + "qcIntervalDays") or DEFAULT_QC_INTERVAL_DAYS),
            sources=tuple(sorted(pr.get(BKG + "matchSource", []))),
            ome_instruments=tuple(sorted(pr.get(BKG + "matchOmeInstrument", []))),
        )
    return out


def ensure_instrument(
    store: Store, iris: QcIris, instrument_id: str, details: InstrumentSpec | None = None
) -> bool:
    """Register the instrument if it is new, or fill in microscope details it lacks. True if written."""
    known = read_instruments(store, iris).get(instrument_id)
    if known is None:
        spec = InstrumentSpec(id=instrument_id)
        if details is not None:
            spec = spec.fill_from(details)
        save_instrument(store, iris, spec)
        return True
    if details is not None:
        filled = known.fill_from(details)
        if filled != known:
            save_instrument(store, iris, filled)
            return True
    return False


@dataclass
class OmeInstrument:
    iri: str
    source: str | None
    manufacturer: str | None
    model: str | None
    serial_number: str | None

    def describe(self) -> str:
        parts = [p for p in (self.manufacturer, self.model) if p]
        if self.serial_number:
            parts.append(f"serial {self.serial_number}")
        where = f" in {self.source}" if self.source else ""
        return f"{self.iri} ({' '.join(parts) or 'no microscope details'}){where}"


@dataclass
class LinkReport:
    matched: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> [(ome iri, how)]
    unmatched: list[OmeInstrument] = field(default_factory=list)
    ambiguous: list[tuple[OmeInstrument, list[str]]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def count(self, instrument_id: str) -> int:
        return len(self.matched.get(instrument_id, []))


def ome_instruments(store: Store) -> list[OmeInstrument]:
    res = store.query(
        prologue()
        + """SELECT ?oi ?src ?man ?model ?sn WHERE {
  GRAPH ?g { ?oi a ome:Instrument .
    OPTIONAL { ?oi ome:microscope ?m .
      OPTIONAL { ?m ome:manufacturer ?man } OPTIONAL { ?m ome:model ?model }
      OPTIONAL { ?m ome:serial_number ?sn } } }
  OPTIONAL { GRAPH ?g { ?g dct:source ?src } }
}"""
    )
    assert isinstance(res, SelectResult)
    found: dict[str, OmeInstrument] = {}
    for row in res.rows:
        vals = [text(t) for t in row]
        iri = vals[0]
        assert iri is not None
        if iri not in found:
            found[iri] = OmeInstrument(iri, vals[1], vals[2], vals[3], vals[4])
    return list(found.values())


def _source_matches(pattern: str, source: str | None) -> bool:
    if not source:
        return False
    candidates = [source]
    parts = urlsplit(source)
    if parts.scheme == "file":
        candidates.append(unquote(parts.path))
    return any(fnmatch.fnmatchcase(c, pattern) for c in candidates)


def match(specs: dict[str, InstrumentSpec], oms: list[OmeInstrument]) -> LinkReport:
    """Apply the matching rules (module docstring) to every OME instrument node."""
    report = LinkReport(matched={iid: [] for iid in specs})
    by_serial: dict[str, list[str]] = {}
    by_model: dict[tuple[str, str], list[str]] = {}
    for s in specs.values():
        if s.serial_number:
            by_serial.setdefault(_norm(s.serial_number), []).append(s.id)
        if s.manufacturer and s.model:
            by_model.setdefault((_norm(s.manufacturer), _norm(s.model)), []).append(s.id)
    for om in oms:
        auto: list[str] = []
        how = ""
        if om.serial_number:
            auto = by_serial.get(_norm(om.serial_number), [])
            how = "serial_number"
        elif om.manufacturer and om.model:
            auto = by_model.get((_norm(om.manufacturer), _norm(om.model)), [])
            how = "manufacturer_model"
        explicit = [
            s.id
            for s in specs.values()
            if om.iri in s.ome_instruments or any(_source_matches(p, om.source) for p in s.sources)
        ]
        if len(auto) == 1:
            report.matched[auto[0]].append((om.iri, how))
            others = [e for e in explicit if e != auto[0]]
            if others:
                report.conflicts.append(
                    f"{om.describe()}: the explicit mapping says {', '.join(others)} but its "
                    f"{how.replace('_', ' and ')} matches {auto[0]}; linked to {auto[0]}"
                )
        elif len(explicit) == 1:
            report.matched[explicit[0]].append((om.iri, "explicit"))
        elif len(auto) > 1 or len(explicit) > 1:
            report.ambiguous.append((om, sorted(set(auto) | set(explicit))))
        else:
            report.unmatched.append(om)
    return report


def relink(store: Store, iris: QcIris) -> LinkReport:
    """Recompute the links between facility instruments and OME instrument nodes (one atomic write)."""
    specs = read_instruments(store, iris)
    report = match(specs, ome_instruments(store))
    g = N(iris.links_graph)
    quads = []
    for iid, links in report.matched.items():
        inst = N(iris.instrument(iid))
        for oi, how in links:
            quads.append(ox.Quad(inst, N(BKG + "matchesOmeInstrument"), N(oi), g))
            quads.append(ox.Quad(N(oi), N(BKG + "matchedBy"), ox.Literal(how), g))
    replace_graph(store, g, quads)
    return report


def instrument_for_microscope(store: Store, iris: QcIris, microscope: InstrumentSpec) -> str:
    """The facility instrument a dataset's microscope details name: a registered instrument with
    that serial number (or, without one, that manufacturer and model), else a new ID made from
    the microscope's name or manufacturer and model. ConfigError if nothing identifies it."""
    import re

    specs = read_instruments(store, iris)
    if microscope.serial_number:
        hits = [s.id for s in specs.values() if _norm(s.serial_number) == _norm(microscope.serial_number)]
    elif microscope.manufacturer and microscope.model:
        hits = [
            s.id
            for s in specs.values()
            if (_norm(s.manufacturer), _norm(s.model))
            == (_norm(microscope.manufacturer), _norm(microscope.model))
        ]
    else:
        hits = []
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise ConfigError(
            f"the dataset's microscope fits several instruments ({', '.join(hits)}); "
            "name one with --instrument"
        )
    base = microscope.label or " ".join(p for p in (microscope.manufacturer, microscope.model) if p)
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:48]
    if not slug:
        raise ConfigError(
            "the dataset names no microscope (no name, manufacturer or model); give --instrument"
        )
    candidate, n = slug, 2
    while candidate in specs:  # a different microscope with the same name
        candidate, n = f"{slug}-{n}", n + 1
    return candidate
