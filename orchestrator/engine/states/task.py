"""Task: hand the effective input to a resource, then process its result (or its failure).

History follows the resource: ``arn:aws:lambda:...:function:...`` writes ``LambdaFunction*`` events, an
activity ``Activity*`` events, every other resource ``Task*`` events with ``resourceType``/``resource``
(as AWS names them).

Tasks that wait for their token (:mod:`orchestrator.engine.tokens`): a ``.waitForTaskToken`` service
integration runs its resource (the *submit*: ``TaskSubmitted`` with its result) and then waits for
``SendTaskSuccess``/``SendTaskFailure`` (:class:`CallbackSucceeded`/:class:`CallbackFailed`); an
activity is queued for workers, ``ActivityStarted`` when one takes it (``GetActivityTask``), and ends
the same way. ``HeartbeatSeconds`` without ``SendTaskHeartbeat`` times them out with
``States.Timeout``, as AWS records it for callbacks (``States.HeartbeatTimeout`` for the rest).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orchestrator.asl.resources import history_names, parse_resource
from orchestrator.dataflow.json_text import dumps
from orchestrator.dataflow.jsonpath import PathNotFound
from orchestrator.engine import history
from orchestrator.engine.dataflow import (
    check_size,
    effective_input,
    field_value,
    finish_state,
    read,
    task_credentials,
)
from orchestrator.engine.errors import HEARTBEAT_TIMEOUT, RUNTIME, TIMEOUT
from orchestrator.engine.model import CancelTask, RunTask
from orchestrator.engine.states.base import StateHandler
from orchestrator.errors import StatesError

if TYPE_CHECKING:
    from orchestrator.asl.models import TaskState
    from orchestrator.engine.model import Thread
    from orchestrator.engine.run import Run


def _is_lambda_function(state: TaskState) -> bool:
    return parse_resource(state.resource).kind == "lambda_function"


def _is_activity(state: TaskState) -> bool:
    return parse_resource(state.resource).kind == "activity"


def waits_for_token(state: TaskState) -> bool:
    """Whether the task waits after its resource ran (the submit): for its token (``SendTaskSuccess``...)
    or, for ``.sync``, for the job it started to end."""
    resource = parse_resource(state.resource)
    return resource.kind == "activity" or resource.pattern in ("waitForTaskToken", "sync", "sync:2")


def _has_token(state: TaskState) -> bool:
    """Whether ``$$.Task.Token`` exists for the task (AWS gives one to .sync integrations too)."""
    resource = parse_resource(state.resource)
    return resource.kind == "activity" or resource.pattern in ("sync", "sync:2", "waitForTaskToken")


class TaskHandler(StateHandler):
    def start(self, run: Run, thread: Thread, state: TaskState) -> None:
        timeout = self._seconds(
            run, thread, state, state.timeout_seconds, state.timeout_seconds_path, "TimeoutSeconds"
        )
        heartbeat = self._seconds(
            run, thread, state, state.heartbeat_seconds, state.heartbeat_seconds_path, "HeartbeatSeconds"
        )
        task_id = run.new_id("task")
        token = run.new_task_token(thread, task_id) if _has_token(state) else None
        parameters = effective_input(run, thread, state)
        context = run.context(thread, state)
        credentials = task_credentials(run, thread, state)
        scheduled_credentials = (
            {"taskCredentials": {"roleArn": credentials["RoleArn"]}}
            if credentials is not None and "RoleArn" in credentials
            else {}
        )
        if _is_lambda_function(state):
            details: dict[str, Any] = {
                **history.data_details("input", parameters),
                "resource": state.resource,
            }
            if timeout is not None:
                details["timeoutInSeconds"] = int(timeout)
            details.update(scheduled_credentials)
            run.writer.add(thread.hctx, "LambdaFunctionScheduled", run.now, details)
            run.writer.add(thread.hctx, "LambdaFunctionStarted", run.now)
        elif _is_activity(state):
            details = {**history.data_details("input", parameters), "resource": state.resource}
            if timeout is not None:
                details["timeoutInSeconds"] = int(timeout)
            if heartbeat is not None:
                details["heartbeatInSeconds"] = int(heartbeat)
            run.writer.add(thread.hctx, "ActivityScheduled", run.now, details)
        else:
            resource_type, resource = history_names(parse_resource(state.resource))
            details = {
                "resourceType": resource_type,
                "resource": resource,
                "region": run.state.execution["Id"].split(":")[3],
                "parameters": dumps(parameters),
            }
            if timeout is not None:
                details["timeoutInSeconds"] = int(timeout)
            if heartbeat is not None:
                details["heartbeatInSeconds"] = int(heartbeat)
            details.update(scheduled_credentials)
            run.writer.add(thread.hctx, "TaskScheduled", run.now, details)
            run.writer.add(
                thread.hctx, "TaskStarted", run.now, {"resourceType": resource_type, "resource": resource}
            )
        thread.task_id = task_id
        thread.submitted = False
        run.state.tasks[task_id] = thread.id
        run.commands.append(
            RunTask(
                task_id=task_id,
                resource=state.resource,
                parameters=parameters,
                context=context,
                state_name=thread.state_name,
                timeout_seconds=timeout,
                heartbeat_seconds=heartbeat,
                credentials=credentials,
                task_token=token,
            )
        )
        if timeout is not None:
            run.start_timer(thread, "timeout", run.now + timeout)
        thread.heartbeat_seconds = heartbeat
        if not _is_activity(state):  # an activity's heartbeats count from when a worker takes it
            run.restart_heartbeat(thread)

    def on_task_submitted(self, run: Run, thread: Thread, state: TaskState, output: Any) -> None:
        """A ``.waitForTaskToken`` resource ran: ``TaskSubmitted``, and the task waits for its token."""
        thread.submitted = True
        run.writer.add(
            thread.hctx,
            "TaskSubmitted",
            run.now,
            {**self._names(state), **history.data_details("output", output)},
        )

    def on_activity_started(self, run: Run, thread: Thread, state: TaskState, worker: str | None) -> None:
        run.writer.add(
            thread.hctx, "ActivityStarted", run.now, {} if worker is None else {"workerName": worker}
        )
        run.restart_heartbeat(thread)

    def on_task_succeeded(self, run: Run, thread: Thread, state: TaskState, output: Any) -> None:
        try:
            check_size(run, thread, output, self._size_subject(state, thread))
        except StatesError as too_big:
            self.on_task_failed(run, thread, state, too_big.error, too_big.cause)
            return
        if _is_lambda_function(state):
            run.writer.add(
                thread.hctx, "LambdaFunctionSucceeded", run.now, history.data_details("output", output)
            )
        elif _is_activity(state):
            run.writer.add(thread.hctx, "ActivitySucceeded", run.now, history.data_details("output", output))
        else:
            run.writer.add(
                thread.hctx,
                "TaskSucceeded",
                run.now,
                {**self._names(state), **history.data_details("output", output)},
            )
        run.guarded(thread, state, lambda: finish_state(run, thread, state, output))

    def on_task_failed(
        self, run: Run, thread: Thread, state: TaskState, error: str | None, cause: str | None
    ) -> None:
        error = error if error is not None else "States.TaskFailed"
        event_type = self._event_type(state, "Failed")
        names = self._names(state)
        run.writer.add(thread.hctx, event_type, run.now, {**names, **history.failure(error, cause)})
        run.state_failed(thread, state, error, cause)

    def on_timer(self, run: Run, thread: Thread, state: TaskState, purpose: str) -> None:
        """``TimeoutSeconds`` passed (States.Timeout), or ``HeartbeatSeconds`` without a heartbeat
        (States.HeartbeatTimeout): the task is abandoned and the state fails."""
        if thread.task_id is not None:
            run.state.tasks.pop(thread.task_id, None)
            run.commands.append(CancelTask(thread.task_id))
            thread.task_id = None
        run.cancel_timer(thread)
        error = HEARTBEAT_TIMEOUT if purpose == "heartbeat" and not waits_for_token(state) else TIMEOUT
        event_type = self._event_type(state, "TimedOut")
        names = self._names(state)
        run.writer.add(thread.hctx, event_type, run.now, {**names, "error": error})
        run.state_failed(thread, state, error, None)

    @staticmethod
    def _size_subject(state: TaskState, thread: Thread) -> str:
        """What AWS names in a DataLimitExceeded cause: the function ARN, or the integrated service."""
        resource = parse_resource(state.resource)
        if resource.kind == "lambda_function":
            return state.resource
        return resource.service or thread.state_name

    @staticmethod
    def _names(state: TaskState) -> dict[str, str]:
        """The ``resourceType``/``resource`` of ``Task*`` events (none for Lambda functions, activities)."""
        resource = parse_resource(state.resource)
        if resource.kind in ("lambda_function", "activity"):
            return {}
        resource_type, name = history_names(resource)
        return {"resourceType": resource_type, "resource": name}

    @staticmethod
    def _event_type(state: TaskState, outcome: str) -> str:
        kind = parse_resource(state.resource).kind
        prefix = {"lambda_function": "LambdaFunction", "activity": "Activity"}.get(kind, "Task")
        return prefix + outcome

    @staticmethod
    def _seconds(
        run: Run, thread: Thread, state: TaskState, literal: Any, path: str | None, field: str
    ) -> float | None:
        if path is None:
            if literal is None:
                return None
            return float(field_value(run, thread, state, literal, field, "integer"))
        try:
            value = read(run, thread, state, path, thread.input)
        except PathNotFound as missing:
            raise StatesError(RUNTIME, f"Invalid path '{path}' : {missing.detail}") from None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise StatesError(RUNTIME, f"The value of {path} must be a positive integer: {value}")
        return float(value)
