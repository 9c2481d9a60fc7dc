"""One state: its type, the fields it may carry (per type and per query language), its transition fields,
and the checks of each state type except Map (``map_state.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from orchestrator.asl.validation import choice, map_state, retry_catch, variables
from orchestrator.asl.validation.fields import (
    JSONATA_ONLY,
    JSONPATH_ONLY,
    REQUIRED_STATE_FIELDS,
    STATE_FIELDS,
    STATE_TYPES,
)
from orchestrator.asl.validation.jsonata_exprs import check_expressions
from orchestrator.asl.validation.paths import (
    check_path,
    check_payload_template,
    is_intrinsic,
    is_jsonata,
    is_timestamp,
)
from orchestrator.asl.validation.report import EXPRESS, JSONATA, JSONPATH, Report, at, language_message
from orchestrator.asl.validation.resources import check_resource
from orchestrator.asl.validation.values import MAX_SECONDS, check_number

QUERY_LANGUAGES = (JSONPATH, JSONATA)

ProgramChecker = Callable[[Report, Any, str, str], None]


def check_state(report: Report, state: Any, path: str, check_program: ProgramChecker) -> None:
    """All problems of one state; ``check_program`` validates its branches / item processor."""
    if not report.expect(state, path, "OBJECT"):
        return
    if not report.required(state, path, ("Type",)):
        return
    state_type = state["Type"]
    if state_type not in STATE_TYPES:
        report.error(at(path, "Type"), f"Value should be one of the following: [{', '.join(STATE_TYPES)}]")
        return
    language = _query_language(report, state, path)
    report.required(state, path, REQUIRED_STATE_FIELDS.get(state_type, ()))
    _check_fields(report, state, path, state_type, language)
    _check_flow(report, state, path, state_type)
    if "Comment" in state:
        report.expect(state["Comment"], at(path, "Comment"), "STRING")
    if language == JSONPATH:
        check_path(report, state, path, "InputPath", reference=False)
        check_path(report, state, path, "OutputPath", reference=False)
        check_path(report, state, path, "ResultPath", reference=True)
        for field in ("Parameters", "ResultSelector", "Assign"):
            if field in state and (
                field == "Assign" or report.expect(state[field], at(path, field), "OBJECT")
            ):
                check_payload_template(report, state[field], at(path, field))
    if "Assign" in state:
        variables.check_assign(report, state["Assign"], at(path, "Assign"), language)
    if language == JSONATA:
        check_expressions(report, state, path)
        variables.check_states_references(report, state, path)
    if "Retry" in state:
        retry_catch.check_retry(report, state["Retry"], at(path, "Retry"))
    if "Catch" in state:
        retry_catch.check_catch(report, state["Catch"], at(path, "Catch"), language)
    _CHECKS[state_type](report, state, path, language, check_program)


def _query_language(report: Report, state: dict[str, Any], path: str) -> str:
    """The state's effective query language; a JSONata machine cannot have JSONPath states."""
    if "QueryLanguage" not in state:
        return report.query_language
    declared = state["QueryLanguage"]
    if declared not in QUERY_LANGUAGES:
        report.error(at(path, "QueryLanguage"), "Value should be one of the following: [JSONPath, JSONata]")
        return report.query_language
    if declared == JSONPATH and report.query_language == JSONATA:
        report.error(
            path, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine"
        )
    return str(declared)


def _check_fields(report: Report, state: dict[str, Any], path: str, state_type: str, language: str) -> None:
    allowed = STATE_FIELDS[state_type]
    other_language_fields = JSONPATH_ONLY if language == JSONATA else JSONATA_ONLY
    for name in state:
        if name not in allowed:
            report.error(path, f"Field '{name}' is not supported")
        elif name in other_language_fields:
            report.error(path, language_message(language, name))


def _check_flow(report: Report, state: dict[str, Any], path: str, state_type: str) -> None:
    """``Next`` xor ``End: true`` on every state that is neither terminal nor a Choice."""
    if "Next" in state:
        report.expect(state["Next"], at(path, "Next"), "STRING")
    if (
        "End" in state
        and report.expect(state["End"], at(path, "End"), "BOOLEAN")
        and state["End"] is not True
    ):
        report.error(at(path, "End"), "The value for the field 'End' must be true")
    if state_type in ("Choice", "Succeed", "Fail"):
        return
    if "Next" in state and "End" in state:
        report.error(path, "Only one of the fields 'Next' or 'End' can be set")
    elif "Next" not in state and "End" not in state:
        report.error(path, "These fields are required: [Next, End]")


def _check_task(report: Report, state: dict[str, Any], path: str, language: str, _: ProgramChecker) -> None:
    if "Resource" in state:
        check_resource(
            report, state["Resource"], at(path, "Resource"), express=report.state_machine_type == EXPRESS
        )
    timeout = _check_timer(report, state, path, language, "TimeoutSeconds")
    heartbeat = _check_timer(report, state, path, language, "HeartbeatSeconds")
    if timeout is not None and heartbeat is not None and heartbeat >= timeout:
        report.error(at(path, "HeartbeatSeconds"), "HeartbeatSeconds must be smaller than TimeoutSeconds")
    for field in ("Arguments", "Credentials"):
        if field in state and not is_jsonata(state[field]):
            report.expect(state[field], at(path, field), "OBJECT")


def _check_timer(report: Report, state: dict[str, Any], path: str, language: str, field: str) -> int | None:
    report.exclusive(state, path, field, f"{field}Path")
    check_path(report, state, path, f"{field}Path", reference=True)
    if not check_number(report, state, path, field, language, low=1, high=MAX_SECONDS):
        return None
    return int(state[field])


def _check_pass(report: Report, state: dict[str, Any], path: str, language: str, _: ProgramChecker) -> None:
    pass  # Result is any JSON; Parameters/ResultPath/Assign/Output are checked for every state


def _check_choice(report: Report, state: dict[str, Any], path: str, language: str, _: ProgramChecker) -> None:
    choice.check_choices(report, state, path, language)


def _check_wait(report: Report, state: dict[str, Any], path: str, language: str, _: ProgramChecker) -> None:
    given = [field for field in ("Seconds", "SecondsPath", "Timestamp", "TimestampPath") if field in state]
    if len(given) != 1:
        report.error(
            path, "Exactly one of the fields [Seconds, SecondsPath, Timestamp, TimestampPath] must be set"
        )
    check_number(report, state, path, "Seconds", language, low=0, high=MAX_SECONDS)
    timestamp = state.get("Timestamp")
    if (
        "Timestamp" in state
        and not (language == JSONATA and is_jsonata(timestamp))
        and not is_timestamp(timestamp)
    ):
        report.error(at(path, "Timestamp"), "The value for the field 'Timestamp' must be a valid timestamp")
    check_path(report, state, path, "SecondsPath", reference=True)
    check_path(report, state, path, "TimestampPath", reference=True)


def _check_fail(report: Report, state: dict[str, Any], path: str, language: str, _: ProgramChecker) -> None:
    for field in ("Error", "Cause"):
        report.exclusive(state, path, field, f"{field}Path")
        if field in state:
            report.expect(state[field], at(path, field), "STRING")
        reference = state.get(f"{field}Path")
        if f"{field}Path" in state and not is_intrinsic(reference):
            check_path(report, state, path, f"{field}Path", reference=True)


def _check_succeed(
    report: Report, state: dict[str, Any], path: str, language: str, _: ProgramChecker
) -> None:
    pass  # only the common fields


def _check_parallel(
    report: Report, state: dict[str, Any], path: str, language: str, check: ProgramChecker
) -> None:
    where = at(path, "Branches")
    if "Arguments" in state and not is_jsonata(state["Arguments"]):
        report.expect(state["Arguments"], at(path, "Arguments"), "OBJECT")
    if "Branches" not in state or not report.expect(state["Branches"], where, "ARRAY"):
        return
    branches: list[Any] = state["Branches"]
    if not branches:
        report.error(where, "The field 'Branches' must contain at least one branch")
    for index, branch in enumerate(branches):
        check(report, branch, at(where, index), "branch")


_CHECKS: dict[str, Callable[[Report, dict[str, Any], str, str, ProgramChecker], None]] = {
    "Task": _check_task,
    "Pass": _check_pass,
    "Choice": _check_choice,
    "Wait": _check_wait,
    "Fail": _check_fail,
    "Succeed": _check_succeed,
    "Parallel": _check_parallel,
    "Map": map_state.check_map,
}
