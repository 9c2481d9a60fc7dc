"""Redrive in the interpreter: ``Redrive(count)`` re-enters the state a FAILED, ABORTED or TIMED_OUT
execution ended in; Parallel branches and Map iterations that succeeded keep their outputs."""

from __future__ import annotations

from typing import Any

from orchestrator.engine.codec import decode_event, decode_state, encode_event, encode_state
from orchestrator.engine.model import Redrive, RunTask, StopRequested
from tests.engine.driver import LAMBDA, Driver, Failure, machine, run


class Flaky:
    """A task answer that fails ``Boom`` for parameters with ``fail`` until ``healed``."""

    def __init__(self) -> None:
        self.healed = False
        self.calls: list[Any] = []

    def __call__(self, task: RunTask) -> Any:
        self.calls.append(task.parameters)
        if isinstance(task.parameters, dict) and task.parameters.get("fail") and not self.healed:
            raise Failure("Boom", "it broke")
        return {"done": task.parameters}


def task(parameters: Any, **more: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": LAMBDA, "Parameters": parameters, **more}


def test_a_failed_task_is_entered_again_with_its_input() -> None:
    # given an execution that failed in its second state
    flaky = Flaky()
    definition = machine(
        ("First", {"Type": "Pass", "Result": {"fail": True}, "Next": "Work"}),
        ("Work", task({"fail.$": "$.fail"}, End=True)),
    )
    driver = run(definition, {"in": 1}, flaky)
    assert driver.status == "FAILED"
    failed_at = len(driver.history)
    # when it is redriven once the task is healed
    flaky.healed = True
    driver.send(Redrive(1))
    driver.run(flaky)
    # expect it to go on from Work (First is not run again) and succeed, counted in the context object
    assert driver.status == "SUCCEEDED"
    assert driver.output == {"done": {"fail": True}}
    after = driver.history[failed_at:]
    assert after[0]["type"] == "ExecutionRedriven"
    assert after[0]["previousEventId"] == failed_at
    assert after[0]["executionRedrivenEventDetails"] == {"redriveCount": 1}
    assert after[1]["type"] == "TaskStateEntered"
    assert after[1]["previousEventId"] == after[0]["id"]
    assert after[1]["stateEnteredEventDetails"]["name"] == "Work"
    assert [e["type"] for e in after].count("PassStateEntered") == 0
    assert driver.state.execution["RedriveCount"] == 1
    assert "RedriveTime" in driver.state.execution


def test_redrive_is_applied_once_per_count() -> None:
    # given a failed execution
    flaky = Flaky()
    driver = run(machine(("Work", task({"fail": True}, End=True))), None, flaky)
    # when the same redrive is delivered twice, and one with a wrong count
    driver.send(Redrive(1))
    driver.send(Redrive(1))
    driver.send(Redrive(5))
    # expect one ExecutionRedriven only
    assert driver.types().count("ExecutionRedriven") == 1
    assert driver.status == "RUNNING"


def test_a_succeeded_or_running_execution_ignores_redrive() -> None:
    driver = run(machine(("Done", {"Type": "Pass", "End": True})))
    driver.send(Redrive(1))
    assert driver.status == "SUCCEEDED"
    assert "ExecutionRedriven" not in driver.types()


def test_parallel_reruns_only_the_failed_branch_from_its_failed_state() -> None:
    # given a Parallel whose second branch failed in its second state
    flaky = Flaky()
    definition = machine(
        (
            "Both",
            {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "A", "States": {"A": task({"branch": "a"}, End=True)}},
                    {
                        "StartAt": "B0",
                        "States": {
                            "B0": task({"branch": "b0"}, Next="B"),
                            "B": task({"fail": True}, End=True),
                        },
                    },
                ],
                "End": True,
            },
        )
    )
    driver = run(definition, {}, flaky)
    assert driver.status == "FAILED"
    before = list(flaky.calls)
    # when it is redriven
    flaky.healed = True
    driver.send(Redrive(1))
    driver.run(flaky)
    # expect only B to run again; A's and B0's work is kept
    assert driver.status == "SUCCEEDED"
    assert flaky.calls[len(before) :] == [{"fail": True}]
    assert driver.output == [{"done": {"branch": "a"}}, {"done": {"fail": True}}]


def test_inline_map_reruns_only_unsuccessful_iterations() -> None:
    # given an INLINE Map with one failing item, one at a time
    flaky = Flaky()
    definition = machine(
        (
            "Each",
            {
                "Type": "Map",
                "MaxConcurrency": 1,
                "ItemProcessor": {"StartAt": "T", "States": {"T": task({"item.$": "$"}, End=True)}},
                "End": True,
            },
        )
    )
    items = [{"i": 0}, {"i": 1, "fail": True}, {"i": 2}]

    def answer(command: RunTask) -> Any:
        flaky.calls.append(command.parameters)
        if command.parameters["item"].get("fail") and not flaky.healed:
            raise Failure("Boom")
        return command.parameters["item"]["i"]

    driver = run(definition, items, answer)
    assert driver.status == "FAILED"
    assert len(flaky.calls) == 2
    # when redriven
    flaky.healed = True
    driver.send(Redrive(1))
    driver.run(answer)
    # expect items 1 and 2 to run (item 0 kept), and the Map's output in item order
    assert driver.status == "SUCCEEDED"
    assert [call["item"]["i"] for call in flaky.calls[2:]] == [1, 2]
    assert driver.output == [0, 1, 2]


def test_an_aborted_execution_resumes_its_running_branches() -> None:
    # given a Parallel stopped while both branches wait for their tasks
    definition = machine(
        (
            "Both",
            {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "A", "States": {"A": task({"branch": "a"}, End=True)}},
                    {"StartAt": "B", "States": {"B": task({"branch": "b"}, End=True)}},
                ],
                "End": True,
            },
        )
    )
    driver = Driver.start(definition, {})
    driver.answer(next(iter(driver.tasks.values())), lambda task: "a")
    driver.send(StopRequested(None, None))
    assert driver.status == "ABORTED"
    driver.tasks.clear()
    # when redriven
    driver.send(Redrive(1))
    driver.run(lambda task: "again")
    # expect the finished branch kept, the stopped one run again
    assert driver.status == "SUCCEEDED"
    assert driver.output == ["a", "again"]


def test_a_timed_out_execution_gets_its_timeout_again() -> None:
    # given an execution that timed out waiting
    definition = machine(("Wait", {"Type": "Wait", "Seconds": 100, "End": True}), TimeoutSeconds=10)
    driver = run(definition)
    assert driver.status == "TIMED_OUT"
    # when redriven
    driver.send(Redrive(1))
    driver.run()
    # expect it to wait again and time out again, ten seconds after the redrive
    assert driver.status == "TIMED_OUT"
    assert driver.types().count("ExecutionTimedOut") == 2


def test_the_kept_state_survives_the_codec() -> None:
    # given a failed Parallel's execution state, encoded and decoded as a store keeps it
    flaky = Flaky()
    definition = machine(
        (
            "Both",
            {
                "Type": "Parallel",
                "Branches": [
                    {"StartAt": "A", "States": {"A": task({"branch": "a"}, End=True)}},
                    {"StartAt": "B", "States": {"B": task({"fail": True}, End=True)}},
                ],
                "End": True,
            },
        )
    )
    driver = run(definition, {}, flaky)
    driver.state = decode_state(encode_state(driver.state))
    assert decode_event(encode_event(Redrive(1))) == Redrive(1)
    # when redriven from the decoded state
    flaky.healed = True
    driver.send(Redrive(1))
    driver.run(flaky)
    # expect the same partial re-run
    assert driver.output == [{"done": {"branch": "a"}}, {"done": {"fail": True}}]
