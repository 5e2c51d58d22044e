"""The local term index: find ontology terms by label, synonym, IRI or CURIE, and check them.

Built from the ontology graphs in the store (one pass per ontology), cached on disk next to the
store and rebuilt when the loaded ontologies change. Search goes tier by tier:

1. the IRI or CURIE itself (any case of the prefix, any bioregistry synonym): that term alone;
2. the whole label, then the whole synonym (exact, then related, narrow, broad), normalised;
3. a label, then a synonym, starting with the query, shortest first (while there are fewer
   than ``limit`` hits; two bisections of the sorted keys and a partition by length);
4. fuzzy, only when tier 2 found nothing and there are still fewer than ``limit`` hits:
   character trigrams shared with the query, counted over the keys of the lengths that can
   reach the cutoff at all, pick at most 48 candidates (numpy), and rapidfuzz's token-sort
   ratio scores them (cutoff 75/100).

Search costs well under a millisecond of CPU (p99 about 0.3 ms over the benchmark's 1,000
queries, benchmarks/term_search.py): every array a query makes is small, and the index is
frozen out of the garbage collector's sight.

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
import heapq
import math
import os
import pickle
import re
import tempfile
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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
from kg.resources import data_dir, load_yaml
from kg.store import Store

INDEX_FORMAT = 4
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
_PREFIX_SCAN = 2000  # at most this many keys (the shortest) are looked at in the prefix tier
_FUZZY_CANDIDATES = 48
_COMMON_TRIGRAM = 2000  # keys: a trigram in more is too common to pick candidates by
_FUZZY_SHARED = 0.4  # share of the counted trigrams a fuzzy candidate must have
_FUZZY_POSTINGS = 4000  # postings counted per query, rarest trigrams first ...
_FUZZY_MIN_GRAMS = 8  # ... but at least this many trigrams (when the query has them)
_LEN_SLOTS = 1024  # key lengths told apart in the trigram postings (longer ones share the last)
_FUZZY_SLICES = 20  # the rarest trigrams of a query (by all their keys) looked at more closely
FUZZY_CUTOFF = 75.0
# ratio = 2M/(a+b) >= cutoff needs min(a,b)/(a+b) >= cutoff/200: keys of other lengths never pass
_FUZZY_LEN_MIN = (FUZZY_CUTOFF / 200) / (1 - FUZZY_CUTOFF / 200)
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
    if "tre" in t:
        t = _METRE.sub(r"\1ter\2", t)
    return t.strip()


def _trigrams(key: str) -> set[str]:
    padded = f"  {key} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _trigram_codes(padded: str) -> np.ndarray:
    """Every trigram of ``padded`` as one integer: three code points of 21 bits each."""
    cp = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    return (cp[:-2] << 42) | (cp[1:-1] << 21) | cp[2:]


def _trigram_index(keys: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The inverted index of the keys' character trigrams (those :func:`_trigrams` makes), in
    numpy: the distinct (trigram, key) pairs sorted by trigram, then key length, then key.
    Returns the trigram codes (sorted: a trigram's id is its position), each trigram's offsets
    into the flat array of key numbers, that array, the sort key of each of its entries
    (trigram id * ``_LEN_SLOTS`` + key length: a query bisects it for the keys of the lengths
    it can match), and each key's number of distinct trigrams."""
    n = len(keys)
    key_len = np.fromiter(map(len, keys), dtype=np.int64, count=n)
    codes = _trigram_codes("".join(f"  {k} " for k in keys))  # over the keys one after the other
    padded = key_len + 3
    owner = np.repeat(np.arange(n, dtype=np.int64), padded)[: len(codes)]  # where each trigram starts
    within = np.arange(len(codes), dtype=np.int64) - (np.cumsum(padded) - padded)[owner]
    keep = within <= key_len[owner]  # a padded key of length L + 3 has L + 1 trigrams of its own
    codes, owner = codes[keep], owner[keep]
    distinct, tri_of = np.unique(codes, return_inverse=True)
    pairs = np.sort(tri_of.astype(np.int64) * n + owner)  # by trigram, then key
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # (np.unique hashes: slower here)
    tri, key = np.divmod(pairs, n)
    sort_key = tri * _LEN_SLOTS + np.minimum(key_len[key], _LEN_SLOTS - 1)
    order = np.argsort(sort_key, kind="stable")  # by trigram, length, key
    offsets = np.zeros(len(distinct) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(np.bincount(tri, minlength=len(distinct)))
    ntri = np.bincount(key, minlength=n).astype(np.int32)
    return distinct, offsets, key[order].astype(np.int32), sort_key[order], ntri


def _token_sorted(key: str) -> str:
    """The key with its words sorted: rapidfuzz's ratio of two of these is the token-sort ratio
    of the keys, without sorting every candidate's words again for every query."""
    words = key.split()
    out = " ".join(sorted(words))
    return key if out == key else out


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
    path = path or data_dir("ontologies") / "branches.yaml"
    raw = load_yaml(path, "the expected branches")
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
    tri_keys: np.ndarray  # per trigram (tri_offsets), the keys holding it, shortest first
    tri_sort: np.ndarray  # per entry of tri_keys: trigram id * _LEN_SLOTS + key length (sorted)
    key_ntri: np.ndarray
    tri_codes: np.ndarray  # the distinct trigrams (_trigram_codes), sorted: a trigram's id is its position
    key_len: np.ndarray  # characters per key (the prefix tier's order, the fuzzy tier's length bound)
    sorted_keys: list[str]  # each key with its words sorted (what token-sort ratio compares)
    fingerprint: str
    ontologies: dict[str, str]  # id -> loaded version
    branches: dict[str, FieldBranches] = field(default_factory=dict)
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
            per: dict[str, dict[str, list[tuple[str, str]]]] = {}
            for subj, pred, value, kind in rows_in:
                props = per.get(subj)
                if props is None:
                    props = per[subj] = {}
                values = props.get(pred)
                if values is None:
                    props[pred] = [(value, kind)]
                else:
                    values.append((value, kind))
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
                    if p not in props:
                        continue
                    for text in _english(props, (p,)):
                        if (text, scope) not in e["synonyms"]:
                            e["synonyms"].append((text, scope))
                if e["definition"] is None and not props.keys().isdisjoint(DEFINITIONS):
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

        def ordered(found: list[tuple[int, int, str]]) -> tuple[tuple[int, int, str], ...]:
            if len(found) == 1:
                return tuple(found)
            return tuple(sorted(found, key=lambda p: (p[1], rows[p[0]][6], p[0])))

        postings = [ordered(grouped[k]) for k in keys]
        tri_codes, offsets, flat, tri_sort, ntri = _trigram_index(keys)
        key_len = np.fromiter(map(len, keys), dtype=np.int32, count=len(keys))
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
            tri_sort=tri_sort,
            key_ntri=ntri,
            tri_codes=tri_codes,
            key_len=key_len,
            sorted_keys=[_token_sorted(k) for k in keys],
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
            "sorted_keys": self.sorted_keys,
            "arrays": {
                name: (arr.dtype.str, arr.tobytes())
                for name, arr in (
                    ("tri_offsets", self.tri_offsets),
                    ("tri_keys", self.tri_keys),
                    ("tri_sort", self.tri_sort),
                    ("tri_codes", self.tri_codes),
                    ("key_ntri", self.key_ntri),
                    ("key_len", self.key_len),
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
                tri_sort=arrays["tri_sort"],
                key_ntri=arrays["key_ntri"],
                tri_codes=arrays["tri_codes"],
                key_len=arrays["key_len"],
                sorted_keys=payload["sorted_keys"],
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
        with _collector_paused():
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
        """The term of a row, made anew (a microsecond): a cache of them would be walked by
        every full garbage collection of a long-running server, tens of milliseconds once it
        holds tens of thousands, while the index itself is frozen out of the collector's sight."""
        r = self.rows[row]
        return Term(
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
        rows, order = self.rows, self._order
        # row -> (rank, score, match, matched text, reason); a Hit is made for the winners only
        best: dict[int, tuple[tuple[float, ...], float, str, str, str]] = {}

        def add(row: int, tier: int, score: float, match: str, matched: str, reason: str) -> None:
            r = rows[row]
            if r[6]:
                if not include_obsolete:
                    return
                score -= OBSOLETE_PENALTY
            if allowed is not None and allowed.isdisjoint(r[9]):
                return
            rank = (tier, 1.0 if r[6] else 0.0, -score, order.get(r[3], 99), len(r[2]), row)
            old = best.get(row)
            if old is None or rank < old[0]:
                best[row] = (rank, score, match, matched, reason)

        # 1. IRI / CURIE
        row = self._row_of(query) if " " not in query else None
        if row is not None:
            how = "iri" if curies.looks_like_iri(query.strip("<>")) else "curie"
            add(row, 0, 1.0, how, query, f"the {how.upper() if how == 'iri' else 'CURIE'} names this term")
            if best:  # an IRI or CURIE names one term: nothing else is a better answer
                result.hits = [self._hit(row, *best[row][1:])]
                return result
        key = normalise(query)
        # 2. exact label, exact synonym
        pos = self._key_index(key)
        if pos is not None:
            for row, kind, original in self.postings[pos]:
                tier, score, match, words = _KINDS[kind]
                add(row, tier, score, match, original, f'{words} "{original}" equals the query')
        # 3. prefix: the shortest keys starting with the query first
        want = limit * 3
        if len(best) < limit and key:
            for i in self._prefix_keys(key, want):
                closeness = 0.75 + 0.25 * len(key) / len(self.keys[i])
                for row, kind, original in self.postings[i]:
                    if kind == 0:
                        add(row, 3, 0.8 * closeness, "label prefix", original,
                            f'label "{original}" starts with the query')  # fmt: skip
                    else:
                        add(row, 3, 0.75 * closeness, "synonym prefix", original,
                            f'{_KINDS[kind][3]} "{original}" starts with the query')  # fmt: skip
                if len(best) >= want:
                    break
        # 4. fuzzy: only when no label or synonym matched whole and the prefixes were too few
        exact = any(v[0][0] <= 2 for v in best.values())
        if fuzzy and not exact and len(best) < limit and len(key) >= 3:
            # names come best first; once the free places are taken by current terms, a name
            # whose best possible score is lower than theirs cannot get in: stop there
            free = limit - len(best)
            taken: dict[int, float] = {}  # row -> score of the current terms this tier added
            for i, sim in self._fuzzy(key):
                if len(taken) >= free and 0.7 * sim / 100.0 < heapq.nlargest(free, taken.values())[-1]:
                    break
                for row, kind, original in self.postings[i]:
                    is_label = kind == 0
                    words = "label" if is_label else _KINDS[kind][3]
                    score = 0.7 * sim / 100.0 * (1.0 if is_label else 0.97)
                    add(
                        row,
                        4,
                        score,
                        "fuzzy",
                        original,
                        f'{words} "{original}" is close to the query ({sim:.0f}/100)',
                    )
                    kept = best.get(row)
                    if kept is not None and kept[0][0] == 4 and not rows[row][6]:  # shown, current
                        taken[row] = max(score, taken.get(row, 0.0))
        ranked = sorted(best.items(), key=lambda item: item[1][0])[:limit]
        result.hits = [self._hit(row, *found[1:]) for row, found in ranked]
        return result

    def _hit(self, row: int, score: float, match: str, matched: str, reason: str) -> Hit:
        r = self.rows[row]
        if r[6]:
            reason += "; obsolete" + (f", replaced by {self._curie_of(r[7])}" if r[7] else "")
        return Hit(self.term(row), round(score, 4), match, matched, reason)

    def _key_index(self, key: str) -> int | None:
        i = bisect.bisect_left(self.keys, key)
        return i if i < len(self.keys) and self.keys[i] == key else None

    def _prefix_keys(self, key: str, want: int) -> Iterator[int]:
        """The keys that start with ``key`` (and are longer), shortest first (then in sorted
        order), at most ``_PREFIX_SCAN`` of them. The range comes from two bisections; each
        round picks the next ``want`` or more by length with a partition, not a sort of the
        whole range (a one-letter query starts some 10,000 keys)."""
        lo = bisect.bisect_left(self.keys, key)
        hi = bisect.bisect_left(self.keys, key + "\U0010ffff", lo)
        if lo < hi and self.keys[lo] == key:
            lo += 1
        lens = self.key_len[lo:hi]
        n = min(len(lens), _PREFIX_SCAN)
        seen, done = 0, -1  # keys of up to `done` characters have been given
        while seen < n:
            k = min(len(lens), seen + want)
            upto = int(np.partition(lens, k - 1)[k - 1]) if k < len(lens) else int(lens.max())
            sel = np.flatnonzero((lens > done) & (lens <= upto))
            for j in sel[np.argsort(lens[sel], kind="stable")].tolist():
                yield lo + j
                seen += 1
                if seen >= n:
                    return
            done, want = upto, want * 2

    def _curie_of(self, iri: str | None) -> str:
        if not iri:
            return ""
        row = self.by_iri.get(iri)
        return self.rows[row][1] if row is not None else (curies.compress(iri, local_only=True) or iri)

    def _fuzzy(self, key: str) -> list[tuple[int, float]]:
        """Candidates by shared character trigrams, then rapidfuzz's token-sort ratio.

        Only keys of a length for which the cutoff is reachable at all are counted: each
        trigram's keys are sorted by length, so two bisections give that slice of a trigram
        (for the ``_FUZZY_SLICES`` trigrams of the query with the fewest keys). They are
        counted rarest first (by the size of their slice): those in more than
        ``_COMMON_TRIGRAM`` keys (" co", "ion") say little and cost most, and are left out when
        three rarer ones remain; of the rest, as many as fit in ``_FUZZY_POSTINGS`` postings
        (at least ``_FUZZY_MIN_GRAMS``). A one-letter typo changes at most four trigrams, so
        the intended key keeps nearly all of the counted ones. A candidate must have
        ``_FUZZY_SHARED`` of them; the ``_FUZZY_CANDIDATES`` with the best estimated Dice
        overlap are scored, on word-sorted keys kept in the index. Every array made here is
        small: a fresh array as long as the keys costs its page faults on every query."""
        from rapidfuzz import fuzz, process

        codes = np.unique(_trigram_codes(f"  {key} "))
        tri_codes, offsets = self.tri_codes, self.tri_offsets
        at = np.minimum(np.searchsorted(tri_codes, codes), len(tri_codes) - 1)
        ids = at[tri_codes[at] == codes]  # ascending
        if not len(ids):
            return []
        if len(ids) > _FUZZY_SLICES:  # ties by id: the same choice in every process
            ids = np.sort(ids[np.lexsort((ids, offsets[ids + 1] - offsets[ids]))[:_FUZZY_SLICES]])
        n = len(key)
        shortest = max(1, math.ceil(n * _FUZZY_LEN_MIN - 1e-9))
        longest = min(_LEN_SLOTS - 1, math.floor(n / _FUZZY_LEN_MIN + 1e-9))
        base = ids * _LEN_SLOTS
        starts = np.searchsorted(self.tri_sort, base + shortest)
        sizes = np.searchsorted(self.tri_sort, base + longest, side="right") - starts
        by_rarity = np.lexsort((ids, sizes))
        starts, sizes = starts[by_rarity], sizes[by_rarity]
        present = int(np.searchsorted(sizes, 0, side="right"))
        starts, sizes = starts[present:], sizes[present:]
        if not len(sizes):
            return []
        rare = int(np.searchsorted(sizes, _COMMON_TRIGRAM, side="right"))
        if rare >= 3:
            starts, sizes = starts[:rare], sizes[:rare]
        fit = int(np.searchsorted(np.cumsum(sizes), _FUZZY_POSTINGS, side="right"))
        used = max(fit, min(_FUZZY_MIN_GRAMS, len(sizes)))
        tri_keys = self.tri_keys
        postings = np.sort(
            np.concatenate(
                [
                    tri_keys[a : a + b]
                    for a, b in zip(starts[:used].tolist(), sizes[:used].tolist(), strict=True)
                ]
            )
        )
        first = np.flatnonzero(np.concatenate(([True], postings[1:] != postings[:-1])))
        counts = np.diff(np.append(first, len(postings)))  # how many counted trigrams each key has
        enough = counts >= max(1, int(used * _FUZZY_SHARED))
        cand, counts = postings[first[enough]].astype(np.int64), counts[enough]
        fits = self.key_len[cand] <= n / _FUZZY_LEN_MIN + 1e-9  # (keys longer than _LEN_SLOTS)
        cand, counts = cand[fits], counts[fits]
        if len(cand) > _FUZZY_CANDIDATES:
            ntri = self.key_ntri[cand]
            shared = np.minimum(counts * (len(codes) / used), ntri)  # estimated from the counted
            dice = shared / (len(codes) + ntri)
            cand = cand[np.argpartition(-dice, _FUZZY_CANDIDATES - 1)[:_FUZZY_CANDIDATES]]
        if len(cand) == 0:
            return []
        picked = cand.tolist()
        found = process.extract(
            _token_sorted(key),
            [self.sorted_keys[i] for i in picked],
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
            limit=None,
        )
        return [(picked[j], float(score)) for _text, score, j in found]


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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while the index is built or read: its millions of new
    tuples set off collection after collection, each walking all of them (a third of the
    build's time), and they hold no cycles to find. The previous state is restored after."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


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
