"""One store with the small ontologies the annotation tests need, loaded once per test session
from ../shared/ontologies with the real `kg ontologies fetch` code, then copied for each test
module that writes (copying a directory is much faster than loading the ontologies again)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.ontology.fetch import fetch_ontologies
from kg.ontology.index import TermIndex, default_cache_path, extracts_dir
from kg.store import EmbeddedStore

from .conftest import SHARED

MIRROR = SHARED / "ontologies"
ONTOLOGIES = ["fbbi", "uo", "ncbitaxon", "cl", "pato", "chebi"]


def template_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The loaded store (built on first use in this session; later calls reuse it)."""
    if not (MIRROR / "manifest.json").is_file():
        pytest.skip(f"the ontology mirror is absent ({MIRROR}); set KG_SHARED to the shared folder")
    base = tmp_path_factory.getbasetemp() / "annotation-ontologies"
    path = base / "store"
    if (base / "ready").exists():
        return path
    base.mkdir(parents=True, exist_ok=True)
    store = EmbeddedStore(path)
    try:
        cache = default_cache_path(path)
        report = fetch_ontologies(store, source=str(MIRROR), only=ONTOLOGIES, extracts=extracts_dir(cache))
        assert report.ok, [o.error for o in report.outcomes if o.error]
        TermIndex.open(store, cache)  # writes the cache beside the store
    finally:
        store.close()
    (base / "ready").write_text("ok")
    return path


def copy_store(template: Path, dest_dir: Path) -> Path:
    """A copy of the store and of its term index cache, for a test that writes."""
    dest = dest_dir / "store"
    shutil.copytree(template, dest)
    shutil.copy(default_cache_path(template), default_cache_path(dest))
    return dest


def ome_with_pairs(pairs: list[tuple[str, str]], *, acquisition_mode: str = "SpinningDiskConfocal") -> str:
    """A small OME-XML document with one image, one channel and a MapAnnotation holding
    ``pairs`` (written for these tests)."""
    from xml.sax.saxutils import escape, quoteattr

    ms = "\n".join(f"        <M K={quoteattr(k)}>{escape(v)}</M>" for k, v in pairs)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06">
  <Image ID="Image:0" Name="annotated">
    <Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" SizeX="8" SizeY="8" SizeZ="1" SizeC="1" SizeT="1">
      <Channel ID="Channel:0:0" AcquisitionMode="{acquisition_mode}" SamplesPerPixel="1"/>
      <MetadataOnly/>
    </Pixels>
    <AnnotationRef ID="Annotation:0"/>
  </Image>
  <StructuredAnnotations>
    <MapAnnotation ID="Annotation:0">
      <Value>
{ms}
      </Value>
    </MapAnnotation>
  </StructuredAnnotations>
</OME>
"""
