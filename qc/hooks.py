"""Keep the QC state current when images arrive: the ``kg.after_ingest`` step of the QC module.

``kg ingest`` (and the API's ingest) call it with the graphs just ingested. When the store has
facility instruments, it relinks OME instruments to facility instruments and recomputes the QC
state of every facility instrument that acquired an image in those graphs (before or after the
ingest: a changed file may have moved its images to another microscope). A store without QC
data costs one small query.
"""

from __future__ import annotations

from kg.config import Settings
from kg.namespaces import BKG
from kg.store import SelectResult, Store
from qc.graph import N, QcIris, ensure_vocabulary, text
from qc.instruments import relink
from qc.state import known_instruments, recompute


def _linked(store: Store, iris: QcIris) -> dict[str, str]:
    """OME instrument IRI -> facility instrument ID, as the links graph has them now."""
    res = store.query(
        f"SELECT ?inst ?oi ?g WHERE {{ GRAPH ?g {{ ?inst <{BKG}matchesOmeInstrument> ?oi }} }}",
        substitutions={"g": N(iris.links_graph)},
    )
    found: dict[str, str] = {}
    for row in res.rows if isinstance(res, SelectResult) else []:
        iid = iris.instrument_id(text(row[0]) or "")
        oi = text(row[1])
        if iid and oi:
            found[oi] = iid
    return found


def after_ingest(store: Store, settings: Settings, graphs: list[str]) -> list[str]:
    """Recompute the QC state of the instruments behind the images in ``graphs``."""
    iris = QcIris(settings.base_iri)
    if not known_instruments(store, iris):
        return []  # no facility instruments, no QC: nothing to keep current
    prefixes = tuple(g.rstrip("/") + "/" for g in graphs)
    before = {iid for oi, iid in _linked(store, iris).items() if oi.startswith(prefixes)}
    ensure_vocabulary(store)
    links = relink(store, iris)
    after = {iid for iid, pairs in links.matched.items() for oi, _ in pairs if oi.startswith(prefixes)}
    lines = []
    for om in links.unmatched:
        if om.iri.startswith(prefixes):
            lines.append(
                f"no facility instrument matches {om.describe()}; register it with "
                "kg qc instrument add or load"
            )
    for om, ids in links.ambiguous:
        if om.iri.startswith(prefixes):
            lines.append(
                f"{om.describe()} fits {', '.join(ids)}; not linked: map it with "
                "`sources` in kg qc instrument load"
            )
    affected = sorted(before | after)
    if affected:
        state = recompute(store, iris, affected, relink=False)  # linked just above
        lines += [
            f"QC state of {st.instrument} recomputed: {st.images_summary()}" for st in state.instruments
        ]
    return lines
