"""Completeness report: for each study, image, instrument and analysis run in the store, how
many of each profile's fields are filled in, and which are missing, in plain words.

A profile's *fields* are its property shapes that ask for a value (``sh:minCount`` 1 or more):
the MUST, SHOULD and MAY fields of REMBI and the analysis profile, the fields of each NBO tier,
the required OME fields. They are read from the profile's shape files (kg.profiles), so the
report and ``kg validate --profile`` never disagree about what a profile asks for.

A subject (a study, an image, an instrument, a run) is scored over itself and the objects it
links to in its source's graph (a study's components, biosamples, specimens...; an
instrument's objectives, light sources, detectors...), stopping at other subjects. For each
profile:

- ``score`` = fields present / fields asked for (each field of each object counts once);
- ``weighted`` = the same with MUST or required fields weighing 3, SHOULD 2, MAY 1
  (the severity of their absence: violation 3, warning 2, info 1).

A profile that asks nothing of a subject (the REMBI profile of an instrument) is not listed
for it. The report is *complete* when no violation-level field is missing anywhere; the CLI
exits 0 then, 1 otherwise, 2 on errors, as ``kg validate`` does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import ValidationSetupError
from kg.namespaces import BKG, DCT, OME, RDF, RDFS, SH
from kg.profiles import SEVERITY_WEIGHT, profile_files, resolve
from kg.store import GraphResult, SelectResult, Store

SCHEMA = "http://schema.org/"
SUBJECT_KINDS: dict[str, tuple[str, ...]] = {
    "study": (BKG + "Study",),
    "image": (OME + "Image", BKG + "ImageData"),
    "instrument": (OME + "Instrument",),
    "analysis": (SCHEMA + "CreateAction",),
}
_LABELS = (RDFS + "label", DCT + "title", SCHEMA + "name", OME + "name", OME + "model")
_SEVERITIES = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}


@dataclass(frozen=True)
class FieldCheck:
    """One field a profile asks for: on which objects, along which predicate(s), how many."""

    profile: str
    target_classes: tuple[str, ...]
    target_objects_of: tuple[str, ...]
    paths: tuple[str, ...]  # alternatives
    name: str
    object_label: str  # "objective", "study"
    severity: str
    min_count: int
    message: str


@dataclass(frozen=True)
class Missing:
    profile: str
    object: str
    object_type: str
    object_label: str
    field: str
    severity: str
    message: str

    def words(self) -> str:
        return f'{self.field} of {self.object_type} "{self.object_label}" ({self.severity})'


@dataclass
class Score:
    profile: str
    present: int = 0
    total: int = 0
    weighted_present: int = 0
    weighted_total: int = 0
    missing: list[Missing] = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.present / self.total if self.total else 1.0

    @property
    def weighted(self) -> float:
        return self.weighted_present / self.weighted_total if self.weighted_total else 1.0

    def as_dict(self) -> dict[str, object]:
        return {
            "profile": self.profile,
            "score": round(self.score, 4),
            "weighted": round(self.weighted, 4),
            "present": self.present,
            "total": self.total,
            "missing": [asdict(m) for m in self.missing],
        }


@dataclass
class SubjectReport:
    kind: str  # study, image, instrument, analysis
    iri: str
    label: str
    source: str
    scores: dict[str, Score] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "iri": self.iri,
            "label": self.label,
            "source": self.source,
            "profiles": {k: v.as_dict() for k, v in self.scores.items()},
        }


@dataclass
class CompletenessReport:
    profiles: list[str]
    subjects: list[SubjectReport] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """True when no violation-level field is missing (as kg validate's ``conforms``)."""
        return not any(
            m.severity == "violation" for s in self.subjects for sc in s.scores.values() for m in sc.missing
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "complete": self.complete,
            "profiles": self.profiles,
            "subjects": [s.as_dict() for s in self.subjects],
        }

    def text(self) -> str:
        lines = []
        for s in self.subjects:
            lines.append(f'{s.kind} "{s.label}" in {s.source}')
            if not s.scores:
                lines.append("  (no selected profile asks anything of it)")
            for name, sc in s.scores.items():
                lines.append(
                    f"  {name:10} {sc.score:6.1%} of fields ({sc.present}/{sc.total}), "
                    f"weighted {sc.weighted:6.1%}"
                )
                for m in sc.missing:
                    lines.append(f"    missing: {m.words()}")
        n_missing = sum(len(sc.missing) for s in self.subjects for sc in s.scores.values())
        lines.append(
            f"{len(self.subjects)} subject(s), {n_missing} missing field(s) — "
            f"{'complete' if self.complete else 'INCOMPLETE (required fields missing)'}"
        )
        return "\n".join(lines)


# -- reading the profiles ----------------------------------------------------------------


def profile_fields(name: str, files: list[Path] | None = None) -> list[FieldCheck]:
    """The fields profile ``name`` asks for, read from its shape files."""
    import rdflib
    from rdflib.collection import Collection

    g = rdflib.Graph()
    for p in files if files is not None else profile_files(name):
        try:
            g.parse(p, format="turtle")
        except Exception as exc:
            raise ValidationSetupError(f"{p}: the shapes do not parse: {exc}") from exc
    sh = rdflib.Namespace(SH)
    checks = []
    for node_shape in sorted(set(g.subjects(sh.property, None)), key=str):
        classes = tuple(sorted(str(c) for c in g.objects(node_shape, sh.targetClass)))
        objects_of = tuple(sorted(str(c) for c in g.objects(node_shape, sh.targetObjectsOf)))
        if not classes and not objects_of:
            continue  # used through sh:node only: not a field of its own
        label = g.value(node_shape, rdflib.RDFS.label)
        for prop in g.objects(node_shape, sh.property):
            mc = g.value(prop, sh.minCount)
            if mc is None or int(str(mc)) < 1:
                continue
            path = g.value(prop, sh.path)
            if isinstance(path, rdflib.URIRef):
                paths: tuple[str, ...] = (str(path),)
            else:
                alt = g.value(path, sh.alternativePath)
                if alt is None:
                    continue  # only simple and alternative paths are fields
                paths = tuple(str(x) for x in Collection(g, alt))
            sev = g.value(prop, sh.severity) or g.value(node_shape, sh.severity) or sh.Violation
            checks.append(
                FieldCheck(
                    profile=name,
                    target_classes=classes,
                    target_objects_of=objects_of,
                    paths=paths,
                    name=str(g.value(prop, sh.name) or paths[0].rsplit("/", 1)[-1]),
                    object_label=str(label) if label is not None else "object",
                    severity=_SEVERITIES.get(str(sev), "violation"),
                    min_count=int(str(mc)),
                    message=str(g.value(prop, sh.message) or ""),
                )
            )
    return checks


# -- the graph --------------------------------------------------------------------------


class _Graph:
    def __init__(self, triples: list[ox.Triple]) -> None:
        self.out: dict[str, dict[str, list[ox.NamedNode | ox.BlankNode | ox.Literal]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.inc: dict[str, set[str]] = defaultdict(set)  # node -> predicates pointing at it
        self.types: dict[str, set[str]] = defaultdict(set)
        self.parent: dict[str, tuple[str, str]] = {}  # blank node -> (subject, predicate) linking it
        for t in triples:
            s, p, o = _key(t.subject), t.predicate.value, t.object
            self.out[s][p].append(o)  # type: ignore[arg-type]
            if isinstance(o, ox.NamedNode | ox.BlankNode):
                self.inc[_key(o)].add(p)
            if isinstance(o, ox.BlankNode):
                self.parent.setdefault(_key(o), (s, p))
            if p == RDF + "type" and isinstance(o, ox.NamedNode):
                self.types[s].add(o.value)

    def label(self, node: str, depth: int = 0) -> str:
        for p in _LABELS:
            for o in self.out.get(node, {}).get(p, []):
                if isinstance(o, ox.Literal):
                    return o.value
        if node.startswith("_:") and node in self.parent and depth < 5:
            # an unnamed part: name it by where it hangs ("LSM 880/transmittance_range")
            up, p = self.parent[node]
            return f"{self.label(up, depth + 1)}/{p.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}"
        return node.rsplit("/", 1)[-1]

    def links(self, node: str) -> list[str]:
        return [
            _key(o)
            for p, objs in self.out.get(node, {}).items()
            if p != RDF + "type"
            for o in objs
            if isinstance(o, ox.NamedNode | ox.BlankNode)
        ]


def _key(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def _kind(types: set[str]) -> str | None:
    for kind, classes in SUBJECT_KINDS.items():
        if types & set(classes):
            return kind
    return None


def _type_words(g: _Graph, node: str, check: FieldCheck) -> str:
    return check.object_label if check.object_label != "object" else "object"


def score_graph(
    triples: list[ox.Triple], checks: dict[str, list[FieldCheck]], source: str
) -> list[SubjectReport]:
    """Score every subject of one graph against each profile's field checks."""
    g = _Graph(triples)
    subjects = sorted(
        (n for n, ts in g.types.items() if _kind(ts)), key=lambda n: (_kind(g.types[n]) or "", n)
    )
    subject_set = set(subjects)
    reports = []
    for subj in subjects:
        kind = _kind(g.types[subj]) or ""
        # the subject and what it links to in this graph, stopping at other subjects
        members, todo = [subj], [subj]
        seen = {subj}
        while todo:
            for nxt in g.links(todo.pop()):
                if nxt not in seen and nxt not in subject_set and nxt in g.out:
                    seen.add(nxt)
                    members.append(nxt)
                    todo.append(nxt)
        rep = SubjectReport(kind=kind, iri=subj, label=g.label(subj), source=source)
        for profile, plist in checks.items():
            sc = Score(profile)
            for node in members:
                types, incoming = g.types.get(node, set()), g.inc.get(node, set())
                for c in plist:
                    if not (set(c.target_classes) & types or set(c.target_objects_of) & incoming):
                        continue
                    n = sum(len(g.out.get(node, {}).get(p, [])) for p in c.paths)
                    w = SEVERITY_WEIGHT[c.severity]
                    sc.total += 1
                    sc.weighted_total += w
                    if n >= c.min_count:
                        sc.present += 1
                        sc.weighted_present += w
                    else:
                        sc.missing.append(
                            Missing(
                                profile=profile,
                                object=node,
                                object_type=_type_words(g, node, c),
                                object_label=g.label(node),
                                field=c.name,
                                severity=c.severity,
                                message=c.message,
                            )
                        )
            if sc.total:
                order = list(SEVERITY_WEIGHT)
                sc.missing.sort(
                    key=lambda m: (order.index(m.severity), m.object_type, m.object_label, m.field)
                )
                rep.scores[profile] = sc
        reports.append(rep)
    return reports


def completeness_store(store: Store, profiles: list[str]) -> CompletenessReport:
    """The completeness of every study, image, instrument and analysis run in ``store`` under
    each of ``profiles`` (each profile scored with the fields of the profiles it includes)."""
    checks: dict[str, list[FieldCheck]] = {}
    for name in profiles:
        resolve([name])  # raises ProfileError for an unknown name
        checks[name] = profile_fields(name)
    sources = store.query(
        f"SELECT ?g ?label WHERE {{ GRAPH ?g {{ ?g <{RDF}type> <{BKG}Source> . "
        f"OPTIONAL {{ ?g <{RDFS}label> ?label }} }} }} ORDER BY ?g"
    )
    assert isinstance(sources, SelectResult)
    report = CompletenessReport(profiles=list(profiles))
    for g, label in sources.rows:
        assert isinstance(g, ox.NamedNode)
        content = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", substitutions={"g": g}
        )
        assert isinstance(content, GraphResult)
        name = label.value if isinstance(label, ox.Literal) else g.value
        report.subjects.extend(score_graph(content.triples, checks, name))
    return report
