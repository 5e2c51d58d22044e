"""One exception tree for bioimage-kg, rooted in builtins.

Messages say where (file, element, line), what was found and what was expected. They are turned
into exit codes in the CLI and into HTTP statuses in api/, nowhere else.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error bioimage-kg raises on purpose."""


class ConfigError(KGError, ValueError):
    """A setting has a value that cannot work (bad base IRI, bad timeout...)."""


class SourceError(KGError, ValueError):
    """A source file could not be read or mapped.

    ``path`` names the file, ``element`` the place inside it (an XML element path or an OME
    object such as ``Image[Image:0]/Pixels``), ``line`` the line when the parser knows it.
    """

    def __init__(
        self,
        path: str,
        problem: str,
        *,
        element: str | None = None,
        line: int | None = None,
        expected: str | None = None,
    ) -> None:
        self.path = path
        self.problem = problem
        self.element = element
        self.line = line
        self.expected = expected
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}"
        if self.element:
            where += f", element {self.element}"
        msg = f"{where}: {self.problem}"
        if self.expected:
            msg += f" (expected {self.expected})"
        return msg


class UnsupportedSourceError(SourceError):
    """No reader recognises the file."""


class StoreError(KGError, RuntimeError):
    """The store could not be opened, read or written."""


class StoreLockedError(StoreError):
    """Another process holds the embedded store open for writing."""


class QueryError(KGError, ValueError):
    """A SPARQL query is malformed or failed in the engine."""


class QueryRefusedError(QueryError):
    """A query asks for something this endpoint never does (SERVICE, updates when read-only)."""


class QueryTimeoutError(QueryError):
    """A query ran longer than the configured timeout and was stopped."""


class ValidationSetupError(KGError, ValueError):
    """The SHACL shapes themselves could not be loaded."""
