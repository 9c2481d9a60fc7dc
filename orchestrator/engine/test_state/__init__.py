"""The TestState API: run one state once, with the interpreter, and report what it did (JSONPath states).

``run_test_state(request, resolver)`` takes TestState's request members as boto3 sends them and returns its
response members. The state runs as the only state of a throw-away execution (``$$`` is that execution's
context object, or the request's ``context``); a Task's resource runs through ``resolver`` unless the
request mocks it. Instead of moving on, the run reports where the state would go: ``SUCCEEDED`` with
``nextState``, ``FAILED``, ``RETRIABLE`` (a retrier still has attempts, given ``retrierRetryCount`` made)
or ``CAUGHT_ERROR`` (a catcher's ``Next``). Refused requests raise ``ApiError`` with AWS's code and message.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from orchestrator.dataflow.limits import DEFAULT_MAX_PAYLOAD_BYTES
from orchestrator.engine.dataflow import select
from orchestrator.engine.history import HistoryContext
from orchestrator.engine.interpreter import Interpreter
from orchestrator.engine.test_state.checks import check_request
from orchestrator.engine.test_state.context import default_context
from orchestrator.engine.test_state.request import TestStateRequest, read_request
from orchestrator.engine.test_state.response import UNSET, build_response, complete_inspection
from orchestrator.engine.test_state.run import Outcome, TestRun, execute
from orchestrator.engine.timefmt import iso
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from workers.resources import ResourceResolver

ENTERED_EVENT_ID = 2
"""The tested state is entered as the first state of its execution (``ExecutionStarted`` is event 1)."""


def run_test_state(
    request: dict[str, Any],
    resolver: ResourceResolver,
    *,
    max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
    now: float | None = None,
) -> dict[str, Any]:
    """TestState's response members for ``request`` (see the module docstring)."""
    parsed = read_request(request)
    context = check_request(parsed, reveal_secrets=bool(request.get("revealSecrets")))
    run = _new_run(parsed, resolver, context, max_payload_bytes, time.time() if now is None else now)
    thread = run.new_thread(None, parsed.program, parsed.state_name, parsed.input, HistoryContext())
    thread.entered_time = run.now
    thread.entered_event = ENTERED_EVENT_ID
    thread.attempt = parsed.configuration.retrier_retry_count
    execute(run, thread, parsed.state, parsed.mock, resolver)
    outcome = run.outcome or Outcome("FAILED", error="States.Runtime", cause="The state did not complete.")
    if parsed.inspection_level == "INFO":
        return build_response(outcome, None, {})
    inspection = {"input": parsed.input, **(run.inspection or {})}
    if parsed.has_variables:
        inspection["variables"] = parsed.variables
    language = parsed.state.query_language or parsed.machine.query_language or "JSONPath"
    complete_inspection(parsed.state, inspection, _after_input_path(run, parsed), language)
    return build_response(outcome, inspection, run.error_details)


def _new_run(
    parsed: TestStateRequest,
    resolver: ResourceResolver,
    context: dict[str, Any] | None,
    max_payload_bytes: int,
    now: float,
) -> TestRun:
    interpreter = Interpreter(parsed.machine, max_payload_bytes=max_payload_bytes)
    execution, state_machine = default_context(
        region=getattr(resolver, "region", "us-east-1"),
        account_id=_caller_account(parsed.role_arn) or str(getattr(resolver, "account_id", "123456789012")),
        role_arn=parsed.role_arn,
        state_input=parsed.input,
        start_time=iso(now),
    )
    state = interpreter.new_execution(execution=execution, state_machine=state_machine)
    return TestRun(interpreter, state, now, configuration=parsed.configuration, context=context)


def _caller_account(role_arn: str | None) -> str | None:
    """The account of the role TestState runs as: AWS builds the context object's ARNs in it."""
    parts = (role_arn or "").split(":")
    if len(parts) >= 5 and parts[2] == "iam" and parts[4].isdigit():
        return parts[4]
    return None


def _after_input_path(run: TestRun, parsed: TestStateRequest) -> Any:
    """The input after ``InputPath`` of a state that has no other processing step (UNSET if it fails)."""
    thread = run.state.threads[0]
    try:
        return select(run, thread, parsed.state, parsed.state.input_path, parsed.input)
    except StatesError:
        return UNSET


__all__ = ["run_test_state"]
