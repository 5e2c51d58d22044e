"""SHACL validation by SPARQL: shapes compiled to SELECT queries run in the store.

``compile_shapes`` reads a shapes graph (SHACL Core) into a :class:`Program` of SELECT queries;
``validate_all`` runs it over the whole store, ``validate_graphs`` over some named graphs and
what they link to (incremental validation at ingest). Results carry what a pySHACL
``sh:ValidationResult`` carries. See docs/validation.md.
"""

from kg.shacl.compile import Program, compile_shapes
from kg.shacl.run import Result, ShaclReport, load_program, report_triples, run, validate_all, validate_graphs

__all__ = [
    "Program",
    "Result",
    "ShaclReport",
    "compile_shapes",
    "load_program",
    "report_triples",
    "run",
    "validate_all",
    "validate_graphs",
]
