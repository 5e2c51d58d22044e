"""XML parsing with entities, DTD loading and the network switched off (FACTS.md: XML safety)."""

from __future__ import annotations

from lxml import etree

from kg.errors import SourceError


def safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def parse_xml(data: bytes, path: str) -> etree._Element:
    """Parse ``data`` safely; refuse documents that declare a DTD or entities."""
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise SourceError(
            path, f"not well-formed XML: {exc.msg}", line=exc.lineno, expected="a well-formed XML document"
        ) from exc
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise SourceError(
            path,
            "the document declares a DOCTYPE; DTDs and entity declarations are refused for safety",
            element=docinfo.root_name,
            expected="OME-XML without a DOCTYPE",
        )
    return root
