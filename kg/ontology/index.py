"""The local term index: find ontology terms by label, synonym, IRI or CURIE, and check them.

Built from the ontology graphs in the store (one pass per ontology), cached on disk next to the
store and rebuilt when the loaded ontologies change. Search goes tier by tier:

1. the IRI or CURIE itself (any case of the prefix, any bioregistry synonym): that term alone;
2. the whole label, then the whole synonym (exact, then related, narrow, broad), normalised;
3. a label, then a synonym, starting with the query (while there are fewer than ``limit`` hits);
4. fuzzy, only when tier 2 found nothing and there are still fewer than ``limit`` hits:
   character trigrams shared with the query pick at most 60 candidates (numpy), and rapidfuzz's
   token-sort ratio scores them (cutoff 75/100).

Normalisation: Unicode NFKC, case folded, accents dropped, Greek letters spelled out (α → alpha;
µ and μ → u, so "µm" finds "um"), hyphens, underscores, slashes and punctuation as spaces,
-metre/-litre as -meter/-liter, whitespace collapsed. An obsolete term's label is also indexed
without its "obsolete " prefix; obsolete terms rank after current ones in their tier.

Each term belongs to the ontologies whose graph defines it with one of their ``term_prefixes``
and labels it. Parents are ``rdfs:subClassOf`` between named classes, the named classes of an
``owl:equivalentClass`` intersection, and ``bkg:parentIsaOrPartOf`` (UBERON/EFO in the mirror).
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import os
import pickle
import re
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kg import __version__
from kg.errors import ConfigError
from kg.namespaces import OWL
from kg.ontology import curies
from kg.ontology.extract import (
    CONSIDER,
    DEFINITIONS,
    DEPRECATED,
    EQUIVALENT,
    FIRST,
    INTERSECTION,
    LABELS,
    OBO,
    PARENT_ISA_OR_PART_OF,
    PREDICATES,
    REPLACED_BY,
    REST,
    SUBCLASS,
    SYNONYM_SCOPES,
    TYPE,
    load_extract,
    to_row,
)
from kg.ontology.fetch import read_catalogue
from kg.ontology.hierarchy import bridge_edges, graph_triples, loaded_fingerprint
from kg.ontology.manifest import Manifest, default_manifest
from kg.ontology.model import Hit, SearchResult, Term
from kg.resources import data_dir
from kg.store import Store

INDEX_FORMAT = 1
DEFAULT_TYPES = (OWL + "Class",)
OWL_THING = OWL + "Thing"

# ranking: kind code -> (tier, base score, match, words)
_KINDS = {
    0: (1, 1.00, "exact label", "label"),
    1: (2, 0.95, "exact synonym", "exact synonym"),
    2: (2, 0.95, "exact synonym", "symbol"),
    3: (2, 0.90, "exact synonym", "related synonym"),
    4: (2, 0.88, "exact synonym", "narrow synonym"),
    5: (2, 0.86, "exact synonym", "broad synonym"),
}
_SCOPE_KIND = {"label": 0, "exact": 1, "symbol": 2, "related": 3, "narrow": 4, "broad": 5}
_PREFIX_SCAN = 600  # keys looked at in the prefix tier
_FUZZY_CANDIDATES = 60
_COMMON_TRIGRAM = 2000  # keys: a trigram in more is too common to pick candidates by
_FUZZY_SHARED = 0.4  # share of the query's trigrams a fuzzy candidate must have
FUZZY_CUTOFF = 75.0
OBSOLETE_PENALTY = 0.05

# -- normalisation ---------------------------------------------------------------------------

_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta", "η": "eta",
    "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "u", "ν": "nu", "ξ": "xi",
    "ο": "omicron", "π": "pi", "ρ": "rho", "σ": "sigma", "ς": "sigma", "τ": "tau", "υ": "upsilon",
    "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}  # fmt: skip
_GREEK_TABLE = str.maketrans(_GREEK)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_/\\,;:()\[\]{}'\"`‘’“”*|]+")
_METRE = re.compile(r"(me|li)tre(s?)\b")


def normalise(text: str) -> str:
    """The form labels, synonyms and queries are compared in (see the module docstring)."""
    if text.isascii():
        t = text.lower()
    else:
        t = unicodedata.normalize("NFKC", text).casefold().translate(_GREEK_TABLE)
        t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    t = _SEPARATORS.sub(" ", t)
    t = _METRE.sub(r"\1ter\2", t)
    return t.strip()


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


# -- records -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BranchCheck:
    """Whether a term sits under one of the branches a field expects."""

    field: str
    ok: bool
    expected: tuple[str, ...]  # CURIEs of the allowed branch roots
    expected_labels: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class TermDetails:
    term: Term
    synonyms: tuple[tuple[str, str], ...]  # (text, scope): exact, related, narrow, broad, symbol
    consider: tuple[str, ...]  # IRIs an obsolete term suggests instead
    parents: tuple[Term, ...]
    ancestors: tuple[Term, ...]  # nearest first
    ontologies: tuple[str, ...]  # every loaded ontology that defines the term
    branches: tuple[BranchCheck, ...] = ()


@dataclass(frozen=True)
class FieldBranches:
    field: str
    roots: tuple[str, ...]  # IRIs
    types: tuple[str, ...] = ()  # or: an instance of one of these (QUDT units)
    description: str = ""


def load_branches(path: Path | None = None) -> dict[str, FieldBranches]:
    """The expected branch per field (``ontologies/branches.yaml``)."""
    import yaml

    path = path or data_dir("ontologies") / "branches.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the expected branches: {exc}") from exc
    fields = raw.get("fields") if isinstance(raw, dict) else None
    if not isinstance(fields, dict):
        raise ConfigError(f"{path}: expected a mapping 'fields: {{name: {{under: [CURIE, ...]}}}}'")
    out = {}
    for name, spec in fields.items():
        if not isinstance(spec, dict) or not (spec.get("under") or spec.get("types")):
            raise ConfigError(f"{path}: field {name!r} needs 'under' (branch CURIEs) or 'types'")
        roots: list[str] = []
        types: list[str] = []
        for key, dest in (("under", roots), ("types", types)):
            for c in spec.get(key) or []:
                iri = curies.to_iri(str(c))
                if iri is None:
                    raise ConfigError(f"{path}: field {name!r}: {c!r} is not a known CURIE or an IRI")
                dest.append(iri)
        out[name] = FieldBranches(name, tuple(roots), tuple(types), str(spec.get("description", "")))
    return out


# the per-term row kept in the index (plain tuples: fast to pickle, safe to unpickle)
# (iri, curie, label, ontology, synonyms, definition, obsolete, replaced_by, consider, member_of, types)
_Row = tuple[
    str, str, str, str, tuple[tuple[str, str], ...], str | None, bool, str | None, tuple[str, ...],
    tuple[str, ...], tuple[str, ...],
]  # fmt: skip


class _SafeUnpickler(pickle.Unpickler):
    """Only builtin containers and scalars: a cache file can never run code."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in the term index cache")


# -- the index ---------------------------------------------------------------------------------


@dataclass
class BuildReport:
    terms: int
    keys: int
    seconds: float
    from_cache: bool
    path: Path | None = None
    read_from_store: list[str] = field(default_factory=list)  # ontologies without a usable extract


@dataclass
class TermIndex:
    rows: list[_Row]
    by_iri: dict[str, int]
    by_curie: dict[str, int]  # lower-cased CURIE (and OBO id with "_") -> row
    keys: list[str]  # sorted normalised labels and synonyms
    postings: list[tuple[tuple[int, int, str], ...]]  # per key: (row, kind, original text)
    parents: dict[str, tuple[str, ...]]  # subclass (asserted, or the genus of a definition)
    part_parents: dict[str, tuple[str, ...]]  # bkg:parentIsaOrPartOf (UBERON, EFO lite)
    foreign_labels: dict[str, str]  # labels of classes outside the indexed ontologies
    tri_offsets: np.ndarray
    tri_keys: np.ndarray
    key_ntri: np.ndarray
    tri_ids: dict[str, int]
    fingerprint: str
    ontologies: dict[str, str]  # id -> loaded version
    branches: dict[str, FieldBranches] = field(default_factory=dict)
    _terms: dict[int, Term] = field(default_factory=dict, repr=False)
    _order: dict[str, int] = field(default_factory=dict, repr=False)  # manifest position of each ontology
    report: BuildReport | None = None

    # ---- building ----

    @classmethod
    def build(cls, store: Store, manifest: Manifest | None = None, extracts: Path | None = None) -> TermIndex:
        """Read every loaded ontology's terms: from its extract in ``extracts`` when one matches
        the loaded file's checksum (fast), else from the store."""
        t0 = time.perf_counter()
        manifest = manifest or default_manifest()
        fingerprint = _fingerprint(store, manifest)
        catalogue = read_catalogue(store, manifest)
        entries: dict[str, dict[str, Any]] = {}
        foreign: dict[str, str] = {}
        parents: dict[str, set[str]] = defaultdict(set)
        part_parents: dict[str, set[str]] = defaultdict(set)
        loaded = [o for o in manifest.ontologies if o.id in catalogue]
        from_store = []
        for ont in loaded:
            rows_in = load_extract(extracts, ont.id, catalogue[ont.id].sha256) if extracts else None
            if rows_in is None:
                from_store.append(ont.id)
                rows_in = [
                    to_row(s_, p_, o_)
                    for s_, p_, o_ in graph_triples(store, manifest.graph_iri(ont.id), sorted(PREDICATES))
                ]
            per: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
            for subj, pred, value, kind in rows_in:
                per[subj][pred].append((value, kind))
            _structure(per, parents, part_parents)
            wanted_types = set(ont.term_types or DEFAULT_TYPES)
            for iri, props in per.items():
                if iri.startswith("_:"):
                    continue
                labels = _english(props, LABELS)
                if not labels:
                    continue
                types = {v for v, k in props.get(TYPE, ()) if k == "iri"}
                if not ont.owns(iri) or not (types & wanted_types):
                    foreign.setdefault(iri, labels[0])
                    continue
                e = entries.get(iri)
                if e is None:
                    e = entries[iri] = {
                        "ontology": ont.id,
                        "curie": _curie(iri, ont.curie_prefix, ont.curie_namespace),
                        "labels": [],
                        "synonyms": [],
                        "definition": None,
                        "obsolete": False,
                        "replaced_by": None,
                        "consider": [],
                        "members": [],
                        "types": set(),
                    }
                e["members"].append(ont.id)
                e["types"] |= types
                for lab in labels:
                    if lab not in e["labels"]:
                        e["labels"].append(lab)
                for p, scope in SYNONYM_SCOPES.items():
                    for text in _english(props, (p,)):
                        if (text, scope) not in e["synonyms"]:
                            e["synonyms"].append((text, scope))
                if e["definition"] is None:
                    defs = _english(props, DEFINITIONS)
                    e["definition"] = defs[0] if defs else None
                if any(v.lower() == "true" for p in DEPRECATED for v, _k in props.get(p, ())):
                    e["obsolete"] = True
                for p in REPLACED_BY:
                    for v, _k in props.get(p, ()):
                        e["replaced_by"] = e["replaced_by"] or _ref(v)
                for v, _k in props.get(CONSIDER[0], ()):
                    ref = _ref(v)
                    if ref and ref not in e["consider"]:
                        e["consider"].append(ref)
        for child, ps in bridge_edges().items():
            parents[child] |= ps
        rows: list[_Row] = []
        for iri in sorted(entries):
            e = entries[iri]
            label, *more = e["labels"]
            synonyms = [(x, "exact") for x in more] + e["synonyms"]
            if e["obsolete"] and not e["replaced_by"] and e["definition"]:
                m = re.search(r"[Dd]uplicate of (\S+?)\.?(\s|$)", e["definition"])
                if m and (ref := _ref(m.group(1))) and ref not in e["consider"]:
                    e["consider"].append(ref)
            rows.append(
                (
                    iri,
                    e["curie"],
                    label,
                    e["ontology"],
                    tuple(synonyms),
                    e["definition"],
                    e["obsolete"],
                    e["replaced_by"],
                    tuple(e["consider"]),
                    tuple(e["members"]),
                    tuple(sorted(e["types"])),
                )
            )
        index = cls._assemble(
            rows,
            {k: tuple(sorted(v)) for k, v in parents.items()},
            {k: tuple(sorted(v)) for k, v in part_parents.items()},
            foreign,
            fingerprint,
            {o.id: catalogue[o.id].version for o in loaded},
        )
        index.report = BuildReport(
            len(rows), len(index.keys), time.perf_counter() - t0, False, read_from_store=from_store
        )
        return index

    @classmethod
    def _assemble(
        cls,
        rows: list[_Row],
        parents: dict[str, tuple[str, ...]],
        part_parents: dict[str, tuple[str, ...]],
        foreign: dict[str, str],
        fingerprint: str,
        ontologies: dict[str, str],
    ) -> TermIndex:
        by_iri = {r[0]: i for i, r in enumerate(rows)}
        by_curie: dict[str, int] = {}
        grouped: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for i, r in enumerate(rows):
            iri, curie, label, _ont, synonyms, _d, obsolete = r[:7]
            by_curie.setdefault(curie.lower(), i)
            if iri.startswith(OBO):
                by_curie.setdefault(iri[len(OBO) :].lower(), i)  # OBO ids written FBbi_00000246
            texts = [(label, 0)]
            if obsolete and label.lower().startswith("obsolete"):
                texts.append((label[8:].lstrip(" _:"), 0))
            texts += [(t, _SCOPE_KIND[s]) for t, s in synonyms]
            seen: set[tuple[str, int]] = set()
            for text, kind in texts:
                key = normalise(text)
                if key and (key, kind) not in seen:
                    seen.add((key, kind))
                    grouped[key].append((i, kind, text))
        keys = sorted(grouped)
        postings = [tuple(sorted(grouped[k], key=lambda p: (p[1], rows[p[0]][6], p[0]))) for k in keys]
        tri_ids: dict[str, int] = {}
        lists: list[list[int]] = []
        ntri = np.zeros(len(keys), dtype=np.int32)
        for ki, key in enumerate(keys):
            grams = _trigrams(key)
            ntri[ki] = len(grams)
            for g in grams:
                tid = tri_ids.get(g)
                if tid is None:
                    tid = tri_ids[g] = len(lists)
                    lists.append([])
                lists[tid].append(ki)
        offsets = np.zeros(len(lists) + 1, dtype=np.int64)
        offsets[1:] = np.cumsum([len(x) for x in lists])
        flat = np.fromiter((k for x in lists for k in x), dtype=np.int32, count=int(offsets[-1]))
        return cls(
            rows=rows,
            by_iri=by_iri,
            by_curie=by_curie,
            keys=keys,
            postings=postings,
            parents=parents,
            part_parents=part_parents,
            foreign_labels=foreign,
            tri_offsets=offsets,
            tri_keys=flat,
            key_ntri=ntri,
            tri_ids=tri_ids,
            fingerprint=fingerprint,
            ontologies=ontologies,
        )

    # ---- the cache ----

    def save(self, path: Path) -> None:
        """Write the cache atomically (a temporary file renamed over the old one). Everything is
        builtins (numpy arrays as bytes), so loading needs no recomputation and runs no code."""
        payload = {
            "format": INDEX_FORMAT,
            "kg": __version__,
            "fingerprint": self.fingerprint,
            "ontologies": self.ontologies,
            "rows": self.rows,
            "by_curie": self.by_curie,
            "keys": self.keys,
            "postings": self.postings,
            "parents": self.parents,
            "part_parents": self.part_parents,
            "foreign": self.foreign_labels,
            "tri_ids": self.tri_ids,
            "arrays": {
                name: (arr.dtype.str, arr.tobytes())
                for name, arr in (
                    ("tri_offsets", self.tri_offsets),
                    ("tri_keys", self.tri_keys),
                    ("key_ntri", self.key_ntri),
                )
            },
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".partial")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(payload, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> TermIndex | None:
        """The cached index, or None when the file is absent, unreadable or of another format."""
        try:
            with path.open("rb") as fh:
                payload = _SafeUnpickler(fh).load()
            if payload.get("format") != INDEX_FORMAT or payload.get("kg") != __version__:
                return None
            arrays = {k: np.frombuffer(b, dtype=np.dtype(d)) for k, (d, b) in payload["arrays"].items()}
            rows = payload["rows"]
            return cls(
                rows=rows,
                by_iri={r[0]: i for i, r in enumerate(rows)},
                by_curie=payload["by_curie"],
                keys=payload["keys"],
                postings=payload["postings"],
                parents=payload["parents"],
                part_parents=payload["part_parents"],
                foreign_labels=payload["foreign"],
                tri_offsets=arrays["tri_offsets"],
                tri_keys=arrays["tri_keys"],
                key_ntri=arrays["key_ntri"],
                tri_ids=payload["tri_ids"],
                fingerprint=payload["fingerprint"],
                ontologies=payload["ontologies"],
            )
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, KeyError, ValueError, TypeError):
            return None

    @classmethod
    def open(
        cls,
        store: Store,
        cache: Path | None = None,
        *,
        manifest: Manifest | None = None,
        rebuild: bool = False,
    ) -> TermIndex:
        """The index for what ``store`` holds now: from ``cache`` if it is current, else built
        (from the extracts beside the cache, or the store) and cached."""
        manifest = manifest or default_manifest()
        t0 = time.perf_counter()
        if cache is not None and not rebuild:
            cached = cls.load(cache)
            if cached is not None and cached.fingerprint == _fingerprint(store, manifest):
                cached.report = BuildReport(
                    len(cached.rows), len(cached.keys), time.perf_counter() - t0, True, cache
                )
                cached.branches = load_branches()
                _freeze()
                return cached
        index = cls.build(store, manifest, extracts=extracts_dir(cache) if cache else None)
        index.branches = load_branches()
        if cache is not None:
            index.save(cache)
            if index.report:
                index.report.path = cache
        _freeze()
        return index

    # ---- looking up ----

    def __post_init__(self) -> None:
        self._order.update({oid: i for i, oid in enumerate(self.ontologies)})

    def __len__(self) -> int:
        return len(self.rows)

    def term(self, row: int) -> Term:
        t = self._terms.get(row)
        if t is None:
            r = self.rows[row]
            t = self._terms[row] = Term(
                iri=r[0],
                curie=r[1],
                label=r[2],
                ontology=r[3],
                synonyms=tuple(s for s, _ in r[4]),
                definition=r[5],
                obsolete=r[6],
                replaced_by=r[7],
                source="local",
            )
        return t

    def resolve(self, ref: str) -> str | None:
        """The IRI an IRI or CURIE names, if it is a term of the index (else None)."""
        ref = ref.strip()
        row = self._row_of(ref)
        return self.rows[row][0] if row is not None else None

    def _row_of(self, ref: str) -> int | None:
        t = ref.strip().strip("<>")
        row = self.by_iri.get(t)
        if row is not None:
            return row
        row = self.by_curie.get(t.lower())
        if row is not None:
            return row
        if curies.looks_like_iri(t) or curies.split_curie(t) is None:
            return None
        iri = curies.expand(t)
        return self.by_iri.get(iri) if iri else None

    def get(self, ref: str) -> Term | None:
        """The term an IRI or CURIE names, or None."""
        row = self._row_of(ref)
        return self.term(row) if row is not None else None

    def label(self, iri: str) -> str | None:
        row = self.by_iri.get(iri)
        return self.rows[row][2] if row is not None else self.foreign_labels.get(iri)

    def _ref_term(self, iri: str) -> Term:
        row = self.by_iri.get(iri)
        if row is not None:
            return self.term(row)
        return Term(
            iri=iri,
            curie=curies.compress(iri, local_only=True) or iri,
            label=self.foreign_labels.get(iri, ""),
            ontology="",
        )

    def ancestors(self, iri: str, *, part_of: bool = True) -> list[str]:
        """Every ancestor IRI, nearest first (breadth-first): superclasses, and with ``part_of``
        the is_a-or-part_of parents UBERON and EFO lite have instead."""
        out: list[str] = []
        seen = {iri}
        frontier = [iri]
        while frontier:
            nxt = []
            for node in frontier:
                ps = self.parents.get(node, ())
                if part_of:
                    ps = ps + self.part_parents.get(node, ())
                for p in ps:
                    if p not in seen and p != OWL_THING:
                        seen.add(p)
                        out.append(p)
                        nxt.append(p)
            frontier = nxt
        return out

    def is_under(self, iri: str, roots: Iterable[str]) -> bool:
        """Whether ``iri`` is one of ``roots`` or below one of them."""
        want = set(roots)
        return iri in want or not want.isdisjoint(self.ancestors(iri))

    def check_branch(self, ref: str, field_name: str) -> BranchCheck:
        """Whether the term fits ``field_name`` (ontologies/branches.yaml)."""
        spec = self.branches.get(field_name)
        if spec is None:
            known = ", ".join(sorted(self.branches))
            raise ConfigError(f"ontologies/branches.yaml: no field {field_name!r} (known: {known})")
        iri = self.resolve(ref) or curies.to_iri(ref) or ref
        row = self.by_iri.get(iri)
        ok = self.is_under(iri, spec.roots) if spec.roots else False
        if not ok and spec.types and row is not None:
            ok = not set(spec.types).isdisjoint(self.rows[row][10])
        expected = spec.roots + spec.types
        return BranchCheck(
            field_name,
            ok,
            tuple(curies.compress(x, local_only=True) or x for x in expected),
            tuple(self.label(x) or "" for x in expected),
            spec.description,
        )

    def details(self, ref: str) -> TermDetails | None:
        """Everything ``kg terms show`` prints: label, definition, synonyms with their scope,
        obsolete flag and replacement, parents, ancestors, and the branch checks of the fields
        whose branches lie in the term's ontology."""
        row = self._row_of(ref)
        if row is None:
            return None
        r = self.rows[row]
        iri = r[0]
        ancestors = self.ancestors(iri)
        checks = []
        related_ids = set(r[9])
        for name, spec in sorted(self.branches.items()):
            roots_rows = [self.by_iri.get(x) for x in spec.roots]
            in_same = any(x is not None and related_ids & set(self.rows[x][9]) for x in roots_rows)
            typed = bool(spec.types) and not set(spec.types).isdisjoint(r[10])
            if in_same or typed:
                checks.append(self.check_branch(iri, name))
        return TermDetails(
            term=self.term(row),
            synonyms=r[4],
            consider=r[8],
            parents=tuple(
                self._ref_term(p)
                for p in self.parents.get(iri, ()) + self.part_parents.get(iri, ())
                if p != OWL_THING
            ),
            ancestors=tuple(self._ref_term(a) for a in ancestors),
            ontologies=r[9],
            branches=tuple(checks),
        )

    # ---- search ----

    def search(
        self,
        text: str,
        *,
        ontologies: Iterable[str] | None = None,
        limit: int = 10,
        fuzzy: bool = True,
        include_obsolete: bool = True,
    ) -> SearchResult:
        """Terms for ``text``, best first, each with the reason it matched (module docstring)."""
        result = SearchResult(source="local")
        query = text.strip()
        if not query or limit < 1:
            return result
        allowed = set(ontologies) if ontologies else None
        if allowed is not None:
            unknown = allowed - set(self.ontologies)
            if unknown:
                result.notice = f"not loaded, not searched: {', '.join(sorted(unknown))}"
        best: dict[int, tuple[tuple[float, ...], Hit]] = {}

        def ok(row: int) -> bool:
            r = self.rows[row]
            if not include_obsolete and r[6]:
                return False
            return allowed is None or not allowed.isdisjoint(r[9])

        def add(row: int, tier: int, score: float, match: str, matched: str, reason: str) -> None:
            if not ok(row):
                return
            r = self.rows[row]
            if r[6]:
                score -= OBSOLETE_PENALTY
                reason += "; obsolete" + (f", replaced by {self._curie_of(r[7])}" if r[7] else "")
            rank = (tier, 1.0 if r[6] else 0.0, -score, self._order.get(r[3], 99), len(r[2]), row)
            old = best.get(row)
            if old is None or rank < old[0]:
                best[row] = (rank, Hit(self.term(row), round(score, 4), match, matched, reason))

        # 1. IRI / CURIE
        row = self._row_of(query) if " " not in query else None
        if row is not None:
            how = "iri" if curies.looks_like_iri(query.strip("<>")) else "curie"
            add(row, 0, 1.0, how, query, f"the {how.upper() if how == 'iri' else 'CURIE'} names this term")
            if best:  # an IRI or CURIE names one term: nothing else is a better answer
                result.hits = [best[row][1]]
                return result
        key = normalise(query)
        # 2. exact label, exact synonym
        pos = self._key_index(key)
        if pos is not None:
            for row, kind, original in self.postings[pos]:
                tier, score, match, words = _KINDS[kind]
                add(row, tier, score, match, original, f'{words} "{original}" equals the query')
        # 3. prefix
        if len(best) < limit and key:
            start = bisect.bisect_left(self.keys, key)
            found = []
            for i in range(start, min(start + _PREFIX_SCAN, len(self.keys))):
                k = self.keys[i]
                if not k.startswith(key):
                    break
                if k != key:
                    found.append(i)
            found.sort(key=lambda i: len(self.keys[i]))
            for i in found:
                for row, kind, original in self.postings[i]:
                    is_label = kind == 0
                    words = "label" if is_label else _KINDS[kind][3]
                    score = (0.8 if is_label else 0.75) * (0.75 + 0.25 * len(key) / len(self.keys[i]))
                    add(
                        row,
                        3,
                        score,
                        "label prefix" if is_label else "synonym prefix",
                        original,
                        f'{words} "{original}" starts with the query',
                    )
                if len(best) >= limit * 3:
                    break
        # 4. fuzzy: only when no label or synonym matched whole and the prefixes were too few
        exact = any(rank[0] <= 2 for rank, _hit in best.values())
        if fuzzy and not exact and len(best) < limit and len(key) >= 3:
            for i, sim in self._fuzzy(key):
                for row, kind, original in self.postings[i]:
                    is_label = kind == 0
                    words = "label" if is_label else _KINDS[kind][3]
                    add(
                        row,
                        4,
                        0.7 * sim / 100.0 * (1.0 if is_label else 0.97),
                        "fuzzy",
                        original,
                        f'{words} "{original}" is close to the query ({sim:.0f}/100)',
                    )
        result.hits = [h for _, h in sorted(best.values(), key=lambda x: x[0])[:limit]]
        return result

    def _key_index(self, key: str) -> int | None:
        i = bisect.bisect_left(self.keys, key)
        return i if i < len(self.keys) and self.keys[i] == key else None

    def _curie_of(self, iri: str | None) -> str:
        if not iri:
            return ""
        row = self.by_iri.get(iri)
        return self.rows[row][1] if row is not None else (curies.compress(iri, local_only=True) or iri)

    def _fuzzy(self, key: str) -> list[tuple[int, float]]:
        """Candidates by shared character trigrams, then rapidfuzz's token-sort ratio.

        Trigrams that start thousands of keys (" co", "ion") say little and cost most: they are
        left out of the count when at least three rarer ones remain. A candidate must share
        ``_FUZZY_SHARED`` of the counted trigrams; the ``_FUZZY_CANDIDATES`` with the best Dice
        overlap are scored."""
        from rapidfuzz import fuzz, process

        grams = _trigrams(key)
        ids = [self.tri_ids[g] for g in grams if g in self.tri_ids]
        if not ids:
            return []
        offsets = self.tri_offsets
        rare = [t for t in ids if offsets[t + 1] - offsets[t] <= _COMMON_TRIGRAM]
        use = rare if len(rare) >= 3 else ids
        parts = [self.tri_keys[offsets[t] : offsets[t + 1]] for t in use]
        counts = np.bincount(np.concatenate(parts), minlength=len(self.keys))
        cand = np.flatnonzero(counts >= max(1, int(len(use) * _FUZZY_SHARED)))
        if len(cand) > _FUZZY_CANDIDATES:
            dice = counts[cand] / (len(grams) + self.key_ntri[cand])
            cand = cand[np.argpartition(-dice, _FUZZY_CANDIDATES - 1)[:_FUZZY_CANDIDATES]]
        if len(cand) == 0:
            return []
        choices = {int(i): self.keys[int(i)] for i in cand}
        found = process.extract(
            key, choices, scorer=fuzz.token_sort_ratio, score_cutoff=FUZZY_CUTOFF, limit=_FUZZY_CANDIDATES
        )
        return [(int(k), float(score)) for _text, score, k in found]


# -- helpers -----------------------------------------------------------------------------------


def _english(props: dict[str, list[tuple[str, str]]], preds: Iterable[str]) -> list[str]:
    """Literal values in English or without a language, untagged first, in a stable order."""
    found: list[tuple[int, str]] = []
    for p in preds:
        for v, kind in props.get(p, ()):
            if kind in ("lit", "@en", "@en-us", "@en-gb"):
                found.append((0 if kind == "lit" else 1 if kind == "@en" else 2, v.strip()))
    out: list[str] = []
    for _, v in sorted(found):
        if v and v not in out:
            out.append(v)
    return out


def _structure(
    per: dict[str, dict[str, list[tuple[str, str]]]],
    parents: dict[str, set[str]],
    part_parents: dict[str, set[str]],
) -> None:
    """Parents from one ontology's rows: named ``rdfs:subClassOf``, the named classes of an
    ``owl:equivalentClass`` intersection (C = A and R some B implies C subClassOf A), and
    ``bkg:parentIsaOrPartOf`` (kept apart: is_a or part_of)."""
    for node, props in per.items():
        if node.startswith("_:"):
            continue
        for v, k in props.get(SUBCLASS, ()):
            if k == "iri" and v != node:
                parents[node].add(v)
        for v, k in props.get(PARENT_ISA_OR_PART_OF, ()):
            if k == "iri" and v != node:
                part_parents[node].add(v)
        for eq, k in props.get(EQUIVALENT, ()):
            if k != "bnode":
                continue
            for lst, _k in per.get(eq, {}).get(INTERSECTION, ()):
                seen = set()
                while lst.startswith("_:") and lst not in seen:
                    seen.add(lst)
                    cell = per.get(lst, {})
                    for member, mk in cell.get(FIRST, ()):
                        if mk == "iri" and member != node:
                            parents[node].add(member)
                    nxt = cell.get(REST, ())
                    lst = nxt[0][0] if nxt else ""


def _ref(value: str) -> str | None:
    """A replacement or 'consider' value as an IRI. They are written as IRIs, as CURIEs of the
    manifest's prefixes, or as OBO ids (``CL:0000084``, ``CL_0000084``), which expand to OBO
    PURLs by the OBO convention (no bioregistry needed while building)."""
    v = value.strip()
    if curies.looks_like_iri(v):
        return v
    m = re.fullmatch(r"([A-Za-z][A-Za-z0-9.]*)[:_](\d+)", v)
    if m:
        local = curies.local_converter(default_manifest()).expand(f"{m.group(1)}:{m.group(2)}")
        return local or f"{OBO}{m.group(1)}_{m.group(2)}"
    return curies.local_converter(default_manifest()).expand(v) if curies.split_curie(v) else None


def _curie(iri: str, prefix: str, namespace: str) -> str:
    if iri.startswith(namespace):
        return f"{prefix}:{iri[len(namespace) :]}"
    return curies.compress(iri, local_only=True) or iri


def _freeze() -> None:
    """Move every object alive now (the index: millions of tuples) out of the cyclic garbage
    collector's sight. Unfrozen, one full collection walks them all: 30 ms in the middle of a
    search, the whole of the p99 latency. The index never changes, so it never needs walking."""
    gc.freeze()


def _fingerprint(store: Store, manifest: Manifest) -> str:
    h = hashlib.sha256(f"{INDEX_FORMAT}\t{__version__}\t".encode())
    h.update(loaded_fingerprint(store, manifest).encode())
    h.update(manifest.path.read_bytes() if manifest.path.exists() else b"")
    return h.hexdigest()[:24]


def extracts_dir(cache: Path) -> Path:
    """Where ``kg ontologies fetch`` leaves the per-ontology extracts for a cache file."""
    return cache.with_name(cache.name.removesuffix(".pickle") + ".extracts")


def default_cache_path(store_path: Path | None, endpoint: str | None = None) -> Path:
    """Where the index of a store is cached: beside an embedded store (``kg-store.terms.pickle``),
    in the user's cache folder for an endpoint."""
    if endpoint or store_path is None:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bioimage-kg"
        digest = hashlib.sha256((endpoint or "memory").encode()).hexdigest()[:16]
        return base / f"terms-{digest}.pickle"
    p = store_path.resolve()
    return p.with_name(p.name + ".terms.pickle")


__all__ = [
    "BranchCheck",
    "FieldBranches",
    "TermDetails",
    "TermIndex",
    "default_cache_path",
    "load_branches",
    "normalise",
]
