"""The mapping memory: every reviewed decision "this text (under this key) is that term", kept as
SSSOM mappings and reused before any search.

A decision is one SSSOM *literal mapping* (SSSOM spec, "Literal mappings"): the free text is the
``subject_label`` with ``subject_type`` ``rdfs literal``; the key it came with (``organism``,
``Imaging Method``) is the extension slot ``metadata_key`` (property ``bkg:metadataKey``); then
the usual slots: ``predicate_id`` (``skos:exactMatch``…), ``object_id`` (the term),
``object_label``, ``confidence``, ``author_id``/``author_label`` (the curator), ``mapping_date``,
``object_source_version`` (the ontology version the curator saw), ``mapping_justification``
(``semapv:ManualMappingCuration``), ``comment``, and ``predicate_modifier: Not`` for a rejection
("this text is *not* that term"), which keeps the term out of later suggestions.

Where it lives: in the store, in the named graph :data:`MEMORY_GRAPH`, as SSSOM/RDF (each
decision an ``owl:Axiom`` named by its ``record_id``, slots as the SSSOM/RDF spec says). One
decision per (key, text, term): deciding again replaces it. Every write is one SPARQL update,
so it is all or nothing, and goes through the store the caller has (embedded, or the ``oxigraph``
server behind ``kg serve``).

In and out: :func:`read_sssom` reads SSSOM/TSV with sssom-pydantic (embedded or external
``.yml`` metadata, extension slots), and :func:`write_sssom` writes it. Reading is strict about
what SSSOM requires of the columns a decision needs (the CURIEs of ``predicate_id``,
``object_id``, ``mapping_justification`` must expand with the file's prefixes or SSSOM's
built-in ones) and refuses the whole file otherwise, naming the line; it repairs, with a note,
what it can without guessing (a missing ``mapping_set_id`` is named after the file; a literal
row without ``subject_id`` gets one minted from its text, as the spec allows). Rows that are
valid SSSOM but cannot be a decision (the object is a literal, ``sssom:NoTermFound``, no subject
text) are listed as skipped with the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

import pyoxigraph as ox

from kg.errors import ConfigError, SourceError
from kg.namespaces import BKG, DCT, OWL, RDF, RDFS, XSD
from kg.ontology import curies
from kg.ontology.fields import FieldTable, normalise_key
from kg.ontology.index import normalise
from kg.store import SelectResult, Store, data_block

MEMORY_GRAPH = "https://w3id.org/bioimage-kg/graph/mapping-memory"
MEMORY_SET_ID = "https://w3id.org/bioimage-kg/mappings/mapping-memory.sssom.tsv"
TEXT_NS = "https://w3id.org/bioimage-kg/text/"  # minted subject_id of a literal: bkgtext:<hash>
SSSOM = "https://w3id.org/sssom/"
SEMAPV = "https://w3id.org/semapv/vocab/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PAV = "http://purl.org/pav/"
MANUAL = SEMAPV + "ManualMappingCuration"
EXACT = SKOS + "exactMatch"
NO_TERM_FOUND = SSSOM + "NoTermFound"
NEGATED = SSSOM + "NegatedPredicate"
KEY_SLOT = "metadata_key"
KEY_PROPERTY = BKG + "metadataKey"
MAPPING_PREDICATES = {
    SKOS + "exactMatch",
    SKOS + "closeMatch",
    SKOS + "broadMatch",
    SKOS + "narrowMatch",
    SKOS + "relatedMatch",
    OWL + "equivalentClass",
}
# SSSOM's built-in prefixes (spec-intro.md, "IRI prefixes"): usable without a curie_map entry
BUILTIN_PREFIXES = {
    "sssom": SSSOM,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "semapv": SEMAPV,
    "xsd": XSD,
    "linkml": "https://w3id.org/linkml/",
    "dcterms": DCT,
    "pav": PAV,
    "prov": "http://www.w3.org/ns/prov#",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "orcid": "https://orcid.org/",
}
# SSSOM/RDF: the property of each slot (the slot's slot_uri, else sssom:<slot>); checked against
# the SSSOM LinkML schema by the tests
SLOT_PROPERTIES = {
    "subject_id": OWL + "annotatedSource",
    "predicate_id": OWL + "annotatedProperty",
    "object_id": OWL + "annotatedTarget",
    "subject_label": SSSOM + "subject_label",
    "subject_type": SSSOM + "subject_type",
    "object_label": SSSOM + "object_label",
    "mapping_justification": SSSOM + "mapping_justification",
    "confidence": SSSOM + "confidence",
    "author_id": PAV + "authoredBy",
    "author_label": SSSOM + "author_label",
    "mapping_date": DCT + "created",
    "object_source_version": SSSOM + "object_source_version",
    "predicate_modifier": SSSOM + "predicate_modifier",
    "comment": RDFS + "comment",
    "mapping_source": SSSOM + "mapping_source",
}
_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")


class SSSOMError(SourceError):
    """A file is not SSSOM/TSV that can be read; the message names the file, line and reason."""


@dataclass(frozen=True)
class Decision:
    """One reviewed decision of the memory (one SSSOM literal mapping)."""

    text: str
    term: str  # IRI
    predicate: str = EXACT  # IRI
    key: str | None = None  # the metadata key, as written; None: whatever the key
    term_label: str | None = None
    confidence: float | None = None
    curator: str | None = None  # IRI (ORCID, or {base}curator/<name>)
    curator_label: str | None = None
    date: str | None = None  # YYYY-MM-DD
    ontology_version: str | None = None  # of the term's ontology, when decided
    justification: str = MANUAL
    negated: bool = False  # "the text is NOT the term"
    comment: str | None = None
    source: str | None = None  # mapping_source: the set it was imported from
    subject_id: str | None = None
    record_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["term_curie"] = curies.compress(self.term, local_only=True) or self.term
        d["predicate_curie"] = _compact(self.predicate)
        return d


def scope_of(key: str | None, fields: FieldTable | None = None) -> str:
    """What a decision's key means for lookups: the field it names, else the normalised key;
    "" for a decision that holds whatever the key."""
    if not key:
        return ""
    if fields is not None:
        f = fields.resolve(key)
        if f is not None:
            return f.name
    return normalise_key(key)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\t".join(parts).encode("utf-8")).hexdigest()[:20]


def identify(d: Decision, base_iri: str) -> Decision:
    """Fill the minted identifiers: the text's subject_id (key and text) and the record_id
    (key, text and term), so that deciding the same again replaces the old decision."""
    k, t = normalise_key(d.key or ""), normalise(d.text)
    subject = d.subject_id or TEXT_NS + _digest(k, t)
    record = d.record_id or f"{base_iri}mapping/{_digest(k, t, d.term)}"
    curator, label = d.curator, d.curator_label
    if curator and not curies.looks_like_iri(curator):  # a name or an ORCID: made an IRI
        curator, named = curator_iri(curator, base_iri)
        label = label or named
    return replace(d, subject_id=subject, record_id=record, curator=curator, curator_label=label)


def curator_iri(who: str, base_iri: str) -> tuple[str, str | None]:
    """(IRI, label) of a curator given as an ORCID, an ORCID/other CURIE, an IRI or a name."""
    w = who.strip()
    if not w:
        raise ConfigError("a curator is required (an ORCID, an IRI or a name)")
    if _ORCID.match(w):
        return "https://orcid.org/" + w, None
    if curies.looks_like_iri(w):
        return w, None
    parts = curies.split_curie(w)
    if parts and parts[0].lower() == "orcid":
        return "https://orcid.org/" + parts[1], None
    if parts and " " not in w and (iri := curies.expand(w)):
        return iri, None
    return f"{base_iri}curator/{quote(w.lower().replace(' ', '-'), safe='')}", w


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


# -- SSSOM/RDF in the store --------------------------------------------------------------------


def decision_quads(d: Decision, graph: ox.NamedNode) -> list[ox.Quad]:
    """The SSSOM/RDF triples of one decision (``record_id`` and ``subject_id`` must be set)."""
    assert d.record_id and d.subject_id, "identify() the decision first"
    rec = ox.NamedNode(d.record_id)
    N, L = ox.NamedNode, ox.Literal
    out = [
        ox.Quad(rec, N(RDF + "type"), N(OWL + "Axiom"), graph),
        ox.Quad(rec, N(SLOT_PROPERTIES["subject_id"]), N(d.subject_id), graph),
        ox.Quad(rec, N(SLOT_PROPERTIES["predicate_id"]), N(d.predicate), graph),
        ox.Quad(rec, N(SLOT_PROPERTIES["object_id"]), N(d.term), graph),
        ox.Quad(rec, N(SLOT_PROPERTIES["subject_label"]), L(d.text), graph),
        ox.Quad(rec, N(SLOT_PROPERTIES["mapping_justification"]), N(d.justification), graph),
    ]
    if d.subject_id.startswith(TEXT_NS):
        out.append(ox.Quad(rec, N(SLOT_PROPERTIES["subject_type"]), N(RDFS + "Literal"), graph))

    def lit(slot: str, value: str | None, datatype: str | None = None) -> None:
        if value is not None:
            obj = L(value, datatype=N(datatype)) if datatype else L(value)
            out.append(ox.Quad(rec, N(SLOT_PROPERTIES[slot]), obj, graph))

    if d.key:
        out.append(ox.Quad(rec, N(KEY_PROPERTY), L(d.key), graph))
    lit("object_label", d.term_label)
    lit("confidence", None if d.confidence is None else repr(float(d.confidence)), XSD + "double")
    if d.curator:
        out.append(ox.Quad(rec, N(SLOT_PROPERTIES["author_id"]), N(d.curator), graph))
    lit("author_label", d.curator_label)
    lit("mapping_date", d.date, XSD + "date")
    lit("object_source_version", d.ontology_version)
    if d.negated:
        out.append(ox.Quad(rec, N(SLOT_PROPERTIES["predicate_modifier"]), N(NEGATED), graph))
    lit("comment", d.comment)
    if d.source:
        out.append(ox.Quad(rec, N(SLOT_PROPERTIES["mapping_source"]), N(d.source), graph))
    return out


def _decisions_from_rows(rows: Iterable[tuple[Any, ...]]) -> list[Decision]:
    per: dict[str, dict[str, str]] = defaultdict(dict)
    for rec, p, o in rows:
        if isinstance(rec, ox.NamedNode) and isinstance(p, ox.NamedNode) and o is not None:
            per[rec.value][p.value] = o.value
    inv = {v: k for k, v in SLOT_PROPERTIES.items()}
    out = []
    for rec, props in sorted(per.items()):
        slots = {inv[p]: v for p, v in props.items() if p in inv}
        if not {"subject_label", "predicate_id", "object_id"} <= set(slots):
            continue
        conf = slots.get("confidence")
        out.append(
            Decision(
                text=slots["subject_label"],
                term=slots["object_id"],
                predicate=slots["predicate_id"],
                key=props.get(KEY_PROPERTY),
                term_label=slots.get("object_label"),
                confidence=float(conf) if conf is not None else None,
                curator=slots.get("author_id"),
                curator_label=slots.get("author_label"),
                date=slots.get("mapping_date"),
                ontology_version=slots.get("object_source_version"),
                justification=slots.get("mapping_justification", MANUAL),
                negated=slots.get("predicate_modifier") == NEGATED,
                comment=slots.get("comment"),
                source=slots.get("mapping_source"),
                subject_id=slots.get("subject_id"),
                record_id=rec,
            )
        )
    return out


class MappingMemory:
    """The decisions in a store's memory graph: read, look up, add, remove (each write one
    transaction)."""

    def __init__(self, store: Store, base_iri: str, fields: FieldTable | None = None) -> None:
        self.store = store
        self.base_iri = base_iri
        self.fields = fields
        self.graph = ox.NamedNode(MEMORY_GRAPH)
        self._index: dict[tuple[str, str], list[Decision]] | None = None

    def decisions(self) -> list[Decision]:
        res = self.store.query(
            "SELECT ?rec ?p ?o ?g WHERE { GRAPH ?g { ?rec ?p ?o } }", substitutions={"g": self.graph}
        )
        assert isinstance(res, SelectResult)
        return _decisions_from_rows((r[0], r[1], r[2]) for r in res.rows)

    def get(self, record_id: str) -> Decision | None:
        return next((d for d in self.decisions() if d.record_id == record_id), None)

    def _lookup_index(self) -> dict[tuple[str, str], list[Decision]]:
        if self._index is None:
            idx: dict[tuple[str, str], list[Decision]] = defaultdict(list)
            for d in self.decisions():
                idx[(scope_of(d.key, self.fields), normalise(d.text))].append(d)
            for ds in idx.values():  # best first: the highest confidence, then the latest
                ds.sort(key=lambda d: d.date or "", reverse=True)
                ds.sort(key=lambda d: -(d.confidence if d.confidence is not None else 1.0))
            self._index = dict(idx)
        return self._index

    def lookup(self, text: str, key: str | None = None) -> list[Decision]:
        """Decisions for ``text``: those made under the same key (field) first, then those made
        for any key. Rejections (``negated``) are included; callers keep their terms out."""
        idx = self._lookup_index()
        t = normalise(text)
        scope = scope_of(key, self.fields)
        found = list(idx.get((scope, t), [])) if scope else []
        return found + [d for d in idx.get(("", t), []) if d not in found]

    def add(self, decisions: list[Decision]) -> list[Decision]:
        """Store decisions (replacing any with the same record_id), all in one transaction."""
        ready = [identify(d, self.base_iri) for d in decisions]
        if not ready:
            return []
        ops = [
            f"DELETE WHERE {{ GRAPH {self.graph} {{ {ox.NamedNode(d.record_id or '')} ?p ?o }} }}"
            for d in ready
        ]
        triples = data_block(q for d in ready for q in decision_quads(d, self.graph))
        ops.append(f"INSERT DATA {{ GRAPH {self.graph} {{\n{triples}\n}} }}")
        self.store.update(" ;\n".join(ops))
        self._index = None
        return ready

    def remove(self, record_id: str) -> bool:
        """Remove one decision; False when there was none."""
        node = ox.NamedNode(record_id)
        res = self.store.query("ASK { GRAPH ?g { ?r ?p ?o } }", substitutions={"g": self.graph, "r": node})
        if not getattr(res, "value", False):
            return False
        self.store.update(f"DELETE WHERE {{ GRAPH {self.graph} {{ {node} ?p ?o }} }}")
        self._index = None
        return True

    def import_file(self, path: Path | str, *, text: str | None = None) -> ReadReport:
        """Read an SSSOM/TSV file and add every usable row (one transaction); the report says
        what was skipped and why. Raises SSSOMError for a file that is not valid SSSOM."""
        report = read_sssom(path, text=text)
        report.decisions = self.add(report.decisions)
        return report

    def export(self, out: IO[str], **meta: str) -> int:
        ds = self.decisions()
        write_sssom(ds, out, **meta)
        return len(ds)


# -- SSSOM/TSV ----------------------------------------------------------------------------------


@dataclass
class ReadReport:
    path: str
    mapping_set_id: str | None = None
    decisions: list[Decision] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "line N: why"
    notes: list[str] = field(default_factory=list)  # repairs made while reading
    rows: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "mapping_set_id": self.mapping_set_id,
            "rows": self.rows,
            "decisions": len(self.decisions),
            "skipped": self.skipped,
            "notes": self.notes,
        }


def _frontmatter(text: str) -> tuple[list[str], list[str], int]:
    """(metadata lines without '#', the remaining lines, number of metadata lines)."""
    lines = text.splitlines(keepends=True)
    n = 0
    while n < len(lines) and lines[n].startswith("#"):
        n += 1
    return [ln[1:] for ln in lines[:n]], lines[n:], n


def _sibling_metadata(path: Path) -> Path | None:
    name = path.name
    for suffix in (".sssom.tsv", ".tsv"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            for ext in (".sssom.yml", ".sssom.yaml", ".yml", ".yaml"):
                cand = path.with_name(stem + ext)
                if cand.is_file():
                    return cand
    return None


def read_sssom(path: Path | str, *, text: str | None = None) -> ReadReport:
    """Read SSSOM/TSV into decisions (see the module docstring for what is refused, repaired,
    skipped). ``text`` is the file's content when it did not come from disk (uploads)."""
    import yaml
    from sssom_pydantic.io import read_unprocessed_iterable

    where = str(path)
    p = Path(path)
    if text is None:
        try:
            text = p.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SSSOMError(where, f"cannot read the file: {exc}") from exc
    report = ReadReport(where)
    meta_lines, body, n_meta = _frontmatter(text)
    meta_lines = [ln.rstrip() + "\n" for ln in meta_lines]  # spreadsheets leave trailing tabs
    try:
        inline = yaml.safe_load("".join(meta_lines)) if meta_lines else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise SSSOMError(
            where,
            f"the metadata block is not valid YAML: {getattr(exc, 'problem', exc)}",
            line=line,
            expected="'#'-prefixed YAML lines (curie_map, mapping_set_id, license...)",
        ) from exc
    if inline is not None and not isinstance(inline, dict):
        raise SSSOMError(where, "the metadata block is not a YAML mapping", line=1)
    external = _sibling_metadata(p) if p.name else None
    ext_meta: dict[str, Any] = {}
    if external is not None:
        try:
            ext_meta = yaml.safe_load(external.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise SSSOMError(str(external), f"the external metadata does not read: {exc}") from exc
        if not isinstance(ext_meta, dict):
            raise SSSOMError(str(external), "the external metadata is not a YAML mapping")
        report.notes.append(f"metadata read from {external.name}")
    meta = {**ext_meta, **(inline or {})}
    reader = csv.reader(io.StringIO("".join(body)), delimiter="\t")
    header = next(reader, None)
    columns = [c.strip() for c in header or []]
    required = {"predicate_id", "mapping_justification"}
    has_subject = "subject_id" in columns or "subject_label" in columns
    has_object = "object_id" in columns or "object_label" in columns
    missing = sorted(required - set(columns) - set(meta))
    if not columns or missing or not has_subject or not has_object:
        need = ", ".join(
            missing + ([] if has_subject else ["subject_id"]) + ([] if has_object else ["object_id"])
        )
        raise SSSOMError(
            where,
            f"not an SSSOM mapping table: the header (line {n_meta + 1}) lacks "
            f"{need or 'every SSSOM column'}",
            line=n_meta + 1,
            expected="a header with subject_id, predicate_id, object_id and mapping_justification",
        )
    overrides: dict[str, Any] = {}
    if not meta.get("mapping_set_id"):
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
        minted = f"https://w3id.org/bioimage-kg/mapping-set/{digest}/{quote(p.name or 'upload', safe='')}"
        first = next((ln for ln in meta_lines if ln.strip()), "")
        indent = first[: len(first) - len(first.lstrip(" "))]
        meta_lines.append(f"{indent}mapping_set_id: {minted}\n")  # the inline block must validate alone
        report.notes.append(f"no mapping_set_id (SSSOM requires one): the set is named {minted}")
    elif not str(meta["mapping_set_id"]).startswith(("http://", "https://")):
        report.notes.append(
            f"mapping_set_id {meta['mapping_set_id']!r} is not an IRI; read as "
            f"https://w3id.org/sssom/mapping-set/{meta['mapping_set_id']}"
        )
    if not meta.get("license"):
        report.notes.append("no license (SSSOM requires one)")
    # literal rows without a subject_id / object_id get one minted from the text (the spec lets
    # them leave it empty; sssom-pydantic needs it), under the bkgtext: prefix
    rows = list(reader)
    fixed = _mint_literal_ids(columns, rows, meta)
    if fixed:
        columns = fixed[0]
        rows = fixed[1]
        overrides["curie_map"] = {"bkgtext": TEXT_NS}
    out = io.StringIO()
    out.writelines("#" + ln if ln.endswith("\n") else "#" + ln + "\n" for ln in meta_lines)
    w = csv.writer(out, delimiter="\t", lineterminator="\n")
    w.writerow(columns)
    w.writerows(rows)
    out.seek(0)
    try:
        with read_unprocessed_iterable(
            out,
            metadata_path=external,
            metadata=_metadata_override(meta, overrides) if overrides else None,
        ) as t:
            records = list(t.records)
            converter = t.converter
            report.mapping_set_id = str(t.mapping_set.id)
    except SSSOMError:
        raise
    except Exception as exc:  # pydantic ValidationError, curies errors: not valid SSSOM metadata
        raise SSSOMError(
            where, f"the mapping set metadata is not valid SSSOM: {_short(exc)}", line=1
        ) from exc
    errors = []
    for line, rec in records:
        report.rows += 1
        if not hasattr(rec, "subject_id"):
            problem = getattr(rec, "exception", None)
            errors.append(f"line {line}: {_short(problem) if problem else rec}")
            continue
        try:
            d, why = _to_decision(rec, converter, report.mapping_set_id)
        except ValueError as exc:
            errors.append(f"line {line}: {exc}")
            continue
        if d is None:
            report.skipped.append(f"line {line}: {why}")
        else:
            report.decisions.append(d)
    if errors:
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise SSSOMError(where, "not valid SSSOM: " + "; ".join(errors[:3]) + more)
    return report


def _metadata_override(meta: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The metadata passed to sssom-pydantic ahead of the file's own: only what we add (its
    curie_map is merged with the file's, so the file's prefixes stay)."""
    out = {k: v for k, v in overrides.items() if k != "curie_map"}
    if "curie_map" in overrides:
        out["curie_map"] = {**(meta.get("curie_map") or {}), **overrides["curie_map"]}
    if "mapping_set_id" not in out:
        out["mapping_set_id"] = meta.get("mapping_set_id")
    return out


def _mint_literal_ids(
    columns: list[str], rows: list[list[str]], meta: dict[str, Any]
) -> tuple[list[str], list[list[str]]] | None:
    """Give literal subjects/objects without an id a bkgtext: id (None when none needs one).
    The type may be a column or condensed into the metadata."""
    changed = False
    cols = list(columns)
    for side in ("subject", "object"):
        id_col, label_col, type_col = f"{side}_id", f"{side}_label", f"{side}_type"
        condensed = str(meta.get(type_col) or "").strip() == "rdfs literal"
        if label_col not in cols or (type_col not in cols and not condensed):
            continue
        if id_col not in cols:
            cols.append(id_col)
            for r in rows:
                r.append("")
        i, j = cols.index(id_col), cols.index(label_col)
        k = cols.index(type_col) if type_col in cols else None
        for r in rows:
            while len(r) < len(cols):
                r.append("")
            literal = (r[k].strip() if k is not None else "") == "rdfs literal" or (condensed and k is None)
            if not r[i].strip() and literal and r[j].strip():
                r[i] = "bkgtext:" + _digest("", normalise(r[j]))
                changed = True
    return (cols, rows) if changed else None


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    if len(text) >= 2 and "validation error" in text[0]:
        return f"{text[1].strip()}: {text[2].strip() if len(text) > 2 else ''}".rstrip(": ")
    return text[0] if text else type(exc).__name__


def _expand(converter: Any, curie: str, slot: str) -> str:
    if curies.looks_like_iri(curie):
        return curie
    if curies.split_curie(curie) is None:
        raise ValueError(f"{slot} {curie!r} is not a CURIE (expected prefix:identifier)")
    iri = converter.expand(curie)
    if iri is None:
        prefix = curie.split(":", 1)[0]
        iri = (
            BUILTIN_PREFIXES.get(prefix, "") + curie.split(":", 1)[1] if prefix in BUILTIN_PREFIXES else None
        )
    if iri is None:
        raise ValueError(
            f"{slot} {curie!r}: the prefix {curie.split(':', 1)[0]!r} is not declared in the curie_map "
            "nor built into SSSOM"
        )
    return str(iri)


def _to_decision(rec: Any, converter: Any, mapping_set_id: str | None) -> tuple[Decision | None, str]:
    """One record as a decision, or (None, why it cannot be one). Raises ValueError when the
    record is not valid SSSOM."""
    predicate = _expand(converter, rec.predicate_id, "predicate_id")
    justification = _expand(converter, rec.mapping_justification, "mapping_justification")
    subject = _expand(converter, rec.subject_id, "subject_id")
    obj = _expand(converter, rec.object_id, "object_id")
    if rec.object_type == "rdfs literal" or obj.startswith(TEXT_NS) or rec.object_id.startswith("bkgtext:"):
        return None, f"the object {rec.object_label or rec.object_id!r} is a literal, not a term"
    if obj == NO_TERM_FOUND or subject == NO_TERM_FOUND:
        return None, "sssom:NoTermFound: no term to remember"
    if not rec.subject_label:
        return None, f"no subject text (subject_label) to remember for {rec.subject_id}"
    key = None
    if rec.extensions and KEY_SLOT in rec.extensions:
        key = str(rec.extensions[KEY_SLOT].value)
    author = None
    if rec.author_id:
        author = _expand(converter, rec.author_id[0], "author_id")
    return (
        Decision(
            text=rec.subject_label,
            term=obj,
            predicate=predicate,
            key=key,
            term_label=rec.object_label,
            confidence=rec.confidence,
            curator=author,
            curator_label=rec.author_label[0] if rec.author_label else None,
            date=rec.mapping_date.isoformat() if rec.mapping_date else None,
            ontology_version=rec.object_source_version,
            justification=justification,
            negated=rec.predicate_modifier == "Not",
            comment=rec.comment,
            source=_expand(converter, rec.mapping_source, "mapping_source")
            if rec.mapping_source
            else (mapping_set_id if mapping_set_id and mapping_set_id != MEMORY_SET_ID else None),
            subject_id=subject,
            record_id=_expand(converter, rec.record_id, "record_id") if rec.record_id else None,
        ),
        "",
    )


def _compact(iri: str) -> str:
    for prefix, ns in (
        ("skos", SKOS),
        ("owl", OWL),
        ("semapv", SEMAPV),
        ("sssom", SSSOM),
        ("bkgtext", TEXT_NS),
    ):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    return (
        curies.compress(iri, local_only=True) or iri
    )  # never bioregistry's full converter: seconds to build


def write_sssom(
    decisions: list[Decision],
    out: IO[str],
    *,
    mapping_set_id: str = MEMORY_SET_ID,
    title: str = "bioimage-kg mapping memory: reviewed decisions for free-text metadata values",
    license: str = "https://creativecommons.org/publicdomain/zero/1.0/",
) -> None:
    """Write decisions as SSSOM/TSV (literal mappings, the key as the ``metadata_key``
    extension slot) with sssom-pydantic; CURIEs for every IRI, prefixes in the curie_map."""
    import curies as curies_lib
    from curies import Reference
    from sssom_pydantic import MappingSetRecord, Record, Slot
    from sssom_pydantic.io import write_unprocessed

    prefix_map: dict[str, str] = {"bkgtext": TEXT_NS, "bkg": BKG, **BUILTIN_PREFIXES}
    extra: dict[str, str] = {}

    def c(iri: str) -> str:
        for prefix, ns in (*prefix_map.items(), *extra.items()):
            if iri.startswith(ns) and iri != ns:
                return f"{prefix}:{iri[len(ns) :]}"
        curie = curies.compress(iri, local_only=True)
        if curie is not None:
            prefix, local = curie.split(":", 1)
            extra[prefix] = iri[: len(iri) - len(local)]
            return curie
        # an IRI no prefix covers: declare its namespace (up to the last / or #)
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        seg = re.sub(r"[^A-Za-z0-9]", "", iri[:cut].rstrip("/#").rsplit("/", 1)[-1])
        prefix = seg if seg and seg[0].isalpha() and seg not in prefix_map and seg not in extra else ""
        prefix = prefix or f"ns{len(extra) + 1}"
        extra[prefix] = iri[:cut]
        return f"{prefix}:{iri[cut:]}"

    records = []
    for d in decisions:
        ext = None
        if d.key:
            ext = {KEY_SLOT: Slot(predicate=Reference.from_curie("bkg:metadataKey"), value=d.key)}
        records.append(
            Record(
                record_id=c(d.record_id) if d.record_id else None,
                subject_id=c(
                    d.subject_id or TEXT_NS + _digest(normalise_key(d.key or ""), normalise(d.text))
                ),
                subject_label=d.text,
                subject_type="rdfs literal",
                predicate_id=c(d.predicate),
                predicate_modifier="Not" if d.negated else None,
                object_id=c(d.term),
                object_label=d.term_label,
                mapping_justification=c(d.justification),
                author_id=[c(d.curator)] if d.curator else None,
                author_label=[d.curator_label] if d.curator_label else None,
                confidence=d.confidence,
                mapping_date=dt.date.fromisoformat(d.date) if d.date else None,
                object_source_version=d.ontology_version,
                mapping_source=c(d.source) if d.source else None,
                comment=d.comment,
                extensions=ext,
            )
        )
    prefix_map.update(extra)
    meta = MappingSetRecord.model_validate(
        {
            "mapping_set_id": mapping_set_id,
            "mapping_set_title": title,
            "license": license,
            "extension_definitions": [
                {"slot_name": KEY_SLOT, "property": "bkg:metadataKey", "type_hint": "xsd:string"}
            ],
        }
    )
    converter = curies_lib.Converter.from_prefix_map(prefix_map)
    used = {"bkg", "xsd"}
    for r in records:
        for v in (r.record_id, r.subject_id, r.predicate_id, r.object_id, r.mapping_justification,
                  r.mapping_source, *(r.author_id or [])):  # fmt: skip
            if v:
                used.add(v.split(":", 1)[0])
    write_unprocessed(records, out, metadata=meta, converter=converter, prefixes=used, condense=False)


__all__ = [
    "MEMORY_GRAPH",
    "Decision",
    "MappingMemory",
    "ReadReport",
    "SSSOMError",
    "curator_iri",
    "identify",
    "read_sssom",
    "scope_of",
    "write_sssom",
]
