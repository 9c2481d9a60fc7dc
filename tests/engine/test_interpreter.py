"""The interpreter driven directly, one event at a time, on virtual time (no threads, no clock).

Each test builds a small definition, steps it through :class:`tests.engine.driver.Driver` and checks the
observable result: status, output, error and cause, history events and the commands a runtime gets.
"""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator.engine.model import (
    CancelTask,
    CancelTimer,
    RunTask,
    StartTimer,
    StopRequested,
    TaskFailed,
    TaskSucceeded,
    TimerFired,
)
from tests.engine.driver import LAMBDA, T0, Driver, Failure, machine, run

INVOKE = "arn:aws:states:::lambda:invoke"


def task(**fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": LAMBDA, **fields}


def end(**fields: Any) -> dict[str, Any]:
    return {"End": True, **fields}


def fail_with(error: str | None, cause: str | None = None) -> Any:
    def respond(_: RunTask) -> Any:
        raise Failure(error, cause)

    return respond


# ---- Pass ---------------------------------------------------------------------------------------


def test_a_pass_chain_hands_each_result_to_the_next_state() -> None:
    definition = machine(
        ("First", {"Type": "Pass", "Result": {"x": 1}, "Next": "Second"}),
        ("Second", {"Type": "Pass", "ResultPath": "$.y", "Result": 2, "End": True}),
    )

    driver = run(definition, {"ignored": True})

    assert (driver.status, driver.output) == ("SUCCEEDED", {"x": 1, "y": 2})
    assert driver.triples() == [
        (1, 0, "ExecutionStarted"),
        (2, 0, "PassStateEntered"),
        (3, 2, "PassStateExited"),
        (4, 3, "PassStateEntered"),
        (5, 4, "PassStateExited"),
        (6, 5, "ExecutionSucceeded"),
    ]


def test_a_pass_without_result_passes_its_input_through() -> None:
    driver = run(machine(("P", end(Type="Pass"))), {"a": [1, 2]})

    assert driver.output == {"a": [1, 2]}


def test_result_path_null_discards_the_result() -> None:
    driver = run(machine(("P", end(Type="Pass", Result="gone", ResultPath=None))), {"kept": 1})

    assert driver.output == {"kept": 1}


def test_result_path_creates_the_missing_objects_on_its_way() -> None:
    driver = run(machine(("P", end(Type="Pass", Result=7, ResultPath="$.a.b.c"))), {"k": 1})

    assert driver.output == {"k": 1, "a": {"b": {"c": 7}}}


def test_input_path_null_gives_the_state_an_empty_object() -> None:
    driver = run(machine(("P", end(Type="Pass", InputPath=None, ResultPath="$.seen"))), {"k": 1})

    assert driver.output == {"k": 1, "seen": {}}


def test_output_path_null_gives_an_empty_object() -> None:
    driver = run(machine(("P", end(Type="Pass", OutputPath=None))), {"k": 1})

    assert driver.output == {}


def test_input_path_and_output_path_select_parts() -> None:
    definition = machine(("P", end(Type="Pass", InputPath="$.in", OutputPath="$.v")))

    driver = run(definition, {"in": {"v": [3]}, "other": 0})

    assert driver.output == [3]


def test_parameters_read_the_input_and_the_context_object() -> None:
    parameters = {"value.$": "$.v", "name.$": "$$.State.Name", "fixed": "f"}

    driver = run(machine(("P", end(Type="Pass", Parameters=parameters))), {"v": 5})

    assert driver.output == {"value": 5, "name": "P", "fixed": "f"}


def test_an_input_path_that_finds_nothing_fails_with_states_runtime() -> None:
    driver = run(machine(("P", end(Type="Pass", InputPath="$.missing"))), {"k": 1})

    error, cause = driver.error_and_cause
    assert (driver.status, error) == ("FAILED", "States.Runtime")
    assert cause is not None and "'$.missing'" in cause and "entered at the event id #2" in cause


# ---- Choice -------------------------------------------------------------------------------------


CHOOSE = machine(
    (
        "Choose",
        {
            "Type": "Choice",
            "Choices": [
                {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Big"},
                {"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Medium"},
            ],
            "Default": "Small",
        },
    ),
    ("Big", end(Type="Pass", Result="big")),
    ("Medium", end(Type="Pass", Result="medium")),
    ("Small", end(Type="Pass", Result="small")),
)


@pytest.mark.parametrize(("n", "expected"), [(20, "big"), (7, "medium"), (1, "small")])
def test_choice_takes_the_first_matching_rule_else_the_default(n: int, expected: str) -> None:
    assert run(CHOOSE, {"n": n}).output == expected


def test_choice_passes_its_input_on_and_writes_entered_and_exited() -> None:
    driver = run(CHOOSE, {"n": 1})

    assert driver.types()[1:3] == ["ChoiceStateEntered", "ChoiceStateExited"]
    assert driver.exited_output("Choose") == {"n": 1}


def test_choice_without_a_match_or_default_fails_with_no_choice_matched() -> None:
    definition = machine(
        ("Choose", {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "One"}]}),
        ("One", end(Type="Succeed")),
    )

    driver = run(definition, {"n": 2})

    error, cause = driver.error_and_cause
    assert (driver.status, error) == ("FAILED", "States.NoChoiceMatched")
    assert cause is not None and "'Choose'" in cause
    assert driver.types() == ["ExecutionStarted", "ChoiceStateEntered", "ExecutionFailed"]


# ---- Fail and Succeed ---------------------------------------------------------------------------


def test_fail_ends_the_execution_with_its_error_and_cause() -> None:
    driver = run(machine(("F", {"Type": "Fail", "Error": "Boom", "Cause": "because"})))

    assert (driver.status, driver.error_and_cause) == ("FAILED", ("Boom", "because"))
    assert driver.history[-1] == {
        "timestamp": T0,
        "type": "ExecutionFailed",
        "id": 3,
        "previousEventId": 2,
        "executionFailedEventDetails": {"error": "Boom", "cause": "because"},
    }


def test_fail_without_cause_writes_no_cause() -> None:
    driver = run(machine(("F", {"Type": "Fail", "Error": "Boom"})))

    assert driver.history[-1]["executionFailedEventDetails"] == {"error": "Boom"}


def test_fail_error_path_and_cause_path_read_the_input() -> None:
    definition = machine(("F", {"Type": "Fail", "ErrorPath": "$.e", "CausePath": "$.c"}))

    driver = run(definition, {"e": "E1", "c": "C1"})

    assert driver.error_and_cause == ("E1", "C1")


def test_succeed_ends_the_execution_with_its_filtered_input() -> None:
    driver = run(machine(("S", {"Type": "Succeed", "OutputPath": "$.keep"})), {"keep": {"a": 1}, "drop": 2})

    assert (driver.status, driver.output) == ("SUCCEEDED", {"a": 1})
    assert driver.types() == [
        "ExecutionStarted",
        "SucceedStateEntered",
        "SucceedStateExited",
        "ExecutionSucceeded",
    ]


# ---- Task ---------------------------------------------------------------------------------------


def test_a_task_dispatches_one_run_task_command_with_its_effective_input() -> None:
    definition = machine(("T", end(**task(Parameters={"v.$": "$.v"}))))

    driver = Driver.start(definition, {"v": 1, "w": 2})

    command = driver.pending_task()
    assert (command.resource, command.parameters, command.state_name) == (LAMBDA, {"v": 1}, "T")
    assert command.context["State"] == {
        "Name": "T",
        "EnteredTime": "2023-11-14T22:13:20.000Z",
        "RetryCount": 0,
    }
    assert driver.types() == [
        "ExecutionStarted",
        "TaskStateEntered",
        "LambdaFunctionScheduled",
        "LambdaFunctionStarted",
    ]
    assert driver.status == "RUNNING"


def test_a_task_result_goes_through_result_selector_and_result_path() -> None:
    definition = machine(("T", end(**task(ResultSelector={"got.$": "$.r"}, ResultPath="$.out"))))
    driver = Driver.start(definition, {"in": 1})

    driver.send(TaskSucceeded(driver.pending_task().task_id, {"r": 42, "noise": 0}))

    assert (driver.status, driver.output) == ("SUCCEEDED", {"in": 1, "out": {"got": 42}})
    assert driver.types()[-4:] == [
        "LambdaFunctionStarted",
        "LambdaFunctionSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    assert driver.events("LambdaFunctionSucceeded")[0]["lambdaFunctionSucceededEventDetails"] == {
        "output": '{"r":42,"noise":0}',
        "outputDetails": {"truncated": False},
    }


def test_a_task_failure_fails_the_execution_with_its_error_and_cause() -> None:
    driver = Driver.start(machine(("T", end(**task()))))

    driver.send(TaskFailed(driver.pending_task().task_id, "ValueError", "bad value"))

    assert (driver.status, driver.error_and_cause) == ("FAILED", ("ValueError", "bad value"))
    assert driver.types()[-2:] == ["LambdaFunctionFailed", "ExecutionFailed"]
    assert driver.events("LambdaFunctionFailed")[0]["lambdaFunctionFailedEventDetails"] == {
        "error": "ValueError",
        "cause": "bad value",
    }


def test_a_task_failure_without_error_name_is_states_task_failed() -> None:
    driver = run(machine(("T", end(**task()))), respond=fail_with(None))

    assert driver.error_and_cause == ("States.TaskFailed", None)


def test_a_service_integration_writes_task_events_with_resource_names() -> None:
    definition = machine(("T", end(**task(Resource=INVOKE, Parameters={"FunctionName": "f"}))))

    driver = run(definition, respond=lambda _: {"Payload": 1})

    assert driver.types() == [
        "ExecutionStarted",
        "TaskStateEntered",
        "TaskScheduled",
        "TaskStarted",
        "TaskSucceeded",
        "TaskStateExited",
        "ExecutionSucceeded",
    ]
    scheduled = driver.events("TaskScheduled")[0]["taskScheduledEventDetails"]
    assert (scheduled["resourceType"], scheduled["resource"], scheduled["region"]) == (
        "lambda",
        "invoke",
        "us-east-1",
    )
    assert driver.events("TaskSucceeded")[0]["taskSucceededEventDetails"]["resource"] == "invoke"


def test_parallel_results_keep_branch_order_whatever_the_completion_order() -> None:
    branch = {"StartAt": "T", "States": {"T": end(**task())}}
    definition = machine(("P", end(Type="Parallel", Branches=[branch, branch])))
    driver = Driver.start(definition, {"v": 0})
    first, second = driver.tasks.values()

    driver.send(TaskSucceeded(second.task_id, "second"))
    driver.send(TaskSucceeded(first.task_id, "first"))

    assert driver.output == ["first", "second"]


def test_a_map_with_max_concurrency_one_dispatches_one_task_at_a_time() -> None:
    definition = machine(
        (
            "M",
            end(Type="Map", MaxConcurrency=1, ItemProcessor={"StartAt": "T", "States": {"T": end(**task())}}),
        )
    )
    driver = Driver.start(definition, [1, 2, 3])
    in_flight = []

    while driver.tasks:
        in_flight.append(len(driver.tasks))
        driver.answer(driver.pending_task(), lambda command: command.parameters * 10)

    assert (in_flight, driver.output) == ([1, 1, 1], [10, 20, 30])


# ---- Retry --------------------------------------------------------------------------------------


def retry_delays(driver: Driver) -> list[float]:
    """Seconds between each failure and the retry timer it started."""
    delays = []
    while driver.status == "RUNNING":
        step = driver.answer(driver.pending_task(), fail_with("Flaky"))
        retry_timers = [c for c in step.commands if isinstance(c, StartTimer)]
        if not retry_timers:
            break
        delays.append(retry_timers[0].due - driver.now)
        driver.fire_next_timer()
    return delays


def test_retry_waits_interval_times_backoff_rate_to_the_attempt_capped_by_max_delay() -> None:
    retrier = {
        "ErrorEquals": ["Flaky"],
        "IntervalSeconds": 2,
        "BackoffRate": 3,
        "MaxAttempts": 4,
        "MaxDelaySeconds": 10,
    }
    driver = Driver.start(machine(("T", end(**task(Retry=[retrier])))))

    delays = retry_delays(driver)

    assert delays == [2.0, 6.0, 10.0, 10.0]
    assert (driver.status, driver.error_and_cause[0]) == ("FAILED", "Flaky")


def test_retry_defaults_are_one_second_backoff_two_and_three_attempts() -> None:
    driver = Driver.start(machine(("T", end(**task(Retry=[{"ErrorEquals": ["States.ALL"]}])))))

    assert retry_delays(driver) == [1.0, 2.0, 4.0]


def test_a_retry_runs_the_task_again_at_the_timer_with_retry_count_in_the_context() -> None:
    driver = Driver.start(
        machine(("T", end(**task(Retry=[{"ErrorEquals": ["Flaky"], "IntervalSeconds": 5}]))))
    )
    driver.answer(driver.pending_task(), fail_with("Flaky"))
    assert not driver.tasks

    driver.fire_next_timer()

    assert driver.now == T0 + 5
    assert driver.pending_task().context["State"]["RetryCount"] == 1
    assert driver.types()[-3:] == ["LambdaFunctionFailed", "LambdaFunctionScheduled", "LambdaFunctionStarted"]


def test_max_attempts_zero_never_retries() -> None:
    retriers = [{"ErrorEquals": ["Flaky"], "MaxAttempts": 0}]

    driver = run(machine(("T", end(**task(Retry=retriers)))), respond=fail_with("Flaky"))

    assert driver.status == "FAILED"
    assert [type(c) for c in driver.commands] == [RunTask]


def test_each_retrier_counts_its_own_attempts() -> None:
    retriers = [{"ErrorEquals": ["A"], "MaxAttempts": 1}, {"ErrorEquals": ["B"], "MaxAttempts": 1}]
    driver = Driver.start(machine(("T", end(**task(Retry=retriers)))))
    errors = iter(["A", "B", "A"])

    driver.run(lambda _: fail_with(next(errors))(_))

    assert (driver.status, driver.error_and_cause[0]) == ("FAILED", "A")
    assert sum(isinstance(c, RunTask) for c in driver.commands) == 3


def test_the_first_retrier_that_matches_decides_even_when_exhausted() -> None:
    retriers = [{"ErrorEquals": ["A"], "MaxAttempts": 1}, {"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}]

    driver = run(machine(("T", end(**task(Retry=retriers)))), respond=fail_with("A"))

    assert sum(isinstance(c, RunTask) for c in driver.commands) == 2


def test_retry_then_success_continues_with_the_result() -> None:
    answers = iter([Failure("Flaky"), "done"])

    def respond(_: RunTask) -> Any:
        answer = next(answers)
        if isinstance(answer, Failure):
            raise answer
        return answer

    driver = run(machine(("T", end(**task(Retry=[{"ErrorEquals": ["Flaky"]}])))), respond=respond)

    assert (driver.status, driver.output) == ("SUCCEEDED", "done")


# ---- Catch --------------------------------------------------------------------------------------


def caught(**catcher: Any) -> dict[str, Any]:
    return machine(
        (
            "T",
            {**task(Catch=[{"ErrorEquals": ["States.ALL"], "Next": "Handler", **catcher}]), "Next": "Done"},
        ),
        ("Handler", end(Type="Pass")),
        ("Done", end(Type="Pass")),
    )


def test_catch_hands_error_and_cause_to_the_next_state() -> None:
    driver = run(caught(), {"in": 1}, respond=fail_with("Oops", "details"))

    assert (driver.status, driver.output) == ("SUCCEEDED", {"Error": "Oops", "Cause": "details"})
    assert driver.types()[-5:] == [
        "LambdaFunctionFailed",
        "TaskStateExited",
        "PassStateEntered",
        "PassStateExited",
        "ExecutionSucceeded",
    ]
    assert driver.events("PassStateEntered")[0]["stateEnteredEventDetails"]["name"] == "Handler"


def test_catch_result_path_writes_the_error_output_into_the_input() -> None:
    driver = run(caught(ResultPath="$.error"), {"in": 1}, respond=fail_with("Oops", "details"))

    assert driver.output == {"in": 1, "error": {"Error": "Oops", "Cause": "details"}}


def test_catch_result_path_null_keeps_the_input() -> None:
    driver = run(caught(ResultPath=None), {"in": 1}, respond=fail_with("Oops"))

    assert driver.output == {"in": 1}


def test_the_error_output_has_an_empty_cause_when_the_failure_had_none() -> None:
    driver = run(caught(), respond=fail_with("Oops", None))

    assert driver.output == {"Error": "Oops", "Cause": ""}


def test_the_first_matching_catcher_wins() -> None:
    definition = machine(
        (
            "T",
            end(
                **task(
                    Catch=[
                        {"ErrorEquals": ["Other"], "Next": "Wrong"},
                        {"ErrorEquals": ["Oops"], "Next": "Right"},
                        {"ErrorEquals": ["States.ALL"], "Next": "Wrong"},
                    ]
                )
            ),
        ),
        ("Wrong", end(Type="Pass", Result="wrong")),
        ("Right", end(Type="Pass", Result="right")),
    )

    assert run(definition, respond=fail_with("Oops")).output == "right"


def test_retries_are_exhausted_before_catch_applies() -> None:
    definition = caught()
    definition["States"]["T"]["Retry"] = [{"ErrorEquals": ["Oops"], "MaxAttempts": 2, "IntervalSeconds": 1}]

    driver = run(definition, respond=fail_with("Oops"))

    assert driver.output == {"Error": "Oops", "Cause": ""}
    assert sum(isinstance(c, RunTask) for c in driver.commands) == 3


@pytest.mark.parametrize("named", ["States.Runtime", "States.ALL", "States.TaskFailed"])
def test_states_runtime_is_neither_retried_nor_caught_even_when_named(named: str) -> None:
    definition = caught()
    definition["States"]["T"].update(
        InputPath="$.missing",
        Retry=[{"ErrorEquals": [named]}],
        Catch=[{"ErrorEquals": [named], "Next": "Handler"}],
    )

    driver = run(definition, {"in": 1})

    assert (driver.status, driver.error_and_cause[0]) == ("FAILED", "States.Runtime")
    assert not any(isinstance(c, StartTimer | RunTask) for c in driver.commands)


def test_states_task_failed_does_not_catch_a_timeout() -> None:
    definition = caught()
    definition["States"]["T"].update(
        TimeoutSeconds=1, Catch=[{"ErrorEquals": ["States.TaskFailed"], "Next": "Handler"}]
    )

    driver = run(definition)

    assert (driver.status, driver.error_and_cause[0]) == ("FAILED", "States.Timeout")


# ---- timeouts -----------------------------------------------------------------------------------


def test_a_lambda_task_timeout_fails_with_states_timeout() -> None:
    driver = Driver.start(machine(("T", end(**task(TimeoutSeconds=5)))))
    command = driver.pending_task()
    assert command.timeout_seconds == 5
    assert driver.timers and set(driver.timers.values()) == {T0 + 5}

    driver.fire_next_timer()

    assert (driver.status, driver.error_and_cause) == ("FAILED", ("States.Timeout", None))
    assert driver.triples()[-2:] == [(5, 4, "LambdaFunctionTimedOut"), (6, 5, "ExecutionFailed")]
    assert driver.events("LambdaFunctionTimedOut")[0]["lambdaFunctionTimedOutEventDetails"] == {
        "error": "States.Timeout"
    }


def test_a_service_task_timeout_writes_task_timed_out() -> None:
    definition = machine(
        ("T", end(**task(Resource=INVOKE, Parameters={"FunctionName": "f"}, TimeoutSeconds=5)))
    )

    driver = run(definition)

    assert driver.events("TaskTimedOut")[0]["taskTimedOutEventDetails"] == {
        "resourceType": "lambda",
        "resource": "invoke",
        "error": "States.Timeout",
    }


def test_a_caught_timeout_has_an_empty_cause() -> None:
    definition = caught()
    definition["States"]["T"]["TimeoutSeconds"] = 5

    driver = run(definition)

    assert driver.output == {"Error": "States.Timeout", "Cause": ""}


def test_a_result_before_the_timeout_cancels_the_timer() -> None:
    driver = Driver.start(machine(("T", end(**task(TimeoutSeconds=5)))))
    (timer_id,) = driver.timers

    driver.send(TaskSucceeded(driver.pending_task().task_id, "ok"), at=T0 + 1)

    assert CancelTimer(timer_id) in driver.commands
    assert (driver.status, driver.output) == ("SUCCEEDED", "ok")


def test_a_result_after_the_timeout_is_ignored() -> None:
    driver = Driver.start(machine(("T", end(**task(TimeoutSeconds=5)))))
    command = driver.pending_task()
    driver.fire_next_timer()
    events_before = len(driver.history)

    step = driver.send(TaskSucceeded(command.task_id, "late"))

    assert (step.events, step.commands) == ([], [])
    assert (len(driver.history), driver.status) == (events_before, "FAILED")


def test_a_timed_out_attempt_that_is_retried_ignores_the_first_attempts_late_result() -> None:
    retry = [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1, "IntervalSeconds": 1}]
    driver = Driver.start(machine(("T", end(**task(TimeoutSeconds=5, Retry=retry)))))
    first = driver.pending_task()
    driver.fire_next_timer()  # the timeout
    driver.fire_next_timer()  # the retry
    second = [c for c in driver.commands if isinstance(c, RunTask)][-1]

    driver.send(TaskSucceeded(first.task_id, "late"))
    driver.send(TaskSucceeded(second.task_id, "second"))

    assert second.task_id != first.task_id
    assert (driver.status, driver.output) == ("SUCCEEDED", "second")


def test_a_task_timeout_tells_the_runtime_to_cancel_the_task() -> None:
    driver = Driver.start(machine(("T", end(**task(TimeoutSeconds=5)))))
    command = driver.pending_task()

    driver.fire_next_timer()

    assert CancelTask(command.task_id) in driver.commands


def test_the_machine_timeout_ends_the_execution_as_timed_out() -> None:
    definition = machine(("T", end(**task())), TimeoutSeconds=30)
    driver = Driver.start(definition)
    command = driver.pending_task()
    assert set(driver.timers.values()) == {T0 + 30}

    driver.fire_next_timer()

    assert (driver.status, driver.error_and_cause) == ("TIMED_OUT", (None, None))
    assert driver.history[-1]["type"] == "ExecutionTimedOut"
    assert driver.history[-1]["timestamp"] == T0 + 30
    assert CancelTask(command.task_id) in driver.commands


def test_the_machine_timeout_cancels_a_pending_wait() -> None:
    definition = machine(("W", end(Type="Wait", Seconds=100)), TimeoutSeconds=10)

    driver = run(definition)

    assert (driver.status, driver.now) == ("TIMED_OUT", T0 + 10)
    assert not driver.timers


def test_a_wait_resumes_at_its_timer_on_virtual_time() -> None:
    driver = Driver.start(
        machine(("W", {"Type": "Wait", "Seconds": 86_400, "Next": "P"}), ("P", end(Type="Pass")))
    )
    assert set(driver.timers.values()) == {T0 + 86_400}

    driver.run()

    assert driver.status == "SUCCEEDED"
    assert driver.history[-1]["timestamp"] - driver.history[0]["timestamp"] == 86_400


# ---- stop, late and duplicate deliveries --------------------------------------------------------


def test_stop_requested_aborts_and_cancels_the_task_in_flight() -> None:
    driver = Driver.start(machine(("T", end(**task()))))
    command = driver.pending_task()

    driver.send(StopRequested("UserStop", "no longer needed"))

    assert (driver.status, driver.error_and_cause) == ("ABORTED", ("UserStop", "no longer needed"))
    assert driver.history[-1]["type"] == "ExecutionAborted"
    assert driver.history[-1]["executionAbortedEventDetails"] == {
        "error": "UserStop",
        "cause": "no longer needed",
    }
    assert CancelTask(command.task_id) in driver.commands


def test_stop_cancels_every_task_in_flight_across_branches() -> None:
    branch = {"StartAt": "T", "States": {"T": end(**task())}}
    driver = Driver.start(machine(("P", end(Type="Parallel", Branches=[branch, branch]))))
    in_flight = set(driver.tasks)

    driver.send(StopRequested())

    assert {c.task_id for c in driver.commands if isinstance(c, CancelTask)} == in_flight
    assert driver.status == "ABORTED"


def test_events_after_the_end_change_nothing() -> None:
    driver = Driver.start(machine(("T", end(**task()))))
    command = driver.pending_task()
    driver.send(StopRequested())

    step = driver.send(TaskSucceeded(command.task_id, "late"))

    assert (step.events, step.commands, driver.status) == ([], [], "ABORTED")


def test_a_duplicate_task_result_is_applied_once() -> None:
    definition = machine(("T", {**task(), "Next": "W"}), ("W", end(Type="Wait", Seconds=5)))
    driver = Driver.start(definition)
    command = driver.pending_task()
    driver.send(TaskSucceeded(command.task_id, "first"))
    events_before = len(driver.history)

    duplicate = driver.send(TaskSucceeded(command.task_id, "second"))

    assert (duplicate.events, duplicate.commands) == ([], [])
    assert len(driver.history) == events_before
    driver.run()
    assert driver.output == "first"


def test_a_result_for_an_unknown_task_or_timer_is_ignored() -> None:
    driver = Driver.start(machine(("T", end(**task()))))

    steps = [driver.send(TaskFailed("task-999", "E", None)), driver.send(TimerFired("timer-999"))]

    assert all((s.events, s.commands) == ([], []) for s in steps)
    assert driver.status == "RUNNING"


# ---- payload size limit -------------------------------------------------------------------------


def test_a_pass_output_over_256_kib_fails_with_data_limit_exceeded() -> None:
    definition = machine(("State_1", end(Type="Pass", Result={"Arg1": "a" * (256 * 1024)})))

    driver = run(definition)

    assert (driver.status, driver.error_and_cause) == (
        "FAILED",
        (
            "States.DataLimitExceeded",
            "The state/task 'State_1' returned a result with a size exceeding the maximum number of bytes service limit.",
        ),
    )
    assert driver.types() == ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]


@pytest.mark.parametrize(("length", "status"), [(98, "SUCCEEDED"), (99, "FAILED")])
def test_the_limit_is_on_the_bytes_of_the_output_text(length: int, status: str) -> None:
    # '"' + length characters + '"' against a 100-byte limit.
    definition = machine(("P", end(Type="Pass", Result="x" * length)))

    assert run(definition, max_payload_bytes=100).status == status


def test_the_limit_counts_utf8_bytes_not_characters() -> None:
    definition = machine(("P", end(Type="Pass", Result="é" * 40)))  # 42 characters, 82 bytes

    assert run(definition, max_payload_bytes=60).status == "FAILED"


def test_a_task_result_over_the_limit_fails_the_task_and_is_caught_by_states_all() -> None:
    cause = f"The state/task '{LAMBDA}' returned a result with a size exceeding the maximum number of bytes service limit."

    driver = run(caught(), respond=lambda _: "x" * 2000, max_payload_bytes=1000)

    assert driver.output == {"Error": "States.DataLimitExceeded", "Cause": cause}
    assert driver.events("LambdaFunctionFailed")[0]["lambdaFunctionFailedEventDetails"] == {
        "error": "States.DataLimitExceeded",
        "cause": cause,
    }
