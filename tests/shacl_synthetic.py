"""Synthetic data for any SHACL shapes graph, to compare validation engines on it.

For every shape with targets it makes focus nodes (instances of the target class, objects of
the targetObjectsOf predicate...) and gives each of their property shapes zero, one or two
values: mostly values the constraints accept (a member of sh:in, a literal of the sh:datatype
within the range, a node of the sh:class, a node filled in after the sh:node shape), sometimes
values that break them (ill-typed literals, wrong kinds of node, out-of-range numbers) and, now
and then, a property no shape declares (for sh:closed). The same seed gives the same triples.
The test suite and benchmarks/validation.py use it; it knows nothing about which results are
expected: the engines' results are compared with each other.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

import pyoxigraph as ox
import rdflib

from kg.namespaces import RDF, XSD
from kg.shacl.model import Constraint, InversePath, PredicatePath, Shape, ShapesModel

_TYPE = ox.NamedNode(RDF + "type")


def _xsd(local: str) -> ox.NamedNode:
    return ox.NamedNode(XSD + local)


BAD_VALUES: tuple[ox.NamedNode | ox.Literal, ...] = (
    ox.Literal("abc", datatype=_xsd("integer")),  # ill-typed
    ox.Literal("not a date", datatype=_xsd("dateTime")),
    ox.Literal("some text"),
    ox.Literal("text", language="en"),
    ox.Literal("-7", datatype=_xsd("integer")),
    ox.Literal("0", datatype=_xsd("double")),
    ox.Literal("2.5", datatype=_xsd("double")),
    ox.Literal("2024-13-45", datatype=_xsd("date")),
    ox.Literal("true", datatype=_xsd("boolean")),
    ox.NamedNode("http://example.org/synthetic/untyped-thing"),
    ox.NamedNode("https://orcid.org/0000-0002-1825-0097"),
    ox.NamedNode("http://purl.obolibrary.org/obo/NCBITaxon_9606"),
)


class Synthesizer:
    def __init__(
        self,
        shapes: rdflib.Graph | ShapesModel,
        *,
        seed: int = 0,
        base: str = "http://example.org/synthetic/",
        bad_rate: float = 0.15,
        existing: dict[str, list[ox.NamedNode]] | None = None,
        bad_values: Sequence[ox.NamedNode | ox.Literal] = BAD_VALUES,
    ) -> None:
        self.model = shapes if isinstance(shapes, ShapesModel) else ShapesModel(shapes)
        self.rng = random.Random(seed)
        self.base = base
        self.bad_rate = bad_rate
        self.bad_values = tuple(bad_values)
        self.existing = existing or {}  # class IRI -> nodes that exist already (link to them)
        self.count = 0
        # class IRI -> node shapes targeting it, to fill nodes made for sh:class values
        self.by_class: dict[str, list[Shape]] = {}
        for s in self.model.targeted():
            for t in s.targets:
                if t.kind == "class" and isinstance(t.term, ox.NamedNode):
                    self.by_class.setdefault(t.term.value, []).append(s)

    def node(self, hint: str) -> ox.NamedNode:
        self.count += 1
        local = hint.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or "node"
        return ox.NamedNode(f"{self.base}{local}/{self.count}")

    def triples(self, per_target: int = 3) -> Iterator[ox.Triple]:
        for s in self.model.targeted():
            for t in s.targets:
                for _ in range(per_target):
                    focus = self.node(s.id)
                    if t.kind == "class":
                        yield ox.Triple(focus, _TYPE, t.term)
                    elif t.kind == "subjectsOf" and isinstance(t.term, ox.NamedNode):
                        yield ox.Triple(focus, t.term, self.value_for(s, []))
                    elif t.kind == "objectsOf" and isinstance(t.term, ox.NamedNode):
                        yield ox.Triple(self.node("holder"), t.term, focus)
                    else:
                        continue
                    yield from self.fill(focus, s, depth=0)

    def fill(self, focus: ox.NamedNode, shape: Shape, depth: int) -> Iterator[ox.Triple]:
        if depth > 2:
            return
        for c in shape.constraints:
            if c.param == "class" and self.rng.random() > self.bad_rate:
                yield ox.Triple(focus, _TYPE, c.value)
            if c.param == "node":
                yield from self.fill(focus, self.model.shapes[c.value], depth + 1)
        for pid in shape.properties:
            prop = self.model.shapes[pid]
            path = prop.path
            n = self.rng.choice((0, 1, 1, 1, 1, 2))
            for _ in range(n):
                value = self.value_for(prop, [], depth)
                if isinstance(path, PredicatePath):
                    yield ox.Triple(focus, ox.NamedNode(path.iri), value)
                elif isinstance(path, InversePath) and isinstance(path.path, PredicatePath):
                    if isinstance(value, ox.NamedNode | ox.BlankNode):
                        yield ox.Triple(value, ox.NamedNode(path.path.iri), focus)
                else:
                    alts = getattr(path, "options", ())
                    simple = [a for a in alts if isinstance(a, PredicatePath)]
                    if simple:
                        yield ox.Triple(focus, ox.NamedNode(self.rng.choice(simple).iri), value)
                if isinstance(value, ox.NamedNode) and value.value.startswith(self.base):
                    yield from self._describe(value, prop, depth)
        if self.rng.random() < 0.1:
            yield ox.Triple(focus, ox.NamedNode(self.base + "undeclaredProperty"), ox.Literal("extra"))

    def _describe(self, node: ox.NamedNode, prop: Shape, depth: int) -> Iterator[ox.Triple]:
        for c in prop.constraints:
            if c.param == "class":
                if self.rng.random() > self.bad_rate:
                    yield ox.Triple(node, _TYPE, c.value)
                for target_shape in self.by_class.get(c.value.value, [])[:1]:
                    yield from self.fill(node, target_shape, depth + 1)
            elif c.param == "node":
                yield from self.fill(node, self.model.shapes[c.value], depth + 1)

    def value_for(self, prop: Shape, _seen: list[str], depth: int = 0) -> ox.NamedNode | ox.Literal:
        rng = self.rng
        if rng.random() < self.bad_rate:
            return rng.choice(self.bad_values)
        cons = {c.param: c for c in prop.constraints}
        if "in" in cons and cons["in"].value:
            return rng.choice(cons["in"].value)  # type: ignore[no-any-return]
        if "hasValue" in cons:
            return cons["hasValue"].value  # type: ignore[no-any-return]
        if "class" in cons:
            cls = cons["class"].value.value
            pool = self.existing.get(cls)
            if pool and rng.random() < 0.7:
                return rng.choice(pool)
            return self.node(cls)
        if "node" in cons:
            return self.node("part")
        dt = cons["datatype"].value if "datatype" in cons else None
        if dt is not None:
            return self._literal(dt, cons)
        kind = cons["nodeKind"].value if "nodeKind" in cons else None
        if kind is not None and kind.endswith(("IRI", "BlankNodeOrIRI")):
            return ox.NamedNode(
                rng.choice(
                    (
                        "http://purl.obolibrary.org/obo/NCBITaxon_9606",
                        "https://orcid.org/0000-0002-1825-0097",
                        self.base + "thing",
                    )
                )
            )
        return ox.Literal(f"value {rng.randint(0, 99)}")

    def _literal(self, dt: str, cons: dict[str, Constraint]) -> ox.Literal:
        rng = self.rng
        local = dt[len(XSD) :] if dt.startswith(XSD) else ""
        lo = _bound(cons, "minInclusive", "minExclusive", 0.0)
        hi = _bound(cons, "maxInclusive", "maxExclusive", lo + 100.0)
        if local in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger"):
            return ox.Literal(
                str(rng.randint(int(lo) + 1, max(int(lo) + 1, int(hi) - 1))), datatype=_xsd("integer")
            )
        if local in ("double", "float", "decimal"):
            x = lo + (hi - lo) * rng.uniform(0.05, 0.95)
            return ox.Literal(repr(round(x, 3)), datatype=_xsd(local))
        if local == "boolean":
            return ox.Literal(rng.choice(("true", "false")), datatype=_xsd("boolean"))
        if local == "date":
            return ox.Literal(f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}", datatype=_xsd("date"))
        if local == "dateTime":
            return ox.Literal(
                f"2024-05-0{rng.randint(1, 9)}T1{rng.randint(0, 9)}:00:00", datatype=_xsd("dateTime")
            )
        if local == "anyURI":
            return ox.Literal("https://example.org/x", datatype=_xsd("anyURI"))
        if "pattern" in cons and rng.random() < 0.5:
            return ox.Literal(
                rng.choice(("0000-0002-1825-0097", "9e107d9d372bb6826bd81d3542a419d6", "sha256:" + "a" * 64))
            )
        return ox.Literal(f"text {rng.randint(0, 999)}")


def _bound(cons: dict[str, Constraint], inclusive: str, exclusive: str, default: float) -> float:
    for key in (inclusive, exclusive):
        if key in cons:
            try:
                return float(cons[key].value.value)
            except ValueError:
                return default
    return default
