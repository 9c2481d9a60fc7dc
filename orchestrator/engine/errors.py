"""Error names and how Retry/Catch ``ErrorEquals`` match them (ASL spec, "Errors")."""

from __future__ import annotations

from collections.abc import Iterable

ALL = "States.ALL"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"
RUNTIME = "States.Runtime"
DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded"
NO_CHOICE_MATCHED = "States.NoChoiceMatched"
INTRINSIC_FAILURE = "States.IntrinsicFailure"
HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout"
BRANCH_FAILED = "States.BranchFailed"
EXCEEDED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold"
ITEM_READER_FAILED = "States.ItemReaderFailed"
RESULT_WRITER_FAILED = "States.ResultWriterFailed"
QUERY_EVALUATION_ERROR = "States.QueryEvaluationError"

# "A Retry or Catch cannot handle States.Runtime errors" (observed: not even when named explicitly).
UNCATCHABLE = frozenset({RUNTIME})
# States.ALL is a wildcard for everything that can be caught (observed: it does catch
# States.DataLimitExceeded from a task's result).
NOT_MATCHED_BY_ALL = frozenset({RUNTIME})
# "States.TaskFailed ... matches any known error name except for States.Timeout" (and so not the
# heartbeat flavour of it either).
NOT_MATCHED_BY_TASK_FAILED = frozenset({TIMEOUT, HEARTBEAT_TIMEOUT, RUNTIME, DATA_LIMIT_EXCEEDED})
# "States.Timeout: a Task state either ran longer than TimeoutSeconds, or failed to send a heartbeat
# for a period longer than HeartbeatSeconds": a States.Timeout retrier or catcher handles both.
MATCHED_BY_TIMEOUT = frozenset({TIMEOUT, HEARTBEAT_TIMEOUT})


def matches(error_equals: Iterable[str], error: str) -> bool:
    """Whether a retrier's or catcher's ``ErrorEquals`` handles ``error``."""
    if error in UNCATCHABLE:
        return False
    for name in error_equals:
        if name == error:
            return True
        if name == ALL and error not in NOT_MATCHED_BY_ALL:
            return True
        if name == TASK_FAILED and error not in NOT_MATCHED_BY_TASK_FAILED:
            return True
        if name == TIMEOUT and error in MATCHED_BY_TIMEOUT:
            return True
    return False
