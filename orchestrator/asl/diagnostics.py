"""Validation diagnostics: every problem of a definition, each with its JSON location."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a definition.

    ``code`` is AWS's (``SCHEMA_VALIDATION_FAILED``, ``INVALID_JSON_DESCRIPTION``, ...), ``path`` a JSON
    pointer-like location as AWS prints it (``/States/A/Next``), ``message`` AWS's wording.
    """

    code: str
    message: str
    path: str | None = None
    severity: Literal["ERROR", "WARNING"] = "ERROR"

    def render(self) -> str:
        """AWS's one-line form: ``SCHEMA_VALIDATION_FAILED: <message> at /States/A/Next``."""
        where = f" at {self.path}" if self.path else ""
        return f"{self.code}: {self.message}{where}"


def format_diagnostics(diagnostics: list[Diagnostic]) -> str:
    """The message of AWS's ``InvalidDefinition`` error for these diagnostics."""
    errors = [d for d in diagnostics if d.severity == "ERROR"] or diagnostics
    return "Invalid State Machine Definition: '" + ", ".join(d.render() for d in errors) + "'"
