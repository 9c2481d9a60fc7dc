"""Nested executions: ``arn:aws:states:::states:startExecution[.sync|.sync:2|.waitForTaskToken]``.

The runtime, not a worker's resolver, carries these tasks out: it creates the child execution in the
store and launches it (:func:`start_child`). Starting is the task's *submit*: the plain integration
succeeds with AWS's StartExecution answer; ``.sync``/``.sync:2`` wait for the child to end
(:func:`child_finished`: DescribeExecution's shape, with ``Input``/``Output`` as JSON text or, for
``.sync:2``, parsed), a child that did not succeed failing the task with ``States.TaskFailed`` and that
shape as the cause, as AWS records it; ``.waitForTaskToken`` waits for ``SendTaskSuccess`` like any
callback. A start that fails (unknown state machine, bad input, a name in use) fails the task with
``StepFunctions.<Error>Exception`` and AWS's cause wording.

The child links back through its saved ``caller`` (parent ARN, task id, pattern), which outlives a
crash as the rest of its state does.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from orchestrator.asl.resources import parse_resource
from orchestrator.dataflow.json_text import dumps
from orchestrator.engine.model import CallbackFailed, CallbackSucceeded, RunTask, TaskFailed, TaskSucceeded
from orchestrator.errors import ApiError
from orchestrator.service import arns
from orchestrator.store.records import ExecutionRecord, StateMachineRecord


def is_nested(command: RunTask) -> bool:
    resource = parse_resource(command.resource)
    return resource.kind == "service" and resource.service == "states" and resource.action == "startExecution"


def pattern_of(command: RunTask) -> str:
    return parse_resource(command.resource).pattern


@dataclass(frozen=True)
class Started:
    """A child created in the store, to be launched, and the task's submit outcome."""

    machine: StateMachineRecord
    execution: ExecutionRecord
    caller: dict[str, str]
    outcome: TaskSucceeded


def start_child(store: Any, parent_arn: str, command: RunTask) -> Started | TaskFailed:
    """Create the child execution ``command`` asks for (not launched yet), or the task's failure."""
    caller = {"arn": parent_arn, "task_id": command.task_id, "pattern": pattern_of(command)}
    try:
        machine, execution = _child(store, command.parameters, caller)
    except ApiError as refused:
        error = f"StepFunctions.{refused.code}Exception"
        cause = (
            f"{refused.message} (Service: AWSStepFunctions; Status Code: 400; Error Code: {refused.code}; "
            f"Request ID: {uuid.uuid4()}; Proxy: null)"
        )
        return TaskFailed(command.task_id, error, cause)
    answer = {"ExecutionArn": execution.arn, "StartDate": _millis(execution.start_date)}
    return Started(machine, execution, caller, TaskSucceeded(command.task_id, _with_sdk_metadata(answer)))


def child_finished(
    caller: dict[str, str], execution: ExecutionRecord
) -> CallbackSucceeded | CallbackFailed | None:
    """The event telling the caller its child ended, for ``.sync``/``.sync:2`` (None otherwise)."""
    pattern = caller.get("pattern")
    if pattern not in ("sync", "sync:2"):
        return None
    parsed = pattern == "sync:2"
    described: dict[str, Any] = {
        "ExecutionArn": execution.arn,
        "Input": json.loads(execution.input) if parsed else execution.input,
        "InputDetails": {"Included": True},
        "Name": execution.name,
    }
    if execution.status == "SUCCEEDED":
        output = execution.output if execution.output is not None else "null"
        described["Output"] = json.loads(output) if parsed else output
        described["OutputDetails"] = {"Included": True}
    described.update(
        {
            "StartDate": _millis(execution.start_date),
            "StateMachineArn": execution.state_machine_arn,
            "Status": execution.status,
            "StopDate": _millis(execution.stop_date),
        }
    )
    if execution.status == "SUCCEEDED":
        return CallbackSucceeded(caller["task_id"], described)
    failure = {"Error": execution.error, "Cause": execution.cause} if execution.error is not None else {}
    return CallbackFailed(caller["task_id"], "States.TaskFailed", dumps({**failure, **described}))


def _child(store: Any, parameters: Any, caller: dict[str, str]) -> tuple[StateMachineRecord, ExecutionRecord]:
    """Create the child; one this very task created already (an outbox carried out again after a crash)
    is returned as it is."""
    if not isinstance(parameters, dict):
        raise ApiError("InvalidArn", "Invalid Arn: 'null'")
    machine_arn = parameters.get("StateMachineArn")
    arns.parse_state_machine(machine_arn)
    assert isinstance(machine_arn, str)
    machine = store.get_state_machine(machine_arn)
    if machine is None:
        raise ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{machine_arn}'")
    name = parameters.get("Name")
    name = arns.validate_name(name if name is not None else str(uuid.uuid4()))
    text = _input_text(parameters.get("Input"))
    execution = ExecutionRecord(
        arn=arns.execution_arn(machine.arn, name),
        state_machine_arn=machine.arn,
        name=name,
        input=text,
        role_arn=machine.role_arn,
        state_machine_type=machine.type,
    )
    if not store.create_execution(execution, None):
        saved, _ = store.load_state(execution.arn)
        existing = store.get_execution(execution.arn)
        if saved is None or saved.get("caller") != caller or existing is None:
            raise ApiError("ExecutionAlreadyExists", f"Execution Already Exists: '{execution.arn}'")
        return machine, existing
    return machine, execution


def _input_text(value: Any) -> str:
    """The child's input: ``Input`` as JSON (a string is taken as JSON text, as AWS takes it); none is {}."""
    if value is None:
        return "{}"
    if isinstance(value, str):
        try:
            json.loads(value)
        except ValueError:
            raise ApiError(
                "InvalidExecutionInput", f"Invalid State Machine Execution Input: '{value}'"
            ) from None
        return value
    return dumps(value)


def _millis(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


def _with_sdk_metadata(answer: dict[str, Any]) -> dict[str, Any]:
    """AWS's answer as the optimised integration returns it, with the SDK's HTTP metadata."""
    request_id = str(uuid.uuid4())
    length = str(len(json.dumps({"executionArn": answer["ExecutionArn"], "startDate": answer["StartDate"]})))
    date = datetime.now().astimezone().strftime("%a, %d %b %Y %H:%M:%S GMT")
    headers = {
        "x-amzn-RequestId": request_id,
        "connection": "keep-alive",
        "Content-Length": length,
        "Date": date,
        "Content-Type": "application/x-amz-json-1.0",
    }
    return {
        "ExecutionArn": answer["ExecutionArn"],
        "SdkHttpMetadata": {
            "AllHttpHeaders": {key: [value] for key, value in headers.items()},
            "HttpHeaders": headers,
            "HttpStatusCode": 200,
        },
        "SdkResponseMetadata": {"RequestId": request_id},
        "StartDate": answer["StartDate"],
    }
