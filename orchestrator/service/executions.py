"""Execution actions: Start / StartSync / Describe / List / Stop, DescribeStateMachineForExecution.

StartExecution is idempotent for STANDARD machines as AWS documents it: "if you call StartExecution
with the same name and input as a running execution, the call succeeds and return the same response
as the original request. If the execution is closed or if the input is different, it returns a 400
ExecutionAlreadyExists error." EXPRESS execution ARNs end in a fresh UUID, so they never collide: AWS
runs asynchronous Express workflows at least once, and "starting multiple workflows with the same name
results in concurrent executions".

An EXPRESS execution runs for at most five minutes (``express_max_duration_seconds``): it runs with the
machine's ``TimeoutSeconds`` capped to that limit, so one still running then ends TIMED_OUT with an
``ExecutionTimedOut`` event, through the interpreter's own execution timer, in every runtime.

Unlike AWS, DescribeExecution, ListExecutions and GetExecutionHistory also answer for EXPRESS
executions: a self-hosted engine has their results at hand.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from typing import Any

from orchestrator.errors import ApiError
from orchestrator.mocking import MockingResolver, UnknownTestCase, split_test_case
from orchestrator.service import arns, params, shapes
from orchestrator.service.context import RequestContext
from orchestrator.service.inputs import execution_input
from orchestrator.service.pagination import paginate
from orchestrator.service.versions import VersionActions
from orchestrator.store.records import TERMINAL_STATUSES, ExecutionRecord, StateMachineRecord

STATUSES = ("SUCCEEDED", "TIMED_OUT", "PENDING_REDRIVE", "ABORTED", "FAILED", "RUNNING")
EXPRESS_MAX_DURATION_SECONDS = 300  # AWS: "Express Workflows ... can run for up to five minutes"
SYNC_GRACE_SECONDS = 30.0  # how long StartSyncExecution waits past the limit for the timeout to land
TRACE_HEADER_MAX = 256


def express_limited(machine: StateMachineRecord, limit: int) -> StateMachineRecord:
    """``machine`` as an EXPRESS execution runs it: its top-level ``TimeoutSeconds`` at most ``limit``."""
    definition = json.loads(machine.definition)
    timeout = definition.get("TimeoutSeconds")
    if isinstance(timeout, int) and not isinstance(timeout, bool) and 0 < timeout <= limit:
        return machine
    definition["TimeoutSeconds"] = limit
    return replace(machine, definition=json.dumps(definition))


class ExecutionActions(VersionActions):
    express_max_duration_seconds: int = EXPRESS_MAX_DURATION_SECONDS
    """How long an EXPRESS execution may run before it ends TIMED_OUT (AWS: five minutes; a test may
    shorten it on a service instance)."""

    def _new_execution(
        self, request: dict[str, Any], *, sync: bool
    ) -> tuple[StateMachineRecord, ExecutionRecord, dict[str, str], str | None]:
        """Resolve the target and build (not store) the execution a Start* request asks for; the last
        member is the mock test case it runs (``<ARN>#<test case>``, with a mock configuration only)."""
        target, test_case = self._test_case_target(params.required(request, "stateMachineArn"))
        machine, machine_arn, qualifiers = self.resolve_target(target)
        if test_case is not None:
            self._require_test_case(machine.name, test_case)
        if sync and machine.type != "EXPRESS":
            raise ApiError(
                "StateMachineTypeNotSupported",
                "This operation is not supported by this type of state machine",
            )
        raw_name = params.string(request, "name")
        name = arns.validate_name(raw_name) if raw_name is not None else str(uuid.uuid4())
        text = execution_input(request.get("input"))
        trace_header = params.max_length(
            params.string(request, "traceHeader"), "traceHeader", TRACE_HEADER_MAX
        )
        record = ExecutionRecord(
            arn=arns.execution_arn(machine_arn, name, express=machine.type == "EXPRESS"),
            state_machine_arn=machine_arn,
            name=name,
            input=text,
            role_arn=machine.role_arn,
            state_machine_type=machine.type,
            trace_header=trace_header,
            version_arn=qualifiers.get("stateMachineVersionArn"),
            alias_arn=qualifiers.get("stateMachineAliasArn"),
        )
        return machine, record, qualifiers, test_case

    def _test_case_target(self, arn: object) -> tuple[object, str | None]:
        """Step Functions Local's ``<state machine ARN>#<test case>``, split when a mock configuration is
        loaded; otherwise the ARN is left whole, and AWS's error for it stands."""
        if not isinstance(self.resolver, MockingResolver) or not isinstance(arn, str):
            return arn, None
        return split_test_case(arn)

    def _require_test_case(self, machine_name: str, test_case: str) -> None:
        assert isinstance(self.resolver, MockingResolver)
        try:
            self.resolver.require_test_case(machine_name, test_case)
        except UnknownTestCase as unknown:
            raise ApiError("StateMachineDoesNotExist", str(unknown)) from None

    def _launch(
        self,
        machine: StateMachineRecord,
        record: ExecutionRecord,
        qualifiers: dict[str, str],
        test_case: str | None = None,
    ) -> ExecutionRecord:
        """Store and start ``record``; an identical running STANDARD execution is returned instead."""
        with self._lock:
            if not self.store.create_execution(record, None):
                existing = self.store.get_execution(record.arn)
                if (
                    existing is not None
                    and existing.status == "RUNNING"
                    and existing.input == record.input
                    and existing.state_machine_type == "STANDARD"
                ):
                    return existing
                raise ApiError("ExecutionAlreadyExists", f"Execution Already Exists: '{record.arn}'")
            if test_case is not None and isinstance(self.resolver, MockingResolver):
                self.resolver.start_test_case(record.arn, machine.name, test_case)
        if machine.type == "EXPRESS":
            machine = express_limited(machine, self.express_max_duration_seconds)
        self.runtime.launch(machine, record)
        return record

    def start_execution(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        machine, record, qualifiers, test_case = self._new_execution(request, sync=False)
        started = self._launch(machine, record, qualifiers, test_case)
        return {"executionArn": started.arn, "startDate": shapes.epoch(started.start_date)}

    def start_sync_execution(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        """Runs an EXPRESS execution to its end and answers its result (``billingDetails`` included); one
        still running at the Express limit has ended TIMED_OUT by then."""
        machine, record, qualifiers, test_case = self._new_execution(request, sync=True)
        self._launch(machine, record, qualifiers, test_case)
        limit = self.express_max_duration_seconds + SYNC_GRACE_SECONDS
        finished = self.runtime.wait(record.arn, timeout=limit)
        if finished.status == "RUNNING":
            finished = self.runtime.stop(
                record.arn, "States.Timeout", "The execution ran longer than a synchronous execution may"
            )
        return shapes.sync_execution_result(finished)

    def describe_execution(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        execution = self.execution(params.required(request, "executionArn"))
        return shapes.execution_description(
            execution, self.qualifiers(execution.arn), self.store.history_length(execution.arn)
        )

    def list_executions(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        """Newest first; ``stateMachineArn`` may be a version or alias ARN (its executions only)."""
        arn = request.get("stateMachineArn")
        map_run_arn = request.get("mapRunArn")
        if arn is None and map_run_arn is None:
            raise ApiError("ValidationException", "Must provide a StateMachine ARN or MapRun ARN")
        status = params.enum(request, "statusFilter", STATUSES)
        if arn is None:
            # A DISTRIBUTED Map's child executions.
            arn = str(map_run_arn)
            executions = [e for e in self.store.list_executions() if e.map_run_arn == map_run_arn]
            if not executions:
                raise ApiError("ResourceNotFound", f"Resource not found: '{map_run_arn}'")
            parsed = None
        else:
            parsed = arns.parse_state_machine(arn)
            if parsed.qualifier is None or parsed.qualifier.isdigit():
                self.machine(arn)
            elif self.store.get_alias(arn) is None:
                raise ApiError("StateMachineDoesNotExist", f"State Machine Does Not Exist: '{arn}'")
            executions = self.store.list_executions(parsed.base())
        if parsed is not None and parsed.qualifier is not None:
            member = "stateMachineVersionArn" if parsed.qualifier.isdigit() else "stateMachineAliasArn"
            executions = [e for e in executions if self.qualifiers(e.arn).get(member) == arn]
        if status is not None:
            executions = [e for e in executions if e.status == status]
        redrive_filter = params.enum(request, "redriveFilter", ("REDRIVEN", "NOT_REDRIVEN"))
        if redrive_filter is not None:
            redriven = redrive_filter == "REDRIVEN"
            executions = [e for e in executions if (e.redrive_count > 0) == redriven]
        executions.sort(key=lambda e: (e.start_date, e.arn), reverse=True)
        page, token = paginate(
            executions,
            request,
            scope=f"ListExecutions:{arn}:{status}",
            key=lambda e: e.arn,
            token_max_length=3096,
        )
        out: dict[str, Any] = {
            "executions": [shapes.execution_list_item(e, self.qualifiers(e.arn)) for e in page]
        }
        if token:
            out["nextToken"] = token
        return out

    def stop_execution(self, request: dict[str, Any], ctx: RequestContext | None = None) -> dict[str, Any]:
        """Aborts a running execution; a finished one is left as it is and its stop date answered."""
        execution = self.execution(params.required(request, "executionArn"))
        error = params.max_length(params.string(request, "error"), "error", 256)
        cause = params.max_length(params.string(request, "cause"), "cause", 32768)
        if execution.status not in TERMINAL_STATUSES:
            execution = self.runtime.stop(execution.arn, error, cause)
        return {"stopDate": shapes.epoch(execution.stop_date or execution.start_date)}

    def describe_state_machine_for_execution(
        self, request: dict[str, Any], ctx: RequestContext | None = None
    ) -> dict[str, Any]:
        execution = self.execution(params.required(request, "executionArn"))
        version = self.qualifiers(execution.arn).get("stateMachineVersionArn")
        machine = self.store.get_state_machine(version or execution.state_machine_arn)
        if machine is None:
            raise ApiError(
                "StateMachineDoesNotExist", f"State Machine Does Not Exist: '{execution.state_machine_arn}'"
            )
        return shapes.state_machine_for_execution(machine, machine.creation_date)
