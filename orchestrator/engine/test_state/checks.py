"""What AWS refuses in a TestState request once the tested state is known, in the order it checks.

Map and Parallel states, activities and task-token integrations only run with a mock; Pass, Succeed and
Fail states never take one. A mocked result must fit the state: an array (one item per branch for a
Parallel), an object for a Map with a ``ResultWriter``, the API's output for a service integration.
"""

from __future__ import annotations

from typing import Any

from orchestrator.asl.resources import parse_resource
from orchestrator.engine.test_state.context import read_context
from orchestrator.engine.test_state.mock_shapes import check_mock_result
from orchestrator.engine.test_state.request import TestStateRequest, validation_error
from orchestrator.errors import ApiError

MAP_OR_PARALLEL_NEEDS_MOCK = (
    "TestState API does not support Map or Parallel states. Supported state types include: "
    "[Task, Wait, Pass, Succeed, Fail, Choice]"
)
TASK_NEEDS_MOCK = (
    "TestState API does not support Activity tasks, '.sync' or '.waitForTaskToken' service integration "
    "patterns unless a mock is specified."
)
_UNMOCKABLE = ("Pass", "Succeed", "Fail")


def check_request(request: TestStateRequest, *, reveal_secrets: bool) -> dict[str, Any] | None:
    """Raise AWS's error for a request it refuses; return the given context object (None if not given)."""
    state, mock, configuration = request.state, request.mock, request.configuration
    if mock is None and configuration.map_iteration_failure_count is not None:
        raise validation_error(
            "TestState does not support MapIterationFailureCount when a mock is not specified."
        )
    if mock is None and state.type in ("Map", "Parallel"):
        raise ApiError("InvalidDefinition", MAP_OR_PARALLEL_NEEDS_MOCK)
    if mock is None and state.type == "Task" and _needs_mock(state.resource):
        raise ApiError("InvalidDefinition", TASK_NEEDS_MOCK)
    if mock is not None:
        if state.type in _UNMOCKABLE:
            raise validation_error(f"State type '{state.type}' is not supported when a mock is specified")
        if reveal_secrets:
            raise validation_error("TestState does not support RevealSecrets when a mock is specified.")
        if mock.has_result:
            _check_result(request, mock.result, mock.field_validation_mode)
    caused_by = configuration.error_caused_by_state
    if caused_by is not None and state.type in ("Map", "Parallel") and not holds_state(state, caused_by):
        raise validation_error(
            f"State '{caused_by}' specified in errorCausedByState was not found in the state"
        )
    context = None if request.context_text is None else read_context(request.context_text, state)
    if mock is None and state.type == "Task" and request.role_arn is None:
        raise validation_error("RoleArn must be specified when testing a Task state")
    return context


def _needs_mock(resource: str) -> bool:
    parsed = parse_resource(resource)
    return parsed.kind == "activity" or parsed.pattern in ("sync", "sync:2", "waitForTaskToken")


def _check_result(request: TestStateRequest, result: Any, mode: str) -> None:
    state: Any = request.state
    if state.type == "Map":
        if state.result_writer is not None:
            if not isinstance(result, dict):
                raise validation_error("Mocked result must be a JSON object.")
        elif not isinstance(result, list):
            raise validation_error("Mocked result must be an array.")
    elif state.type == "Parallel":
        if not isinstance(result, list):
            raise validation_error("Mocked result must be an array.")
        if len(result) != len(state.branches):
            raise validation_error(
                "Mocked result must contain the same number of items as number of Parallel branches."
            )
    elif state.type == "Task":
        check_mock_result(state.resource, result, mode)


def holds_state(state: Any, name: str) -> bool:
    """Whether a Parallel's branches or a Map's item processor hold a state called ``name``, at any depth."""
    if state.type == "Parallel":
        programs = list(state.branches)
    elif state.type == "Map":
        programs = [state.processor]
    else:
        return False
    return any(
        name in program.states or any(holds_state(s, name) for s in program.states.values())
        for program in programs
    )
