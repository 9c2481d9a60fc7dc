"""Stable import path of the validator (the implementation is the ``orchestrator.asl.validation`` package)."""

from orchestrator.asl.validation import check_definition, validate_definition, validate_state_definition

__all__ = ["check_definition", "validate_definition", "validate_state_definition"]
