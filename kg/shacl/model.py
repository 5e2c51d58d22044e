"""A SHACL shapes graph read into plain objects: shapes, targets, paths and constraints.

Which nodes are shapes follows the SHACL specification as pySHACL reads it: nodes typed
``sh:NodeShape`` or ``sh:PropertyShape``, subjects of targets, ``sh:property`` or ``sh:node``,
and values of shape-expecting parameters (``sh:property``, ``sh:node``, ``sh:not``,
``sh:qualifiedValueShape`` and the members of ``sh:and``, ``sh:or``, ``sh:xone`` lists).

Every ``sh:`` predicate on a shape is either understood, known to carry no constraint
(``sh:name``, ``sh:description``, ``sh:order``...), or recorded in :attr:`Shape.unsupported`,
so that nothing in a shape is skipped without the compiler knowing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Node, URIRef

from kg.errors import ValidationSetupError
from kg.namespaces import OWL, RDF, RDFS, SH, XSD

Term = ox.NamedNode | ox.BlankNode | ox.Literal
TargetKind = Literal["class", "node", "subjectsOf", "objectsOf"]

_SH = rdflib.Namespace(SH)
_RDF_TYPE = URIRef(RDF + "type")
_RDF_FIRST = URIRef(RDF + "first")
_RDF_REST = URIRef(RDF + "rest")
_RDF_NIL = URIRef(RDF + "nil")
_RDFS_CLASS = URIRef(RDFS + "Class")
_RDFS_SUBCLASSOF = URIRef(RDFS + "subClassOf")
_OWL_CLASS = URIRef(OWL + "Class")

# sh: predicates that describe a shape without constraining anything.
_DESCRIPTIVE = frozenset(
    SH + p
    for p in (
        "name", "description", "order", "group", "defaultValue", "prefixes", "declare",
        "codeIdentifier", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf",
        "property", "path", "severity", "message", "deactivated", "flags", "ignoredProperties",
    )
)  # fmt: skip
# Parameters this package compiles; the value is the constraint component's local name.
COMPONENTS: dict[str, str] = {
    "class": "ClassConstraintComponent",
    "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent",
    "minCount": "MinCountConstraintComponent",
    "maxCount": "MaxCountConstraintComponent",
    "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent",
    "minExclusive": "MinExclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent",
    "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent",
    "pattern": "PatternConstraintComponent",
    "languageIn": "LanguageInConstraintComponent",
    "in": "InConstraintComponent",
    "hasValue": "HasValueConstraintComponent",
    "node": "NodeConstraintComponent",
    "not": "NotConstraintComponent",
    "and": "AndConstraintComponent",
    "or": "OrConstraintComponent",
    "xone": "XoneConstraintComponent",
    "closed": "ClosedConstraintComponent",
    "equals": "EqualsConstraintComponent",
    "disjoint": "DisjointConstraintComponent",
}
_TARGET_KINDS: dict[str, TargetKind] = {
    "targetClass": "class",
    "targetNode": "node",
    "targetSubjectsOf": "subjectsOf",
    "targetObjectsOf": "objectsOf",
}
NODE_KINDS = frozenset(
    SH + k for k in ("IRI", "BlankNode", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral")
)


# -- paths -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """A SHACL property path. :meth:`sparql` is the same path in SPARQL syntax, which is also
    the key results are compared by."""

    def sparql(self) -> str:
        raise NotImplementedError

    def words(self) -> str:
        """A short human form: the last segment of each IRI."""
        raise NotImplementedError


@dataclass(frozen=True)
class PredicatePath(Path):
    iri: str

    def sparql(self) -> str:
        return str(ox.NamedNode(self.iri))

    def words(self) -> str:
        return self.iri.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1].replace("_", " ")


@dataclass(frozen=True)
class InversePath(Path):
    path: Path

    def sparql(self) -> str:
        return f"^({self.path.sparql()})"

    def words(self) -> str:
        return f"inverse of {self.path.words()}"


@dataclass(frozen=True)
class SequencePath(Path):
    steps: tuple[Path, ...]

    def sparql(self) -> str:
        return "(" + "/".join(s.sparql() for s in self.steps) + ")"

    def words(self) -> str:
        return " / ".join(s.words() for s in self.steps)


@dataclass(frozen=True)
class AlternativePath(Path):
    options: tuple[Path, ...]

    def sparql(self) -> str:
        return "(" + "|".join(s.sparql() for s in self.options) + ")"

    def words(self) -> str:
        return " or ".join(s.words() for s in self.options)


@dataclass(frozen=True)
class RepeatPath(Path):
    path: Path
    mod: Literal["*", "+", "?"]

    def sparql(self) -> str:
        return f"({self.path.sparql()}){self.mod}"

    def words(self) -> str:
        return f"{self.path.words()}{self.mod}"


# -- shapes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    term: Term


@dataclass(frozen=True)
class Constraint:
    """One constraint: ``param`` is the parameter's local name (``minCount``), ``value`` its
    value: an int, a term, a tuple of terms, a shape id or a tuple of shape ids, or for
    ``pattern`` a (pattern, flags) pair and for ``closed`` the allowed predicate IRIs."""

    param: str
    value: Any

    @property
    def component(self) -> str:
        return SH + COMPONENTS[self.param]


@dataclass
class Shape:
    id: str  # the IRI, or "_:" + the blank node's id in the shapes graph
    node: Node  # the node in the shapes graph
    path: Path | None  # None for a node shape
    targets: list[Target] = field(default_factory=list)
    constraints: list[Constraint] = field(default_factory=list)
    properties: list[str] = field(default_factory=list)  # ids of the sh:property shapes
    severity: str = SH + "Violation"
    messages: tuple[str, ...] = ()
    name: str | None = None
    label: str | None = None
    deactivated: bool = False
    unsupported: list[str] = field(default_factory=list)  # "sh:lessThan", ...

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def describe(self) -> str:
        kind = "property shape" if self.is_property else "node shape"
        return f"{kind} {self.id}" + (f" ({self.name or self.label})" if self.name or self.label else "")


def shape_id(node: Node) -> str:
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def to_ox(term: Node, where: str = "") -> Term:
    """An rdflib term as a pyoxigraph term (whose ``str`` is escaped N-Triples syntax)."""
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        if isinstance(term, rdflib.Literal):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as exc:
        raise ValidationSetupError(f"{where}: {term!r} is not a valid RDF term: {exc}") from exc
    raise ValidationSetupError(f"{where}: unexpected node {term!r}")


class ShapesModel:
    """All shapes of one shapes graph, by id."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self.shapes: dict[str, Shape] = {}
        self.parents: dict[str, list[str]] = {}  # property shape id -> ids of shapes that use it
        self._custom_params = self._custom_parameters()
        class_types = {_RDFS_CLASS, _OWL_CLASS, *graph.subjects(_RDFS_SUBCLASSOF, _RDFS_CLASS)}
        for node in sorted(self._shape_nodes(), key=shape_id):
            shape = self.shape(node)
            if any(t in class_types for t in graph.objects(node, _RDF_TYPE)) and isinstance(node, URIRef):
                shape.targets.append(Target("class", ox.NamedNode(str(node))))

    # which nodes are shapes (as pySHACL finds them)
    def _shape_nodes(self) -> set[Node]:
        g = self.graph
        found: set[Node] = set(g.subjects(_RDF_TYPE, _SH.NodeShape)) | set(
            g.subjects(_RDF_TYPE, _SH.PropertyShape)
        )
        for p in ("targetClass", "targetNode", "targetObjectsOf", "targetSubjectsOf", "property", "node"):
            found.update(g.subjects(_SH[p], None))
        for p in ("property", "node", "not", "qualifiedValueShape"):
            found.update(g.objects(None, _SH[p]))
        for p in ("and", "or", "xone"):
            for lst in g.objects(None, _SH[p]):
                found.update(self._list(lst, f"sh:{p} list"))
        return {n for n in found if isinstance(n, URIRef | BNode)}

    def _custom_parameters(self) -> set[str]:
        """Predicates that are parameters of constraint components the shapes graph defines
        itself (SHACL-SPARQL): the compiler cannot run those."""
        g = self.graph
        params: set[str] = set()
        for cc in g.subjects(_RDF_TYPE, _SH.ConstraintComponent):
            for prm in g.objects(cc, _SH.parameter):
                params.update(str(p) for p in g.objects(prm, _SH.path))
        return params

    def _list(self, node: Node, what: str) -> list[Node]:
        return read_list(self.graph, node, what)

    def path(self, node: Node, where: str) -> Path:
        return read_path(self.graph, node, where)

    def shape(self, node: Node) -> Shape:
        """The shape at ``node``, read on first use."""
        sid = shape_id(node)
        if sid in self.shapes:
            return self.shapes[sid]
        g = self.graph
        where = f"shape {sid}"
        paths = list(g.objects(node, _SH.path))
        if len(paths) > 1:
            raise ValidationSetupError(
                f"{where}: a property shape has exactly one sh:path, found {len(paths)}"
            )
        if paths and (node, _RDF_TYPE, _SH.NodeShape) in g:
            raise ValidationSetupError(f"{where}: a sh:NodeShape cannot have a sh:path")
        if not paths and (node, _RDF_TYPE, _SH.PropertyShape) in g:
            raise ValidationSetupError(f"{where}: a sh:PropertyShape needs a sh:path")
        shape = Shape(sid, node, self.path(paths[0], where) if paths else None)
        self.shapes[sid] = shape  # before reading references, so that cycles end here
        self._read(shape)
        return shape

    def _read(self, shape: Shape) -> None:
        g = self.graph
        node = shape.node
        where = f"shape {shape.id}"
        messages: list[tuple[int, str]] = []
        groups: dict[str, list[Node]] = {}
        for p, o in g.predicate_objects(node):
            groups.setdefault(str(p), []).append(o)
        for pred, objs in sorted(groups.items()):
            local = pred[len(SH) :] if pred.startswith(SH) else None
            if pred in self._custom_params:
                shape.unsupported.append(f"<{pred}> (a SHACL-SPARQL constraint component parameter)")
                continue
            if local is None:
                continue
            if local in ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf"):
                kind = _TARGET_KINDS[local]
                shape.targets.extend(Target(kind, to_ox(o, where)) for o in objs)
            elif local == "severity":
                shape.severity = str(objs[0])
            elif local == "message":
                for o in objs:
                    lang = o.language if isinstance(o, rdflib.Literal) else None
                    messages.append((0 if not lang else 1 if lang.startswith("en") else 2, str(o)))
            elif local == "name":
                shape.name = str(sorted(objs, key=_lang_rank)[0])
            elif local == "deactivated":
                shape.deactivated = any(isinstance(o, rdflib.Literal) and o.value is True for o in objs)
            elif local == "property":
                for o in sorted(objs, key=shape_id):
                    child = shape_id(o)
                    shape.properties.append(child)
                    self.parents.setdefault(child, []).append(shape.id)
            elif local in COMPONENTS:
                self._constraint(shape, local, objs, where)
            elif pred not in _DESCRIPTIVE:
                shape.unsupported.append(f"sh:{local}")
        labels = sorted(g.objects(node, URIRef(RDFS + "label")), key=_lang_rank)
        shape.label = str(labels[0]) if labels else None
        shape.messages = tuple(m for _, m in sorted(messages))
        # read referenced shapes now, so that their errors name them
        for c in shape.constraints:
            if c.param in ("node", "not", "and", "or", "xone"):
                for ref in c.value if isinstance(c.value, tuple) else (c.value,):
                    self.shape(self._node_of(ref))
        for child in shape.properties:
            prop = self.shape(self._node_of(child))
            if not prop.is_property:
                raise ValidationSetupError(f"{where}: the value of sh:property, {child}, has no sh:path")

    def _node_of(self, sid: str) -> Node:
        return BNode(sid[2:]) if sid.startswith("_:") else URIRef(sid)

    def _constraint(self, shape: Shape, local: str, objs: list[Node], where: str) -> None:
        g = self.graph
        add = shape.constraints.append
        if local in ("minCount", "maxCount", "minLength", "maxLength"):
            for o in objs:
                if not isinstance(o, rdflib.Literal) or not isinstance(o.value, int) or o.value < 0:
                    raise ValidationSetupError(
                        f"{where}: sh:{local} must be a non-negative integer, found {o!r}"
                    )
                if local in ("minCount", "maxCount") and not shape.is_property:
                    raise ValidationSetupError(f"{where}: sh:{local} is allowed on property shapes only")
                add(Constraint(local, int(o.value)))
        elif local == "datatype":
            if len(objs) > 1:
                raise ValidationSetupError(f"{where}: a shape has at most one sh:datatype")
            if not isinstance(objs[0], URIRef):
                raise ValidationSetupError(f"{where}: sh:datatype must be an IRI, found {objs[0]!r}")
            add(Constraint(local, str(objs[0])))
        elif local == "nodeKind":
            if len(objs) > 1 or str(objs[0]) not in NODE_KINDS:
                raise ValidationSetupError(
                    f"{where}: sh:nodeKind must be one of sh:IRI, sh:BlankNode, sh:Literal, "
                    f"sh:BlankNodeOrIRI, sh:BlankNodeOrLiteral, sh:IRIOrLiteral; found {objs}"
                )
            add(Constraint(local, str(objs[0])))
        elif local == "class":
            for o in objs:
                if not isinstance(o, URIRef):
                    shape.unsupported.append("sh:class with a blank node or literal value")
                else:
                    add(Constraint(local, ox.NamedNode(str(o))))
        elif local in ("minInclusive", "maxInclusive", "minExclusive", "maxExclusive"):
            for o in objs:
                if not isinstance(o, rdflib.Literal):
                    raise ValidationSetupError(f"{where}: sh:{local} must be a literal, found {o!r}")
                add(Constraint(local, to_ox(o, where)))
        elif local == "pattern":
            flags = g.value(shape.node, _SH.flags)
            for o in objs:
                if not isinstance(o, rdflib.Literal):
                    raise ValidationSetupError(f"{where}: sh:pattern must be a literal, found {o!r}")
                add(Constraint(local, (str(o), str(flags) if flags is not None else "")))
        elif local == "languageIn":
            for o in objs:
                add(Constraint(local, tuple(str(x) for x in self._list(o, "sh:languageIn list"))))
        elif local == "in":
            for o in objs:
                members = self._list(o, "sh:in list")
                if any(isinstance(m, BNode) for m in members):
                    shape.unsupported.append("sh:in with a blank node member")
                else:
                    add(Constraint(local, tuple(to_ox(m, where) for m in members)))
        elif local == "hasValue":
            for o in objs:
                if isinstance(o, BNode):
                    shape.unsupported.append("sh:hasValue with a blank node")
                else:
                    add(Constraint(local, to_ox(o, where)))
        elif local in ("node", "not"):
            for o in objs:
                add(Constraint(local, shape_id(o)))
        elif local in ("and", "or", "xone"):
            for o in objs:
                members = self._list(o, f"sh:{local} list")
                if not members:
                    raise ValidationSetupError(f"{where}: sh:{local} needs a list of at least one shape")
                add(Constraint(local, tuple(shape_id(m) for m in members)))
        elif local == "closed":
            if any(isinstance(o, rdflib.Literal) and o.value is True for o in objs):
                add(Constraint(local, None))  # allowed predicates are filled in by allowed_predicates()
        elif local in ("equals", "disjoint"):
            for o in objs:
                if not isinstance(o, URIRef):
                    raise ValidationSetupError(f"{where}: sh:{local} must be an IRI, found {o!r}")
                add(Constraint(local, ox.NamedNode(str(o))))

    def allowed_predicates(self, shape: Shape) -> tuple[ox.NamedNode, ...]:
        """For sh:closed: the IRI paths of the shape's property shapes and sh:ignoredProperties."""
        allowed: list[str] = []
        for child in shape.properties:
            p = self.shapes[child].path
            if isinstance(p, PredicatePath):
                allowed.append(p.iri)
        for lst in self.graph.objects(shape.node, _SH.ignoredProperties):
            allowed.extend(
                str(m) for m in self._list(lst, "sh:ignoredProperties list") if isinstance(m, URIRef)
            )
        return tuple(ox.NamedNode(a) for a in sorted(set(allowed)))

    def targeted(self) -> Iterator[Shape]:
        """Shapes that have targets of their own (explicit or implicit class targets)."""
        for sid in sorted(self.shapes):
            s = self.shapes[sid]
            if s.targets:
                yield s

    def node_shape_label(self, sid: str) -> str | None:
        """The rdfs:label of a node shape that uses the property shape ``sid`` (as kg's
        findings call the object: "image", "channel")."""
        for parent in self.parents.get(sid, []):
            label = self.shapes[parent].label
            if label:
                return label
        return None


def read_list(graph: rdflib.Graph, node: Node, what: str) -> list[Node]:
    """The members of the RDF list at ``node``; a malformed list is an error naming ``what``."""
    items: list[Node] = []
    seen: set[Node] = set()
    while node != _RDF_NIL:
        if node in seen:
            raise ValidationSetupError(f"shapes graph: the {what} is a cyclic RDF list")
        seen.add(node)
        first = list(graph.objects(node, _RDF_FIRST))
        rest = list(graph.objects(node, _RDF_REST))
        if len(first) != 1 or len(rest) != 1:
            raise ValidationSetupError(f"shapes graph: the {what} is not a well-formed RDF list")
        items.append(first[0])
        node = rest[0]
    return items


def read_path(g: rdflib.Graph, node: Node, where: str) -> Path:
    """The SHACL path at ``node`` in ``g`` (a shapes graph, or a pySHACL report's sh:resultPath)."""
    if isinstance(node, URIRef):
        return PredicatePath(str(node))
    if not isinstance(node, BNode):
        raise ValidationSetupError(f"{where}: sh:path must be an IRI or a blank node, found {node!r}")
    if (node, _RDF_FIRST, None) in g:
        steps = tuple(read_path(g, n, where) for n in read_list(g, node, "sequence path"))
        if len(steps) < 2:
            raise ValidationSetupError(f"{where}: a sequence path needs at least two members")
        return SequencePath(steps)
    inverse = g.value(node, _SH.inversePath)
    if inverse is not None:
        return InversePath(read_path(g, inverse, where))
    for pred, mod in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"), ("zeroOrOnePath", "?")):
        inner = g.value(node, _SH[pred])
        if inner is not None:
            return RepeatPath(read_path(g, inner, where), cast(Literal["*", "+", "?"], mod))
    alt = g.value(node, _SH.alternativePath)
    if alt is not None:
        options = tuple(read_path(g, n, where) for n in read_list(g, alt, "alternative path"))
        if len(options) < 2:
            raise ValidationSetupError(f"{where}: an alternative path needs at least two members")
        return AlternativePath(options)
    raise ValidationSetupError(f"{where}: the blank node {node} is not a SHACL path")


def _lang_rank(o: Node) -> tuple[int, str]:
    lang = o.language if isinstance(o, rdflib.Literal) else None
    return (0 if not lang else 1 if lang.startswith("en") else 2, str(o))


def xsd(local: str) -> str:
    return XSD + local
