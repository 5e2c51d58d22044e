"""Local term lookup over real ontologies from ../shared/ontologies: labels, synonyms, CURIEs and
IRIs; ranking with reasons; typos; obsolete terms and replacements; ancestors and branches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.ontology.fetch import fetch_ontologies
from kg.ontology.index import TermIndex, default_cache_path, extracts_dir, normalise
from kg.store import EmbeddedStore

from .conftest import SHARED

MIRROR = SHARED / "ontologies"
FBBI = "http://purl.obolibrary.org/obo/FBbi_"
TIER = {
    "curie": 0,
    "iri": 0,
    "exact label": 1,
    "exact synonym": 2,
    "label prefix": 3,
    "synonym prefix": 3,
    "fuzzy": 4,
}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EmbeddedStore, Path]]:
    if not (MIRROR / "manifest.json").is_file():
        pytest.skip(f"the ontology mirror is absent ({MIRROR}); set KG_SHARED to the shared folder")
    path = tmp_path_factory.mktemp("terms") / "store"
    store = EmbeddedStore(path)
    cache = default_cache_path(path)
    report = fetch_ontologies(
        store, source=str(MIRROR), only=["fbbi", "uo", "ncbitaxon", "cl"], extracts=extracts_dir(cache)
    )
    assert report.ok, [o.error for o in report.outcomes]
    yield store, cache
    store.close()


@pytest.fixture(scope="module")
def index(loaded: tuple[EmbeddedStore, Path]) -> TermIndex:
    store, cache = loaded
    return TermIndex.open(store, cache)


def first(index: TermIndex, text: str, **kw: object) -> tuple[str, str, str]:
    hits = index.search(text, **kw).hits  # type: ignore[arg-type]
    assert hits, f"nothing found for {text!r}"
    return hits[0].term.curie, hits[0].match, hits[0].reason


def test_normalise() -> None:
    assert normalise("  Two-Photon   laser_scanning ") == "two photon laser scanning"
    assert normalise("µm") == normalise("μm") == "um"
    assert normalise("α-tubulin") == "alpha tubulin"
    assert normalise("Micrometres") == "micrometers"
    assert normalise("naïve T cell") == "naive t cell"


def test_index_holds_the_loaded_ontologies(index: TermIndex) -> None:
    assert list(index.ontologies) == ["fbbi", "uo", "ncbitaxon", "cl"]
    per = {o: sum(1 for r in index.rows if r[3] == o) for o in index.ontologies}
    assert per == {
        "fbbi": 634,
        "uo": 574,
        "ncbitaxon": 1126,
        "cl": 3514,
    }  # labelled classes (mirror manifest)


def test_units_by_label_synonym_symbol_curie_and_iri(index: TermIndex) -> None:
    for text in ["micrometer", "micrometre", "µm", "um", "micron", "UO:0000017", "uo:0000017", "UO_0000017",
                 "http://purl.obolibrary.org/obo/UO_0000017"]:  # fmt: skip
        assert first(index, text)[0] == "UO:0000017", text
    assert first(index, "micrometre")[1] == "exact label"  # normalised: -metre is -meter
    assert first(index, "micron")[1] == "exact synonym"
    assert first(index, "http://purl.obolibrary.org/obo/UO_0000017")[1] == "iri"


def test_organism_by_common_and_scientific_name(index: TermIndex) -> None:
    assert first(index, "Homo sapiens")[:2] == ("NCBITaxon:9606", "exact label")
    assert first(index, "homo-sapiens")[0] == "NCBITaxon:9606"
    curie, match, reason = first(index, "human")
    assert (curie, match) == ("NCBITaxon:9606", "exact synonym") and '"human"' in reason
    assert first(index, "ncbitaxon:9606")[0] == "NCBITaxon:9606"
    assert first(index, "taxonomy:9606")[0] == "NCBITaxon:9606"  # a bioregistry synonym of the prefix


def test_cell_types(index: TermIndex) -> None:
    assert first(index, "T cell")[:2] == ("CL:0000084", "exact label")
    assert first(index, "hepatocyte")[:2] == ("CL:0000182", "exact label")
    assert first(index, "T-lymphocyte")[:2] == ("CL:0000084", "exact synonym")
    d = index.details("CL:0000084")
    assert d is not None
    assert [a.label for a in d.ancestors][:2] == ["lymphocyte", "leukocyte"]
    assert any(b.field == "cell_type" and b.ok for b in d.branches)


def test_ranking_goes_by_tier_and_says_why(index: TermIndex) -> None:
    hits = index.search("confocal microscopy", limit=10).hits
    assert hits[0].term.iri == FBBI + "00000251" and hits[0].match == "exact label"
    assert hits[0].reason == 'label "confocal microscopy" equals the query'
    assert all(h.match != "fuzzy" for h in hits)  # a whole-label match needs no fuzzy guesses

    hits = index.search("mouse", limit=10).hits  # exact synonyms, then names starting with "mouse"
    assert {h.term.curie for h in hits[:2]} == {"NCBITaxon:10088", "NCBITaxon:10090"}
    tiers = [TIER[h.match] for h in hits]
    assert tiers == sorted(tiers) and len(set(tiers)) >= 2
    assert all(h.reason for h in hits)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)

    hits = index.search("confocal", ontologies=["fbbi"], limit=5).hits
    assert {h.match for h in hits} == {"label prefix"}
    assert hits[0].term.label == "confocal microscopy"  # the shortest label starting with the query first
    assert all(h.reason.endswith("starts with the query") for h in hits)


def test_ontology_filter(index: TermIndex) -> None:
    res = index.search("micrometer", ontologies=["fbbi"], limit=5)
    assert all(h.term.ontology == "fbbi" for h in res.hits)
    res = index.search("micrometer", ontologies=["uo", "go-cc"], limit=5)
    assert res.hits[0].term.curie == "UO:0000017"
    assert res.notice == "not loaded, not searched: go-cc"


def test_typos_find_the_term(index: TermIndex) -> None:
    for typo, curie in [
        ("confocl microscopy", "FBbi:00000251"),
        ("fluorescense microscopy", "FBbi:00000246"),
        ("spinning disc confocal microscopy", "FBbi:00000253"),
        ("hepatocite", "CL:0000182"),
        ("Homo sapien", "NCBITaxon:9606"),
    ]:
        hits = index.search(typo, limit=5).hits
        assert curie in [h.term.curie for h in hits[:3]], (typo, [h.term.curie for h in hits])
        hit = next(h for h in hits if h.term.curie == curie)
        assert (hit.match, hit.reason.endswith("/100)")) == ("fuzzy", True) or hit.match.endswith("prefix"), (
            hit
        )


def test_obsolete_fbbi_terms_are_flagged_without_a_replacement(index: TermIndex) -> None:
    obsolete = [r for r in index.rows if r[3] == "fbbi" and r[6]]
    assert len(obsolete) == 107  # the mirror manifest's count of deprecated FBbi classes
    assert all(r[7] is None for r in obsolete)  # FBbi 2020-11-06 names no replacements
    t = index.get("FBbi:00000250")
    assert (
        t is not None and t.obsolete and t.label == "narrow field light micrograph" and t.replaced_by is None
    )
    hits = index.search("wide field light micrograph", limit=5).hits
    assert hits[0].term.curie == "FBbi:00000242" and hits[0].term.obsolete and "obsolete" in hits[0].reason
    # an obsolete term ranks after a current one of the same tier
    hits = index.search("light micrograph", ontologies=["fbbi"], limit=20).hits
    flags = [h.term.obsolete for h in hits if h.match == "label prefix"]
    assert flags == sorted(flags)


def test_obsolete_term_with_its_replacement(index: TermIndex) -> None:
    t = index.get("CL:2000082")
    assert t is not None and t.obsolete and t.replaced_by == "http://purl.obolibrary.org/obo/CL_2000045"
    hits = index.search("melanocyte of foreskin", limit=3).hits
    assert [h.term.curie for h in hits[:2]] == ["CL:2000082", "CL:2000045"]
    assert "replaced by CL:2000045" in hits[0].reason
    assert hits[0].match == "exact label"  # "obsolete " is not part of what is matched
    # UO's one deprecated unit points to its duplicate in its definition: offered as "consider"
    d = index.details("UO:0010048")
    assert d is not None and d.term.obsolete and d.consider == ("http://purl.obolibrary.org/obo/UO_0000039",)


def test_details_ancestors_and_branches(index: TermIndex) -> None:
    d = index.details("http://purl.obolibrary.org/obo/FBbi_00000253")
    assert d is not None and d.term.label == "spinning disk confocal microscopy"
    labels = [a.label for a in d.ancestors]
    assert (
        labels[0] == "confocal microscopy"
        and "fluorescence microscopy" in labels
        and "imaging method" in labels
    )
    assert {b.field: b.ok for b in d.branches}["imaging_method"] is True
    assert index.check_branch("FBbi:00000253", "imaging_method").ok
    assert not index.check_branch("FBbi:00000294", "imaging_method").ok  # CCD is a detection method
    assert index.check_branch("FBbi:00000294", "detector_type").ok
    # STED is under imaging method only through ontologies/bridges.ttl
    assert index.check_branch("FBbi:00000334", "imaging_method").ok
    assert index.check_branch("NCBITaxon:9606", "organism").ok
    assert index.check_branch("UO:0000017", "unit").ok
    assert not index.check_branch("UO:0000017", "organism").ok
    chk = index.check_branch("CL:0000084", "imaging_method")
    assert not chk.ok and chk.expected == ("FBbi:00000222",) and chk.expected_labels == ("imaging method",)


def test_cache_is_used_and_invalidated(loaded: tuple[EmbeddedStore, Path], tmp_path: Path) -> None:
    store, cache = loaded
    a = TermIndex.open(store, cache)
    assert a.report is not None and a.report.from_cache and a.report.read_from_store == []
    # a store loaded without extracts still indexes, reading the store
    other = EmbeddedStore(tmp_path / "s")
    assert fetch_ontologies(other, source=str(MIRROR), only=["uo"]).ok
    c = tmp_path / "s.terms.pickle"
    built = TermIndex.open(other, c)
    assert built.report is not None and not built.report.from_cache and built.report.read_from_store == ["uo"]
    assert built.search("micrometer").hits[0].term.curie == "UO:0000017"
    assert TermIndex.open(other, c).report.from_cache  # type: ignore[union-attr]
    assert fetch_ontologies(other, source=str(MIRROR), only=["fbbi"]).ok  # the loaded set changed
    rebuilt = TermIndex.open(other, c)
    assert not rebuilt.report.from_cache and "fbbi" in rebuilt.ontologies  # type: ignore[union-attr]
    c.write_bytes(b"not a pickle")
    assert TermIndex.load(c) is None
    other.close()
