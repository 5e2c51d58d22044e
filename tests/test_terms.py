"""OME enumeration values linked to ontology terms through the SSSOM tables in mappings/sssom/."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.demo import DEMO_DIR
from kg.ingest import ingest_paths
from kg.mapping.terms import default_term_tables, load_table
from kg.store import EmbeddedStore

from .conftest import FIXTURES, rows

FBBI = "http://purl.obolibrary.org/obo/FBbi_"


def test_enum_values_link_to_terms(store: EmbeddedStore, settings: Settings) -> None:
    rep = ingest_paths(store, settings, sorted(DEMO_DIR.glob("*.ome.xml")))
    assert rep.ok and all(not o.unresolved for o in rep.outcomes)
    modes = rows(
        store,
        "SELECT DISTINCT ?mode ?term WHERE { ?c ome:acquisition_mode ?mode ; bkg:acquisitionModeTerm ?term } ORDER BY ?mode",
    )
    assert modes == [["LaserScanningConfocalMicroscopy", FBBI + "00000252"], ["WideField", FBBI + "00000277"]]
    det = rows(store, "SELECT ?term WHERE { ?d a ome:Detector ; bkg:detectorTypeTerm ?term }")
    assert det == [[FBBI + "00000294"]]
    imm = rows(store, "SELECT DISTINCT ?term WHERE { ?o bkg:immersionTerm ?term } ORDER BY ?term")
    assert imm == [
        ["http://www.bioassayontology.org/bao#BAO_0150017"],
        ["http://www.bioassayontology.org/bao#BAO_0150019"],
    ]


def test_values_without_a_term_are_kept_and_reported(
    store: EmbeddedStore, settings: Settings, tmp_path: Path
) -> None:
    f = tmp_path / "spectral.ome.xml"
    f.write_text(
        (FIXTURES / "ome-with-txt-extension.txt")
        .read_text()
        .replace('Name="only"', 'Name="only" AcquisitionMode="SpectralImaging" ContrastMethod="Other"')
    )
    rep = ingest_paths(store, settings, [f])
    o = rep.outcomes[0]
    assert o.status == "ingested"
    assert [(u.field, u.value) for u in o.unresolved] == [
        ("@AcquisitionMode", "SpectralImaging (no term in ome-acquisition-mode)")
    ]
    assert rows(store, "SELECT ?m WHERE { ?c ome:acquisition_mode ?m }") == [["SpectralImaging"]]
    assert rows(store, "SELECT ?n WHERE { GRAPH ?g { ?g bkg:unresolvedTerm ?n } }")[0][0].endswith(
        "SpectralImaging (no term in ome-acquisition-mode)"
    )


def test_tables_cover_the_values_they_name() -> None:
    tables = default_term_tables()
    assert set(tables) >= {
        "ome-acquisition-mode",
        "ome-contrast-method",
        "ome-detector-type",
        "ome-laser-type",
        "ome-immersion",
    }
    assert tables["ome-acquisition-mode"].get("SPIM").term == FBBI + "00000369"  # type: ignore[union-attr]
    for t in tables.values():
        for m in t.matches.values():
            assert m.predicate in (
                "skos:exactMatch",
                "skos:closeMatch",
                "skos:broadMatch",
                "skos:narrowMatch",
            )
            assert m.confidence is not None and 0 < m.confidence <= 1


def test_every_term_exists_and_is_current_in_the_ontology_mirror(shared: Path) -> None:
    store = ox.Store()
    for name in ("fbbi.ttl", "obi.ttl", "bao.ttl"):
        store.load(path=str(shared / "ontologies" / "rdf" / name), format=ox.RdfFormat.TURTLE)
    for t in default_term_tables().values():
        for m in t.matches.values():
            label = store.query(
                "SELECT ?t ?l ?dep WHERE { ?t <http://www.w3.org/2000/01/rdf-schema#label> ?l OPTIONAL { ?t <http://www.w3.org/2002/07/owl#deprecated> ?dep } }",
                substitutions={ox.Variable("t"): ox.NamedNode(m.term)},
            )
            rows = list(label)
            assert rows, f"{t.path.name}: {m.term} is not in the mirror"
            assert rows[0]["l"].value == m.label, f"{t.path.name}: label drift for {m.term}"
            assert rows[0]["dep"] is None or rows[0]["dep"].value != "true", (
                f"{t.path.name}: {m.term} is obsolete"
            )


def test_broken_table_is_an_error_naming_the_file(tmp_path: Path) -> None:
    from kg.errors import ConfigError

    bad = tmp_path / "bad.sssom.tsv"
    bad.write_text(
        "# curie_map:\n#   x: http://x.org/\n# mapping_set_id: http://x.org/s\nsubject_id\tpredicate_id\tobject_id\tmapping_justification\nx:a\tskos:exactMatch\tnope:b\tsemapv:ManualMappingCuration\n"
    )
    with pytest.raises(ConfigError, match=r"bad\.sssom\.tsv"):
        load_table(bad)
