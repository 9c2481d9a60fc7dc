"""The context object (``$$``) of a TestState run: the one the request gives, checked, or a default one.

A given ``context`` replaces the whole context object (``"{}"`` makes ``$$`` an empty object). AWS accepts
only the members a real context object has, with their types; ``Map`` is refused, and ``Task`` is only
accepted for a Task state that has a task token (``.sync``/``.waitForTaskToken``). Without one, the state
runs as the only state of an EXPRESS execution of a throw-away state machine, which the default reflects.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from orchestrator.asl.models import AnyState
from orchestrator.asl.resources import parse_resource
from orchestrator.engine.test_state.request import validation_error
from orchestrator.errors import ApiError

_STRING, _INTEGER, _ANY = "string", "integer", "any"

_MEMBERS: dict[str, dict[str, str]] = {
    "Execution": {
        "Id": _STRING,
        "Input": _ANY,
        "Name": _STRING,
        "RoleArn": _STRING,
        "StartTime": _STRING,
        "RedriveCount": _INTEGER,
        "RedriveTime": _STRING,
    },
    "State": {"EnteredTime": _STRING, "Name": _STRING, "RetryCount": _INTEGER},
    "StateMachine": {"Id": _STRING, "Name": _STRING},
    "Task": {"Token": _STRING},
}


def _invalid(detail: str) -> ApiError:
    return validation_error(f"Invalid Context object provided: {detail}")


def read_context(text: str, state: AnyState) -> dict[str, Any]:
    """The context object given as ``text``, checked against what AWS accepts for ``state``."""
    try:
        context = json.loads(text)
    except ValueError:
        raise _invalid("Context object must be valid JSON") from None
    if not isinstance(context, dict):
        raise _invalid("Context object must be an object")
    for member, value in context.items():
        if member == "Map":
            raise _invalid("'Map' field is not supported when mocking a Context object")
        fields = _MEMBERS.get(member)
        if fields is None:
            raise _invalid(f"Field '{member}' is not allowed")
        if not isinstance(value, dict):
            raise _invalid(f"{member} must be an object")
        for name, item in value.items():
            kind = fields.get(name)
            if kind is None:
                raise _invalid(f"Field '{name}' is not allowed")
            if kind == _STRING and not isinstance(item, str):
                raise _invalid(f"{member}.{name} must be a string")
            if kind == _INTEGER and (isinstance(item, bool) or not isinstance(item, int)):
                raise _invalid(f"{member}.{name} must be an integer")
    if "Task" in context and not _has_task_token(state):
        raise _invalid(
            "Context object contains 'Task' when state is not a Task state with a '.sync' or "
            "'.waitForTaskToken' service integration pattern"
        )
    return context


def _has_task_token(state: AnyState) -> bool:
    if state.type != "Task":
        return False
    return parse_resource(state.resource).pattern in ("sync", "sync:2", "waitForTaskToken")


def default_context(
    *, region: str, account_id: str, role_arn: str | None, state_input: Any, start_time: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(Execution, StateMachine)`` members of the context object of a run without a given context."""
    machine_name, execution_name = str(uuid.uuid4()), str(uuid.uuid4())
    prefix = f"arn:aws:states:{region}:{account_id}"
    execution = {
        "Id": f"{prefix}:express:{machine_name}:{execution_name}",
        "Input": state_input,
        "Name": execution_name,
        "RoleArn": role_arn,  # observed: null when the request has no roleArn
        "StartTime": start_time,
    }
    return execution, {"Id": f"{prefix}:stateMachine:{machine_name}", "Name": machine_name}
