"""Definition validation: every problem of a state machine definition at once, with AWS's codes, wording
and JSON locations (see ``machine.py`` for the entry points)."""

from orchestrator.asl.validation.machine import (
    check_definition,
    validate_definition,
    validate_state_definition,
)

__all__ = ["check_definition", "validate_definition", "validate_state_definition"]
