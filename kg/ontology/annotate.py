"""The annotation engine: ontology terms for free-text metadata values, each with a score and a
reason, and the annotations a curator accepts, with their provenance.

Suggesting (:class:`Annotator`). The key a value came with picks a field
(``ontologies/fields.yaml``: "organism" -> NCBITaxon, "imaging method" -> FBbi imaging methods,
"cell line" -> EFO cell lines, "stain" -> ChEBI/FBbi, "unit" -> UO/QUDT, "tissue" -> UBERON…),
which says where to search and which branch a term must sit under. Candidates come, in this
order of trust:

1. the mapping memory (:mod:`kg.ontology.memory`): a reviewed decision for the same text under
   the same key (or under any key) is the first suggestion; a rejection keeps its term out;
2. the project's reviewed SSSOM tables in ``mappings/sssom/`` (OME enumeration values such as
   ``TIRF`` or ``SpinningDiskConfocal``);
3. the local term index (:class:`kg.ontology.index.TermIndex`), tier by tier (exact label,
   exact synonym, prefix, fuzzy), searched with the text as written and with a few variants:
   CamelCase split, a parenthesis dropped or taken alone ("Homo sapiens (human)"), an
   abbreviated genus spelt out ("C. elegans"), a trailing "cells" / "cell line" dropped for
   cell lines, a plural made singular;
4. optionally (``Annotator(ols=OLSClient(...))``, ``kg annotate --ols``), EBI OLS4 search restricted
   to the field's ontologies, when the local tiers found no in-branch exact or reviewed term or a
   field's ontology is not loaded here. Such a term is ranked after the local ones and says it
   came from OLS4; a term that is not in the local store cannot be checked against the branch and
   cannot be written as an annotation (``Annotations.check``) until its ontology is loaded.

Terms outside the field's branch are demoted (and say so), obsolete terms are replaced by their
replacement or demoted (and say so). In-branch suggestions come first, then by source (memory,
tables, index), then by score.

Annotating (:class:`Annotations`). An annotation is a triple (subject, property, term) written
into the named graph :data:`ANNOTATIONS_GRAPH` with a record of who made it, when, from which
text and suggestion. Before anything is written it is checked (explicit checks, not SHACL: they
need the ontologies, which the SHACL shapes do not see): the subject must be known in the store,
the property must be one ``fields.yaml`` lists, the term must be a term of a loaded ontology, not
obsolete, and under the branch the property (or, for ``bkg:valueTerm``, the key of the
key-value pair) expects. A rejected annotation writes nothing.

Reusing the memory (:func:`reuse_memory`, :func:`after_ingest`). After each ``kg ingest`` the
``kg.after_ingest`` step :func:`after_ingest` annotates the values of the new graphs that a
reviewed decision fits, attributed to the decision's curator with a note that it was applied
automatically, and reports what it could not apply and the annotations of those graphs whose
object is gone or whose value changed (:func:`stale_annotations`; kept, like ``kg terms check``
keeps what it finds, until ``kg annotate --remove-stale``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import KGError
from kg.namespaces import BKG, OME, OWL, PROV, RDF, RDFS, XSD
from kg.ontology import curies
from kg.ontology.fields import VALUE_TERM, BranchChecker, Field, FieldTable, default_fields, normalise_key
from kg.ontology.index import TermIndex, normalise
from kg.ontology.memory import EXACT, MEMORY_GRAPH, Decision, MappingMemory, _compact, curator_iri
from kg.ontology.model import Term
from kg.store import AskResult, SelectResult, Store, data_block

if TYPE_CHECKING:
    from kg.config import Settings
    from kg.ontology.manifest import Manifest
    from kg.ontology.ols import OLSClient

ANNOTATIONS_GRAPH = "https://w3id.org/bioimage-kg/graph/annotations"
TERM_ANNOTATION = BKG + "TermAnnotation"
_TIER = {"memory": 0, "mapping table": 1, "index": 2, "ols4": 3}
# matches that mean the local tiers found the term: OLS4 is not asked when one of them fits
_SURE = frozenset(
    {"reviewed decision", "reviewed table", "exact label", "exact synonym", "curie", "iri", "label part"}
)
_OLS_WEIGHT = 0.8  # an OLS4 hit's relevance (1.0 for its best) is scaled below local exact hits
_OLS_ROWS = 10
_PREDICATE_SCORE = {EXACT: 1.0}  # other SKOS predicates: 0.9
_OFF_BRANCH = 0.6
_OBSOLETE_NO_REPLACEMENT = 0.5
_WORD = 0.7  # a single word of the text matched a label or synonym
_WHOLE = 0.85  # a suggestion this good means the text matched (nearly) whole
_PAREN = re.compile(r"^(?P<out>[^()]*?)\s*\((?P<in>[^()]+)\)\s*(?P<rest>[^()]*)$")
_GENUS = re.compile(r"^([A-Z])\.\s*([a-z][a-z-]+)\b(.*)$")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_CELLS = re.compile(r"\s*\b(cells?|cell lines?|cellline|cell-line)\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class Suggestion:
    term: Term
    score: float  # in [0, 1]
    reason: str
    source: str  # "memory", "mapping table", "index" or "ols4"
    match: str  # "reviewed decision", "exact label", "exact synonym", "label prefix", "fuzzy"...
    fits: bool | None  # under the field's branch; None when no field is known or not checkable
    record_id: str | None = None  # the memory decision it came from
    replaces: str | None = None  # the obsolete term it replaces (IRI)
    in_local_store: bool = True  # False: the term is not in a loaded ontology (cannot be written)

    def as_dict(self) -> dict[str, Any]:
        t = self.term
        return {
            "curie": t.curie,
            "iri": t.iri,
            "label": t.label,
            "ontology": t.ontology,
            "score": self.score,
            "reason": self.reason,
            "source": self.source,
            "match": self.match,
            "fits_field": self.fits,
            "record_id": self.record_id,
            "replaces": self.replaces,
            "obsolete": t.obsolete,
            "in_local_store": self.in_local_store,
        }


@dataclass
class Suggestions:
    text: str
    key: str | None
    field_name: str | None  # the field the key named
    expected: str | None  # the branch in words
    suggestions: list[Suggestion] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # terms a reviewed rejection kept out
    notice: str | None = None

    @property
    def top(self) -> Suggestion | None:
        return self.suggestions[0] if self.suggestions else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "key": self.key,
            "field": self.field_name,
            "expected": self.expected,
            "suggestions": [s.as_dict() for s in self.suggestions],
            "rejected": self.rejected,
            "notice": self.notice,
        }


def split_key_value(text: str) -> tuple[str | None, str]:
    """``"organism: Homo sapiens"`` -> ``("organism", "Homo sapiens")``; a CURIE or IRI is not
    split (``NCBITaxon:9606``)."""
    t = text.strip()
    if curies.looks_like_iri(t) or curies.split_curie(t):
        return None, t
    for sep in (": ", "=", "\t"):
        if sep in t:
            k, v = t.split(sep, 1)
            if k.strip() and v.strip():
                return k.strip(), v.strip()
    return None, t


class Annotator:
    """Suggest terms for values; cheap to call many times (branch checks are remembered).

    ``ols``: an OLS4 client to ask when the local tiers fall short (see the module docstring).
    Once OLS4 has failed to answer, it is not asked again by this annotator: every later result
    carries the notice, so that a batch does not wait for timeouts value after value."""

    def __init__(
        self,
        index: TermIndex,
        memory: MappingMemory | None = None,
        fields: FieldTable | None = None,
        *,
        tables: bool = True,
        ols: OLSClient | None = None,
        manifest: Manifest | None = None,
    ) -> None:
        self.index = index
        self.memory = memory
        self.fields = fields or default_fields()
        self.ols = ols
        self._manifest = manifest
        self._ols_down: str | None = None  # the notice of the first failure
        self.checker = BranchChecker(index)
        self._tables = _table_index() if tables else {}
        self._order = {oid: i for i, oid in enumerate(index.ontologies)}
        self._genus: dict[tuple[str, str], list[str]] | None = None
        self._parts: dict[str, list[tuple[int, str]]] | None = None

    # -- the parts of a suggestion ----------------------------------------------------------

    def _term(self, iri: str, label: str | None = None) -> Term:
        t = self.index.get(iri)
        if t is not None:
            return t
        curie = curies.compress(iri, local_only=True) or iri
        return Term(iri=iri, curie=curie, label=label or "", ontology="")

    def _current(self, term: Term) -> tuple[Term, float, str, str | None]:
        """(term to suggest, score factor, words, replaced IRI): an obsolete term gives way to its
        replacement when the ontology names one that is loaded."""
        if not term.obsolete:
            return term, 1.0, "", None
        if term.replaced_by:
            new = self.index.get(term.replaced_by)
            if new is not None and not new.obsolete:
                return new, 0.95, f"; {term.curie} is obsolete, replaced by {new.curie}", term.iri
        return term, _OBSOLETE_NO_REPLACEMENT, f"; {term.curie} is obsolete and names no replacement", None

    def _fits(self, term: Term, f: Field | None) -> bool | None:
        if f is None:
            return None
        if not term.ontology:  # not in a loaded ontology: cannot say
            return None
        return self.checker.fits(term.iri, f)

    def _variants(self, text: str, f: Field | None) -> list[tuple[str, float, str]]:
        """(query, weight, words) to search, the text as written first."""
        out: list[tuple[str, float, str]] = [(text, 1.0, "")]

        def add(q: str, w: float, why: str) -> None:
            q = q.strip(" .;,")
            if q and all(normalise(q) != normalise(x) for x, _w, _y in out):
                out.append((q, w, why))

        t = text.strip().rstrip(".")
        add(t, 1.0, "")
        if _CAMEL.search(t) and " " not in t:
            add(_CAMEL.sub(" ", t), 0.98, "CamelCase split")
        m = _PAREN.match(t)
        if m:
            outside = f"{m.group('out')} {m.group('rest')}".strip()
            add(outside, 0.98, f'without "({m.group("in")})"')
            add(m.group("in"), 0.9, f'the text in parentheses "{m.group("in")}"')
        if f is None or f.name in ("cell_line", "cell_type"):
            add(_CELLS.sub("", t), 0.97, 'without "cells"')
        if f is None or f.name == "organism":
            g = _GENUS.match(t)
            if g:
                for full in self._genus_names(g.group(1), g.group(2)):
                    why = f'"{g.group(1)}." read as the genus {full.split()[0]}'
                    add(full + g.group(3), 0.95, why)
                    if g.group(3).strip():
                        add(full, 0.85, why + f', without "{g.group(3).strip()}"')
        for pattern, to, why in f.rewrites if f is not None else ():
            if pattern.search(t):
                add(pattern.sub(to, t), 0.95, f"rewritten by ontologies/fields.yaml: {why}")
        words = t.split()
        if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
            add(" ".join([*words[:-1], words[-1][:-1]]), 0.95, "singular")
        return out

    def _genus_names(self, initial: str, epithet: str) -> list[str]:
        """Labels of NCBITaxon species "Genus epithet" whose genus starts with ``initial``."""
        if self._genus is None:
            table: dict[tuple[str, str], list[str]] = {}
            for r in self.index.rows:
                if r[3] != "ncbitaxon":
                    continue
                parts = r[2].split()
                if len(parts) == 2 and parts[0][:1].isupper() and parts[1].islower():
                    table.setdefault((parts[0][0], parts[1]), []).append(r[2])
            self._genus = table
        return self._genus.get((initial, epithet), [])[:3]

    # -- suggest ------------------------------------------------------------------------------

    def suggest(self, text: str, key: str | None = None, *, limit: int = 5) -> Suggestions:
        """Terms for ``text`` (a value written under ``key``), best first."""
        text = text.strip()
        f = self.fields.resolve(key)
        out = Suggestions(text, key, f.name if f else None, f.expected() if f else None)
        if not text:
            return out
        if key and f is None:
            out.notice = f"the key {key!r} names no field of ontologies/fields.yaml: searched every ontology"
        best: dict[str, tuple[tuple[Any, ...], Suggestion]] = {}
        rejected: set[str] = set()
        seq = iter(range(1_000_000))

        def offer(s: Suggestion) -> None:
            if s.term.iri in rejected:
                return
            rank = (
                1 if s.fits is False else 0,
                _TIER[s.source],
                -s.score,
                -len(self.index.ancestors(s.term.iri)) if f is not None and f.prefer_specific else 0,
                self._order.get(s.term.ontology, 99),
                len(s.term.label),
                next(seq),  # ties keep the order the index ranked them in
            )
            old = best.get(s.term.iri)
            if old is None or rank < old[0]:
                best[s.term.iri] = (rank, s)

        # 1. the mapping memory
        if self.memory is not None:
            decisions = self.memory.lookup(text, key)
            for d in decisions:
                if d.negated:
                    rejected.add(d.term)
                    out.rejected.append(f"{_compact(d.term)} ({_reviewer(d)} rejected it for {d.text!r})")
            for d in decisions:
                if not d.negated:
                    offer(self._from_decision(d, f))
        # 2. the project's reviewed tables
        for value, table, match in self._tables.get(normalise(_CAMEL.sub(" ", text)), ()):
            term, factor, words, replaced = self._current(self._term(match.term, match.label))
            fits = self._fits(term, f)
            score = (match.confidence or 0.9) * factor * (_OFF_BRANCH if fits is False else 1.0)
            reason = (
                f"reviewed mapping table mappings/sssom/{table}.sssom.tsv: {value!r} "
                f"{match.predicate} {term.curie}"
                f"{words}{_branch_words(fits, f)}"
            )
            offer(
                Suggestion(
                    term, round(score, 4), reason, "mapping table", "reviewed table", fits, None, replaced
                )
            )
        # 3. the term index
        ontologies = list(f.ontologies) if f else None
        self._search(text, f, ontologies, offer)
        if not any(s.fits is not False and s.score >= _WHOLE for _r, s in best.values()):
            self._words(text, f, ontologies, offer)  # "Wistar rat", "HCT116-Cas9 cells"
        if f is not None and not any(s.fits for _r, s in best.values()):
            self._search(text, f, None, offer)  # nothing in the field's ontologies: look everywhere
        # 4. OLS4, when asked for and the local tiers fell short
        if self.ols is not None:
            self._from_ols(text, f, [s for _r, s in best.values()], offer, out)
        ranked = sorted(best.values(), key=lambda x: x[0])
        out.suggestions = [s for _r, s in ranked[:limit]]
        return out

    def _label_parts(self) -> dict[str, list[tuple[int, str]]]:
        """Labels written "long name (ABBR)" or "ABBR (long name)" (FBbi: "structured
        illumination microscopy (SIM)"), by each part alone: the index matches only the whole."""
        if self._parts is None:
            parts: dict[str, list[tuple[int, str]]] = {}
            for row, r in enumerate(self.index.rows):
                m = _PAREN.match(r[2]) if "(" in r[2] else None
                if m and not m.group("rest"):
                    for part in (m.group("out"), m.group("in")):
                        key = normalise(part)
                        if len(key) >= 3:
                            parts.setdefault(key, []).append((row, r[2]))
            self._parts = parts
        return self._parts

    def _search(self, text: str, f: Field | None, ontologies: list[str] | None, offer: Any) -> None:
        found_exact = False
        allowed = set(ontologies) if ontologies else None
        for query, weight, why in self._variants(text, f):
            if found_exact and weight < 1.0:
                break  # the text as written matched a label or synonym whole: variants add noise
            for row, label in self._label_parts().get(normalise(query), ()):
                r = self.index.rows[row]
                if allowed is not None and allowed.isdisjoint(r[9]):
                    continue
                term, factor, words, replaced = self._current(self.index.term(row))
                fits = self._fits(term, f)
                score = 0.97 * weight * factor * (_OFF_BRANCH if fits is False else 1.0)
                reason = f'label "{label}" is the query and a parenthesis'
                reason += (f" (searched {why}: {query!r})" if why else "") + words + _branch_words(fits, f)
                offer(Suggestion(term, round(score, 4), reason, "index", "label part", fits, None, replaced))
                if weight == 1.0 and fits is not False and not term.obsolete:
                    found_exact = True
            res = self.index.search(query, ontologies=ontologies, limit=15)
            for h in res.hits:
                term, factor, words, replaced = self._current(h.term)
                fits = self._fits(term, f)
                score = h.score * weight * factor * (_OFF_BRANCH if fits is False else 1.0)
                if h.match in ("exact label", "exact synonym") and _same_case(h.matched_text, query):
                    score = min(1.0, score + 0.01)  # same case as written: "µm" over "µM"
                reason = h.reason + (f" (searched {why}: {query!r})" if why else "") + words
                reason += _branch_words(fits, f)
                offer(
                    Suggestion(
                        term, round(min(score, 1.0), 4), reason, "index", h.match, fits, None, replaced
                    )
                )
                if (
                    weight == 1.0
                    and h.match in ("exact label", "exact synonym", "curie", "iri")
                    and fits is not False
                ):
                    found_exact = True

    def _words(self, text: str, f: Field | None, ontologies: list[str] | None, offer: Any) -> None:
        """Pairs of words, then single words (hyphen-separated parts too) of a text that matched
        nothing whole, when one equals a label or synonym (plurals made singular): weaker
        evidence, scored lower, a pair above a single word."""
        words = [w for w in re.split(r"[\s,;/()\-]+", text.strip(" .")) if w]
        if len(words) < 2:
            return
        grams = [(f"{a} {b}", _WORD + 0.05) for a, b in itertools.pairwise(words)]
        grams += [(w, _WORD) for w in words if len(w) >= 3]
        for gram, weight in grams:
            tries = [gram]
            if gram.endswith("s") and not gram.endswith("ss") and len(gram) > 4:
                tries.append(gram[:-1])
            for w in tries:
                self._word_hits(w, weight, f, ontologies, offer)

    def _word_hits(
        self, w: str, weight: float, f: Field | None, ontologies: list[str] | None, offer: Any
    ) -> None:
        for h in self.index.search(w, ontologies=ontologies, limit=5, fuzzy=False).hits:
            if h.match not in ("exact label", "exact synonym"):
                continue
            term, factor, extra, replaced = self._current(h.term)
            fits = self._fits(term, f)
            score = h.score * weight * factor * (_OFF_BRANCH if fits is False else 1.0)
            reason = f"{h.reason.replace('the query', f'the word {w!r}')}{extra}{_branch_words(fits, f)}"
            offer(Suggestion(term, round(score, 4), reason, "index", "word", fits, None, replaced))

    def _from_decision(self, d: Decision, f: Field | None) -> Suggestion:
        term, factor, words, replaced = self._current(self._term(d.term, d.term_label))
        fits = self._fits(term, f)
        score = _PREDICATE_SCORE.get(d.predicate, 0.9) * factor * (_OFF_BRANCH if fits is False else 1.0)
        scope = f"under the key {d.key!r}" if d.key else "for any key"
        conf = f", confidence {d.confidence:g}" if d.confidence is not None else ""
        reason = (
            f"reviewed decision {scope}: {d.text!r} {_compact(d.predicate)} {_compact(d.term)}{conf}, "
            f"{_reviewer(d)}{' on ' + d.date if d.date else ''}{words}"
        )
        if not term.ontology:
            reason += "; its ontology is not loaded here"
        reason += _branch_words(fits, f)
        return Suggestion(
            term,
            round(score, 4),
            reason,
            "memory",
            "reviewed decision",
            fits,
            d.record_id,
            replaced,
            in_local_store=bool(term.ontology),
        )

    # -- OLS4 ---------------------------------------------------------------------------------

    def _manifest_of(self) -> Manifest:
        if self._manifest is None:
            from kg.ontology.manifest import default_manifest

            self._manifest = default_manifest()
        return self._manifest

    def _from_ols(
        self, text: str, f: Field | None, found: list[Suggestion], offer: Any, out: Suggestions
    ) -> None:
        """Ask OLS4 (search, restricted to the field's ontologies, or to the manifest's without a
        field) when no local suggestion is an in-branch exact or reviewed term, or when one of the
        field's ontologies is not loaded here; offer its hits after the local ones."""
        from kg.ontology.ols import OLSError

        manifest = self._manifest_of()
        ids = list(f.ontologies) if f is not None else [o.id for o in manifest.ontologies]
        missing = [o for o in ids if o not in self.index.ontologies] if f is not None else []
        if not missing and any(s.fits is not False and s.match in _SURE for s in found):
            return
        ols_ids = {o: spec.ols4 for o in ids if (spec := manifest.by_id.get(o)) and spec.ols4}
        if not ols_ids:
            _add_notice(out, f"OLS4 not asked: it has none of {', '.join(ids)}")
            return
        if self._ols_down is not None:
            _add_notice(out, self._ols_down)
            return
        assert self.ols is not None
        searched = ", ".join(sorted(set(ols_ids.values())))
        try:
            res = self.ols.search(text, sorted(set(ols_ids.values())), rows=_OLS_ROWS)
        except OLSError as exc:  # down without a local fallback, or an answer that is not OLS4's
            reason = getattr(exc, "reason", None)
            if reason is not None:
                self._ols_down = f"OLS4 unreachable ({reason}); answered from the local ontology store"
            else:
                self._ols_down = f"OLS4 not used: {exc}; answered from the local ontology store"
            _add_notice(out, self._ols_down)
            return
        if res.source != "ols4":  # the client answered from its local fallback: OLS4 is down
            self._ols_down = res.notice or "OLS4 did not answer; answered from the local ontology store"
            _add_notice(out, self._ols_down)
            return
        by_ols = {v: k for k, v in ols_ids.items()}
        for h in res.hits:
            local = self.index.get(h.term.iri)
            onto = by_ols.get(h.term.ontology, h.term.ontology)
            if local is not None:
                term, factor, words, replaced = self._current(local)
                fits = self._fits(term, f)
                version = self.index.ontologies.get(local.ontology, "")
                where = (
                    f"; also in the local store ({local.ontology} {version})" + words + _branch_words(fits, f)
                )
            else:
                term, factor, replaced, fits = h.term, 1.0, None, None
                if onto in self.index.ontologies:
                    why = f"the loaded {onto} ({self.index.ontologies[onto]}) has no such term"
                else:
                    why = f"{onto} is not loaded here"
                where = (
                    f"; NOT in the local store ({why}): its branch cannot be checked and it cannot be "
                    "written as an annotation until `kg ontologies fetch` loads it"
                )
            score = _OLS_WEIGHT * h.score * factor * (_OFF_BRANCH if fits is False else 1.0)
            reason = f"from OLS4 (search of {searched}): {h.reason}{where}"
            offer(
                Suggestion(
                    term,
                    round(score, 4),
                    reason,
                    "ols4",
                    h.match,
                    fits,
                    None,
                    replaced,
                    in_local_store=local is not None,
                )
            )

    def suggest_many(
        self, items: Iterable[tuple[str | None, str]], *, limit: int = 5
    ) -> Iterator[Suggestions]:
        """Suggestions for (key, text) pairs; repeated pairs are answered once."""
        seen: dict[tuple[str, str], Suggestions] = {}
        for key, text in items:
            f = self.fields.resolve(key)
            k = (f.name if f else normalise_key(key or ""), normalise(text))
            hit = seen.get(k)
            if hit is None:
                hit = seen[k] = self.suggest(text, key, limit=limit)
            yield hit


def _add_notice(out: Suggestions, notice: str) -> None:
    if out.notice is None:
        out.notice = notice
    elif notice not in out.notice:
        out.notice = f"{out.notice}; {notice}"


def _same_case(a: str, b: str) -> bool:
    """Equal as written (case kept), µ and μ read as u, separators ignored."""

    def f(x: str) -> str:
        return re.sub(r"[\s_\-]+", " ", x.replace("µ", "u").replace("μ", "u")).strip()

    return f(a) == f(b)


def _reviewer(d: Decision) -> str:
    who = d.curator_label or (curies.compress(d.curator, local_only=True) if d.curator else None) or d.curator
    return f"by {who}" if who else "curator unknown"


def _branch_words(fits: bool | None, f: Field | None) -> str:
    if f is None or fits is None:
        return ""
    if fits:
        return f"; fits {f.name.replace('_', ' ')}"
    return f"; NOT under {f.expected()}, which {f.name.replace('_', ' ')} expects"


def _table_index() -> dict[str, list[tuple[str, str, Any]]]:
    """The reviewed OME enumeration tables by normalised value (CamelCase split)."""
    from kg.mapping.terms import default_term_tables

    out: dict[str, list[tuple[str, str, Any]]] = {}
    for name, table in default_term_tables().items():
        for value, match in table.matches.items():
            out.setdefault(normalise(_CAMEL.sub(" ", value)), []).append((value, name, match))
    return out


# -- values in the graph ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphValue:
    """A free-text value in the store that has no term yet."""

    graph: str
    subject: str | None  # what an accepted term would annotate (None: not found)
    key: str
    text: str
    origin: str  # "key-value pair" or "unresolved term"
    property: str | None  # the predicate an accepted term would be written with


_UNRESOLVED = re.compile(
    r"^(?P<el>.*)/(?P<field>[^/]+?) = (?P<text>.*?)(?: \((?:no term in [^)]*|not a unit name kg knows)\))?$"
)


def _values(name: str, iris: Iterable[str]) -> str:
    """``VALUES ?name { <iri> ... }``, each IRI serialised by pyoxigraph (escaped N-Triples
    syntax; a string that is not an IRI raises ValueError), never pasted as written."""
    return f"VALUES ?{name} {{ {' '.join(str(ox.NamedNode(i)) for i in iris)} }}"


def graph_values(
    store: Store, fields: FieldTable | None = None, *, graphs: Sequence[str] | None = None
) -> list[GraphValue]:
    """Every key-value pair of an OME MapAnnotation (``ome:k``/``ome:value``) that has no
    ``bkg:valueTerm`` yet, and every ``bkg:unresolvedTerm`` an ingest recorded whose object has
    no term for it yet; with ``graphs``, only those in these named graphs."""
    fields = fields or default_fields()
    out: list[GraphValue] = []
    if graphs is not None and not graphs:
        return out
    only = _values("g", graphs) if graphs is not None else ""
    res = store.query(  # constants and pyoxigraph-serialised IRIs only: no user text in the query
        f"SELECT ?g ?m ?k ?v WHERE {{ {only} GRAPH ?g {{ ?m <{OME}k> ?k ; <{OME}value> ?v }} "
        f"FILTER(isLiteral(?v)) FILTER NOT EXISTS {{ GRAPH ?a {{ ?m <{VALUE_TERM}> ?t }} }} }} ORDER BY ?g ?m"
    )
    assert isinstance(res, SelectResult)
    for g, m, k, v in res.rows:
        if isinstance(m, ox.NamedNode) and isinstance(g, ox.NamedNode) and _lit(k) and _lit(v):
            out.append(GraphValue(g.value, m.value, _lit(k), _lit(v), "key-value pair", VALUE_TERM))
    res = store.query(
        f"SELECT ?g ?u WHERE {{ {only} GRAPH ?g {{ ?g <{BKG}unresolvedTerm> ?u }} }} ORDER BY ?g ?u"
    )
    assert isinstance(res, SelectResult)
    for g, u in res.rows:
        if not isinstance(g, ox.NamedNode) or not _lit(u):
            continue
        found = _UNRESOLVED.match(_lit(u))
        if not found:
            continue
        text, key = found.group("text"), found.group("field").lstrip("@")
        f = fields.resolve(key)
        subj = store.query(
            "SELECT ?s ?g ?v WHERE { GRAPH ?g { ?s ?p ?v } } LIMIT 2",
            substitutions={"g": g, "v": ox.Literal(text)},
        )
        assert isinstance(subj, SelectResult)
        subjects = [r[0].value for r in subj.rows if isinstance(r[0], ox.NamedNode)]
        prop = f.property if f is not None and f.property != VALUE_TERM else None
        subject = subjects[0] if len(subjects) == 1 else None
        if subject is not None and prop is not None:
            done = store.query(  # the object has a term for this already (an earlier annotation)
                "ASK { GRAPH ?g { ?s ?p ?t } }",
                substitutions={"s": ox.NamedNode(subject), "p": ox.NamedNode(prop)},
            )
            if isinstance(done, AskResult) and done.value:
                continue
        out.append(GraphValue(g.value, subject, key, text, "unresolved term", prop))
    return out


# -- annotations ----------------------------------------------------------------------------------


class AnnotationRejected(KGError, ValueError):
    """An annotation failed its checks; nothing was written. ``problems`` lists each reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Annotation:
    iri: str
    subject: str
    property: str
    term: str
    term_label: str | None
    curator: str | None
    curator_label: str | None
    created: str | None
    text: str | None = None  # the free text the term was chosen for
    suggestion_reason: str | None = None
    suggestion_score: float | None = None
    from_decision: str | None = None  # the memory record it came from
    note: str | None = None  # rdfs:comment, e.g. "applied automatically at ingest ..."

    def as_dict(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "subject": self.subject,
            "property": self.property,
            "term": self.term,
            "term_curie": curies.compress(self.term, local_only=True) or self.term,
            "term_label": self.term_label,
            "curator": self.curator,
            "curator_label": self.curator_label,
            "created": self.created,
            "text": self.text,
            "suggestion_reason": self.suggestion_reason,
            "suggestion_score": self.suggestion_score,
            "from_decision": self.from_decision,
            "note": self.note,
        }


_ANN_PROPS = {
    OWL + "annotatedSource": "subject",
    OWL + "annotatedProperty": "property",
    OWL + "annotatedTarget": "term",
    BKG + "termLabel": "term_label",
    PROV + "wasAttributedTo": "curator",
    PROV + "generatedAtTime": "created",
    BKG + "fromText": "text",
    BKG + "suggestionReason": "suggestion_reason",
    BKG + "suggestionScore": "suggestion_score",
    PROV + "wasDerivedFrom": "from_decision",
    RDFS + "comment": "note",
}


class Annotations:
    """Annotations in :data:`ANNOTATIONS_GRAPH`: check, create, list, delete."""

    def __init__(
        self, store: Store, index: TermIndex, base_iri: str, fields: FieldTable | None = None
    ) -> None:
        self.store = store
        self.index = index
        self.base_iri = base_iri
        self.fields = fields or default_fields()
        self.checker = BranchChecker(index)
        self.graph = ox.NamedNode(ANNOTATIONS_GRAPH)

    def iri_for(self, subject: str, prop: str, term: str) -> str:
        h = hashlib.sha256(f"{subject}\t{prop}\t{term}".encode()).hexdigest()[:20]
        return f"{self.base_iri}annotation/{h}"

    def key_of(self, subject: str) -> str | None:
        """The key of a key-value pair (``ome:k``), when ``subject`` is one."""
        res = self.store.query(
            f"SELECT ?k ?s WHERE {{ GRAPH ?g {{ ?s <{OME}k> ?k }} }} LIMIT 1",
            substitutions={"s": ox.NamedNode(subject)},
        )
        assert isinstance(res, SelectResult)
        return _lit(res.rows[0][0]) or None if res.rows else None

    def check(self, subject: str, prop: str, term_ref: str) -> tuple[Term | None, Field | None, list[str]]:
        """(term, field, problems); no problems means the annotation may be written."""
        problems: list[str] = []
        manifest_base = _graph_base()
        try:
            s_node, p_node = ox.NamedNode(subject), ox.NamedNode(prop)
        except ValueError as exc:
            return None, None, [f"not an IRI: {exc}"]
        if not self.fields.knows_property(p_node.value):
            known = ", ".join(sorted(_compact(p) for p in self.fields.properties))
            problems.append(
                f"property {_compact(prop)} is not one that takes ontology terms (known: {known})"
            )
        known_subject = self.store.query(  # the base is the manifest's, escaped as a literal
            f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), {ox.Literal(manifest_base)})) }}",
            substitutions={"s": s_node},
        )
        if isinstance(known_subject, AskResult) and not known_subject.value:
            problems.append(f"nothing is known about the subject {subject} in the store")
        term = self.index.get(term_ref)
        if term is None:
            problems.append(
                f"{term_ref} is not a term of the loaded ontologies ({', '.join(self.index.ontologies)})"
            )
            return None, None, problems
        if term.obsolete:
            rep = self.index.get(term.replaced_by) if term.replaced_by else None
            problems.append(
                f"{term.curie} {term.label!r} is obsolete"
                + (
                    f"; use its replacement {rep.curie} {rep.label!r}"
                    if rep
                    else "; the ontology names no replacement"
                )
            )
        f = self.fields.for_property(p_node.value)
        if p_node.value == VALUE_TERM:
            key = self.key_of(subject)
            f = self.fields.resolve(key) if key else None
        if f is not None and not self.checker.fits(term.iri, f):
            problems.append(
                f"{term.curie} {term.label!r} is not under {f.expected()}, which "
                f"{_compact(prop)} ({f.name.replace('_', ' ')}) expects"
            )
        return term, f, problems

    def create(
        self,
        subject: str,
        prop: str,
        term_ref: str,
        *,
        curator: str,
        text: str | None = None,
        suggestion: Suggestion | None = None,
        reason: str | None = None,
        score: float | None = None,
        from_decision: str | None = None,
        now: dt.datetime | None = None,
        curator_label: str | None = None,
        note: str | None = None,
    ) -> Annotation:
        """Check, then write the annotation in one transaction. Raises AnnotationRejected.

        ``curator`` is an ORCID, an IRI or a name; ``curator_label`` names an IRI given as
        curator (a memory decision's ``author_label``); ``note`` is kept as ``rdfs:comment``."""
        term, _f, problems = self.check(subject, prop, term_ref)
        derived = from_decision or (suggestion.record_id if suggestion else None)
        if derived is not None:
            try:
                ox.NamedNode(derived)
            except ValueError:
                problems.append(f"the suggestion's record_id {derived!r} is not an IRI")
        if problems or term is None:
            raise AnnotationRejected(problems)
        who, who_label = curator_iri(curator, self.base_iri)
        who_label = curator_label or who_label
        when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        if suggestion is not None:
            reason = reason or suggestion.reason
            score = score if score is not None else suggestion.score
            from_decision = from_decision or suggestion.record_id
        ann = Annotation(
            iri=self.iri_for(subject, prop, term.iri),
            subject=subject,
            property=prop,
            term=term.iri,
            term_label=term.label,
            curator=who,
            curator_label=who_label,
            created=when,
            text=text,
            suggestion_reason=reason,
            suggestion_score=score,
            from_decision=from_decision,
            note=note,
        )
        self.store.update(
            f"DELETE WHERE {{ GRAPH {self.graph} {{ {ox.NamedNode(ann.iri)} ?p ?o }} }} ;\n"
            f"INSERT DATA {{ GRAPH {self.graph} {{\n{data_block(_annotation_triples(ann))}\n}} }}"
        )
        return ann

    def list(
        self, *, subject: str | None = None, prop: str | None = None, term: str | None = None
    ) -> list[Annotation]:
        res = self.store.query(
            f"SELECT ?a ?p ?o ?g WHERE {{ GRAPH ?g {{ ?a a <{TERM_ANNOTATION}> ; ?p ?o }} }}",
            substitutions={"g": self.graph},
        )
        assert isinstance(res, SelectResult)
        per: dict[str, dict[str, str]] = {}
        for node, p, o, *_ in res.rows:
            usable = isinstance(node, ox.NamedNode) and isinstance(o, ox.NamedNode | ox.Literal)
            if usable and isinstance(p, ox.NamedNode) and p.value in _ANN_PROPS:
                per.setdefault(node.value, {})[_ANN_PROPS[p.value]] = o.value  # type: ignore[union-attr]
        labels = self._curator_labels()
        out: list[Annotation] = []
        for iri, v in sorted(per.items()):
            if not {"subject", "property", "term"} <= set(v):
                continue
            a = Annotation(
                iri=iri,
                subject=v["subject"],
                property=v["property"],
                term=v["term"],
                term_label=v.get("term_label"),
                curator=v.get("curator"),
                curator_label=labels.get(v.get("curator") or ""),
                created=v.get("created"),
                text=v.get("text"),
                suggestion_reason=v.get("suggestion_reason"),
                suggestion_score=float(v["suggestion_score"]) if "suggestion_score" in v else None,
                from_decision=v.get("from_decision"),
                note=v.get("note"),
            )
            wanted = ((subject, a.subject), (prop, a.property), (term, a.term))
            if any(want and want != have for want, have in wanted):
                continue
            out.append(a)
        return out

    def _curator_labels(self) -> dict[str, str]:
        res = self.store.query(
            f"SELECT ?c ?l ?g WHERE {{ GRAPH ?g {{ ?c <{RDFS}label> ?l }} }}", substitutions={"g": self.graph}
        )
        assert isinstance(res, SelectResult)
        return {r[0].value: _lit(r[1]) for r in res.rows if isinstance(r[0], ox.NamedNode) and _lit(r[1])}

    def get(self, iri: str) -> Annotation | None:
        return next((a for a in self.list() if a.iri == iri), None)

    def delete(self, iri: str) -> Annotation | None:
        """Remove an annotation and its triple (one transaction); None when there was none."""
        ann = self.get(iri)
        if ann is None:
            return None
        s, p, o = ox.NamedNode(ann.subject), ox.NamedNode(ann.property), ox.NamedNode(ann.term)
        g = self.graph
        self.store.update(  # one request: one transaction; a curator's name goes with their last annotation
            f"DELETE DATA {{ GRAPH {g} {{ {s} {p} {o} . }} }} ;\n"
            f"DELETE WHERE {{ GRAPH {g} {{ {ox.NamedNode(iri)} ?p ?o }} }} ;\n"
            f"DELETE {{ GRAPH {g} {{ ?c <{RDFS}label> ?l }} }} WHERE {{ GRAPH {g} {{ ?c <{RDFS}label> ?l "
            f"FILTER NOT EXISTS {{ ?a <{PROV}wasAttributedTo> ?c }} }} }}"
        )
        return ann


def _annotation_triples(a: Annotation) -> list[ox.Triple]:
    N, L = ox.NamedNode, ox.Literal
    node = N(a.iri)
    out = [
        ox.Triple(N(a.subject), N(a.property), N(a.term)),
        ox.Triple(node, N(RDF + "type"), N(TERM_ANNOTATION)),
        ox.Triple(node, N(RDF + "type"), N(PROV + "Entity")),
        ox.Triple(node, N(OWL + "annotatedSource"), N(a.subject)),
        ox.Triple(node, N(OWL + "annotatedProperty"), N(a.property)),
        ox.Triple(node, N(OWL + "annotatedTarget"), N(a.term)),
    ]
    if a.term_label:
        out.append(ox.Triple(node, N(BKG + "termLabel"), L(a.term_label)))
    if a.curator:
        out.append(ox.Triple(node, N(PROV + "wasAttributedTo"), N(a.curator)))
        if a.curator_label:
            out.append(ox.Triple(N(a.curator), N(RDFS + "label"), L(a.curator_label)))
    if a.created:
        out.append(ox.Triple(node, N(PROV + "generatedAtTime"), L(a.created, datatype=N(XSD + "dateTime"))))
    if a.text:
        out.append(ox.Triple(node, N(BKG + "fromText"), L(a.text)))
    if a.suggestion_reason:
        out.append(ox.Triple(node, N(BKG + "suggestionReason"), L(a.suggestion_reason)))
    if a.suggestion_score is not None:
        out.append(
            ox.Triple(
                node,
                N(BKG + "suggestionScore"),
                L(repr(float(a.suggestion_score)), datatype=N(XSD + "double")),
            )
        )
    if a.from_decision:
        out.append(ox.Triple(node, N(PROV + "wasDerivedFrom"), N(a.from_decision)))
    if a.note:
        out.append(ox.Triple(node, N(RDFS + "comment"), L(a.note)))
    return out


def _lit(t: object) -> str:
    """The lexical value of a literal ("" for anything else)."""
    return t.value if isinstance(t, ox.Literal) else ""


def _graph_base() -> str:
    from kg.ontology.manifest import default_manifest

    return default_manifest().graph_base


@dataclass
class MemoryReuse:
    """What reusing the mapping memory did for some values."""

    values: int = 0  # values without a term that were looked up
    written: list[Annotation] = field(default_factory=list)
    problems: list[tuple[GraphValue, str]] = field(default_factory=list)  # a decision, not applied: why
    left: list[GraphValue] = field(default_factory=list)  # no decision for them: for review

    def lines(self, *, most: int = 10) -> list[str]:
        """What a user reads after an ingest: one summary line, then each kind of problem once
        (with how many values had it), at most ``most`` of them."""
        review = len(self.left) + len(self.problems)
        out = [
            f"{len(self.written)} value(s) annotated from reviewed decisions, {review} left for review "
            "(kg annotate --from-graph)"
        ]
        grouped = Counter(f"{v.key} = {v.text!r}: {why}" for v, why in self.problems)
        for i, (msg, n) in enumerate(grouped.most_common()):
            if i == most:
                out.append(f"... and {len(grouped) - most} more (kg annotate --from-graph --format json)")
                break
            out.append(f"not applied{f' to {n} values' if n > 1 else ''}: {msg}")
        return out


def reuse_memory(
    annotator: Annotator,
    annotations: Annotations,
    values: list[GraphValue],
    *,
    curator: str | None = None,
    at: str = "ingest",
) -> MemoryReuse:
    """Annotate every value a reviewed decision of the memory fits (the hook that lets later
    ingests reuse the memory).

    Without ``curator`` (``kg ingest``) each annotation is attributed to the decision's own
    curator, with a note that it was applied automatically ``at`` ingest; a decision that names
    no curator, or whose term is obsolete, is not applied automatically but reported. With
    ``curator`` (``kg annotate --from-graph --apply-memory --curator``) whoever applies is the
    curator, and an obsolete decided term gives way to its replacement. Rejections keep their
    term out. Values without a decision are listed as ``left``; every decision that could not be
    applied is in ``problems`` with the reason (off-branch, ontology not loaded, no single object,
    a failed check)."""
    memory = annotator.memory
    rep = MemoryReuse(values=len(values))
    if memory is None:
        rep.left = list(values)
        return rep
    for v in values:
        decisions = memory.lookup(v.text, v.key)
        rejected = {d.term for d in decisions if d.negated}
        positive = [d for d in decisions if not d.negated and d.term not in rejected]
        if not positive:
            rep.left.append(v)
            continue
        f = annotator.fields.resolve(v.key)
        chosen: tuple[Decision, Suggestion] | None = None
        why_not: list[str] = []
        for d in positive:
            s = annotator._from_decision(d, f)
            c = s.term.curie
            if not s.in_local_store:
                why_not.append(f"the decision's term {c} is not in the loaded ontologies")
            elif s.fits is False and f is not None:
                why_not.append(f"the decision's term {c} is not under {f.expected()}, which {v.key} expects")
            elif curator is None and s.replaces is not None:
                why_not.append(
                    f"the decided term {_compact(s.replaces)} is obsolete (replaced by {c}): a curator "
                    "should confirm the replacement"
                )
            elif curator is None and not d.curator:
                why_not.append("the decision names no curator: apply it with --apply-memory --curator")
            else:
                chosen = (d, s)
                break
        if chosen is None:
            rep.problems.append((v, "; ".join(dict.fromkeys(why_not))))
            continue
        d, s = chosen
        if v.subject is None or v.property is None:
            rep.problems.append(
                (v, f"the memory knows {s.term.curie}, but {v.graph} has no single object to annotate")
            )
            continue
        who, who_label, note = curator, None, None
        if curator is None:
            who, who_label = d.curator, d.curator_label
            scope = f"under the key {d.key!r}" if d.key else "for any key"
            note = (
                f"applied automatically at {at} from the mapping memory: the reviewed decision {scope} "
                f"{d.text!r} {_compact(d.predicate)} {s.term.curie} ({_reviewer(d)}"
                f"{' on ' + d.date if d.date else ''}); this object itself was not reviewed"
            )
        assert who is not None
        try:
            rep.written.append(
                annotations.create(
                    v.subject,
                    v.property,
                    s.term.iri,
                    curator=who,
                    curator_label=who_label,
                    text=v.text,
                    suggestion=s,
                    note=note,
                )
            )
        except AnnotationRejected as exc:
            rep.problems.append((v, str(exc)))
    return rep


def apply_memory(
    store: Store, annotator: Annotator, annotations: Annotations, values: list[GraphValue], *, curator: str
) -> tuple[list[Annotation], list[str]]:
    """:func:`reuse_memory` applied by ``curator``: (what was written, why each other decision
    was not applied). Values the memory has no decision for are not mentioned."""
    rep = reuse_memory(annotator, annotations, values, curator=curator)
    return rep.written, [f"{v.key} = {v.text!r} in {v.graph}: {why}" for v, why in rep.problems]


# -- annotations whose object changed --------------------------------------------------------------


@dataclass(frozen=True)
class StaleAnnotation:
    """An annotation whose object is gone from the store ("gone") or no longer holds the text
    it was annotated for ("changed"): what a changed source file leaves behind."""

    iri: str
    subject: str
    property: str
    term: str
    text: str | None
    why: str  # "gone" or "changed"

    def describe(self) -> str:
        t = _compact(self.term)
        if self.why == "gone":
            return f"{self.subject} {_compact(self.property)} {t}: the object is no longer in the store"
        return (
            f"{self.subject} {_compact(self.property)} {t}: annotated for {self.text!r}, "
            "which the object no longer holds"
        )


def stale_annotations(store: Store, graphs: Sequence[str] | None = None) -> list[StaleAnnotation]:
    """Annotations (in :data:`ANNOTATIONS_GRAPH`) whose subject no longer occurs in any other
    graph ("gone"), or, for a key-value pair or a value annotated from the memory, no longer
    holds the text it was annotated for ("changed"). With ``graphs``, only annotations of objects
    of those source graphs (their IRIs start with the graph's IRI and "/", docs/iris.md)."""
    if graphs is not None and not graphs:
        return []
    ann = ox.NamedNode(ANNOTATIONS_GRAPH)
    prefixes = ""
    if graphs is not None:  # escaped literals, never pasted: ox.Literal serialises them
        prefixes = (
            "VALUES ?prefix { " + " ".join(str(ox.Literal(g.rstrip("/") + "/")) for g in graphs) + " } "
        )
    res = store.query(
        f"SELECT ?a ?s ?p ?t ?text ?gone ?ann WHERE {{ {prefixes}"
        f"GRAPH ?ann {{ ?a a <{TERM_ANNOTATION}> ; <{OWL}annotatedSource> ?s ; "
        f"<{OWL}annotatedProperty> ?p ; <{OWL}annotatedTarget> ?t . OPTIONAL {{ ?a <{BKG}fromText> ?text }} "
        f"OPTIONAL {{ ?a <{PROV}wasDerivedFrom> ?from }} }} "
        + ("FILTER(STRSTARTS(STR(?s), ?prefix)) " if prefixes else "")
        + "BIND(NOT EXISTS { GRAPH ?g { ?s ?q ?o } FILTER(?g != ?ann) } AS ?gone) "
        "BIND(BOUND(?text) && !?gone && (BOUND(?from) || EXISTS { GRAPH ?g2 { ?s <" + OME + "value> ?x } }) "
        "&& NOT EXISTS { GRAPH ?g3 { ?s ?q3 ?text } FILTER(?g3 != ?ann) } AS ?changed) "
        "FILTER(?gone || ?changed) } ORDER BY ?s ?a",
        substitutions={"ann": ann},
    )
    assert isinstance(res, SelectResult)
    out = []
    for a, subj, p, t, text, gone, _g in res.rows:
        iris = [x.value for x in (a, subj, p, t) if isinstance(x, ox.NamedNode)]
        if len(iris) == 4:
            why = "gone" if _lit(gone) == "true" else "changed"
            out.append(StaleAnnotation(iris[0], iris[1], iris[2], iris[3], _lit(text) or None, why))
    return out


def remove_stale(annotations: Annotations, stale: list[StaleAnnotation]) -> list[StaleAnnotation]:
    """Delete the given stale annotations and their triples (each one transaction); those that
    were still there."""
    return [s for s in stale if annotations.delete(s.iri) is not None]


# -- the kg.after_ingest step ---------------------------------------------------------------------


def _memory_state(store: Store) -> tuple[bool, bool, bool]:
    """(the memory holds a decision that is not a rejection, an ontology is loaded, there are
    annotations): one small query, constants only."""
    from kg.ontology.manifest import default_manifest
    from kg.ontology.memory import NEGATED, SLOT_PROPERTIES

    catalogue = ox.NamedNode(default_manifest().catalogue_graph)
    res = store.query(
        "SELECT ?memory ?ontologies ?annotations WHERE { "
        f"BIND(EXISTS {{ GRAPH <{MEMORY_GRAPH}> {{ ?r <{SLOT_PROPERTIES['object_id']}> ?t "
        f"FILTER NOT EXISTS {{ ?r <{SLOT_PROPERTIES['predicate_modifier']}> <{NEGATED}> }} }} }} AS ?memory) "
        f"BIND(EXISTS {{ GRAPH {catalogue} {{ ?o a <{BKG}LoadedOntology> }} }} AS ?ontologies) "
        f"BIND(EXISTS {{ GRAPH <{ANNOTATIONS_GRAPH}> {{ ?a a <{TERM_ANNOTATION}> }} }} AS ?annotations) }}"
    )
    assert isinstance(res, SelectResult)
    row = res.rows[0] if res.rows else (None, None, None)
    return _lit(row[0]) == "true", _lit(row[1]) == "true", _lit(row[2]) == "true"


def after_ingest(store: Store, settings: Settings, graphs: list[str]) -> list[str]:
    """The ``kg.after_ingest`` step (entry point ``mapping-memory``): later ingests reuse the
    mapping memory first.

    For the graphs just ingested: annotate the values a reviewed decision fits
    (:func:`reuse_memory`, attributed to the decision's curator, noted as applied
    automatically), say how many are left for review and why decisions were not applied, and
    report annotations of these graphs' objects that a changed file left stale
    (:func:`stale_annotations`: kept, as ``kg terms check`` keeps what it reports; ``kg annotate
    --remove-stale`` removes them). With an empty memory and no annotations it costs one small
    query and writes nothing; the term index is opened only when a value has a decision."""
    has_memory, has_ontologies, has_annotations = _memory_state(store)
    lines: list[str] = []
    if has_memory and not has_ontologies:
        lines.append(
            "the mapping memory was not applied: no ontologies are loaded, so its terms cannot be "
            "checked (kg ontologies fetch)"
        )
    elif has_memory:
        fields = default_fields()
        values = graph_values(store, fields, graphs=graphs)
        memory = MappingMemory(store, settings.base_iri, fields)
        if values and any(memory.lookup(v.text, v.key) for v in values):
            from kg.ontology.index import default_cache_path

            cache = default_cache_path(None if settings.endpoint else settings.store_path, settings.endpoint)
            index = TermIndex.open(store, cache)
            annotator = Annotator(index, memory, fields, tables=False)
            lines += reuse_memory(
                annotator, Annotations(store, index, settings.base_iri, fields), values
            ).lines()
        elif values:
            lines.append(
                f"0 value(s) annotated from reviewed decisions, {len(values)} left for review "
                "(kg annotate --from-graph)"
            )
    if has_annotations:
        stale = stale_annotations(store, graphs)
        if stale:
            gone = sum(1 for s in stale if s.why == "gone")
            lines.append(
                f"{len(stale)} annotation(s) of the re-ingested source(s) no longer fit: {gone} name an "
                f"object that is gone, {len(stale) - gone} a value that changed; kept "
                "(kg annotate --remove-stale removes them)"
            )
            lines += [f"stale annotation {s.iri}: {s.describe()}" for s in stale[:10]]
            if len(stale) > 10:
                lines.append(f"... and {len(stale) - 10} more (kg annotate --remove-stale --format json)")
    return lines


# -- measuring against a gold set ------------------------------------------------------------------


@dataclass(frozen=True)
class GoldRow:
    key: str
    text: str
    expected: tuple[str, ...]  # IRIs, all equally correct
    source: str = ""
    note: str = ""


def read_gold(path: Any) -> list[GoldRow]:
    """Rows of a gold TSV (key, text, expected CURIEs joined by "|", source, note); lines
    starting with "#" are comments. A CURIE that does not expand is an error naming the line."""
    import csv
    from pathlib import Path

    from kg.errors import SourceError

    p = Path(path)
    rows: list[GoldRow] = []
    lines = p.read_text(encoding="utf-8").splitlines()
    body = [(n, ln) for n, ln in enumerate(lines, start=1) if ln.strip() and not ln.startswith("#")]
    reader = csv.reader([ln for _n, ln in body], delimiter="\t")
    header = next(reader, None)
    if header is None or header[:3] != ["key", "text", "expected"]:
        raise SourceError(
            str(p), "the header must start with key, text, expected", line=body[0][0] if body else 1
        )
    for (n, _ln), cells in zip(body[1:], reader, strict=True):
        cells += [""] * (5 - len(cells))
        iris = []
        for c in cells[2].split("|"):
            iri = curies.to_iri(c.strip()) if c.strip() else None
            if iri is None:
                raise SourceError(str(p), f"expected {cells[2]!r}: {c!r} is not a known CURIE", line=n)
            iris.append(iri)
        rows.append(GoldRow(cells[0], cells[1], tuple(iris), cells[3], cells[4]))
    return rows


@dataclass
class Evaluation:
    values: int = 0  # evaluated
    answered: int = 0  # with at least one suggestion
    top1_correct: int = 0
    top3_hit: int = 0  # values whose correct term is in the first three
    top3_shown: int = 0  # suggestions shown in the first three, over all values
    top3_correct: int = 0  # correct ones among them
    skipped: list[str] = field(default_factory=list)  # rows whose terms are not loaded
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision_at_1(self) -> float:
        return self.top1_correct / self.answered if self.answered else 0.0

    @property
    def recall_at_1(self) -> float:
        return self.top1_correct / self.values if self.values else 0.0

    @property
    def precision_at_3(self) -> float:
        return self.top3_correct / self.top3_shown if self.top3_shown else 0.0

    @property
    def recall_at_3(self) -> float:
        return self.top3_hit / self.values if self.values else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "values": self.values,
            "answered": self.answered,
            "precision_at_1": round(self.precision_at_1, 4),
            "recall_at_1": round(self.recall_at_1, 4),
            "precision_at_3": round(self.precision_at_3, 4),
            "recall_at_3": round(self.recall_at_3, 4),
            "skipped": self.skipped,
            "misses": self.misses,
        }


def evaluate(annotator: Annotator, rows: list[GoldRow]) -> Evaluation:
    """Precision and recall of the first suggestion and of the first three, over the rows whose
    expected terms are in the loaded ontologies (the others are listed as skipped).

    precision@1 = correct first suggestions / values that got one; recall@1 = correct first
    suggestions / values; precision@3 = correct suggestions among the first three / suggestions
    shown there; recall@3 = values with a correct term among their first three / values."""
    ev = Evaluation()
    for row in rows:
        if not any(annotator.index.get(iri) for iri in row.expected):
            ev.skipped.append(f"{row.key}: {row.text} (expects {', '.join(map(_compact, row.expected))})")
            continue
        ev.values += 1
        got = annotator.suggest(row.text, row.key, limit=3).suggestions
        want = set(row.expected)
        if got:
            ev.answered += 1
        if got and got[0].term.iri in want:
            ev.top1_correct += 1
        else:
            ev.misses.append(
                {
                    "key": row.key,
                    "text": row.text,
                    "expected": [_compact(i) for i in row.expected],
                    "got": [f"{s.term.curie} {s.term.label}" for s in got],
                }
            )
        ev.top3_shown += len(got)
        ev.top3_correct += sum(1 for s in got if s.term.iri in want)
        ev.top3_hit += any(s.term.iri in want for s in got)
    return ev


__all__ = [
    "ANNOTATIONS_GRAPH",
    "MEMORY_GRAPH",
    "Annotation",
    "AnnotationRejected",
    "Annotations",
    "Annotator",
    "Evaluation",
    "GoldRow",
    "GraphValue",
    "MemoryReuse",
    "StaleAnnotation",
    "Suggestion",
    "Suggestions",
    "after_ingest",
    "apply_memory",
    "evaluate",
    "graph_values",
    "read_gold",
    "remove_stale",
    "reuse_memory",
    "split_key_value",
    "stale_annotations",
]
