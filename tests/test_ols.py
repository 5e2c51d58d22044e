"""The OLS4 client against a local OLS4-compatible server (tests/ols4_server.py): real HTTP on
loopback, answers in the real API's shapes built from the OLS4 test cases' recorded outputs and
from the mirror's FBbi, UO and PATO. Faults (404, 429 + Retry-After, 5xx, slow answers, refused
connections, malformed bodies) are injected in the server; nothing here touches the internet."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from kg.errors import ConfigError
from kg.ontology.cache import ResponseCache, default_cache_dir
from kg.ontology.model import Hit, SearchResult, Term
from kg.ontology.ols import (
    OLSClient,
    OLSNotFoundError,
    OLSResponseError,
    OLSSettings,
    OLSUnavailableError,
    double_encode,
)
from kg.store import free_port

from .ols4_server import CORPUS, MIRROR, OLS4Server

OBO = "http://purl.obolibrary.org/obo/"
SPINNING_DISK = OBO + "FBbi_00000253"
CONFOCAL = OBO + "FBbi_00000251"
EOSINOPHILIC = OBO + "PATO_0002419"  # obsolete in PATO, replaced by PATO_0002418 "acidophilic"
HASH_IRI = "http://www.ebi.ac.uk/testcases/defined-fields/isObsolete.rdf#DeprecatedClassWithValue1"
NOTICE_END = "; answered from the local ontology store"


# ---------------------------------------------------------------- fixtures




def settings(base_url: str, cache_dir: Path, **kw: object) -> OLSSettings:
    fast = {
        "connect_timeout_s": 0.5,
        "read_timeout_s": 0.5,
        "retries": 2,
        "backoff_s": 0.01,
        "max_backoff_s": 0.05,
        "max_retry_after_s": 2.0,
    }
    return OLSSettings(base_url=base_url, cache_dir=cache_dir, **{**fast, **kw})  # type: ignore[arg-type]


class TinyLocal:
    """A minimal local store (the LocalSearcher protocol) over a few real FBbi terms."""

    def __init__(self, terms: list[Term]) -> None:
        self.terms = terms

    def search(self, text: str, *, ontologies: list[str] | None = None, limit: int = 10) -> SearchResult:
        q = text.casefold()
        hits = []
        for t in self.terms:
            if ontologies and t.ontology not in ontologies:
                continue
            if t.label.casefold() == q:
                hits.append(Hit(t, 1.0, "exact label", t.label, "label equals the text"))
            elif q in t.label.casefold():
                hits.append(Hit(t, 0.5, "fuzzy", t.label, "text inside the label"))
        hits.sort(key=lambda h: -h.score)
        return SearchResult(hits=hits[:limit], source="local")

    def get(self, ref: str, /) -> Term | None:
        return next((t for t in self.terms if ref in (t.iri, t.curie)), None)


@pytest.fixture(scope="module")
def local() -> TinyLocal:
    if not (MIRROR / "fbbi.ttl").is_file():
        pytest.skip(f"the ontology mirror is absent ({MIRROR})")
    store = ox.Store()
    store.bulk_load(path=str(MIRROR / "fbbi.ttl"), format=ox.RdfFormat.TURTLE)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    terms = []
    for n in ("00000253", "00000251", "00000246", "00000222"):
        iri = f"{OBO}FBbi_{n}"
        (quad,) = store.quads_for_pattern(ox.NamedNode(iri), label, None)
        terms.append(Term(iri=iri, curie=f"FBbi:{n}", label=quad.object.value, ontology="fbbi"))
    return TinyLocal(terms)


def client(server: OLS4Server, tmp_path: Path, local: TinyLocal | None = None, **kw: object) -> OLSClient:
    return OLSClient(settings(server.base_url, tmp_path / "cache", **kw), local=local)


# ---------------------------------------------------------------- search and select


def test_search_finds_the_term_by_its_label(ols4: OLS4Server, tmp_path: Path) -> None:
    with client(ols4, tmp_path) as c:
        res = c.search("spinning disk confocal microscopy", ["fbbi"])
    assert res.source == "ols4" and res.notice is None
    top = res.hits[0]
    assert top.term.iri == SPINNING_DISK
    assert top.term.curie == "FBbi:00000253" and top.term.ontology == "fbbi" and top.term.source == "ols4"
    assert top.match == "exact label" and top.score == 1.0
    assert "rank 1 of" in top.reason
    assert all(0 <= h.score <= 1 for h in res.hits)
    assert [h.score for h in res.hits] == sorted((h.score for h in res.hits), reverse=True)


def test_search_ontology_filter_and_rows(ols4: OLS4Server, tmp_path: Path) -> None:
    with client(ols4, tmp_path) as c:
        res = c.search("second", ["UO"], rows=3)
    assert 0 < len(res.hits) <= 3
    assert {h.term.ontology for h in res.hits} == {"uo"}
    assert res.hits[0].term.label == "second" and res.hits[0].term.curie == "UO:0000010"
    (req,) = ols4.requests
    assert "ontology=uo" in req.query and "rows=3" in req.query


def test_exact_search_matches_whole_words_only(ols4: OLS4Server, tmp_path: Path) -> None:
    with client(ols4, tmp_path) as c:
        exact = c.search("confocal", ["fbbi"], exact=True, rows=50)
        partial_word = c.search("confoc", ["fbbi"], exact=True)
    assert exact.hits
    for h in exact.hits:
        words = {w for text in (h.term.label, *h.term.synonyms) for w in text.casefold().replace("-", " ").split()}
        assert "confocal" in words, h.term.label
    assert partial_word.hits == []


def test_select_autocompletes_word_prefixes(ols4: OLS4Server, tmp_path: Path) -> None:
    with client(ols4, tmp_path) as c:
        res = c.select("spinning di", ["fbbi"])
    iris = [h.term.iri for h in res.hits]
    assert SPINNING_DISK in iris
    for h in res.hits:
        assert h.match in ("label prefix", "synonym prefix", "ols4")
        assert any(w.startswith("di") for w in h.term.label.split()), h.term.label
    assert "/api/select" in ols4.requests[0].path


def test_search_results_lack_obsolete_flags_until_the_term_is_fetched(ols4: OLS4Server, tmp_path: Path) -> None:
    with client(ols4, tmp_path) as c:
        hidden = c.search("eosinophilic", ["pato"])
        plain = c.search("eosinophilic", ["pato"], include_obsolete=True)
        checked = c.search("eosinophilic", ["pato"], include_obsolete=True, check_obsolete=True)
    assert EOSINOPHILIC not in [h.term.iri for h in hidden.hits]  # OLS4 leaves obsolete terms out
    (p,) = [h for h in plain.hits if h.term.iri == EOSINOPHILIC]
    assert p.term.obsolete is False and p.term.replaced_by is None  # search docs do not say
    (k,) = [h for h in checked.hits if h.term.iri == EOSINOPHILIC]
    assert k.term.obsolete is True and k.term.replaced_by == OBO + "PATO_0002418"
    assert ols4.count(double_encode(EOSINOPHILIC)) == 1  # the term was fetched


# ---------------------------------------------------------------- terms and ancestors


def test_term_by_iri_double_encoded_in_the_path(ols4: OLS4Server, tmp_path: Path, shared: Path) -> None:
    recorded = json.loads((CORPUS / "isobsolete" / "terms" / f"{double_encode(HASH_IRI)}.json").read_text())
    with client(ols4, tmp_path) as c:
        term = c.term(HASH_IRI, "isobsolete")
    assert term is not None
    assert term.iri == HASH_IRI and term.label == recorded["label"] and term.obsolete is True
    (req,) = ols4.requests
    assert req.path.endswith("/api/ontologies/isobsolete/terms/" + double_encode(HASH_IRI))
    assert "%253A%252F%252F" in req.path and "%2523" in req.path  # ':' '/' '#' encoded twice


def test_single_encoded_iri_is_refused_like_the_real_server(ols4: OLS4Server) -> None:
    from urllib.parse import quote

    r = requests.get(ols4.base_url + "ontologies/fbbi/terms/" + quote(SPINNING_DISK, safe=""), timeout=5)
    assert r.status_code == 400


def test_term_across_ontologies_by_iri_and_by_curie(ols4: OLS4Server, tmp_path: Path, shared: Path) -> None:
    duo = OBO + "DUO_0000017"
    recorded = json.loads((CORPUS / "duo" / "terms" / f"{double_encode(duo)}.json").read_text())
    with client(ols4, tmp_path) as c:
        by_iri = c.term(duo)
        by_curie = c.term("FBbi:00000253")
        obsolete = c.term(EOSINOPHILIC)
    assert by_iri is not None and by_iri.label == recorded["label"]
    assert by_iri.definition == recorded["description"][0] and by_iri.curie == "DUO:0000017"
    assert by_curie is not None and by_curie.iri == SPINNING_DISK
    assert obsolete is not None and obsolete.obsolete and obsolete.replaced_by == OBO + "PATO_0002418"
    assert ols4.count("/api/terms") == 3
    assert any("iri=http" in r.query for r in ols4.requests)  # ?iri= carries the IRI once-encoded


def test_ancestors_of_an_imaging_method(ols4: OLS4Server, tmp_path: Path) -> None:
    with client(ols4, tmp_path) as c:
        up = c.ancestors(SPINNING_DISK, "fbbi")
        hier = c.ancestors("FBbi:00000253", hierarchical=True)  # CURIE: the ontology is looked up
    iris = [t.iri for t in up]
    # FACTS.md: spinning disk < confocal < fluorescence < light microscopy < microscopy < imaging method
    for n in ("00000251", "00000246", "00000345", "00000241", "00000222"):
        assert f"{OBO}FBbi_{n}" in iris
    assert SPINNING_DISK not in iris
    assert set(iris) <= {t.iri for t in hier}
    assert ols4.count("/ancestors") == 1 and ols4.count("/hierarchicalAncestors") == 1


def test_ancestors_match_the_recorded_ols4_output(ols4: OLS4Server, tmp_path: Path, shared: Path) -> None:
    duo = OBO + "DUO_0000017"
    recorded = json.loads((CORPUS / "duo" / "terms" / double_encode(duo) / "ancestors.json").read_text())
    with client(ols4, tmp_path) as c:
        up = c.ancestors(duo, "duo")
    assert sorted(t.iri for t in up) == sorted(r["iri"] for r in recorded)
    assert {t.label for t in up} == {r["label"] for r in recorded}


def test_unknown_term_is_none_and_its_ancestors_an_error(ols4: OLS4Server, tmp_path: Path) -> None:
    missing = OBO + "FBbi_99999999"
    with client(ols4, tmp_path) as c:
        assert c.term(missing, "fbbi") is None  # 404
        assert c.term(missing) is None  # empty page, no _embedded
        with pytest.raises(OLSNotFoundError, match="FBbi_99999999"):
            c.ancestors(missing, "fbbi")
        with pytest.raises(OLSNotFoundError, match="FBbi_99999999"):
            c.ancestors(missing)
    assert ols4.count("/ontologies/fbbi/terms/") == 2


# ---------------------------------------------------------------- faults: retries, waits, fallback


def test_429_retry_after_is_honoured(ols4: OLS4Server, tmp_path: Path) -> None:
    ols4.inject(429, retry_after=1, path="/api/search")
    with client(ols4, tmp_path) as c:
        t0 = time.monotonic()
        res = c.search("confocal microscopy", ["fbbi"])
        elapsed = time.monotonic() - t0
    assert res.source == "ols4" and res.hits[0].term.iri == CONFOCAL
    assert ols4.count("/api/search") == 2
    first, second = ols4.requests
    assert second.at - first.at >= 1.0  # the server saw the retry no earlier than it asked
    assert 1.0 <= elapsed < 2.0 and c.stats.waited_s == 1.0


def test_429_asking_longer_than_the_cap_falls_back_at_once(
    ols4: OLS4Server, tmp_path: Path, local: TinyLocal
) -> None:
    ols4.inject(429, retry_after=120, path="/api/search")
    with client(ols4, tmp_path, local) as c:
        t0 = time.monotonic()
        res = c.search("confocal microscopy")
        elapsed = time.monotonic() - t0
    assert elapsed < 1.0 and ols4.count("/api/search") == 1
    assert res.source == "local" and res.hits[0].term.iri == CONFOCAL
    assert res.notice is not None and res.notice.startswith("OLS4 unreachable (HTTP 429, Retry-After 120 s")
    assert res.notice.endswith(NOTICE_END)


def test_5xx_is_retried_then_succeeds(ols4: OLS4Server, tmp_path: Path) -> None:
    ols4.inject(502, path="/api/search")
    with client(ols4, tmp_path) as c:
        res = c.search("spinning disk confocal microscopy")
    assert res.source == "ols4" and res.hits[0].term.iri == SPINNING_DISK
    assert ols4.count("/api/search") == 2 and c.stats.waited_s > 0


def test_5xx_retried_then_fallback_with_notice(ols4: OLS4Server, tmp_path: Path, local: TinyLocal) -> None:
    ols4.inject(503, times=None)
    with client(ols4, tmp_path, local, retries=2) as c:
        res = c.search("spinning disk confocal microscopy", ["fbbi"])
        term = c.term(CONFOCAL)
    assert ols4.count("/api/search") == 3  # 1 + 2 retries, then no more
    assert res.source == "local" and res.hits[0].term.iri == SPINNING_DISK
    assert res.notice == f"OLS4 unreachable (HTTP 503, 3 attempts){NOTICE_END}"
    assert term is not None and term.source == "local" and term.label == "confocal microscopy"
    assert c.stats.fallbacks == 2


def test_timeout_then_fallback_with_notice(ols4: OLS4Server, tmp_path: Path, local: TinyLocal) -> None:
    ols4.inject(delay=3.0, times=None, path="/api/select")
    with client(ols4, tmp_path, local, read_timeout_s=0.3, retries=1) as c:
        t0 = time.monotonic()
        res = c.select("confocal")
        elapsed = time.monotonic() - t0
    assert elapsed < 1.5  # two attempts of 0.3 s and a short backoff, not the 3 s the server takes
    assert ols4.count("/api/select") == 2
    assert res.source == "local" and {h.term.iri for h in res.hits} >= {CONFOCAL, SPINNING_DISK}
    assert res.notice == f"OLS4 unreachable (read timed out after 0.3 s, 2 attempts){NOTICE_END}"


def test_dropped_connection_is_retried(ols4: OLS4Server, tmp_path: Path) -> None:
    ols4.inject(drop=True, path="/api/search")
    with client(ols4, tmp_path) as c:
        res = c.search("confocal microscopy", ["fbbi"])
    assert res.source == "ols4" and ols4.count("/api/search") == 2


def test_connection_refused(tmp_path: Path, local: TinyLocal) -> None:
    base = f"http://127.0.0.1:{free_port()}/ols4/api/"  # nobody listens there
    with OLSClient(settings(base, tmp_path), local=local) as c:
        res = c.search("confocal microscopy")
    assert res.source == "local" and res.hits[0].term.iri == CONFOCAL
    assert res.notice == f"OLS4 unreachable (connection failed: connection refused, 3 attempts){NOTICE_END}"
    with OLSClient(settings(base, tmp_path)) as c, pytest.raises(OLSUnavailableError) as err:
        c.search("confocal microscopy")
    assert base + "search?" in str(err.value) and "connection refused" in str(err.value)


def test_malformed_answers_name_the_url_and_what_was_expected(ols4: OLS4Server, tmp_path: Path) -> None:
    ols4.inject(body='{"response": {"numFound": 1, "docs": {"iri": "x"}}}', path="/api/search")
    ols4.inject(body="<html>maintenance</html>", path="/api/ontologies/")
    ols4.inject(body='{"_embedded": {"terms": []}}', path="/api/terms")
    with client(ols4, tmp_path) as c:
        with pytest.raises(OLSResponseError) as e1:
            c.search("confocal")
        with pytest.raises(OLSResponseError) as e2:
            c.term(SPINNING_DISK, "fbbi")
        with pytest.raises(OLSResponseError) as e3:
            c.term(SPINNING_DISK)
        assert c.search("confocal").source == "ols4"  # the bad answer was not cached
    assert ols4.base_url + "search?" in str(e1.value) and "expected a list of documents" in str(e1.value)
    assert double_encode(SPINNING_DISK) in str(e2.value) and "not JSON" in str(e2.value)
    assert "no 'page' object" in str(e3.value) and "HAL page" in str(e3.value)
    assert ols4.count("/api/search") == 2


def test_client_errors_are_reported_not_retried(ols4: OLS4Server, tmp_path: Path) -> None:
    ols4.inject(400, body='{"status": 400, "message": "Invalid ontology id"}', path="/api/search")
    with client(ols4, tmp_path) as c, pytest.raises(OLSResponseError, match="HTTP 400: Invalid ontology id"):
        c.search("x")
    assert ols4.count("/api/search") == 1


# ---------------------------------------------------------------- the cache


def test_cache_hit_avoids_a_second_request(ols4: OLS4Server, tmp_path: Path) -> None:
    with client(ols4, tmp_path) as c:
        a = c.search("confocal microscopy", ["fbbi"])
        b = c.search("confocal microscopy", ["fbbi"])
        c.term(SPINNING_DISK, "fbbi")
        c.term(SPINNING_DISK, "fbbi")
    assert a == b
    assert ols4.count("/api/search") == 1 and ols4.count("/terms/") == 1
    assert c.stats.requests == 2 and c.stats.cache_hits == 2


def test_cache_persists_across_client_instances(ols4: OLS4Server, tmp_path: Path) -> None:
    with client(ols4, tmp_path) as first:
        a = first.ancestors(SPINNING_DISK, "fbbi")
    with client(ols4, tmp_path) as second:
        b = second.ancestors(SPINNING_DISK, "fbbi")
    assert a == b and ols4.count("/ancestors") == 1 and second.stats.cache_hits == 1
    assert (tmp_path / "cache" / "ols4.sqlite").is_file()


def test_cache_entries_expire_after_the_ttl(ols4: OLS4Server, tmp_path: Path) -> None:
    now = [1_000_000.0]
    cache = ResponseCache(tmp_path / "c.sqlite", ttl_s=60, clock=lambda: now[0])
    with OLSClient(settings(ols4.base_url, tmp_path), cache=cache) as c:
        c.select("confocal")
        now[0] += 59
        c.select("confocal")
        assert ols4.count("/api/select") == 1
        now[0] += 2
        c.select("confocal")
    assert ols4.count("/api/select") == 2 and len(cache) == 1
    cache.close()


def test_failures_are_not_cached(ols4: OLS4Server, tmp_path: Path, local: TinyLocal) -> None:
    ols4.inject(503, times=3)
    with client(ols4, tmp_path, local) as c:
        assert c.search("confocal microscopy").source == "local"
        assert c.search("confocal microscopy").source == "ols4"
    assert ols4.count("/api/search") == 4


def test_cache_is_bounded(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "c.sqlite", ttl_s=60, max_entries=3)
    for i in range(5):
        cache.put(f"k{i}", "x")
    cache._writes = 0  # prune on the next write, as every 200th write does
    cache.put("k5", "x")
    assert len(cache) == 3 and cache.get("k5") == "x" and cache.get("k0") is None
    cache.close()


def test_a_broken_cache_never_breaks_a_lookup(
    ols4: OLS4Server, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    with client(ols4, tmp_path) as c:
        assert c.search("confocal microscopy").hits
        assert c.search("confocal microscopy").hits
    assert ols4.count("/api/search") == 2
    (warning,) = [r for r in caplog.records if r.levelname == "WARNING"]
    assert str(blocker / "ols4.sqlite") in warning.getMessage()


# ---------------------------------------------------------------- settings


def test_settings_from_the_environment(tmp_path: Path) -> None:
    s = OLSSettings.from_env(
        {"KG_OLS_URL": "http://ols.example.org/ols4/api", "KG_CACHE_DIR": str(tmp_path), "KG_OLS_TIMEOUT": "1,3"}
    )
    assert s.base_url == "http://ols.example.org/ols4/api/"
    assert (s.connect_timeout_s, s.read_timeout_s) == (1.0, 3.0) and s.cache_dir == tmp_path
    d = OLSSettings.from_env({})
    assert d.base_url == "https://www.ebi.ac.uk/ols4/api/" and (d.connect_timeout_s, d.read_timeout_s) == (2.0, 5.0)
    assert default_cache_dir({}).name == "bioimage-kg"
    with pytest.raises(ConfigError, match="KG_OLS_URL"):
        OLSSettings.from_env({"KG_OLS_URL": "ftp://nowhere"})
    with pytest.raises(ConfigError, match="KG_OLS_TIMEOUT"):
        OLSSettings.from_env({"KG_OLS_TIMEOUT": "soon"})
