"""Instance data of the LinkML schema (shapes/schema/) as RDF quads.

Readers of REMBI documents, BioStudies submissions, RO-Crates, instrument descriptions and
analysis provenance records give a :class:`SchemaDocument`: plain dicts shaped like the schema's
classes (``{"title": ..., "components": [{...}]}``). This module turns them into quads with the
IRIs and predicates linkml-runtime's rdflib dumper writes for the same data (the profile shapes
target those; ``tests/test_rembi_ingest.py`` checks both give isomorphic graphs), but without
the generated dataclasses, so that an incomplete document (a study without a licence) is
ingested and then reported by ``kg validate --profile`` and ``kg completeness`` instead of being
refused.

- Slot names, predicate IRIs, ranges and cardinalities come from the schema through
  linkml-runtime's SchemaView (read once per process).
- Objects of classes with an identifier (every ``Thing``) get an IRI: an absolute IRI or a CURIE
  of the schema's prefixes given as ``id`` is kept; any other ``id`` is a local name, minted as
  ``{source}/{Class}/{id}`` (kg.iris.object_iri); without ``id``, ``{parent}/{slot}/{index}``
  (kg.iris.nested_iri). A reference to an object of the same document (``biosample: b1``) is the
  same minted IRI. Objects of other classes (quantities, seeds) are blank nodes, as in LinkML.
- Values are checked against the slot's range. In a *strict* document (YAML/JSON/CSV written
  for kg) a value that does not fit raises :class:`kg.errors.SourceError` naming the file, the
  element and what was expected; in a lenient one (a real BioStudies submission) it is reported
  as unmapped. Keys that are not slots of the class are always reported as unmapped.
- Free-text organisms and imaging methods are resolved to NCBITaxon and FBbi terms by a
  :class:`TermResolver` (exact matches only); what it cannot resolve stays as text and is
  reported as unresolved.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import SourceError
from kg.iris import nested_iri, object_iri
from kg.mapping.model_mapper import MapResult, Unmapped
from kg.namespaces import BKG, OME, RDF, XSD
from kg.resources import data_dir
from kg.store import SelectResult, Store

OBO = "http://purl.obolibrary.org/obo/"
NCBITAXON = OBO + "NCBITaxon_"
FBBI = OBO + "FBbi_"

_TYPES: dict[str, str] = {
    "string": XSD + "string",
    "integer": XSD + "integer",
    "double": XSD + "double",
    "float": XSD + "double",
    "decimal": XSD + "decimal",
    "boolean": XSD + "boolean",
    "date": XSD + "date",
    "datetime": XSD + "dateTime",
    "uri": "iri",
    "uriorcurie": "iri",
}
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_ABSOLUTE = re.compile(r"^(https?|urn|file|ftp|mailto):", re.IGNORECASE)


# -- the schema, as a table -----------------------------------------------------------------


@dataclass(frozen=True)
class SlotInfo:
    name: str
    uri: str
    range: str
    kind: str  # "class", "enum" or "type"
    multivalued: bool
    inlined: bool  # for class ranges: the value is the object itself, not a reference


@dataclass(frozen=True)
class ClassInfo:
    name: str
    uri: str
    identified: bool
    slots: dict[str, SlotInfo]
    ancestors: tuple[str, ...] = ()  # is_a parents and mixins, nearest first


@dataclass(frozen=True)
class SchemaTable:
    classes: dict[str, ClassInfo]
    enums: dict[str, dict[str, str | None]]  # enum -> permissible value -> meaning IRI (or None)
    prefixes: dict[str, str]

    def expand(self, value: str) -> str | None:
        """An absolute IRI for an IRI or a CURIE of the schema's prefixes, else None."""
        v = value.strip()
        if _ABSOLUTE.match(v):
            return v if _IRI.match(v) else None
        prefix, sep, local = v.partition(":")
        if sep and prefix in self.prefixes and " " not in local:
            return self.prefixes[prefix] + local
        return None

    def slot_uri(self, cls: str, slot: str) -> str:
        return self.classes[cls].slots[slot].uri


@functools.cache
def schema_table() -> SchemaTable:
    """The schema's classes and slots (linkml-runtime's SchemaView; about a second, once)."""
    from linkml_runtime.utils.schemaview import SchemaView

    sv = SchemaView(str(data_dir("shapes") / "schema" / "bioimage_kg.yaml"))
    enums = {
        name: {
            text: (str(sv.expand_curie(pv.meaning)) if pv.meaning else None)
            for text, pv in sv.get_enum(name).permissible_values.items()
        }
        for name in sv.all_enums()
    }
    classes: dict[str, ClassInfo] = {}
    for name in sv.all_classes():
        slots = {}
        for s in sv.class_induced_slots(name):
            if s.name == "id":
                continue
            rng = str(s.range or "string")
            kind = "class" if rng in sv.all_classes() else "enum" if rng in enums else "type"
            inlined = bool(s.inlined) or (kind == "class" and sv.get_identifier_slot(rng) is None)
            slots[s.name] = SlotInfo(
                name=s.name,
                uri=str(sv.get_uri(s, expand=True)),
                range=rng,
                kind=kind,
                multivalued=bool(s.multivalued),
                inlined=inlined,
            )
        classes[name] = ClassInfo(
            name=name,
            uri=str(sv.get_uri(name, expand=True)),
            identified=sv.get_identifier_slot(name) is not None,
            slots=slots,
            ancestors=tuple(a for a in sv.class_ancestors(name) if a != name),
        )
    prefixes = {k: str(v) for k, v in sv.namespaces().items()}
    return SchemaTable(classes=classes, enums=enums, prefixes=prefixes)


# -- what readers give ------------------------------------------------------------------------


@dataclass
class SchemaDocument:
    """A source read into instance data of the schema.

    ``roots`` are (class name, dict) pairs; ``strict`` says whether a value that does not fit
    its slot is an error (documents written for kg) or reported (real-world submissions);
    ``unmapped`` is what the reader itself could not place (a BioStudies attribute no alias
    names); ``image_files`` is not used by readers (the mapper links image data to OME images).
    """

    roots: list[tuple[str, dict[str, Any]]]
    name: str  # the file, for messages
    strict: bool = True
    unmapped: list[Unmapped] = field(default_factory=list)
    unresolved: list[Unmapped] = field(default_factory=list)


# -- ontology terms ---------------------------------------------------------------------------


class TermResolver:
    """Free text to ontology terms, exact matches only.

    - Imaging methods: the schema's ImagingMethod values (each with its FBbi term), compared
      without case; then, when the ontology layer's term index is built for the store, FBbi
      labels and exact synonyms.
    - Organisms: NCBITaxon labels and exact synonyms in the term index; "Homo sapiens (human)"
      is tried whole, then as "Homo sapiens" and "human".
    Without a term index only the first rule applies; the rest is reported as unresolved.
    """

    def __init__(self, index: Any = None) -> None:
        self.index = index  # a kg.ontology.index.TermIndex, or None
        table = schema_table()
        self._methods = {k.casefold(): v for k, v in table.enums["ImagingMethod"].items() if v}

    def _exact(self, text: str, ontology: str, namespace: str) -> str | None:
        if self.index is None:
            return None
        try:
            res = self.index.search(text, ontologies=[ontology], limit=5, fuzzy=False)
        except Exception:  # a stale or foreign index must not break ingest
            return None
        exact = {
            h.term.iri
            for h in res.hits
            if h.match in ("exact label", "exact synonym", "iri", "curie")
            and h.term.iri.startswith(namespace)
            and not h.term.obsolete
        }
        return exact.pop() if len(exact) == 1 else None

    def imaging_method(self, text: str) -> str | None:
        t = " ".join(text.split())
        return self._methods.get(t.casefold()) or self._exact(t, "fbbi", FBBI)

    def organism(self, text: str) -> str | None:
        t = " ".join(text.split())
        candidates = [t]
        m = re.match(r"^(.*?)\s*\(([^()]*)\)\s*$", t)
        if m:
            candidates += [m.group(1), m.group(2)]
        for c in candidates:
            iri = self._exact(c, "ncbitaxon", NCBITAXON)
            if iri:
                return iri
        return None


def taxon_iri(value: str) -> str | None:
    """An NCBITaxon IRI for the ways submissions write a taxon id: ``9606``, ``NCBITaxon:9606``,
    ``NCBITaxon_9606``, ``NCBI:txid9606``, ``txid9606`` or the full IRI."""
    v = value.strip()
    m = re.fullmatch(
        r"(?:(?:https?://purl\.obolibrary\.org/obo/)?NCBITaxon[_:]|(?:NCBI\s*:\s*)?txid|taxon:)?\s*([0-9]+)",
        v,
        re.IGNORECASE,
    )
    return f"{NCBITAXON}{m.group(1)}" if m else None


def fbbi_iri(value: str) -> str | None:
    """An FBbi IRI for ``FBbi:00000251``, ``fbbi_00000251``, ``00000251`` or the full IRI."""
    m = re.fullmatch(
        r"(?:(?:https?://purl\.obolibrary\.org/obo/)?FBbi[_:])?\s*([0-9]{8})", value.strip(), re.I
    )
    return f"{FBBI}{m.group(1)}" if m else None


# -- the mapper -------------------------------------------------------------------------------


def _preview(value: Any) -> str:
    if isinstance(value, dict):
        return f"an object with {len(value)} field(s)"
    if isinstance(value, list):
        return f"{len(value)} item(s)"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _BadValue(Exception):
    """A value that does not fit its slot: what was found, what was expected."""

    def __init__(self, problem: str, expected: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.expected = expected


def _bad(problem: str, expected: str) -> _BadValue:
    return _BadValue(problem, expected)


@dataclass
class _Ctx:
    doc: SchemaDocument
    source: str
    graph: ox.NamedNode
    table: SchemaTable
    resolver: TermResolver
    result: MapResult
    local: dict[tuple[str, str], str] = field(default_factory=dict)  # (class, local id) -> IRI
    by_iri: dict[str, str] = field(default_factory=dict)  # IRI -> class of each object
    image_files: list[tuple[ox.NamedNode, list[str]]] = field(default_factory=list)  # image data, paths
    emitted: set[str] = field(default_factory=set)  # objects written (one placed twice is written once)


class DocumentMapper:
    """Maps SchemaDocuments to quads (see the module docstring)."""

    def __init__(self, resolver: TermResolver | None = None, store: Store | None = None) -> None:
        self.table = schema_table()
        self.resolver = resolver or TermResolver()
        self.store = store  # where OME images are looked up (None: no links)

    def map(self, doc: SchemaDocument, *, source_iri: str, graph: ox.NamedNode) -> MapResult:
        result = MapResult()
        result.unmapped += doc.unmapped
        result.unresolved += doc.unresolved
        ctx = _Ctx(doc, source_iri, graph, self.table, self.resolver, result)
        # first pass: the IRI of every object, so that references can point forward
        for i, (cls, data) in enumerate(doc.roots):
            self._check_class(cls, doc)
            iri = self._mint(ctx, cls, data, None, cls, i if len(doc.roots) > 1 else None, root=True)
            self._collect(ctx, cls, data, iri, cls)
        for i, (cls, data) in enumerate(doc.roots):
            iri = self._mint(ctx, cls, data, None, cls, i if len(doc.roots) > 1 else None, root=True)
            ctx.emitted.add(iri)
            result.quads.extend(self._object(ctx, cls, data, ox.NamedNode(iri), cls))
        if self.store is not None and ctx.image_files:
            result.quads.extend(self._ome_links(ctx))
        return result

    def _ome_links(self, ctx: _Ctx) -> Iterator[ox.Quad]:
        """Image data name their files; where a source of the same file (same name, and the
        path's folders at the end of its location) was ingested, its ome:Image objects are
        linked with bkg:omeImage. The rule is in docs/rembi.md."""
        assert self.store is not None
        pred = ox.NamedNode(self.table.slot_uri("ImageData", "ome_images"))
        found: dict[str, list[tuple[str, str]]] = {}  # file name -> (source location, image)
        for node, paths in ctx.image_files:
            for path in paths:
                clean = path.replace("\\", "/").strip().removeprefix("./").rstrip("/")
                base = clean.rsplit("/", 1)[-1]
                if not base:
                    continue
                if base not in found:
                    res = self.store.query(
                        "SELECT ?name ?src ?img WHERE { GRAPH ?g { ?g a <" + BKG + "Source> ; "
                        "<http://www.w3.org/2000/01/rdf-schema#label> ?name ; "
                        "<http://purl.org/dc/terms/source> ?src . ?img a <" + OME + "Image> } }",
                        substitutions={"name": ox.Literal(base)},
                    )
                    assert isinstance(res, SelectResult)
                    found[base] = [
                        (r[1].value, r[2].value)
                        for r in res.rows
                        if isinstance(r[1], ox.NamedNode | ox.Literal) and isinstance(r[2], ox.NamedNode)
                    ]
                for src, img in found[base]:
                    if src.rstrip("/").endswith("/" + clean):
                        yield ox.Quad(node, pred, ox.NamedNode(img), ctx.graph)

    def _check_class(self, cls: str, doc: SchemaDocument) -> None:
        if cls not in self.table.classes:
            raise SourceError(doc.name, f"unknown schema class {cls!r}", expected="a class of shapes/schema")

    # ---- IRIs ----

    def _mint(
        self,
        ctx: _Ctx,
        cls: str,
        data: dict[str, Any],
        parent: str | None,
        slot: str,
        index: int | None,
        *,
        root: bool = False,
    ) -> str:
        given = data.get("id")
        if given not in (None, ""):
            text = str(given).strip()
            iri = ctx.table.expand(text)
            if iri is not None:
                return iri
            return object_iri(ctx.source, cls, text)
        if root:
            return object_iri(ctx.source, cls, str((index or 0) + 1))
        assert parent is not None
        return nested_iri(parent, slot, index)

    def _collect(self, ctx: _Ctx, cls: str, data: dict[str, Any], iri: str, where: str) -> None:
        info = ctx.table.classes[cls]
        given = data.get("id")
        if given not in (None, ""):
            local_key = (cls, str(given).strip())
            if ctx.doc.strict and local_key in ctx.local:
                raise SourceError(
                    ctx.doc.name,
                    f"two {cls} objects have the id {given!r}",
                    element=where,
                    expected="a different id for each object",
                )
            ctx.local[local_key] = iri
            for sup in info.ancestors:  # a reference may name a parent class (a LightSource)
                ctx.local.setdefault((sup, str(given).strip()), iri)
        ctx.by_iri[iri] = cls
        for key, value in data.items():
            slot = info.slots.get(key)
            if slot is None or slot.kind != "class" or not slot.inlined:
                continue
            target = ctx.table.classes[slot.range]
            if not target.identified:
                continue
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    idx = i if slot.multivalued else None
                    child = self._mint(ctx, slot.range, item, iri, key, idx)
                    self._collect(ctx, slot.range, item, child, f"{where}/{key}[{i}]")

    def _reference(self, ctx: _Ctx, value: Any, slot: SlotInfo, where: str) -> ox.NamedNode:
        if isinstance(value, dict):
            value = value.get("id")
        if not isinstance(value, str) or not value.strip():
            raise _bad(f"{_preview(value)!s}", f"the id of a {slot.range} (a reference)")
        text = value.strip()
        iri = ctx.table.expand(text)
        if iri is not None:
            return ox.NamedNode(iri)
        found = ctx.local.get((slot.range, text))
        if found is None:
            known = sorted(k[1] for k in ctx.local if k[0] == slot.range)
            raise _bad(
                f"refers to {text!r}, which no {slot.range} in this document has as its id",
                f"one of: {', '.join(known)}" if known else f"the id of a {slot.range} of this document",
            )
        return ox.NamedNode(found)

    # ---- values ----

    def _object(
        self, ctx: _Ctx, cls: str, data: dict[str, Any], node: ox.NamedNode | ox.BlankNode, where: str
    ) -> Iterator[ox.Quad]:
        info = ctx.table.classes[cls]
        g = ctx.graph
        ctx.result.objects[cls] += 1
        yield ox.Quad(node, ox.NamedNode(RDF + "type"), ox.NamedNode(info.uri), g)
        self._resolve_terms(ctx, cls, data, where)
        if cls == "ImageData" and isinstance(node, ox.NamedNode) and not data.get("ome_images"):
            files = data.get("files") or []
            paths = [str(f["path"]) for f in files if isinstance(f, dict) and f.get("path")]
            if paths:
                ctx.image_files.append((node, paths))
        for key, value in data.items():
            if key == "id" or key.startswith("_"):
                continue
            slot = info.slots.get(key)
            if slot is None:
                ctx.result.unmapped.append(Unmapped(where, key, _preview(value)))
                continue
            if value is None or value == "" or value == []:
                continue
            items = value if isinstance(value, list) else [value]
            if not slot.multivalued and len(items) > 1:
                self._problem(ctx, where, key, items, f"{len(items)} values", "one value")
                items = items[:1]
            pred = ox.NamedNode(slot.uri)
            for i, item in enumerate(items):
                if item is None or item == "":
                    continue
                here = f"{where}/{key}[{i}]" if slot.multivalued else f"{where}/{key}"
                try:
                    if slot.kind == "class" and slot.inlined:
                        if not isinstance(item, dict):
                            raise _bad(_preview(item), f"a {slot.range} object (a mapping of its fields)")
                        target = ctx.table.classes[slot.range]
                        child: ox.NamedNode | ox.BlankNode
                        if target.identified:
                            parent = node.value if isinstance(node, ox.NamedNode) else ctx.source
                            child = ox.NamedNode(
                                self._mint(
                                    ctx, slot.range, item, parent, key, i if slot.multivalued else None
                                )
                            )
                        else:
                            child = ox.BlankNode()
                        yield ox.Quad(node, pred, child, g)
                        if isinstance(child, ox.NamedNode):
                            if child.value in ctx.emitted:
                                continue
                            ctx.emitted.add(child.value)
                        yield from self._object(ctx, slot.range, item, child, here)
                    elif slot.kind == "class":
                        yield ox.Quad(node, pred, self._reference(ctx, item, slot, here), g)
                    elif slot.kind == "enum":
                        yield ox.Quad(node, pred, self._enum(ctx, slot, item), g)
                    else:
                        yield ox.Quad(node, pred, self._literal(ctx, slot, item), g)
                except _BadValue as bad:
                    self._problem(
                        ctx,
                        where,
                        key if not slot.multivalued else f"{key}[{i}]",
                        item,
                        bad.problem,
                        bad.expected,
                    )

    def _problem(self, ctx: _Ctx, where: str, key: str, value: Any, problem: str, expected: str) -> None:
        if ctx.doc.strict:
            raise SourceError(ctx.doc.name, f"{key}: {problem}", element=where, expected=expected)
        ctx.result.unmapped.append(
            Unmapped(where, key, f"{_preview(value)} ({problem}; expected {expected})")
        )

    def _enum(self, ctx: _Ctx, slot: SlotInfo, value: Any) -> ox.NamedNode | ox.Literal:
        values = ctx.table.enums[slot.range]
        text = str(value).strip()
        if isinstance(value, str) and text in values:
            meaning = values[text]
            return ox.NamedNode(meaning) if meaning else ox.Literal(text)
        if slot.range == "ImagingMethod":
            iri = fbbi_iri(text) or (text if text.startswith(FBBI) else None)
            if iri:
                return ox.NamedNode(iri)
        if not ctx.doc.strict:  # lenient: case, spaces and underscores do not matter
            key = re.sub(r"[\s_-]+", " ", text).casefold()
            for pv, meaning in values.items():
                if re.sub(r"[\s_-]+", " ", pv).casefold() == key:
                    return ox.NamedNode(meaning) if meaning else ox.Literal(pv)
        raise _bad(repr(text) + " is not an allowed value", "one of: " + ", ".join(values))

    def _literal(self, ctx: _Ctx, slot: SlotInfo, value: Any) -> ox.NamedNode | ox.Literal:
        dtype = _TYPES.get(slot.range, XSD + "string")
        if dtype == "iri":
            iri = ctx.table.expand(str(value)) if isinstance(value, str) else None
            if iri is None:
                raise _bad(
                    f"{_preview(value)!r} is not an IRI", "an absolute IRI or a CURIE such as NCBITaxon:9606"
                )
            return ox.NamedNode(iri)
        if dtype == XSD + "string":
            if isinstance(value, dict | list):
                raise _bad(_preview(value), "text")
            if isinstance(value, bool):
                value = "true" if value else "false"
            if isinstance(value, dt.date | dt.datetime):
                value = value.isoformat()
            return ox.Literal(str(value))
        if dtype == XSD + "boolean":
            if isinstance(value, bool):
                return ox.Literal("true" if value else "false", datatype=ox.NamedNode(dtype))
            if isinstance(value, str) and value.strip().lower() in ("true", "false"):
                return ox.Literal(value.strip().lower(), datatype=ox.NamedNode(dtype))
            raise _bad(f"{_preview(value)!r}", "true or false")
        if dtype == XSD + "integer":
            if isinstance(value, bool) or not isinstance(value, int | str | float):
                raise _bad(f"{_preview(value)!r}", "a whole number")
            try:
                f = float(value) if not isinstance(value, int) else value
                if isinstance(f, float) and (not math.isfinite(f) or f != int(f)):
                    raise ValueError
                n = int(f)
            except (ValueError, OverflowError):
                raise _bad(f"{_preview(value)!r} is not a whole number", "a whole number") from None
            return ox.Literal(str(n), datatype=ox.NamedNode(dtype))
        if dtype in (XSD + "double", XSD + "decimal"):
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise _bad(f"{_preview(value)!r}", "a number")
            try:
                f = float(value)
            except ValueError:
                raise _bad(f"{_preview(value)!r} is not a number", "a number") from None
            if not math.isfinite(f):
                raise _bad(f"{value!r} is not a finite number", "a number")
            return ox.Literal(
                repr(f) if dtype.endswith("double") else str(value), datatype=ox.NamedNode(dtype)
            )
        if dtype == XSD + "date":
            text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                raise _bad(f"{text!r} is not a date", "a date as YYYY-MM-DD") from None
            return ox.Literal(text, datatype=ox.NamedNode(dtype))
        if dtype == XSD + "dateTime":
            text = value.isoformat() if isinstance(value, dt.datetime) else str(value).strip()
            try:
                dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            except ValueError:
                raise _bad(f"{text!r} is not a date and time", "an ISO 8601 date-time") from None
            return ox.Literal(text, datatype=ox.NamedNode(dtype))
        return ox.Literal(str(value), datatype=ox.NamedNode(dtype))

    # ---- terms ----

    def _resolve_terms(self, ctx: _Ctx, cls: str, data: dict[str, Any], where: str) -> None:
        """Fill organism / imaging_method from the free text when no term was given; report
        what stays text. Changes ``data`` in place (before its slots are written)."""
        if cls == "Biosample" and data.get("organism_name") and not data.get("organism"):
            name = str(data["organism_name"])
            iri = ctx.resolver.organism(name)
            if iri:
                data["organism"] = [iri]
            else:
                ctx.result.unresolved.append(Unmapped(where, "organism_name", name))
        if cls == "ImageAcquisition" and data.get("imaging_method_name"):
            names = data["imaging_method_name"]
            names = names if isinstance(names, list) else [names]
            given = data.get("imaging_method") or []
            given = given if isinstance(given, list) else [given]
            if len(given) >= len(names):
                return  # a term for every name was given
            terms = list(given)
            for n in names:
                iri = ctx.resolver.imaging_method(str(n))
                if iri:
                    terms.append(iri)
                elif not given:
                    ctx.result.unresolved.append(Unmapped(where, "imaging_method_name", str(n)))
            if len(terms) < len(names) and given:  # some names without a term; which, is unknown
                ctx.result.unresolved.append(
                    Unmapped(
                        where,
                        "imaging_method_name",
                        f"{len(names) - len(terms)} of {len(names)} without a term",
                    )
                )
            if terms:
                data["imaging_method"] = list(dict.fromkeys(terms))


def document_mapper_for(store: Store, store_path: Path | None, endpoint: str | None) -> DocumentMapper:
    """The mapper ingest uses: OME links looked up in ``store``; ontology terms resolved with
    the ontology layer's term index when it has been built for this store (``kg terms`` /
    ``kg ontologies`` build it; see docs/ontologies.md), else with the schema's own list."""
    index = None
    try:
        from kg.ontology.index import TermIndex, default_cache_path

        cache = default_cache_path(store_path, endpoint)
        if cache.exists():
            index = TermIndex.load(cache)
    except Exception:  # the ontology layer is optional: without it terms stay unresolved
        index = None
    return DocumentMapper(TermResolver(index), store=store)


__all__ = [
    "BKG",
    "DocumentMapper",
    "SchemaDocument",
    "SchemaTable",
    "TermResolver",
    "document_mapper_for",
    "fbbi_iri",
    "schema_table",
    "taxon_iri",
]
