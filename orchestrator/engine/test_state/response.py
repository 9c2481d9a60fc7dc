"""TestState's response: status, output, next state, error, and (DEBUG and TRACE) the inspection data.

The interpreter records the data after each processing step it performs (``afterInputPath``,
``afterParameters``, ``result``, ``afterResultSelector``, ``afterResultPath``). AWS reports a step even
where the state has no such field, as the data passing through it (a Task without ``Parameters`` still
shows ``afterParameters``), and reports per state type: no ``result`` for Map and Parallel (the mock is
their result) and no ``afterInputPath`` for Parallel, for a Pass with ``Result`` only that result and
what follows it, and for Choice, Wait, Succeed and Fail the input after ``InputPath`` (as LocalStack's
AWS-validated implementation shows). Data members are JSON text; counts are numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.dataflow.json_text import dumps

if TYPE_CHECKING:
    from orchestrator.asl.models import AnyState
    from orchestrator.engine.test_state.run import Outcome

_NUMBERS = frozenset({"maxConcurrency", "toleratedFailureCount", "toleratedFailurePercentage"})
_OBJECTS = frozenset({"errorDetails", "request", "response"})


_JSONATA_STEPS = frozenset({"input", "afterArguments", "result", "variables"}) | _NUMBERS


def complete_inspection(
    state: AnyState, data: dict[str, Any], after_input_path: Any, query_language: str
) -> None:
    """Fill in the steps AWS reports for ``state`` that the interpreter had no field to perform."""
    kind = state.type
    if query_language == "JSONata":
        for key in [key for key in data if key not in _JSONATA_STEPS or (key == "result" and kind != "Task")]:
            del data[key]
        return
    if kind in ("Choice", "Wait", "Succeed", "Fail"):
        if after_input_path is not _UNSET:
            data.setdefault("afterInputPath", after_input_path)
        return
    with_result = kind == "Task" or (kind == "Pass" and state.has("result"))
    result = data.get("result", _UNSET) if with_result else data.pop("result", _UNSET)
    if kind == "Parallel" or (kind == "Pass" and state.has("result")):
        data.pop("afterInputPath", None)
    if kind == "Pass" and state.has("result"):
        data.pop("afterParameters", None)
    elif kind in ("Task", "Pass") and "afterInputPath" in data:
        data.setdefault("afterParameters", data["afterInputPath"])
    if result is not _UNSET:
        data.setdefault("afterResultSelector", result)


class _Unset:
    """Marks a step that did not happen (``None`` is a JSON value)."""


_UNSET: Any = _Unset()
UNSET = _UNSET


def build_response(
    outcome: Outcome, inspection: dict[str, Any] | None, error_details: dict[str, int]
) -> dict[str, Any]:
    """The response members; ``inspection`` is None at the INFO level."""
    response: dict[str, Any] = {"status": outcome.status}
    if outcome.status in ("SUCCEEDED", "CAUGHT_ERROR"):
        response["output"] = dumps(outcome.output)
    if outcome.next_state is not None:
        response["nextState"] = outcome.next_state
    if outcome.status != "SUCCEEDED":
        if outcome.error is not None:
            response["error"] = outcome.error
        if outcome.cause is not None:
            response["cause"] = outcome.cause
    if inspection is not None:
        data = dict(inspection)
        if error_details:
            data["errorDetails"] = dict(error_details)
        response["inspectionData"] = {
            key: value if key in _NUMBERS or key in _OBJECTS else dumps(value) for key, value in data.items()
        }
    return response
