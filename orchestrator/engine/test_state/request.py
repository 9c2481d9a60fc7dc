"""A TestState request read and checked: the tested state, its mock, context and configuration.

``definition`` is one state (named ``StateName``, as AWS names it in ``$$.State.Name``) or, when
``stateName`` is given, a whole state machine holding the state (at any depth). A single state is run
inside a small machine whose other states stand in for its transition targets, so that the interpreter
can run it unchanged. Rejections are AWS's: ``InvalidDefinition`` for definitions, ``ValidationException``
for the other members, with AWS's messages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from orchestrator.asl.diagnostics import format_diagnostics
from orchestrator.asl.models import AnyState, StateMachineDefinition
from orchestrator.asl.parse import parse_definition
from orchestrator.asl.validate import check_definition
from orchestrator.asl.validation import validate_state_definition
from orchestrator.engine.interpreter import Interpreter
from orchestrator.errors import ApiError, DefinitionError

SINGLE_STATE_NAME = "StateName"
"""The name AWS gives a state tested on its own (observed as ``$$.State.Name``)."""

INSPECTION_LEVELS = ("INFO", "DEBUG", "TRACE")
FIELD_VALIDATION_MODES = ("STRICT", "PRESENT", "NONE")
_TARGET_STUB = {"Type": "Succeed"}


def validation_error(message: str) -> ApiError:
    return ApiError("ValidationException", message)


@dataclass(frozen=True)
class Mock:
    """``mock``: a result (parsed JSON) or an error output, and how strictly the result is checked."""

    result: Any = None
    has_result: bool = False
    error: str | None = None
    cause: str | None = None
    field_validation_mode: str = "STRICT"

    @property
    def is_error(self) -> bool:
        return not self.has_result


@dataclass(frozen=True)
class StateConfiguration:
    """``stateConfiguration``: what the tested state is to assume about earlier attempts and its iterations."""

    retrier_retry_count: int = 0
    error_caused_by_state: str | None = None
    map_iteration_failure_count: int | None = None
    map_item_reader_data: str | None = None


@dataclass
class TestStateRequest:
    """Everything a TestState run needs, read from the request members."""

    machine: StateMachineDefinition
    state: AnyState
    state_name: str
    program: tuple[Any, ...]
    input: Any
    inspection_level: str = "INFO"
    role_arn: str | None = None
    mock: Mock | None = None
    context_text: str | None = None
    configuration: StateConfiguration = field(default_factory=StateConfiguration)
    variables: Any = None
    has_variables: bool = False


def read_request(request: dict[str, Any]) -> TestStateRequest:
    """The request's members, parsed; raises ``ApiError`` for definitions or members AWS rejects."""
    text = request.get("definition")
    if not isinstance(text, str):
        raise validation_error("Definition must be a string")
    state_name = request.get("stateName")
    if state_name is not None and (not isinstance(state_name, str) or not state_name):
        raise validation_error("State not found in definition")
    machine, name, program = _load(text, state_name)
    state: AnyState = Interpreter(machine).program(program).states[name]
    level = request.get("inspectionLevel") or "INFO"
    if level not in INSPECTION_LEVELS:
        raise validation_error(f"Invalid inspectionLevel: {level}")
    variables_text = request.get("variables")
    return TestStateRequest(
        machine=machine,
        state=state,
        state_name=name,
        program=program,
        input=_json_member(request.get("input"), "input", default={}),
        inspection_level=level,
        role_arn=request.get("roleArn"),
        mock=_read_mock(request.get("mock")),
        context_text=request.get("context"),
        configuration=_read_configuration(request.get("stateConfiguration")),
        variables=_json_member(variables_text, "variables", default=None),
        has_variables=variables_text is not None,
    )


# ---- the definition ---------------------------------------------------------------------------------


def _load(text: str, state_name: str | None) -> tuple[StateMachineDefinition, str, tuple[Any, ...]]:
    if state_name is None:
        document = _parse(text)
        problems = [d for d in validate_state_definition(document) if d.severity == "ERROR"]
        if problems:
            raise ApiError("InvalidDefinition", format_diagnostics(problems))
        machine = {
            "StartAt": SINGLE_STATE_NAME,
            "States": {**_target_stubs(document), SINGLE_STATE_NAME: document},
        }
        return StateMachineDefinition.from_dict(machine), SINGLE_STATE_NAME, ()
    try:
        document = check_definition(text)
    except DefinitionError as error:
        raise ApiError("InvalidDefinition", error.message) from None
    program = find_state(document, state_name)
    if program is None:
        raise validation_error("State not found in definition")
    return StateMachineDefinition.from_dict(document), state_name, program


def _parse(text: str) -> dict[str, Any]:
    try:
        document, _ = parse_definition(text)
    except DefinitionError as error:
        raise ApiError("InvalidDefinition", error.message) from None
    return document


def _target_stubs(state: dict[str, Any]) -> dict[str, Any]:
    """A stand-in state for every state the tested one may go to (``Next``, ``Default``, Choice and Catch)."""
    targets = [state.get("Next"), state.get("Default")]
    for member in ("Choices", "Catch"):
        rules = state.get(member)
        if isinstance(rules, list):
            targets += [rule.get("Next") for rule in rules if isinstance(rule, dict)]
    return {t: _TARGET_STUB for t in targets if isinstance(t, str) and t != SINGLE_STATE_NAME}


def find_state(program: Any, name: str, path: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
    """The interpreter's program path of the state called ``name``: its own program first, then nested ones."""
    states = program.get("States") if isinstance(program, dict) else None
    if not isinstance(states, dict):
        return None
    if name in states:
        return path
    for parent, state in states.items():
        if not isinstance(state, dict):
            continue
        for index, branch in enumerate(_children(state)):
            found = find_state(branch, name, (*path, parent, index))
            if found is not None:
                return found
    return None


def _children(state: dict[str, Any]) -> list[Any]:
    if state.get("Type") == "Parallel" and isinstance(state.get("Branches"), list):
        return list(state["Branches"])
    processor = state.get("ItemProcessor", state.get("Iterator"))
    return [processor] if state.get("Type") == "Map" and processor is not None else []


# ---- the other members ------------------------------------------------------------------------------


def _json_member(text: Any, member: str, *, default: Any) -> Any:
    if text is None:
        return default
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        if member == "input":
            raise ApiError("InvalidExecutionInput", "Invalid execution input.") from None
        raise validation_error(f"'{member}' must be valid JSON") from None


def _read_mock(mock: Any) -> Mock | None:
    if mock is None:
        return None
    if not isinstance(mock, dict):
        raise validation_error("Mock must be an object")
    mode = mock.get("fieldValidationMode") or "STRICT"
    if mode not in FIELD_VALIDATION_MODES:
        raise validation_error(f"Invalid fieldValidationMode: {mode}")
    result, error_output = mock.get("result"), mock.get("errorOutput")
    if result is not None and error_output is not None:
        raise validation_error(
            "A test mock should have only one of the following fields: [result, errorOutput]."
        )
    if result is not None:
        try:
            parsed = json.loads(result)
        except (TypeError, ValueError):
            raise validation_error("Mocked result must be valid JSON") from None
        return Mock(result=parsed, has_result=True, field_validation_mode=mode)
    if not isinstance(error_output, dict):
        raise validation_error("A test mock should have one of the following fields: [result, errorOutput].")
    return Mock(error=error_output.get("error"), cause=error_output.get("cause"), field_validation_mode=mode)


def _read_configuration(configuration: Any) -> StateConfiguration:
    if not isinstance(configuration, dict):
        return StateConfiguration()
    return StateConfiguration(
        retrier_retry_count=_count(configuration, "retrierRetryCount") or 0,
        error_caused_by_state=configuration.get("errorCausedByState"),
        map_iteration_failure_count=_count(configuration, "mapIterationFailureCount"),
        map_item_reader_data=configuration.get("mapItemReaderData"),
    )


def _count(configuration: dict[str, Any], member: str) -> int | None:
    value = configuration.get(member)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise validation_error(f"{member} must be a non-negative integer")
    return value
