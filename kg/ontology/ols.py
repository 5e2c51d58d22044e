"""A client for the EBI Ontology Lookup Service (OLS4), with an offline fallback.

It covers what the annotation engine needs: full-text search (``/api/search``), autocomplete
(``/api/select``), one term by IRI (``/api/ontologies/{id}/terms/{IRI}`` with the IRI double
URL-encoded in the path, or ``/api/terms?iri=`` across ontologies) and a term's ancestors
(``…/ancestors`` or ``…/hierarchicalAncestors``, HAL pages followed to the end). Answers are
parsed into :class:`~kg.ontology.model.Term`, :class:`~kg.ontology.model.Hit` and
:class:`~kg.ontology.model.SearchResult`.

OLS4 has real outages (ols4 issues 647, 874, 924), so every request is bounded:

* timeouts: connect 2 s, read 5 s by default;
* retries: a timeout, a refused or reset connection, or an HTTP 5xx is tried again, at most
  ``retries`` more times, after an exponential backoff (``backoff_s``, doubled each time, at most
  ``max_backoff_s``);
* HTTP 429 (and 503) with ``Retry-After``: the client waits exactly what the server asks when that
  is at most ``max_retry_after_s`` (10 s); when the server asks for longer, the client gives up at
  once rather than come back early or hang;
* a persistent cache (:mod:`kg.ontology.cache`) of answers that parsed, for ``cache_ttl_s``.

When OLS4 cannot answer (timeouts, connection errors, 5xx or 429 after the retries), a client
given a local searcher (any object with the :class:`LocalSearcher` methods, such as the local term
index) answers from it and says so in :attr:`SearchResult.notice`: ``"OLS4 unreachable (…);
answered from the local ontology store"``. Without one it raises :class:`OLSUnavailableError`.
An answer that is not what the OLS4 API returns raises :class:`OLSResponseError`, naming the URL
and what was expected; it is never cached and never silently replaced by the local store.

Settings come from the environment only when asked for (:meth:`OLSSettings.from_env`):

| variable            | meaning                                      | default                          |
|---------------------|----------------------------------------------|----------------------------------|
| KG_OLS_URL          | base URL of the OLS4 API                      | https://www.ebi.ac.uk/ols4/api/  |
| KG_OLS_TIMEOUT      | connect and read timeouts, ``2,5`` or ``5``   | 2,5                              |
| KG_OLS_RETRIES      | retries after the first attempt               | 2                                |
| KG_OLS_CACHE_TTL    | seconds an answer is reused (0: no cache)     | 604800 (7 days)                  |
| KG_CACHE_DIR        | folder of the cache file ``ols4.sqlite``      | the user's cache folder          |
"""

from __future__ import annotations

import email.utils
import json
import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlencode, urlsplit

import requests

from kg.errors import ConfigError, KGError
from kg.ontology.cache import ResponseCache, default_cache_dir
from kg.ontology.model import Hit, SearchResult, Term

__all__ = [
    "DEFAULT_OLS_URL",
    "ClientStats",
    "LocalSearcher",
    "OLSClient",
    "OLSError",
    "OLSNotFoundError",
    "OLSResponseError",
    "OLSSettings",
    "OLSUnavailableError",
    "double_encode",
]

DEFAULT_OLS_URL = "https://www.ebi.ac.uk/ols4/api/"
_RETRY_STATUSES = frozenset({500, 502, 503, 504})
_PAGE_SIZE = 500  # OLS3 documents 500 as the largest page
_MAX_PAGES = 40  # ancestors never come close; a bound against a server that pages forever
_SEARCH_FIELDS = "iri,label,short_form,obo_id,ontology_name,ontology_prefix,description,type,synonym,score"
_NOTICE = "OLS4 unreachable ({reason}); answered from the local ontology store"


# ---------------------------------------------------------------- errors


class OLSError(KGError):
    """Base class of the OLS4 client's errors."""


class OLSUnavailableError(OLSError, ConnectionError):
    """OLS4 did not answer: timeouts, connection errors, 5xx or 429 beyond the retry budget."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"OLS4 unreachable at {url}: {reason}")


class OLSResponseError(OLSError, ValueError):
    """OLS4 answered something that is not the OLS4 API's answer (or refused the request)."""

    def __init__(self, url: str, problem: str, *, expected: str | None = None) -> None:
        self.url = url
        self.problem = problem
        self.expected = expected
        msg = f"unexpected OLS4 answer from {url}: {problem}"
        if expected:
            msg += f" (expected {expected})"
        super().__init__(msg)


class OLSNotFoundError(OLSError, LookupError):
    """OLS4 answered 404: it has no such term (in that ontology)."""

    def __init__(self, url: str, what: str) -> None:
        self.url = url
        self.what = what
        super().__init__(f"OLS4 has no {what} (HTTP 404 from {url})")


# ---------------------------------------------------------------- local fallback


class LocalSearcher(Protocol):
    """What the client needs from the local ontology store to answer when OLS4 is down."""

    def search(self, text: str, *, ontologies: list[str] | None = None, limit: int = 10) -> SearchResult:
        """Terms for ``text``, best first."""
        ...

    def get(self, ref: str, /) -> Term | None:
        """The term an IRI or CURIE names, or None."""
        ...


# ---------------------------------------------------------------- settings


def _positive(name: str, value: float) -> float:
    if not (value > 0 and math.isfinite(value)):
        raise ConfigError(f"{name} must be a positive number of seconds, got {value}")
    return value


@dataclass(frozen=True)
class OLSSettings:
    """How to reach OLS4 and how long to wait for it (see the module docstring)."""

    base_url: str = DEFAULT_OLS_URL
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 5.0
    retries: int = 2
    backoff_s: float = 0.5
    max_backoff_s: float = 8.0
    max_retry_after_s: float = 10.0
    cache_ttl_s: float = 7 * 24 * 3600.0
    cache_dir: Path | None = None  # None: default_cache_dir()
    user_agent: str = "bioimage-kg OLS4 client (python-requests)"

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(
                f"KG_OLS_URL {self.base_url!r} is not an http(s) URL "
                f"(expected something like {DEFAULT_OLS_URL})"
            )
        if not self.base_url.endswith("/"):
            object.__setattr__(self, "base_url", self.base_url + "/")
        _positive("the OLS4 connect timeout", self.connect_timeout_s)
        _positive("the OLS4 read timeout", self.read_timeout_s)
        if self.retries < 0:
            raise ConfigError(f"KG_OLS_RETRIES must be 0 or more, got {self.retries}")
        if self.backoff_s < 0 or self.max_backoff_s < 0 or self.max_retry_after_s < 0:
            raise ConfigError("OLS4 backoff and Retry-After caps must be 0 or more seconds")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> OLSSettings:
        """Settings from ``env`` (default ``os.environ``); keyword overrides win."""
        e = os.environ if env is None else env
        kw: dict[str, Any] = {}
        if e.get("KG_OLS_URL"):
            kw["base_url"] = e["KG_OLS_URL"]
        try:
            if e.get("KG_OLS_TIMEOUT"):
                parts = [float(p) for p in e["KG_OLS_TIMEOUT"].split(",")]
                if len(parts) not in (1, 2):
                    raise ValueError(e["KG_OLS_TIMEOUT"])
                kw["connect_timeout_s"], kw["read_timeout_s"] = parts[0], parts[-1]
            if e.get("KG_OLS_RETRIES"):
                kw["retries"] = int(e["KG_OLS_RETRIES"])
            if e.get("KG_OLS_CACHE_TTL"):
                kw["cache_ttl_s"] = float(e["KG_OLS_CACHE_TTL"])
        except ValueError as exc:
            raise ConfigError(
                f"bad number in KG_OLS_TIMEOUT ('2,5' or '5'), KG_OLS_RETRIES or KG_OLS_CACHE_TTL: {exc}"
            ) from exc
        kw["cache_dir"] = default_cache_dir(e)
        kw.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**kw)


# ---------------------------------------------------------------- helpers


def double_encode(iri: str) -> str:
    """An IRI as OLS4 wants it in a path segment: URL-encoded twice (``:`` -> ``%253A``)."""
    return quote(quote(iri, safe=""), safe="")


def _looks_like_iri(ref: str) -> bool:
    return "://" in ref or ref.startswith("urn:")


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), None when absent/bad."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _short(exc: BaseException) -> str:
    text = str(exc)
    # urllib3 wraps the useful part deep inside; keep the last, most specific clause
    for marker in ("Connection refused", "Name or service not known", "Connection reset", "timed out"):
        if marker in text:
            return marker.lower()
    return type(exc).__name__


def _str_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def _classify(text: str, term: Term) -> tuple[str, str]:
    """How ``text`` relates to ``term``, in the local index's words: (match, matched text)."""
    q = " ".join(text.casefold().split())
    if term.label.casefold() == q:
        return "exact label", term.label
    for s in term.synonyms:
        if s.casefold() == q:
            return "exact synonym", s
    if term.curie.casefold() == q:
        return "curie", term.curie
    if term.iri == text.strip():
        return "iri", term.iri
    if term.label.casefold().startswith(q):
        return "label prefix", term.label
    for s in term.synonyms:
        if s.casefold().startswith(q):
            return "synonym prefix", s
    return "ols4", term.label


# ---------------------------------------------------------------- the client


@dataclass
class ClientStats:
    """What a client did: HTTP requests sent, answers taken from the cache, seconds spent waiting
    between retries, and answers the local store gave instead of OLS4."""

    requests: int = 0
    cache_hits: int = 0
    waited_s: float = 0.0
    fallbacks: int = 0


class OLSClient:
    """Search, select, term lookup and ancestors over OLS4 (see the module docstring).

    ``local`` answers when OLS4 cannot. ``sleep`` is the function used to wait between retries
    (``time.sleep``). The client holds a ``requests.Session``; close it (or use ``with``).
    """

    def __init__(
        self,
        settings: OLSSettings | None = None,
        *,
        local: LocalSearcher | None = None,
        cache: ResponseCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or OLSSettings()
        self.local = local
        if cache is None:
            folder = self.settings.cache_dir or default_cache_dir()
            cache = ResponseCache(folder / "ols4.sqlite", self.settings.cache_ttl_s)
        self.cache = cache
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers.update({"Accept": "application/json", "User-Agent": self.settings.user_agent})
        self.stats = ClientStats()

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, local: LocalSearcher | None = None
    ) -> OLSClient:
        return cls(OLSSettings.from_env(env), local=local)

    def close(self) -> None:
        self._session.close()
        self.cache.close()

    def __enter__(self) -> OLSClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ HTTP

    def _url(self, path: str, params: Mapping[str, str] | None = None) -> str:
        url = self.settings.base_url + path.lstrip("/")
        if params:
            url += "?" + urlencode(sorted(params.items()))
        return url

    def _get(self, path: str, params: Mapping[str, str] | None, check: Callable[[str, Any], None]) -> Any:
        """The parsed JSON answer to GET ``path``, or None on 404.

        ``check(url, data)`` raises :class:`OLSResponseError` when the answer is not in the expected
        shape; only answers that pass are cached.
        """
        url = self._url(path, params)
        cached = self.cache.get(url)
        if cached is not None:
            try:
                data = json.loads(cached)
                check(url, data)
            except (ValueError, OLSResponseError):
                pass  # a cache written by another version: ask again
            else:
                self.stats.cache_hits += 1
                return data
        s = self.settings
        attempts = s.retries + 1
        reason = ""
        for attempt in range(1, attempts + 1):
            wait: float | None = None
            try:
                self.stats.requests += 1
                resp = self._session.get(url, timeout=(s.connect_timeout_s, s.read_timeout_s))
            except requests.Timeout as exc:
                kind = "connect" if isinstance(exc, requests.ConnectTimeout) else "read"
                limit = s.connect_timeout_s if kind == "connect" else s.read_timeout_s
                reason = f"{kind} timed out after {limit:g} s"
            except requests.ConnectionError as exc:
                reason = f"connection failed: {_short(exc)}"
            except requests.RequestException as exc:  # redirect loops, bad URLs: retrying cannot help
                raise OLSUnavailableError(url, f"request failed: {type(exc).__name__}: {exc}") from exc
            else:
                status = resp.status_code
                if status == 200:
                    try:
                        data = resp.json()
                    except ValueError as exc:
                        raise OLSResponseError(
                            url,
                            f"the body is not JSON ({exc}); it starts {resp.text[:80]!r}",
                            expected="a JSON document",
                        ) from exc
                    check(url, data)
                    self.cache.put(url, resp.text)
                    return data
                if status == 404:
                    return None
                if status == 429 or status in _RETRY_STATUSES:
                    reason = f"HTTP {status}"
                    wait = _retry_after(resp.headers.get("Retry-After"))
                    if wait is not None:
                        reason += f", Retry-After {wait:g} s"
                        if wait > s.max_retry_after_s:
                            raise OLSUnavailableError(
                                url, f"{reason} is longer than the {s.max_retry_after_s:g} s the client waits"
                            )
                else:
                    raise OLSResponseError(url, f"HTTP {status}: {_error_message(resp)}", expected="HTTP 200")
            if attempt == attempts:
                break
            if wait is None:
                wait = min(s.max_backoff_s, s.backoff_s * 2 ** (attempt - 1))
            self.stats.waited_s += wait
            self._sleep(wait)
        raise OLSUnavailableError(url, f"{reason}, {attempts} attempt{'s' if attempts > 1 else ''}")

    def _fallback_notice(self, exc: OLSUnavailableError) -> str:
        self.stats.fallbacks += 1
        return _NOTICE.format(reason=exc.reason)

    # ------------------------------------------------------------ search and select

    def search(
        self,
        text: str,
        ontologies: Sequence[str] | None = None,
        *,
        exact: bool = False,
        rows: int = 10,
        include_obsolete: bool = False,
        check_obsolete: bool = False,
    ) -> SearchResult:
        """Full-text search (``/api/search``).

        ``exact`` asks OLS4 for whole-token matches (not whole labels). Search results carry no
        obsolete flag or replacement: ``check_obsolete`` fetches each hit's term to fill them
        (one more request per hit, cached). ``include_obsolete`` lets obsolete terms be found.
        """
        if not text.strip():
            return SearchResult(source="ols4")
        params = {"q": text, "rows": str(rows), "fieldList": _SEARCH_FIELDS}
        if ontologies:
            params["ontology"] = ",".join(o.lower() for o in ontologies)
        if exact:
            params["exact"] = "true"
        if include_obsolete:
            params["obsoletes"] = "true"
        try:
            data = self._get("search", params, _check_solr)
        except OLSUnavailableError as exc:
            return self._local_search(text, ontologies, rows, exc)
        hits = self._hits(text, data["response"]["docs"], "search")
        if check_obsolete:
            hits = [self._with_status(h) for h in hits]
        return SearchResult(hits=hits, source="ols4")

    def select(self, text: str, ontologies: Sequence[str] | None = None, *, rows: int = 10) -> SearchResult:
        """Autocomplete (``/api/select``): terms whose label or synonym words start with ``text``."""
        if not text.strip():
            return SearchResult(source="ols4")
        params = {"q": text, "rows": str(rows), "fieldList": _SEARCH_FIELDS}
        if ontologies:
            params["ontology"] = ",".join(o.lower() for o in ontologies)
        try:
            data = self._get("select", params, _check_solr)
        except OLSUnavailableError as exc:
            return self._local_search(text, ontologies, rows, exc)
        return SearchResult(hits=self._hits(text, data["response"]["docs"], "select"), source="ols4")

    def _local_search(
        self, text: str, ontologies: Sequence[str] | None, rows: int, exc: OLSUnavailableError
    ) -> SearchResult:
        if self.local is None:
            raise exc
        notice = self._fallback_notice(exc)
        result = self.local.search(text, ontologies=list(ontologies) if ontologies else None, limit=rows)
        result.source = "local"
        result.notice = notice if not result.notice else f"{notice}; {result.notice}"
        return result

    def _hits(self, text: str, docs: list[dict[str, Any]], endpoint: str) -> list[Hit]:
        terms = [_doc_term(d) for d in docs]
        scores = [d.get("score") for d in docs]
        top = max((float(x) for x in scores if isinstance(x, int | float)), default=0.0)
        hits = []
        n = len(terms)
        for i, (term, raw) in enumerate(zip(terms, scores, strict=True)):
            # OLS4's relevance relative to the best hit; by rank when OLS4 gave no score
            score = float(raw) / top if isinstance(raw, int | float) and top > 0 else 1.0 - i / max(n, 1)
            match, matched = _classify(text, term)
            how = f"{match} match" if match != "ols4" else "matched by OLS4"
            reason = f"{how}; OLS4 {endpoint} rank {i + 1} of {n}"
            hits.append(
                Hit(term=term, score=round(score, 4), match=match, matched_text=matched, reason=reason)
            )
        return hits

    def _with_status(self, hit: Hit) -> Hit:
        full = self.term(hit.term.iri, hit.term.ontology)
        if full is None or full.source != "ols4":
            return hit
        return replace(hit, term=full)

    # ------------------------------------------------------------ terms

    def term(self, ref: str, ontology: str | None = None) -> Term | None:
        """The term an IRI (or an OBO CURIE such as ``FBbi:00000253``) names, or None.

        With ``ontology`` it is the term as that ontology has it (``/api/ontologies/{id}/terms/…``,
        the IRI double-encoded); without, ``/api/terms`` is asked and the defining ontology's
        record is preferred. When OLS4 is down the local store answers (``Term.source ==
        "local"``), or None when there is no local store.
        """
        try:
            return self._term(ref, ontology)
        except OLSUnavailableError as exc:
            if self.local is None:
                raise
            self._fallback_notice(exc)
            return self.local.get(ref)

    def _term(self, ref: str, ontology: str | None) -> Term | None:
        key = "iri" if _looks_like_iri(ref) else "obo_id"
        if ontology is not None:
            onto = quote(ontology.lower(), safe="")
            if key == "iri":
                data = self._get(f"ontologies/{onto}/terms/{double_encode(ref)}", None, _check_term)
                return _v1_term(data) if data is not None else None
            page = self._get(f"ontologies/{onto}/terms", {key: ref}, _check_page)
        else:
            page = self._get("terms", {key: ref}, _check_page)
        if page is None:
            return None
        terms = _page_items(page)
        if not terms:
            return None
        defining = [t for t in terms if t.get("is_defining_ontology") is True]
        return _v1_term((defining or terms)[0])

    def ancestors(self, ref: str, ontology: str | None = None, *, hierarchical: bool = False) -> list[Term]:
        """The ancestors of a term, all pages (``…/ancestors``; ``hierarchicalAncestors`` adds
        part-of and the other hierarchical properties).

        Raises :class:`OLSNotFoundError` when OLS4 has no such term, and
        :class:`OLSUnavailableError` when OLS4 is down (the local store protocol has no
        ancestors; the local index answers them itself).
        """
        iri = ref
        if ontology is None or not _looks_like_iri(ref):
            term = self._term(ref, ontology)
            if term is None:
                where = f" in ontology {ontology!r}" if ontology else ""
                raise OLSNotFoundError(self._url("terms", {"iri": ref}), f"term {ref}{where}")
            iri, ontology = term.iri, ontology or term.ontology
        rel = "hierarchicalAncestors" if hierarchical else "ancestors"
        path = f"ontologies/{quote(ontology.lower(), safe='')}/terms/{double_encode(iri)}/{rel}"
        out: list[Term] = []
        for page_no in range(_MAX_PAGES):
            params = {"page": str(page_no), "size": str(_PAGE_SIZE)}
            page = self._get(path, params, _check_page)
            if page is None:
                raise OLSNotFoundError(self._url(path, params), f"term {iri} in ontology {ontology!r}")
            out.extend(_v1_term(t) for t in _page_items(page))
            if page_no + 1 >= int(page["page"]["totalPages"]):
                return out
        raise OLSResponseError(
            self._url(path), f"more than {_MAX_PAGES} pages of {_PAGE_SIZE}", expected="a bounded list"
        )


# ---------------------------------------------------------------- parsing and shape checks


def _error_message(resp: requests.Response) -> str:
    try:
        body = resp.json()
    except ValueError:
        return resp.text[:200] or resp.reason
    if isinstance(body, dict):
        return str(body.get("message") or body.get("error") or body)[:200]
    return str(body)[:200]


def _check_solr(url: str, data: Any) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("response"), dict):
        raise OLSResponseError(
            url, "no 'response' object", expected="a Solr answer {response: {docs: [...]}}"
        )
    docs = data["response"].get("docs")
    if not isinstance(docs, list):
        raise OLSResponseError(
            url, f"'response.docs' is {type(docs).__name__}", expected="a list of documents"
        )
    for i, d in enumerate(docs):
        if not isinstance(d, dict) or not isinstance(d.get("iri"), str):
            raise OLSResponseError(
                url, f"response.docs[{i}] has no 'iri' string", expected="documents with an iri"
            )


def _check_term(url: str, data: Any) -> None:
    if not isinstance(data, dict):
        raise OLSResponseError(url, f"the answer is a {type(data).__name__}", expected="a term object")
    for key in ("iri", "ontology_name"):
        if not isinstance(data.get(key), str):
            raise OLSResponseError(url, f"the term has no {key!r} string", expected="a v1 term object")


def _check_page(url: str, data: Any) -> None:
    expected = "a HAL page {_embedded: {terms: [...]}, page: {totalElements, totalPages, number}}"
    if not isinstance(data, dict) or not isinstance(data.get("page"), dict):
        raise OLSResponseError(url, "no 'page' object", expected=expected)
    page = data["page"]
    for key in ("totalElements", "totalPages", "number"):
        if not isinstance(page.get(key), int):
            raise OLSResponseError(url, f"'page.{key}' is not an integer", expected=expected)
    embedded = data.get("_embedded")
    if embedded is None:
        if page["totalElements"] > 0 and page["number"] < page["totalPages"]:
            total = page["totalElements"]
            problem = f"no '_embedded' although page.totalElements is {total}"
            raise OLSResponseError(url, problem, expected=expected)
        return
    if not isinstance(embedded, dict) or not isinstance(embedded.get("terms"), list):
        raise OLSResponseError(url, "'_embedded' has no 'terms' list", expected=expected)
    for i, t in enumerate(embedded["terms"]):
        try:
            _check_term(url, t)
        except OLSResponseError as exc:
            raise OLSResponseError(url, f"_embedded.terms[{i}]: {exc.problem}", expected=expected) from None


def _page_items(page: dict[str, Any]) -> list[dict[str, Any]]:
    embedded = page.get("_embedded")
    return list(embedded["terms"]) if isinstance(embedded, dict) else []


def _curie(obo_id: Any, short_form: Any, iri: str) -> str:
    if isinstance(obo_id, str) and ":" in obo_id:
        return obo_id
    if isinstance(short_form, str) and short_form:
        return short_form
    return iri


def _doc_term(doc: dict[str, Any]) -> Term:
    iri = doc["iri"]
    label = doc.get("label") if isinstance(doc.get("label"), str) else None
    desc = _str_list(doc.get("description"))
    return Term(
        iri=iri,
        curie=_curie(doc.get("obo_id"), doc.get("short_form"), iri),
        label=label or str(doc.get("short_form") or iri),
        ontology=str(doc.get("ontology_name") or "").lower(),
        synonyms=_str_list(doc.get("synonym")),
        definition=desc[0] if desc else None,
        source="ols4",
    )


def _v1_term(data: dict[str, Any]) -> Term:
    iri = data["iri"]
    label = data.get("label") if isinstance(data.get("label"), str) else None
    desc = _str_list(data.get("description"))
    replaced = data.get("term_replaced_by")
    return Term(
        iri=iri,
        curie=_curie(data.get("obo_id"), data.get("short_form"), iri),
        label=label or str(data.get("short_form") or iri),
        ontology=str(data["ontology_name"]).lower(),
        synonyms=_str_list(data.get("synonyms")),
        definition=desc[0] if desc else None,
        obsolete=data.get("is_obsolete") is True,
        replaced_by=replaced if isinstance(replaced, str) and replaced else None,
        source="ols4",
    )
