"""Which test case an execution runs, and how many times each of its states has invoked its task.

Step Functions Local starts a test case with ``StartExecution`` on ``<state machine ARN>#<test case>``;
the execution's own ARN does not show it. So the service binds the new execution's ARN to the test case
(:meth:`TestCaseRuns.bind`) before the execution starts, and the resolver finds it again from the
context object's ``Execution.Id``.

Invocations are counted per (execution, state name), as Step Functions Local counts them: every run of
the state's task is the next invocation, whether it is a retry (``Retry``), a later visit of the state
(a loop) or another iteration of a ``Map`` (the guide: set ``MaxConcurrency`` to 1 "to ensure
predictable responses", because concurrent iterations take numbers in the order they run).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

SEPARATOR = "#"


def split_test_case(state_machine_arn: str) -> tuple[str, str | None]:
    """``arn...:stateMachine:M#HappyPath`` -> (``arn...:stateMachine:M``, ``HappyPath``); no ``#``: (arn, None)."""
    arn, separator, test_case = state_machine_arn.partition(SEPARATOR)
    return (arn, test_case) if separator else (state_machine_arn, None)


@dataclass
class TestCaseRun:
    """One execution running a test case, with its invocation counters."""

    machine_name: str
    test_case: str
    invocations: dict[str, int] = field(default_factory=dict)


class TestCaseRuns:
    """The executions that run a test case, by execution ARN (thread-safe).

    The ``capacity`` most recently bound executions are remembered (a long-running server forgets the
    oldest); an execution that outlives that many newer test-case executions loses its mocks.
    """

    __test__ = False  # not a pytest test class, whatever its name says

    def __init__(self, capacity: int = 10_000) -> None:
        self.capacity = capacity
        self._runs: OrderedDict[str, TestCaseRun] = OrderedDict()
        self._lock = threading.Lock()

    def bind(self, execution_arn: str, machine_name: str, test_case: str) -> None:
        """Record that ``execution_arn`` runs ``test_case`` of the machine named ``machine_name``."""
        with self._lock:
            self._runs[execution_arn] = TestCaseRun(machine_name, test_case)
            self._runs.move_to_end(execution_arn)
            while len(self._runs) > self.capacity:
                self._runs.popitem(last=False)

    def share(self, child_arn: str, parent_arn: str) -> None:
        """Let a DISTRIBUTED Map's child execution run its parent's test case, counting invocations with
        it (a state's mocked responses are numbered across all the iterations, as in the parent)."""
        with self._lock:
            run = self._runs.get(parent_arn)
            if run is not None:
                self._runs[child_arn] = run
                self._runs.move_to_end(child_arn)
                while len(self._runs) > self.capacity:
                    self._runs.popitem(last=False)

    def get(self, execution_arn: str) -> TestCaseRun | None:
        with self._lock:
            return self._runs.get(execution_arn)

    def next_invocation(self, execution_arn: str, state_name: str) -> int:
        """The 0-based number of this invocation of ``state_name``'s task in the execution."""
        with self._lock:
            run = self._runs[execution_arn]
            number = run.invocations.get(state_name, 0)
            run.invocations[state_name] = number + 1
            return number
