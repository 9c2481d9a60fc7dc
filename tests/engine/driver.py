"""A synchronous driver for interpreter tests: no threads, no clock, virtual time only.

It applies the interpreter's commands the way a runtime would: a task is answered by a test-supplied
function (its return value is the result, a raised :class:`Failure` the failure), a timer fires at its
due time (virtual ``now`` jumps there), cancelled ones never fire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from orchestrator.asl.models import StateMachineDefinition
from orchestrator.dataflow.json_text import loads
from orchestrator.engine.interpreter import Interpreter
from orchestrator.engine.model import (
    CancelTask,
    CancelTimer,
    ChildExecutionFinished,
    Command,
    Event,
    ExecutionState,
    RunTask,
    Start,
    StartChildExecution,
    StartTimer,
    Step,
    StopChildExecution,
    TaskFailed,
    TaskSucceeded,
    TimerFired,
)

T0 = 1_700_000_000.0
REGION = "us-east-1"
ACCOUNT = "111111111111"
MACHINE_ARN = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:machine"
EXECUTION_ARN = f"arn:aws:states:{REGION}:{ACCOUNT}:execution:machine:exec"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/test"
LAMBDA = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:work"
ACTIVITY = f"arn:aws:states:{REGION}:{ACCOUNT}:activity:work"


class Failure(Exception):
    """Raised by a task answer to fail the task with ``error``/``cause``."""

    def __init__(self, error: str | None, cause: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.cause = cause


Answer = Callable[[RunTask], Any]


@dataclass
class Driver:
    """One execution driven step by step; ``history`` accumulates every event the interpreter wrote."""

    interpreter: Interpreter
    state: ExecutionState
    now: float = T0
    history: list[dict[str, Any]] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    tasks: dict[str, RunTask] = field(default_factory=dict)
    timers: dict[str, float] = field(default_factory=dict)
    children: dict[str, StartChildExecution] = field(default_factory=dict)
    child_drivers: dict[str, Driver] = field(default_factory=dict)

    @classmethod
    def start(
        cls,
        definition: dict[str, Any],
        value: Any = None,
        *,
        now: float = T0,
        execution_arn: str = EXECUTION_ARN,
        machine_arn: str = MACHINE_ARN,
        role_arn: str = ROLE_ARN,
        **interpreter_options: Any,
    ) -> Driver:
        """Build the interpreter for ``definition`` and step it with ``Start()`` at ``now``."""
        interpreter = Interpreter(StateMachineDefinition.from_dict(definition), **interpreter_options)
        state = interpreter.new_execution(
            execution={
                "Id": execution_arn,
                "Input": {} if value is None else value,
                "Name": execution_arn.rsplit(":", 1)[-1],
                "RoleArn": role_arn,
                "StartTime": "2023-11-14T22:13:20.000Z",
                "RedriveCount": 0,
            },
            state_machine={"Id": machine_arn, "Name": machine_arn.rsplit(":", 1)[-1]},
        )
        driver = cls(interpreter, state, now)
        driver.send(Start())
        return driver

    def send(self, event: Event, at: float | None = None) -> Step:
        """Step the interpreter with ``event`` (at virtual time ``at``, default: the current time)."""
        if at is not None:
            self.now = at
        step = self.interpreter.step(self.state, event, self.now)
        self.history.extend(step.events)
        self.commands.extend(step.commands)
        for command in step.commands:
            if isinstance(command, RunTask):
                self.tasks[command.task_id] = command
            elif isinstance(command, StartTimer):
                self.timers[command.timer_id] = command.due
            elif isinstance(command, CancelTimer):
                self.timers.pop(command.timer_id, None)
            elif isinstance(command, CancelTask):
                self.tasks.pop(command.task_id, None)
            elif isinstance(command, StartChildExecution):
                self.children[command.run_id] = command
            elif isinstance(command, StopChildExecution):
                self.children.pop(command.run_id, None)
        return step

    def run_child(self, command: StartChildExecution, respond: Answer | None) -> Step:
        """Run a DISTRIBUTED Map's child execution to its end and report it to this execution."""
        del self.children[command.run_id]
        child = Driver.start(
            command.definition,
            command.input,
            now=self.now,
            execution_arn=command.execution_arn,
            machine_arn=command.state_machine["Id"],
        ).run(respond)
        self.child_drivers[command.run_id] = child
        self.now = max(self.now, child.now)
        finished = ChildExecutionFinished(
            command.run_id, child.status, child.output, child.state.error, child.state.cause
        )
        return self.send(finished)

    def answer(self, task: RunTask, respond: Answer) -> Step:
        """Run ``respond`` for ``task`` and deliver its result or failure."""
        self.tasks.pop(task.task_id, None)
        try:
            output = respond(task)
        except Failure as failure:
            return self.send(TaskFailed(task.task_id, failure.error, failure.cause))
        return self.send(TaskSucceeded(task.task_id, output))

    def fire_next_timer(self) -> Step:
        timer_id, due = min(self.timers.items(), key=lambda item: (item[1], item[0]))
        del self.timers[timer_id]
        return self.send(TimerFired(timer_id), at=max(self.now, due))

    def run(self, respond: Answer | None = None, *, max_steps: int = 10_000) -> Driver:
        """Answer tasks (oldest first) and fire timers (earliest first) until the execution ends."""
        for _ in range(max_steps):
            if self.state.status != "RUNNING":
                return self
            if self.children:
                self.run_child(next(iter(self.children.values())), respond)
            elif self.tasks and respond is not None:
                self.answer(next(iter(self.tasks.values())), respond)
            elif self.timers:
                self.fire_next_timer()
            else:
                return self
        raise AssertionError("the execution did not end")

    # ---- what tests look at ---------------------------------------------------------------------

    @property
    def status(self) -> str:
        return self.state.status

    @property
    def output(self) -> Any:
        return self.state.output

    @property
    def error_and_cause(self) -> tuple[str | None, str | None]:
        return self.state.error, self.state.cause

    def types(self) -> list[str]:
        return [event["type"] for event in self.history]

    def triples(self) -> list[tuple[int, int, str]]:
        return [(e["id"], e["previousEventId"], e["type"]) for e in self.history]

    def events(self, event_type: str) -> list[dict[str, Any]]:
        return [event for event in self.history if event["type"] == event_type]

    def exited_output(self, name: str) -> Any:
        """The parsed output of the last ``*StateExited`` event of state ``name``."""
        for event in reversed(self.history):
            details = event.get("stateExitedEventDetails")
            if details is not None and details["name"] == name:
                return loads(details["output"])
        raise AssertionError(f"state {name} never exited")

    def pending_task(self) -> RunTask:
        assert len(self.tasks) == 1, f"expected one task in flight, have {list(self.tasks)}"
        return next(iter(self.tasks.values()))


def run(
    definition: dict[str, Any], value: Any = None, respond: Answer | None = None, **options: Any
) -> Driver:
    """Start ``definition`` on ``value`` and run it to its end."""
    return Driver.start(definition, value, **options).run(respond)


def machine(*states: tuple[str, dict[str, Any]], start_at: str | None = None, **top: Any) -> dict[str, Any]:
    """A definition from (name, state) pairs; the first is ``StartAt`` unless given."""
    return {"StartAt": start_at or states[0][0], "States": dict(states), **top}
