"""Readers: detection by content, safe XML, errors that name file, line and element."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, Quad

from kg.errors import SourceError, UnsupportedSourceError
from kg.mapping import MapResult, ModelMapping
from kg.mapping.xml_mapper import XmlStreamMapper
from kg.readers import detect
from kg.readers.ome_xml import OmeXmlReader
from kg.resources import data_dir

from .conftest import FIXTURES


def read_and_map(path: Path) -> list[Quad]:
    """Read as `kg ingest` does: OME-XML 2016-06 is checked while it streams through the mapping."""
    source = OmeXmlReader().read(path)
    assert source.stream is not None, "a 2016-06 document streams"
    mapper = XmlStreamMapper(ModelMapping.load(data_dir("mappings") / "ome.yaml"))
    g = NamedNode("http://example.org/g")
    return list(mapper.map_stream(source.stream, name=str(path), source_iri=g.value, graph=g, out=MapResult()))


def test_detects_ome_xml_by_content_not_extension() -> None:
    reader = detect(FIXTURES / "ome-with-txt-extension.txt")
    assert isinstance(reader, OmeXmlReader)
    source = reader.read(FIXTURES / "ome-with-txt-extension.txt")
    assert source.facts["schema"] == "2016-06"
    labels = {q.object.value for q in read_and_map(FIXTURES / "ome-with-txt-extension.txt")}
    assert "misnamed" in labels


def test_other_xml_is_not_taken_for_ome() -> None:
    with pytest.raises(UnsupportedSourceError) as e:
        detect(FIXTURES / "not-ome.xml")
    assert "not-ome.xml" in str(e.value)
    assert "OME-XML" in str(e.value)


def test_malformed_xml_names_file_and_line() -> None:
    with pytest.raises(SourceError) as e:
        read_and_map(FIXTURES / "bad-not-wellformed.ome.xml")
    err = e.value
    assert err.path.endswith("bad-not-wellformed.ome.xml")
    assert err.line == 5
    assert "not well-formed" in str(err)


def test_invalid_enum_value_names_element_and_value() -> None:
    with pytest.raises(SourceError) as e:
        read_and_map(FIXTURES / "bad-pixel-type.ome.xml")
    msg = str(e.value)
    assert "bad-pixel-type.ome.xml" in msg
    assert "uint17" in msg
    assert e.value.element == "Type"


def test_doctype_and_entities_are_refused(tmp_path: Path) -> None:
    with pytest.raises(SourceError) as e:
        read_and_map(FIXTURES / "xxe.ome.xml")
    assert "DOCTYPE" in str(e.value)
    assert "root:" not in str(e.value)  # nothing of /etc/passwd leaked into the message


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    lol = "\n".join(f'<!ENTITY l{i} "' + f"&l{i - 1};" * 10 + '">' for i in range(1, 10))
    doc = (
        '<?xml version="1.0"?>\n<!DOCTYPE OME [ <!ENTITY l0 "lol">\n' + lol + " ]>\n"
        '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0" Name="&l9;"/></OME>'
    )
    p = tmp_path / "lol.ome.xml"
    p.write_text(doc)
    assert isinstance(detect(p), OmeXmlReader)
    with pytest.raises(SourceError, match="DOCTYPE"):
        read_and_map(p)


def test_unknown_namespace_is_refused_with_what_was_found(tmp_path: Path) -> None:
    p = tmp_path / "fc.ome"
    p.write_text(
        '<?xml version="1.0"?><OME xmlns="http://www.openmicroscopy.org/XMLschemas/OME/FC/ome.xsd"/>'
    )
    with pytest.raises(SourceError) as e:
        OmeXmlReader().read(p)
    assert "XMLschemas/OME/FC" in str(e.value)
    assert "expected" in str(e.value)
