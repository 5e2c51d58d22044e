# %% [markdown]
# # bioimage-kg: an analyst's tour
#
# A notebook in the "percent" format (open it in Jupyter with jupytext, or run it as a script):
# ingest OME metadata into an embedded store, ask questions across files in SPARQL, compare
# values given in different units, and check the metadata against the shapes.
# The test suite runs it (tests/test_notebooks.py), so every cell here works.

# %%
import os
import tempfile
from pathlib import Path

from kg.config import Settings
from kg.demo import demo_files
from kg.ingest import ingest_paths
from kg.namespaces import sparql_prologue
from kg.store import EmbeddedStore
from kg.validate import validate_store

workdir = Path(os.environ.get("KG_TOUR_DIR") or tempfile.mkdtemp())
settings = Settings(store_path=workdir / "store")
store = EmbeddedStore(settings.store_path)

# %% [markdown]
# ## 1. Ingest
# Each file becomes one named graph; the report says what was mapped and what was not.

# %%
report = ingest_paths(store, settings, demo_files())
for outcome in report.outcomes:
    print(
        f"{Path(outcome.path).name}: {outcome.status}, {outcome.triples} triples, {len(outcome.unmapped)} unmapped"
    )
assert report.ok


# %% [markdown]
# ## 2. Ask across files
# Pixel sizes come in nm in one file and µm in another; `bkg:siValue` puts them in metres.


# %%
def select(query: str) -> list[dict[str, str]]:
    result = store.query(sparql_prologue() + query)
    return [
        {v: (t.value if t is not None else "") for v, t in zip(result.variables, row, strict=True)}
        for row in result.rows
    ]


sizes = select("""
SELECT ?name ?value ?unit ?metres WHERE {
  ?image a ome:Image ; ome:name ?name ; ome:pixels/ome:physical_size_x ?q .
  ?q qudt:numericValue ?value ; qudt:unit ?unit ; bkg:siValue ?metres .
} ORDER BY ?name
""")
for row in sizes:
    print(
        f"{row['name']:40} {row['value']:>8} {row['unit'].rsplit('/', 1)[-1]:7} = {float(row['metres']) * 1e9:.1f} nm"
    )
assert len({round(float(r["metres"]), 12) for r in sizes if r["name"].startswith("embryo")}) == 1

# %% [markdown]
# ## 3. Imaging methods as ontology terms
# OME's acquisition modes are linked to FBbi terms, so a query can use the ontology's IRIs.

# %%
methods = select("""
SELECT ?name ?mode ?term WHERE {
  ?image a ome:Image ; ome:name ?name ; ome:pixels/ome:channel ?c .
  ?c ome:acquisition_mode ?mode ; bkg:acquisitionModeTerm ?term .
} ORDER BY ?name
""")
for row in methods:
    print(f"{row['name']:40} {row['mode']:32} {row['term']}")
assert any(r["term"].endswith("FBbi_00000252") for r in methods)

# %% [markdown]
# ## 4. What is missing?
# The SHACL shapes say what a reuser will miss, in words.

# %%
validation = validate_store(store)
for finding in validation.findings:
    if finding.severity != "info":
        print(finding.sentence())
print(dict(validation.counts))
assert validation.conforms
