"""Store records as AWS's response members (JSON-ready: timestamps are epoch seconds).

Which members appear when follows AWS's recorded answers: ``description`` and ``revisionId`` only once
set, ``output`` only for a SUCCEEDED execution, ``redrive*`` only for STANDARD executions.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from orchestrator.store.records import ExecutionRecord, StateMachineRecord

BILLED_MEMORY_MB = 64  # what AWS bills every EXPRESS synchronous execution in the recordings
REDRIVABLE_PERIOD = timedelta(days=14)  # AWS: "didn't complete successfully in the last 14 days"
MAX_EXECUTION_TIME = timedelta(days=365)  # a STANDARD execution's longest life
MAX_HISTORY_EVENTS_TO_REDRIVE = 24_999  # AWS: the history must leave room for ExecutionRedriven


def epoch(moment: datetime | float | None) -> float | None:
    """AWS JSON timestamps: seconds since the epoch, milliseconds precision."""
    if moment is None:
        return None
    seconds = moment if isinstance(moment, (int, float)) else moment.timestamp()
    return round(float(seconds), 3)


def state_machine_description(machine: StateMachineRecord) -> dict[str, Any]:
    """``DescribeStateMachine``."""
    out: dict[str, Any] = {
        "stateMachineArn": machine.arn,
        "name": machine.name,
        "status": machine.status,
        "definition": machine.definition,
        "roleArn": machine.role_arn,
        "type": machine.type,
        "creationDate": epoch(machine.creation_date),
        "loggingConfiguration": dict(machine.logging_configuration),
        "tracingConfiguration": dict(machine.tracing_configuration),
    }
    if machine.revision_id:
        out["revisionId"] = machine.revision_id
    if machine.description:
        out["description"] = machine.description
    return out


def state_machine_list_item(machine: StateMachineRecord) -> dict[str, Any]:
    """One item of ``ListStateMachines``."""
    return {
        "stateMachineArn": machine.arn,
        "name": machine.name,
        "type": machine.type,
        "creationDate": epoch(machine.creation_date),
    }


def state_machine_for_execution(machine: StateMachineRecord, updated: datetime) -> dict[str, Any]:
    """``DescribeStateMachineForExecution``: the definition the execution runs."""
    out: dict[str, Any] = {
        "stateMachineArn": machine.arn,
        "name": machine.name,
        "definition": machine.definition,
        "roleArn": machine.role_arn,
        "updateDate": epoch(updated),
        "loggingConfiguration": dict(machine.logging_configuration),
        "tracingConfiguration": dict(machine.tracing_configuration),
    }
    if machine.revision_id:
        out["revisionId"] = machine.revision_id
    return out


def redrive_refusal(
    execution: ExecutionRecord, history_events: int | None = None, now: datetime | None = None
) -> str | None:
    """Why ``RedriveExecution`` would refuse the execution (AWS's ``redriveStatusReason`` wording), or
    None when it may be redriven. ``history_events``: its history's length, when at hand."""
    if execution.status in ("RUNNING", "SUCCEEDED", "PENDING_REDRIVE"):
        return f"Execution is {execution.status} and cannot be redriven"
    if execution.state_machine_type != "STANDARD":
        return "Execution is of type EXPRESS and cannot be redriven"
    moment = now or datetime.now(tz=UTC)
    if execution.stop_date is not None and moment - _aware(execution.stop_date) > REDRIVABLE_PERIOD:
        return "Execution redrivable period exceeded"
    if moment - _aware(execution.start_date) > MAX_EXECUTION_TIME:
        return "Execution has exceeded the max execution time"
    if history_events is not None and history_events >= MAX_HISTORY_EVENTS_TO_REDRIVE:
        return "Execution history event limit exceeded"
    return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def redrive_members(execution: ExecutionRecord, history_events: int | None = None) -> dict[str, Any]:
    """``redriveCount`` / ``redriveDate`` / ``redriveStatus`` / ``redriveStatusReason`` of a STANDARD
    execution: REDRIVABLE when ``RedriveExecution`` would accept it (no reason then), NOT_REDRIVABLE with
    AWS's reason otherwise; a DISTRIBUTED Map's child execution is REDRIVABLE_BY_MAP_RUN once it ended
    unsuccessfully (its parent's redrive runs it again)."""
    out: dict[str, Any] = {"redriveCount": execution.redrive_count}
    if execution.redrive_date is not None:
        out["redriveDate"] = epoch(execution.redrive_date)
    reason = redrive_refusal(execution, history_events)
    if reason is not None:
        out.update(redriveStatus="NOT_REDRIVABLE", redriveStatusReason=reason)
    elif execution.map_run_arn is not None:
        out["redriveStatus"] = "REDRIVABLE_BY_MAP_RUN"
    else:
        out["redriveStatus"] = "REDRIVABLE"
    return out


def execution_result(execution: ExecutionRecord) -> dict[str, Any]:
    """The members ``DescribeExecution`` and ``StartSyncExecution`` share."""
    out: dict[str, Any] = {
        "executionArn": execution.arn,
        "stateMachineArn": execution.state_machine_arn,
        "name": execution.name,
        "status": execution.status,
        "startDate": epoch(execution.start_date),
        "input": execution.input,
        "inputDetails": {"included": True},
    }
    if execution.stop_date is not None:
        out["stopDate"] = epoch(execution.stop_date)
    if execution.status == "SUCCEEDED" and execution.output is not None:
        out["output"] = execution.output
    if execution.status != "RUNNING":
        out["outputDetails"] = {"included": True}
    if execution.error is not None:
        out["error"] = execution.error
    if execution.cause is not None:
        out["cause"] = execution.cause
    if execution.trace_header:
        out["traceHeader"] = execution.trace_header
    return out


def execution_description(
    execution: ExecutionRecord, qualifiers: dict[str, str], history_events: int | None = None
) -> dict[str, Any]:
    """``DescribeExecution``; ``qualifiers`` holds ``stateMachineVersionArn``/``stateMachineAliasArn``,
    ``history_events`` the length of its history (a redrive limit)."""
    out = execution_result(execution)
    out.update(qualifiers)
    if execution.map_run_arn is not None:
        out["mapRunArn"] = execution.map_run_arn
    if execution.state_machine_type == "STANDARD":
        out.update(redrive_members(execution, history_events))
    return out


def execution_list_item(execution: ExecutionRecord, qualifiers: dict[str, str]) -> dict[str, Any]:
    """One item of ``ListExecutions``."""
    out: dict[str, Any] = {
        "executionArn": execution.arn,
        "stateMachineArn": execution.state_machine_arn,
        "name": execution.name,
        "status": execution.status,
        "startDate": epoch(execution.start_date),
    }
    if execution.stop_date is not None:
        out["stopDate"] = epoch(execution.stop_date)
    out.update(qualifiers)
    if execution.map_run_arn is not None:
        out["mapRunArn"] = execution.map_run_arn
    if execution.state_machine_type == "STANDARD":
        out["redriveCount"] = execution.redrive_count
        if execution.redrive_date is not None:
            out["redriveDate"] = epoch(execution.redrive_date)
    return out


def sync_execution_result(execution: ExecutionRecord) -> dict[str, Any]:
    """``StartSyncExecution``: the result plus ``billingDetails`` (duration rounded up to 100 ms)."""
    out = execution_result(execution)
    stop = execution.stop_date or execution.start_date
    millis = max(0.0, (stop - execution.start_date).total_seconds() * 1000)
    out["billingDetails"] = {
        "billedDurationInMilliseconds": max(100, -(-int(millis) // 100) * 100),
        "billedMemoryUsedInMB": BILLED_MEMORY_MB,
    }
    return out
