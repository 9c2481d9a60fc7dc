"""The one error tree of sfn-orchestrator.

Workflow failures (a state's ``Error``/``Cause``) are *data* in the engine; the exceptions here are
raised by the data-flow evaluators (and caught by the engine at the state boundary), by the definition
parser and validator, and by the service layer (turned into AWS JSON 1.0 error responses).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from orchestrator.asl.diagnostics import Diagnostic


class SfnError(Exception):
    """Base class of every error this package raises on purpose."""


class StatesError(SfnError):
    """A workflow-level failure found while evaluating a state (``States.Runtime``, ``States.IntrinsicFailure``...).

    The engine catches it at the state boundary and turns it into the state's failure. When ``prefixed`` is
    true the engine writes the cause as AWS does: ``An error occurred while executing the state 'S'
    (entered at the event id #N). <cause>``.
    """

    def __init__(self, error: str, cause: str, *, prefixed: bool = True) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause
        self.prefixed = prefixed


class QueryEvaluationError(StatesError):
    """A JSONata state could not evaluate a field: ``States.QueryEvaluationError``.

    AWS records it as an ``EvaluationFailed`` event naming the state and, when there is one, the field
    (``location``, e.g. ``Output/a``). ``after_entered`` chains that event on the state's Entered event
    (observed for a Wait ``Timestamp`` that does not parse); otherwise it chains where the Entered one did.
    """

    def __init__(self, cause: str, location: str | None = None, *, after_entered: bool = False) -> None:
        super().__init__("States.QueryEvaluationError", cause)
        self.location = location
        self.after_entered = after_entered


class DefinitionError(SfnError):
    """A state machine definition was rejected; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        super().__init__(self.message)

    @property
    def code(self) -> str:
        return self.diagnostics[0].code if self.diagnostics else "SCHEMA_VALIDATION_FAILED"

    @property
    def message(self) -> str:
        """AWS's ``InvalidDefinition`` message: ``Invalid State Machine Definition: '<diag>, <diag>'``."""
        from orchestrator.asl.diagnostics import format_diagnostics

        return format_diagnostics(self.diagnostics)


class ApiError(SfnError):
    """An AWS API error: ``code`` is AWS's error name (``__type``), ``status`` the HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


class ResourceError(SfnError):
    """A Task ``Resource`` that cannot be resolved to anything that runs it."""
