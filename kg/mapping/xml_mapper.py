"""Streaming OME-XML (schema 2016-06) to RDF, in bounded memory, with the same rules and the
same output as :class:`kg.mapping.model_mapper.ModelMapping` over the ome-types model.

Why: building the whole ome-types model of a 100,000-image plate takes minutes and gigabytes
before the first quad exists. Here lxml streams the document; each top-level element (an Image,
a Plate, an Instrument; each annotation inside StructuredAnnotations) is mapped as soon as it is
complete and then freed, and its quads flow on to the store.

How the two mappers stay identical: the plan for each OME class is compiled from the ome-types
model itself (each field's XML name, whether it is an attribute, an element or text, its type,
default and whether it is required) and from the same YAML rules. Whenever an element holds
something this fast path does not reproduce exactly (a value that does not convert, a missing
required attribute or ID, an unknown attribute or element, free XML, ROI shapes), that one
top-level element is mapped through ome-types and the model mapper instead, so its quads, its
report and its errors are exactly those of the model path. ``tests/test_stream.py`` checks
that both paths give isomorphic graphs and the same reports over the whole OME-XML corpus.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import enum
import functools
import operator
import re
import types
import typing
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pydantic
from lxml import etree
from pydantic_core import PydanticUndefined
from pyoxigraph import Literal, NamedNode, Quad

from kg.errors import SourceError
from kg.iris import nested_iri, object_iri
from kg.mapping.model_mapper import (
    _NOT_A_TERM,
    _NUMERIC,
    _OME_ID,
    _QKIND,
    _QV,
    _RDF_TYPE,
    _RDFS_LABEL,
    _SI_VALUE,
    _UNIT,
    _UO_UNIT,
    _XSD_DOUBLE,
    ClassRule,
    MapResult,
    ModelMapping,
    Rule,
    Unmapped,
    _preview,
    to_literal,
)

OME_2016 = "http://www.openmicroscopy.org/Schemas/OME/2016-06"
_NAMESPACES = {OME_2016, "http://www.openmicroscopy.org/Schemas/BinaryFile/2016-06"}
_FAST_KINDS = {"literal", "quantity", "unit", "ref", "child", "drop", "id", "distinct"}


class _Fallback(Exception):
    """This element needs the model path (the reason is kept for debugging and tests)."""


def _inner(annotation: Any) -> tuple[Any, bool]:
    """(the item type, is it a list) for a field annotation such as ``None | list[X]``."""
    ann = annotation
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) == 1:
            ann = args[0]
    if typing.get_origin(ann) is list:
        return typing.get_args(ann)[0], True
    return ann, False


def _bool(text: str) -> bool:
    t = text.strip()
    if t in ("true", "1"):
        return True
    if t in ("false", "0"):
        return False
    raise ValueError(text)


def _datetime(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.strip())


def _checks(info: Any) -> list[Callable[[Any], bool]]:
    """The constraints pydantic enforces on a field (bounds, lengths, patterns), as predicates.
    A pattern must match the whole value here; anything else goes to the model path."""
    out: list[Callable[[Any], bool]] = []
    tests: dict[str, Callable[[Any, Any], bool]] = {
        "ge": operator.ge,
        "gt": operator.gt,
        "le": operator.le,
        "lt": operator.lt,
        "min_length": lambda v, b: len(v) >= b,
    }
    for md in info.metadata:
        for attr, test in tests.items():
            bound = getattr(md, attr, None)
            if bound is not None:
                out.append(functools.partial(_bounded, test, bound))
        pattern = getattr(md, "pattern", None)
        if pattern is not None:
            out.append(functools.partial(_matches, re.compile(pattern)))
    return out


def _bounded(test: Callable[[Any, Any], bool], bound: Any, value: Any) -> bool:
    return bool(test(value, bound))


def _matches(rx: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and rx.fullmatch(value) is not None


def _converter(tp: Any) -> Callable[[str], Any] | None:
    """str -> the value ome-types would hold, or None when this type is not handled here."""
    if tp is str:
        return str
    if tp is bool:
        return _bool
    if tp is int:
        return int
    if tp is float:
        return float
    if tp is dt.datetime:
        return _datetime
    if tp is bytes:
        return bytes.fromhex
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if isinstance(tp, type) and tp.__name__ == "Color":
        return lambda text: tp(int(text))
    return None


@dataclass
class _FieldPlan:
    name: str
    xml: str  # report name: "@SizeX" (attribute) or "Plane" (element)
    rule: Rule | None
    is_list: bool
    required: bool
    conv: Callable[[str], Any] | None = None  # attributes and text-valued elements
    child: str | None = None  # the model class of an element child
    default: Any = None
    checks: list[Callable[[Any], bool]] = field(default_factory=list)

    def convert(self, text: str) -> Any:
        assert self.conv is not None
        value = self.conv(text)
        for ok in self.checks:
            if not ok(value):
                raise ValueError(f"{text!r} breaks a constraint of {self.xml}")
        return value


@dataclass
class _ClassPlan:
    name: str
    crule: ClassRule | None
    attrs: dict[str, _FieldPlan] = field(default_factory=dict)
    elems: dict[str, _FieldPlan] = field(default_factory=dict)
    text: _FieldPlan | None = None
    by_name: dict[str, _FieldPlan] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    id_auto: bool = False  # ome-types invents an ID when the attribute is absent


_PLATE = f"{{{OME_2016}}}Plate"
_WELL = f"{{{OME_2016}}}Well"


@dataclass
class _OpenPlate:
    el: Any
    iri: str
    label: str
    path: str
    wells: int = 0


class XmlStreamMapper:
    """Maps OME-XML 2016-06 from a file or bytes, element by element. See the module docstring."""

    def __init__(self, mapping: ModelMapping) -> None:
        import ome_types.model as ome_model

        self.mapping = mapping
        self._models: dict[str, type[pydantic.BaseModel]] = {}
        self._plans: dict[str, _ClassPlan] = {}
        self._collect(ome_model.OME)
        self._unit_nodes: dict[str, tuple[NamedNode, NamedNode, NamedNode | None]] = {}
        self.fallbacks: list[str] = []  # (element, reason) of elements mapped by the model path

    # -- plans ------------------------------------------------------------------------------

    def _collect(self, cls: type[pydantic.BaseModel]) -> None:
        if cls.__name__ in self._models:
            return
        self._models[cls.__name__] = cls
        for f in cls.model_fields.values():
            tp, _ = _inner(f.annotation)
            if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
                self._collect(tp)

    def _plan(self, cname: str) -> _ClassPlan:
        plan = self._plans.get(cname)
        if plan is not None:
            return plan
        cls = self._models[cname]
        crule = self.mapping.classes.get(cname)
        plan = _ClassPlan(cname, crule)
        for fname, info in cls.model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            kind = extra.get("type")
            xml_name = str(extra.get("name") or "".join(p.capitalize() for p in fname.split("_")))
            tp, is_list = _inner(info.annotation)
            rule = crule.fields.get(fname) if crule else None
            fp = _FieldPlan(
                name=fname,
                xml=f"@{xml_name}" if kind == "Attribute" else xml_name,
                rule=rule,
                is_list=is_list,
                required=info.is_required(),
                default=None if info.default is PydanticUndefined else info.default,
                checks=_checks(info),
            )
            if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
                fp.child = tp.__name__
            else:
                fp.conv = _converter(tp)
            if kind == "Attribute":
                plan.attrs[xml_name] = fp
                if fname == "id" and info.default == "__auto_sequence__":
                    plan.id_auto = True
            elif kind == "Element":
                plan.elems[xml_name] = fp
            elif kind is None:  # the element's own text (Map's M, UUID)
                plan.text = fp
            else:  # wildcards (free XML)
                fp.conv = None
                plan.elems["*"] = fp
            plan.by_name[fname] = fp
            plan.order.append(fname)
        self._plans[cname] = plan
        return plan

    # -- streaming --------------------------------------------------------------------------

    def map_stream(
        self, source: Path | IO[bytes], *, name: str, source_iri: str, graph: NamedNode, out: MapResult
    ) -> Iterator[Quad]:
        """Yield the quads of an OME-XML 2016-06 document; ``out`` collects the report
        (unmapped, dropped, objects, unresolved; ``out.quads`` stays empty)."""
        with contextlib.ExitStack() as stack:
            fh = stack.enter_context(source.open("rb")) if isinstance(source, Path) else source
            yield from self._stream(fh, name=name, source_iri=source_iri, graph=graph, out=out)

    def _stream(
        self, fh: IO[bytes], *, name: str, source_iri: str, graph: NamedNode, out: MapResult
    ) -> Iterator[Quad]:
        context = etree.iterparse(
            fh,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=True,
            remove_comments=True,
            remove_pis=True,
        )
        depth = 0
        root: Any = None
        in_sa = False
        plate: _OpenPlate | None = None
        positions: dict[str, int] = {}
        try:
            for event, el in context:
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root = el
                        if root.getroottree().docinfo.doctype:
                            raise SourceError(
                                name,
                                "the document declares a DOCTYPE; DTDs and entity declarations are "
                                "refused for safety",
                                expected="OME-XML without a DOCTYPE",
                            )
                        if root.tag != f"{{{OME_2016}}}OME":
                            raise SourceError(
                                name,
                                f"root element is {root.tag!r}",
                                line=root.sourceline,
                                expected=f"an <OME> root in the {OME_2016} namespace",
                            )
                        yield from self._root_attributes(root, source_iri, graph, out, name)
                    elif depth == 2 and el.tag == f"{{{OME_2016}}}StructuredAnnotations":
                        in_sa = True
                    elif depth == 2 and el.tag == _PLATE:
                        plate = self._open_plate(el, source_iri)
                    continue
                depth -= 1
                if depth == 2 and plate is not None and el.tag == _WELL and el.getparent() is plate.el:
                    # a plate's wells are mapped one by one as they end (100,000-well plates)
                    yield from self._well(el, plate, source_iri, graph, out, name)
                    el.clear()
                    plate.el.remove(el)
                    continue
                if depth == 1:
                    plate = None
                    if in_sa and el.tag == f"{{{OME_2016}}}StructuredAnnotations":
                        in_sa = False
                        yield from self._top(el, root, source_iri, graph, out, positions, name, children=True)
                    else:
                        yield from self._top(el, root, source_iri, graph, out, positions, name)
                    el.clear()
                    while el.getprevious() is not None:
                        del root[0]
                elif depth == 2 and in_sa:
                    yield from self._annotation(el, source_iri, graph, out, name)
                    el.clear()
                    parent = el.getparent()
                    while el.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as exc:
            raise SourceError(
                name,
                f"not well-formed XML: {exc.msg}",
                line=exc.lineno,
                expected="a well-formed XML document",
            ) from exc

    def _root_attributes(
        self, root: Any, source_iri: str, graph: NamedNode, out: MapResult, name: str
    ) -> Iterator[Quad]:
        plan = self._plan("OME")
        node = NamedNode(source_iri)
        for key, text in root.attrib.items():
            if key.startswith("{"):
                continue  # xsi:schemaLocation and friends
            fp = plan.attrs.get(key)
            if fp is None:
                continue  # ome-types ignores unknown root attributes too
            try:
                value = fp.convert(text) if fp.conv else text
            except (ValueError, TypeError) as exc:
                raise SourceError(
                    name,
                    f"invalid value {text!r}",
                    element=f"OME/@{key}",
                    expected="a value allowed by the OME 2016-06 schema",
                ) from exc
            yield from self._field(plan, fp, value, node, source_iri, source_iri, "", "OME", graph, out, {})

    def _top(
        self,
        el: Any,
        root: Any,
        source_iri: str,
        graph: NamedNode,
        out: MapResult,
        positions: dict[str, int],
        name: str,
        children: bool = False,
    ) -> Iterator[Quad]:
        """A complete child of the OME root. With ``children`` (StructuredAnnotations), its
        annotations were mapped one by one as they ended; only the element itself is left."""
        plan = self._plan("OME")
        local = etree.QName(el).localname
        fp = plan.elems.get(local)
        if children:
            return
        if fp is None or fp.child is None:
            yield from self._fallback(el, [], source_iri, graph, out, name)
            return
        index = positions.get(local, 0) if fp.is_list else None
        positions[local] = (index or 0) + 1
        yield from self._attempt(
            local,
            el,
            lambda res: self._child(
                plan, fp, el, index, source_iri, source_iri, "", "OME", graph, res, node=False
            ),
            lambda: self._fallback(el, [], source_iri, graph, out, name),
            out,
        )

    def _annotation(
        self, el: Any, source_iri: str, graph: NamedNode, out: MapResult, name: str
    ) -> Iterator[Quad]:
        sa = self._plan("StructuredAnnotations")
        local = etree.QName(el).localname
        fp = sa.elems.get(local)
        if fp is None or fp.child is None or etree.QName(el).namespace not in _NAMESPACES:
            yield from self._fallback(el, ["StructuredAnnotations"], source_iri, graph, out, name)
            return
        yield from self._attempt(
            local,
            el,
            lambda res: self._child(
                sa, fp, el, 0, source_iri, source_iri, "", "OME/StructuredAnnotations", graph, res, node=False
            ),
            lambda: self._fallback(el, ["StructuredAnnotations"], source_iri, graph, out, name),
            out,
        )

    def _open_plate(self, el: Any, source_iri: str) -> _OpenPlate | None:
        """At a Plate's start tag: what its wells need from it (IRI, label, path)."""
        plan = self._plan("Plate")
        crule = plan.crule
        pid = el.get("ID")
        if crule is None or pid is None or "id" not in crule.fields:
            return None  # mapped whole at its end (and through ome-types if need be)
        name_fp = plan.by_name.get(crule.label or "")
        label_value = el.get(name_fp.xml[1:]) if name_fp is not None and name_fp.xml.startswith("@") else None
        label = str(label_value) if label_value else f"Plate {pid}"
        return _OpenPlate(el, object_iri(source_iri, crule.iri_class, pid), label, f"OME/Plate[{pid}]")

    def _well(
        self, el: Any, plate: _OpenPlate, source_iri: str, graph: NamedNode, out: MapResult, name: str
    ) -> Iterator[Quad]:
        plan = self._plan("Plate")
        fp = plan.elems["Well"]
        index = plate.wells
        plate.wells += 1
        yield from self._attempt(
            "Well",
            el,
            lambda res: self._child(
                plan, fp, el, index, plate.iri, source_iri, plate.label, plate.path, graph, res, node=True
            ),
            lambda: self._well_fallback(el, plate, source_iri, graph, out, name),
            out,
        )

    def _attempt(
        self,
        what: str,
        el: Any,
        fast: Callable[[MapResult], Iterator[Quad]],
        fallback: Callable[[], Iterator[Quad]],
        out: MapResult,
    ) -> Iterator[Quad]:
        """The fast path's quads for ``el``, held until the element is done; if the fast path
        gives up anywhere inside it, the model path's quads for the whole element instead."""
        local_out = MapResult()
        try:
            quads = list(fast(local_out))
        except _Fallback as why:
            self.fallbacks.append(f"{what} line {el.sourceline}: {why}")
            yield from fallback()
            return
        out.absorb(local_out)
        yield from quads

    def _map_fragment(self, body: bytes, el: Any, name: str, source_iri: str, graph: NamedNode) -> MapResult:
        """Map XML ``body`` (children of the OME root) through ome-types and the model mapper;
        an error names the line of ``el`` in the whole document."""
        from kg.readers.ome_xml import parse_ome

        doc = f'<OME xmlns="{OME_2016}">'.encode() + body + b"</OME>"
        try:
            model, _ = parse_ome(doc, name)
        except SourceError as exc:
            if exc.line is None:
                exc.line = el.sourceline
                exc.args = (str(exc),)
            raise
        return self.mapping.map(model, source_iri=source_iri, graph=graph)

    def _well_fallback(
        self, el: Any, plate: _OpenPlate, source_iri: str, graph: NamedNode, out: MapResult, name: str
    ) -> Iterator[Quad]:
        """One well through ome-types, inside a copy of its plate's start tag; only what
        belongs to the well (and the plate's link to it) is kept."""
        wrapper = etree.Element(plate.el.tag, attrib=dict(plate.el.attrib))
        wrapper.append(copy.deepcopy(el))
        result = self._map_fragment(etree.tostring(wrapper), el, name, source_iri, graph)
        wid = el.get("ID")
        well_iri = object_iri(source_iri, "Well", wid) if wid else None

        def belongs(q: Quad) -> bool:
            """Everything but the plate's own statements (made again by the wrapper)."""
            subject = q.subject.value if isinstance(q.subject, NamedNode) else ""
            if subject == plate.iri:
                return isinstance(q.object, NamedNode) and q.object.value == well_iri
            return not subject.startswith(plate.iri + "/")

        keep = [q for q in result.quads if belongs(q)]
        result.quads = keep
        result.objects["Plate"] -= 1
        result.objects += Counter()  # drop the zero count
        result.unmapped = [
            u for u in result.unmapped if u.element != plate.path or u.field.startswith("Well")
        ]
        result.unresolved = [u for u in result.unresolved if u.element != plate.path]
        out.absorb(result)
        yield from result.quads

    def _fallback(
        self, el: Any, wrappers: list[str], source_iri: str, graph: NamedNode, out: MapResult, name: str
    ) -> Iterator[Quad]:
        """Map one element through ome-types and the model mapper, inside a minimal OME document."""
        body = etree.tostring(el, with_tail=False)
        for w in reversed(wrappers):
            body = f"<{w}>".encode() + body + f"</{w}>".encode()
        result = self._map_fragment(body, el, name, source_iri, graph)
        out.absorb(result)
        yield from result.quads

    # -- one element --------------------------------------------------------------------------

    def _child(
        self,
        parent_plan: _ClassPlan,
        fp: _FieldPlan,
        el: Any,
        index: int | None,
        iri: str,
        source: str,
        label: str,
        path: str,
        graph: NamedNode,
        out: MapResult,
        *,
        node: bool,
    ) -> Iterator[Quad]:
        """Map ``el``, the value (or the ``index``-th item) of field ``fp`` of an object at ``iri``."""
        cname = fp.child
        assert cname is not None and fp.rule is not None and fp.rule.kind == "child"
        rule = fp.rule
        cplan = self._plan(cname)
        child_rule = cplan.crule
        cid = el.get("ID")
        if cid is None and cplan.id_auto:
            raise _Fallback(f"{cname} without an ID (ome-types invents one)")
        identified = (
            child_rule is not None and "id" in child_rule.fields and child_rule.fields["id"].kind == "id"
        )
        child_iri = (
            object_iri(source, child_rule.iri_class, cid)  # type: ignore[union-attr]
            if identified and cid is not None
            else nested_iri(iri if node else source, fp.name, index)
        )
        step = fp.xml + (f"[{cid}]" if cid else "" if index is None else f"[{index}]")
        if child_rule is not None and rule.predicate is not None and node:
            yield Quad(NamedNode(iri), rule.predicate, NamedNode(child_iri), graph)
        if child_rule is not None and rule.index is not None and index is not None:
            yield Quad(NamedNode(child_iri), rule.index, to_literal(index), graph)
        yield from self._element(cplan, el, child_iri, source, label, f"{path}/{step}", graph, out)

    def _element(
        self,
        plan: _ClassPlan,
        el: Any,
        iri: str,
        source: str,
        parent_label: str,
        path: str,
        graph: NamedNode,
        out: MapResult,
    ) -> Iterator[Quad]:
        crule = plan.crule
        if crule is None:
            out.unmapped.append(Unmapped(path.rsplit("/", 1)[0], path.rsplit("/", 1)[-1], _preview_el(el)))
            return
        # collect the values, converted as ome-types would, before emitting anything
        values: dict[str, Any] = {}
        for key, text in el.attrib.items():
            fp = plan.attrs.get(key)
            if fp is None or fp.conv is None:
                raise _Fallback(f"attribute {key} of {plan.name}")
            try:
                values[fp.name] = fp.convert(text)
            except (ValueError, TypeError, pydantic.ValidationError) as exc:
                raise _Fallback(f"{plan.name}/@{key}={text!r}: {exc}") from exc
        groups: dict[str, list[Any]] = {}
        for child in el:
            if not isinstance(child.tag, str):
                continue
            q = etree.QName(child)
            fp = plan.elems.get(q.localname)
            if fp is None or q.namespace not in _NAMESPACES:
                raise _Fallback(f"element {q.localname} in {plan.name}")
            groups.setdefault(fp.name, []).append(child)
        if plan.text is not None:
            text = el.text or ""
            if text or plan.text.required:
                try:
                    values[plan.text.name] = plan.text.convert(text) if plan.text.conv else text
                except (ValueError, TypeError) as exc:
                    raise _Fallback(f"{plan.name} text: {exc}") from exc
        for fname, items in groups.items():
            fp = plan.by_name[fname]
            if not fp.is_list and len(items) > 1:
                raise _Fallback(f"{len(items)} {fp.xml} in {plan.name}")
            if fp.child is None:
                if fp.conv is None:
                    raise _Fallback(f"{fp.xml} in {plan.name}")
                try:
                    converted = [fp.convert(c.text or "") for c in items]
                except (ValueError, TypeError) as exc:
                    raise _Fallback(f"{plan.name}/{fp.xml}: {exc}") from exc
                values[fname] = converted if fp.is_list else converted[0]
        for fname in plan.order:
            fp = plan.by_name[fname]
            if fp.required and fname not in values and fname not in groups:
                raise _Fallback(f"required {fp.xml} missing in {plan.name}")

        node = NamedNode(iri)
        if crule.node:
            out.objects[plan.name] += 1
            for rdf_type in crule.rdf_types:
                yield Quad(node, _RDF_TYPE, rdf_type, graph)
            label_value = values.get(crule.label) if crule.label else None
            ident = values.get("id") if "id" in crule.fields and crule.fields["id"].kind == "id" else None
            if label_value:
                label = str(label_value)
            else:
                label = f"{plan.name} {ident}" if ident else plan.name
                if parent_label:
                    label += f" of {parent_label}"
            yield Quad(node, _RDFS_LABEL, Literal(label), graph)
        else:
            label = parent_label
        for fname in plan.order:
            fp = plan.by_name[fname]
            if fname in groups and fp.child is not None:
                yield from self._children(
                    plan, fp, groups[fname], iri, source, label, path, graph, out, crule
                )
            elif fname in values:
                yield from self._field(
                    plan, fp, values[fname], node, iri, source, label, path, graph, out, values
                )

    def _children(
        self,
        plan: _ClassPlan,
        fp: _FieldPlan,
        items: list[Any],
        iri: str,
        source: str,
        label: str,
        path: str,
        graph: NamedNode,
        out: MapResult,
        crule: ClassRule,
    ) -> Iterator[Quad]:
        rule = fp.rule
        if rule is None:
            for pos, item in enumerate(items):
                self._validate(fp.child, item)
                ident = item.get("ID")
                if fp.is_list:
                    out.unmapped.append(Unmapped(path, f"{fp.xml}[{ident or pos}]", _preview_el(item)))
                else:
                    out.unmapped.append(Unmapped(path, fp.xml, _preview_el(item)))
            return
        if rule.kind not in _FAST_KINDS:
            raise _Fallback(f"{rule.kind} rule for {plan.name}.{fp.name}")
        if rule.kind == "drop":
            for item in items:
                self._validate(fp.child, item)
            out.dropped[f"{plan.name}.{fp.xml}"] += 1
            return
        if rule.kind == "distinct":
            assert rule.predicate is not None
            seen: dict[str, None] = {}
            for item in items:
                self._validate(fp.child, item)
                found = self._path_value(fp.child, item, rule.path)
                if found is not None:
                    seen[str(found)] = None
            for text in seen:
                yield Quad(NamedNode(iri), rule.predicate, Literal(text), graph)
            out.dropped[f"{plan.name}.{fp.xml}"] += len(items) if fp.is_list else 1
            return
        if rule.kind == "ref":
            assert rule.predicate is not None and rule.target is not None
            for item in items:
                ref_id = item.get("ID")
                self._validate(fp.child, item)
                if ref_id is None:
                    raise _Fallback(f"{fp.xml} without ID")
                yield Quad(
                    NamedNode(iri), rule.predicate, NamedNode(object_iri(source, rule.target, ref_id)), graph
                )
            return
        if rule.kind != "child":
            raise _Fallback(f"{rule.kind} on element {fp.xml}")
        if rule.max_items is not None and fp.is_list and len(items) > rule.max_items:
            for item in items:
                self._validate(fp.child, item)
            if rule.summary_count is not None:
                yield Quad(NamedNode(iri), rule.summary_count, to_literal(len(items)), graph)
            out.dropped[f"{plan.name}.{fp.xml} (summarised)"] += len(items)
            return
        for pos, item in enumerate(items):
            yield from self._child(
                plan,
                fp,
                item,
                pos if fp.is_list else None,
                iri,
                source,
                label,
                path,
                graph,
                out,
                node=crule.node,
            )

    def _field(
        self,
        plan: _ClassPlan,
        fp: _FieldPlan,
        value: Any,
        node: NamedNode,
        iri: str,
        source: str,
        label: str,
        path: str,
        graph: NamedNode,
        out: MapResult,
        values: dict[str, Any],
    ) -> Iterator[Quad]:
        """One attribute or text value, by its rule (as ModelMapping._walk does)."""
        if value is None or (isinstance(value, list) and not value):
            return
        rule = fp.rule
        if rule is None:
            if isinstance(value, list):
                for pos, v in enumerate(value):
                    out.unmapped.append(Unmapped(path, f"{fp.xml}[{pos}]", _preview(v)))
            else:
                out.unmapped.append(Unmapped(path, fp.xml, _preview(value)))
            return
        kind = rule.kind
        if kind not in _FAST_KINDS:
            raise _Fallback(f"{kind} rule on {plan.name}.{fp.name}")
        if kind == "drop":
            out.dropped[f"{plan.name}.{fp.xml}"] += 1
        elif kind == "unit":
            return
        elif kind == "id":
            yield Quad(node, _OME_ID, Literal(str(value)), graph)
        elif kind == "literal":
            assert rule.predicate is not None
            for v in value if isinstance(value, list) else [value]:
                yield Quad(node, rule.predicate, to_literal(v), graph)
                if rule.unit_name is not None:
                    raise _Fallback("unit names are an NGFF rule")
                if rule.terms is not None and rule.term_predicate is not None:
                    text = str(v.value if isinstance(v, enum.Enum) else v)
                    match = self.mapping.terms[rule.terms].get(text)
                    if match is not None:
                        yield Quad(node, rule.term_predicate, NamedNode(match.term), graph)
                    elif text not in _NOT_A_TERM:
                        out.unresolved.append(Unmapped(path, fp.xml, f"{text} (no term in {rule.terms})"))
        elif kind == "quantity":
            yield from self._quantity(plan, fp, value, node, path, graph, out, values)
        elif kind == "ref":
            assert rule.predicate is not None and rule.target is not None
            for v in value if isinstance(value, list) else [value]:
                yield Quad(node, rule.predicate, NamedNode(object_iri(source, rule.target, str(v))), graph)
        else:
            raise _Fallback(f"{kind} rule on attribute {plan.name}.{fp.name}")

    def _quantity(
        self,
        plan: _ClassPlan,
        fp: _FieldPlan,
        value: Any,
        node: NamedNode,
        path: str,
        graph: NamedNode,
        out: MapResult,
        values: dict[str, Any],
    ) -> Iterator[Quad]:
        rule = fp.rule
        assert rule is not None and rule.predicate is not None
        ufield = rule.unit_field or ""
        unit_value = values.get(ufield)
        if unit_value is None:
            ufp = plan.by_name.get(ufield)
            unit_value = ufp.default if ufp is not None else None
        symbol = str(unit_value.value if isinstance(unit_value, enum.Enum) else unit_value)
        cached = self._unit_nodes.get(symbol)
        unit = self.mapping.units.get(symbol)
        if unit is None:
            yield Quad(node, rule.predicate, to_literal(value), graph)
            ufp = plan.by_name.get(ufield)
            out.unmapped.append(Unmapped(path, ufp.xml if ufp else ufield, f"unknown unit {symbol!r}"))
            return
        if cached is None:
            cached = (
                NamedNode(unit.iri),
                NamedNode(unit.quantity_kind_iri),
                NamedNode(unit.uo) if unit.uo else None,
            )
            self._unit_nodes[symbol] = cached
        unit_iri, kind_iri, uo_iri = cached
        q = NamedNode(f"{node.value}/{fp.name}")
        number = float(value)
        yield Quad(node, rule.predicate, q, graph)
        yield Quad(q, _RDF_TYPE, _QV, graph)
        yield Quad(q, _NUMERIC, Literal(repr(number), datatype=_XSD_DOUBLE), graph)
        yield Quad(q, _UNIT, unit_iri, graph)
        yield Quad(q, _QKIND, kind_iri, graph)
        if uo_iri is not None:
            yield Quad(q, _UO_UNIT, uo_iri, graph)
        si = unit.to_si(number)
        if si is not None:
            yield Quad(q, _SI_VALUE, Literal(f"{si:E}", datatype=_XSD_DOUBLE), graph)

    # -- checks on content that is dropped or summarised, so that validity matches ----------

    def _validate(self, cname: str | None, el: Any) -> None:
        if cname is None:
            raise _Fallback("element without a model class")
        plan = self._plan(cname)
        for key, text in el.attrib.items():
            fp = plan.attrs.get(key)
            if fp is None or fp.conv is None:
                raise _Fallback(f"attribute {key} of {cname}")
            try:
                fp.convert(text)
            except (ValueError, TypeError) as exc:
                raise _Fallback(f"{cname}/@{key}: {exc}") from exc
        present = set(el.attrib.keys())
        for child in el:
            if not isinstance(child.tag, str):
                continue
            q = etree.QName(child)
            fp = plan.elems.get(q.localname)
            if fp is None or q.namespace not in _NAMESPACES:
                raise _Fallback(f"element {q.localname} in {cname}")
            present.add(q.localname)
            if fp.child is not None:
                self._validate(fp.child, child)
        for fp in plan.attrs.values():
            if fp.required and fp.xml[1:] not in present:
                raise _Fallback(f"required {fp.xml} missing in {cname}")
        if plan.id_auto and "ID" not in el.attrib:
            raise _Fallback(f"{cname} without an ID")

    def _path_value(self, cname: str | None, el: Any, steps: tuple[str, ...]) -> Any:
        current = el
        cls = cname
        for step in steps:
            if current is None or cls is None:
                return None
            plan = self._plan(cls)
            fp = plan.by_name.get(step)
            if fp is None:
                raise _Fallback(f"path step {step} in {cls}")
            if fp.xml.startswith("@"):
                current = current.get(fp.xml[1:])
                cls = None
            else:
                current = next(
                    (c for c in current if isinstance(c.tag, str) and etree.QName(c).localname == fp.xml),
                    None,
                )
                cls = fp.child
        return current


def _preview_el(el: Any) -> str:
    return f"<{etree.QName(el).localname}> with {len(el.attrib) + len(el)} attribute(s)/element(s)"
