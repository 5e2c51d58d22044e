"""Measure mapping fidelity: the share of a source's values that can be found in its graph as a
literal of the right type (or, for unit attributes, as the unit's IRI).

Not counted: IDs and references (they become IRIs), BinData and TiffData (pixel data and
layout), ROI shape details (summarised by design), namespace and schema-location attributes, and
the inside of XMLAnnotation values (kept whole as XML text).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from lxml import etree

from kg.units import default_units
from kg.xmlsafe import parse_xml

SKIP_SUBTREES = {"BinData", "TiffData", "BinaryOnly", "MetadataOnly", "Union"}
XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


@dataclass
class Fidelity:
    total: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.found / self.total if self.total else 1.0


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _as_float(v: str) -> float | None:
    try:
        return float(v)
    except ValueError:
        return None


def _as_datetime(v: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(v.strip())
    except ValueError:
        return None


def measure(path: Path, triples: list[ox.Triple], into: Fidelity) -> None:
    strings: set[str] = set()
    floats: set[float] = set()
    dates: set[dt.datetime] = set()
    iris: set[str] = set()
    for t in triples:
        o = t.object
        if isinstance(o, ox.Literal):
            strings.add(o.value)
            f = _as_float(o.value)
            if f is not None:
                floats.add(f)
            if o.datatype.value.endswith("#dateTime"):
                d = _as_datetime(o.value)
                if d is not None:
                    dates.add(d)
        elif isinstance(o, ox.NamedNode):
            iris.add(o.value)
    units = default_units()

    def check(where: str, value: str, unit_attr: bool = False) -> None:
        into.total += 1
        if unit_attr:
            u = units.get(value)
            ok = u is not None and u.iri in iris
        else:
            f = _as_float(value)
            d = _as_datetime(value) if f is None else None
            ok = (
                value in strings
                or value.strip() in strings
                or (f is not None and f in floats)
                or (d is not None and d in dates)
                or (
                    value in ("true", "false", "1", "0")
                    and {"true": "true", "1": "true", "false": "false", "0": "false"}[value] in strings
                )
            )
        if ok:
            into.found += 1
        else:
            into.missing.append(f"{path.name}: {where} = {value!r}")

    root = parse_xml(path.read_bytes(), str(path))

    def walk(el: etree._Element, trail: str) -> None:
        name = _local(el.tag) if isinstance(el.tag, str) else ""
        if not name or name in SKIP_SUBTREES:
            return
        here = f"{trail}/{name}"
        is_ref = name.endswith("Ref") or name in ("Pump", "Leader")
        for attr, value in el.attrib.items():
            if attr.startswith(XSI) or attr == "ID" or (is_ref and attr == "ID"):
                continue
            if name in ("LightSourceSettings", "DetectorSettings", "ObjectiveSettings") and attr == "ID":
                continue
            check(f"{here}/@{attr}", value, unit_attr=attr.endswith("Unit"))
        if name == "Value" and _local(el.getparent().tag) == "XMLAnnotation":
            return
        text = (el.text or "").strip()
        if text and len(el) == 0:
            check(here, el.text or "")
        for child in el:
            walk(child, here)

    walk(root, "")
