"""Plain records shared by the local term index (``kg.ontology.index``), the OLS4 client
(``kg.ontology.ols``) and the annotation engine."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    """An ontology term as a user sees it: enough to choose it and to check it."""

    iri: str
    curie: str  # e.g. "FBbi:00000253"; bioregistry's preferred prefix where it has one
    label: str
    ontology: str  # the ontology id in our manifest / OLS4, lower case ("fbbi")
    synonyms: tuple[str, ...] = ()
    definition: str | None = None
    obsolete: bool = False
    replaced_by: str | None = None  # IRI of the replacement of an obsolete term
    source: str = "local"  # "local" (our store) or "ols4"


@dataclass(frozen=True)
class Hit:
    """A search result: the term, a score in [0, 1] and the reason it matched, in words."""

    term: Term
    score: float
    match: str  # "exact label", "exact synonym", "label prefix", "synonym prefix", "fuzzy", "iri", "curie"
    matched_text: str = ""
    reason: str = ""


@dataclass
class SearchResult:
    hits: list[Hit] = field(default_factory=list)
    source: str = "local"  # where the answer came from
    notice: str | None = None  # e.g. "OLS4 unreachable (timeout after 3 s); answered from the local store"
