"""Entry points: a whole definition (dict or text) → every problem, in the order AWS reports them as far
as recordings show: each object's schema problems as the walk meets them (required fields, unsupported
fields, values), then each program's transition problems once its states are done."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from orchestrator.asl.diagnostics import Diagnostic
from orchestrator.asl.parse import NOT_AN_OBJECT, parse_definition
from orchestrator.asl.validation import graph, states
from orchestrator.asl.validation.fields import BRANCH_FIELDS, PROCESSOR_FIELDS, ROOT_FIELDS
from orchestrator.asl.validation.report import JSONATA, JSONPATH, STANDARD, Report, at
from orchestrator.asl.validation.values import MAX_SECONDS, check_number
from orchestrator.errors import DefinitionError

_PROGRAM_FIELDS = {"root": ROOT_FIELDS, "branch": BRANCH_FIELDS, "processor": PROCESSOR_FIELDS}


def validate_definition(definition: Any, *, state_machine_type: str = STANDARD) -> list[Diagnostic]:
    """Every problem of a parsed definition; an empty list means AWS would accept it."""
    if not isinstance(definition, dict):
        return [NOT_AN_OBJECT]
    report = Report(state_machine_type=state_machine_type)
    declared = definition.get("QueryLanguage", JSONPATH)
    if declared in (JSONPATH, JSONATA):
        report.query_language = declared
    else:
        report.error("/QueryLanguage", "Value should be one of the following: [JSONPath, JSONata]")
    check_program(report, definition, "/", "root")
    return report.diagnostics


def validate_state_definition(state: Any, *, state_machine_type: str = STANDARD) -> list[Diagnostic]:
    """Every problem of one state on its own (the TestState API's ``definition``); its ``Next`` and ``Catch``
    targets are not checked, since they name states outside it. Locations are relative to the state (``/``)."""
    report = Report(state_machine_type=state_machine_type)
    states.check_state(report, state, "/", check_program)
    return report.diagnostics


def check_definition(
    text: str, *, state_machine_type: str = STANDARD, allow_yaml: bool = False
) -> dict[str, Any]:
    """Parse and validate definition text; return the definition, or raise ``DefinitionError`` with every
    problem (the message is AWS's ``InvalidDefinition`` message for this text)."""
    definition, duplicates = parse_definition(text, allow_yaml=allow_yaml)
    diagnostics = validate_definition(definition, state_machine_type=state_machine_type) + duplicates
    errors = [
        _with_definition_text(diagnostic, text)
        for diagnostic in diagnostics
        if diagnostic.severity == "ERROR"
    ]
    if errors:
        raise DefinitionError(errors)
    return definition


def check_program(report: Report, program: Any, path: str, kind: str) -> None:
    """A ``StartAt`` + ``States`` object: the machine (``root``), a Parallel ``branch`` or a Map ``processor``."""
    if not report.expect(program, path, "OBJECT"):
        return
    report.required(program, path, ("States", "StartAt"))
    report.unsupported(program, path, _PROGRAM_FIELDS[kind])
    if "Comment" in program:
        report.expect(program["Comment"], at(path, "Comment"), "STRING")
    if kind == "root":
        check_number(report, program, path, "TimeoutSeconds", JSONPATH, low=1, high=MAX_SECONDS)
        if "Version" in program:
            report.expect(program["Version"], at(path, "Version"), "STRING")
    start_ok = "StartAt" in program and report.expect(program["StartAt"], at(path, "StartAt"), "STRING")
    states_ok = "States" in program and report.expect(program["States"], at(path, "States"), "OBJECT")
    if states_ok:
        for name, state in program["States"].items():
            states.check_state(report, state, at(at(path, "States"), name), check_program)
    if start_ok and states_ok:
        graph.check_graph(report, program, path, top_level=kind == "root")


def _with_definition_text(diagnostic: Diagnostic, text: str) -> Diagnostic:
    """AWS's parser-level form of a standalone problem: ``Error=ValueError Args=[...] in definition '...'.``"""
    if not diagnostic.standalone:
        return diagnostic
    return replace(
        diagnostic, message=f"Error=ValueError Args={[diagnostic.message]!r} in definition '{text}'."
    )
