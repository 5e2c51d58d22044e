"""Ontology terms for OME enumeration values, from the SSSOM tables in mappings/sssom/.

Each table maps the values of one OME enumeration (``omeenum:AcquisitionMode.SPIM``) to an
ontology term, with the SSSOM predicate (exact, close, broad match), a justification and a
confidence. Tables are read with sssom-pydantic; a row that does not parse is an error naming the
file and line, never skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kg.errors import ConfigError
from kg.resources import data_dir


@dataclass(frozen=True)
class TermMatch:
    value: str  # the OME value, e.g. "SpinningDiskConfocal"
    term: str  # the ontology term IRI
    label: str | None
    predicate: str  # skos:exactMatch, skos:closeMatch, skos:broadMatch ...
    confidence: float | None


@dataclass(frozen=True)
class TermTable:
    name: str
    path: Path
    matches: dict[str, TermMatch]

    def get(self, value: str) -> TermMatch | None:
        return self.matches.get(value)


def load_table(path: Path) -> TermTable:
    import sssom_pydantic

    mappings, converter, _meta, errors = sssom_pydantic.read(path, return_errors=True)
    if errors:
        first = errors[0]
        raise ConfigError(f"{path}, line {first.line_number}: not a valid SSSOM row: {first.exception!r}")
    matches: dict[str, TermMatch] = {}
    for m in mappings:
        value = m.subject.name or m.subject.identifier.split(".", 1)[-1]
        matches[value] = TermMatch(
            value=value,
            term=converter.expand(m.object.curie, strict=True),
            label=m.object.name,
            predicate=m.predicate.curie,
            confidence=m.confidence,
        )
    return TermTable(path.name.removesuffix(".sssom.tsv"), path, matches)


@lru_cache(maxsize=1)
def default_term_tables() -> dict[str, TermTable]:
    tables = {}
    for p in sorted((data_dir("mappings") / "sssom").glob("*.sssom.tsv")):
        t = load_table(p)
        tables[t.name] = t
    return tables
