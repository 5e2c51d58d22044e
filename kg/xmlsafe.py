"""XML parsing with entities, DTD loading and the network switched off (FACTS.md: XML safety)."""

from __future__ import annotations

import re

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


_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY")


def parse_xml(data: bytes, path: str) -> etree._Element:
    """Parse ``data`` safely; refuse documents that declare a DTD or entities."""
    m = _DTD.search(data, 0, 1 << 16)
    if m is not None:
        raise SourceError(
            path,
            "the document declares a DOCTYPE or entities; they are refused for safety "
            "(they can read local files or expand without bound)",
            line=data.count(b"\n", 0, m.start()) + 1,
            expected="OME-XML without a DOCTYPE",
        )
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
