"""Map a tree of model objects (ome-types pydantic models) to RDF, following a YAML rule file.

The rules (see mappings/ome.yaml for the format) say, for each class and each of its fields,
which RDF term carries it. The mapper walks the object tree and emits quads into one named graph.
Every field that holds a value and has no rule is recorded as :class:`Unmapped`, so nothing is
dropped silently; fields with a ``drop`` rule are counted as deliberately dropped.

This module knows RDF and the rule format. It knows nothing about files.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from kg.errors import ConfigError
from kg.iris import nested_iri, object_iri
from kg.mapping.terms import TermTable, default_term_tables
from kg.namespaces import BKG, OME, PREFIXES, QUDT, RDF, RDFS, XSD, expand
from kg.resources import load_yaml
from kg.units import UnitTable, default_units

_KINDS = ("literal", "quantity", "unit", "ref", "child", "drop", "id", "xml", "summary", "distinct", "json")
_OPTIONS = {
    "predicate",
    "unit_field",
    "kinds",
    "max_items",
    "summary_count",
    "terms",
    "term_predicate",
    "path",
    "index",
    "unit_name",
}
_NOT_A_TERM = {"Other"}  # OME's "Other" names no concept: kept as a literal, nothing to resolve
_RDF_TYPE = NamedNode(RDF + "type")
_RDFS_LABEL = NamedNode(RDFS + "label")
_QV = NamedNode(QUDT + "QuantityValue")
_NUMERIC = NamedNode(QUDT + "numericValue")
_UNIT = NamedNode(QUDT + "unit")
_QKIND = NamedNode(QUDT + "hasQuantityKind")
_UO_UNIT = NamedNode(BKG + "uoUnit")
_SI_VALUE = NamedNode(BKG + "siValue")
_OME_ID = NamedNode(OME + "id")
_XSD_DOUBLE = NamedNode(XSD + "double")
_XSD_INTEGER = NamedNode(XSD + "integer")
_XSD_BOOLEAN = NamedNode(XSD + "boolean")
_XSD_DATETIME = NamedNode(XSD + "dateTime")
_XSD_INT = NamedNode(XSD + "int")
_XSD_HEX = NamedNode(XSD + "hexBinary")


@dataclass(frozen=True)
class Rule:
    kind: str
    predicate: NamedNode | None = None
    target: str | None = None
    unit_field: str | None = None
    reason: str | None = None
    kinds: NamedNode | None = None  # summary: predicate for the kinds of items counted
    max_items: int | None = None  # child lists longer than this are summarised, not mapped
    summary_count: NamedNode | None = None  # predicate for the item count when summarised
    path: tuple[str, ...] = ()  # distinct: attribute path inside each item (uuid.file_name)
    index: NamedNode | None = None  # child lists: predicate for each item's position (axis order)
    unit_name: NamedNode | None = None  # literal holding a unit name (NGFF "micrometer"): its IRI
    terms: str | None = None  # name of an SSSOM table in mappings/sssom/ for this enumeration
    term_predicate: NamedNode | None = None  # links the object to the ontology term


@dataclass(frozen=True)
class ClassRule:
    name: str
    rdf_types: tuple[NamedNode, ...]
    node: bool
    label: str | None
    fields: dict[str, Rule]
    iri_class: str  # the class name used in IRIs; one per family (Annotation, LightSource, Shape)


@dataclass(frozen=True)
class Unmapped:
    """A value in the source that the mapping did not carry into the graph."""

    element: str  # e.g. "OME/Image[Image:0]/Pixels[Pixels:0]"
    field: str  # the XML name: "Plane" (an element) or "@PhysicalSizeX" (an attribute)
    value: str  # a short preview of what was there

    def __str__(self) -> str:
        return f"{self.element}/{self.field} = {self.value}"


@dataclass
class MapResult:
    quads: list[Quad] = field(default_factory=list)
    unmapped: list[Unmapped] = field(default_factory=list)
    dropped: Counter[str] = field(default_factory=Counter)
    objects: Counter[str] = field(default_factory=Counter)
    unresolved: list[Unmapped] = field(default_factory=list)  # enum values with no ontology term

    def absorb(self, other: MapResult) -> None:
        """Add another result's report (unmapped, unresolved, dropped, objects); not its quads."""
        self.unmapped += other.unmapped
        self.unresolved += other.unresolved
        self.dropped.update(other.dropped)
        self.objects.update(other.objects)


def _xml_name(model_cls: type, field_name: str) -> str:
    info = getattr(model_cls, "model_fields", {}).get(field_name)
    extra = getattr(info, "json_schema_extra", None) or {}
    name = extra.get("name") if isinstance(extra, dict) else None
    if not name:
        name = "".join(p.capitalize() for p in field_name.split("_"))
    return f"@{name}" if isinstance(extra, dict) and extra.get("type") == "Attribute" else str(name)


def _preview(value: Any) -> str:
    if isinstance(value, list):
        return f"{len(value)} item(s)"
    if hasattr(type(value), "model_fields"):
        return f"<{type(value).__name__}> with {len(value.model_fields_set)} attribute(s)/element(s)"
    text = str(value.value if isinstance(value, enum.Enum) else value)
    return text if len(text) <= 60 else text[:57] + "..."


def xml_text(value: Any) -> str:
    """Serialise the free XML inside an XMLAnnotation (xsdata AnyElement trees) as XML text."""
    from lxml import etree

    def build(node: Any, parent: Any) -> Any:
        el = etree.Element(node.qname) if parent is None else etree.SubElement(parent, node.qname)
        for k, v in (node.attributes or {}).items():
            el.set(k, str(v))
        el.text = node.text or None
        el.tail = node.tail or None
        for child in node.children or []:
            if hasattr(child, "qname"):
                build(child, el)
            elif isinstance(child, str):
                if len(el):
                    el[-1].tail = (el[-1].tail or "") + child
                else:
                    el.text = (el.text or "") + child
        return el

    parts = []
    for item in getattr(value, "any_elements", None) or []:
        if hasattr(item, "qname"):
            parts.append(etree.tostring(build(item, None), encoding="unicode"))
        else:
            parts.append(str(item))
    return "".join(parts)


_RDF_JSON = NamedNode(RDF + "JSON")


def json_literal(value: Any) -> Literal:
    """A value (list, dict, number) as an rdf:JSON literal, order and nesting intact."""
    import json

    plain = value.model_dump(mode="json") if hasattr(type(value), "model_fields") else value
    return Literal(json.dumps(plain, separators=(",", ":"), ensure_ascii=False), datatype=_RDF_JSON)


def to_literal(value: Any) -> Literal:
    """A typed literal for a model value (bool, int, float, datetime, enum, colour, bytes, string)."""
    if isinstance(value, bytes):
        return Literal(value.hex(), datatype=_XSD_HEX)
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=_XSD_BOOLEAN)
    if isinstance(value, enum.Enum):
        return Literal(str(value.value))
    if isinstance(value, int):
        return Literal(str(int(value)), datatype=_XSD_INTEGER)
    if isinstance(value, float):
        return Literal(repr(float(value)), datatype=_XSD_DOUBLE)
    if isinstance(value, dt.datetime):
        return Literal(value.isoformat(), datatype=_XSD_DATETIME)
    if hasattr(value, "as_int32"):  # ome_types Color: OME stores it as a signed 32-bit RGBA int
        return Literal(str(value.as_int32()), datatype=_XSD_INT)
    return Literal(str(value))


class ModelMapping:
    """Rules loaded from a YAML file; :meth:`map` applies them to an object tree."""

    def __init__(
        self,
        version: str,
        classes: dict[str, ClassRule],
        units: UnitTable,
        terms: dict[str, TermTable] | None = None,
    ) -> None:
        self.version = version
        self.classes = classes
        self.units = units
        self.terms = terms if terms is not None else default_term_tables()

    @classmethod
    def load(
        cls, path: Path, units: UnitTable | None = None, terms: dict[str, TermTable] | None = None
    ) -> ModelMapping:
        doc = load_yaml(path, "the mapping file")
        if not isinstance(doc, dict) or "classes" not in doc:
            raise ConfigError(f"{path}: expected a mapping document with 'classes'")
        prefixes = {**PREFIXES, **(doc.get("prefixes") or {})}

        def iri(curie: str, where: str) -> NamedNode:
            try:
                return NamedNode(expand(curie, prefixes))
            except (KeyError, ValueError) as exc:
                raise ConfigError(f"{path}: {where}: {exc}") from exc

        classes: dict[str, ClassRule] = {}
        for cname, cdoc in doc["classes"].items():
            rules: dict[str, Rule] = {}
            for fname, fdoc in (cdoc.get("fields") or {}).items():
                where = f"classes.{cname}.fields.{fname}"
                kinds = [k for k in _KINDS if k in fdoc]
                if len(kinds) != 1:
                    raise ConfigError(
                        f"{path}: {where}: expected exactly one of {', '.join(_KINDS)}, got {fdoc}"
                    )
                kind = kinds[0]
                extra = set(fdoc) - {kind} - _OPTIONS
                if extra:
                    raise ConfigError(f"{path}: {where}: unknown keys {sorted(extra)}")
                pred: NamedNode | None = None
                target = None
                if kind in ("literal", "quantity", "xml", "summary", "distinct", "json"):
                    pred = iri(fdoc[kind], where)
                elif kind in ("ref", "child"):
                    target = fdoc[kind]
                    pred = iri(fdoc["predicate"], where) if "predicate" in fdoc else None
                    if kind == "ref" and pred is None:
                        raise ConfigError(f"{path}: {where}: a ref needs a predicate")
                rules[fname] = Rule(
                    kind=kind,
                    predicate=pred,
                    target=target,
                    unit_field=fdoc.get("unit_field", f"{fname}_unit") if kind == "quantity" else None,
                    reason=fdoc.get("drop") if kind == "drop" else None,
                    kinds=iri(fdoc["kinds"], where) if "kinds" in fdoc else None,
                    max_items=int(fdoc["max_items"]) if "max_items" in fdoc else None,
                    summary_count=iri(fdoc["summary_count"], where) if "summary_count" in fdoc else None,
                    terms=fdoc.get("terms"),
                    index=iri(fdoc["index"], where) if "index" in fdoc else None,
                    unit_name=iri(fdoc["unit_name"], where) if "unit_name" in fdoc else None,
                    path=tuple(str(fdoc.get("path", "")).split(".")) if fdoc.get("path") else (),
                    term_predicate=iri(fdoc["term_predicate"], where) if "term_predicate" in fdoc else None,
                )
                if ("terms" in fdoc) != ("term_predicate" in fdoc):
                    raise ConfigError(f"{path}: {where}: 'terms' and 'term_predicate' go together")
            types = cdoc.get("type") or []
            classes[cname] = ClassRule(
                name=cname,
                rdf_types=tuple(
                    iri(t, f"classes.{cname}.type") for t in ([types] if isinstance(types, str) else types)
                ),
                node=bool(cdoc.get("node", True)),
                label=cdoc.get("label"),
                fields=rules,
                iri_class=str(cdoc.get("iri_class", cname)),
            )
        families = {c.iri_class for c in classes.values()}
        for c in classes.values():
            for fname, r in c.fields.items():
                known = classes if r.kind == "child" else families
                if r.kind in ("child", "ref") and r.target != "*" and r.target not in known:
                    raise ConfigError(
                        f"{path}: classes.{c.name}.fields.{fname}: no rule for class {r.target!r}"
                    )
        tables = terms if terms is not None else default_term_tables()
        for c in classes.values():
            for fname, r in c.fields.items():
                if r.terms is not None and r.terms not in tables:
                    raise ConfigError(
                        f"{path}: classes.{c.name}.fields.{fname}: no SSSOM table {r.terms!r} "
                        f"in mappings/sssom/ (have: {', '.join(sorted(tables))})"
                    )
        return cls(str(doc.get("mapping_version", "0")), classes, units or default_units(), tables)

    # -- mapping ---------------------------------------------------------------------------

    def map(self, root: Any, *, source_iri: str, graph: NamedNode) -> MapResult:
        result = MapResult()
        self._walk(root, type(root).__name__, source_iri, source_iri, "", type(root).__name__, graph, result)
        return result

    def _walk(
        self,
        obj: Any,
        cname: str,
        iri: str,
        source: str,
        parent_label: str,
        path: str,
        graph: NamedNode,
        out: MapResult,
    ) -> None:
        crule = self.classes.get(cname)
        if crule is None:
            out.unmapped.append(Unmapped(path.rsplit("/", 1)[0], path.rsplit("/", 1)[-1], _preview(obj)))
            return
        node = NamedNode(iri)
        quads = out.quads
        if crule.node:
            out.objects[cname] += 1
            for rdf_type in crule.rdf_types:
                quads.append(Quad(node, _RDF_TYPE, rdf_type, graph))
            label_value = getattr(obj, crule.label, None) if crule.label else None
            ident = (
                getattr(obj, "id", None) if "id" in crule.fields and crule.fields["id"].kind == "id" else None
            )
            if label_value:
                label = str(label_value)
            else:
                label = f"{cname} {ident}" if ident else cname
                if parent_label:
                    label += f" of {parent_label}"
            quads.append(Quad(node, _RDFS_LABEL, Literal(label), graph))
        else:
            label = parent_label
        model_cls = type(obj)
        fields_set: set[str] = getattr(obj, "model_fields_set", set())
        for fname in getattr(model_cls, "model_fields", {}):
            value = getattr(obj, fname, None)
            if value is None or (isinstance(value, list) and not value):
                continue
            if not isinstance(value, list) and fname not in fields_set:
                continue  # a schema default, not something the source said
            rule = crule.fields.get(fname)
            if rule is None:
                xml = _xml_name(model_cls, fname)
                if isinstance(value, list):
                    for pos, item in enumerate(value):
                        ident = getattr(item, "id", None)
                        out.unmapped.append(Unmapped(path, f"{xml}[{ident or pos}]", _preview(item)))
                else:
                    out.unmapped.append(Unmapped(path, xml, _preview(value)))
                continue
            kind = rule.kind
            if kind == "drop":
                out.dropped[f"{cname}.{_xml_name(model_cls, fname)}"] += 1
            elif kind == "unit":
                continue
            elif kind == "id":
                quads.append(Quad(node, _OME_ID, Literal(str(value)), graph))
            elif kind == "literal":
                assert rule.predicate is not None
                for v in value if isinstance(value, list) else [value]:
                    quads.append(Quad(node, rule.predicate, to_literal(v), graph))
                    if rule.unit_name is not None:
                        unit = self.units.by_name(str(v))
                        if unit is not None:
                            quads.append(Quad(node, rule.unit_name, NamedNode(unit.iri), graph))
                        else:
                            note = f"{v} (not a unit name kg knows)"
                            out.unresolved.append(Unmapped(path, _xml_name(model_cls, fname), note))
                    if rule.terms is not None and rule.term_predicate is not None:
                        text = str(v.value if isinstance(v, enum.Enum) else v)
                        match = self.terms[rule.terms].get(text)
                        if match is not None:
                            quads.append(Quad(node, rule.term_predicate, NamedNode(match.term), graph))
                        elif text not in _NOT_A_TERM:
                            out.unresolved.append(
                                Unmapped(
                                    path, _xml_name(model_cls, fname), f"{text} (no term in {rule.terms})"
                                )
                            )
            elif kind == "quantity":
                self._quantity(obj, fname, rule, node, graph, path, out)
            elif kind == "ref":
                assert rule.predicate is not None and rule.target is not None
                for v in value if isinstance(value, list) else [value]:
                    ref_id = v if isinstance(v, str) else getattr(v, "id", None)
                    if ref_id is None:
                        out.unmapped.append(Unmapped(path, _xml_name(model_cls, fname), _preview(v)))
                        continue
                    target = NamedNode(object_iri(source, rule.target, str(ref_id)))  # target is a family
                    quads.append(Quad(node, rule.predicate, target, graph))
            elif kind == "json":
                assert rule.predicate is not None
                quads.append(Quad(node, rule.predicate, json_literal(value), graph))
            elif kind == "xml":
                assert rule.predicate is not None
                quads.append(Quad(node, rule.predicate, Literal(xml_text(value)), graph))
            elif kind == "summary":
                self._summary(value, rule, node, graph, out)
            elif kind == "distinct":
                # the distinct values found at `path` in the items (the files a TiffData set
                # spreads over); the rest of each item is layout and deliberately dropped
                assert rule.predicate is not None
                seen: dict[str, None] = {}
                for item in value if isinstance(value, list) else [value]:
                    found: Any = item
                    for step in rule.path:
                        found = getattr(found, step, None)
                    if found is not None:
                        seen[str(found)] = None
                for text in seen:
                    quads.append(Quad(node, rule.predicate, Literal(text), graph))
                out.dropped[f"{cname}.{_xml_name(model_cls, fname)}"] += (
                    len(value) if isinstance(value, list) else 1
                )
            elif kind == "child" and (
                rule.max_items is not None and isinstance(value, list) and len(value) > rule.max_items
            ):
                # very long lists (planes of a long time-lapse) are counted, not mapped item by item
                if rule.summary_count is not None:
                    quads.append(Quad(node, rule.summary_count, to_literal(len(value)), graph))
                out.dropped[f"{cname}.{_xml_name(model_cls, fname)} (summarised)"] += len(value)
            elif kind == "child":
                items: Iterable[tuple[int | None, Any]] = (
                    ((i, v) for i, v in enumerate(value)) if isinstance(value, list) else [(None, value)]
                )
                for index, child in items:
                    ccls = type(child).__name__ if rule.target == "*" else str(rule.target)
                    child_rule = self.classes.get(ccls)
                    cid = getattr(child, "id", None)
                    identified = (
                        child_rule is not None
                        and "id" in child_rule.fields
                        and child_rule.fields["id"].kind == "id"
                        and cid is not None
                    )
                    child_iri = (
                        object_iri(source, child_rule.iri_class, str(cid))  # type: ignore[union-attr]
                        if identified
                        else nested_iri(iri if crule.node else source, fname, index)
                    )
                    step = _xml_name(model_cls, fname) + (
                        f"[{cid}]" if cid else "" if index is None else f"[{index}]"
                    )
                    if child_rule is not None and rule.predicate is not None and crule.node:
                        quads.append(Quad(node, rule.predicate, NamedNode(child_iri), graph))
                    if child_rule is not None and rule.index is not None and index is not None:
                        quads.append(Quad(NamedNode(child_iri), rule.index, to_literal(index), graph))
                    self._walk(child, ccls, child_iri, source, label, f"{path}/{step}", graph, out)
        self._extras(obj, crule, node, path, graph, out)

    def _extras(
        self, obj: Any, crule: ClassRule, node: NamedNode, path: str, graph: NamedNode, out: MapResult
    ) -> None:
        """Keys a permissive model kept beyond its fields (NGFF metadata we do not model)."""
        for key, value in (getattr(obj, "model_extra", None) or {}).items():
            rule = crule.fields.get(key)
            if (
                rule is not None
                and rule.kind in ("literal", "json")
                and rule.predicate is not None
                and crule.node
            ):
                structured = rule.kind == "json" or isinstance(value, dict | list)
                lit = json_literal(value) if structured else to_literal(value)
                out.quads.append(Quad(node, rule.predicate, lit, graph))
            elif rule is not None and rule.kind == "drop":
                out.dropped[f"{crule.name}.{key}"] += 1
            else:
                out.unmapped.append(Unmapped(path, key, _preview(value)))

    def _summary(self, value: Any, rule: Rule, node: NamedNode, graph: NamedNode, out: MapResult) -> None:
        """Count the items of a list, or of every list inside an object (an ROI's shapes), and
        name their kinds; the items themselves are deliberately not mapped."""
        assert rule.predicate is not None
        if isinstance(value, list):
            total = len(value)
            kinds = sorted({type(v).__name__ for v in value})
        else:
            kinds, total = [], 0
            for fname in getattr(type(value), "model_fields", {}):
                items = getattr(value, fname, None)
                if isinstance(items, list) and items:
                    total += len(items)
                    kinds.append(_xml_name(type(value), fname))
        out.quads.append(Quad(node, rule.predicate, to_literal(total), graph))
        if rule.kinds is not None:
            for k in sorted(kinds):
                out.quads.append(Quad(node, rule.kinds, Literal(k), graph))
        out.dropped["shape details (summarised)"] += total

    def _quantity(
        self, obj: Any, fname: str, rule: Rule, node: NamedNode, graph: NamedNode, path: str, out: MapResult
    ) -> None:
        assert rule.predicate is not None
        value = getattr(obj, fname)
        unit_value = getattr(obj, rule.unit_field or "", None)
        symbol = str(unit_value.value if isinstance(unit_value, enum.Enum) else unit_value)
        unit = self.units.get(symbol)
        if unit is None:
            # A value whose unit we cannot name is kept as a plain number and reported.
            out.quads.append(Quad(node, rule.predicate, to_literal(value), graph))
            out.unmapped.append(
                Unmapped(path, _xml_name(type(obj), rule.unit_field or ""), f"unknown unit {symbol!r}")
            )
            return
        q = NamedNode(f"{node.value}/{fname}")
        number = float(value)
        quads = out.quads
        quads.append(Quad(node, rule.predicate, q, graph))
        quads.append(Quad(q, _RDF_TYPE, _QV, graph))
        quads.append(Quad(q, _NUMERIC, Literal(repr(number), datatype=_XSD_DOUBLE), graph))
        quads.append(Quad(q, _UNIT, NamedNode(unit.iri), graph))
        quads.append(Quad(q, _QKIND, NamedNode(unit.quantity_kind_iri), graph))
        if unit.uo:
            quads.append(Quad(q, _UO_UNIT, NamedNode(unit.uo), graph))
        si = unit.to_si(number)
        if si is not None:
            quads.append(Quad(q, _SI_VALUE, Literal(f"{si:E}", datatype=_XSD_DOUBLE), graph))
