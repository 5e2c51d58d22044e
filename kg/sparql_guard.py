"""A small SPARQL lexer that tells what a query is before it runs.

It finds the query form (SELECT, ASK, CONSTRUCT, DESCRIBE or an update) and whether the query
uses ``SERVICE``, which Oxigraph would follow to any address (FACTS.md). Strings, IRIs, comments,
variables and prefixed names are skipped, so ``?service``, ``ex:SERVICE`` or ``"SERVICE"`` do not
count, while ``service`` in any case as a keyword does.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from kg.errors import QueryError, QueryRefusedError

_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
               |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
  | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?:(?:[\w\-.:%\\\u00B7\u00C0-\uFFFF]*))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


class QueryForm(enum.StrEnum):
    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"
    UPDATE = "UPDATE"


@dataclass(frozen=True)
class QueryInfo:
    form: QueryForm
    uses_service: bool
    keywords: frozenset[str]


_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    """Apply SPARQL codepoint escapes (\\uXXXX), which the grammar processes before parsing, so
    that ``\\u0053ERVICE`` is seen as SERVICE."""
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def keywords(text: str) -> list[str]:
    """Bare keywords of ``text`` in order, upper-cased (no strings, IRIs, variables, names)."""
    text = _unescape(text)
    return [m.group("word").upper() for m in _TOKEN.finditer(text) if m.lastgroup == "word"]


def inspect_query(text: str) -> QueryInfo:
    words = keywords(text)
    form: QueryForm | None = None
    for w in words:
        if w in ("BASE", "PREFIX"):
            continue
        if w in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
            form = QueryForm(w)
        elif w in _UPDATE_WORDS:
            form = QueryForm.UPDATE
        break
    if form is None:
        raise QueryError(
            "this is not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE after any PREFIX lines"
        )
    return QueryInfo(form=form, uses_service="SERVICE" in words, keywords=frozenset(words))


def guard_query(text: str, *, allow_update: bool = False) -> QueryInfo:
    """Inspect ``text`` and refuse what must never run: SERVICE always, updates unless allowed."""
    info = inspect_query(text)
    if info.uses_service:
        raise QueryRefusedError("SERVICE (federated queries to other endpoints) is refused by this endpoint")
    if info.form is QueryForm.UPDATE and not allow_update:
        raise QueryRefusedError("this endpoint is read-only: SPARQL updates are refused")
    return info
