"""A resource resolver that answers the Task states of test-case executions from a mock configuration.

:class:`MockingResolver` wraps the resolver that really runs tasks (``workers.resources.ResourceResolver``)
and has its interface (``check``, ``run``, ``close``). For a task of an execution started on
``<machine ARN>#<test case>``:

* a state the test case maps to a mocked response takes invocation number *n* (its *n*-th task run in
  the execution, retries included) and answers with the entry covering *n*: ``Return`` is the task's
  result, ``Throw`` its failure (``Error``/``Cause``);
* a state the test case does not name runs its real resource (the inner resolver), as Step Functions
  Local calls the real integration;
* a response name the file does not define, or an invocation no entry covers, fails the task with
  ``States.Runtime`` (which no Retry or Catch handles): "If you do not specify a mocked response, the
  state machine execution will fail" (AWS developer guide).

Tasks of other executions go to the inner resolver unchanged. ``check`` also accepts every service
integration, since a test case may mock integrations nothing here can run (Step Functions Local
accepts them at creation too).
"""

from __future__ import annotations

import copy
from typing import Any, Protocol

from orchestrator.asl.resources import parse_resource
from orchestrator.mocking.config import MockConfig
from orchestrator.mocking.test_cases import TestCaseRuns
from workers.outcome import TaskOutcome, TaskRequest

RUNTIME = "States.Runtime"


class Resolver(Protocol):
    """What :class:`MockingResolver` wraps (``workers.resources.ResourceResolver``)."""

    def check(self, resource: str) -> str | None: ...

    def run(self, request: TaskRequest) -> TaskOutcome: ...


class UnknownTestCase(LookupError):
    """``StartExecution`` named a test case the mock configuration does not define for the machine."""


class MockingResolver:
    """Answers tasks of test-case executions from ``config``; everything else goes to ``inner``."""

    def __init__(self, inner: Resolver, config: MockConfig, runs: TestCaseRuns | None = None) -> None:
        self.inner = inner
        self.config = config
        self.runs = runs if runs is not None else TestCaseRuns()

    # ---- the service's side -------------------------------------------------------------------

    def start_test_case(self, execution_arn: str, machine_name: str, test_case: str) -> None:
        """Bind a new execution to ``test_case``; :class:`UnknownTestCase` if the file does not define it."""
        self.require_test_case(machine_name, test_case)
        self.runs.bind(execution_arn, machine_name, test_case)

    def require_test_case(self, machine_name: str, test_case: str) -> None:
        if self.config.test_case(machine_name, test_case) is None:
            raise UnknownTestCase(
                f"Test case '{test_case}' is not defined for state machine '{machine_name}' in the mock "
                f"configuration {self.config.source}"
            )

    def share_test_case(self, child_arn: str, parent_arn: str) -> None:
        """A DISTRIBUTED Map's child execution runs its parent's test case (no-op for other parents)."""
        self.runs.share(child_arn, parent_arn)

    def mocks(self, execution_arn: str, state_name: str) -> bool:
        """Whether the execution's test case mocks the state (then even a task the runtime would carry
        out itself, a nested ``states:startExecution``, is answered by the mock)."""
        run = self.runs.get(execution_arn)
        if run is None:
            return False
        return state_name in (self.config.test_case(run.machine_name, run.test_case) or {})

    # ---- the resolver interface ---------------------------------------------------------------

    def check(self, resource: str) -> str | None:
        problem = self.inner.check(resource)
        if problem is not None and parse_resource(resource).kind == "service":
            return None
        return problem

    def run(self, request: TaskRequest) -> TaskOutcome:
        execution_arn = _member(request.context, "Execution", "Id")
        state_name = _member(request.context, "State", "Name")
        run = self.runs.get(execution_arn) if execution_arn is not None else None
        if run is None or execution_arn is None or state_name is None:
            return self.inner.run(request)
        states = self.config.test_case(run.machine_name, run.test_case) or {}
        response_name = states.get(state_name)
        if response_name is None:
            return self.inner.run(request)
        invocation = self.runs.next_invocation(execution_arn, state_name)
        if response_name not in self.config.mocked_responses:
            return TaskOutcome.failure(
                RUNTIME,
                f"Test case '{run.test_case}' maps state '{state_name}' to the mocked response "
                f"'{response_name}', which the mock configuration does not define",
            )
        response = self.config.response(response_name, invocation)
        if response is None:
            return TaskOutcome.failure(
                RUNTIME,
                f"The mocked response '{response_name}' has no entry for invocation {invocation} of state "
                f"'{state_name}' (test case '{run.test_case}')",
            )
        if response.throws:
            assert response.error is not None
            return TaskOutcome(error=response.error, cause=response.cause, final=True)
        output = copy.deepcopy(response.output)
        if parse_resource(request.resource).kind == "lambda_function" and isinstance(output, dict):
            output = output.get("Payload", output)  # a function ARN answers with the payload alone
        # final: a mocked .waitForTaskToken task ends with the mock, as in Step Functions Local
        return TaskOutcome(output=output, final=True)

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if callable(close):
            close()


def _member(context: dict[str, Any], section: str, name: str) -> str | None:
    value = context.get(section)
    found = value.get(name) if isinstance(value, dict) else None
    return found if isinstance(found, str) else None
