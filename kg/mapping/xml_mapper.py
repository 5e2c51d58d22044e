"""Streaming OME-XML (schema 2016-06) to RDF, in bounded memory, with the same rules and the
same output as :class:`kg.mapping.model_mapper.ModelMapping` over the ome-types model.

Why: building the whole ome-types model of a 100,000-image plate takes minutes and gigabytes
before the first quad exists. Here lxml streams the document; each top-level element (an Image,
a Plate, an Instrument; each annotation inside StructuredAnnotations) is mapped as soon as it is
complete and then freed, and its quads flow on to the store. They are written as N-Quads text
(:meth:`XmlStreamMapper.map_lines`), which the store's loader parses in Rust: making pyoxigraph
objects from Python, one per quad, cost more than all the mapping.

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
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, RdfFormat, parse

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
    _XSD_INTEGER,
    ClassRule,
    MapResult,
    ModelMapping,
    Rule,
    Unmapped,
    _preview,
    to_literal,
)
from kg.units import Unit

OME_2016 = "http://www.openmicroscopy.org/Schemas/OME/2016-06"
_NAMESPACES = {OME_2016, "http://www.openmicroscopy.org/Schemas/BinaryFile/2016-06"}

# terms in N-Triples syntax
_TYPE = str(_RDF_TYPE)
_LABEL = str(_RDFS_LABEL)
_ID = str(_OME_ID)
_QUANTITY_VALUE = str(_QV)
_NUMERIC_VALUE = str(_NUMERIC)
_UNIT_P = str(_UNIT)
_KIND_P = str(_QKIND)
_UO_P = str(_UO_UNIT)
_SI_P = str(_SI_VALUE)
_DOUBLE = f"^^{_XSD_DOUBLE}"
_INTEGER = f"^^{_XSD_INTEGER}"


def _iri(iri: str) -> str:
    """An IRI in N-Triples syntax, checked by pyoxigraph (ValueError if it is not one)."""
    NamedNode(iri)
    return f"<{iri}>"


def _lines(quads: list[Quad]) -> list[str]:
    """Quads (of the model path) as N-Quads lines."""
    return [f"{q} .\n" for q in quads]


_MISSING = object()
_CONVERTED_CACHE = 1024  # values per field whose conversion is kept
_LITERAL_CACHE = 4096  # values per unit whose literals are kept


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
    # the rule's predicates in N-Triples syntax ("" when it has none)
    pred: str = ""
    index_pred: str = ""
    count_pred: str = ""
    term_pred: str = ""

    # converted values by their text (bounded): a plate repeats most of its values
    cache: dict[str, Any] = field(default_factory=dict)

    def convert(self, text: str) -> Any:
        value = self.cache.get(text, _MISSING)
        if value is _MISSING:
            assert self.conv is not None
            value = self.conv(text)
            for ok in self.checks:
                if not ok(value):
                    raise ValueError(f"{text!r} breaks a constraint of {self.xml}")
            if len(self.cache) < _CONVERTED_CACHE:
                self.cache[text] = value
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
    # derived once the plan is complete, for the hot path:
    fields: list[_FieldPlan] = field(default_factory=list)  # in model order
    required: list[_FieldPlan] = field(default_factory=list)
    tags: dict[str, _FieldPlan] = field(default_factory=dict)  # "{namespace}Name" -> element field
    identified: bool = False  # its IRI is made from its OME ID (an "id" rule)
    types: list[str] = field(default_factory=list)  # its rdf:types in N-Triples syntax


class _UnitTerms:
    """A unit's terms, and the literals of the values met in it (numeric, SI), made once."""

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.unit_node = _iri(unit.iri)
        self.kind_node = _iri(unit.quantity_kind_iri)
        self.uo_node = _iri(unit.uo) if unit.uo else ""
        self.literals: dict[str, tuple[str, str | None]] = {}


@dataclass
class _Run:
    """One document being mapped."""

    name: str  # for errors
    source: str  # the source IRI
    graph: NamedNode | DefaultGraph
    tail: str  # ends each line: " <graph> .\n", or " .\n" in the default graph
    out: MapResult


_PLATE = f"{{{OME_2016}}}Plate"
_WELL = f"{{{OME_2016}}}Well"


@dataclass
class _OpenPlate:
    el: Any
    iri: str
    node: str  # N-Triples
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
        self._units: dict[str, _UnitTerms] = {}
        self._enum_literals: dict[enum.Enum, str] = {}
        self._terms: dict[str, str] = {}  # ontology terms in N-Triples syntax
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
            if rule is not None:
                fp.pred = str(rule.predicate) if rule.predicate else ""
                fp.index_pred = str(rule.index) if rule.index else ""
                fp.count_pred = str(rule.summary_count) if rule.summary_count else ""
                fp.term_pred = str(rule.term_predicate) if rule.term_predicate else ""
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
        plan.fields = [plan.by_name[f] for f in plan.order]
        plan.required = [fp for fp in plan.fields if fp.required]
        plan.tags = {
            f"{{{ns}}}{xml}": fp for xml, fp in plan.elems.items() if xml != "*" for ns in _NAMESPACES
        }
        plan.identified = crule is not None and "id" in crule.fields and crule.fields["id"].kind == "id"
        plan.types = [str(t) for t in crule.rdf_types] if crule else []
        self._plans[cname] = plan
        return plan

    # -- streaming --------------------------------------------------------------------------

    def map_stream(
        self, source: Path | IO[bytes], *, name: str, source_iri: str, graph: NamedNode, out: MapResult
    ) -> Iterator[Quad]:
        """Yield the quads of an OME-XML 2016-06 document; ``out`` collects the report
        (unmapped, dropped, objects, unresolved; ``out.quads`` stays empty)."""
        for lines in self.map_lines(source, name=name, source_iri=source_iri, graph=graph, out=out):
            yield from parse("".join(lines), RdfFormat.N_QUADS)

    def map_lines(
        self,
        source: Path | IO[bytes],
        *,
        name: str,
        source_iri: str,
        graph: NamedNode | DefaultGraph,
        out: MapResult,
    ) -> Iterator[list[str]]:
        """As :meth:`map_stream`, as N-Quads text: lists of lines (one quad each, ending in a
        newline), one list per element mapped as a whole (the root's attributes, a top-level
        element, a well, an annotation). In the default graph the lines are N-Triples."""
        with contextlib.ExitStack() as stack:
            fh = stack.enter_context(source.open("rb")) if isinstance(source, Path) else source
            yield from self._stream(fh, name=name, source_iri=source_iri, graph=graph, out=out)

    def _stream(
        self, fh: IO[bytes], *, name: str, source_iri: str, graph: NamedNode | DefaultGraph, out: MapResult
    ) -> Iterator[list[str]]:
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
        NamedNode(source_iri)  # checked once: the IRIs made below it stay valid
        run = _Run(
            name, source_iri, graph, " .\n" if isinstance(graph, DefaultGraph) else f" {graph} .\n", out
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
                        yield self._root_attributes(root, run)
                    elif depth == 2 and el.tag == f"{{{OME_2016}}}StructuredAnnotations":
                        in_sa = True
                    elif depth == 2 and el.tag == _PLATE:
                        plate = self._open_plate(el, source_iri)
                    continue
                depth -= 1
                if depth == 2 and plate is not None and el.tag == _WELL and el.getparent() is plate.el:
                    # a plate's wells are mapped one by one as they end (100,000-well plates)
                    yield self._well(el, plate, run)
                    el.clear()
                    plate.el.remove(el)
                    continue
                if depth == 1:
                    plate = None
                    if in_sa and el.tag == f"{{{OME_2016}}}StructuredAnnotations":
                        in_sa = False  # its annotations were mapped one by one as they ended
                    else:
                        yield self._top(el, run, positions)
                    el.clear()
                    while el.getprevious() is not None:
                        del root[0]
                elif depth == 2 and in_sa:
                    yield self._annotation(el, run)
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

    def _root_attributes(self, root: Any, run: _Run) -> list[str]:
        plan = self._plan("OME")
        node = _iri(run.source)
        acc: list[str] = []
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
                    run.name,
                    f"invalid value {text!r}",
                    element=f"OME/@{key}",
                    expected="a value allowed by the OME 2016-06 schema",
                ) from exc
            self._field(plan, fp, value, node, run.source, "OME", {}, run, run.out, acc)
        return acc

    def _top(self, el: Any, run: _Run, positions: dict[str, int]) -> list[str]:
        """A complete child of the OME root (not StructuredAnnotations, mapped one by one)."""
        plan = self._plan("OME")
        local = etree.QName(el).localname
        fp = plan.elems.get(local)
        if fp is None or fp.child is None:
            return self._fallback(el, [], run)
        index = positions.get(local, 0) if fp.is_list else None
        positions[local] = (index or 0) + 1
        return self._attempt(
            local,
            el,
            lambda res, acc: self._child(fp, el, index, None, run.source, "", "OME", run, res, acc),
            lambda: self._fallback(el, [], run),
            run.out,
        )

    def _annotation(self, el: Any, run: _Run) -> list[str]:
        sa = self._plan("StructuredAnnotations")
        fp = sa.tags.get(el.tag)
        if fp is None or fp.child is None:
            return self._fallback(el, ["StructuredAnnotations"], run)
        return self._attempt(
            etree.QName(el).localname,
            el,
            lambda res, acc: self._child(
                fp, el, 0, None, run.source, "", "OME/StructuredAnnotations", run, res, acc
            ),
            lambda: self._fallback(el, ["StructuredAnnotations"], run),
            run.out,
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
        iri = object_iri(source_iri, crule.iri_class, pid)
        return _OpenPlate(el, iri, f"<{iri}>", label, f"OME/Plate[{pid}]")

    def _well(self, el: Any, plate: _OpenPlate, run: _Run) -> list[str]:
        fp = self._plan("Plate").elems["Well"]
        index = plate.wells
        plate.wells += 1
        return self._attempt(
            "Well",
            el,
            lambda res, acc: self._child(
                fp, el, index, plate.node, plate.iri, plate.label, plate.path, run, res, acc
            ),
            lambda: self._well_fallback(el, plate, run),
            run.out,
        )

    def _attempt(
        self,
        what: str,
        el: Any,
        fast: Callable[[MapResult, list[str]], None],
        fallback: Callable[[], list[str]],
        out: MapResult,
    ) -> list[str]:
        """The fast path's lines for ``el``, kept only once the whole element is done; if the
        fast path gives up anywhere inside it, the model path's for the element instead."""
        local_out = MapResult()
        acc: list[str] = []
        try:
            fast(local_out, acc)
        except _Fallback as why:
            self.fallbacks.append(f"{what} line {el.sourceline}: {why}")
            return fallback()
        out.absorb(local_out)
        return acc

    def _map_fragment(self, body: bytes, el: Any, run: _Run) -> MapResult:
        """Map XML ``body`` (children of the OME root) through ome-types and the model mapper;
        an error names the line of ``el`` in the whole document."""
        from kg.readers.ome_xml import parse_ome

        doc = f'<OME xmlns="{OME_2016}">'.encode() + body + b"</OME>"
        try:
            model, _ = parse_ome(doc, run.name)
        except SourceError as exc:
            if exc.line is None:
                exc.line = el.sourceline
                exc.args = (str(exc),)
            raise
        return self.mapping.map(model, source_iri=run.source, graph=run.graph)  # type: ignore[arg-type]

    def _well_fallback(self, el: Any, plate: _OpenPlate, run: _Run) -> list[str]:
        """One well through ome-types, inside a copy of its plate's start tag; only what
        belongs to the well (and the plate's link to it) is kept."""
        wrapper = etree.Element(plate.el.tag, attrib=dict(plate.el.attrib))
        wrapper.append(copy.deepcopy(el))
        result = self._map_fragment(etree.tostring(wrapper), el, run)
        wid = el.get("ID")
        well_iri = object_iri(run.source, "Well", wid) if wid else None

        def belongs(q: Quad) -> bool:
            """Everything but the plate's own statements (made again by the wrapper)."""
            subject = q.subject.value if isinstance(q.subject, NamedNode) else ""
            if subject == plate.iri:
                return isinstance(q.object, NamedNode) and q.object.value == well_iri
            return not subject.startswith(plate.iri + "/")

        result.quads = [q for q in result.quads if belongs(q)]
        result.objects["Plate"] -= 1
        result.objects += Counter()  # drop the zero count
        result.unmapped = [
            u for u in result.unmapped if u.element != plate.path or u.field.startswith("Well")
        ]
        result.unresolved = [u for u in result.unresolved if u.element != plate.path]
        run.out.absorb(result)
        return _lines(result.quads)

    def _fallback(self, el: Any, wrappers: list[str], run: _Run) -> list[str]:
        """Map one element through ome-types and the model mapper, inside a minimal OME document."""
        body = etree.tostring(el, with_tail=False)
        for w in reversed(wrappers):
            body = f"<{w}>".encode() + body + f"</{w}>".encode()
        result = self._map_fragment(body, el, run)
        run.out.absorb(result)
        return _lines(result.quads)

    # -- one element --------------------------------------------------------------------------
    # Each function appends the N-Quads lines it makes to ``acc``. No generators (a quad made
    # deep in the tree would pass through every level's frame) and no pyoxigraph Quad objects
    # (making one costs more than all the rest of a line): the terms are written in N-Triples
    # syntax, literals through pyoxigraph's own escaping, and the loader parses them in Rust.

    def _child(
        self,
        fp: _FieldPlan,
        el: Any,
        index: int | None,
        parent: str | None,
        iri: str,
        label: str,
        path: str,
        run: _Run,
        out: MapResult,
        acc: list[str],
    ) -> None:
        """Map ``el``, the value (or the ``index``-th item) of field ``fp`` of an object at
        ``iri``; ``parent`` is that object's node (N-Triples) when it is one: the child is
        linked to it."""
        cname = fp.child
        rule = fp.rule
        assert cname is not None and rule is not None and rule.kind == "child"
        cplan = self._plan(cname)
        cid = el.get("ID")
        if cid is None and cplan.id_auto:
            raise _Fallback(f"{cname} without an ID (ome-types invents one)")
        crule = cplan.crule
        if crule is None:
            where = f"{path}/{fp.xml}" + (f"[{cid}]" if cid else "" if index is None else f"[{index}]")
            element, _, step = where.rpartition("/")  # split as the model path splits it
            out.unmapped.append(Unmapped(element, step, _preview_el(el)))
            return
        if cplan.identified and cid is not None:
            child_iri = object_iri(run.source, crule.iri_class, cid)
            step = f"{fp.xml}[{cid}]"
        else:
            child_iri = nested_iri(iri if parent is not None else run.source, fp.name, index)
            step = fp.xml + (f"[{cid}]" if cid else "" if index is None else f"[{index}]")
        node = f"<{child_iri}>"  # the source IRI, checked, and safe steps (quoted IDs, field names)
        g = run.tail
        if fp.pred and parent is not None:
            acc.append(f"{parent} {fp.pred} {node}{g}")
        if fp.index_pred and index is not None:
            acc.append(f'{node} {fp.index_pred} "{index}"{_INTEGER}{g}')
        self._element(cplan, crule, el, node, child_iri, label, f"{path}/{step}", run, out, acc)

    def _element(
        self,
        plan: _ClassPlan,
        crule: ClassRule,
        el: Any,
        node: str,
        iri: str,
        parent_label: str,
        path: str,
        run: _Run,
        out: MapResult,
        acc: list[str],
    ) -> None:
        # collect the values, converted as ome-types would, before making anything
        values: dict[str, Any] = {}
        attrs = plan.attrs
        for key, text in el.attrib.items():
            fp = attrs.get(key)
            if fp is None or fp.conv is None:
                raise _Fallback(f"attribute {key} of {plan.name}")
            try:
                values[fp.name] = fp.convert(text)
            except (ValueError, TypeError, pydantic.ValidationError) as exc:
                raise _Fallback(f"{plan.name}/@{key}={text!r}: {exc}") from exc
        groups: dict[str, list[Any]] = {}
        tags = plan.tags
        for child in el:
            fp = tags.get(child.tag)
            if fp is None:
                if not isinstance(child.tag, str):
                    continue
                raise _Fallback(f"element {etree.QName(child).localname} in {plan.name}")
            items = groups.get(fp.name)
            if items is None:
                groups[fp.name] = [child]
            else:
                items.append(child)
        text_fp = plan.text
        if text_fp is not None:
            text = el.text or ""
            if text or text_fp.required:
                try:
                    values[text_fp.name] = text_fp.convert(text) if text_fp.conv else text
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
        for fp in plan.required:
            if fp.name not in values and fp.name not in groups:
                raise _Fallback(f"required {fp.xml} missing in {plan.name}")

        if crule.node:
            g = run.tail
            out.objects[plan.name] += 1
            for rdf_type in plan.types:
                acc.append(f"{node} {_TYPE} {rdf_type}{g}")
            label_value = values.get(crule.label) if crule.label else None
            ident = values.get("id") if plan.identified else None
            if label_value:
                label = str(label_value)
            else:
                label = f"{plan.name} {ident}" if ident else plan.name
                if parent_label:
                    label += f" of {parent_label}"
            acc.append(f"{node} {_LABEL} {Literal(label)}{g}")
        else:
            label = parent_label
        for fp in plan.fields:
            if fp.child is not None:
                items = groups.get(fp.name)
                if items is not None:
                    self._children(plan, crule, fp, items, node, iri, label, path, run, out, acc)
            else:
                value = values.get(fp.name)
                if value is not None:
                    self._field(plan, fp, value, node, iri, path, values, run, out, acc)

    def _children(
        self,
        plan: _ClassPlan,
        crule: ClassRule,
        fp: _FieldPlan,
        items: list[Any],
        node: str,
        iri: str,
        label: str,
        path: str,
        run: _Run,
        out: MapResult,
        acc: list[str],
    ) -> None:
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
        kind = rule.kind
        g = run.tail
        if kind == "child":
            if rule.max_items is not None and fp.is_list and len(items) > rule.max_items:
                for item in items:
                    self._validate(fp.child, item)
                if fp.count_pred:
                    acc.append(f'{node} {fp.count_pred} "{len(items)}"{_INTEGER}{g}')
                out.dropped[f"{plan.name}.{fp.xml} (summarised)"] += len(items)
                return
            parent = node if crule.node else None
            if fp.is_list:
                for pos, item in enumerate(items):
                    self._child(fp, item, pos, parent, iri, label, path, run, out, acc)
            else:
                for item in items:
                    self._child(fp, item, None, parent, iri, label, path, run, out, acc)
        elif kind == "ref":
            assert rule.target is not None
            for item in items:
                ref_id = item.get("ID")
                self._validate(fp.child, item)
                if ref_id is None:
                    raise _Fallback(f"{fp.xml} without ID")
                acc.append(f"{node} {fp.pred} <{object_iri(run.source, rule.target, ref_id)}>{g}")
        elif kind == "drop":
            for item in items:
                self._validate(fp.child, item)
            out.dropped[f"{plan.name}.{fp.xml}"] += 1
        elif kind == "distinct":
            seen: dict[str, None] = {}
            for item in items:
                self._validate(fp.child, item)
                found = self._path_value(fp.child, item, rule.path)
                if found is not None:
                    seen[str(found)] = None
            for text in seen:
                acc.append(f"{node} {fp.pred} {Literal(text)}{g}")
            out.dropped[f"{plan.name}.{fp.xml}"] += len(items) if fp.is_list else 1
        else:
            raise _Fallback(f"{kind} rule for {plan.name}.{fp.name}")

    def _field(
        self,
        plan: _ClassPlan,
        fp: _FieldPlan,
        value: Any,
        node: str,
        iri: str,
        path: str,
        values: dict[str, Any],
        run: _Run,
        out: MapResult,
        acc: list[str],
    ) -> None:
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
        g = run.tail
        if kind == "literal":
            if rule.unit_name is not None:
                raise _Fallback("unit names are an NGFF rule")
            for v in value if isinstance(value, list) else (value,):
                acc.append(f"{node} {fp.pred} {self._literal(v)}{g}")
                if rule.terms is not None and fp.term_pred:
                    text = str(v.value if isinstance(v, enum.Enum) else v)
                    match = self.mapping.terms[rule.terms].get(text)
                    if match is not None:
                        acc.append(f"{node} {fp.term_pred} {self._term(match.term)}{g}")
                    elif text not in _NOT_A_TERM:
                        out.unresolved.append(Unmapped(path, fp.xml, f"{text} (no term in {rule.terms})"))
        elif kind == "quantity":
            self._quantity(plan, fp, value, node, iri, path, values, run, out, acc)
        elif kind == "unit":
            return
        elif kind == "id":
            acc.append(f"{node} {_ID} {Literal(str(value))}{g}")
        elif kind == "ref":
            assert rule.target is not None
            for v in value if isinstance(value, list) else (value,):
                acc.append(f"{node} {fp.pred} <{object_iri(run.source, rule.target, str(v))}>{g}")
        elif kind == "drop":
            out.dropped[f"{plan.name}.{fp.xml}"] += 1
        else:
            raise _Fallback(f"{kind} rule on attribute {plan.name}.{fp.name}")

    def _term(self, iri: str) -> str:
        node = self._terms.get(iri)
        if node is None:
            node = self._terms[iri] = _iri(iri)
        return node

    def _literal(self, value: Any) -> str:
        """``to_literal(value)`` in N-Triples syntax; the common types without making a Literal."""
        kind = type(value)
        if kind is str:
            return str(Literal(value))  # pyoxigraph escapes
        if kind is int:
            return f'"{value}"{_INTEGER}'
        if kind is float:
            return f'"{value!r}"{_DOUBLE}'
        if isinstance(value, enum.Enum):  # a few hundred members in all
            text = self._enum_literals.get(value)
            if text is None:
                text = self._enum_literals[value] = str(to_literal(value))
            return text
        return str(to_literal(value))

    def _quantity(
        self,
        plan: _ClassPlan,
        fp: _FieldPlan,
        value: Any,
        node: str,
        iri: str,
        path: str,
        values: dict[str, Any],
        run: _Run,
        out: MapResult,
        acc: list[str],
    ) -> None:
        rule = fp.rule
        assert rule is not None
        ufield = rule.unit_field or ""
        unit_value = values.get(ufield)
        if unit_value is None:
            ufp = plan.by_name.get(ufield)
            unit_value = ufp.default if ufp is not None else None
        symbol = str(unit_value.value if isinstance(unit_value, enum.Enum) else unit_value)
        g = run.tail
        unit = self._units.get(symbol)
        if unit is None:
            known = self.mapping.units.get(symbol)
            if known is None:
                acc.append(f"{node} {fp.pred} {self._literal(value)}{g}")
                ufp = plan.by_name.get(ufield)
                out.unmapped.append(Unmapped(path, ufp.xml if ufp else ufield, f"unknown unit {symbol!r}"))
                return
            unit = self._units[symbol] = _UnitTerms(known)
        number = float(value)
        text = repr(number)
        numbers = unit.literals.get(text)
        if numbers is None:
            si = unit.unit.to_si(number)
            numbers = (f'"{text}"{_DOUBLE}', f'"{si:E}"{_DOUBLE}' if si is not None else None)
            if len(unit.literals) >= _LITERAL_CACHE:
                unit.literals.clear()  # bounded: a plate repeats a few values per unit, not always
            unit.literals[text] = numbers
        q = f"<{iri}/{fp.name}>"  # below an IRI already checked
        acc.append(f"{node} {fp.pred} {q}{g}")
        acc.append(f"{q} {_TYPE} {_QUANTITY_VALUE}{g}")
        acc.append(f"{q} {_NUMERIC_VALUE} {numbers[0]}{g}")
        acc.append(f"{q} {_UNIT_P} {unit.unit_node}{g}")
        acc.append(f"{q} {_KIND_P} {unit.kind_node}{g}")
        if unit.uo_node:
            acc.append(f"{q} {_UO_P} {unit.uo_node}{g}")
        if numbers[1] is not None:
            acc.append(f"{q} {_SI_P} {numbers[1]}{g}")

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
