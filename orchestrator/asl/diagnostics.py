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
    standalone: bool = False
    """The parser rejects a few values (a Map ``Label``) with a message of its own that replaces the whole
    ``Invalid State Machine Definition: '...'`` text; ``message`` is then that complete text."""

    def render(self) -> str:
        """AWS's one-line form: ``SCHEMA_VALIDATION_FAILED: <message> at /States/A/Next``."""
        if self.standalone:
            return self.message
        where = f" at {self.path}" if self.path and not self.message.endswith(self.path) else ""
        return f"{self.code}: {self.message}{where}"


def format_diagnostics(diagnostics: list[Diagnostic]) -> str:
    """The message of AWS's ``InvalidDefinition`` error for these diagnostics.

    AWS joins several problems with ``", "`` inside one pair of quotes, e.g. ``Invalid State Machine
    Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next,
    MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2'``.
    """
    errors = [d for d in diagnostics if d.severity == "ERROR"] or diagnostics
    standalone = next((d for d in errors if d.standalone), None)
    if standalone is not None:
        return standalone.message
    return "Invalid State Machine Definition: '" + ", ".join(d.render() for d in errors) + "'"
