"""``kg terms check``: every ontology term the graph uses, checked against the loaded ontologies.

A *use* is a triple ``(s, p, term)`` in any graph that is not an ontology graph (graphs named
under the manifest's ``graph_base``), whose object is an IRI in the namespace of an ontology of
the manifest or an OBO PURL (``bkg:replacedTerm``, the history of a replacement, is not a use).
Each use is checked for:

- ``not loaded``: the term's ontology is not loaded (or not in the manifest at all);
- ``unknown``: its ontology is loaded but has no such term (a typo, a retired id);
- ``obsolete``: the term is obsolete; the replacement the ontology names (``IAO:0100001`` /
  ``obo:replaced_by``) is given, else its "consider" terms;
- ``branch``: the predicate expects a field (``ontologies/fields.yaml``, ``properties``; for
  ``bkg:valueTerm`` the key of the key-value pair) and the term is not under its branch;
- ``drift``: a copy of the term's label stored next to it (``label_pairs`` and ``term_labels`` of
  ``fields.yaml``) is no longer the ontology's label.

:func:`apply_replacements` replaces every obsolete term that has a replacement, in every graph
but the mapping memory (a reviewed decision is history; the annotation engine already suggests
the replacement), in one SPARQL update: all or nothing. Each replacement leaves a record in the
same graph: a ``bkg:TermReplacement`` naming the subject, predicate, new term,
``bkg:replacedTerm`` (the old one), ``prov:wasAttributedTo`` (who) and ``prov:generatedAtTime``
(when); a label copy next to the term (``bkg:termLabel``) follows the new term.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from kg.namespaces import BKG, OBO, OME, OWL, PROV, RDF, RDFS, XSD
from kg.ontology import curies
from kg.ontology.fields import VALUE_TERM, BranchChecker, FieldTable, default_fields
from kg.ontology.index import TermIndex, normalise
from kg.ontology.manifest import Manifest, default_manifest
from kg.ontology.memory import MEMORY_GRAPH, curator_iri
from kg.store import SelectResult, Store

KINDS = ("obsolete", "branch", "drift", "unknown", "not loaded")
TERM_REPLACEMENT = BKG + "TermReplacement"
# predicates that name a term as history, not as a use: the old term of a replacement
HISTORY = {BKG + "replacedTerm", PROV + "wasRevisionOf"}


@dataclass(frozen=True)
class Use:
    graph: str
    subject: ox.NamedNode | ox.BlankNode
    predicate: str
    term: str


@dataclass
class Finding:
    kind: str  # one of KINDS
    term: str  # IRI
    curie: str
    label: str
    message: str
    uses: int = 0
    graphs: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)  # "subject predicate" of a few uses
    replacement: str | None = None  # IRI, for obsolete terms with one
    replacement_label: str | None = None
    consider: list[str] = field(default_factory=list)
    stored_label: str | None = None  # for drift

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    terms: int = 0  # distinct terms used
    uses: int = 0
    graphs: int = 0
    _uses: list[Use] = field(default_factory=list, repr=False)

    @property
    def counts(self) -> dict[str, int]:
        c = Counter(f.kind for f in self.findings)
        return {k: c.get(k, 0) for k in KINDS}

    @property
    def clean(self) -> bool:
        return not self.findings

    def as_dict(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "terms": self.terms,
            "uses": self.uses,
            "graphs": self.graphs,
            "counts": self.counts,
            "findings": [f.as_dict() for f in self.findings],
        }


def _namespaces(manifest: Manifest) -> list[str]:
    ns = {p for o in manifest.ontologies for p in o.term_prefixes}
    ns.add(OBO)
    return sorted(ns)


def term_uses(store: Store, manifest: Manifest | None = None) -> list[Use]:
    """Every (graph, subject, predicate, term) outside the ontology graphs."""
    manifest = manifest or default_manifest()
    values = " ".join(str(ox.Literal(n)) for n in _namespaces(manifest))  # escaped literals
    res = store.query(
        "SELECT ?g ?s ?p ?o WHERE { VALUES ?ns { " + values + " } GRAPH ?g { ?s ?p ?o } "
        "FILTER(isIRI(?o) && STRSTARTS(STR(?o), ?ns)) "
        f"FILTER(!STRSTARTS(STR(?g), {ox.Literal(manifest.graph_base)})) }}"
    )
    assert isinstance(res, SelectResult)
    out = []
    seen = set()
    for g, s, p, o in res.rows:
        if not (isinstance(g, ox.NamedNode) and isinstance(p, ox.NamedNode) and isinstance(o, ox.NamedNode)):
            continue
        if not isinstance(s, ox.NamedNode | ox.BlankNode) or p.value in HISTORY:
            continue
        key = (g.value, str(s), p.value, o.value)
        if key not in seen:  # one namespace may be inside another (OBO)
            seen.add(key)
            out.append(Use(g.value, s, p.value, o.value))
    return out


def _keys(store: Store) -> dict[str, str]:
    """The key (ome:k) of every key-value pair, by subject IRI."""
    res = store.query(f"SELECT ?m ?k WHERE {{ GRAPH ?g {{ ?m <{OME}k> ?k }} }}")
    assert isinstance(res, SelectResult)
    return {
        m.value: k.value for m, k in res.rows if isinstance(m, ox.NamedNode) and isinstance(k, ox.Literal)
    }


def _stored_labels(store: Store, fields: FieldTable, manifest: Manifest) -> list[tuple[str, str, str]]:
    """(graph, term IRI, label literal) of label copies stored next to terms."""
    base = str(ox.Literal(manifest.graph_base))
    out: list[tuple[str, str, str]] = []
    for term_p, label_p in fields.label_pairs:
        res = store.query(
            f"SELECT ?g ?t ?l WHERE {{ GRAPH ?g {{ ?s <{term_p}> ?t ; <{label_p}> ?l }} "
            f"FILTER(isIRI(?t) && !STRSTARTS(STR(?g), {base})) }}"
        )
        assert isinstance(res, SelectResult)
        out += [(g.value, t.value, lab.value) for g, t, lab in res.rows if g and t and lab]  # type: ignore[union-attr]
    for label_p in fields.term_labels:
        values = " ".join(str(ox.Literal(n)) for n in _namespaces(manifest))
        res = store.query(
            "SELECT ?g ?t ?l WHERE { VALUES ?ns { " + values + " } "
            f"GRAPH ?g {{ ?t <{label_p}> ?l }} FILTER(isIRI(?t) && STRSTARTS(STR(?t), ?ns) "
            f"&& !STRSTARTS(STR(?g), {base})) }}"
        )
        assert isinstance(res, SelectResult)
        out += [(g.value, t.value, lab.value) for g, t, lab in res.rows if g and t and lab]  # type: ignore[union-attr]
    return out


def check_terms(
    store: Store, index: TermIndex, fields: FieldTable | None = None, manifest: Manifest | None = None
) -> CheckReport:
    """Check every term the graph uses (see the module docstring)."""
    fields = fields or default_fields()
    manifest = manifest or default_manifest()
    checker = BranchChecker(index)
    uses = term_uses(store, manifest)
    report = CheckReport(
        terms=len({u.term for u in uses}), uses=len(uses), graphs=len({u.graph for u in uses})
    )
    report._uses = uses
    keys = _keys(store) if any(u.predicate == VALUE_TERM for u in uses) else {}
    found: dict[tuple[str, str, str], Finding] = {}

    def note(kind: str, term: str, use: Use | None, message: str, **extra: Any) -> Finding:
        key = (kind, term, message)
        f = found.get(key)
        if f is None:
            t = index.get(term)
            f = found[key] = Finding(
                kind,
                term,
                t.curie if t else (curies.compress(term, local_only=True) or term),
                t.label if t else (index.label(term) or ""),
                message,
                **extra,
            )
        if use is not None:
            f.uses += 1
            if use.graph not in f.graphs:
                f.graphs.append(use.graph)
            if len(f.examples) < 3:
                f.examples.append(f"{use.subject} {_short(use.predicate)}")
        return f

    owners = manifest.ontologies
    for u in uses:
        term = index.get(u.term)
        if term is None or term.iri != u.term:
            ont = next((o for o in owners if o.owns(u.term)), None)
            if ont is None:
                local = u.term[len(OBO) :] if u.term.startswith(OBO) else u.term
                prefix = local.split("_", 1)[0] if "_" in local else local
                note(
                    "not loaded",
                    u.term,
                    u,
                    f"{prefix} is not an ontology of the manifest, so it is not loaded",
                )
            elif ont.id not in index.ontologies:
                note(
                    "not loaded",
                    u.term,
                    u,
                    f"its ontology {ont.id} ({ont.title}) is not loaded (kg ontologies fetch)",
                )
            else:
                note(
                    "unknown",
                    u.term,
                    u,
                    f"not a term of {ont.id} {index.ontologies[ont.id]}: "
                    "a typo, or an id the ontology never had",
                )
            continue
        if term.obsolete:
            rep = index.get(term.replaced_by) if term.replaced_by else None
            details = index.details(term.iri)
            consider = [c for c in (details.consider if details else ()) if c]
            if rep is not None:
                msg = f"obsolete; replaced by {rep.curie} {rep.label!r}"
            elif consider:
                msg = "obsolete; no replacement, consider " + ", ".join(
                    getattr(index.get(c), "curie", c) for c in consider
                )
            else:
                msg = "obsolete; the ontology names no replacement"
            note(
                "obsolete",
                term.iri,
                u,
                msg,
                replacement=rep.iri if rep else None,
                replacement_label=rep.label if rep else None,
                consider=list(consider),
            )
        f = fields.for_property(u.predicate)
        if u.predicate == VALUE_TERM:
            k = keys.get(str(u.subject.value)) if isinstance(u.subject, ox.NamedNode) else None
            f = fields.resolve(k) if k else None
        if f is not None and not checker.fits(term.iri, f):
            note(
                "branch",
                term.iri,
                u,
                f"not under {f.expected()}, which {_short(u.predicate)} ({f.name.replace('_', ' ')}) expects",
            )
    for graph, iri, stored in _stored_labels(store, fields, manifest):
        term = index.get(iri)
        if term is None or normalise(stored) == normalise(term.label):
            continue
        was = (
            " (now one of its synonyms)" if normalise(stored) in {normalise(s) for s in term.synonyms} else ""
        )
        fnd = note(
            "drift",
            term.iri,
            None,
            f"a stored label {stored!r} differs from the ontology's label {term.label!r}{was}",
            stored_label=stored,
        )
        fnd.uses += 1
        if graph not in fnd.graphs:
            fnd.graphs.append(graph)
    order = {k: i for i, k in enumerate(KINDS)}
    report.findings = sorted(found.values(), key=lambda f: (order[f.kind], f.curie))
    return report


def _short(iri: str) -> str:
    for prefix, ns in (("bkg", BKG), ("ome", OME), ("owl", OWL), ("rdf", RDF), ("rdfs", RDFS)):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def _digest(*parts: str) -> str:
    return hashlib.sha256("\t".join(parts).encode("utf-8")).hexdigest()[:20]


@dataclass
class ApplyReport:
    replaced: int = 0  # triples changed
    terms: int = 0  # distinct obsolete terms replaced
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def apply_replacements(
    store: Store,
    report: CheckReport,
    *,
    curator: str,
    base_iri: str,
    fields: FieldTable | None = None,
    now: dt.datetime | None = None,
) -> ApplyReport:
    """Replace every obsolete term that has a replacement (one SPARQL update, all or nothing),
    leaving a bkg:TermReplacement record beside each change."""
    fields = fields or default_fields()
    who, who_label = curator_iri(curator, base_iri)
    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    targets = {f.term: f for f in report.findings if f.kind == "obsolete" and f.replacement}
    out = ApplyReport()
    deletes: dict[str, list[str]] = defaultdict(list)
    inserts: dict[str, list[str]] = defaultdict(list)
    wheres: list[str] = []
    N, L = ox.NamedNode, ox.Literal
    label_props = {t: lab for t, lab in fields.label_pairs if lab.startswith(BKG)}
    done_terms = set()
    for u in report._uses:
        f = targets.get(u.term)
        if f is None or f.replacement is None:
            continue
        if u.graph == MEMORY_GRAPH:
            out.skipped.append(f"{f.curie} in the mapping memory: a reviewed decision is kept as it was made")
            continue
        if isinstance(u.subject, ox.BlankNode):
            out.skipped.append(f"{f.curie} on a blank node in {u.graph}: cannot be addressed in an update")
            continue
        g, s, p = N(u.graph), u.subject, N(u.predicate)
        old, new = N(u.term), N(f.replacement)
        rec = N(f"{base_iri}replacement/{_digest(u.graph, str(s), str(p), str(old), str(new))}")
        deletes[u.graph].append(f"{s} {p} {old} .")
        inserts[u.graph] += [
            f"{s} {p} {new} .",
            f"{rec} {N(RDF + 'type')} {N(TERM_REPLACEMENT)} .",
            f"{rec} {N(RDF + 'type')} {N(PROV + 'Entity')} .",
            f"{rec} {N(OWL + 'annotatedSource')} {s} .",
            f"{rec} {N(OWL + 'annotatedProperty')} {p} .",
            f"{rec} {N(OWL + 'annotatedTarget')} {new} .",
            f"{rec} {N(BKG + 'replacedTerm')} {old} .",
            f"{rec} {N(PROV + 'wasAttributedTo')} {N(who)} .",
            f"{rec} {N(PROV + 'generatedAtTime')} {L(when, datatype=N(XSD + 'dateTime'))} .",
            f"{rec} {N(RDFS + 'comment')} "
            f"{L(f'{f.curie} {f.label!r} is obsolete; replaced by {f.replacement_label!r}')} .",
        ]
        if who_label:
            inserts[u.graph].append(f"{N(who)} {N(RDFS + 'label')} {L(who_label)} .")
        lab = label_props.get(u.predicate)
        if lab and f.replacement_label:
            wheres.append(f"DELETE WHERE {{ GRAPH {g} {{ {s} {N(lab)} ?l }} }}")
            inserts[u.graph].append(f"{s} {N(lab)} {L(f.replacement_label)} .")
        out.replaced += 1
        done_terms.add(u.term)
    out.terms = len(done_terms)
    if not out.replaced:
        return out
    ops = [f"DELETE DATA {{ GRAPH {N(g)} {{ {' '.join(lines)} }} }}" for g, lines in deletes.items()]
    ops += wheres
    ops += [f"INSERT DATA {{ GRAPH {N(g)} {{ {' '.join(lines)} }} }}" for g, lines in inserts.items()]
    store.update(" ;\n".join(ops))  # one request: one transaction
    return out


__all__ = ["KINDS", "ApplyReport", "CheckReport", "Finding", "apply_replacements", "check_terms", "term_uses"]
