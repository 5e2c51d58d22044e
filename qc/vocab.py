"""The QC vocabulary (``ontologies/bioimage-kg-qc.ttl``): one SOSA observable property per metric
key, with its label, definition, quantity kind, default unit, the direction that is worse, and its
links to microscope-metrics and QUAREP-LiMi names. Read on first use, never at import time.

Also the units QC values come in: the symbols ``kg.units`` knows (µm, nm, mW...), the
dimensionless ones of :data:`qc.model.DIMENSIONLESS`, and a few QC-specific ones (``%/h``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Final
from urllib.parse import quote

import pyoxigraph as ox

from kg.namespaces import BKG, QUANTITYKIND, RDFS, UNIT, sparql_prologue
from kg.resources import data_dir
from kg.units import default_units
from qc.model import DIMENSIONLESS

SOSA: Final = "http://www.w3.org/ns/sosa/"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
QCV: Final = BKG + "qc/"  # metric terms: bkg:qc/psf_fwhm_x; also the vocabulary's IRI and graph
VOCAB_FILE: Final = "bioimage-kg-qc.ttl"

WORSE_WHEN = ("higher", "lower", "either")


@dataclass(frozen=True)
class Metric:
    key: str
    iri: str
    kind: str
    label: str
    definition: str
    quantity_kind: str
    default_unit: str
    worse_when: str  # "higher", "lower" or "either"
    quarep_name: str | None
    mm_name: str | None
    matches: tuple[tuple[str, str], ...]  # (skos predicate local name, IRI)

    @property
    def default_symbol(self) -> str:
        """The unit symbol of the metric's default unit (µm, %, 1, ADU, mW, %/h)."""
        return symbol_of(self.default_unit) or "1"


@dataclass(frozen=True)
class QCUnit:
    """A unit a QC value is given in: its symbol, QUDT (or our) IRI, quantity kind, and how to
    reach SI when that is defined."""

    symbol: str
    iri: str
    quantity_kind: str | None
    uo: str | None = None
    si_factor: Decimal | None = None
    si_offset: Decimal = Decimal(0)

    def to_si(self, value: float) -> Decimal | None:
        if self.si_factor is None:
            return None
        return ((Decimal(repr(float(value))) + self.si_offset) * self.si_factor).normalize()


# QC units kg.units does not know (it holds the OME unit symbols).
_EXTRA_UNITS: dict[str, tuple[str, str | None]] = {
    "%/h": (UNIT + "PERCENT-PER-HR", QUANTITYKIND + "Frequency"),
    "ADU/e-": (BKG + "unit/" + quote("ADU/e-", safe=""), None),
}
_ALIASES = {
    "% per hour": "%/h",
    "%/hr": "%/h",
    "%/hour": "%/h",
    "percent per hour": "%/h",
    "ADU/e": "ADU/e-",
    "ADU/e⁻": "ADU/e-",
    "ADU per electron": "ADU/e-",
    "ADU/electron": "ADU/e-",
    "um": "µm",
    "μm": "µm",  # Greek mu (U+03BC) for the micro sign (U+00B5)
    "micron": "µm",
    "microns": "µm",
    "": "1",
}
_DIMENSIONLESS_KIND = {
    "1": QUANTITYKIND + "DimensionlessRatio",
    "%": QUANTITYKIND + "DimensionlessRatio",
    "ADU": QUANTITYKIND + "Dimensionless",
    "px": QUANTITYKIND + "Dimensionless",
}


def normalise_unit_symbol(symbol: str) -> str:
    s = symbol.strip()
    return _ALIASES.get(s, _ALIASES.get(s.lower(), s))


def unit(symbol: str) -> QCUnit | None:
    """The unit for a symbol, or None when nothing names it (the caller reports that)."""
    s = normalise_unit_symbol(symbol)
    if s in DIMENSIONLESS:
        return QCUnit(s, DIMENSIONLESS[s], _DIMENSIONLESS_KIND.get(s))
    if s in _EXTRA_UNITS:
        iri, kind = _EXTRA_UNITS[s]
        return QCUnit(s, iri, kind)
    u = default_units().get(s)
    if u is None:
        return None
    return QCUnit(s, u.iri, u.quantity_kind_iri, u.uo, u.si_factor, u.si_offset)


@lru_cache(maxsize=1)
def _symbols_by_iri() -> dict[str, str]:
    out: dict[str, str] = {}
    for sym, u in default_units().by_symbol.items():
        out.setdefault(u.iri, sym)
    for sym, (iri, _kind) in _EXTRA_UNITS.items():
        out[iri] = sym
    for sym, iri in DIMENSIONLESS.items():
        out.setdefault(iri, sym)  # NUM: "ADU" (listed before "px")
    return out


def symbol_of(unit_iri: str) -> str | None:
    """The symbol for a unit IRI the QC module writes (the reverse of :func:`unit`)."""
    return _symbols_by_iri().get(unit_iri)


def convert(value: float, from_symbol: str, to_symbol: str) -> float | None:
    """``value`` in ``from_symbol`` expressed in ``to_symbol``; None if they do not convert."""
    a, b = normalise_unit_symbol(from_symbol), normalise_unit_symbol(to_symbol)
    if a == b:
        return value
    ua, ub = unit(a), unit(b)
    if ua is None or ub is None or ua.si_factor is None or ub.si_factor is None:
        return None
    if ua.quantity_kind != ub.quantity_kind:
        return None
    si = (Decimal(repr(float(value))) + ua.si_offset) * ua.si_factor
    return float(si / ub.si_factor - ub.si_offset)


def prologue() -> str:
    """PREFIX lines for the queries the QC module ships: kg's, plus sosa, skos and bkgqc."""
    return sparql_prologue() + f"PREFIX sosa: <{SOSA}>\nPREFIX skos: <{SKOS}>\nPREFIX bkgqc: <{QCV}>\n"


def vocabulary_path() -> Path:
    return data_dir("ontologies") / VOCAB_FILE


@lru_cache(maxsize=1)
def vocabulary_bytes() -> bytes:
    return vocabulary_path().read_bytes()


def vocabulary_hash() -> str:
    return hashlib.sha256(vocabulary_bytes()).hexdigest()[:16]


def vocabulary_triples() -> list[ox.Triple]:
    return [q.triple for q in ox.parse(vocabulary_bytes(), ox.RdfFormat.TURTLE)]


@lru_cache(maxsize=1)
def metrics() -> dict[str, Metric]:
    """Every metric term of the vocabulary, by key."""
    by_subject: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]]] = {}
    for t in vocabulary_triples():
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(QCV):
            by_subject.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object)

    def one(
        props: dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]], p: str
    ) -> str | None:
        vals = props.get(p)
        return str(vals[0].value) if vals else None  # type: ignore[union-attr]

    out: dict[str, Metric] = {}
    for iri, props in by_subject.items():
        key = one(props, BKG + "metricKey")
        if key is None:
            continue
        matches = tuple(
            (local, str(o.value))  # type: ignore[union-attr]
            for local in ("exactMatch", "closeMatch", "relatedMatch")
            for o in props.get(SKOS + local, [])
        )
        out[key] = Metric(
            key=key,
            iri=iri,
            kind=one(props, BKG + "qcKind") or "",
            label=one(props, RDFS + "label") or key,
            definition=one(props, SKOS + "definition") or "",
            quantity_kind=one(props, "http://qudt.org/schema/qudt/hasQuantityKind") or "",
            default_unit=one(props, BKG + "defaultUnit") or "",
            worse_when=one(props, BKG + "worseWhen") or "either",
            quarep_name=one(props, BKG + "quarepName"),
            mm_name=one(props, BKG + "microscopeMetricsName"),
            matches=matches,
        )
    return out


def metric(key: str) -> Metric:
    """The metric for a key; a KeyError naming the known keys otherwise."""
    m = metrics().get(key)
    if m is None:
        raise KeyError(f"unknown QC metric {key!r}; known: {', '.join(sorted(metrics()))}")
    return m


def metric_iri(key: str) -> str:
    return QCV + key


def key_of(iri: str) -> str:
    return iri[len(QCV) :] if iri.startswith(QCV) else iri


def kind_of(key: str) -> str:
    """The measurement kind a metric belongs to (``psf_fwhm_x`` -> ``psf``)."""
    return metric(key).kind
