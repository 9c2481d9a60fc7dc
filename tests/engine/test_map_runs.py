"""A DISTRIBUTED Map's map run in the interpreter: ``RecordMapRun`` as it starts, is updated and ends, and
``MapRunUpdated`` (UpdateMapRun) changing MaxConcurrency and the tolerances of a running map run."""

from __future__ import annotations

from typing import Any

from orchestrator.asl.models import StateMachineDefinition
from orchestrator.engine.codec import decode_command, decode_event, encode_command, encode_event
from orchestrator.engine.interpreter import Interpreter
from orchestrator.engine.model import (
    ChildExecutionFinished,
    ExecutionState,
    MapRunUpdated,
    RecordMapRun,
    Start,
    StartChildExecution,
    Step,
    StopRequested,
)

T0 = 1_700_000_000.0
MACHINE_ARN = "arn:aws:states:us-east-1:111111111111:stateMachine:machine"
EXECUTION_ARN = "arn:aws:states:us-east-1:111111111111:execution:machine:exec"


def distributed_map(**fields: Any) -> dict[str, Any]:
    return {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "Label": "each",
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                    "StartAt": "P",
                    "States": {"P": {"Type": "Pass", "End": True}},
                },
                "End": True,
                **fields,
            }
        },
    }


class MapRun:
    """One execution of a DISTRIBUTED Map, its children answered by hand."""

    def __init__(self, items: list[Any], **fields: Any) -> None:
        source = distributed_map(**fields)
        self.interpreter = Interpreter(StateMachineDefinition.from_dict(source), source=source)
        self.state: ExecutionState = self.interpreter.new_execution(
            execution={
                "Id": EXECUTION_ARN,
                "Input": items,
                "StartTime": "2023-11-14T22:13:20.000Z",
                "Name": "exec",
                "RoleArn": "arn:aws:iam::111111111111:role/r",
                "RedriveCount": 0,
            },
            state_machine={"Id": MACHINE_ARN, "Name": "machine"},
        )
        self.now = T0
        self.running: list[StartChildExecution] = []
        self.records: list[RecordMapRun] = []
        self.step(Start())

    def step(self, event: Any) -> Step:
        self.now += 1
        step = self.interpreter.step(self.state, event, self.now)
        self.running += [c for c in step.commands if isinstance(c, StartChildExecution)]
        self.records += [c for c in step.commands if isinstance(c, RecordMapRun)]
        return step

    def finish(self, index: int = 0, status: str = "SUCCEEDED") -> Step:
        child = self.running.pop(index)
        error = None if status == "SUCCEEDED" else "Boom"
        return self.step(ChildExecutionFinished(child.run_id, status, child.input, error, None))

    @property
    def map_run_arn(self) -> str:
        return self.records[0].map_run_arn


def test_given_a_distributed_map_expect_its_map_run_recorded_running_then_succeeded() -> None:
    run = MapRun([1, 2, 3], MaxConcurrency=2, ToleratedFailureCount=1)

    started = run.records[-1]
    assert (started.status, started.stop_date, started.start_date) == ("RUNNING", None, T0 + 1)
    assert started.execution_arn == EXECUTION_ARN
    assert started.state_machine_arn == f"{MACHINE_ARN}/each"
    assert started.map_run_arn.startswith("arn:aws:states:us-east-1:111111111111:mapRun:machine/each:")
    assert (
        started.max_concurrency,
        started.tolerated_failure_count,
        started.tolerated_failure_percentage,
    ) == (
        2,
        1,
        None,
    )
    assert (started.item_count, started.execution_count) == (3, 3)
    while run.running:
        run.finish()
    ended = run.records[-1]
    assert (ended.status, ended.start_date, ended.stop_date) == ("SUCCEEDED", T0 + 1, run.now)
    assert run.state.status == "SUCCEEDED"


def test_given_a_failing_map_run_expect_it_recorded_failed() -> None:
    run = MapRun([1, 2], MaxConcurrency=1)

    run.finish(status="FAILED")

    assert run.records[-1].status == "FAILED"
    assert run.state.status == "FAILED"


def test_given_the_execution_stopped_expect_its_running_map_run_recorded_aborted() -> None:
    run = MapRun([1, 2])

    run.step(StopRequested(None, None))

    assert (run.records[-1].status, run.records[-1].stop_date) == ("ABORTED", run.now)


def test_given_max_concurrency_raised_expect_waiting_items_started_at_once() -> None:
    run = MapRun([1, 2, 3, 4, 5], MaxConcurrency=1)
    assert len(run.running) == 1

    run.step(MapRunUpdated(run.map_run_arn, max_concurrency=3))

    assert [c.input for c in run.running] == [1, 2, 3]
    assert run.records[-1].max_concurrency == 3
    while run.running:
        run.finish()
    assert run.state.output == [1, 2, 3, 4, 5]


def test_given_max_concurrency_lowered_expect_no_new_item_until_fewer_run() -> None:
    run = MapRun([1, 2, 3, 4, 5], MaxConcurrency=3)

    run.step(MapRunUpdated(run.map_run_arn, max_concurrency=1))
    run.finish()
    run.finish()

    assert [c.input for c in run.running] == [3]
    run.finish()
    assert [c.input for c in run.running] == [4]
    while run.running:
        run.finish()
    assert run.state.output == [1, 2, 3, 4, 5]


def test_given_no_limit_set_by_update_expect_every_waiting_item_started() -> None:
    run = MapRun([1, 2, 3, 4], MaxConcurrency=1)

    run.step(MapRunUpdated(run.map_run_arn, max_concurrency=0))

    assert len(run.running) == 4


def test_given_a_tolerance_added_by_update_expect_failures_up_to_it_tolerated() -> None:
    run = MapRun([1, 2, 3], MaxConcurrency=1)

    run.step(MapRunUpdated(run.map_run_arn, tolerated_failure_count=1))
    run.finish(status="FAILED")
    while run.running:
        run.finish()

    assert run.state.status == "SUCCEEDED"
    assert run.state.output == [{"Error": "Boom", "Cause": None}, 2, 3]
    assert run.records[-1].tolerated_failure_count == 1


def test_given_a_tolerance_lowered_by_update_expect_the_next_failure_to_fail_the_map() -> None:
    run = MapRun([1, 2, 3], MaxConcurrency=1, ToleratedFailurePercentage=100)

    run.step(MapRunUpdated(run.map_run_arn, tolerated_failure_percentage=0.0))
    run.finish(status="FAILED")

    assert run.state.status == "FAILED"
    assert run.state.error == "States.ExceedToleratedFailureThreshold"


def test_given_an_update_for_another_map_run_expect_nothing_changed() -> None:
    run = MapRun([1, 2, 3], MaxConcurrency=1)

    step = run.step(MapRunUpdated(run.map_run_arn + "x", max_concurrency=3))

    assert (step.events, step.commands, len(run.running)) == ([], [], 1)


def test_given_map_run_events_and_commands_expect_them_through_the_codec_unchanged() -> None:
    update = MapRunUpdated("arn:m", 2, 1, 50.0)
    record = RecordMapRun("arn:m", "arn:e", "arn:s", "RUNNING", T0, None, 2, None, 5.5, 4, 2, True)

    assert decode_event(encode_event(update)) == update
    assert decode_command(encode_command(record)) == record
