"""The interpreter's wire format: state, events and commands survive a JSON round trip mid-execution."""

from __future__ import annotations

import json
from typing import Any

from orchestrator.engine.codec import (
    decode_command,
    decode_event,
    decode_state,
    encode_command,
    encode_event,
    encode_state,
)
from orchestrator.engine.model import (
    RunTask,
    StartTimer,
    StopRequested,
    TaskFailed,
    TaskSucceeded,
    TimerFired,
)
from tests.engine.driver import LAMBDA, Driver, machine


def roundtrip(value: Any) -> Any:
    return json.loads(json.dumps(value))


def busy_definition() -> dict[str, Any]:
    """A Map of Parallels with tasks, waits and variables: every kind of nested state at once."""
    branch = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": LAMBDA, "End": True}}}
    waiting = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": True}}}
    return machine(
        ("Init", {"Type": "Pass", "Assign": {"x": 1}, "Next": "Each"}),
        (
            "Each",
            {
                "Type": "Map",
                "MaxConcurrency": 2,
                "ItemProcessor": {
                    "StartAt": "Both",
                    "States": {"Both": {"Type": "Parallel", "Branches": [branch, waiting], "End": True}},
                },
                "End": True,
            },
        ),
    )


def test_an_execution_state_survives_json_and_the_run_goes_on_identically() -> None:
    original = Driver.start(busy_definition(), [1, 2, 3])
    copy = Driver.start(busy_definition(), [1, 2, 3])
    copy.state = decode_state(roundtrip(encode_state(copy.state)))

    assert encode_state(copy.state) == encode_state(original.state)
    for driver in (original, copy):
        driver.run(lambda task: {"ok": task.parameters})
    assert copy.output == original.output
    assert copy.history == original.history


def test_events_and_commands_survive_json() -> None:
    events = [TaskSucceeded("t1", {"a": [1]}), TaskFailed("t2", "E", None), TimerFired("x"), StopRequested()]
    commands = [
        RunTask("t1", LAMBDA, {"p": 1}, {"Execution": {}}, "S", 3.0, None, None),
        StartTimer("timer-1", 12.5),
    ]
    assert [decode_event(roundtrip(encode_event(e))) for e in events] == events
    assert [decode_command(roundtrip(encode_command(c))) for c in commands] == commands


def test_a_start_delivered_twice_starts_the_execution_once() -> None:
    from orchestrator.engine.model import Start

    driver = Driver.start(machine(("W", {"Type": "Wait", "Seconds": 5, "End": True})))
    before = list(driver.history)

    driver.send(Start())

    assert driver.history == before
