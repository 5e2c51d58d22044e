"""``kg export --format sqlite -o FILE``: the schema-shaped data of the store as an SQLite
database whose tables come from the schema (shapes/generated/bioimage_kg.sql, LinkML's DDL).

The DDL is run as generated, except that ``NOT NULL`` is kept only on primary keys: a study
without a licence is still exported (``kg completeness`` reports what is missing; SQL does not
refuse it). Then, for every class of the schema, its instances in the store (all graphs, by the
class IRI: studies, biosamples, instruments from instrument descriptions and OME files, analysis
runs...) are rows:

- ``id`` is the object's IRI; objects without one (quantities, seeds, distributions) get whole
  numbers, per table;
- a field with one value is a column of the same name; an object field is ``{field}_id`` (or the
  IRI in the column of a reference such as ``ImageData.biosample``);
- a field with several values is a link table ``{Class}_{field}`` (``Study_keywords``);
- objects inside another have its id in ``{Parent}_id`` (``Biosample.StudyComponent_id``).

Numbers are stored as numbers, booleans as 0/1, dates as ISO text, enumeration values as their
text (or their ontology term IRI, for imaging methods).
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError
from kg.mapping.schema_mapper import ClassInfo, SchemaTable, SlotInfo, schema_table
from kg.namespaces import RDF
from kg.resources import data_dir
from kg.store import SelectResult, Store


class ExportError(KGError, RuntimeError):
    """The SQLite file could not be written."""


def ddl() -> str:
    """The generated DDL with NOT NULL kept on primary keys only."""
    text = (data_dir("shapes") / "generated" / "bioimage_kg.sql").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if " NOT NULL" in line and not re.match(r"^\s*id (TEXT|INTEGER) NOT NULL", line):
            line = line.replace(" NOT NULL", "")
        out.append(line)
    return "\n".join(out) + "\n"


def _key(term: Any) -> str:
    return ("_:" + term.value) if isinstance(term, ox.BlankNode) else str(term.value)


def _cell(term: Any, sql_type: str) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return None
    v = term.value
    t = sql_type.upper()
    try:
        if t.startswith(("FLOAT", "REAL", "DOUBLE", "NUMERIC")):
            return float(v)
        if t.startswith("INTEGER"):
            return int(float(v))
        if t.startswith("BOOLEAN"):
            return 1 if v.strip().lower() in ("true", "1") else 0
    except ValueError:
        return v
    return v


class _Exporter:
    def __init__(self, store: Store, con: sqlite3.Connection, table: SchemaTable) -> None:
        self.store = store
        self.con = con
        self.table = table
        self.numbers: dict[str, dict[str, int]] = defaultdict(dict)  # class -> blank node -> row id
        self.counts: dict[str, int] = defaultdict(int)
        self.tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def _columns(self, name: str) -> list[tuple[str, str]]:
        return [(r[1], r[2]) for r in self.con.execute(f'PRAGMA table_info("{name}")')]

    def _row_id(self, cls: ClassInfo, node: str) -> Any:
        if cls.identified and not node.startswith("_:"):
            return node
        nums = self.numbers[cls.name]
        if node not in nums:
            nums[node] = len(nums) + 1
        return nums[node]

    def _select(self, sparql: str, cls_iri: str) -> list[list[Any]]:
        res = self.store.query(sparql, substitutions={"cls": ox.NamedNode(cls_iri)})
        assert isinstance(res, SelectResult)
        return [list(r) for r in res.rows]

    def export(self) -> dict[str, int]:
        # class IRIs shared by several classes (none today) would export under each
        for cls in self.table.classes.values():
            if cls.name not in self.tables:
                continue
            self._export_class(cls)
        return dict(self.counts)

    def _export_class(self, cls: ClassInfo) -> None:
        rows = self._select(f"SELECT ?cls ?s ?p ?o WHERE {{ ?s <{RDF}type> ?cls ; ?p ?o }}", cls.uri)
        if not rows:
            return
        values: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        for _c, s, p, o in rows:
            values[_key(s)][p.value].append(o)
        parents = self._select(
            f"SELECT ?cls ?parent ?ptype ?p ?s WHERE {{ ?s <{RDF}type> ?cls . ?parent ?p ?s . "
            f"?parent <{RDF}type> ?ptype }}",
            cls.uri,
        )
        parent_of: dict[str, dict[str, str]] = defaultdict(dict)  # node -> {Parent_id column: parent}
        by_uri = {c.uri: c for c in self.table.classes.values()}
        for _c, parent, ptype, p, s in parents:
            pc = by_uri.get(ptype.value)
            if pc is None:
                continue
            slot = next((sl for sl in pc.slots.values() if sl.uri == p.value), None)
            if slot is None or slot.kind != "class" or not slot.inlined:
                continue
            parent_of[_key(s)].setdefault(f"{pc.name}_id", self._row_id(pc, _key(parent)))
        columns = self._columns(cls.name)
        slots_by_col: dict[str, SlotInfo] = {}
        for col, _t in columns:
            if col in cls.slots:
                slots_by_col[col] = cls.slots[col]
            elif col.endswith("_id") and col[:-3] in cls.slots:
                slots_by_col[col] = cls.slots[col[:-3]]
        names = [c for c, _ in columns]
        sql = (
            f'INSERT OR IGNORE INTO "{cls.name}" ({", ".join(f"{chr(34)}{c}{chr(34)}" for c in names)}) '
            f"VALUES ({', '.join('?' for _ in names)})"
        )
        for node, props in values.items():
            row: list[Any] = []
            for col, sql_type in columns:
                if col == "id":
                    row.append(self._row_id(cls, node))
                    continue
                slot = slots_by_col.get(col)
                if slot is not None:
                    objs = props.get(slot.uri, [])
                    if not objs:
                        row.append(None)
                    elif slot.kind == "class" and slot.inlined:
                        target = self.table.classes[slot.range]
                        row.append(self._row_id(target, _key(objs[0])))
                    else:
                        row.append(_cell(objs[0], sql_type))
                    continue
                row.append(parent_of.get(node, {}).get(col))
            self.con.execute(sql, row)
            self.counts[cls.name] += 1
            # several values: link tables
            for slot in cls.slots.values():
                link = f"{cls.name}_{slot.name}"
                if not slot.multivalued or link not in self.tables:
                    continue
                objs = props.get(slot.uri, [])
                lcols = self._columns(link)
                if len(lcols) != 2:
                    continue
                for o in objs:
                    if slot.kind == "class" and slot.inlined:
                        cell = self._row_id(self.table.classes[slot.range], _key(o))
                    else:
                        cell = _cell(o, lcols[1][1])
                    self.con.execute(
                        f'INSERT OR IGNORE INTO "{link}" ("{lcols[0][0]}", "{lcols[1][0]}") VALUES (?, ?)',
                        (self._row_id(cls, node), cell),
                    )
                    self.counts[link] += 1


def export_sqlite(store: Store, path: Path) -> dict[str, int]:
    """Write the store's schema-shaped data to a new SQLite file at ``path`` (replaced whole);
    returns the number of rows per table."""
    path = Path(path)
    tmp = path.with_name(path.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript(ddl())
            counts = _Exporter(store, con, schema_table()).export()
            con.commit()
        finally:
            con.close()
        tmp.replace(path)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"{path}: cannot write the SQLite export: {exc}") from exc
    return counts


__all__ = ["ExportError", "ddl", "export_sqlite"]
